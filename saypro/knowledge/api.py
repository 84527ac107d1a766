"""``/api/v1/help/…``: the published knowledge base, read-only and public.

A read through the API is not counted as a view: views measure people
reading in the help centre.
"""

from django.templatetags.static import static
from ninja import Query, Router

from saypro.core.api import ERRORS, PUBLIC, Page, Paging, SearchText, Slug
from saypro.core.errors import NotFound
from saypro.core.markdown import render_markdown
from saypro.knowledge import selectors
from saypro.knowledge.models import Article
from saypro.knowledge.schemas import KnowledgeArticleOut, KnowledgeArticleSummaryOut

router = Router(tags=["knowledge base"])


class KnowledgeSearchIn(Paging):
    q: SearchText = ""


def _summary(article: Article, result: selectors.SearchResult | None = None) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "kind": article.kind,
        "category": article.category,
        "updated_on": article.updated_on,
        "url": article.get_absolute_url(),
        "title_html": str(result.title_html) if result else None,
        "snippet_html": str(result.snippet_html) if result else None,
    }


@router.get(
    "/help/articles", response={200: Page[KnowledgeArticleSummaryOut], **ERRORS}, auth=PUBLIC
)
def list_articles(request, params: Query[KnowledgeSearchIn]):
    """Published articles by title, or with ``q`` every full-text match in rank order;
    ``count`` is the number of matches, ``offset`` and ``limit`` page through them."""
    if params.q.strip():
        results = selectors.search(params.q)
        window = results[params.offset : params.offset + params.limit]
        return {"items": [_summary(r.article, r) for r in window], "count": results.count()}
    articles = selectors.published().order_by("title", "pk")
    window = articles[params.offset : params.offset + params.limit]
    return {"items": [_summary(article) for article in window], "count": articles.count()}


@router.get("/help/articles/{slug}", response={200: KnowledgeArticleOut, **ERRORS}, auth=PUBLIC)
def get_article(request, slug: Slug):
    article = selectors.published().filter(slug=slug).first()
    if article is None:
        raise NotFound("No such article.")
    return {
        **_summary(article),
        "video_url": article.video_url,
        "video_file_url": static(article.video_file) if article.video_file else "",
        "captions_url": static(article.captions_file) if article.video_file else "",
        "tags": article.tag_list,
        "coach_guideline": article.coach_guideline,
        "body": article.body,
        "body_html": str(render_markdown(article.body, images=True)),
        "related": selectors.related_to(article),
    }
