"""Demo consultations: two office experts, their weekly availability, and sellers' bookings.

Everything goes through the services at past times, so the history is what
real use would have left: about ten consultations held over the last three
months (with the experts' private notes), one no-show, one cancelled by the
seller, and a few booked in the coming days, one of them by the demo owner.
A "How was your consultation?" survey is created (when none asks after
consultations yet) and about two in three sellers answered it after a held
consultation, through the surveys services, so the education satisfaction
KPI has consultation answers.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from saypro.accounts.models import User
from saypro.catalog.demo import ACCOUNTS
from saypro.catalog.models import StoreMembership
from saypro.consultations import services
from saypro.consultations.models import Booking, Expert, Slot, Topic
from saypro.surveys import services as surveys
from saypro.surveys.models import Survey, Trigger

EXPERTS = (
    (
        "office",
        "Seller success coach for five years; reads review answers and inboxes with you and "
        "leaves you with habits, not homework.",
        ["review-answer-review", "inbox-setup", "insights-walkthrough"],
        "https://meet.saypro.test/annelie",
        ((0, time(9), time(12)), (2, time(13), time(16))),
    ),
    (
        "admin",
        "Runs the marketplace's insights and improvements programme; happiest with a product, "
        "its reviews and a spreadsheet.",
        [],  # every topic
        "https://meet.saypro.test/nadia",
        ((1, time(10), time(12)), (3, time(14), time(17))),
    ),
)
NOTES = (
    "Our negative reviews mention delivery a lot; is it us or the courier?",
    "We answer reviews but the coach scores are low. What are we missing?",
    "Want help choosing which improvement to start with.",
    "New store, first month. Where do we begin?",
    "Our inbox replies take 30 hours on weekends.",
    "",
)
PRIVATE_NOTES = (
    "Answers apologise but never offer a next step. Agreed: one concrete offer per answer.",
    "Delivery theme is the courier in two regions; suggested the delivery-estimate template.",
    "Owner is keen; agent answers on weekends. Set up quiet hours and three quick replies.",
    "Picked the sizing issue as the first plan; goal: fit mentions down 30 % in 8 weeks.",
    "Good progress since last time; response time now under 12 h.",
    "Nervous about negative reviews; walked through the examples article together.",
)
HELD = 10
ANSWERED_SHARE = 0.7  # of the sellers asked after a held consultation
SCORES = (5, 5, 4, 5, 4, 3)
COMMENTS = (
    "We left with three concrete changes and made two of them that week.",
    "Going through our own reviews together was worth more than any article.",
    "Helpful, though an hour was too short for both products.",
    "The expert had read our store beforehand, which saved a lot of time.",
    "",
)


@dataclass(frozen=True)
class ConsultationsReport:
    topics: int
    experts: int
    free_slots: int
    held: int
    upcoming: int
    cancelled: int


def load_demo_consultations(*, seed: int, now: datetime) -> ConsultationsReport:
    """Topics, the two experts and their history (once: nothing new if anyone booked)."""
    services.load_topics()
    if not Booking.objects.exists():
        _experts_and_history(random.Random(seed), now)
    return ConsultationsReport(
        topics=Topic.objects.filter(is_active=True).count(),
        experts=Expert.objects.filter(is_active=True).count(),
        free_slots=Slot.objects.filter(removed_at=None, starts_at__gt=now)
        .exclude(bookings__status=Booking.Status.BOOKED)
        .count(),
        held=Booking.objects.filter(status=Booking.Status.COMPLETED).count(),
        upcoming=Booking.objects.filter(status=Booking.Status.BOOKED).count(),
        cancelled=Booking.objects.filter(status=Booking.Status.CANCELLED).count(),
    )


def _experts_and_history(rng: random.Random, now: datetime) -> None:
    experts = []
    all_topics = list(Topic.objects.filter(is_active=True))
    for key, bio, slugs, link, weekly in EXPERTS:
        user = User.objects.filter(email=ACCOUNTS[key].email, is_staff=True).first()
        if user is None:
            continue
        topics = [topic for topic in all_topics if not slugs or topic.slug in slugs]
        expert = services.save_expert(
            actor=user,
            user=user,
            bio=bio,
            topics=topics,
            time_zone="Africa/Johannesburg",
            meeting_link=link,
        )
        for weekday, start, end in weekly:
            services.add_weekly_availability(
                actor=user,
                expert=expert,
                weekday=weekday,
                start_time=start,
                end_time=end,
                slot_minutes=60,
                now=now,
            )
        experts.append(expert)
    memberships = list(
        StoreMembership.objects.filter(user__is_active=True)
        .select_related("user", "store")
        .order_by("pk")
    )
    if not experts or not memberships:
        return
    owner = next((m for m in memberships if m.user.email == ACCOUNTS["owner"].email), None)
    survey = _survey(experts[0].user, now)
    _past(rng, now, experts, memberships, survey)
    _upcoming(rng, now, experts, memberships, owner)


def _topic_of(rng: random.Random, expert: Expert) -> Topic:
    return rng.choice(list(expert.topics.all()))


def _past(rng, now, experts, memberships, survey) -> None:
    """HELD consultations over the last 90 days, one no-show; one-off slots at those times."""
    for index in range(HELD + 1):
        expert = experts[index % len(experts)]
        day = (now - timedelta(days=7 + index * 8)).astimezone(expert.zone).date()
        starts_at = datetime.combine(day, time(11 + index % 2 * 3), tzinfo=expert.zone)
        created = starts_at - timedelta(days=12)
        slot = services.add_slot(
            actor=expert.user, expert=expert, starts_at=starts_at, minutes=60, now=created
        )
        membership = rng.choice(memberships)
        booking = services.book_consultation(
            seller=membership.user,
            slot=slot,
            topic=_topic_of(rng, expert),
            store=membership.store,
            note=rng.choice(NOTES),
            now=created + timedelta(days=2),
        )
        services.close_consultation(
            actor=expert.user,
            booking=booking,
            held=index < HELD,
            private_notes=rng.choice(PRIVATE_NOTES) if index < HELD else "Did not join.",
            now=slot.ends_at,
        )
        if survey is not None and index < HELD and rng.random() < ANSWERED_SHARE:
            _answer(rng, survey, booking, slot.ends_at + timedelta(hours=1))


def _upcoming(rng, now, experts, memberships, owner) -> None:
    """Three booked in the coming days (the first by the demo owner) and one cancelled."""
    free = list(
        Slot.objects.filter(
            expert__in=experts,
            removed_at=None,
            starts_at__gt=now + timedelta(days=2),
        ).order_by("starts_at")
    )
    bookers = [owner] if owner else []
    bookers += [m for m in memberships if m is not owner][:3]
    for index, membership in enumerate(bookers[:4]):
        slot = free[index * 3]
        expert = next(e for e in experts if e.pk == slot.expert_id)
        booking = services.book_consultation(
            seller=membership.user,
            slot=slot,
            topic=_topic_of(rng, expert),
            store=membership.store,
            note=NOTES[index],
            now=now,
        )
        if index == 3:
            services.cancel_consultation(
                actor=membership.user, booking=booking, reason="Stock-take that week.", now=now
            )


def _survey(office: User, now: datetime) -> Survey | None:
    """The follow-up survey sellers get once a consultation was held (None: one exists)."""
    return surveys.create_follow_up_survey(
        actor=office,
        trigger=Trigger.CONSULTATION_HELD,
        title="After a one-on-one consultation",
        question="How much did the consultation help your store?",
        comment_prompt="What should the expert do differently next time?",
        now=now - timedelta(days=120),
    )


def _answer(rng: random.Random, survey: Survey, booking: Booking, when: datetime) -> None:
    """The seller is asked about the held consultation and answers within a day."""
    invitation = surveys.invite_to(survey=survey, user=booking.seller, subject=booking, now=when)
    if invitation is None:  # asked something recently: the survey rules say no
        return
    surveys.answer(
        invitation=invitation,
        user=booking.seller,
        score=rng.choice(SCORES),
        comment=rng.choice(COMMENTS),
        now=when + timedelta(hours=rng.randint(1, 20)),
    )
