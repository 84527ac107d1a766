"""Writes for insights: analysing reviews, editing the taxonomy, rising issues.

``analyze_reviews`` is the only writer of ``ReviewAnalysis`` and the rows
beside it; it rewrites a review's rows as a whole in one transaction, so a
reader never sees half an analysis. Reviews are analysed after the write
that published or edited them commits (``tasks.analyze_review``), and
``analyze_stale`` catches up on anything a failed task or a model or
taxonomy change left behind.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from saypro.accounts.models import User
from saypro.catalog.models import Product, StoreMembership
from saypro.catalog.selectors import is_store_member
from saypro.core.effects import enqueue_on_commit
from saypro.core.errors import Conflict, PermissionDenied, ValidationFailed
from saypro.insights.analysis import analyze
from saypro.insights.models import (
    Complaint,
    ReviewAnalysis,
    RisingIssue,
    Sentiment,
    Suggestion,
    Theme,
    ThemeMention,
)
from saypro.insights.phrases import emerging_topics
from saypro.insights.sentiment import default_model
from saypro.insights.statistics import benjamini_hochberg, rising_test
from saypro.insights.themes import DEFAULT_THEMES, ThemeSpec, quoted_phrase, validate_phrase
from saypro.notifications import services as notifications
from saypro.notifications.models import NotificationType
from saypro.reviews.models import Review

BATCH_SIZE = 1000
MAX_PHRASES = 200
RECENT_WINDOW = timedelta(days=28)
BASELINE_WINDOW = timedelta(days=180)
FALSE_DISCOVERY_RATE = 0.05
SENTENCE_TEXT_LIMIT = 500
# Bumped when what is stored from an analysis changes while the model and the taxonomy stay
# the same, so every review is analysed again. 2: no complaints from five-star reviews.
# 3: no suggestion row for a vague ask (a key ending in a generic word such as "change").
RULES_VERSION = 3
MAX_RATING = 5  # Review.rating's highest


# --- Taxonomy ------------------------------------------------------------------------------


def taxonomy() -> tuple[ThemeSpec, ...]:
    """The active themes as the matcher wants them, in display order."""
    return tuple(
        ThemeSpec(theme.slug, theme.name, theme.description, tuple(theme.phrases))
        for theme in Theme.objects.filter(is_active=True).order_by("position", "name")
    )


def taxonomy_version(themes: Sequence[ThemeSpec]) -> str:
    """A hash of the taxonomy and :data:`RULES_VERSION`; a change to either makes analyses stale."""
    payload = json.dumps([RULES_VERSION, [(t.slug, t.phrases) for t in themes]], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def install_default_themes(theme_model: type[Theme] = Theme) -> int:
    """Create the built-in themes whose slug is missing; returns how many were added.

    Run by migration ``0002_default_themes`` (with the historical model) and by test
    set-ups after a flush emptied the table. Never touches a theme staff edited.
    """
    existing = set(theme_model.objects.values_list("slug", flat=True))
    added = [
        theme_model(
            slug=spec.slug,
            name=spec.name,
            description=spec.description,
            phrases=list(spec.phrases),
            position=position,
        )
        for position, spec in enumerate(DEFAULT_THEMES)
        if spec.slug not in existing
    ]
    theme_model.objects.bulk_create(added)
    return len(added)


def _reanalyse_after_commit() -> None:
    """A taxonomy change makes every analysis stale: start catching up once it commits."""
    from saypro.insights import tasks  # tasks call this module's functions

    enqueue_on_commit(tasks.analyze_stale)


def _require_staff(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_office_staff:
        raise PermissionDenied("Only marketplace office staff edit the theme taxonomy.")


def _clean_theme(name: str, description: str, phrases: Iterable[str]) -> tuple[str, str, list]:
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationFailed(
            "A theme needs a name of 1–60 characters.", details={"field": "name"}
        )
    description = (description or "").strip()
    if len(description) > 300:
        raise ValidationFailed(
            "Keep the description under 300 characters.", details={"field": "description"}
        )
    cleaned: list[str] = []
    for phrase in phrases:
        if not phrase.strip():
            continue
        try:
            normalised = validate_phrase(phrase)
        except ValueError as error:
            raise ValidationFailed(
                f"{quoted_phrase(phrase)}: {error}", details={"field": "phrases"}
            ) from None
        if normalised not in cleaned:
            cleaned.append(normalised)
    if not cleaned:
        raise ValidationFailed(
            "Give at least one example phrase, one per line.", details={"field": "phrases"}
        )
    if len(cleaned) > MAX_PHRASES:
        raise ValidationFailed(
            f"A theme takes at most {MAX_PHRASES} phrases.", details={"field": "phrases"}
        )
    return name, description, cleaned


@transaction.atomic
def create_theme(*, actor: User, name: str, description: str = "", phrases: list[str]) -> Theme:
    """Add a theme; it is matched from the next analysis on, no retraining involved."""
    _require_staff(actor)
    name, description, phrases = _clean_theme(name, description, phrases)
    slug = slugify(name).replace("-", "_")[:40] or "theme"
    if Theme.objects.filter(Q(slug=slug) | Q(name__iexact=name)).exists():
        raise Conflict(f"A theme called “{name}” already exists.", code="theme_exists")
    position = (Theme.objects.order_by("-position").values_list("position", flat=True).first()) or 0
    try:
        with transaction.atomic():
            theme = Theme.objects.create(
                slug=slug,
                name=name,
                description=description,
                phrases=phrases,
                position=position + 1,
            )
    except IntegrityError as error:
        raise Conflict(f"A theme called “{name}” already exists.", code="theme_exists") from error
    _reanalyse_after_commit()
    return theme


@transaction.atomic
def update_theme(
    *,
    actor: User,
    theme: Theme,
    name: str,
    description: str = "",
    phrases: list[str],
    is_active: bool = True,
) -> Theme:
    _require_staff(actor)
    name, description, phrases = _clean_theme(name, description, phrases)
    if Theme.objects.filter(name__iexact=name).exclude(pk=theme.pk).exists():
        raise Conflict(f"A theme called “{name}” already exists.", code="theme_exists")
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    theme.name, theme.description, theme.phrases = name, description, phrases
    theme.is_active = is_active
    theme.updated_at = timezone.now()
    theme.save()
    _reanalyse_after_commit()
    return theme


# --- Analysis ------------------------------------------------------------------------------


@transaction.atomic
def analyze_reviews(review_ids: Sequence[int], *, now: datetime | None = None) -> int:
    """Analyse these reviews with the current model and taxonomy; returns how many.

    Replaces each review's analysis rows (mentions, suggestions, complaints) as a
    whole. Missing ids are skipped: a review may have been deleted meanwhile.
    """
    now = now or timezone.now()
    reviews = list(
        Review.objects.filter(pk__in=review_ids).only(
            "pk", "body", "rating", "product_id", "store_id"
        )
    )
    if not reviews:
        return 0
    themes = taxonomy()
    theme_ids = dict(Theme.objects.filter(is_active=True).values_list("slug", "pk"))
    model = default_model()
    version = taxonomy_version(themes)
    results = analyze([review.body for review in reviews], themes=themes, model=model)

    analyses, mentions, suggestions, complaints = [], [], [], []
    for review, result in zip(reviews, results, strict=True):
        owner = {
            "review_id": review.pk,
            "product_id": review.product_id,
            "store_id": review.store_id,
        }
        analyses.append(
            ReviewAnalysis(
                **owner,
                sentiment=result.sentiment,
                negative=result.probabilities["negative"],
                neutral=result.probabilities["neutral"],
                positive=result.probabilities["positive"],
                sentences=[
                    {
                        "start": sentence.start,
                        "end": sentence.end,
                        "sentiment": sentence.sentiment,
                        "themes": sentence.themes,
                        "suggestion": sentence.is_suggestion,
                    }
                    for sentence in result.sentences
                ],
                key_phrases=list(result.key_phrases),
                model_version=model.version,
                taxonomy_version=version,
                analyzed_at=now,
            )
        )
        for slug, sentiment in result.themes.items():
            mentions.append(
                ThemeMention(
                    **owner,
                    theme_id=theme_ids[slug],
                    sentiment=sentiment,
                    sentence_indexes=[
                        index
                        for index, sentence in enumerate(result.sentences)
                        if slug in sentence.themes
                    ],
                )
            )
        for suggestion in result.suggestions:
            suggestions.append(
                Suggestion(
                    **owner,
                    key=suggestion.key[:80],
                    text=suggestion.text[:SENTENCE_TEXT_LIMIT],
                    sentence_index=suggestion.sentence_index,
                )
            )
        # The buyer's own five stars say nothing went wrong: a "negative" sentence there is
        # the model misreading an aside ("Will be back for more.", "I ordered it for myself,
        # for once."), which would otherwise surface as an emerging problem.
        for index, sentence in enumerate(result.sentences):
            if sentence.is_complaint and review.rating < MAX_RATING:
                complaints.append(
                    Complaint(
                        **owner, text=sentence.text[:SENTENCE_TEXT_LIMIT], sentence_index=index
                    )
                )

    ids = [review.pk for review in reviews]
    ReviewAnalysis.objects.filter(review_id__in=ids).delete()
    ThemeMention.objects.filter(review_id__in=ids).delete()
    Suggestion.objects.filter(review_id__in=ids).delete()
    Complaint.objects.filter(review_id__in=ids).delete()
    ReviewAnalysis.objects.bulk_create(analyses, batch_size=500)
    ThemeMention.objects.bulk_create(mentions, batch_size=1000)
    Suggestion.objects.bulk_create(suggestions, batch_size=1000)
    Complaint.objects.bulk_create(complaints, batch_size=1000)
    return len(reviews)


def stale_review_ids() -> list[int]:
    """Reviews never analysed, or analysed by another model or taxonomy, oldest first."""
    current = Q(
        analysis__model_version=default_model().version,
        analysis__taxonomy_version=taxonomy_version(taxonomy()),
    )
    return list(Review.objects.exclude(current).order_by("pk").values_list("pk", flat=True))


def analyze_stale(*, progress: Callable[[int], None] | None = None) -> int:
    """Bring every review's analysis up to date, a batch per transaction (resumable)."""
    done = 0
    pending = stale_review_ids()
    for first in range(0, len(pending), BATCH_SIZE):
        done += analyze_reviews(pending[first : first + BATCH_SIZE])
        if progress:
            progress(done)
    return done


# --- Rising issues -------------------------------------------------------------------------


def detect_rising_issues(
    *, product: Product | None = None, now: datetime | None = None
) -> list[RisingIssue]:
    """Open (or refresh) an issue for each theme or topic whose negative share rose.

    For each product, the last ``RECENT_WINDOW`` is compared with the
    ``BASELINE_WINDOW`` before it: the share of its published reviews that
    speak negatively of a theme (or fall in an emerging topic), by a one-sided
    Fisher exact test with a minimum sample (``statistics.rising_test``), with
    the Benjamini–Hochberg procedure across the product's themes and topics.
    Issues still open that no longer test significant are resolved; planned
    ones are left to their plan. Returns the issues opened or refreshed.
    """
    now = now or timezone.now()
    window_start = now - RECENT_WINDOW
    baseline_start = window_start - BASELINE_WINDOW
    published = Review.objects.filter(
        status=Review.Status.PUBLISHED, published_at__gte=baseline_start, published_at__lt=now
    )
    if product is not None:
        published = published.filter(product=product)
    totals = _window_totals(published, window_start)
    touched: list[RisingIssue] = []
    for product_id, (recent_total, baseline_total) in totals.items():
        if not recent_total:
            continue
        candidates = _candidates(product_id, published, window_start)
        tests = [
            (subject, rising_test(len(recent), recent_total, baseline, baseline_total), recent)
            for subject, (recent, baseline) in candidates.items()
        ]
        significant = benjamini_hochberg(
            [test.p_value for _, test, _ in tests], FALSE_DISCOVERY_RATE
        )
        for (subject, test, recent), is_discovery in zip(tests, significant, strict=True):
            if is_discovery and test.is_significant:
                touched.append(
                    _open_issue(
                        product_id, subject, test, recent, window_start, baseline_start, now
                    )
                )
    _resolve_faded(product, touched, now)
    return touched


def _window_totals(published, window_start) -> dict[int, tuple[int, int]]:
    rows = published.values("product_id").annotate(
        recent=Count("pk", filter=Q(published_at__gte=window_start)),
        baseline=Count("pk", filter=Q(published_at__lt=window_start)),
    )
    return {row["product_id"]: (row["recent"], row["baseline"]) for row in rows}


def _candidates(product_id: int, published, window_start) -> dict[tuple, tuple[list[int], int]]:
    """(theme id, "") or (None, topic) → (recent review ids, baseline count)."""
    reviews = published.filter(product_id=product_id)
    recent_ids = set(reviews.filter(published_at__gte=window_start).values_list("pk", flat=True))
    by_subject: dict[tuple, tuple[list[int], int]] = {}
    mentions = ThemeMention.objects.filter(
        review__in=reviews, sentiment=Sentiment.NEGATIVE
    ).values_list("theme_id", "review_id")
    grouped: dict[int, set[int]] = defaultdict(set)
    for theme_id, review_id in mentions:
        grouped[theme_id].add(review_id)
    for theme_id, review_ids in grouped.items():
        recent = sorted(review_ids & recent_ids)
        by_subject[(theme_id, "")] = (recent, len(review_ids) - len(recent))
    complaints = list(
        Complaint.objects.filter(review__in=reviews).values_list("review_id", "text").order_by("pk")
    )
    names = Product.objects.values_list("title", "store__name").get(pk=product_id)
    topics = emerging_topics(
        [text for _, text in complaints],
        ignore=names,
        background=reviews.values_list("body", flat=True),
    )
    for topic in topics:
        review_ids = {complaints[member][0] for member in topic.members}
        recent = sorted(review_ids & recent_ids)
        by_subject[(None, topic.label[:80])] = (recent, len(review_ids) - len(recent))
    return by_subject


def _open_issue(product_id, subject, test, recent, window_start, baseline_start, now):
    theme_id, topic = subject
    live = RisingIssue.objects.filter(
        product_id=product_id,
        theme_id=theme_id,
        topic=topic,
        status__in=[RisingIssue.Status.OPEN, RisingIssue.Status.PLANNED],
    ).first()
    figures = {
        "window_start": window_start,
        "window_end": now,
        "baseline_start": baseline_start,
        "recent_count": test.recent_count,
        "recent_total": test.recent_total,
        "baseline_count": test.baseline_count,
        "baseline_total": test.baseline_total,
        "p_value": test.p_value,
        "evidence": recent,
        "checked_at": now,
    }
    if live:
        for field, value in figures.items():
            setattr(live, field, value)
        live.save()
        return live
    store_id = Product.objects.values_list("store_id", flat=True).get(pk=product_id)
    with transaction.atomic():
        issue = RisingIssue.objects.create(
            product_id=product_id,
            store_id=store_id,
            theme_id=theme_id,
            topic=topic,
            detected_at=now,
            **figures,
        )
        _notify_rising_issue(issue, now)
    return issue


def _notify_rising_issue(issue: RisingIssue, now: datetime) -> None:
    """Tell the store's members about a newly opened issue (not about each refresh)."""
    issue = RisingIssue.objects.select_related("store", "product", "theme").get(pk=issue.pk)
    about = issue.theme.name if issue.theme_id else issue.topic
    notifications.notify_many(
        list(
            StoreMembership.objects.filter(store_id=issue.store_id).values_list(
                "user_id", flat=True
            )
        ),
        NotificationType.RISING_ISSUE,
        subject=issue,
        text=f"Rising issue on {issue.product.title}: more complaints about {about.lower()}",
        link=reverse("insights:product", kwargs={"slug": issue.store.slug, "pk": issue.product_id}),
        now=now,
    )


def _resolve_faded(product: Product | None, still_rising: list[RisingIssue], now) -> None:
    faded = RisingIssue.objects.filter(status=RisingIssue.Status.OPEN).exclude(
        pk__in=[issue.pk for issue in still_rising]
    )
    if product is not None:
        faded = faded.filter(product=product)
    faded.update(status=RisingIssue.Status.RESOLVED, checked_at=now)


ALLOWED_ISSUE_STATUSES = {
    RisingIssue.Status.OPEN: {RisingIssue.Status.PLANNED, RisingIssue.Status.DISMISSED},
    RisingIssue.Status.PLANNED: {RisingIssue.Status.OPEN, RisingIssue.Status.RESOLVED},
    RisingIssue.Status.DISMISSED: {RisingIssue.Status.OPEN},
    RisingIssue.Status.RESOLVED: set(),
}


@transaction.atomic
def set_issue_status(*, actor: User, issue: RisingIssue, status: str) -> RisingIssue:
    """A store member dismisses an issue, reopens it, or (through a plan) marks it planned."""
    issue = RisingIssue.objects.select_for_update().select_related("store").get(pk=issue.pk)
    if not actor.is_authenticated or not is_store_member(actor, issue.store):
        raise PermissionDenied("Only members of this store manage its issues.")
    if status not in RisingIssue.Status.values:
        raise ValidationFailed(
            f"Unknown status “{status}”.", details={"field": "status"}, code="invalid_status"
        )
    if status == issue.status:
        return issue
    if status not in ALLOWED_ISSUE_STATUSES[issue.status]:
        raise Conflict(
            f"An issue that is {issue.get_status_display().lower()} cannot become "
            f"{RisingIssue.Status(status).label.lower()}.",
            code="invalid_transition",
        )
    if (
        status == RisingIssue.Status.OPEN
        and RisingIssue.objects.filter(
            product_id=issue.product_id,
            theme_id=issue.theme_id,
            topic=issue.topic,
            status__in=[RisingIssue.Status.OPEN, RisingIssue.Status.PLANNED],
        )
        .exclude(pk=issue.pk)
        .exists()
    ):
        raise Conflict("A newer issue on the same subject is already open.", code="issue_open")
    issue.status = status
    issue.checked_at = timezone.now()
    issue.save(update_fields=["status", "checked_at"])
    return issue


@transaction.atomic
def resolve_issue_by_plan(*, issue: RisingIssue) -> RisingIssue:
    """Mark a planned issue resolved: the plan made for it was measured and it helped.

    There is no actor and no permission check because only
    ``improvements.services`` calls this, in the transaction that stores a
    plan's measurement with the verdict "helped"; that measurement is run by a
    store member whose membership the improvements service checked, or by the
    periodic measurement task, which acts for no one. Holds the issue's row
    lock. Only ``planned`` becomes ``resolved`` (``checked_at`` = when); an
    issue someone reopened or dismissed meanwhile, or one already resolved, is
    returned as it is.
    """
    issue = RisingIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != RisingIssue.Status.PLANNED:
        return issue
    issue.status = RisingIssue.Status.RESOLVED
    issue.checked_at = timezone.now()
    issue.save(update_fields=["status", "checked_at"])
    return issue
