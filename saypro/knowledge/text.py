"""Text helpers shared by the services and the loader: plain text for the search index,
and the markers search highlighting uses."""

import html
import re

from django.utils.html import strip_tags

from saypro.core.markdown import render_markdown

# Search engines wrap matches in these (Unicode private-use characters); the selector
# escapes the text and only then turns them into <mark> tags. Stored text never has them.
MARK_START = "\ue000"
MARK_END = "\ue001"
SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """``text`` without the highlight markers (and without surrounding whitespace)."""
    return (text or "").replace(MARK_START, "").replace(MARK_END, "").strip()


def plain_text(markdown: str) -> str:
    """The Markdown as the reader sees it, without markup: what search indexes and quotes."""
    text = html.unescape(strip_tags(str(render_markdown(clean(markdown)))))
    return SPACES.sub(" ", text).strip()


def normalise_tags(tags) -> str:
    """Tags (a list or comma-separated text) as one lower-case, comma-separated string."""
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: list[str] = []
    for tag in tags:
        tag = " ".join(clean(tag).lower().split())
        if tag and tag not in seen:
            seen.append(tag)
    return ", ".join(seen)
