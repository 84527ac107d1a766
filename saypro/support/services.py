"""Every write of the support desk: tickets, replies, notes, assignment, statuses, rota, replies.

Each function checks the actor, validates its input and runs in one
transaction (the ticket row locked), so a refused call changes nothing. Every
change of a ticket records a ``support.ticket`` event for the store's members
(sellers follow their store's tickets), the assignee and the staff on duty
now; internal notes go to the office only. Sellers are notified
(``SUPPORT_TICKET_UPDATE``) of office replies and resolutions, the assignee of
seller replies.

Status rules (see docs/support.md): an office reply sets ``first_response_at``
once and waits on the seller; a seller reply to a ticket waiting on them
hands it back to the office; resolved tickets close with the seller's rating
or by themselves after ``SUPPORT_AUTO_CLOSE_DAYS``, and can be reopened until
then. The resolution clock runs only while the office has the ball
(``models.CLOCK_RUNNING``).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from saypro.academy.content import load_content as load_shipped_content
from saypro.accounts.models import User
from saypro.catalog.models import Store, StoreMembership
from saypro.core import events, ratelimit
from saypro.core.codes import readable_code
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.messaging.services import IMAGE_FORMATS
from saypro.notifications import services as notifications
from saypro.notifications.models import NotificationType
from saypro.support import targets
from saypro.support.events import SupportEvent, TicketEventData
from saypro.support.models import (
    BODY_MAX_LENGTH,
    CLOCK_RUNNING,
    COMMENT_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Attachment,
    CannedReply,
    Category,
    DutyShift,
    Priority,
    Status,
    Ticket,
    TicketMessage,
)

MAX_ATTACHMENTS = 5
MAX_SHIFT = timedelta(hours=24)

# Which status the office may set by hand from which (resolve, close and reopen have their own).
STAFF_STATUS_CHANGES = {
    Status.OPEN: {Status.WAITING_ON_OFFICE, Status.WAITING_ON_SELLER},
    Status.WAITING_ON_OFFICE: {Status.WAITING_ON_SELLER},
    Status.WAITING_ON_SELLER: {Status.WAITING_ON_OFFICE},
}


# --- Checks ---------------------------------------------------------------------------------


def is_member(user: User, store_id: int) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and StoreMembership.objects.filter(user=user, store_id=store_id).exists()
    )


def _require_staff(user: User, action: str) -> None:
    if not user.is_authenticated or not user.is_office_staff:
        raise PermissionDenied(f"Only marketplace office staff can {action}.")


def _require_party(user: User, ticket: Ticket) -> bool:
    """The actor is office staff or a member of the ticket's store; True for staff."""
    if user.is_authenticated and user.is_office_staff:
        return True
    if is_member(user, ticket.store_id):
        return False
    raise NotFound("No such ticket.")


def _clean(value: str | None, *, label: str, max_length: int, required: bool = True) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationFailed(f"Write the {label}.", details={"field": label})
    if len(text) > max_length:
        raise ValidationFailed(
            f"The {label} can be at most {max_length:,} characters (it has {len(text):,}).",
            details={"field": label},
        )
    return text


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


# --- Clock ------------------------------------------------------------------------------------


def _set_status(ticket: Ticket, status: str, now: datetime) -> None:
    """Move to ``status``, stopping or restarting the resolution clock as the rule says."""
    was_running = ticket.status in CLOCK_RUNNING
    runs = status in CLOCK_RUNNING
    if was_running and not runs:
        ticket.paused_at = now
    elif runs and not was_running and ticket.paused_at is not None:
        ticket.paused_seconds += max(0, int((now - ticket.paused_at).total_seconds()))
        ticket.paused_at = None
        ticket.resolution_due = targets.resolution_due(
            ticket.priority, ticket.created_at, ticket.paused
        )
    ticket.status = status


# --- Events and notifications ---------------------------------------------------------------


def on_duty_ids(now: datetime) -> set[int]:
    return set(
        DutyShift.objects.filter(starts_at__lte=now, ends_at__gt=now).values_list(
            "staff_id", flat=True
        )
    )


def _record(ticket: Ticket, action: str, now: datetime, *, office_only: bool = False) -> None:
    data: TicketEventData = {
        "ticket_id": ticket.pk,
        "code": ticket.code,
        "status": ticket.status,
        "action": action,
    }
    recipients = on_duty_ids(now)
    if ticket.assignee_id:
        recipients.add(ticket.assignee_id)
    if not office_only:
        recipients.update(
            StoreMembership.objects.filter(store_id=ticket.store_id).values_list(
                "user_id", flat=True
            )
        )
        recipients.add(ticket.requester_id)
    events.record(SupportEvent.TICKET, {user_id: dict(data) for user_id in recipients})


def _notify(recipient_id: int | None, ticket: Ticket, text: str, link: str, now) -> None:
    if recipient_id is None:
        return
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return
    notifications.notify(
        recipient,
        NotificationType.SUPPORT_TICKET_UPDATE,
        subject=ticket,
        text=text,
        link=link,
        coalesce_key=f"support:{ticket.pk}",
        now=now,
    )


def _touch(ticket: Ticket, now: datetime, *fields: str) -> None:
    ticket.updated_at = max(ticket.updated_at, now)
    ticket.save(update_fields=["updated_at", *fields])


# --- Attachments ----------------------------------------------------------------------------


def check_upload(upload) -> tuple[str, str]:
    """``(kind, content type)`` of an image (JPEG, PNG, GIF, WebP) or PDF ≤ the size limit.

    The type is read from the content, never the name (the same rule as message
    attachments, ``saypro.messaging.services.upload_attachment``).
    """
    limit = settings.MESSAGING_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationFailed(
            f"Attachments can be at most {limit // (1024 * 1024)} MB "
            f"(“{upload.name}” is {upload.size / (1024 * 1024):.1f} MB).",
            details={"field": "attachments"},
        )
    if upload.size == 0:
        raise ValidationFailed(f"“{upload.name}” is empty.", details={"field": "attachments"})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return Attachment.Kind.PDF, "application/pdf"
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = None
    upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationFailed(
            f"Attach images (JPEG, PNG, GIF or WebP) or PDFs; the content of “{upload.name}” "
            "is neither, whatever its name says.",
            details={"field": "attachments"},
        )
    return Attachment.Kind.IMAGE, IMAGE_FORMATS[image_format]


def _attach(message: TicketMessage, uploads: Sequence, now: datetime) -> None:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            f"Attach at most {MAX_ATTACHMENTS} files to one message.",
            details={"field": "attachments"},
        )
    checked = [(upload, *check_upload(upload)) for upload in uploads]
    for upload, kind, content_type in checked:
        name = (upload.name or "attachment").replace("\\", "/").rsplit("/", 1)[-1][-200:]
        attachment = Attachment(
            message=message,
            name=name or "attachment",
            kind=kind,
            content_type=content_type,
            size=upload.size,
            created_at=now,
        )
        upload.seek(0)
        # The file is written before the row; a rolled-back transaction leaves an orphan file
        # that the storage's owner may sweep, never a row without its file.
        attachment.file.save(attachment.name, upload, save=False)
        attachment.save()


# --- Tickets ------------------------------------------------------------------------------------


@transaction.atomic
def open_ticket(
    user: User,
    *,
    store: Store,
    subject: str,
    category: str,
    priority: str,
    description: str,
    attachments: Sequence = (),
    now: datetime | None = None,
) -> Ticket:
    """A member of ``store`` asks the office for help; the description is the first message."""
    now = now or timezone.now()
    if not is_member(user, store.pk):
        raise PermissionDenied("Only members of a store can open support tickets for it.")
    subject = _clean(subject, label="subject", max_length=SUBJECT_MAX_LENGTH)
    description = _clean(description, label="description", max_length=BODY_MAX_LENGTH)
    if category not in Category.values:
        raise ValidationFailed("Choose a category.", details={"field": "category"})
    if priority not in Priority.values:
        raise ValidationFailed("Choose a priority.", details={"field": "priority"})
    ratelimit.hit(
        "support-open", user.pk, settings.SUPPORT_TICKET_RATE_LIMIT, action="open a support ticket"
    )
    ticket = Ticket.objects.create(
        code=readable_code("SUP"),
        store=store,
        requester=user,
        subject=subject,
        category=category,
        priority=priority,
        status=Status.OPEN,
        created_at=now,
        updated_at=now,
        first_response_due=targets.first_response_due(priority, now),
        resolution_due=targets.resolution_due(priority, now, timedelta(0)),
    )
    message = TicketMessage.objects.create(
        ticket=ticket, author=user, body=description, created_at=now
    )
    _attach(message, attachments, now)
    _record(ticket, "opened", now)
    return ticket


@transaction.atomic
def reply(
    user: User,
    ticket: Ticket,
    *,
    body: str,
    attachments: Sequence = (),
    now: datetime | None = None,
) -> TicketMessage:
    """A public reply. The office's first one stops the first-response clock."""
    now = now or timezone.now()
    is_office = _require_party(user, ticket)
    ticket = _locked(ticket)
    body = _clean(body, label="body", max_length=BODY_MAX_LENGTH)
    if ticket.status == Status.CLOSED:
        raise Conflict("This ticket is closed; open a new one if you still need help.")
    if ticket.status == Status.RESOLVED:
        raise Conflict("This ticket is resolved: reopen it to reply.")
    message = TicketMessage.objects.create(
        ticket=ticket, author=user, body=body, from_office=is_office, created_at=now
    )
    _attach(message, attachments, now)
    if is_office:
        if ticket.first_response_at is None:
            ticket.first_response_at = now
        _set_status(ticket, Status.WAITING_ON_SELLER, now)
    elif ticket.status == Status.WAITING_ON_SELLER:
        _set_status(ticket, Status.WAITING_ON_OFFICE, now)
    _touch(
        ticket,
        now,
        "first_response_at",
        "status",
        "paused_at",
        "paused_seconds",
        "resolution_due",
    )
    _record(ticket, "replied", now)
    if is_office:
        _notify(
            ticket.requester_id,
            ticket,
            f"The support desk answered {ticket.code}: {ticket.subject}",
            ticket.get_absolute_url(),
            now,
        )
    else:
        _notify(
            ticket.assignee_id,
            ticket,
            f"{user.get_short_name()} replied on {ticket.code}: {ticket.subject}",
            ticket.get_office_url(),
            now,
        )
    return message


@transaction.atomic
def add_note(
    user: User, ticket: Ticket, *, body: str, now: datetime | None = None
) -> TicketMessage:
    """An internal note: for the office only, never shown to the seller."""
    now = now or timezone.now()
    _require_staff(user, "write internal notes")
    ticket = _locked(ticket)
    body = _clean(body, label="body", max_length=BODY_MAX_LENGTH)
    message = TicketMessage.objects.create(
        ticket=ticket, author=user, body=body, is_internal=True, from_office=True, created_at=now
    )
    _record(ticket, "noted", now, office_only=True)
    return message


@transaction.atomic
def assign(
    user: User, ticket: Ticket, *, assignee: User | None, now: datetime | None = None
) -> Ticket:
    """Give the ticket to an office person (``user`` themselves to take it), or unassign it."""
    now = now or timezone.now()
    _require_staff(user, "assign tickets")
    if assignee is not None and not assignee.is_office_staff:
        raise ValidationFailed(
            "Tickets can only be assigned to office staff.", details={"field": "assignee"}
        )
    ticket = _locked(ticket)
    if ticket.status == Status.CLOSED:
        raise Conflict("This ticket is closed.")
    ticket.assignee = assignee
    _touch(ticket, now, "assignee")
    _record(ticket, "assigned", now)
    return ticket


@transaction.atomic
def change_status(
    user: User, ticket: Ticket, *, status: str, now: datetime | None = None
) -> Ticket:
    """Set waiting on seller / waiting on office by hand (resolve has its own action)."""
    now = now or timezone.now()
    _require_staff(user, "change a ticket's status")
    ticket = _locked(ticket)
    if status == Status.RESOLVED:
        return resolve(user, ticket, now=now)
    if status == ticket.status:
        raise Conflict(
            f"The ticket is already “{ticket.get_status_display()}”: choose another status."
        )
    if status not in STAFF_STATUS_CHANGES.get(ticket.status, set()):
        raise Conflict(
            f"A ticket that is “{ticket.get_status_display()}” cannot be set to "
            f"“{Status(status).label if status in Status.values else status}”."
        )
    _set_status(ticket, status, now)
    _touch(ticket, now, "status", "paused_at", "paused_seconds", "resolution_due")
    _record(ticket, "status", now)
    return ticket


@transaction.atomic
def change_priority(
    user: User, ticket: Ticket, *, priority: str, now: datetime | None = None
) -> Ticket:
    """A new priority; both due times are computed again from the opening time."""
    now = now or timezone.now()
    _require_staff(user, "change a ticket's priority")
    if priority not in Priority.values:
        raise ValidationFailed("Choose a priority.", details={"field": "priority"})
    ticket = _locked(ticket)
    if not ticket.is_active:
        raise Conflict("Only open tickets change priority.")
    ticket.priority = priority
    ticket.first_response_due = targets.first_response_due(priority, ticket.created_at)
    ticket.resolution_due = targets.resolution_due(priority, ticket.created_at, ticket.paused)
    _touch(ticket, now, "priority", "first_response_due", "resolution_due")
    _record(ticket, "priority", now)
    return ticket


@transaction.atomic
def resolve(user: User, ticket: Ticket, *, now: datetime | None = None) -> Ticket:
    now = now or timezone.now()
    _require_staff(user, "resolve tickets")
    ticket = _locked(ticket)
    if not ticket.is_active:
        raise Conflict(f"This ticket is already {ticket.get_status_display().lower()}.")
    _set_status(ticket, Status.RESOLVED, now)
    ticket.resolved_at = now
    _touch(ticket, now, "status", "resolved_at", "paused_at", "paused_seconds", "resolution_due")
    _record(ticket, "resolved", now)
    _notify(
        ticket.requester_id,
        ticket,
        f"{ticket.code} is resolved: tell us how we did.",
        ticket.get_absolute_url(),
        now,
    )
    return ticket


@transaction.atomic
def close_ticket(
    user: User,
    ticket: Ticket,
    *,
    satisfaction: int,
    comment: str = "",
    now: datetime | None = None,
) -> Ticket:
    """The seller closes a resolved ticket and rates the help (1–5, an optional comment)."""
    now = now or timezone.now()
    if _require_party(user, ticket):
        raise PermissionDenied("The seller closes the ticket with their rating.")
    if (
        isinstance(satisfaction, bool)
        or not isinstance(satisfaction, int)
        or not 1 <= satisfaction <= 5
    ):
        raise ValidationFailed("Rate the help from 1 to 5.", details={"field": "satisfaction"})
    comment = _clean(comment, label="comment", max_length=COMMENT_MAX_LENGTH, required=False)
    ticket = _locked(ticket)
    if ticket.status != Status.RESOLVED:
        raise Conflict("Only a resolved ticket can be closed with a rating.")
    ticket.status = Status.CLOSED
    ticket.closed_at = now
    ticket.satisfaction = satisfaction
    ticket.satisfaction_comment = comment
    ticket.rated_at = now
    _touch(ticket, now, "status", "closed_at", "satisfaction", "satisfaction_comment", "rated_at")
    _record(ticket, "closed", now)
    return ticket


@transaction.atomic
def reopen(user: User, ticket: Ticket, *, now: datetime | None = None) -> Ticket:
    """Back to the office within ``SUPPORT_AUTO_CLOSE_DAYS`` of the resolution."""
    now = now or timezone.now()
    _require_party(user, ticket)
    ticket = _locked(ticket)
    window = timedelta(days=settings.SUPPORT_AUTO_CLOSE_DAYS)
    if ticket.status != Status.RESOLVED or ticket.resolved_at < now - window:
        raise Conflict(
            f"Only a ticket resolved in the last {settings.SUPPORT_AUTO_CLOSE_DAYS} days "
            "can be reopened; open a new one instead."
        )
    _set_status(ticket, Status.WAITING_ON_OFFICE, now)
    ticket.resolved_at = None
    _touch(ticket, now, "status", "resolved_at", "paused_at", "paused_seconds", "resolution_due")
    _record(ticket, "reopened", now)
    return ticket


def auto_close_resolved(*, now: datetime | None = None) -> int:
    """Close (unrated) every ticket resolved more than ``SUPPORT_AUTO_CLOSE_DAYS`` ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUPPORT_AUTO_CLOSE_DAYS)
    closed = 0
    for ticket_id in Ticket.objects.filter(
        status=Status.RESOLVED, resolved_at__lte=cutoff
    ).values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
            if ticket.status != Status.RESOLVED or ticket.resolved_at > cutoff:
                continue  # reopened or closed meanwhile
            ticket.status = Status.CLOSED
            ticket.closed_at = now
            _touch(ticket, now, "status", "closed_at")
            _record(ticket, "closed", now)
            closed += 1
    return closed


# --- Canned replies -----------------------------------------------------------------------------


def load_canned_replies() -> tuple[int, int]:
    """Create the shipped canned replies missing by slug; ``(created, kept)``.

    Replies already there are kept as the office edited them.
    """
    created = kept = 0
    with transaction.atomic():
        existing = set(CannedReply.objects.values_list("slug", flat=True))
        for shipped in load_shipped_content().canned_replies:
            if shipped.slug in existing:
                kept += 1
                continue
            CannedReply.objects.create(
                slug=shipped.slug, category=shipped.category, title=shipped.title, body=shipped.body
            )
            created += 1
    return created, kept


@transaction.atomic
def save_canned_reply(
    user: User,
    *,
    reply: CannedReply | None = None,
    slug: str,
    category: str,
    title: str,
    body: str,
    now: datetime | None = None,
) -> CannedReply:
    """Add a canned reply (``reply`` None) or edit one."""
    _require_staff(user, "edit canned replies")
    title = _clean(title, label="title", max_length=160)
    body = _clean(body, label="body", max_length=BODY_MAX_LENGTH)
    category = _clean(category, label="category", max_length=40, required=False)
    slug = _clean(slug, label="slug", max_length=80).lower()
    if not slug.replace("-", "").isalnum() or not slug.isascii():
        raise ValidationFailed(
            "The slug is letters a–z, digits and hyphens.", details={"field": "slug"}
        )
    clash = CannedReply.objects.filter(slug=slug)
    if reply is not None:
        clash = clash.exclude(pk=reply.pk)
    if clash.exists():
        raise Conflict("Another canned reply has this slug.", details={"field": "slug"})
    reply = reply or CannedReply()
    reply.slug, reply.category, reply.title, reply.body = slug, category, title, body
    reply.updated_at = now or timezone.now()
    reply.save()
    return reply


# --- Rota ---------------------------------------------------------------------------------------


@transaction.atomic
def add_shift(user: User, *, staff: User, starts_at: datetime, ends_at: datetime) -> DutyShift:
    """Put an office person on the desk; at most 24 hours at a time, no overlap with their own."""
    _require_staff(user, "plan the rota")
    if not staff.is_office_staff:
        raise ValidationFailed("Only office staff go on the rota.", details={"field": "staff"})
    if ends_at <= starts_at:
        raise ValidationFailed("A shift ends after it starts.", details={"field": "ends_at"})
    if ends_at - starts_at > MAX_SHIFT:
        raise ValidationFailed("A shift is at most 24 hours.", details={"field": "ends_at"})
    if DutyShift.objects.filter(staff=staff, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise Conflict(
            f"{staff.get_full_name()} already has a shift at that time.",
            details={"field": "starts_at"},
        )
    return DutyShift.objects.create(staff=staff, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def remove_shift(user: User, shift: DutyShift) -> None:
    _require_staff(user, "plan the rota")
    shift.delete()
