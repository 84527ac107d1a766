"""Demo surveys: messaging satisfaction after closed conversations, platform NPS rounds.

Runs after the demo conversations (``saypro.messaging.demo``). It replays the
nine months of the demo marketplace through the real rules: every
conversation that closed (``selectors.closed_conversations``) and every
periodic round is passed, in time order, to ``services.invite_to`` /
``services.run_periodic_rounds`` with the moment it happened, so sampling,
the 30-day gap and "never twice about the same subject" hold in the demo as
they do live. Then people answer (this module is the seeding service for
answers, the one place besides ``services`` that writes them):

- About 40 % of messaging invitations are answered, most within two days; a
  few are declined with "no thanks"; recent ones are still open. The score
  follows how fast the store first answered (within the hour: mostly 5;
  within the goal: 4–5; late: 1–3; "no response needed": 4–5), and
  satisfaction edges up over the months, as the stores got faster.
- About a third of platform invitations are answered, on the 0–10 scale:
  more promoters among buyers than sellers, improving each round.
- A little over half of the answers have a comment, composed from phrases
  about what happened (speed, the store's name, what was asked), so no two
  read alike; their sentiment is read by ``services.analyze_responses``, the
  task's own code.
- The demo buyer gets an open messaging survey about their latest closed
  conversation (the card on Messages), when they have one.

Idempotent: when the demo surveys exist it writes nothing.
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.demo import ACCOUNTS, DEFAULT_SEED, ORDER_WINDOW_DAYS
from saypro.catalog.models import StoreMembership
from saypro.core.progress import ProgressFactory, no_progress
from saypro.messaging.models import Conversation
from saypro.surveys import demo_vocabulary as words
from saypro.surveys import selectors, services
from saypro.surveys.models import (
    SATISFIED_FROM,
    Audience,
    Invitation,
    Kind,
    Response,
    Survey,
    Trigger,
)

MESSAGING_TITLE = "Messaging satisfaction"
PLATFORM_TITLE = "Platform satisfaction (NPS)"
SELLER_TITLE = "Seller Center usefulness"
PLATFORM_PERIOD_DAYS = 91
# Rounds this many days ago: the last one recent enough that answers are still coming in.
ROUND_DAYS_AGO = (187, 96, 5)
ANSWER_SHARE = {Trigger.CONVERSATION_CLOSED: 0.42, Trigger.PERIODIC: 0.34}
DECLINE_SHARE = 0.08
COMMENT_SHARE = 0.58
HOUR = 3600


def _stream(seed: int, name: str) -> random.Random:
    return random.Random(f"{seed}:surveys:{name}")


# --- Scores ----------------------------------------------------------------------------------

# Weights of 1..5 by how the store first answered.
RATING_WEIGHTS = {
    "fast": (1, 1, 4, 24, 70),
    "on_time": (2, 4, 14, 44, 36),
    "late": (22, 30, 28, 14, 6),
    "no_response": (1, 3, 12, 40, 44),
}


def _speed(first_response_seconds: int | None, goal_seconds: int) -> str:
    if first_response_seconds is None:
        return "no_response"
    if first_response_seconds <= HOUR:
        return "fast"
    return "on_time" if first_response_seconds <= goal_seconds else "late"


def _rating(rng: random.Random, speed: str, progress: float) -> int:
    weights = list(RATING_WEIGHTS[speed])
    weights[3] *= 1 + 0.25 * progress  # satisfaction edges up over the months
    weights[4] *= 1 + 0.35 * progress
    return rng.choices(range(1, 6), weights=weights)[0]


def _nps(rng: random.Random, seller: bool, progress: float) -> int:
    promoters = (0.36 if seller else 0.46) + 0.08 * progress
    detractors = (0.26 if seller else 0.2) - 0.06 * progress
    group = rng.random()
    if group < promoters:
        return rng.choice((9, 9, 10))
    if group < promoters + detractors:
        return rng.choice((2, 3, 4, 5, 5, 6, 6, 6))
    return rng.choice((7, 8, 8))


# --- Comments --------------------------------------------------------------------------------


def _when(seconds: int | None) -> str:
    if seconds is None or seconds < HOUR:
        return "minutes"
    hours = round(seconds / HOUR)
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = round(hours / 24)
    return f"{days} day{'s' if days != 1 else ''}"


def _group(kind: str, score: int) -> str:
    if score >= SATISFIED_FROM[kind]:
        return "high"
    low_until = 2 if kind == Kind.RATING_5 else 6
    return "low" if score <= low_until else "middle"


def _comment(rng: random.Random, parts: words.Parts, **slots: str) -> str:
    """A detail, sometimes a second one, an opener or a closer, slots filled: answers differ."""
    first, second = rng.sample(parts.details, 2)
    pieces = [first]
    if rng.random() < 0.3:
        pieces.append(second)
    if rng.random() < 0.45:
        pieces.insert(0, rng.choice(parts.openers))
    if rng.random() < 0.4:
        pieces.append(rng.choice(parts.closers))
    return " ".join(pieces).format(**slots)


# --- Loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveysReport:
    created: bool
    surveys: int
    invitations: int
    responses: int
    comments: int
    satisfied_share: float | None  # messaging satisfaction, 4–5 of 5
    nps: int | None  # platform, across every round
    seconds: float


def _report(created: bool, started: float, now: datetime) -> SurveysReport:
    messaging = Survey.objects.filter(title=MESSAGING_TITLE).first()
    platform = Survey.objects.filter(title=PLATFORM_TITLE).first()
    since = now - timedelta(days=ORDER_WINDOW_DAYS + 30)
    return SurveysReport(
        created=created,
        surveys=Survey.objects.count(),
        invitations=Invitation.objects.count(),
        responses=Response.objects.count(),
        comments=Response.objects.exclude(comment="").count(),
        satisfied_share=selectors.satisfaction(survey=messaging, start=since, end=now)[
            "satisfied_share"
        ]
        if messaging
        else None,
        nps=selectors.satisfaction(survey=platform, start=since, end=now)["nps"]
        if platform
        else None,
        seconds=time.monotonic() - started,
    )


def _surveys(creator: User | None, start: datetime) -> tuple[Survey, Survey]:
    messaging = Survey.objects.create(
        title=MESSAGING_TITLE,
        question="How satisfied are you with the store's answers to your questions?",
        kind=Kind.RATING_5,
        comment_prompt="What could the store have done better?",
        trigger=Trigger.CONVERSATION_CLOSED,
        audience=Audience.BUYERS,
        sample_percent=45,
        starts_at=start,
        created_by=creator,
        created_at=start,
        updated_at=start,
    )
    platform = Survey.objects.create(
        title=PLATFORM_TITLE,
        question="How likely are you to recommend SayPro Marketplace to a friend?",
        kind=Kind.NPS_11,
        comment_prompt="What is the one thing we should improve?",
        trigger=Trigger.PERIODIC,
        audience=Audience.BOTH,
        sample_percent=30,
        period_days=PLATFORM_PERIOD_DAYS,
        starts_at=start,
        created_by=creator,
        created_at=start,
        updated_at=start,
    )
    Survey.objects.create(
        title=SELLER_TITLE,
        question="How useful is the Seller Center for running your store?",
        kind=Kind.RATING_5,
        comment_prompt="Which tool would you add or change?",
        trigger=Trigger.PERIODIC,
        audience=Audience.SELLERS,
        sample_percent=50,
        period_days=182,
        is_active=False,
        starts_at=start,
        created_by=creator,
        created_at=start,
        updated_at=start,
    )
    return messaging, platform


def _invite_history(now: datetime, start: datetime, progress: ProgressFactory) -> None:
    """Every closing and round since ``start``, in time order, through the real services."""
    closings = selectors.closed_conversations(after=start, until=now)
    rounds = [now - timedelta(days=days) for days in ROUND_DAYS_AGO]
    events = sorted(
        [(moment, 0, conversation) for conversation, moment in closings]
        + [(moment, 1, None) for moment in rounds],
        key=lambda event: (event[0], event[1], event[2].pk if event[2] else 0),
    )
    bar = progress("invitations", len(events))
    for moment, _, conversation in events:
        if conversation is None:
            services.run_periodic_rounds(now=moment)
        else:
            services.invite(
                trigger=Trigger.CONVERSATION_CLOSED,
                user=conversation.buyer,
                subject=conversation,
                now=moment,
            )
        bar.update()
    bar.close()


def _demo_buyer_invitation(messaging: Survey, now: datetime) -> None:
    """The demo buyer sees the card: about their latest closed conversation not asked about yet.

    Written directly (the demo's one exception to the rules): the sample or
    the 30-day gap might otherwise leave the demo login without a card.
    """
    buyer = User.objects.filter(email=ACCOUNTS["buyer"].email).first()
    if buyer is None or selectors.open_invitations(buyer, now).exists():
        return
    asked = set(
        Invitation.objects.filter(survey=messaging, user=buyer).values_list("subject_id", flat=True)
    )
    closings = [
        (conversation, moment)
        for conversation, moment in selectors.closed_conversations(
            after=now - timedelta(days=ORDER_WINDOW_DAYS), until=now
        )
        if conversation.buyer_id == buyer.pk and conversation.pk not in asked
    ]
    if not closings:
        return
    conversation, moment = closings[-1]
    Invitation.objects.create(
        survey=messaging,
        user=buyer,
        subject_type=ContentType.objects.get_for_model(conversation),
        subject_id=conversation.pk,
        created_at=max(moment, now - timedelta(days=2)),
        expires_at=now + timedelta(days=12),
    )


def _answer(seed: int, now: datetime, start: datetime, goal_seconds: int) -> None:
    """Answers, declines and comments for the invitations, as people would have given them."""
    rng = _stream(seed, "answers")
    sellers = set(StoreMembership.objects.values_list("user_id", flat=True))
    invitations = list(
        Invitation.objects.select_related("survey", "subject_type").order_by("created_at", "pk")
    )
    conversations = {
        conversation.pk: conversation
        for conversation in Conversation.objects.filter(
            pk__in=[
                i.subject_id for i in invitations if i.survey.trigger == Trigger.CONVERSATION_CLOSED
            ]
        ).select_related("store", "product")
    }
    span = (now - start).total_seconds()
    responses, answered, seen = [], [], []
    for invitation in invitations:
        survey = invitation.survey
        delay = timedelta(hours=rng.lognormvariate(2.6, 1.2))  # median about half a day
        moment = invitation.created_at + delay
        if moment >= min(now, invitation.expires_at):
            continue  # not answered (yet)
        roll = rng.random()
        if roll < DECLINE_SHARE:
            invitation.dismissed_at = moment
            invitation.shown_at = invitation.created_at + delay / 2
            seen.append(invitation)
            continue
        if roll > DECLINE_SHARE + ANSWER_SHARE[survey.trigger]:
            if rng.random() < 0.6:
                invitation.shown_at = invitation.created_at + delay / 2
                seen.append(invitation)  # seen, never answered
            continue
        progress = (moment - start).total_seconds() / span
        if survey.trigger == Trigger.CONVERSATION_CLOSED:
            conversation = conversations[invitation.subject_id]
            seconds = conversation.first_response_seconds
            score = _rating(rng, _speed(seconds, goal_seconds), progress)
            parts = words.MESSAGING[_group(survey.kind, score)]
            slots = {
                "store": conversation.store.name,
                "when": _when(seconds),
                "city": rng.choice(words.CITIES),
                "item": conversation.product.title if conversation.product_id else "my order",
            }
        else:
            seller = invitation.user_id in sellers
            score = _nps(rng, seller, progress)
            parts = words.PLATFORM["seller" if seller else "buyer"][_group(survey.kind, score)]
            slots = {}
        comment = _comment(rng, parts, **slots) if rng.random() < COMMENT_SHARE else ""
        invitation.shown_at = invitation.created_at + delay / 2
        invitation.answered_at = moment
        answered.append(invitation)
        responses.append(
            Response(
                invitation=invitation,
                survey=survey,
                score=score,
                comment=comment,
                created_at=moment,
            )
        )
    Invitation.objects.bulk_update(
        answered + seen, ["shown_at", "answered_at", "dismissed_at"], batch_size=500
    )
    Response.objects.bulk_create(responses, batch_size=500)


def load_demo_surveys(
    *,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    progress: ProgressFactory = no_progress,
) -> SurveysReport:
    """Write the demo surveys, invitations and answers in one transaction, unless present."""
    started = time.monotonic()
    now = now or timezone.now()
    with transaction.atomic():
        if Survey.objects.filter(title__in=[MESSAGING_TITLE, PLATFORM_TITLE]).exists():
            return _report(False, started, now)
        start = now - timedelta(days=ORDER_WINDOW_DAYS)
        creator = User.objects.filter(email=ACCOUNTS["office"].email).first()
        messaging, _ = _surveys(creator, start)
        _invite_history(now, start, progress)
        _answer(seed, now, start, settings.MESSAGING_RESPONSE_GOAL_HOURS * HOUR)
        _demo_buyer_invitation(messaging, now)
        while services.analyze_responses():
            pass
    return _report(True, started, now)
