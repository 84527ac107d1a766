"""Reads of the support desk: what each person may see, the office queue, the rota and the KPIs.

Sellers see the tickets of their stores, without internal notes; office
staff see every ticket. The KPI selectors (``satisfaction``, ``targets_met``)
take half-open UTC ranges ``[start, end)``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, BooleanField, Case, Count, F, Prefetch, Q, QuerySet, When

from saypro.accounts.models import User
from saypro.catalog.models import Store, StoreMembership
from saypro.support import targets
from saypro.support.models import (
    ACTIVE,
    CLOCK_RUNNING,
    Attachment,
    CannedReply,
    DutyShift,
    Ticket,
    TicketMessage,
)


def _is_office(user: User) -> bool:
    return user.is_authenticated and user.is_office_staff


def member_stores(user: User) -> QuerySet[Store]:
    """The stores ``user`` is a member of: the ones they can open tickets for."""
    if not user.is_authenticated:
        return Store.objects.none()
    return Store.objects.filter(memberships__user=user).order_by("name")


def is_member(user: User, ticket: Ticket) -> bool:
    return StoreMembership.objects.filter(user=user, store_id=ticket.store_id).exists()


def my_tickets(user: User) -> QuerySet[Ticket]:
    """The tickets of the user's stores, latest update first."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    return (
        Ticket.objects.filter(store__memberships__user=user)
        .select_related("store", "requester")
        .order_by("-updated_at", "-pk")  # a total order: pages never repeat or skip a ticket
    )


def ticket_for(user: User, code: str) -> Ticket | None:
    """The ticket if ``user`` may see it: office staff, or a member of its store."""
    if not user.is_authenticated or not user.is_active:
        return None
    tickets = Ticket.objects.select_related("store", "requester", "assignee")
    if not _is_office(user):
        tickets = tickets.filter(store__memberships__user=user)
    return tickets.filter(code=code).first()


def thread(user: User, ticket: Ticket) -> list[TicketMessage]:
    """The ticket's messages in order; internal notes only for office staff."""
    messages = ticket.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    if not _is_office(user):
        messages = messages.filter(is_internal=False)
    return list(messages)


def attachment_for(user: User, pk: int) -> Attachment | None:
    attachment = Attachment.objects.select_related("message__ticket").filter(pk=pk).first()
    if attachment is None:
        return None
    message = attachment.message
    if _is_office(user):
        return attachment
    if message.is_internal or ticket_for(user, message.ticket.code) is None:
        return None
    return attachment


# --- The office queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """One target of a ticket as the queue shows it."""

    label: str  # "First response" | "Resolution"
    left: timedelta
    paused: bool

    @property
    def overdue(self) -> bool:
        return self.left.total_seconds() < 0

    @property
    def state(self) -> str:
        """CSS modifier: overdue, due (an hour or less left), ok."""
        if self.overdue:
            return "overdue"
        return "due" if self.left <= timedelta(hours=1) else "ok"

    @property
    def text(self) -> str:
        return targets.describe(self.left) + (" (paused: waiting on seller)" if self.paused else "")


def clocks(ticket: Ticket, now: datetime) -> list[Clock]:
    """The ticket's running targets: first response until answered, resolution until resolved."""
    shown = []
    first = ticket.first_response_left(now)
    if first is not None:
        shown.append(Clock("First response", first, paused=False))
    resolution = ticket.resolution_left(now)
    if resolution is not None:
        shown.append(Clock("Resolution", resolution, paused=ticket.paused_at is not None))
    return shown


def queue(
    user: User,
    *,
    now: datetime,
    mine: bool = False,
    unassigned: bool = False,
    priority: str = "",
    status: str = "",
    category: str = "",
) -> list[tuple[Ticket, list[Clock]]]:
    """Active tickets (or those of ``status``), the most pressing due time first.

    Tickets whose clock runs come first, by their next due time (the first
    response while unanswered, else the resolution); those waiting on the
    seller follow.
    """
    if not _is_office(user):
        return []
    tickets = Ticket.objects.select_related("store", "requester", "assignee")
    tickets = tickets.filter(status=status) if status else tickets.filter(status__in=ACTIVE)
    if mine:
        tickets = tickets.filter(assignee=user)
    if unassigned:
        tickets = tickets.filter(assignee__isnull=True)
    if priority:
        tickets = tickets.filter(priority=priority)
    if category:
        tickets = tickets.filter(category=category)
    tickets = tickets.annotate(
        waiting=Case(
            When(status__in=CLOCK_RUNNING, then=False),
            default=True,
            output_field=BooleanField(),
        ),
        next_due=Case(
            When(first_response_at__isnull=True, then=F("first_response_due")),
            default=F("resolution_due"),
        ),
    ).order_by("waiting", "next_due", "pk")[:200]
    return [(ticket, clocks(ticket, now)) for ticket in tickets]


def office_staff() -> QuerySet[User]:
    return User.objects.filter(is_staff=True, is_active=True).order_by("first_name", "email")


def canned_replies() -> QuerySet[CannedReply]:
    return CannedReply.objects.all()


def canned_reply(pk: int) -> CannedReply | None:
    return CannedReply.objects.filter(pk=pk).first()


def shift(pk: int) -> DutyShift | None:
    return DutyShift.objects.filter(pk=pk).first()


# --- The rota -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rota:
    on_duty: list[DutyShift]
    next_up: list[DutyShift]
    week: list[DutyShift]
    gaps: list[tuple[datetime, datetime]]


def rota(*, now: datetime, days: int = 7) -> Rota:
    """Who is on the desk now and next, the shifts of the next ``days``, and the uncovered gaps."""
    horizon = now + timedelta(days=days)
    shifts = list(
        DutyShift.objects.filter(ends_at__gt=now, starts_at__lt=horizon)
        .select_related("staff")
        .order_by("starts_at", "staff__email")
    )
    on_duty = [shift for shift in shifts if shift.starts_at <= now]
    later = [shift for shift in shifts if shift.starts_at > now]
    next_start = later[0].starts_at if later else None
    next_up = [shift for shift in later if shift.starts_at == next_start]
    return Rota(on_duty=on_duty, next_up=next_up, week=shifts, gaps=gaps(shifts, now, horizon))


def gaps(
    shifts: list[DutyShift], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The parts of ``[start, end)`` that no shift covers."""
    uncovered, cursor = [], start
    for shift in sorted(shifts, key=lambda s: s.starts_at):
        if shift.starts_at > cursor:
            uncovered.append((cursor, min(shift.starts_at, end)))
        cursor = max(cursor, shift.ends_at)
        if cursor >= end:
            break
    if cursor < end:
        uncovered.append((cursor, end))
    return [(a, b) for a, b in uncovered if b > a]


# --- KPIs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    ratings: int
    average: float | None
    share_4_or_5: float | None


def satisfaction(start: datetime, end: datetime) -> Satisfaction:
    """The sellers' ratings given in ``[start, end)``: count, average and share rating 4–5."""
    row = Ticket.objects.filter(
        rated_at__gte=start, rated_at__lt=end, satisfaction__isnull=False
    ).aggregate(
        ratings=Count("pk"),
        average=Avg("satisfaction"),
        good=Count("pk", filter=Q(satisfaction__gte=4)),
    )
    ratings = row["ratings"]
    return Satisfaction(
        ratings=ratings,
        average=float(row["average"]) if ratings else None,
        share_4_or_5=row["good"] / ratings if ratings else None,
    )


@dataclass(frozen=True)
class TargetsMet:
    first_responses: int
    first_responses_in_time: int
    resolutions: int
    resolutions_in_time: int

    @property
    def first_response_share(self) -> float | None:
        return self.first_responses_in_time / self.first_responses if self.first_responses else None

    @property
    def resolution_share(self) -> float | None:
        return self.resolutions_in_time / self.resolutions if self.resolutions else None


def targets_met(start: datetime, end: datetime) -> TargetsMet:
    """First responses and resolutions made in ``[start, end)``, and how many were in time.

    A resolution counts at its latest ``resolved_at`` (a reopened ticket counts
    when it is resolved again).
    """
    responded = Ticket.objects.filter(first_response_at__gte=start, first_response_at__lt=end)
    resolved = Ticket.objects.filter(resolved_at__gte=start, resolved_at__lt=end)
    first = responded.aggregate(
        total=Count("pk"),
        in_time=Count("pk", filter=Q(first_response_at__lte=F("first_response_due"))),
    )
    resolution = resolved.aggregate(
        total=Count("pk"),
        in_time=Count("pk", filter=Q(resolved_at__lte=F("resolution_due"))),
    )
    return TargetsMet(
        first_responses=first["total"],
        first_responses_in_time=first["in_time"],
        resolutions=resolution["total"],
        resolutions_in_time=resolution["in_time"],
    )
