"""Campaign bodies: Markdown rendered to HTML that is safe to put in a page or an email.

Markdown (``markdown``) first, then the HTML is sanitised (``nh3``, an
allow-list): raw HTML in the source is escaped by Markdown's renderer and
anything left that is not on the list is dropped — no scripts, styles,
event handlers or images. Links keep only ``http(s)`` URLs and site paths
(``/…``, not ``//host``) and get ``rel="nofollow noopener"``.
"""

from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def _allowed_link(tag: str, attribute: str, value: str) -> str | None:
    if tag != "a" or attribute != "href":
        return value
    return value if is_safe_href(value) else None


def is_safe_href(value: str) -> bool:
    """An absolute http(s) URL or a site path; nothing else (javascript:, data:, //host)."""
    value = value.strip()
    if value.startswith("/"):
        return not value.startswith("//") and "\\" not in value
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_site_path(value: str) -> bool:
    """A path on this site: starts with one slash, no scheme, host or backslash."""
    parts = urlsplit(value)
    return (
        value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and not parts.scheme
        and not parts.netloc
        and not any(character.isspace() or ord(character) < 32 for character in value)
    )


def render_markdown(text: str) -> SafeString:
    """The body as sanitised HTML (safe to mark safe: nothing outside the allow-list survives)."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener",
        attribute_filter=_allowed_link,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # nh3 kept only the allow-list
