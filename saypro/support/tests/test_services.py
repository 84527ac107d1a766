from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.tests.factories import MembershipFactory, StoreFactory
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.core.models import Event
from saypro.core.ratelimit import RateLimited
from saypro.notifications.models import Notification, NotificationType
from saypro.support import services
from saypro.support.models import Attachment, CannedReply, DutyShift, Status, Ticket, TicketMessage
from saypro.support.tests.factories import OPENED, open_ticket, pdf, png

HOUR = timedelta(hours=1)


def support_events(user):
    return list(Event.objects.filter(user=user, type="support.ticket").order_by("pk"))


@pytest.fixture
def on_duty(db):
    person = StaffFactory(email="duty@example.test")
    DutyShift.objects.create(staff=person, starts_at=OPENED - HOUR, ends_at=OPENED + 30 * 24 * HOUR)
    return person


# --- Opening ----------------------------------------------------------------------------------


def test_open_ticket_sets_the_targets_and_tells_the_store_and_the_desk(seller, agent, on_duty):
    ticket = open_ticket(seller, seller.stores.get(), priority="urgent")

    assert ticket.code.startswith("SUP-")
    assert ticket.status == Status.OPEN
    assert ticket.first_response_due == OPENED + HOUR
    assert ticket.resolution_due == OPENED + 4 * HOUR
    [message] = ticket.messages.all()
    assert message.author == seller and not message.is_internal
    for person in (seller, agent, on_duty):
        [event] = support_events(person)
        assert event.data == {
            "ticket_id": ticket.pk,
            "code": ticket.code,
            "status": "open",
            "action": "opened",
        }


@pytest.mark.parametrize("who", ["buyer", "other_seller", "staff"])
def test_only_store_members_open_tickets_for_their_store(who, store, buyer, staff):
    people = {
        "buyer": buyer,
        "other_seller": MembershipFactory(store=StoreFactory()).user,
        "staff": staff,
    }
    with pytest.raises(PermissionDenied):
        open_ticket(people[who], store)
    assert not Ticket.objects.exists() and not TicketMessage.objects.exists()


def test_anonymous_cannot_open_a_ticket(store):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        open_ticket(AnonymousUser(), store)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"description": ""}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"category": "billing"}, "category"),
        ({"priority": "asap"}, "priority"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(seller, store, fields, field):
    with pytest.raises(ValidationFailed) as refused:
        open_ticket(seller, store, **fields)
    assert refused.value.details == {"field": field}
    assert not Ticket.objects.exists()


@override_settings(SUPPORT_TICKET_RATE_LIMIT="2/h")
def test_opening_tickets_is_rate_limited(seller, store):
    open_ticket(seller, store)
    open_ticket(seller, store)
    with pytest.raises(RateLimited):
        open_ticket(seller, store)
    assert Ticket.objects.count() == 2


# --- Attachments -------------------------------------------------------------------------------


def test_images_and_pdfs_are_attached(seller, store):
    ticket = open_ticket(seller, store, attachments=[png(), pdf()])
    kinds = sorted(
        Attachment.objects.filter(message__ticket=ticket).values_list("kind", "content_type")
    )
    assert kinds == [("image", "image/png"), ("pdf", "application/pdf")]


def test_the_type_is_read_from_the_content_not_the_name(seller, store):
    fake = SimpleUploadedFile("screen.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationFailed, match="neither"):
        open_ticket(seller, store, attachments=[png(), fake])
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


@override_settings(MESSAGING_ATTACHMENT_MAX_BYTES=10)
def test_large_files_are_refused(seller, store):
    with pytest.raises(ValidationFailed, match="at most"):
        open_ticket(seller, store, attachments=[png()])
    assert not Ticket.objects.exists()


# --- Replies, notes and the clock ------------------------------------------------------------


def test_office_reply_stops_the_first_response_clock_once_and_waits_on_the_seller(
    seller, store, staff
):
    ticket = open_ticket(seller, store)
    services.reply(staff, ticket, body="Thanks, looking into it.", now=OPENED + 2 * HOUR)
    services.reply(staff, ticket, body="Found it.", now=OPENED + 3 * HOUR)

    ticket.refresh_from_db()
    assert ticket.first_response_at == OPENED + 2 * HOUR
    assert ticket.first_response_met() is True
    assert ticket.status == Status.WAITING_ON_SELLER
    assert ticket.paused_at == OPENED + 2 * HOUR
    notifications = Notification.objects.filter(recipient=seller)
    assert {n.type for n in notifications} == {NotificationType.SUPPORT_TICKET_UPDATE}
    assert {n.link for n in notifications} == {ticket.get_absolute_url()}


def test_waiting_on_the_seller_pauses_the_resolution_clock(seller, store, staff):
    """Normal priority: 72 h to resolve; 10 h waiting on the seller move the due time 10 h."""
    ticket = open_ticket(seller, store)
    services.reply(staff, ticket, body="Which order is it?", now=OPENED + 2 * HOUR)
    ticket.refresh_from_db()
    # While paused the time left stands still: 70 h at the reply, 70 h five hours later.
    assert ticket.resolution_left(OPENED + 2 * HOUR) == 70 * HOUR
    assert ticket.resolution_left(OPENED + 7 * HOUR) == 70 * HOUR

    services.reply(seller, ticket, body="Order 1042.", now=OPENED + 12 * HOUR)
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_ON_OFFICE
    assert ticket.paused_at is None
    assert ticket.paused_seconds == 10 * 3600
    assert ticket.resolution_due == OPENED + 82 * HOUR
    assert ticket.resolution_left(OPENED + 12 * HOUR) == 70 * HOUR


def test_a_seller_reply_before_any_answer_keeps_the_ticket_open(seller, store):
    ticket = open_ticket(seller, store)
    services.reply(seller, ticket, body="More detail.", now=OPENED + HOUR)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.first_response_at is None


def test_a_seller_reply_notifies_the_assignee(seller, store, staff):
    ticket = open_ticket(seller, store)
    services.assign(staff, ticket, assignee=staff, now=OPENED)
    services.reply(seller, ticket, body="Any news?", now=OPENED + HOUR)
    assert Notification.objects.get(recipient=staff).link == ticket.get_office_url()


@pytest.mark.parametrize("who", ["buyer", "other_seller"])
def test_strangers_cannot_reply(who, seller, store, buyer):
    ticket = open_ticket(seller, store)
    stranger = buyer if who == "buyer" else MembershipFactory(store=StoreFactory()).user
    with pytest.raises(NotFound):
        services.reply(stranger, ticket, body="Hello")
    assert ticket.messages.count() == 1


def test_internal_notes_are_for_the_office_only(seller, agent, store, staff, on_duty):
    ticket = open_ticket(seller, store)
    Event.objects.all().delete()
    with pytest.raises(PermissionDenied):
        services.add_note(seller, ticket, body="psst")
    note = services.add_note(staff, ticket, body="Seller is on the old plan.", now=OPENED)
    assert note.is_internal
    # Only the office hears about a note: the seller's page does not even refresh.
    assert support_events(seller) == [] and support_events(agent) == []
    assert [e.data["action"] for e in support_events(on_duty)] == ["noted"]


# --- Office actions ----------------------------------------------------------------------------


def test_assign_to_office_staff_only(seller, store, staff):
    ticket = open_ticket(seller, store)
    with pytest.raises(PermissionDenied):
        services.assign(seller, ticket, assignee=seller)
    with pytest.raises(ValidationFailed):
        services.assign(staff, ticket, assignee=seller)
    ticket.refresh_from_db()
    assert ticket.assignee is None
    services.assign(staff, ticket, assignee=staff)
    ticket.refresh_from_db()
    assert ticket.assignee == staff
    assert support_events(staff)[-1].data["action"] == "assigned"


def test_status_changes_follow_the_rules(seller, store, staff):
    ticket = open_ticket(seller, store)
    services.change_status(staff, ticket, status=Status.WAITING_ON_SELLER, now=OPENED + HOUR)
    services.change_status(staff, ticket, status=Status.WAITING_ON_OFFICE, now=OPENED + 3 * HOUR)
    ticket.refresh_from_db()
    assert ticket.paused_seconds == 2 * 3600
    with pytest.raises(Conflict):
        services.change_status(staff, ticket, status=Status.CLOSED)
    with pytest.raises(Conflict):
        services.change_status(staff, ticket, status=Status.OPEN)
    with pytest.raises(PermissionDenied):
        services.change_status(seller, ticket, status=Status.WAITING_ON_SELLER)
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_ON_OFFICE


def test_setting_the_status_a_ticket_already_has_says_so_and_changes_nothing(seller, store, staff):
    ticket = open_ticket(seller, store)
    services.change_status(staff, ticket, status=Status.WAITING_ON_SELLER, now=OPENED + HOUR)
    ticket.refresh_from_db()
    before = (ticket.status, ticket.paused_at, ticket.updated_at)
    with pytest.raises(Conflict, match="already “Waiting on seller”: choose another status"):
        services.change_status(staff, ticket, status=Status.WAITING_ON_SELLER)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.paused_at, ticket.updated_at) == before


def test_priority_change_recomputes_both_due_times(seller, store, staff):
    ticket = open_ticket(seller, store, priority="low")
    services.change_status(staff, ticket, status=Status.WAITING_ON_SELLER, now=OPENED + HOUR)
    services.change_status(staff, ticket, status=Status.WAITING_ON_OFFICE, now=OPENED + 2 * HOUR)
    services.change_priority(staff, ticket, priority="urgent", now=OPENED + 2 * HOUR)
    ticket.refresh_from_db()
    assert ticket.first_response_due == OPENED + HOUR
    assert ticket.resolution_due == OPENED + 5 * HOUR  # 4 h + the hour it waited on the seller
    with pytest.raises(ValidationFailed):
        services.change_priority(staff, ticket, priority="whenever")
    with pytest.raises(PermissionDenied):
        services.change_priority(seller, ticket, priority="low")


# --- Resolve, close, reopen ---------------------------------------------------------------------


def test_resolve_then_the_seller_closes_with_a_rating(seller, store, staff):
    ticket = open_ticket(seller, store)
    with pytest.raises(Conflict):
        services.close_ticket(seller, ticket, satisfaction=5)
    services.resolve(staff, ticket, now=OPENED + 5 * HOUR)
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolution_met() is True
    assert ticket.resolution_left(OPENED + 6 * HOUR) is None
    assert Notification.objects.filter(recipient=seller).exists()

    with pytest.raises(PermissionDenied):
        services.close_ticket(staff, ticket, satisfaction=5)
    with pytest.raises(ValidationFailed):
        services.close_ticket(seller, ticket, satisfaction=6)
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.satisfaction is None

    services.close_ticket(
        seller, ticket, satisfaction=4, comment="Quick, thanks", now=OPENED + 6 * HOUR
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction, ticket.satisfaction_comment) == (
        Status.CLOSED,
        4,
        "Quick, thanks",
    )
    assert ticket.rated_at == OPENED + 6 * HOUR
    with pytest.raises(Conflict):
        services.reply(seller, ticket, body="One more thing")


def test_reopen_within_seven_days_restarts_the_clock(seller, store, staff):
    ticket = open_ticket(seller, store)
    services.resolve(staff, ticket, now=OPENED + 2 * HOUR)
    services.reopen(seller, ticket, now=OPENED + 26 * HOUR)
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_ON_OFFICE and ticket.resolved_at is None
    assert ticket.resolution_due == OPENED + (72 + 24) * HOUR

    services.resolve(staff, ticket, now=OPENED + 30 * HOUR)
    with pytest.raises(Conflict):
        services.reopen(seller, ticket, now=OPENED + 30 * HOUR + timedelta(days=8))


def test_resolved_tickets_close_by_themselves_after_seven_days(seller, store, staff):
    old = open_ticket(seller, store)
    recent = open_ticket(seller, store, subject="Points missing")
    services.resolve(staff, old, now=OPENED)
    services.resolve(staff, recent, now=OPENED + 6 * 24 * HOUR)

    assert services.auto_close_resolved(now=OPENED + 7 * 24 * HOUR + HOUR) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.CLOSED and old.satisfaction is None
    assert recent.status == Status.RESOLVED


# --- Canned replies and the rota ------------------------------------------------------------------


def test_shipped_canned_replies_load_once_and_keep_office_edits(db, staff):
    assert services.load_canned_replies() == (10, 0)
    reply = CannedReply.objects.get(slug="review-not-showing")
    services.save_canned_reply(
        staff, reply=reply, slug=reply.slug, category="reviews", title="Edited", body="New"
    )
    assert services.load_canned_replies() == (0, 10)
    assert CannedReply.objects.get(slug="review-not-showing").title == "Edited"


def test_only_staff_edit_canned_replies(db, seller):
    with pytest.raises(PermissionDenied):
        services.save_canned_reply(seller, slug="x", category="", title="X", body="Y")
    assert not CannedReply.objects.exists()


def test_shifts_are_for_staff_without_overlap(db, staff, seller):
    services.add_shift(staff, staff=staff, starts_at=OPENED, ends_at=OPENED + 8 * HOUR)
    with pytest.raises(Conflict):
        services.add_shift(
            staff, staff=staff, starts_at=OPENED + 7 * HOUR, ends_at=OPENED + 9 * HOUR
        )
    with pytest.raises(ValidationFailed):
        services.add_shift(staff, staff=seller, starts_at=OPENED, ends_at=OPENED + HOUR)
    with pytest.raises(PermissionDenied):
        services.add_shift(seller, staff=staff, starts_at=OPENED, ends_at=OPENED + HOUR)
    with pytest.raises(ValidationFailed):
        services.add_shift(staff, staff=staff, starts_at=OPENED, ends_at=OPENED + 25 * HOUR)
    assert DutyShift.objects.count() == 1


def test_unknown_people_get_nothing(db, seller, store):
    ticket = open_ticket(seller, store)
    with pytest.raises(NotFound):
        services.reopen(UserFactory(), ticket)
