"""Every write to the knowledge base: the office's articles, readers' views and votes.

Office writes need office staff; a refusal raises an ``ApplicationError``
subclass (4xx) inside the transaction, so nothing changes. Reading is
counted without any permission (anyone may read the help centre).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from saypro.academy.content import COACH_GUIDELINE_KEYS
from saypro.accounts.models import User
from saypro.core.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from saypro.knowledge.models import (
    COMMENT_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TAGS_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Article,
    ArticleView,
    Category,
    Feedback,
    Kind,
)
from saypro.knowledge.selectors import LINKS_CACHE_KEY
from saypro.knowledge.text import clean, normalise_tags, plain_text


def can_edit(user: User) -> bool:
    return user.is_authenticated and user.is_office_staff


def _require_office(user: User) -> None:
    if not can_edit(user):
        raise PermissionDenied("Only the marketplace office edits the knowledge base.")


def forget_links() -> None:
    """After the commit, drop the cached links to published articles (``selectors._links``)."""
    transaction.on_commit(lambda: cache.delete(LINKS_CACHE_KEY))


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details={"field": field})


@dataclass(frozen=True)
class ArticleInput:
    """What the office writes for an article (``slug`` is only read when creating one)."""

    title: str
    summary: str
    body: str
    category: Category
    kind: str = Kind.GUIDE
    slug: str = ""
    video_url: str = ""
    tags: str = ""
    coach_guideline: str = ""
    related: tuple[Article, ...] = ()


def _checked(data: ArticleInput, article: Article | None) -> dict:
    title, summary, body = clean(data.title), clean(data.summary), clean(data.body)
    if not title:
        raise _invalid("title", "An article needs a title.")
    if len(title) > TITLE_MAX_LENGTH:
        raise _invalid("title", f"Keep the title to {TITLE_MAX_LENGTH} characters.")
    if not summary:
        raise _invalid("summary", "Write a one-sentence summary: it shows in lists and search.")
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise _invalid("summary", f"Keep the summary to {SUMMARY_MAX_LENGTH} characters.")
    if not body:
        raise _invalid("body", "The article has no text.")
    if data.kind not in Kind.values:
        raise _invalid("kind", "Choose what kind of article this is.")
    video_url = clean(data.video_url)
    shipped_video = article is not None and article.video_file
    if data.kind == Kind.VIDEO and not video_url and not shipped_video:
        raise _invalid("video_url", "A video tutorial needs the video's address.")
    if video_url and not video_url.startswith("https://"):
        raise _invalid("video_url", "The video's address must start with https://.")
    tags = normalise_tags(data.tags)
    if len(tags) > TAGS_MAX_LENGTH:
        raise _invalid("tags", f"Keep the tags to {TAGS_MAX_LENGTH} characters.")
    guideline = data.coach_guideline or ""
    if guideline and guideline not in COACH_GUIDELINE_KEYS:
        raise _invalid("coach_guideline", "Unknown coach guideline.")
    if guideline:
        taken = Article.objects.filter(coach_guideline=guideline)
        if article is not None:
            taken = taken.exclude(pk=article.pk)
        other = taken.first()
        if other is not None:
            raise _invalid("coach_guideline", f"“{other.title}” already explains this guideline.")
    if article is not None and any(item.pk == article.pk for item in data.related):
        raise _invalid("related", "An article cannot be related to itself.")
    return {
        "title": title,
        "summary": summary,
        "body": body,
        "search_text": plain_text(body),
        "category": data.category,
        "kind": data.kind,
        "video_url": video_url,
        "tags": tags,
        "coach_guideline": guideline,
    }


@transaction.atomic
def create_article(*, staff: User, data: ArticleInput, now: datetime | None = None) -> Article:
    """A new article by the office, published at once (unpublish it to hide it)."""
    _require_office(staff)
    now = now or timezone.now()
    fields = _checked(data, None)
    slug = (data.slug or "").strip().lower()
    if not slug or not set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-"):
        raise _invalid("slug", "The address needs lower-case letters, digits and hyphens.")
    if Article.objects.filter(slug=slug).exists():
        raise _invalid("slug", "Another article already uses this address.")
    article = Article.objects.create(
        slug=slug,
        updated_on=timezone.localdate(now),
        edited_by_office=True,
        created_at=now,
        updated_at=now,
        **fields,
    )
    article.related.set(data.related)
    forget_links()
    return article


@transaction.atomic
def update_article(
    *, staff: User, article: Article, data: ArticleInput, now: datetime | None = None
) -> Article:
    """The office's changes; the article is its own from now on (the shipped text stays out)."""
    _require_office(staff)
    now = now or timezone.now()
    fields = _checked(data, article)
    for name, value in fields.items():
        setattr(article, name, value)
    article.updated_on = timezone.localdate(now)
    article.updated_at = now
    article.edited_by_office = True
    article.save()
    article.related.set(data.related)
    forget_links()
    return article


@transaction.atomic
def set_published(
    *, staff: User, article: Article, published: bool, now: datetime | None = None
) -> Article:
    """Publish or unpublish: an unpublished article leaves lists, search and in-context links."""
    _require_office(staff)
    article.published = published
    article.updated_at = now or timezone.now()
    article.edited_by_office = True
    article.save(update_fields=["published", "updated_at", "edited_by_office"])
    forget_links()
    return article


def record_view(*, article: Article, user: User | None, now: datetime | None = None) -> None:
    """Count one reading of ``article`` (anonymous readers share one count per day).

    An UPDATE first, as the row usually exists; the first view of a day
    inserts it, and a concurrent first view that lost the insert race updates.
    """
    day: date = timezone.localdate(now or timezone.now())
    reader = user if user is not None and user.is_authenticated else None
    rows = ArticleView.objects.filter(article=article, day=day, user=reader)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ArticleView.objects.create(article=article, day=day, user=reader, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)


@transaction.atomic
def give_feedback(
    *,
    user: User,
    article: Article,
    helpful: bool,
    comment: str = "",
    now: datetime | None = None,
) -> Feedback:
    """A reader's "was this helpful?": one per person and article; voting again changes it.

    A vote without a comment keeps the comment given earlier, so the two-step
    form (vote, then optionally say why) never erases what was written.
    """
    if user is None or not user.is_authenticated:
        raise NotAuthenticated("Log in to rate an article.")
    if not article.published:
        raise PermissionDenied("This article is not published.")
    if not isinstance(helpful, bool):
        raise _invalid("helpful", "Say whether the article helped: yes or no.")
    comment = clean(comment)
    if len(comment) > COMMENT_MAX_LENGTH:
        raise _invalid("comment", f"Keep the comment to {COMMENT_MAX_LENGTH} characters.")
    now = now or timezone.now()
    feedback = Feedback.objects.select_for_update().filter(article=article, user=user).first()
    if feedback is None:
        return Feedback.objects.create(
            article=article,
            user=user,
            helpful=helpful,
            comment=comment,
            created_at=now,
            updated_at=now,
        )
    feedback.helpful = helpful
    if comment:
        feedback.comment = comment
    feedback.updated_at = now
    feedback.save(update_fields=["helpful", "comment", "updated_at"])
    return feedback
