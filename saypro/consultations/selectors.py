"""Reads of consultations: what each person may see, related rows fetched up front.

Sellers' reads defer ``private_notes``: the expert's notes never leave the
database for a seller's page.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import Store
from saypro.consultations.models import Booking, Expert, Slot, Topic, WeeklyAvailability
from saypro.consultations.services import booking_notice, change_notice
from saypro.notifications import selectors as notification_selectors

SELLER_FIELDS_HIDDEN = ("private_notes",)


def viewer_zone(user: User) -> zoneinfo.ZoneInfo:
    """The zone a person reads times in: their notification setting, else the marketplace's."""
    return zoneinfo.ZoneInfo(notification_selectors.settings_for(user).time_zone)


def active_topics() -> QuerySet[Topic]:
    """Bookable topics with their active experts."""
    experts = Expert.objects.filter(is_active=True).select_related("user")
    return Topic.objects.filter(is_active=True).prefetch_related(
        Prefetch("experts", queryset=experts)
    )


def topic_for(slug: str) -> Topic | None:
    return active_topics().filter(slug=slug).first()


def topic_by_pk(pk: int) -> Topic | None:
    return Topic.objects.filter(pk=pk).first()


def all_topics() -> QuerySet[Topic]:
    """Every topic, on or off, with how many bookings it has had (the office's list)."""
    return Topic.objects.annotate(booking_count=Count("bookings")).order_by("position", "pk")


def free_slots(
    *, topic: Topic, now: datetime | None = None, expert: Expert | None = None
) -> list[Slot]:
    """Slots ``topic`` can be booked in: an active expert who takes it, long enough, no active
    booking, and at least the booking notice ahead."""
    now = now or timezone.now()
    taken = Booking.objects.filter(slot=OuterRef("pk"), status=Booking.Status.BOOKED)
    slots = (
        Slot.objects.filter(
            removed_at=None,
            starts_at__gte=now + booking_notice(),
            expert__is_active=True,
            expert__topics=topic,
        )
        .exclude(Exists(taken))
        .select_related("expert__user")
        .order_by("starts_at", "pk")
    )
    if expert is not None:
        slots = slots.filter(expert=expert)
    return [slot for slot in slots if slot.minutes >= topic.duration_minutes]


def slots_by_day(slots: list[Slot], zone: zoneinfo.ZoneInfo) -> list[tuple[date, list[Slot]]]:
    """``slots`` grouped by their local day in ``zone`` (already in time order)."""
    return [
        (day, list(group))
        for day, group in groupby(slots, key=lambda slot: slot.starts_at.astimezone(zone).date())
    ]


def slot_for_booking(pk: int) -> Slot | None:
    return Slot.objects.filter(pk=pk).select_related("expert__user").first()


def _for_seller(user: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(seller=user)
        .defer(*SELLER_FIELDS_HIDDEN)
        .select_related("slot__expert__user", "topic", "store")
    )


@dataclass(frozen=True)
class MyConsultations:
    upcoming: list[Booking]
    past: list[Booking]


def my_consultations(user: User, *, now: datetime | None = None) -> MyConsultations:
    """A seller's bookings: upcoming (booked, soonest first) and the rest (newest first)."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return MyConsultations([], [])
    rows = list(_for_seller(user).exclude(status=Booking.Status.RESCHEDULED))
    upcoming = sorted(
        (row for row in rows if row.is_active and row.slot.ends_at > now),
        key=lambda row: row.slot.starts_at,
    )
    past = sorted(
        (row for row in rows if row not in upcoming),
        key=lambda row: row.slot.starts_at,
        reverse=True,
    )
    return MyConsultations(upcoming, past)


def booking_for_seller(user: User, pk: int) -> Booking | None:
    """The seller's own booking, without the expert's private notes."""
    if not user.is_authenticated:
        return None
    return _for_seller(user).filter(pk=pk).first()


def can_change(booking: Booking, now: datetime | None = None) -> bool:
    """Whether the seller may still cancel or move it themself."""
    now = now or timezone.now()
    return booking.is_active and booking.slot.starts_at - now >= change_notice()


def expert_of(user: User) -> Expert | None:
    if not user.is_authenticated or not user.is_staff:
        return None
    return (
        Expert.objects.filter(user=user).select_related("user").prefetch_related("topics").first()
    )


@dataclass(frozen=True)
class Availability:
    weekly: list[WeeklyAvailability]
    upcoming: list[Slot]  # with ``active_booking`` (a Booking or None)


def availability(expert: Expert, *, now: datetime | None = None) -> Availability:
    """The expert's weekly windows and their coming slots, each with its active booking."""
    now = now or timezone.now()
    active = Booking.objects.filter(status=Booking.Status.BOOKED).select_related("store", "topic")
    slots = list(
        expert.slots.filter(removed_at=None, ends_at__gt=now)
        .prefetch_related(Prefetch("bookings", queryset=active, to_attr="active_bookings"))
        .order_by("starts_at")
    )
    for slot in slots:
        slot.active_booking = slot.active_bookings[0] if slot.active_bookings else None
    return Availability(list(expert.weekly.all()), slots)


def _for_expert(expert: Expert) -> QuerySet[Booking]:
    return Booking.objects.filter(slot__expert=expert).select_related(
        "slot__expert__user", "seller", "store", "topic"
    )


def expert_bookings(expert: Expert, *, now: datetime | None = None) -> MyConsultations:
    """The expert's bookings: booked ones soonest first, then the closed and cancelled."""
    now = now or timezone.now()
    rows = list(_for_expert(expert).exclude(status=Booking.Status.RESCHEDULED))
    upcoming = sorted((row for row in rows if row.is_active), key=lambda r: r.slot.starts_at)
    past = sorted(
        (row for row in rows if not row.is_active), key=lambda r: r.slot.starts_at, reverse=True
    )
    return MyConsultations(upcoming, past)


def booking_for_office(user: User, pk: int) -> Booking | None:
    """Any booking, for office staff (experts cover for each other)."""
    if not user.is_authenticated or not user.is_staff:
        return None
    return (
        Booking.objects.filter(pk=pk)
        .select_related("slot__expert__user", "seller", "store", "topic", "cancelled_by")
        .first()
    )


def store_by_slug(slug: str) -> Store | None:
    """Any store by slug; the booking service checks the person works for it."""
    return Store.objects.filter(slug=slug).first()


def seller_stores(user: User) -> list[Store]:
    if not user.is_authenticated:
        return []
    return list(Store.objects.filter(memberships__user=user).order_by("name"))


@dataclass(frozen=True)
class Engagement:
    booked: int  # new bookings made in the period (a move is not a new booking)
    held: int  # consultations held (marked completed) that started in the period
    cancelled: int  # bookings cancelled in the period
    no_shows: int  # consultations that started in the period and the seller missed
    sellers: int  # distinct sellers who held a consultation in the period


def _held(start: datetime, end: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(
        status=Booking.Status.COMPLETED, slot__starts_at__gte=start, slot__starts_at__lt=end
    )


def sellers_consulted(start: datetime, end: datetime) -> QuerySet:
    """The ids of sellers whose consultation starting in ``[start, end)`` was held."""
    # Not the default ordering: DISTINCT would carry its columns (one row per booking).
    return _held(start, end).order_by().values_list("seller", flat=True).distinct()


def engagement(start: datetime, end: datetime) -> Engagement:
    """Consultation counts for the KPI work over ``[start, end)`` (aware datetimes)."""
    held = _held(start, end)
    counts = Booking.objects.aggregate(
        booked=Count(
            "pk",
            filter=Q(created_at__gte=start, created_at__lt=end, rescheduled_from__isnull=True),
        ),
        cancelled=Count(
            "pk",
            filter=Q(
                status=Booking.Status.CANCELLED, cancelled_at__gte=start, cancelled_at__lt=end
            ),
        ),
        no_shows=Count(
            "pk",
            filter=Q(
                status=Booking.Status.NO_SHOW,
                slot__starts_at__gte=start,
                slot__starts_at__lt=end,
            ),
        ),
    )
    return Engagement(
        booked=counts["booked"],
        held=held.count(),
        cancelled=counts["cancelled"],
        no_shows=counts["no_shows"],
        sellers=sellers_consulted(start, end).count(),
    )
