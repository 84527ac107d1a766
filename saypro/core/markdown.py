"""Markdown written by staff (lessons, articles, campaigns) as HTML that is safe to show.

Markdown (Python-Markdown, ``markdown``) first, then the HTML is sanitised
(``nh3``, an allow-list): raw HTML in the source is escaped by Markdown's
renderer and anything left that is not on the list is dropped — no scripts,
styles, iframes or event handlers. Links keep only ``http(s)`` URLs and site
paths (``/…``, not ``//host``) and get ``rel="nofollow noopener"``. Images
(when allowed) keep only ``src`` of the same kind and their ``alt`` text.

The ``(destination "title")`` of an inline link or image is read as CommonMark
reads it (``CommonMarkLinks``): Python-Markdown's own reading takes a quote
anywhere in it for the start of a title, so ``[a](https://x.test/Rock_'n'_roll_(film))``
or ``[a](javascript:alert('x'))`` ended the link early and left a stray ")".
"""

import re
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    LINK_RE,
    ImageInlineProcessor,
    LinkInlineProcessor,
)

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


# Python-Markdown has already replaced backslash escapes and code spans by placeholders
# (no spaces or parentheses in them) when links are read, and normalised line endings.
LINK_OPEN = re.compile(r"\([ \t\n]*")
ANGLE_DESTINATION = re.compile(r"<([^<>\n]*)>")
TITLE_AND_CLOSE = re.compile(r"""(?:[ \t\n]+("[^"]*"|'[^']*'|\([^()]*\)))?[ \t\n]*\)""")


def _destination_end(data: str, start: int) -> int | None:
    """Where a destination without ``<…>`` ends: at the first space or at the ``)`` that
    closes the link; None when it starts with ``<`` or its parentheses are not balanced."""
    if data.startswith("<", start):
        return None
    depth, end = 0, start
    while end < len(data) and data[end] not in " \t\n":
        if data[end] == "(":
            depth += 1
        elif data[end] == ")":
            if not depth:
                break
            depth -= 1
        end += 1
    return None if depth else end


class _CommonMarkLink(LinkInlineProcessor):
    """``[text](destination "title")`` as CommonMark reads it: the destination is ``<…>``
    or runs to a space, its parentheses balanced; a title only follows a space."""

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        opening = LINK_OPEN.match(data, index)
        if not opening:
            return "", None, index, False
        start = opening.end()
        if angle := ANGLE_DESTINATION.match(data, start):
            href, end = angle.group(1), angle.end()
        elif (end := _destination_end(data, start)) is not None:
            href = data[start:end]
        else:
            return "", None, index, False
        closing = TITLE_AND_CLOSE.match(data, end)
        if not closing:
            return "", None, index, False
        title = closing.group(1)
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(" ", self.unescape(title[1:-1].strip()))
        return self.unescape(href).strip(), title, closing.end(), True


class _CommonMarkImage(_CommonMarkLink, ImageInlineProcessor):
    """``![alt](destination "title")``, its destination read the same way."""


class CommonMarkLinks(Extension):
    """Inline links and images with CommonMark's destinations and titles (same names and
    priorities as the processors they replace)."""

    def extendMarkdown(self, md):
        md.inlinePatterns.register(_CommonMarkLink(LINK_RE, md), "link", 160)
        md.inlinePatterns.register(_CommonMarkImage(IMAGE_LINK_RE, md), "image_link", 150)


def render_markdown(text: str, *, images: bool = False) -> SafeString:
    """``text`` as sanitised HTML (safe to mark safe: nothing outside the allow-list survives)."""
    html = markdown_lib.markdown(
        text or "",
        extensions=["sane_lists", "tables", CommonMarkLinks()],
        output_format="html",
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
