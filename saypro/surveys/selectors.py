"""Reads: who may be asked, closed conversations, open invitations, results and satisfaction.

Office reads (``office_surveys``, ``office_survey``, ``results``, ``comments``,
``export_rows``) take the acting person and refuse anyone but office staff;
a person's own reads (``invitation_for``, ``card_for``) return only their
invitations.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from saypro.academy.models import Enrolment
from saypro.accounts.models import User
from saypro.catalog.models import Order, StoreMembership
from saypro.core.errors import PermissionDenied
from saypro.messaging.models import Conversation, Message, Side, Wait
from saypro.reviews.models import Review
from saypro.surveys.models import Audience, Invitation, Kind, Response, Round, Survey
from saypro.surveys.scoring import Summary, sampled, summarize

# Why a person is not asked (``why_not_invited``); each one is a rule of docs/surveys.md.
NOT_LIVE = "survey_not_live"
NOT_ELIGIBLE = "not_eligible"
ALREADY_ASKED = "already_asked"
NOT_SAMPLED = "not_sampled"
OPEN_INVITATION = "open_invitation"
ASKED_RECENTLY = "asked_recently"

CARD_CACHE_SECONDS = 300


def _require_office(user: User) -> None:
    if not user.is_authenticated or not user.is_office_staff:
        raise PermissionDenied("Surveys are run by the marketplace office.")


# --- Who is asked ----------------------------------------------------------------------------


def live_surveys(trigger: str, now: datetime) -> list[Survey]:
    """Active surveys of ``trigger`` that have started and not ended, oldest first."""
    return list(
        Survey.objects.filter(trigger=trigger, is_active=True, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("pk")
    )


def is_seller(user: User) -> bool:
    return StoreMembership.objects.filter(user=user).exists()


def audience_includes(audience: str, *, seller: bool) -> bool:
    return audience == Audience.BOTH or (audience == Audience.SELLERS) == seller


def sample_key(survey: Survey, user_id: int, subject) -> str:
    """What sampling hashes: the survey, the person and the subject (stable across runs)."""
    return f"{survey.pk}:{user_id}:{subject._meta.label_lower}:{subject.pk}"


def is_sampled(survey: Survey, user_id: int, subject) -> bool:
    return sampled(sample_key(survey, user_id, subject), survey.sample_percent)


def why_not_invited(survey: Survey, user: User, subject, now: datetime) -> str | None:
    """The first rule that keeps ``user`` from being asked ``survey`` about ``subject``.

    None means they may be asked. The order is the cheapest first; the audience
    is the caller's (it depends on the trigger).
    """
    if not survey.is_live(now):
        return NOT_LIVE
    if not user.is_active or user.is_staff:
        return NOT_ELIGIBLE
    mine = Invitation.objects.filter(user=user)
    subject_type = ContentType.objects.get_for_model(subject)
    if mine.filter(survey=survey, subject_type=subject_type, subject_id=subject.pk).exists():
        return ALREADY_ASKED
    if not is_sampled(survey, user.pk, subject):
        return NOT_SAMPLED
    if mine.filter(
        answered_at__isnull=True, dismissed_at__isnull=True, expires_at__gt=now
    ).exists():
        return OPEN_INVITATION
    gap = timedelta(days=settings.SURVEYS_MIN_DAYS_BETWEEN)
    if gap and mine.filter(created_at__gt=now - gap).exists():
        return ASKED_RECENTLY
    return None


def active_people(*, start: datetime, end: datetime, audience: str) -> list[int]:
    """Ids of people active in ``[start, end)`` and in ``audience``, office staff left out.

    Active buyer: placed an order, sent a message to a store or wrote a review.
    Active seller: a member of a store that sold something (an order placed)
    or got a message from a buyer (the KPIs' "active seller").
    """
    ids: set[int] = set()
    if audience in (Audience.BUYERS, Audience.BOTH):
        ids.update(
            Order.objects.filter(placed_at__gte=start, placed_at__lt=end).values_list(
                "buyer_id", flat=True
            )
        )
        ids.update(
            Message.objects.filter(
                side=Side.BUYER, created_at__gte=start, created_at__lt=end
            ).values_list("sender_id", flat=True)
        )
        ids.update(
            Review.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
                "author_id", flat=True
            )
        )
    if audience in (Audience.SELLERS, Audience.BOTH):
        sold = Order.objects.filter(
            store=OuterRef("store"), placed_at__gte=start, placed_at__lt=end
        )
        asked = Message.objects.filter(
            conversation__store=OuterRef("store"),
            side=Side.BUYER,
            created_at__gte=start,
            created_at__lt=end,
        )
        ids.update(
            StoreMembership.objects.filter(Exists(sold) | Exists(asked)).values_list(
                "user_id", flat=True
            )
        )
    eligible = User.objects.filter(pk__in=ids, is_active=True, is_staff=False)
    return sorted(eligible.values_list("pk", flat=True))


# --- Closed conversations --------------------------------------------------------------------


def quiet_period() -> timedelta:
    return timedelta(hours=settings.SURVEYS_CONVERSATION_QUIET_HOURS)


def closed_at(conversation: Conversation, last_end: datetime, last_outcome: str) -> datetime:
    """When a settled conversation counts as closed (see ``closed_conversations``)."""
    if last_outcome == Wait.Outcome.NO_RESPONSE_NEEDED and last_end >= conversation.last_message_at:
        return last_end
    return conversation.last_message_at + quiet_period()


def closed_conversations(
    *, after: datetime, until: datetime
) -> list[tuple[Conversation, datetime]]:
    """Conversations that closed in ``(after, until]``, with when, oldest first.

    A conversation is **closed** when no buyer is waiting (no open wait), the
    store has dealt with the last thing the buyer asked (its latest wait ended,
    answered or marked "no response needed") and then either nothing was
    written for ``SURVEYS_CONVERSATION_QUIET_HOURS`` (closed that long after
    the last message) or the store marked "no response needed" after the last
    message (closed at that moment). A conversation nobody asked a store
    anything in (no wait ever) never closes. Writing again re-opens it; it can
    close again later.
    """
    quiet = quiet_period()
    latest = Wait.objects.filter(conversation=OuterRef("pk")).exclude(outcome=Wait.Outcome.OPEN)
    latest = latest.order_by("-ended_at", "-pk")
    candidates = (
        Conversation.objects.filter(due_at__isnull=True)
        .annotate(
            last_end=Subquery(latest.values("ended_at")[:1]),
            last_outcome=Subquery(latest.values("outcome")[:1]),
        )
        .filter(last_end__isnull=False)
        .filter(
            Q(last_message_at__gt=after - quiet, last_message_at__lte=until - quiet)
            | Q(
                last_outcome=Wait.Outcome.NO_RESPONSE_NEEDED,
                last_end__gt=after,
                last_end__lte=until,
            )
        )
        .select_related("buyer")
    )
    found = []
    for conversation in candidates:
        moment = closed_at(conversation, conversation.last_end, conversation.last_outcome)
        if after < moment <= until:
            found.append((conversation, moment))
    found.sort(key=lambda pair: (pair[1], pair[0].pk))
    return found


# --- A person's invitations ------------------------------------------------------------------


def invitation_for(user: User, token: str) -> Invitation | None:
    """The person's invitation with ``token`` (any state), or None: others' are not found."""
    if not user.is_authenticated:
        return None
    return Invitation.objects.select_related("survey").filter(user=user, token=token).first()


def subject_label(invitation: Invitation) -> str:
    """What the invitation is about, in the invitee's words (empty for other subjects).

    A subject model of another app names itself with a ``survey_label()`` method.
    """
    subject = invitation.subject
    if callable(getattr(subject, "survey_label", None)):
        return subject.survey_label()
    if isinstance(subject, Conversation):
        return f"About your conversation with {subject.store.name}"
    if isinstance(subject, Round):
        return "About your time on SayPro Marketplace lately"
    if isinstance(subject, Enrolment):
        return f"About the course “{subject.course.title}”"
    return ""


def open_invitations(user: User, now: datetime | None = None) -> QuerySet[Invitation]:
    now = now or timezone.now()
    return (
        Invitation.objects.select_related("survey", "subject_type")
        .filter(user=user, answered_at__isnull=True, dismissed_at__isnull=True)
        .filter(expires_at__gt=now)
        .order_by("created_at")
    )


def card_cache_key(user_id: int) -> str:
    return f"surveys:card:{user_id}"


def card_for(user: User, now: datetime | None = None) -> dict | None:
    """The person's open invitation as the card shows it, or None; cached per person.

    Services forget the cached value after every change of the person's
    invitations (``services._forget_card``), so the card costs no query on
    most pages. An invitation made by a worker process appears once the
    cached "nothing" expires (``CARD_CACHE_SECONDS``) when the cache is not
    shared (single-process mode).
    """
    now = now or timezone.now()
    key = card_cache_key(user.pk)
    card = cache.get(key)
    if card is None:
        invitation = open_invitations(user, now).first()
        card = {"invitation": None}
        if invitation is not None:
            card["invitation"] = {
                "id": invitation.pk,
                "token": invitation.token,
                "question": invitation.survey.question,
                "about": subject_label(invitation),
                "trigger": invitation.survey.trigger,
                "subject_model": invitation.subject_type.model,
                "subject_id": invitation.subject_id,
                "expires_at": invitation.expires_at,
                "shown": invitation.shown_at is not None,
            }
        cache.set(key, card, CARD_CACHE_SECONDS)
    found = card["invitation"]
    if found is None or found["expires_at"] <= now:
        return None
    return found


# --- Office: surveys and results -------------------------------------------------------------


def office_surveys(user: User) -> list[Survey]:
    """Every survey, active first, with ``invitation_count``, ``response_count`` and
    ``response_rate`` (answered ÷ invited, None before anyone was asked)."""
    _require_office(user)
    # Counted per table: one query joining both would count invitations × responses rows.
    invited = _count_by_survey(Invitation.objects.all())
    answered = _count_by_survey(Response.objects.all())
    surveys = list(Survey.objects.order_by("-is_active", "-created_at", "-pk"))
    for survey in surveys:
        survey.invitation_count = invited.get(survey.pk, 0)
        survey.response_count = answered.get(survey.pk, 0)
        survey.response_rate = (
            survey.response_count / survey.invitation_count if survey.invitation_count else None
        )
    return surveys


def _count_by_survey(rows: QuerySet) -> dict[int, int]:
    return dict(rows.order_by().values_list("survey_id").annotate(count=Count("pk")))


def office_survey(user: User, pk: int) -> Survey | None:
    _require_office(user)
    return (
        Survey.objects.select_related("created_by")
        .annotate(invitation_count=Count("invitations"))
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Bucket:
    start: date
    end: date  # the last day included
    summary: Summary


@dataclass(frozen=True)
class Results:
    survey: Survey
    start: datetime
    end: datetime
    invited: int
    answered: int
    dismissed: int
    expired: int
    still_open: int
    response_rate: float | None
    summary: Summary
    buckets: list[Bucket]
    bucket: str


def _responses(survey: Survey, start: datetime, end: datetime) -> QuerySet[Response]:
    return Response.objects.filter(survey=survey, created_at__gte=start, created_at__lt=end)


def _bucket_start(moment: datetime, bucket: str) -> date:
    day = timezone.localtime(moment).date()
    if bucket == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def _next_bucket(start: date, bucket: str) -> date:
    if bucket == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7)


def results(
    user: User, survey: Survey, *, start: datetime, end: datetime, bucket: str = "week"
) -> Results:
    """The survey's figures for ``[start, end)``, and the same per week or month.

    Invitations are counted by when they were sent, responses by when they
    were given. The response rate is answered ÷ sent of the invitations sent
    in the period (those still open count as not answered yet).
    """
    _require_office(user)
    if bucket not in ("week", "month"):
        raise ValueError(f"Results are grouped by week or month, not {bucket!r}.")
    now = timezone.now()
    invitations = Invitation.objects.filter(
        survey=survey, created_at__gte=start, created_at__lt=end
    ).aggregate(
        invited=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        dismissed=Count("pk", filter=Q(answered_at__isnull=True, dismissed_at__isnull=False)),
        expired=Count(
            "pk",
            filter=Q(answered_at__isnull=True, dismissed_at__isnull=True, expires_at__lte=now),
        ),
    )
    scores = list(_responses(survey, start, end).values_list("created_at", "score"))
    per_bucket: dict[date, Counter] = {}
    first = _bucket_start(start, bucket)
    last = _bucket_start(end - timedelta(microseconds=1), bucket)
    day = first
    while day <= last:
        per_bucket[day] = Counter()
        day = _next_bucket(day, bucket)
    for created_at, score in scores:
        per_bucket[_bucket_start(created_at, bucket)][score] += 1
    buckets = [
        Bucket(
            start=day,
            end=_next_bucket(day, bucket) - timedelta(days=1),
            summary=summarize(survey.kind, counts),
        )
        for day, counts in per_bucket.items()
    ]
    invited, answered = invitations["invited"], invitations["answered"]
    return Results(
        survey=survey,
        start=start,
        end=end,
        invited=invited,
        answered=answered,
        dismissed=invitations["dismissed"],
        expired=invitations["expired"],
        still_open=invited - answered - invitations["dismissed"] - invitations["expired"],
        response_rate=answered / invited if invited else None,
        summary=summarize(survey.kind, Counter(score for _, score in scores)),
        buckets=buckets,
        bucket=bucket,
    )


def comments(
    user: User, survey: Survey, *, start: datetime, end: datetime, sentiment: str | None = None
) -> QuerySet[Response]:
    """Responses with a comment in ``[start, end)``, newest first, of one sentiment if given."""
    _require_office(user)
    rows = _responses(survey, start, end).exclude(comment="")
    if sentiment:
        rows = rows.filter(sentiment=sentiment)
    return rows.select_related("survey").order_by("-created_at", "-pk")


def export_rows(
    user: User, survey: Survey, *, start: datetime, end: datetime, sentiment: str | None = None
) -> QuerySet[Response]:
    """Every response in ``[start, end)`` (of one comment sentiment if given), oldest first."""
    _require_office(user)
    rows = _responses(survey, start, end)
    if sentiment:
        rows = rows.filter(sentiment=sentiment)
    return rows.select_related("survey", "invitation__subject_type").order_by("created_at", "pk")


# --- For the KPIs ----------------------------------------------------------------------------


def satisfaction(
    *,
    start: datetime,
    end: datetime,
    trigger: str | None = None,
    survey: Survey | None = None,
) -> dict:
    """Satisfaction in ``[start, end)`` (by when people answered), of one survey or trigger.

    ``{"responses", "satisfied", "satisfied_share", "average", "nps"}``:
    ``satisfied_share`` counts 4–5 of 5 and 9–10 of 10 as satisfied across
    every survey included; ``average`` is the mean of the 1–5 ratings only and
    ``nps`` is computed from the 0–10 answers only (each None without such
    answers). Give exactly one of ``trigger`` and ``survey``.
    """
    if (trigger is None) == (survey is None):
        raise ValueError("Give a trigger or a survey.")
    rows = Response.objects.filter(created_at__gte=start, created_at__lt=end)
    rows = (
        rows.filter(survey=survey) if survey is not None else rows.filter(survey__trigger=trigger)
    )
    counts: dict[str, Counter] = {Kind.RATING_5: Counter(), Kind.NPS_11: Counter()}
    for kind, score, total in (
        rows.values("survey__kind", "score")
        .annotate(total=Count("pk"))
        .values_list("survey__kind", "score", "total")
    ):
        counts[kind][score] += total
    rating, nps = (
        summarize(Kind.RATING_5, counts[Kind.RATING_5]),
        summarize(Kind.NPS_11, counts[Kind.NPS_11]),
    )
    responses = rating.responses + nps.responses
    satisfied = rating.satisfied + nps.satisfied
    return {
        "responses": responses,
        "satisfied": satisfied,
        "satisfied_share": satisfied / responses if responses else None,
        "average": rating.average,
        "nps": nps.nps,
    }
