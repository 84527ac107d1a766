"""Every write of consultations: topics, experts' availability, sellers' bookings.

Each function checks the actor, validates its input and runs in one
transaction, so a refused call (an ``ApplicationError``) changes nothing.

Locks, always taken in this order so two writes never wait on each other in
a circle: the seller's user row, then the booking, then the slot; the
expert's profile row for anything that adds slots. Booking locks the slot
row and re-reads its active booking, and the partial unique index
``one_active_booking_per_slot`` turns any race the lock would miss into the
same clear refusal. The seller's row lock makes "one consultation at a time
per seller" hold when the same seller books two overlapping slots at once.
"""

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from saypro.academy import content as shipped
from saypro.accounts.models import User
from saypro.catalog.models import Store, StoreMembership
from saypro.consultations.models import (
    NOTE_MAX_LENGTH,
    PRIVATE_NOTES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Booking,
    Expert,
    Slot,
    Topic,
    WeeklyAvailability,
)
from saypro.consultations.tasks import consultation_held
from saypro.core.effects import enqueue_on_commit
from saypro.core.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from saypro.core.timezones import is_time_zone
from saypro.notifications import selectors as notification_selectors
from saypro.notifications import services as notifications
from saypro.notifications.models import NotificationType

SLOT_TAKEN = "Someone has just booked this slot; pick another."
MIN_SLOT_MINUTES = 15
MAX_SLOT_MINUTES = 240
# How far ahead a one-off slot may be offered; also keeps a mistyped year (9999) out,
# whose end would overflow ``datetime``.
ONE_OFF_AHEAD = timedelta(days=365)
DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)


def change_notice() -> timedelta:
    """How long before the start a seller may still cancel or move (CONSULTATIONS_NOTICE_HOURS)."""
    return timedelta(hours=settings.CONSULTATIONS_NOTICE_HOURS)


def booking_notice() -> timedelta:
    return timedelta(hours=settings.CONSULTATIONS_BOOKING_NOTICE_HOURS)


def is_seller(user: User) -> bool:
    """Consultations are for sellers: active members of a store."""
    return (
        user.is_authenticated
        and user.is_active
        and StoreMembership.objects.filter(user=user).exists()
    )


def is_office(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def _require_office(actor: User) -> None:
    """Experts are office staff; any of them may also cover a colleague's availability."""
    if not actor.is_authenticated:
        raise NotAuthenticated("Log in with your office account.")
    if not is_office(actor):
        raise PermissionDenied("Only marketplace office staff manage consultations.")


def _require_the_expert(actor: User, booking: Booking) -> None:
    if not actor.is_authenticated or actor.pk != booking.slot.expert.user_id:
        raise PermissionDenied("Only the expert who takes this consultation can do that.")


def local_text(user: User, moment: datetime) -> str:
    """``moment`` as the person reads it: their notification time zone, named."""
    zone_name = notification_selectors.settings_for(user).time_zone
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    return f"{local:%a %-d %b, %H:%M} ({zone_name.replace('_', ' ')})"


def _tell_seller(booking: Booking, text: str, now: datetime) -> None:
    notifications.notify(
        booking.seller,
        NotificationType.CONSULTATION_REMINDER,
        subject=booking,
        text=text,
        link=booking.get_absolute_url(),
        now=now,
    )


def _tell_expert(booking: Booking, text: str, now: datetime) -> None:
    notifications.notify(
        booking.slot.expert.user,
        NotificationType.CONSULTATION_REMINDER,
        subject=booking,
        text=text,
        link=reverse("office_consultations:booking", kwargs={"pk": booking.pk}),
        now=now,
    )


# --- Topics and experts ------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicsReport:
    created: int
    updated: int


@transaction.atomic
def load_topics(*, content: shipped.Content | None = None) -> TopicsReport:
    """Create or update the shipped topics by slug; the office's on/off switch is kept."""
    content = content or shipped.load_content()
    created = updated = 0
    for position, item in enumerate(content.consultation_topics, start=1):
        _, is_new = Topic.objects.update_or_create(
            slug=item.slug,
            defaults={
                "title": item.title,
                "description": item.description.strip(),
                "duration_minutes": item.duration_minutes,
                "articles": [
                    {"slug": slug, "title": content.article(slug).title} for slug in item.articles
                ],
                "position": position,
            },
        )
        created += is_new
        updated += not is_new
    return TopicsReport(created, updated)


@transaction.atomic
def set_topic_active(*, actor: User, topic: Topic, active: bool) -> Topic:
    """Switch a topic off (no new bookings; booked ones stay) or back on."""
    _require_office(actor)
    topic.is_active = active
    topic.save(update_fields=["is_active"])
    return topic


@transaction.atomic
def save_expert(
    *,
    actor: User,
    user: User,
    bio: str,
    topics: Iterable[Topic],
    time_zone: str,
    meeting_link: str,
) -> Expert:
    """Make ``user`` (office staff) an expert, or update their profile."""
    _require_office(actor)
    if not user.is_staff:
        raise ValidationFailed("Experts are office staff.", details={"field": "user"})
    if not is_time_zone(time_zone):
        raise ValidationFailed(
            f"“{time_zone}” is not a time zone (e.g. Africa/Johannesburg).",
            details={"field": "time_zone"},
        )
    if not meeting_link.startswith("https://"):
        raise ValidationFailed(
            "The meeting link must be an https:// address.", details={"field": "meeting_link"}
        )
    expert, _ = Expert.objects.update_or_create(
        user=user,
        defaults={
            "bio": bio.strip()[:2000],
            "time_zone": time_zone,
            "meeting_link": meeting_link,
            "is_active": True,
        },
    )
    expert.topics.set(list(topics))
    return expert


# --- Availability ------------------------------------------------------------------------------


def _locked_expert(expert: Expert) -> Expert:
    return Expert.objects.select_for_update().select_related("user").get(pk=expert.pk)


def _overlapping(slots: Iterable[Slot], starts_at: datetime, ends_at: datetime) -> Slot | None:
    return next(
        (slot for slot in slots if slot.starts_at < ends_at and starts_at < slot.ends_at), None
    )


def _check_minutes(minutes: int) -> None:
    if not MIN_SLOT_MINUTES <= minutes <= MAX_SLOT_MINUTES:
        raise ValidationFailed(
            f"A slot lasts {MIN_SLOT_MINUTES} to {MAX_SLOT_MINUTES} minutes.",
            details={"field": "slot_minutes"},
        )


@transaction.atomic
def add_weekly_availability(
    *,
    actor: User,
    expert: Expert,
    weekday: int,
    start_time: time,
    end_time: time,
    slot_minutes: int,
    now: datetime | None = None,
) -> WeeklyAvailability:
    """A weekly window (expert's zone) cut into slots; slots are made for the coming weeks."""
    _require_office(actor)
    now = now or timezone.now()
    expert = _locked_expert(expert)
    _check_minutes(slot_minutes)
    if not 0 <= weekday <= 6:
        raise ValidationFailed("Pick a day of the week.", details={"field": "weekday"})
    if end_time <= start_time:
        raise ValidationFailed("The end comes after the start.", details={"field": "end_time"})
    length = datetime.combine(date.min, end_time) - datetime.combine(date.min, start_time)
    if length < timedelta(minutes=slot_minutes):
        raise ValidationFailed(
            f"The window is shorter than one {slot_minutes}-minute slot.",
            details={"field": "end_time"},
        )
    clash = expert.weekly.filter(
        weekday=weekday, start_time__lt=end_time, end_time__gt=start_time
    ).first()
    if clash is not None:
        raise Conflict(
            f"This overlaps your {clash} window; change that one instead.",
            code="overlapping_window",
        )
    pattern = WeeklyAvailability.objects.create(
        expert=expert,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
    )
    _extend(expert, now)
    return pattern


@transaction.atomic
def remove_weekly_availability(
    *, actor: User, pattern: WeeklyAvailability, now: datetime | None = None
) -> int:
    """Stop a weekly window; its future free slots go, booked ones stay. How many went."""
    _require_office(actor)
    now = now or timezone.now()
    _locked_expert(pattern.expert)
    removed = (
        Slot.objects.filter(pattern=pattern, starts_at__gt=now, removed_at=None)
        .exclude(bookings__status=Booking.Status.BOOKED)
        .update(removed_at=now)
    )
    pattern.delete()
    return removed


def _pattern_times(
    pattern: WeeklyAvailability, zone: zoneinfo.ZoneInfo, first_day: date, days: int
) -> list[tuple[datetime, datetime]]:
    """The UTC start and end of each slot ``pattern`` gives on the days from ``first_day``."""
    utc = zoneinfo.ZoneInfo("UTC")
    times = []
    step = timedelta(minutes=pattern.slot_minutes)
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day.weekday() != pattern.weekday:
            continue
        start = datetime.combine(day, pattern.start_time, tzinfo=zone)
        end_of_window = datetime.combine(day, pattern.end_time, tzinfo=zone)
        while start + step <= end_of_window:
            times.append((start.astimezone(utc), (start + step).astimezone(utc)))
            start += step
    return times


def _extend(expert: Expert, now: datetime) -> int:
    """Slots from every weekly window up to CONSULTATIONS_WEEKS_AHEAD; caller holds the lock.

    A time that overlaps a slot already there is skipped, and so is a time the
    expert removed (its removed row stays), so running this again adds nothing.
    """
    days = settings.CONSULTATIONS_WEEKS_AHEAD * 7
    first_day = now.astimezone(expert.zone).date()
    horizon = now + timedelta(days=days + 1)
    existing = list(expert.slots.filter(ends_at__gt=now, starts_at__lt=horizon))
    live = [slot for slot in existing if slot.removed_at is None]
    removed_starts = {slot.starts_at for slot in existing if slot.removed_at is not None}
    new = []
    for pattern in expert.weekly.all():
        for starts_at, ends_at in _pattern_times(pattern, expert.zone, first_day, days):
            if starts_at <= now or starts_at in removed_starts:
                continue
            if _overlapping(live, starts_at, ends_at) is not None:
                continue
            slot = Slot(
                expert=expert, starts_at=starts_at, ends_at=ends_at, pattern=pattern, created_at=now
            )
            live.append(slot)
            new.append(slot)
    Slot.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def extend_availability(*, expert: Expert, now: datetime | None = None) -> int:
    """Roll ``expert``'s weekly windows forward into slots; how many were added."""
    return _extend(_locked_expert(expert), now or timezone.now())


def extend_all_availability(*, now: datetime | None = None) -> int:
    """The daily roll-forward for every active expert, one transaction each."""
    now = now or timezone.now()
    return sum(
        extend_availability(expert=expert, now=now)
        for expert in Expert.objects.filter(is_active=True, weekly__isnull=False).distinct()
    )


@transaction.atomic
def add_slot(
    *, actor: User, expert: Expert, starts_at: datetime, minutes: int, now: datetime | None = None
) -> Slot:
    """A one-off slot; refused if it is in the past, more than ``ONE_OFF_AHEAD`` away, or
    overlaps another of the expert's."""
    _require_office(actor)
    now = now or timezone.now()
    _check_minutes(minutes)
    if starts_at <= now:
        raise ValidationFailed("Pick a time in the future.", details={"field": "starts_at"})
    if starts_at > now + ONE_OFF_AHEAD:
        raise ValidationFailed("Pick a time within the next year.", details={"field": "starts_at"})
    expert = _locked_expert(expert)
    ends_at = starts_at + timedelta(minutes=minutes)
    clash = _overlapping(
        expert.slots.filter(removed_at=None, starts_at__lt=ends_at, ends_at__gt=starts_at),
        starts_at,
        ends_at,
    )
    if clash is not None:
        local = clash.starts_at.astimezone(expert.zone)
        raise Conflict(
            f"This overlaps your slot on {local:%a %-d %b at %H:%M}.", code="overlapping_slot"
        )
    return Slot.objects.create(expert=expert, starts_at=starts_at, ends_at=ends_at, created_at=now)


@transaction.atomic
def remove_slot(*, actor: User, slot: Slot, now: datetime | None = None) -> Slot:
    """Take a free slot off offer; a booked one must be cancelled first."""
    _require_office(actor)
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if slot.bookings.filter(status=Booking.Status.BOOKED).exists():
        raise Conflict(
            "This slot is booked: cancel the booking first (the seller is told).",
            code="slot_booked",
        )
    if slot.removed_at is None:
        slot.removed_at = now
        slot.save(update_fields=["removed_at"])
    return slot


# --- Bookings ----------------------------------------------------------------------------------


def _clean_note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed(
            f"Keep the note to {NOTE_MAX_LENGTH} characters ({len(note)} now).",
            details={"field": "note"},
        )
    return note


def _require_member(seller: User, store: Store) -> None:
    if not seller.is_authenticated:
        raise NotAuthenticated("Log in to book a consultation.")
    if not is_seller(seller):
        raise PermissionDenied("Consultations are for sellers: join or open a store first.")
    if not StoreMembership.objects.filter(user=seller, store=store).exists():
        raise PermissionDenied("You can book only for a store you work for.")


def _bookable_slot(slot: Slot, topic: Topic, now: datetime) -> Slot:
    """The slot, row-locked, if ``topic`` can be booked in it now; refusals otherwise."""
    slot = Slot.objects.select_for_update().select_related("expert__user").get(pk=slot.pk)
    if slot.removed_at is not None or not slot.expert.is_active:
        raise Conflict("This time is no longer offered; pick another.", code="slot_removed")
    if slot.starts_at < now + booking_notice():
        raise ValidationFailed(
            f"Book at least {settings.CONSULTATIONS_BOOKING_NOTICE_HOURS} hours ahead; "
            "pick a later time.",
            code="too_soon",
            details={"field": "slot"},
        )
    if not slot.expert.topics.filter(pk=topic.pk).exists():
        raise ValidationFailed(
            f"{slot.expert.name} does not take “{topic.title}”; pick one of their topics.",
            details={"field": "topic"},
        )
    if topic.duration_minutes > slot.minutes:
        raise ValidationFailed(
            f"“{topic.title}” needs {topic.duration_minutes} minutes; this slot has "
            f"{slot.minutes}.",
            details={"field": "slot"},
        )
    if slot.bookings.filter(status=Booking.Status.BOOKED).exists():
        raise Conflict(SLOT_TAKEN, code="slot_taken")
    return slot


def _check_seller_free(seller: User, slot: Slot, *, besides: Booking | None = None) -> None:
    busy = Booking.objects.filter(
        seller=seller,
        status=Booking.Status.BOOKED,
        slot__starts_at__lt=slot.ends_at,
        slot__ends_at__gt=slot.starts_at,
    )
    if besides is not None:
        busy = busy.exclude(pk=besides.pk)
    if busy.exists():
        raise Conflict(
            "You already have a consultation at that time; pick another time.",
            code="seller_busy",
        )


def _create_booking(**fields) -> Booking:
    """Insert under a savepoint: the unique index is the last word on a taken slot."""
    try:
        with transaction.atomic():
            return Booking.objects.create(**fields)
    except IntegrityError:
        raise Conflict(SLOT_TAKEN, code="slot_taken") from None


@transaction.atomic
def book_consultation(
    *,
    seller: User,
    slot: Slot,
    topic: Topic,
    store: Store,
    note: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book ``slot`` on ``topic`` for ``store``; the seller and the expert are told.

    Locks the seller's user row, then the slot (module docstring). Refused
    with ``SLOT_TAKEN`` when another seller got there first.
    """
    now = now or timezone.now()
    _require_member(seller, store)
    note = _clean_note(note)
    if not topic.is_active:
        raise NotFound("This topic is not offered at the moment.")
    User.objects.select_for_update().filter(pk=seller.pk).first()
    slot = _bookable_slot(slot, topic, now)
    _check_seller_free(seller, slot)
    booking = _create_booking(
        slot=slot,
        seller=seller,
        store=store,
        topic=topic,
        note=note,
        meeting_link=slot.expert.meeting_link,
        created_at=now,
        # Booked within a day of the start: the confirmation is the day-before reminder.
        reminded_day_before_at=now if slot.starts_at - now <= DAY_BEFORE else None,
    )
    _tell_seller(
        booking,
        f"Booked: “{topic.title}” with {slot.expert.name}, {local_text(seller, slot.starts_at)}",
        now,
    )
    _tell_expert(
        booking,
        f"New consultation: “{topic.title}” with {store.name}, "
        f"{local_text(slot.expert.user, slot.starts_at)}",
        now,
    )
    return booking


def _locked_booking(booking: Booking) -> Booking:
    booking = (
        Booking.objects.select_for_update()
        .select_related("slot__expert__user", "seller", "store", "topic")
        .get(pk=booking.pk)
    )
    if booking.status != Booking.Status.BOOKED:
        raise Conflict(
            f"This consultation is no longer booked ({booking.get_status_display().lower()}).",
            code="not_booked",
        )
    return booking


def _check_seller_notice(booking: Booking, now: datetime, what: str) -> None:
    if booking.slot.starts_at - now < change_notice():
        raise Conflict(
            f"It starts in less than {settings.CONSULTATIONS_NOTICE_HOURS} hours, so it can no "
            f"longer be {what} here: contact support and we will sort it out.",
            code="too_late",
        )


@transaction.atomic
def reschedule_consultation(
    *, actor: User, booking: Booking, new_slot: Slot, now: datetime | None = None
) -> Booking:
    """Move a booking to another free slot of the same expert, in one step.

    The old booking becomes ``rescheduled`` (freeing its slot) and the new one
    is booked in the same transaction: either both happen or neither. The
    seller may move up to CONSULTATIONS_NOTICE_HOURS before the start; office
    staff any time. Returns the new booking.
    """
    now = now or timezone.now()
    if not actor.is_authenticated:
        raise NotAuthenticated("Log in to move a consultation.")
    office = is_office(actor)
    if actor.pk != booking.seller_id and not office:
        raise PermissionDenied("You can move only your own consultations.")
    User.objects.select_for_update().filter(pk=booking.seller_id).first()
    booking = _locked_booking(booking)
    if not office:
        _check_seller_notice(booking, now, "moved")
    if new_slot.expert_id != booking.slot.expert_id:
        raise ValidationFailed("Pick another time with the same expert.", details={"field": "slot"})
    if new_slot.pk == booking.slot_id:
        raise ValidationFailed(
            "That is the time you have; pick another.", details={"field": "slot"}
        )
    old_slot = booking.slot
    booking.status = Booking.Status.RESCHEDULED
    booking.cancelled_at, booking.cancelled_by = now, actor
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    slot = _bookable_slot(new_slot, booking.topic, now)
    _check_seller_free(booking.seller, slot, besides=booking)
    moved = _create_booking(
        slot=slot,
        seller=booking.seller,
        store=booking.store,
        topic=booking.topic,
        note=booking.note,
        private_notes=booking.private_notes,
        meeting_link=booking.meeting_link,
        rescheduled_from=booking,
        created_at=now,
        reminded_day_before_at=now if slot.starts_at - now <= DAY_BEFORE else None,
    )
    seller_text = (
        f"Moved: “{booking.topic.title}” is now {local_text(booking.seller, slot.starts_at)} "
        f"(was {local_text(booking.seller, old_slot.starts_at)})"
    )
    expert_user = slot.expert.user
    expert_text = (
        f"Moved: “{booking.topic.title}” with {booking.store.name} is now "
        f"{local_text(expert_user, slot.starts_at)}"
    )
    _tell_seller(moved, seller_text, now)
    _tell_expert(moved, expert_text, now)
    return moved


@transaction.atomic
def cancel_consultation(
    *, actor: User, booking: Booking, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel a booking and tell the other side.

    The seller who booked may cancel up to CONSULTATIONS_NOTICE_HOURS before
    the start (later they contact support); office staff any time, with a
    reason the seller reads.
    """
    now = now or timezone.now()
    if not actor.is_authenticated:
        raise NotAuthenticated("Log in to cancel a consultation.")
    office = is_office(actor)
    if actor.pk != booking.seller_id and not office:
        raise PermissionDenied("You can cancel only your own consultations.")
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationFailed(
            f"Keep the reason to {REASON_MAX_LENGTH} characters.", details={"field": "reason"}
        )
    by_seller = actor.pk == booking.seller_id
    if not by_seller and not reason:
        raise ValidationFailed(
            "Say why, for the seller: they read it in the notification.",
            details={"field": "reason"},
        )
    booking = _locked_booking(booking)
    if by_seller:
        _check_seller_notice(booking, now, "cancelled")
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at, booking.cancelled_by, booking.cancel_reason = now, actor, reason
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    slot, topic = booking.slot, booking.topic
    if by_seller:
        _tell_expert(
            booking,
            f"Cancelled by {booking.store.name}: “{topic.title}”, "
            f"{local_text(slot.expert.user, slot.starts_at)}",
            now,
        )
    else:
        _tell_seller(
            booking,
            f"Cancelled: “{topic.title}”, {local_text(booking.seller, slot.starts_at)}. "
            f"Reason: {reason}",
            now,
        )
    return booking


@transaction.atomic
def close_consultation(
    *,
    actor: User,
    booking: Booking,
    held: bool,
    private_notes: str | None = None,
    now: datetime | None = None,
) -> Booking:
    """The expert marks it held (``held``) or a no-show, once it has started.

    After a held consultation commits, the follow-up survey
    (``consultation_held`` trigger) is offered to the seller.
    """
    now = now or timezone.now()
    _require_the_expert(actor, booking)
    booking = _locked_booking(booking)
    if now < booking.slot.starts_at:
        raise Conflict("It has not started yet.", code="not_started")
    booking.status = Booking.Status.COMPLETED if held else Booking.Status.NO_SHOW
    booking.closed_at = now
    fields = ["status", "closed_at"]
    if private_notes is not None:
        booking.private_notes = _clean_private_notes(private_notes)
        fields.append("private_notes")
    booking.save(update_fields=fields)
    if held:
        enqueue_on_commit(consultation_held, booking.pk)
    return booking


def _clean_private_notes(text: str) -> str:
    text = text.strip()
    if len(text) > PRIVATE_NOTES_MAX_LENGTH:
        raise ValidationFailed(
            f"Keep the notes to {PRIVATE_NOTES_MAX_LENGTH} characters.",
            details={"field": "private_notes"},
        )
    return text


@transaction.atomic
def save_private_notes(*, actor: User, booking: Booking, private_notes: str) -> Booking:
    """The expert's own notes on a consultation; never shown to the seller."""
    _require_the_expert(actor, booking)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    booking.private_notes = _clean_private_notes(private_notes)
    booking.save(update_fields=["private_notes"])
    return booking


# --- Reminders ---------------------------------------------------------------------------------


def send_reminders(*, now: datetime | None = None) -> int:
    """The reminders 24 hours and 1 hour before; how many were sent.

    Each is sent once: the booking's reminder time is set by a conditional
    update in the notification's transaction, so two workers running at the
    same moment cannot both send it. A booking within the hour that never got
    its day-before reminder gets only the hour-before one.
    """
    now = now or timezone.now()
    due = (
        Booking.objects.filter(
            status=Booking.Status.BOOKED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + DAY_BEFORE,
        )
        .filter(
            Q(reminded_day_before_at=None)
            | Q(reminded_hour_before_at=None, slot__starts_at__lte=now + HOUR_BEFORE)
        )
        .select_related("slot__expert__user", "seller", "topic")
    )
    sent = 0
    for booking in due:
        within_hour = booking.slot.starts_at - now <= HOUR_BEFORE
        with transaction.atomic():
            if within_hour:
                claimed = Booking.objects.filter(
                    pk=booking.pk, reminded_hour_before_at=None
                ).update(reminded_hour_before_at=now, reminded_day_before_at=now)
                text = "Starting within the hour"
            else:
                claimed = Booking.objects.filter(pk=booking.pk, reminded_day_before_at=None).update(
                    reminded_day_before_at=now
                )
                text = "Tomorrow"
            if not claimed:
                continue
            _tell_seller(
                booking,
                f"{text}: “{booking.topic.title}” with {booking.slot.expert.name}, "
                f"{local_text(booking.seller, booking.slot.starts_at)}",
                now,
            )
        sent += 1
    return sent
