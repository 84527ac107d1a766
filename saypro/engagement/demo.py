"""Demo prompts and tours: ``load_demo_engagement`` for ``saypro demo``.

Runs after the demo conversations (``saypro.messaging.demo``), in the same
transaction, and is the seeding service for engagement (the one place besides
``services`` that writes its rows, with ``bulk_create``). It writes:

- the built-in prompts when missing, and three office prompts, created by the
  demo office account through ``services.create_prompt`` (so they pass the
  editor's rules): a notification-settings tip on Messages, a nudge on the
  order page for buyers who never wrote to a store, and a thank-you after a
  review;
- 30 days of counted events: before a share of the buyers' real questions
  about products, the buyer saw "Ask the store" and clicked it minutes before
  writing (so those clicks count as followed by a message, read from the
  messages themselves); other buyers saw it and moved on or dismissed it;
  store members saw "buyers waiting" and clicked it before answering; the
  office prompts were seen, some clicked, some dismissed;
- tour progress: buyers and sellers who completed, skipped or replayed a tour.

Idempotent: nothing is written when any prompt event exists, or when there
is no demo marketplace (no demo conversations).
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from saypro.accounts.models import User
from saypro.catalog.demo import DEFAULT_SEED, DEMO_EMAIL_DOMAIN, STORE_EXTERNAL_ID_PREFIX
from saypro.catalog.models import StoreMembership
from saypro.engagement import services
from saypro.engagement.models import (
    SELLER_PLACEMENTS,
    Audience,
    Placement,
    Prompt,
    PromptEvent,
    TutorialProgress,
)
from saypro.engagement.selectors import prompt_stats
from saypro.messaging.models import Message, Side

PERIOD = timedelta(days=30)
ASKED_AFTER_CLICK = (2, 40)  # minutes between the click and the question
ANSWERED_AFTER_CLICK = (1, 30)
CLICKED_BEFORE_QUESTION = 0.35  # of the buyers' product questions in the period
CLICKED_BEFORE_ANSWER = 0.25  # of the stores' answers in the period
SHOWN_WITHOUT_CLICK = 6  # showings that led nowhere, per click
DISMISS_SHARE = 0.06
OFFICE_PROMPTS = (
    {
        "name": "Notification settings tip",
        "placement": Placement.BUYER_MESSAGES,
        "audience": Audience.SIGNED_IN,
        "title": "Hear about answers your way, {first_name}",
        "text": "A pop-up while you shop, an email, or one daily digest: you choose.",
        "cta_label": "Choose how",
        "cta_link": "/notifications/settings/",
        "max_shows": 3,
        "per_days": 14,
        "priority": 50,
    },
    {
        "name": "Order question nudge",
        "placement": Placement.ORDER_PAGE,
        "audience": Audience.BUYERS,
        "only_never_messaged": True,
        "title": "Something to check about order {order_number}?",
        "text": "{store} answers questions about orders here, on SayPro.",
        "cta_label": "Ask {store}",
        "cta_link": "/messages/new/?store={store_id}&order={order_id}",
        "max_shows": 2,
        "per_days": 7,
        "priority": 60,
    },
    {
        "name": "Thanks for the review",
        "placement": Placement.REVIEW_POSTED,
        "audience": Audience.SIGNED_IN,
        "title": "Thank you for your review, {first_name}",
        "text": "Reviews like yours help other buyers choose. See what else {store} sells.",
        "cta_label": "Visit {store}",
        "cta_link": "/s/{store_slug}/",
        "max_shows": 1,
        "per_days": 30,
        "priority": 50,
    },
)


@dataclass(frozen=True)
class EngagementReport:
    created: bool
    prompts: int = 0
    shown: int = 0
    clicked: int = 0
    dismissed: int = 0
    followed: int = 0
    tours_completed: int = 0
    tours_skipped: int = 0
    seconds: float = 0.0


def _minutes(rng: random.Random, bounds: tuple[int, int]) -> timedelta:
    return timedelta(minutes=rng.uniform(*bounds))


@transaction.atomic
def load_demo_engagement(*, seed: int = DEFAULT_SEED, now: datetime) -> EngagementReport:
    """Write the demo prompts, their events and tour progress (see the module docstring)."""
    started = time.monotonic()
    office = User.objects.filter(email=f"office@{DEMO_EMAIL_DOMAIN}").first()
    since = now - PERIOD
    messages = list(
        Message.objects.filter(
            created_at__gte=since,
            created_at__lt=now,
            conversation__store__external_id__startswith=STORE_EXTERNAL_ID_PREFIX,
        )
        .select_related("conversation")
        .order_by("pk")
    )
    if office is None or not messages or PromptEvent.objects.exists():
        return EngagementReport(created=False, seconds=time.monotonic() - started)
    rng = random.Random(f"{seed}:engagement")
    services.install_builtin_prompts()
    created = [
        services.create_prompt(actor=office, now=since - timedelta(days=1), **definition)
        for definition in OFFICE_PROMPTS
        if not Prompt.objects.filter(name=definition["name"]).exists()
    ]
    prompts = {prompt.code or prompt.name: prompt for prompt in Prompt.objects.all()}
    events: list[PromptEvent] = []

    def add(prompt, user_id, kind, at, store_id=None, product_id=None):
        events.append(
            PromptEvent(
                prompt=prompt,
                user_id=user_id,
                kind=kind,
                at=at,
                store_id=store_id,
                product_id=product_id,
            )
        )

    buyers = sorted({m.sender_id for m in messages if m.side == Side.BUYER})
    waiting = [prompts["buyers_waiting_inbox"], prompts["buyers_waiting_home"]]
    for message in messages:
        conversation = message.conversation
        if message.side == Side.BUYER and conversation.product_id:
            if rng.random() < CLICKED_BEFORE_QUESTION:
                clicked_at = message.created_at - _minutes(rng, ASKED_AFTER_CLICK)
                ids = (conversation.store_id, conversation.product_id)
                add(
                    prompts["ask_store"],
                    message.sender_id,
                    "shown",
                    clicked_at - timedelta(seconds=20),
                    *ids,
                )
                add(prompts["ask_store"], message.sender_id, "clicked", clicked_at, *ids)
        elif message.side == Side.STORE and rng.random() < CLICKED_BEFORE_ANSWER:
            clicked_at = message.created_at - _minutes(rng, ANSWERED_AFTER_CLICK)
            prompt = rng.choice(waiting)
            add(
                prompt,
                message.sender_id,
                "shown",
                clicked_at - timedelta(seconds=30),
                conversation.store_id,
            )
            add(prompt, message.sender_id, "clicked", clicked_at, conversation.store_id)
    clicks = sum(event.kind == "clicked" for event in events)
    audience = list(
        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_staff=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sellers = sorted(
        set(StoreMembership.objects.filter(user_id__in=audience).values_list("user_id", flat=True))
    )
    period_seconds = PERIOD.total_seconds()
    office_prompts = [prompts[definition["name"]] for definition in OFFICE_PROMPTS]
    for _ in range(clicks * SHOWN_WITHOUT_CLICK):
        prompt = rng.choice(
            [prompts["ask_store"], *office_prompts, prompts["quick_replies_tip"], *waiting]
        )
        people = sellers if prompt.placement in SELLER_PLACEMENTS else buyers
        if not people:
            continue
        user_id = rng.choice(people)
        at = since + timedelta(seconds=rng.uniform(0, period_seconds))
        add(prompt, user_id, "shown", at)
        roll = rng.random()
        if roll < DISMISS_SHARE:
            add(prompt, user_id, "dismissed", at + timedelta(seconds=rng.uniform(3, 40)))
        elif roll < DISMISS_SHARE * 2:  # a look that led to no message
            add(prompt, user_id, "clicked", at + timedelta(seconds=rng.uniform(3, 40)))
    events = _until_dismissed(events)
    PromptEvent.objects.bulk_create(events, batch_size=2000)
    tours = _tour_progress(rng, buyers, sellers, since, period_seconds)
    followed = sum(row["followed"] for row in prompt_stats(office, since=since, until=now))
    return EngagementReport(
        created=True,
        prompts=len(created),
        shown=sum(event.kind == "shown" for event in events),
        clicked=sum(event.kind == "clicked" for event in events),
        dismissed=sum(event.kind == "dismissed" for event in events),
        followed=followed,
        tours_completed=sum(row.completed_at is not None for row in tours),
        tours_skipped=sum(row.skipped_at is not None for row in tours),
        seconds=time.monotonic() - started,
    )


def _until_dismissed(events: list[PromptEvent]) -> list[PromptEvent]:
    """The events without what follows a person's first dismissal of a prompt.

    A dismissed prompt is dismissed once and never shown after, as ``prompts_for``
    and ``dismiss_prompt`` guarantee for real people. ``events`` come in no time
    order (random showings are added after the clicks), so the first dismissal
    is the earliest one, not the first in the list.
    """
    dismissed: dict[tuple[int, int], datetime] = {}
    for event in events:
        if event.kind == "dismissed":
            key = (event.prompt.pk, event.user_id)
            dismissed[key] = min(event.at, dismissed.get(key, event.at))
    kept, dismissals = [], set()
    for event in events:
        key = (event.prompt.pk, event.user_id)
        first = dismissed.get(key)
        if first is None or event.at < first:
            kept.append(event)
        elif event.kind == "dismissed" and event.at == first and key not in dismissals:
            dismissals.add(key)
            kept.append(event)
    return kept


def _tour_progress(rng, buyers, sellers, since, period_seconds) -> list[TutorialProgress]:
    """Tours taken in the period: about 60 % completed, the rest skipped on the way."""
    rows = []
    for code, people, steps in (("buyer_messages", buyers, 5), ("seller_inbox", sellers, 5)):
        for user_id in rng.sample(people, k=len(people) // 2):
            started_at = since + timedelta(seconds=rng.uniform(0, period_seconds))
            done = rng.random() < 0.6
            rows.append(
                TutorialProgress(
                    user_id=user_id,
                    tutorial=code,
                    started_at=started_at,
                    completed_at=started_at + timedelta(seconds=rng.uniform(40, 120))
                    if done
                    else None,
                    skipped_at=None if done else started_at + timedelta(seconds=rng.uniform(5, 30)),
                    last_step=steps if done else rng.randint(1, steps - 1),
                    replays=1 if done and rng.random() < 0.15 else 0,
                )
            )
    return TutorialProgress.objects.bulk_create(rows, ignore_conflicts=True)
