"""Every write of surveys: the office's surveys, invitations, answers and their analysis.

``invite`` is the public entry point for any trigger: the academy (courses,
webinars, consultations) will add its trigger values to ``models.Trigger``
and call ``invite(trigger=…, user=…, subject=…)`` when something ends. The
periodic tasks call ``invite_after_closed_conversations`` (messaging
satisfaction) and ``run_periodic_rounds`` (platform satisfaction).

Who is asked (``invite_to``), in this order: the survey is live; the person
is an active, non-office account; they were never asked this survey about
this subject; the deterministic sample picks them; they have no open
invitation; and their last invitation (any survey) is at least
``SURVEYS_MIN_DAYS_BETWEEN`` days old. The checks and the insert run under a
lock on the person's row, so two triggers firing at once cannot both ask them.
"""

import dataclasses
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from saypro.accounts.models import User
from saypro.core.effects import enqueue_on_commit
from saypro.core.errors import (
    ApplicationError,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from saypro.insights.analysis import analyze
from saypro.surveys import selectors, tasks
from saypro.surveys.models import (
    COMMENT_MAX_LENGTH,
    PROMPT_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Audience,
    Invitation,
    Kind,
    Response,
    Round,
    Survey,
    Trigger,
    TriggerCheck,
)

# The first run of the closed-conversation check looks this far back.
FIRST_CHECK_LOOKBACK = timedelta(days=2)
PERIOD_DAYS = (7, 365)
LOCKED_ONCE_ASKED = ("question", "kind", "trigger")


class InvitationClosed(ApplicationError):
    """The invitation expired or was dismissed: it can no longer be answered."""

    status = 410
    code = "invitation_closed"


def _forget_card(user_id: int) -> None:
    """The person's cached card is stale: forget it now and again after commit.

    Again, because a page rendered while this transaction is open may cache
    the state from before it.
    """
    key = selectors.card_cache_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


# --- Surveys (office) ------------------------------------------------------------------------


def _require_office(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_office_staff:
        raise PermissionDenied("Only marketplace office staff manage surveys.")


def _text(value: str | None, *, field: str, label: str, max_length: int, required: bool) -> str:
    text = " ".join((value or "").replace("\x00", "").split())
    if required and not text:
        raise ValidationFailed(f"{label} cannot be empty.", details={"field": field})
    if len(text) > max_length:
        raise ValidationFailed(
            f"{label} can be at most {max_length} characters (this is {len(text)}).",
            details={"field": field},
        )
    return text


@dataclasses.dataclass(frozen=True)
class SurveyFields:
    """Everything the office sets on a survey (``create_survey``, ``update_survey``)."""

    title: str
    question: str
    kind: str
    comment_prompt: str
    trigger: str
    audience: str
    sample_percent: int
    period_days: int | None
    is_active: bool
    starts_at: datetime
    ends_at: datetime | None

    @classmethod
    def of(cls, survey: Survey) -> "SurveyFields":
        return cls(**{field.name: getattr(survey, field.name) for field in dataclasses.fields(cls)})


# A survey's start and end lie in this century: a moment far outside overflows the time zone
# arithmetic of the database (a 500) and is a typing slip in any case.
EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_MOMENT = datetime(2100, 1, 1, tzinfo=UTC)


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _clean_survey(given: SurveyFields) -> SurveyFields:
    """The fields checked and normalised; ValidationFailed names the field at fault."""
    title = _text(
        given.title, field="title", label="The title", max_length=TITLE_MAX_LENGTH, required=True
    )
    question = _text(
        given.question,
        field="question",
        label="The question",
        max_length=QUESTION_MAX_LENGTH,
        required=True,
    )
    comment_prompt = _text(
        given.comment_prompt,
        field="comment_prompt",
        label="The comment prompt",
        max_length=PROMPT_MAX_LENGTH,
        required=False,
    )
    for name, choices, label in (
        ("kind", Kind, "kind of answer"),
        ("trigger", Trigger, "trigger"),
        ("audience", Audience, "audience"),
    ):
        if getattr(given, name) not in choices.values:
            raise ValidationFailed(
                f"Choose a {label}: {', '.join(choices.values)}.", details={"field": name}
            )
    if not _whole(given.sample_percent, 1, 100):
        raise ValidationFailed(
            "The sample is a whole percentage from 1 to 100.", details={"field": "sample_percent"}
        )
    if given.trigger == Trigger.CONVERSATION_CLOSED and given.audience == Audience.SELLERS:
        raise ValidationFailed(
            "After a conversation closes the buyer is asked: choose buyers as the audience.",
            details={"field": "audience"},
        )
    period_days = None
    if given.trigger == Trigger.PERIODIC:
        if not _whole(given.period_days, *PERIOD_DAYS):
            raise ValidationFailed(
                f"A periodic survey runs a round every {PERIOD_DAYS[0]} to {PERIOD_DAYS[1]} days.",
                details={"field": "period_days"},
            )
        period_days = given.period_days
    if not isinstance(given.starts_at, datetime):
        raise ValidationFailed("Give the moment the survey starts.", details={"field": "starts_at"})
    for name in ("starts_at", "ends_at"):
        moment = getattr(given, name)
        if moment is None:
            continue
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if not EARLIEST_MOMENT <= moment < LATEST_MOMENT:
            raise ValidationFailed(
                "Choose a moment from 2000 to 2099 (the marketplace's time zone).",
                details={"field": name},
            )
    if given.ends_at is not None and given.ends_at <= given.starts_at:
        raise ValidationFailed("The survey must end after it starts.", details={"field": "ends_at"})
    return dataclasses.replace(
        given,
        title=title,
        question=question,
        comment_prompt=comment_prompt,
        period_days=period_days,
        is_active=bool(given.is_active),
    )


@transaction.atomic
def create_survey(*, actor: User, fields: SurveyFields, now: datetime | None = None) -> Survey:
    """A new survey from the office."""
    _require_office(actor)
    now = now or timezone.now()
    cleaned = dataclasses.asdict(_clean_survey(fields))
    return Survey.objects.create(**cleaned, created_by=actor, created_at=now, updated_at=now)


@transaction.atomic
def create_follow_up_survey(
    *,
    actor: User,
    trigger: str,
    title: str,
    question: str,
    comment_prompt: str,
    now: datetime | None = None,
) -> Survey | None:
    """An active 1–5 survey with a comment, asked of every seller after each ``trigger`` event
    (a course completed, a webinar attended, a consultation held) from ``now`` on; None when
    a survey for that trigger exists already (the office's, active or not, is left as it is)."""
    _require_office(actor)
    if Survey.objects.filter(trigger=trigger).exists():
        return None
    now = now or timezone.now()
    fields = SurveyFields(
        title=title,
        question=question,
        kind=Kind.RATING_5,
        comment_prompt=comment_prompt,
        trigger=trigger,
        audience=Audience.SELLERS,
        sample_percent=100,
        period_days=None,
        is_active=True,
        starts_at=now,
        ends_at=None,
    )
    return create_survey(actor=actor, fields=fields, now=now)


@transaction.atomic
def update_survey(
    *, actor: User, survey: Survey, fields: SurveyFields, now: datetime | None = None
) -> Survey:
    """Change a survey; once anyone was asked, its question, kind and trigger stay as they are.

    (Answers to another question, on another scale, would not add up.)
    """
    _require_office(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    current = SurveyFields.of(survey)
    cleaned = _clean_survey(fields)
    if Invitation.objects.filter(survey=survey).exists():
        for name in LOCKED_ONCE_ASKED:
            if getattr(cleaned, name) != getattr(current, name):
                raise ValidationFailed(
                    "People were already asked this survey, so its question, kind and trigger "
                    "stay as they are: make a new survey instead.",
                    details={"field": name},
                )
    for name, value in dataclasses.asdict(cleaned).items():
        setattr(survey, name, value)
    survey.updated_at = now or timezone.now()
    survey.save()
    return survey


# --- Invitations -----------------------------------------------------------------------------


def invite(
    *, trigger: str, user: User, subject: models.Model, now: datetime | None = None
) -> Invitation | None:
    """Ask ``user`` about ``subject`` with the first live survey of ``trigger`` that may.

    The person's role for the audience: the buyer after a conversation
    closed; otherwise a seller when they belong to a store, else a buyer.
    Returns the invitation, or None when every survey's rules say no.
    """
    now = now or timezone.now()
    Trigger(trigger)  # an unknown trigger is a programming error
    seller = trigger != Trigger.CONVERSATION_CLOSED and selectors.is_seller(user)
    for survey in selectors.live_surveys(trigger, now):
        if not selectors.audience_includes(survey.audience, seller=seller):
            continue
        invitation = invite_to(survey=survey, user=user, subject=subject, now=now)
        if invitation is not None:
            return invitation
    return None


@transaction.atomic
def invite_to(
    *, survey: Survey, user: User, subject: models.Model, now: datetime | None = None
) -> Invitation | None:
    """Ask ``user`` ``survey`` about ``subject`` if every rule allows; the invitation or None.

    Locks the person's row first, so the caps hold under concurrent triggers.
    """
    now = now or timezone.now()
    User.objects.select_for_update().filter(pk=user.pk).first()
    if selectors.why_not_invited(survey, user, subject, now) is not None:
        return None
    invitation = Invitation.objects.create(
        survey=survey,
        user=user,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        created_at=now,
        expires_at=now + timedelta(days=settings.SURVEYS_INVITATION_DAYS),
    )
    _forget_card(user.pk)
    return invitation


@transaction.atomic
def invite_after_closed_conversations(*, now: datetime | None = None) -> int:
    """Invite the buyers of conversations closed since the last check; how many were asked.

    The check's progress (``TriggerCheck``) is locked and moved to ``now`` in
    the same transaction, so each closing is looked at once, even when two
    workers run the task at the same time.
    """
    now = now or timezone.now()
    check, _ = TriggerCheck.objects.get_or_create(
        trigger=Trigger.CONVERSATION_CLOSED,
        defaults={"checked_until": now - FIRST_CHECK_LOOKBACK},
    )
    check = TriggerCheck.objects.select_for_update().get(pk=check.pk)
    invited = 0
    if check.checked_until < now:
        closed = selectors.closed_conversations(after=check.checked_until, until=now)
        for conversation, _ in closed:
            asked = invite(
                trigger=Trigger.CONVERSATION_CLOSED,
                user=conversation.buyer,
                subject=conversation,
                now=now,
            )
            invited += asked is not None
        check.checked_until = now
        check.save(update_fields=["checked_until"])
    return invited


def run_periodic_rounds(*, now: datetime | None = None) -> int:
    """Start the rounds of periodic surveys that are due; how many people were asked.

    A survey is due when it has no round yet, or its last round started
    ``period_days`` ago or more. A round invites a sampled share of the people
    active in the ``period_days`` before it (``selectors.active_people``).
    Each survey's round is its own transaction.
    """
    now = now or timezone.now()
    invited = 0
    for survey in selectors.live_surveys(Trigger.PERIODIC, now):
        with transaction.atomic():
            survey = Survey.objects.select_for_update().get(pk=survey.pk)
            period = timedelta(days=survey.period_days)
            last = Round.objects.filter(survey=survey).order_by("-created_at").first()
            if last is not None and last.created_at > now - period:
                continue
            round_ = Round.objects.create(
                survey=survey, period_start=now - period, period_end=now, created_at=now
            )
            people = selectors.active_people(
                start=round_.period_start, end=round_.period_end, audience=survey.audience
            )
            picked = [
                user_id for user_id in people if selectors.is_sampled(survey, user_id, round_)
            ]
            for user in User.objects.filter(pk__in=picked).order_by("pk"):
                invited += invite_to(survey=survey, user=user, subject=round_, now=now) is not None
    return invited


def _own(invitation: Invitation, user: User) -> Invitation:
    """The invitation, locked, if it is ``user``'s; NotFound for anyone else."""
    if not user.is_authenticated or invitation.user_id != user.pk:
        raise NotFound("Survey not found.")
    return Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)


@transaction.atomic
def mark_shown(*, invitation_id: int, user: User, now: datetime | None = None) -> bool:
    """The person saw their invitation (its card or page) for the first time; idempotent.

    One conditional update: someone else's invitation, or one already shown,
    is left alone. Whether this call marked it.
    """
    marked = Invitation.objects.filter(
        pk=invitation_id, user_id=user.pk, shown_at__isnull=True
    ).update(shown_at=now or timezone.now())
    if marked:
        _forget_card(user.pk)
    return bool(marked)


@transaction.atomic
def dismiss(*, invitation: Invitation, user: User, now: datetime | None = None) -> Invitation:
    """ "Not now": the invitation is closed without an answer (idempotent)."""
    invitation = _own(invitation, user)
    if invitation.answered_at is not None:
        raise Conflict("You already answered this survey.", code="already_answered")
    if invitation.dismissed_at is None:
        invitation.dismissed_at = now or timezone.now()
        invitation.save(update_fields=["dismissed_at"])
        _forget_card(user.pk)
    return invitation


@transaction.atomic
def answer(
    *,
    invitation: Invitation,
    user: User,
    score: int | None,
    comment: str = "",
    now: datetime | None = None,
) -> Response:
    """Record the person's one answer; the comment's sentiment is found by a task after commit.

    Refusals change nothing: someone else's invitation (404), answered
    already (409), expired or dismissed (410), a score off the scale or a
    comment too long (400).
    """
    now = now or timezone.now()
    invitation = _own(invitation, user)
    survey = invitation.survey
    if invitation.answered_at is not None:
        raise Conflict("You already answered this survey. Thank you!", code="already_answered")
    if invitation.dismissed_at is not None:
        raise InvitationClosed("You chose not to answer this survey, so it is closed.")
    if now >= invitation.expires_at:
        raise InvitationClosed(
            f"This survey closed on {timezone.localtime(invitation.expires_at):%-d %B %Y}. "
            "Thank you for looking anyway."
        )
    if isinstance(score, bool) or not isinstance(score, int) or score not in survey.scores:
        scale = survey.scores
        raise ValidationFailed(
            f"Choose a score from {scale[0]} to {scale[-1]}.", details={"field": "score"}
        )
    comment = (comment or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if comment and not survey.comment_prompt:
        raise ValidationFailed("This survey takes no comment.", details={"field": "comment"})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            f"A comment can be at most {COMMENT_MAX_LENGTH:,} characters "
            f"(this is {len(comment):,}).",
            details={"field": "comment"},
        )
    response = Response.objects.create(
        invitation=invitation, survey=survey, score=score, comment=comment, created_at=now
    )
    invitation.answered_at = now
    invitation.shown_at = invitation.shown_at or now
    invitation.save(update_fields=["answered_at", "shown_at"])
    if comment:
        enqueue_on_commit(tasks.analyze_response, response.pk)
    _forget_card(user.pk)
    return response


# --- Sentiment of comments -------------------------------------------------------------------


def analyze_responses(response_ids: list[int] | None = None, *, limit: int = 500) -> int:
    """Fill the sentiment of comments not analysed yet (these, or the oldest ``limit``).

    Safe to retry: only rows still without an analysis are written.
    """
    rows = Response.objects.filter(analyzed_at__isnull=True).exclude(comment="")
    if response_ids is not None:
        rows = rows.filter(pk__in=response_ids)
    rows = list(rows.order_by("pk")[:limit])
    if not rows:
        return 0
    analyses = analyze([row.comment for row in rows], with_key_phrases=False)
    now = timezone.now()
    for row, analysis in zip(rows, analyses, strict=True):
        row.sentiment = analysis.sentiment
        row.probabilities = {label: round(p, 4) for label, p in analysis.probabilities.items()}
        row.analyzed_at = now
    with transaction.atomic():
        Response.objects.bulk_update(rows, ["sentiment", "probabilities", "analyzed_at"])
    return len(rows)
