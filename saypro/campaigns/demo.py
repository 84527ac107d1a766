"""Demo campaigns: one finished in-app campaign with its measured lift, and a draft.

Runs last in ``saypro demo``, after the conversations (``saypro.messaging.demo``)
and in the same transaction. The demo office person plays the office's side
through the same services their clicks call, at the moment each happened:

- ``SENT_DAYS_AGO`` (30) days ago they build the segment "Buyers who wrote in
  the last 90 days" and send "Ask before you buy" to it as an in-app banner
  with two variants and a 20 % holdout (half, in an audience under 100, so
  that both groups are large enough to compare): the audience is frozen then;
- over the following days some treated members see the banner and some
  click it (``services.record_open`` / ``record_click``);
- the members then write to stores: each member asks about a few products
  in new conversations that the store answers within two hours. The number
  of questions is Poisson, with a higher rate for members who got the
  banner (``TREATED_RATE`` against ``HOLDOUT_RATE``). These are written as
  complete conversations (messages, the answered wait, both sides' read
  state), like the messaging demo's, so every inbox stays consistent.

Nothing about the lift is stored: the results page and the API compute it
from these messages (and every other message the members sent in those 14
days) with ``selectors.results``. A draft campaign to sellers, with an A/B
test on the notification channel, is left to send.

Idempotent: nothing is written when the demo segment exists, or when there is
no demo marketplace.
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from saypro.accounts.models import User
from saypro.campaigns import lift, selectors, services
from saypro.campaigns.models import LIFT_WINDOW, Campaign, CampaignMember, Segment
from saypro.catalog.demo import DEFAULT_SEED, DEMO_EMAIL_DOMAIN
from saypro.catalog.models import Product, StoreMembership
from saypro.messaging import safety
from saypro.messaging.models import Conversation, Message, Participant, Side, Wait

SEGMENT_NAME = "Buyers who wrote in the last 90 days"
SELLERS_SEGMENT_NAME = "Sellers"
SENT_DAYS_AGO = 30
HOLDOUT_PERCENT = 20
SMALL_AUDIENCE = 100  # below this (the tiny demo), half are held out so both groups count
SMALL_AUDIENCE_HOLDOUT = 50
TREATED_RATE = 1.2  # new product questions per member in the 14 days after sending
HOLDOUT_RATE = 0.7
OPEN_SHARE = 0.8  # treated members who saw the banner
CLICK_SHARE = 0.2  # of those, who clicked it
BATCH_SIZE = 1000

QUESTIONS = [
    "Hi, is the {title} still available?",
    "Hello, how soon can you ship the {title}?",
    "Hi, does the {title} come with a warranty?",
    "Good day, can I collect the {title} instead of delivery?",
    "Hi, is the {title} the same as in the photos?",
]
ANSWERS = [
    "Yes, it is in stock and ships within two working days.",
    "Hi! We ship the next working day; you get a tracking link by email.",
    "Yes, it has a 12-month warranty; keep the invoice from your order page.",
    "Of course, you are welcome to collect it; we are open weekdays 8–5.",
    "Yes, the photos are of the item itself, taken in our store.",
]


@dataclass(frozen=True)
class CampaignsReport:
    created: bool
    finished: str = ""
    audience: int = 0
    holdout: int = 0
    clicked: int = 0
    lift: str = ""
    draft: str = ""
    seconds: float = 0.0


def _office() -> User | None:
    return User.objects.filter(email=f"office@{DEMO_EMAIL_DOMAIN}", is_active=True).first()


def load_demo_campaigns(
    *, seed: int = DEFAULT_SEED, now: datetime | None = None
) -> CampaignsReport:
    """Send and measure the finished campaign, leave the draft (see the module docstring)."""
    started = time.monotonic()
    now = now or timezone.now()
    office = _office()
    if office is None or Segment.objects.filter(name=SEGMENT_NAME).exists():
        return CampaignsReport(created=False, seconds=time.monotonic() - started)
    rng = random.Random(f"campaigns:{seed}")
    sent_at = now - timedelta(days=SENT_DAYS_AGO)
    built_at = sent_at - timedelta(hours=2)

    segment = services.create_segment(
        staff=office,
        name=SEGMENT_NAME,
        rules={
            "role": {"role": "buyer"},
            "activity": {"action": "messages_at_least", "count": 1, "days": 90},
        },
        now=built_at,
    )
    campaign = services.create_campaign(
        staff=office,
        data=services.CampaignInput(
            name="Ask before you buy",
            segment=segment,
            channel=Campaign.Channel.BANNER,
            holdout_percent=HOLDOUT_PERCENT
            if selectors.audience_count(segment.rules, now=built_at) >= SMALL_AUDIENCE
            else SMALL_AUDIENCE_HOLDOUT,
            variants=[
                services.VariantInput(
                    title="Not sure? Ask the seller",
                    body="Sellers on SayPro answer most questions **within a day**. "
                    "Use *Ask the seller* on any product page.",
                    cta_label="See your messages",
                    cta_path="/messages/",
                    weight=50,
                ),
                services.VariantInput(
                    title="Questions get answers",
                    body="Size, delivery, warranty: ask the store before you order, "
                    "and buy with confidence.",
                    cta_label="Browse the shop",
                    cta_path="/",
                    weight=50,
                ),
            ],
        ),
        now=built_at,
    )
    campaign = services.send_campaign_now(staff=office, campaign=campaign, now=sent_at)
    members = list(campaign.members.order_by("pk").values_list("pk", "user_id", "group"))
    clicked = _engage(rng, members, sent_at)
    _write_questions(seed, rng, members, sent_at, now)
    _draft(office, now)
    results = selectors.results(campaign, now=now)
    return CampaignsReport(
        created=True,
        finished=campaign.name,
        audience=len(members),
        holdout=sum(group == CampaignMember.Group.HOLDOUT for _, _, group in members),
        clicked=clicked,
        lift=lift.summary(results.lift) if results.lift else "",
        draft="Reply faster with quick replies",
        seconds=time.monotonic() - started,
    )


def _engage(rng: random.Random, members: list, sent_at: datetime) -> int:
    """Treated members see the banner on a visit in the first days; some click it."""
    clicked = 0
    for member_id, _, group in members:
        if group == CampaignMember.Group.HOLDOUT or rng.random() >= OPEN_SHARE:
            continue
        seen_at = sent_at + timedelta(hours=rng.uniform(1, 96))
        services.record_open(member_id=member_id, now=seen_at)
        if rng.random() < CLICK_SHARE:
            services.record_click(
                member_id=member_id, now=seen_at + timedelta(seconds=rng.randint(5, 90))
            )
            clicked += 1
    return clicked


def _write_questions(
    seed: int, rng: random.Random, members: list, sent_at: datetime, now: datetime
) -> None:
    """Each member's product questions in the 14 days after sending, answered by the store."""
    numbers = np.random.default_rng(seed)
    products = list(
        Product.objects.filter(is_active=True, store__is_active=True)
        .order_by("pk")
        .values_list("pk", "store_id", "title")
    )
    staff_of: dict[int, list[int]] = {}
    for store_id, user_id in StoreMembership.objects.order_by("created_at", "pk").values_list(
        "store_id", "user_id"
    ):
        staff_of.setdefault(store_id, []).append(user_id)
    taken = set(Conversation.objects.values_list("buyer_id", "store_id", "topic"))
    goal = timedelta(hours=settings.MESSAGING_RESPONSE_GOAL_HOURS)
    end = min(sent_at + LIFT_WINDOW, now - timedelta(hours=3))
    span = (end - sent_at).total_seconds()
    planned = []  # (asked_at, buyer, product, question, answer)
    for _, user_id, group in members:
        rate = HOLDOUT_RATE if group == CampaignMember.Group.HOLDOUT else TREATED_RATE
        for _ in range(int(numbers.poisson(rate))):
            product_id, store_id, title = rng.choice(products)
            topic = f"product:{product_id}"
            if (user_id, store_id, topic) in taken or user_id in staff_of.get(store_id, []):
                continue
            taken.add((user_id, store_id, topic))
            pick = rng.randrange(len(QUESTIONS))
            asked_at = sent_at + timedelta(seconds=rng.uniform(0, span))
            planned.append(
                (asked_at, user_id, product_id, store_id, QUESTIONS[pick].format(title=title), pick)
            )
    planned.sort()
    conversations = [
        Conversation(
            buyer_id=user_id,
            store_id=store_id,
            product_id=product_id,
            topic=f"product:{product_id}",
            started_by=Side.BUYER,
            created_at=asked_at,
            last_message_at=asked_at,
            message_count=2,
        )
        for asked_at, user_id, product_id, store_id, _, _ in planned
    ]
    Conversation.objects.bulk_create(conversations, batch_size=BATCH_SIZE)
    messages, answers, waits, reads = [], [], [], []
    for conversation, (asked_at, user_id, _, store_id, question, pick) in zip(
        conversations, planned, strict=True
    ):
        answered_at = asked_at + timedelta(minutes=rng.randint(12, 110))
        team = staff_of[store_id]
        answerer = team[rng.randrange(len(team))]
        question_row = Message(
            conversation=conversation,
            sender_id=user_id,
            side=Side.BUYER,
            text=question,
            fingerprint=safety.fingerprint(question, [], []),
            created_at=asked_at,
        )
        answer_row = Message(
            conversation=conversation,
            sender_id=answerer,
            side=Side.STORE,
            text=ANSWERS[pick],
            fingerprint=safety.fingerprint(ANSWERS[pick], [], []),
            created_at=answered_at,
        )
        messages += [question_row, answer_row]
        answers.append((conversation, question_row, answer_row, answerer, team))
        conversation.last_message_at = answered_at
        conversation.first_response_seconds = int((answered_at - asked_at).total_seconds())
    Message.objects.bulk_create(messages, batch_size=BATCH_SIZE)
    for conversation, question_row, answer_row, answerer, team in answers:
        waits.append(
            Wait(
                conversation=conversation,
                message=question_row,
                started_at=question_row.created_at,
                due_at=question_row.created_at + goal,
                outcome=Wait.Outcome.ANSWERED,
                ended_at=answer_row.created_at,
                ended_by_id=answerer,
                response_seconds=conversation.first_response_seconds,
            )
        )
        read_at = answer_row.created_at + timedelta(minutes=rng.randint(5, 600))
        reads.append(
            Participant(
                conversation=conversation,
                user_id=conversation.buyer_id,
                side=Side.BUYER,
                last_read_message_id=answer_row.pk,
                last_read_at=min(read_at, now),
            )
        )
        reads += [
            Participant(
                conversation=conversation,
                user_id=member,
                side=Side.STORE,
                last_read_message_id=answer_row.pk,
                last_read_at=answer_row.created_at,
            )
            for member in team
        ]
    Wait.objects.bulk_create(waits, batch_size=BATCH_SIZE)
    Participant.objects.bulk_create(reads, batch_size=BATCH_SIZE)
    Conversation.objects.bulk_update(
        conversations, ["last_message_at", "first_response_seconds"], batch_size=BATCH_SIZE
    )
    last = Message.objects.filter(conversation=OuterRef("pk")).order_by().values("conversation")
    pks = [conversation.pk for conversation in conversations]
    for start in range(0, len(pks), BATCH_SIZE):
        Conversation.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).update(
            last_message=Subquery(last.annotate(last=Max("pk")).values("last"))
        )


def _draft(office: User, now: datetime) -> Campaign:
    segment = services.create_segment(
        staff=office, name=SELLERS_SEGMENT_NAME, rules={"role": {"role": "seller"}}, now=now
    )
    return services.create_campaign(
        staff=office,
        data=services.CampaignInput(
            name="Reply faster with quick replies",
            segment=segment,
            channel=Campaign.Channel.NOTIFICATION,
            holdout_percent=10,
            variants=[
                services.VariantInput(
                    title="Answer common questions in one click",
                    body="Save your usual answers as **quick replies** in the Inbox.",
                    cta_label="Open the Seller Center",
                    cta_path="/seller/",
                    weight=50,
                ),
                services.VariantInput(
                    title="Buyers wait less when you use quick replies",
                    body="Stores that use quick replies answer *twice as fast*.",
                    cta_label="Open the Seller Center",
                    cta_path="/seller/",
                    weight=50,
                ),
            ],
        ),
        now=now,
    )
