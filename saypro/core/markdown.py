"""Markdown written by staff (lessons, articles, campaigns) as HTML that is safe to show.

Markdown (``markdown``) first, then the HTML is sanitised (``nh3``, an
allow-list): raw HTML in the source is escaped by Markdown's renderer and
anything left that is not on the list is dropped — no scripts, styles,
iframes or event handlers. Links keep only ``http(s)`` URLs and site paths
(``/…``, not ``//host``) and get ``rel="nofollow noopener"``. Images (when
allowed) keep only ``src`` of the same kind and their ``alt`` text.
"""

from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h2", "h3",
    "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


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


def _allowed_url(tag: str, attribute: str, value: str) -> str | None:
    if (tag, attribute) in (("a", "href"), ("img", "src")):
        return value if is_safe_href(value) else None
    return value


def render_markdown(text: str, *, images: bool = False) -> SafeString:
    """``text`` as sanitised HTML (safe to mark safe: nothing outside the allow-list survives)."""
    html = markdown_lib.markdown(
        text or "", extensions=["sane_lists", "tables"], output_format="html"
    )
    cleaned = nh3.clean(
        html,
        tags=TAGS | {"img"} if images else TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener",
        attribute_filter=_allowed_url,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # nh3 kept only the allow-list
