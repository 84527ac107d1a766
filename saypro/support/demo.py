"""Demo support desk: the canned replies, a 24/7 rota and about 25 tickets over 90 days.

Runs in ``saypro demo`` after the campaigns, in the same transaction. Every
ticket is written through the services their clicks call, at the moment each
happened (``now=``), so due times, paused clocks, events and notifications are
what the live desk would have produced:

- four office people share the desk in 8-hour shifts (00–08, 08–16, 16–24 UTC)
  from a week ago to two weeks ahead: the demo office person and three support
  agents created here (``support.*@demo.saypro.test``, the demo password);
- closed tickets from the demo stores' members (a few from the demo owner): an
  office answer from a canned reply (edited for the seller), sometimes a
  question back and the seller's answer, an internal note now and then, the
  resolution, and mostly a 4–5 rating; a few low ratings come with a comment;
  some sellers never rate, and the ticket closes by itself after 7 days;
- open tickets as the desk looks now: one overdue, one urgent and unassigned,
  one waiting on the seller, one handed back to the office, and one of the
  demo owner's resolved and waiting for their rating.

Idempotent: nothing is written when any ticket exists or there is no demo office.
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from saypro.accounts.models import User
from saypro.catalog.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from saypro.catalog.models import StoreMembership
from saypro.support import selectors, services
from saypro.support.models import CannedReply, Status, Ticket

HISTORY_DAYS = 90
CLOSED_TICKETS = 20
SHIFT_HOURS = 8
ROTA_PAST_DAYS = 7
ROTA_FUTURE_DAYS = 14
AGENTS = (
    ("support.zanele", "Zanele", "Khumalo"),
    ("support.pieter", "Pieter", "Venter"),
    ("support.ayesha", "Ayesha", "Patel"),
)


@dataclass(frozen=True)
class Scenario:
    category: str
    subject: str
    description: str
    canned: str  # the canned reply the office starts from
    question: str = ""  # asked back before resolving, when set
    answer: str = ""


SCENARIOS = (
    Scenario(
        "reviews",
        "A buyer's review isn't showing on my product",
        "A buyer told me she reviewed the linen dress two days ago, but I can't see it on the "
        "product page and my rating hasn't changed.",
        "review-not-showing",
        "Do you know roughly what the review said, or which order it was for?",
        "It was order 10422, she mentioned her phone number in it I think.",
    ),
    Scenario(
        "reviews",
        "Please remove an unfair one-star review",
        "A buyer gave us one star saying the parcel never came, but the courier shows it was "
        "delivered and signed for. Can you take the review down?",
        "report-unfair-review",
    ),
    Scenario(
        "reviews",
        "My answer was counted as late",
        "I answered a review within a day but the dashboard says it was late. Why?",
        "answer-counted-late",
    ),
    Scenario(
        "messaging",
        "Warning about contact details in my message",
        "When I try to send a buyer our courier's tracking page the app warns me about contact "
        "details. I'm not trying to take the sale elsewhere.",
        "contact-details-warning",
    ),
    Scenario(
        "messaging",
        "I can't send messages: it says to try again later",
        "During our sale I was answering lots of buyers and now it says I can't send more "
        "messages for a while.",
        "rate-limited",
        "How many conversations were you answering at the time, roughly?",
        "About forty in an hour, we had a big promotion.",
    ),
    Scenario(
        "notifications",
        "Too many notification emails",
        "I get an email for every single message. Can I get fewer?",
        "notifications-too-many",
    ),
    Scenario(
        "points-and-badges",
        "My Fast Responder badge disappeared",
        "Last month I had the Fast Responder badge and now it's gone from my profile.",
        "badge-lost",
    ),
    Scenario(
        "improvements",
        "My improvement plan says 'not measured yet'",
        "We shipped the new sizing guide three weeks ago, but the plan still isn't measured.",
        "plan-not-measured",
    ),
    Scenario(
        "academy",
        "How do I enrol my agent in the Academy course?",
        "I want my new agent to take 'Responding to reviews'. Can I enrol her?",
        "academy-enrolment",
    ),
    Scenario(
        "notifications",
        "I unsubscribed from emails by mistake",
        "I clicked unsubscribe at the bottom of an email and now I get nothing. How do I undo it?",
        "unsubscribe-undo",
    ),
)
LOW_COMMENTS = (
    "It took two days to get an answer and the review is still there.",
    "The answer didn't really address my question.",
    "I had to explain the problem twice.",
)
LOW = {3, 11, 17}  # tickets (in time order) whose seller rates the help low, with a comment
GOOD_COMMENTS = ("Quick and clear, thank you!", "Sorted in no time.", "", "", "")


@dataclass(frozen=True)
class SupportReport:
    created: bool
    tickets: int = 0
    open: int = 0
    closed: int = 0
    ratings: int = 0
    average: float | None = None
    shifts: int = 0
    agents: tuple[str, ...] = ()
    seconds: float = 0.0


def load_demo_support(*, seed: int, now: datetime) -> SupportReport:
    started = time.perf_counter()
    office = User.objects.filter(email=f"office@{DEMO_EMAIL_DOMAIN}").first()
    if office is None or Ticket.objects.exists():
        return SupportReport(created=False, tickets=Ticket.objects.count())
    rng = random.Random(seed)
    services.load_canned_replies()
    desk = [office, *_agents()]
    shifts = _rota(office, desk, now)
    members = list(
        StoreMembership.objects.select_related("user", "store").order_by("store_id", "pk")
    )
    if not members:
        return SupportReport(created=False)
    owner = next((m for m in members if m.user.email == f"owner@{DEMO_EMAIL_DOMAIN}"), members[0])
    canned = {reply.slug: reply for reply in CannedReply.objects.all()}
    others = [m for m in members if m.user_id != owner.user_id] or [owner]
    starts = sorted(
        now - timedelta(days=rng.uniform(9, HISTORY_DAYS)) for _ in range(CLOSED_TICKETS)
    )
    for index, opened in enumerate(starts):
        # Round the stores' members in turn: nobody opens more than the rate limit allows.
        member = owner if index % 5 == 0 else others[index % len(others)]
        _closed_ticket(
            rng, member, desk, SCENARIOS[index % len(SCENARIOS)], canned, opened, low=index in LOW
        )
    services.auto_close_resolved(now=now)
    _open_tickets(rng, owner, members, desk, canned, now)
    satisfaction = selectors.satisfaction(now - timedelta(days=HISTORY_DAYS + 1), now)
    return SupportReport(
        created=True,
        tickets=Ticket.objects.count(),
        open=Ticket.objects.exclude(status__in=[Status.RESOLVED, Status.CLOSED]).count(),
        closed=Ticket.objects.filter(status=Status.CLOSED).count(),
        ratings=satisfaction.ratings,
        average=satisfaction.average,
        shifts=shifts,
        agents=tuple(person.email for person in desk),
        seconds=time.perf_counter() - started,
    )


def _agents() -> list[User]:
    password = make_password(DEMO_PASSWORD)
    agents = []
    for local, first, last in AGENTS:
        email = f"{local}@{DEMO_EMAIL_DOMAIN}"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": True,
                "password": password,
            },
        )
        if created:
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        agents.append(user)
    return agents


def _rota(planner: User, desk: list[User], now: datetime) -> int:
    """8-hour shifts round the clock, the desk taking turns, a week back and two weeks ahead."""
    first = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=ROTA_PAST_DAYS)
    count = (ROTA_PAST_DAYS + ROTA_FUTURE_DAYS) * 24 // SHIFT_HOURS
    for number in range(count):
        starts_at = first + timedelta(hours=SHIFT_HOURS * number)
        services.add_shift(
            planner,
            staff=desk[number % len(desk)],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=SHIFT_HOURS),
        )
    return count


def _answer(member: StoreMembership, reply: CannedReply) -> str:
    """A canned reply as an agent sends it: edited to greet the seller by name."""
    return f"Hi {member.user.get_short_name()},\n\n{reply.body}\n\nKind regards, SayPro support"


def _closed_ticket(
    rng, member, desk, scenario: Scenario, canned, opened: datetime, *, low: bool
) -> None:
    priority = rng.choices(["urgent", "high", "normal", "low"], weights=[1, 3, 6, 2])[0]
    ticket = services.open_ticket(
        member.user,
        store=member.store,
        subject=scenario.subject,
        category=scenario.category,
        priority=priority,
        description=scenario.description,
        now=opened,
    )
    agent = rng.choice(desk)
    target_hours = {"urgent": 1, "high": 4, "normal": 8, "low": 24}[priority]
    late = rng.random() < 0.15  # a few first answers miss their target
    moment = opened + timedelta(
        hours=target_hours * (rng.uniform(1.2, 2) if late else rng.uniform(0.1, 0.8))
    )
    services.assign(agent, ticket, assignee=agent, now=moment - timedelta(minutes=5))
    if rng.random() < 0.3:
        services.add_note(
            agent,
            ticket,
            body="Checked the logs: matches what the seller describes. Using the standard answer.",
            now=moment - timedelta(minutes=2),
        )
    if scenario.question:
        services.reply(agent, ticket, body=scenario.question, now=moment)
        moment += timedelta(hours=rng.uniform(1, 20))
        services.reply(member.user, ticket, body=scenario.answer, now=moment)
        moment += timedelta(hours=rng.uniform(0.3, 3))
    services.reply(agent, ticket, body=_answer(member, canned[scenario.canned]), now=moment)
    moment += timedelta(hours=rng.uniform(0.5, 6))
    services.resolve(agent, ticket, now=moment)
    if low or rng.random() < 0.8:  # the rest never rate: the ticket closes by itself after 7 days
        low = low or late
        rating = rng.choice([1, 2, 3]) if low else rng.choice([4, 5, 5, 5])
        comment = rng.choice(LOW_COMMENTS) if low else rng.choice(GOOD_COMMENTS)
        services.close_ticket(
            member.user,
            ticket,
            satisfaction=rating,
            comment=comment,
            now=moment + timedelta(hours=rng.uniform(1, 72)),
        )


def _open_tickets(rng, owner, members, desk, canned, now: datetime) -> None:
    office = desk[0]
    others = [m for m in members if m.user_id != owner.user_id] or [owner]
    # Overdue: normal priority (8 h to a first answer), opened 10 hours ago, still unanswered.
    someone, someone_else = rng.choice(others), rng.choice(others)
    overdue = services.open_ticket(
        someone.user,
        store=someone.store,
        subject="Order numbers missing from my buyer messages",
        category="messaging",
        priority="normal",
        description="Since yesterday the order number no longer shows next to buyer messages "
        "about an order, so I can't tell which parcel they mean.",
        now=now - timedelta(hours=10),
    )
    services.assign(office, overdue, assignee=desk[1], now=now - timedelta(hours=9))
    services.add_note(
        desk[1],
        overdue,
        body="Asked the messaging team whether this is the known display bug; waiting on them.",
        now=now - timedelta(hours=8),
    )
    # Urgent and unassigned: just in.
    services.open_ticket(
        owner.user,
        store=owner.store,
        subject="Buyers can't open my store page",
        category="account",
        priority="urgent",
        description="Two buyers messaged that my store page shows an error. We're losing sales.",
        now=now - timedelta(minutes=20),
    )
    # Waiting on the seller: the office asked a question back.
    waiting = services.open_ticket(
        someone_else.user,
        store=someone_else.store,
        subject="Points for answering reviews not added",
        category="points-and-badges",
        priority="high",
        description="I answered twelve reviews this week but my points didn't go up.",
        now=now - timedelta(days=1, hours=3),
    )
    services.assign(desk[2], waiting, assignee=desk[2], now=now - timedelta(days=1, hours=2))
    services.reply(
        desk[2],
        waiting,
        body="Thanks for flagging this. Were the reviews you answered older than 48 hours? "
        "Points are only given for answers within the response goal.",
        now=now - timedelta(days=1, hours=1),
    )
    # Handed back to the office: the seller answered the office's question.
    back = services.open_ticket(
        owner.user,
        store=owner.store,
        subject="Improvement plan chart looks empty",
        category="improvements",
        priority="normal",
        description="The chart on my zip improvement plan shows no bars after the change date.",
        now=now - timedelta(hours=30),
    )
    services.assign(
        desk[3 % len(desk)], back, assignee=desk[3 % len(desk)], now=now - timedelta(hours=29)
    )
    services.reply(
        desk[3 % len(desk)],
        back,
        body=_answer(owner, canned["plan-not-measured"]) + "\n\nWhen did the change ship?",
        now=now - timedelta(hours=26),
    )
    services.reply(
        owner.user, back, body="It shipped on the 3rd of this month.", now=now - timedelta(hours=5)
    )
    # Resolved, waiting for the demo owner's rating.
    resolved = services.open_ticket(
        owner.user,
        store=owner.store,
        subject="How do I enrol my new agent in the Academy?",
        category="academy",
        priority="low",
        description="My new agent starts on Monday; can I sign her up for the reviews course?",
        now=now - timedelta(days=2),
    )
    services.assign(
        office, resolved, assignee=office, now=now - timedelta(days=2) + timedelta(hours=3)
    )
    services.reply(
        office,
        resolved,
        body=_answer(owner, canned["academy-enrolment"]),
        now=now - timedelta(days=2) + timedelta(hours=4),
    )
    services.resolve(office, resolved, now=now - timedelta(days=1, hours=20))
