"""In-context links to the knowledge base: coach findings and empty states."""

from django import template

from saypro.knowledge import selectors

register = template.Library()


@register.simple_tag
def guideline_articles() -> dict[str, str]:
    """``{guideline key: article URL}``, one query for every finding on the page."""
    return selectors.guideline_article_urls()


@register.filter
def article_url(urls: dict[str, str], key: str) -> str:
    return urls.get(key, "")


@register.inclusion_tag("knowledge/partials/guide_link.html")
def guide_link(slug: str, label: str = ""):
    """``Read: <title>`` to article ``slug``; nothing at all if it is missing or unpublished."""
    return {"article": selectors.link_for(slug), "label": label}


@register.simple_tag
def published_guides(articles: list[dict]) -> list:
    """The published ones of ``[{"slug": ...}, ...]``, in order (shown only if not empty)."""
    return [link for item in articles if (link := selectors.link_for(item["slug"])) is not None]
