"""Reads: which prompts a person gets on a page (with real figures), the figures
themselves, tutorial progress, and the office's measurements.

``prompts_for`` applies every rule in one place: the placement, the dates,
the switch, the audience, the cap (``max_shows`` per ``per_days`` days) and
dismissal, then each built-in's figure, which hides the prompt when there is
nothing true to say. Anonymous visitors get no prompts.
"""

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import Order, Product, Store, StoreMembership
from saypro.catalog.selectors import store_of_member
from saypro.engagement import placeholders
from saypro.engagement.models import (
    SELLER_PLACEMENTS,
    Audience,
    Placement,
    Prompt,
    PromptEvent,
    TutorialProgress,
)
from saypro.engagement.tutorials import TUTORIALS, Tutorial
from saypro.messaging.models import Conversation, Message, Wait
from saypro.reviews.models import Review

FOLLOW_WINDOW = timedelta(hours=24)  # a click is "followed" by a message sent within this
QUICK_REPLY_RECENT = timedelta(days=30)  # a store that used none in this long gets the tip
REVIEW_POSTED_WINDOW = timedelta(hours=1)  # the product page counts as "after the review"
PROMPTS_PER_PLACEMENT = 2


@dataclass(frozen=True)
class PageSubject:
    """What the page is about: the figures and placeholders are read from it."""

    store: Store | None = None
    product: Product | None = None
    order: Order | None = None


@dataclass(frozen=True)
class ShownPrompt:
    """A prompt as one person sees it: placeholders filled with real values."""

    prompt: Prompt
    title: str
    text: str
    cta_label: str
    cta_link: str
    store_id: int | None
    product_id: int | None


# --- Figures of the built-in prompts ---------------------------------------------------------


def median_first_response(store: Store, *, now: datetime | None = None) -> int | None:
    """The median of the store's first-response times (seconds) over the recent conversations.

    Conversations started in the last ``ENGAGEMENT_RESPONSE_DAYS`` days whose first
    wait was answered (``Conversation.first_response_seconds``); ``None`` with fewer
    than ``ENGAGEMENT_RESPONSE_MIN_SAMPLE`` of them, so a store is not judged on one reply.
    """
    now = now or timezone.now()
    since = now - timedelta(days=settings.ENGAGEMENT_RESPONSE_DAYS)
    seconds = list(
        Conversation.objects.filter(
            store=store, created_at__gte=since, first_response_seconds__isnull=False
        ).values_list("first_response_seconds", flat=True)
    )
    if len(seconds) < settings.ENGAGEMENT_RESPONSE_MIN_SAMPLE:
        return None
    return int(statistics.median(seconds))


def response_time_label(seconds: int) -> str:
    """A median as buyers read it, rounded up: "5 minutes", "35 minutes", "1 hour", "3 hours"."""
    minutes = max(5, math.ceil(seconds / 300) * 5)
    if minutes < 60:
        return f"{minutes} minutes"
    hours = math.ceil(seconds / 3600)
    return "1 hour" if hours == 1 else f"{hours} hours"


def buyers_waiting(store: Store) -> int:
    """How many of the store's conversations have a buyer waiting for an answer."""
    return Wait.objects.filter(conversation__store=store, outcome=Wait.Outcome.OPEN).count()


def used_quick_replies(store: Store, *, now: datetime | None = None) -> bool:
    """Whether the store sent a message from a quick reply in the last 30 days."""
    since = (now or timezone.now()) - QUICK_REPLY_RECENT
    return Message.objects.filter(
        conversation__store=store, quick_reply__isnull=False, created_at__gte=since
    ).exists()


def _figures(prompt: Prompt, subject: PageSubject, now: datetime) -> dict[str, str] | None:
    """The built-in's figures, or ``None`` when it must stay hidden (no data, slow, nobody)."""
    store = subject.store
    if prompt.code == "ask_store":
        median = median_first_response(store, now=now)
        limit = settings.ENGAGEMENT_RESPONSE_MAX_HOURS * 3600
        if median is None or median > limit:
            return None
        return {"response_time": response_time_label(median)}
    if prompt.code in {"buyers_waiting_inbox", "buyers_waiting_home"}:
        count = buyers_waiting(store)
        if not count:
            return None
        return {"waiting_buyers": f"{count} buyer{'s' if count != 1 else ''}"}
    if prompt.code == "quick_replies_tip":
        return None if used_quick_replies(store, now=now) else {}
    return {}


# --- Which prompts a person sees ---------------------------------------------------------------


def _role_fits(prompt: Prompt, store_ids: set[int]) -> bool:
    """Buyers are people with no store; sellers, members of at least one."""
    if prompt.audience == Audience.BUYERS:
        return not store_ids
    if prompt.audience == Audience.SELLERS:
        return bool(store_ids)
    return True


def _audience_fits(prompt: Prompt, user: User, store_ids: set[int], now: datetime) -> bool:
    if not _role_fits(prompt, store_ids):
        return False
    if prompt.joined_within_days is None:
        return True
    return user.date_joined >= now - timedelta(days=prompt.joined_within_days)


def _values(user: User, subject: PageSubject) -> dict[str, str]:
    store, product, order = subject.store, subject.product, subject.order
    values = {"first_name": user.get_short_name()}
    if store is not None:
        values.update(store=store.name, store_id=str(store.pk), store_slug=store.slug)
    if product is not None:
        values.update(product=product.title, product_id=str(product.pk))
    if order is not None:
        values.update(order_number=order.number, order_id=str(order.pk))
    return values


def _live(now: datetime) -> Q:
    return (
        Q(is_active=True)
        & (Q(starts_at__isnull=True) | Q(starts_at__lte=now))
        & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
    )


def prompts_for(
    user: User,
    placement: str,
    subject: PageSubject | None = None,
    *,
    now: datetime | None = None,
    limit: int = PROMPTS_PER_PLACEMENT,
) -> list[ShownPrompt]:
    """The prompts ``user`` sees at ``placement`` now, highest priority first.

    Rules, all of which must hold: live (switched on, started, not ended); the
    audience (role, account age, never messaged, buyers waiting); fewer than
    ``max_shows`` showings to this person in the last ``per_days`` days; never
    dismissed by them; a built-in's figure exists. Buyer placements show nothing
    to a member of the store the page is about (it is their own product or order).
    """
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    subject = subject or PageSubject()
    if subject.store is None and (subject.product or subject.order):
        subject = PageSubject(
            store=(subject.product or subject.order).store,
            product=subject.product,
            order=subject.order,
        )
    if placement != Placement.BUYER_MESSAGES and subject.store is None:
        return []  # every other placement is about a store's page
    store_ids = set(StoreMembership.objects.filter(user=user).values_list("store_id", flat=True))
    if placement in SELLER_PLACEMENTS and subject.store.pk not in store_ids:
        return []
    if placement not in SELLER_PLACEMENTS and subject.store and subject.store.pk in store_ids:
        return []
    if (
        placement == Placement.REVIEW_POSTED
        and not Review.objects.filter(
            author=user,
            product=subject.product,
            status=Review.Status.PUBLISHED,
            published_at__gte=now - REVIEW_POSTED_WINDOW,
        ).exists()
    ):
        return []
    candidates = [
        prompt
        for prompt in Prompt.objects.filter(_live(now), placement=placement).order_by(
            "-priority", "pk"
        )
        if _audience_fits(prompt, user, store_ids, now)
    ]
    if not candidates:
        return []
    history = _history(user, candidates, now)
    never_messaged = None
    shown: list[ShownPrompt] = []
    for prompt in candidates:
        if len(shown) == limit:
            break
        dismissed, recent_shows = history.get(prompt.pk, (False, 0))
        if dismissed or recent_shows >= prompt.max_shows:
            continue
        if prompt.only_never_messaged:
            if never_messaged is None:
                never_messaged = not Message.objects.filter(sender=user).exists()
            if not never_messaged:
                continue
        if prompt.only_with_buyers_waiting and not (
            subject.store and buyers_waiting(subject.store)
        ):
            continue
        figures = _figures(prompt, subject, now)
        if figures is None:
            continue
        shown.append(_filled(prompt, {**_values(user, subject), **figures}, subject))
    return shown


def _history(user: User, prompts: list[Prompt], now: datetime) -> dict[int, tuple[bool, int]]:
    """``{prompt_id: (dismissed ever, showings within its cap window)}`` in one query."""
    longest = max(prompt.per_days for prompt in prompts)
    rows = PromptEvent.objects.filter(
        Q(kind=PromptEvent.Kind.DISMISSED)
        | Q(kind=PromptEvent.Kind.SHOWN, at__gt=now - timedelta(days=longest)),
        user=user,
        prompt__in=prompts,
    ).values_list("prompt_id", "kind", "at")
    windows = {prompt.pk: now - timedelta(days=prompt.per_days) for prompt in prompts}
    history: dict[int, tuple[bool, int]] = {}
    for prompt_id, kind, at in rows:
        dismissed, shows = history.get(prompt_id, (False, 0))
        if kind == PromptEvent.Kind.DISMISSED:
            dismissed = True
        elif at > windows[prompt_id]:
            shows += 1
        history[prompt_id] = (dismissed, shows)
    return history


def _filled(prompt: Prompt, values: dict[str, str], subject: PageSubject) -> ShownPrompt:
    link_values = {
        name: quote(values[name], safe="")
        for name in placeholders.LINK_PLACEHOLDERS
        if name in values
    }
    return ShownPrompt(
        prompt=prompt,
        title=placeholders.fill(prompt.title, values),
        text=placeholders.fill(prompt.text, values),
        cta_label=placeholders.fill(prompt.cta_label, values),
        cta_link=placeholders.fill(prompt.cta_link, link_values),
        store_id=subject.store.pk if subject.store else None,
        product_id=subject.product.pk if subject.product else None,
    )


def live_prompt(user: User, pk: int, *, now: datetime | None = None) -> Prompt | None:
    """A prompt a signed-in person may click or dismiss, else ``None``.

    Live now (switched on, started, not ended) and for the person's role (buyers,
    sellers or anyone), as ``prompts_for`` requires before showing it: a posted id
    of a prompt the person could not have been shown is not counted in the
    office's figures. The cap is not checked: the last allowed showing can be clicked.
    """
    if not user.is_authenticated:
        return None
    now = now or timezone.now()
    prompt = Prompt.objects.filter(_live(now), pk=pk).first()
    if prompt is None:
        return None
    store_ids = set(StoreMembership.objects.filter(user=user).values_list("store_id", flat=True))
    return prompt if _role_fits(prompt, store_ids) else None


# --- Tutorials ---------------------------------------------------------------------------------


def tutorial_progress(user: User, tutorial: Tutorial) -> TutorialProgress | None:
    if not user.is_authenticated:
        return None
    return TutorialProgress.objects.filter(user=user, tutorial=tutorial.code).first()


def tour_page_store(user: User, tutorial: Tutorial) -> Store | None:
    """The store whose page a seller's tour plays on (their first store); None for buyers' tours."""
    return store_of_member(user) if tutorial.for_sellers else None


# --- The office ----------------------------------------------------------------------------


def office_prompts(user: User) -> QuerySet[Prompt]:
    """Every prompt, for office staff only (an empty list for anyone else)."""
    if not user.is_office_staff:
        return Prompt.objects.none()
    return Prompt.objects.order_by("placement", "-priority", "pk")


def office_prompt(user: User, pk: int) -> Prompt | None:
    return office_prompts(user).filter(pk=pk).first()


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def prompt_stats(user: User, *, since: datetime, until: datetime) -> list[dict]:
    """Per prompt over ``[since, until)``: shown, clicked, dismissed, followed and the rates.

    ``followed`` counts the clicks after which the clicker sent a message (any
    conversation) within ``FOLLOW_WINDOW``; the click-through rate is clicks per
    showing and the follow rate followed clicks per click. Three queries.
    """
    prompts = list(office_prompts(user))
    in_period = PromptEvent.objects.filter(at__gte=since, at__lt=until)
    counts: dict[tuple[int, str], int] = {
        (row["prompt_id"], row["kind"]): row["total"]
        for row in in_period.values("prompt_id", "kind").annotate(total=Count("pk"))
    }
    followed_message = Message.objects.filter(
        sender_id=OuterRef("user_id"),
        created_at__gt=OuterRef("at"),
        created_at__lte=OuterRef("at") + FOLLOW_WINDOW,
    )
    followed = dict(
        in_period.filter(kind=PromptEvent.Kind.CLICKED)
        .filter(Exists(followed_message))
        .values("prompt_id")
        .annotate(total=Count("pk"))
        .values_list("prompt_id", "total")
    )
    rows = []
    for prompt in prompts:
        shown = counts.get((prompt.pk, PromptEvent.Kind.SHOWN), 0)
        clicked = counts.get((prompt.pk, PromptEvent.Kind.CLICKED), 0)
        rows.append(
            {
                "prompt": prompt,
                "shown": shown,
                "clicked": clicked,
                "dismissed": counts.get((prompt.pk, PromptEvent.Kind.DISMISSED), 0),
                "followed": followed.get(prompt.pk, 0),
                "click_rate": _rate(clicked, shown),
                "follow_rate": _rate(followed.get(prompt.pk, 0), clicked),
            }
        )
    return rows


def tutorial_stats(user: User, *, since: datetime, until: datetime) -> list[dict]:
    """Per tour over ``[since, until)``: started, completed, skipped, the completion rate.

    Replays are the total over all time (each person's row keeps only a count).
    """
    if not user.is_office_staff:
        return []

    def between(field: str) -> Q:
        return Q(**{f"{field}__gte": since, f"{field}__lt": until})

    found = {
        row["tutorial"]: row
        for row in TutorialProgress.objects.values("tutorial").annotate(
            started=Count("pk", filter=between("started_at")),
            completed=Count("pk", filter=between("completed_at")),
            skipped=Count("pk", filter=between("skipped_at")),
            replays=Sum("replays"),
        )
    }
    rows = []
    for tutorial in TUTORIALS.values():
        row = found.get(tutorial.code, {})
        started, completed = row.get("started", 0), row.get("completed", 0)
        rows.append(
            {
                "tutorial": tutorial,
                "started": started,
                "completed": completed,
                "skipped": row.get("skipped", 0),
                "replays": row.get("replays", 0),
                "completion_rate": _rate(completed, started),
            }
        )
    return rows
