"""Messaging services: conversations, waits, read state, idempotency, safety, events."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from saypro.accounts.tests.factories import UserFactory
from saypro.analytics import signals as analytics_signals
from saypro.analytics.models import DirtyStoreDay
from saypro.catalog.models import StoreMembership
from saypro.catalog.tests.factories import (
    MembershipFactory,
    OrderFactory,
    ProductFactory,
    StoreFactory,
)
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.core.models import Event
from saypro.core.ratelimit import RateLimited
from saypro.messaging import selectors, services
from saypro.messaging.models import (
    Attachment,
    Block,
    Conversation,
    ConversationReport,
    Message,
    Participant,
    ProductCard,
    QuickReply,
    StaffAccess,
    Wait,
)
from saypro.notifications.models import Notification


def start(buyer, store, text="Is this in stock?", **kwargs):
    conversation, message, _ = services.start_conversation(
        buyer, store_id=store.pk, text=text, **kwargs
    )
    return conversation, message


def png(size=(4, 3)) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", size, "teal").save(data, "PNG")
    return data.getvalue()


# --- Starting and finding conversations -------------------------------------------------


def test_ask_the_seller_reuses_the_conversation_for_the_same_subject(buyer, store, seller, product):
    first, _ = start(buyer, store, product_id=product.pk)
    again, _ = start(buyer, store, "And in blue?", product_id=product.pk)
    general, _ = start(buyer, store, "Do you ship to Durban?")
    assert again == first
    assert general != first
    assert first.topic == f"product:{product.pk}" and general.topic == ""
    assert again.message_count == 2
    assert set(first.participants.values_list("user_id", "side")) == {
        (buyer.pk, "buyer"),
        (seller.pk, "store"),
    }


def test_a_conversation_about_an_order_needs_the_buyers_own_order_of_that_store(
    buyer, store, seller
):
    order = OrderFactory(buyer=buyer, store=store)
    conversation, _ = start(buyer, store, "Where is my parcel?", order_id=order.pk)
    assert conversation.order == order and conversation.subject_label == f"Order {order.number}"
    stranger = UserFactory()
    with pytest.raises(NotFound):
        start(stranger, store, order_id=order.pk)
    other_store_order = OrderFactory(buyer=buyer)
    with pytest.raises(ValidationFailed):
        start(buyer, store, order_id=other_store_order.pk)


def test_a_product_of_another_store_or_a_store_member_asking_is_refused(buyer, store, seller):
    with pytest.raises(ValidationFailed):
        start(buyer, store, product_id=ProductFactory().pk)
    with pytest.raises(ValidationFailed, match="member of this store"):
        start(seller, store)
    assert not Conversation.objects.exists()


def test_bad_text_is_refused_and_changes_nothing(buyer, store, seller):
    for text in ["", "   ", "x" * 5001, "Call me on 082 555 1234"]:
        with pytest.raises(ValidationFailed):
            start(buyer, store, text)
    assert not Conversation.objects.exists()  # no empty conversation left behind
    conversation, _ = start(buyer, store)
    with pytest.raises(ValidationFailed):
        services.send_message(buyer, conversation, text="\n\n")
    assert Message.objects.count() == 1
    assert Event.objects.filter(type="message.created").count() == 2  # buyer and seller


def test_only_the_buyer_and_store_members_can_send(buyer, store, seller, agent):
    conversation, _ = start(buyer, store)
    services.send_message(agent, conversation, text="Yes, we have it.")
    for outsider in [UserFactory(), MembershipFactory().user]:
        with pytest.raises(NotFound):
            services.send_message(outsider, conversation, text="Hello")


# --- Unread counts, read state, events ----------------------------------------------------


def test_unread_counts_and_read_state_per_participant(buyer, store, seller, agent):
    conversation, first = start(buyer, store)
    services.send_message(buyer, conversation, text="Also, is it machine washable?")
    assert selectors.unread_counts(conversation, [buyer.pk, seller.pk, agent.pk]) == {
        buyer.pk: 0,
        seller.pk: 2,
        agent.pk: 2,
    }
    state = services.mark_read(seller, conversation, up_to=first.pk)
    assert state.unread == 1 and state.last_read_message_id == first.pk
    services.mark_read(seller, conversation)
    assert selectors.total_unread([seller.pk, agent.pk]) == {seller.pk: 0, agent.pk: 2}
    read = Event.objects.filter(type="message.read", user=buyer).last()
    assert read.data["reader"] == {"id": seller.pk, "side": "store"}
    fresh = selectors.conversation_for(buyer, conversation.pk)
    assert selectors.seen_up_to(fresh, buyer) == conversation.messages.last().pk


def test_reading_again_records_no_new_event(buyer, store, seller):
    conversation, _ = start(buyer, store)
    services.mark_read(seller, conversation)
    count = Event.objects.count()
    services.mark_read(seller, conversation)
    assert Event.objects.count() == count


def test_every_participant_gets_each_message_event_in_a_chain(buyer, store, seller, agent):
    conversation, message = start(buyer, store)
    reply, _ = services.send_message(seller, conversation, text="It is!")
    for person in [buyer, seller, agent]:
        chain = list(Event.objects.filter(user=person).order_by("pk"))
        assert all(e.previous_id == (chain[i - 1].pk if i else 0) for i, e in enumerate(chain))
        created = [e for e in chain if e.type == "message.created"]
        assert [e.data["id"] for e in created] == [message.pk, reply.pk]
    agent_view = Event.objects.filter(user=agent, type="message.created").last().data
    assert agent_view["conversation"]["unread_count"] == 2
    assert agent_view["text"] == "It is!" and agent_view["sender"]["side"] == "store"


def test_a_store_member_who_joins_later_sees_and_gets_the_conversation(buyer, store, seller):
    conversation, _ = start(buyer, store)
    newcomer = MembershipFactory(store=store, role="agent").user
    services.send_message(buyer, conversation, text="Hello?")
    assert Participant.objects.get(conversation=conversation, user=newcomer).unread == 1
    assert list(selectors.conversations_of(newcomer, store=store)) == [conversation]


def test_archive_and_mute_are_per_person_and_a_new_message_restores(buyer, store, seller):
    conversation, _ = start(buyer, store)
    services.set_archived(seller, conversation, True)
    services.set_muted(seller, conversation, True)
    assert list(selectors.conversations_of(seller, store=store, box="archived")) == [conversation]
    assert list(selectors.conversations_of(buyer)) == [conversation]
    services.send_message(buyer, conversation, text="Anyone there?")
    state = Participant.objects.get(conversation=conversation, user=seller)
    assert not state.archived and state.muted
    update = Event.objects.filter(type="conversation.updated", user=seller).last()
    assert update.data["muted"] is True


def test_a_send_reads_it_for_the_sender_counts_it_for_the_others_and_unarchives(
    buyer, store, seller, agent
):
    conversation, _ = start(buyer, store)
    former = MembershipFactory(store=store, role="agent").user
    services.send_message(seller, conversation, text="Yes, in stock.")
    services.set_archived(seller, conversation, True)
    services.set_archived(buyer, conversation, True)
    StoreMembership.objects.filter(user=former).delete()
    before = {p.user_id: p for p in Participant.objects.filter(conversation=conversation)}

    message, _ = services.send_message(buyer, conversation, text="Great, and in blue?")

    after = {p.user_id: p for p in Participant.objects.filter(conversation=conversation)}
    sender = after[buyer.pk]
    assert (sender.unread, sender.last_read_message_id) == (0, message.pk)
    assert sender.last_read_at == message.created_at and not sender.archived
    for member in (seller, agent):
        state, earlier = after[member.pk], before[member.pk]
        assert state.unread == earlier.unread + 1 and not state.archived
        assert (state.last_read_message_id, state.last_read_at) == (
            earlier.last_read_message_id,
            earlier.last_read_at,
        )
    # Someone who left the store keeps their row as it was, and gets no event.
    left = after[former.pk]
    assert (left.unread, left.last_read_message_id, left.archived) == (
        before[former.pk].unread,
        before[former.pk].last_read_message_id,
        before[former.pk].archived,
    )
    assert not Event.objects.filter(user=former, data__id=message.pk).exists()


def test_one_send_runs_a_fixed_number_of_queries(buyer, store, seller, django_assert_num_queries):
    conversation, _ = start(buyer, store)
    services.send_message(seller, conversation, text="Yes, in stock.")
    services.send_message(buyer, conversation, text="Which sizes?")
    # A buyer's follow-up, the store's notification coalescing: the conversation locked,
    # the block check, the message and the conversation written, the spam check, the
    # participants read and written once each, the unread totals, the channel, the row
    # to coalesce, its update and the unread notifications, the sender's unread
    # notifications of the conversation, the events recorded together (mailboxes locked
    # and read, one insert per event a person gets: message.created, then
    # notification.updated for the store, the mailboxes moved), and analytics' dirty
    # store-day mark (the message's; it covers the conversation's). The notification
    # services join the send's transaction: no savepoint statements.
    with django_assert_num_queries(20):
        services.send_message(buyer, conversation, text="And in blue?")
    # The reply also closes the wait, creates the buyer's notification, and reads the
    # seller's own (no more event statements): the membership check, the store's name.
    with django_assert_num_queries(27):
        services.send_message(seller, conversation, text="S to XL, blue too.")
    # Each person's events in the order they were recorded in.
    streams = {
        person: list(
            Event.objects.filter(user=person).order_by("pk").values_list("type", flat=True)
        )
        for person in (buyer, seller)
    }
    assert streams[buyer][-2:] == ["message.created", "notification.created"]
    assert streams[seller][-4:] == [
        "message.created",
        "notification.updated",
        "message.created",
        "notification.read",
    ]


def test_a_send_marks_the_conversations_store_day_for_analytics(buyer, store, seller):
    """The conversation row is written without the ORM's save (and its analytics
    receiver): the message's own mark covers the conversation's creation day."""
    conversation, _ = start(buyer, store)
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    conversation.refresh_from_db()
    DirtyStoreDay.objects.all().delete()
    message, _ = services.send_message(seller, conversation, text="Still in stock.")
    dirty = set(DirtyStoreDay.objects.values_list("store_id", "day"))
    assert analytics_signals._conversation_keys(conversation) <= dirty
    assert analytics_signals._message_keys(message) <= dirty


def test_a_written_out_message_row_is_the_row_the_orm_writes(buyer, store, seller):
    conversation, _ = start(buyer, store)
    fields = {
        "conversation": conversation,
        "sender": seller,
        "side": "store",
        "text": "Ça va? 100% yes",
        "client_id": None,
        "fingerprint": "f" * 64,
        "quick_reply": None,
        "contact_details": True,
        "created_at": timezone.now(),
    }
    written = services._insert_message(Message(**fields))
    by_orm = Message.objects.create(**fields)
    assert (written._state.adding, written._state.db) == (False, "default")
    rows = Message.objects.filter(pk__in=[written.pk, by_orm.pk]).order_by("pk").values()
    assert [{**row, "id": None} for row in rows] == [{**rows[1], "id": None}] * 2


# --- Idempotency ---------------------------------------------------------------------------


def test_a_retry_with_the_same_client_id_returns_the_original(buyer, store, seller):
    conversation, _ = start(buyer, store)
    first, created = services.send_message(buyer, conversation, text="Hi", client_id="abc-1")
    again, created_again = services.send_message(buyer, conversation, text="Hi", client_id="abc-1")
    assert created and not created_again and again == first
    assert conversation.messages.count() == 2
    with pytest.raises(Conflict):
        services.send_message(buyer, conversation, text="Different", client_id="abc-1")
    with pytest.raises(ValidationFailed):
        services.send_message(buyer, conversation, text="Hi", client_id="not valid!")
    # Another person may use the same key for their own message.
    services.send_message(seller, conversation, text="Hello", client_id="abc-1")


def test_starting_twice_with_one_client_id_creates_one_message(buyer, store, seller):
    one = services.start_conversation(buyer, store_id=store.pk, text="Hi", client_id="k1")
    two = services.start_conversation(buyer, store_id=store.pk, text="Hi", client_id="k1")
    assert one[1] == two[1] and (one[2], two[2]) == (True, False)
    assert Message.objects.count() == 1


# --- Waits ----------------------------------------------------------------------------------


@override_settings(MESSAGING_RESPONSE_GOAL_HOURS=24)
def test_waits_open_on_buyer_messages_and_close_on_a_store_reply(buyer, store, seller):
    conversation, first = start(buyer, store)
    services.send_message(buyer, conversation, text="Hello?")
    wait = Wait.objects.get()
    assert wait.message == first and wait.due_at == first.created_at + timedelta(hours=24)
    conversation.refresh_from_db()
    assert conversation.due_at == wait.due_at
    services.send_message(seller, conversation, text="Yes, in stock.")
    wait.refresh_from_db()
    conversation.refresh_from_db()
    assert wait.outcome == "answered" and wait.on_time and wait.ended_by == seller
    assert conversation.due_at is None
    assert conversation.first_response_seconds == wait.response_seconds
    services.send_message(buyer, conversation, text="Great, and returns?")
    assert Wait.objects.filter(outcome="open").count() == 1
    assert Wait.objects.count() == 2


def test_no_response_needed_ends_the_wait_without_an_answer(buyer, store, seller):
    conversation, _ = start(buyer, store, "Thanks, got it!")
    with pytest.raises(PermissionDenied):
        services.no_response_needed(buyer, conversation)
    wait = services.no_response_needed(seller, conversation)
    assert wait.outcome == "no_response" and wait.response_seconds is None
    conversation.refresh_from_db()
    assert conversation.due_at is None and conversation.first_response_seconds is None
    with pytest.raises(Conflict):
        services.no_response_needed(seller, conversation)


def test_the_store_inbox_is_sorted_by_urgency(buyer, store, seller):
    answered, _ = start(buyer, store, "General question")
    services.send_message(seller, answered, text="Answer")
    old, _ = start(buyer, store, "About a product", product_id=ProductFactory(store=store).pk)
    Conversation.objects.filter(pk=old.pk).update(due_at=timezone.now() + timedelta(hours=1))
    new, _ = start(UserFactory(), store, "Newest")
    inbox = list(selectors.conversations_of(seller, store=store))
    assert inbox == [old, new, answered]
    assert list(selectors.conversations_of(seller, store=store, box="waiting")) == [old, new]
    assert list(selectors.conversations_of(seller, store=store, box="product")) == [old]


# --- Cards, attachments, quick replies --------------------------------------------------------


def test_product_cards_only_from_the_store_and_of_its_products(buyer, store, seller, product):
    conversation, _ = start(buyer, store)
    message, _ = services.send_message(seller, conversation, text="Try", product_ids=[product.pk])
    assert list(message.cards.values_list("product", flat=True)) == [product.pk]
    with pytest.raises(ValidationFailed):
        services.send_message(seller, conversation, product_ids=[ProductFactory().pk])
    with pytest.raises(PermissionDenied):
        services.send_message(buyer, conversation, product_ids=[product.pk])
    card = ProductCard.objects.get()
    services.count_card_click(seller, card)
    services.count_card_click(buyer, card)
    card.refresh_from_db()
    assert card.clicks == 1


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("photo.png", png(), "image"), ("invoice.pdf", b"%PDF-1.7\n...", "pdf")],
)
def test_attachments_are_typed_by_content(buyer, store, seller, name, content, kind):
    attachment = services.upload_attachment(buyer, SimpleUploadedFile(name, content))
    assert attachment.kind == kind and attachment.size == len(content)
    conversation, message = start(buyer, store, "See attached", attachment_ids=[attachment.pk])
    assert list(message.attachments.all()) == [attachment]
    with pytest.raises(NotFound):  # each upload is sent once
        services.send_message(buyer, conversation, text="again", attachment_ids=[attachment.pk])


def test_disallowed_or_too_large_attachments_are_refused(buyer):
    for upload in [
        SimpleUploadedFile("photo.png", b"MZ\x90\x00 an executable"),
        SimpleUploadedFile("notes.pdf", b"just text, named like a PDF"),
        SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),
        SimpleUploadedFile("empty.png", b""),
    ]:
        with pytest.raises(ValidationFailed):
            services.upload_attachment(buyer, upload)
    assert not Attachment.objects.exists()


def test_someone_elses_upload_cannot_be_sent(buyer, store, seller):
    theirs = services.upload_attachment(UserFactory(), SimpleUploadedFile("a.png", png()))
    with pytest.raises(NotFound):
        start(buyer, store, "Look", attachment_ids=[theirs.pk])
    assert not Message.objects.exists()


def test_quick_replies_fill_variables_count_usage_and_rank_by_the_question(buyer, store, seller):
    product = ProductFactory(store=store, title="Linen dress")
    sizing = services.create_quick_reply(
        seller,
        store,
        title="Size guide",
        body="Hi {buyer_first_name}, {product} runs true to size. – {store}",
        topic="sizing",
    )
    services.create_quick_reply(
        seller, store, title="Delivery", body="We ship in 2 days.", topic="delivery"
    )
    with pytest.raises(ValidationFailed, match="Unknown variable"):
        services.create_quick_reply(seller, store, title="Bad", body="Hi {name}")
    with pytest.raises(Conflict):
        services.create_quick_reply(seller, store, title="Size guide", body="Again")
    with pytest.raises(NotFound):
        services.create_quick_reply(buyer, store, title="Mine", body="Hi")
    conversation, _ = start(
        buyer, store, "Does it fit a size 12? Is it true to size?", product_id=product.pk
    )
    suggested = selectors.suggested_quick_replies(seller, conversation)
    assert suggested[0] == sizing
    assert selectors.suggested_quick_replies(buyer, conversation) == []
    text = selectors.render_quick_reply(sizing, conversation)
    assert text == "Hi Thandi, Linen dress runs true to size. – Cape Linen Co"
    services.send_message(seller, conversation, text=text, quick_reply_id=sizing.pk)
    assert QuickReply.objects.get(pk=sizing.pk).usage_count == 1


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("Hi {Product} fans", "{Product}"),
        ("Your { order_number } ships today", "{ order_number }"),
        ("Thanks {buyer first name}!", "{buyer first name}"),
        ("From {store-name}", "{store-name}"),
    ],
)
def test_a_mistyped_variable_is_refused_rather_than_sent_as_typed(store, seller, body, named):
    """Only the exact names are filled in: anything else in braces would reach the buyer."""
    with pytest.raises(ValidationFailed) as refused:
        services.create_quick_reply(seller, store, title="Typo", body=body)
    assert refused.value.message.startswith(f"Unknown variable {named}; use exactly ")
    assert not QuickReply.objects.exists()


def test_braces_that_are_not_a_variable_are_kept(store, seller):
    reply = services.create_quick_reply(
        seller, store, title="Sizes", body="{product} comes in {S, M, L} :-{}"
    )
    assert reply.body == "{product} comes in {S, M, L} :-{}"


# --- Safety ------------------------------------------------------------------------------------


@override_settings(MESSAGING_CONTACT_POLICY="warn")
def test_contact_details_warn_first_then_send_when_confirmed(buyer, store, seller):
    with pytest.raises(ValidationFailed) as refused:
        start(buyer, store, "Email me at thandi@example.com or WhatsApp 082 555 1234")
    assert refused.value.code == "contact_details"
    assert refused.value.details["found"] == ["thandi@example.com", "WhatsApp", "082 555 1234"]
    assert not Message.objects.exists()
    _, message = start(buyer, store, "Email me at thandi@example.com", acknowledge_contact=True)
    assert message.contact_details and "thandi@example.com" in message.text


@override_settings(MESSAGING_CONTACT_POLICY="mask")
def test_contact_details_are_masked_under_the_mask_policy(buyer, store, seller):
    _, message = start(buyer, store, "See www.cheaper-elsewhere.com or call +27 82 555 1234")
    assert message.text == "See [hidden] or call [hidden]" and message.contact_details


@override_settings(MESSAGING_SPAM_REPEATS=3)
def test_the_same_text_in_many_conversations_is_flagged_as_spam(seller):
    spammer = UserFactory()
    stores = [MembershipFactory().store for _ in range(3)]
    messages = [start(spammer, s, "Cheap watches, best prices!!!")[1] for s in stores]
    assert [m.is_spam for m in messages] == [False, False, True]
    report = ConversationReport.objects.get()
    assert report.reporter is None and report.conversation == messages[-1].conversation


def test_blocks_refuse_messages_both_ways(buyer, store, seller):
    conversation, _ = start(buyer, store)
    services.block(seller, conversation)
    with pytest.raises(PermissionDenied, match="not accepting"):
        services.send_message(buyer, conversation, text="Hello?")
    with pytest.raises(PermissionDenied, match="not accepting"):
        start(buyer, store, "New question", product_id=ProductFactory(store=store).pk)
    with pytest.raises(PermissionDenied, match="Unblock"):
        services.send_message(seller, conversation, text="Sorry")
    services.unblock(seller, conversation)
    services.send_message(buyer, conversation, text="Hello again")


@override_settings(MESSAGING_RATE_LIMITS={"send": "3/m", "start": "2/h"})
def test_rate_limits_for_sending_and_starting(buyer, store, seller):
    conversation, _ = start(buyer, store)
    services.send_message(buyer, conversation, text="two")
    services.send_message(buyer, conversation, text="three")
    with pytest.raises(RateLimited) as limited:
        services.send_message(buyer, conversation, text="four")
    assert 1 <= limited.value.retry_after <= 60
    assert conversation.messages.count() == 3
    other = StoreFactory()
    MembershipFactory(store=other)
    another = UserFactory()
    start(another, other, product_id=ProductFactory(store=other).pk)
    start(another, other)
    with pytest.raises(RateLimited):
        start(another, other, product_id=ProductFactory(store=other).pk)


def test_reports_and_audited_staff_access(buyer, store, seller, staff):
    conversation, _ = start(buyer, store)
    report = services.report_conversation(buyer, conversation, "Rude reply")
    with pytest.raises(Conflict):
        services.report_conversation(buyer, conversation, "Again")
    with pytest.raises(NotFound):
        services.report_conversation(UserFactory(), conversation, "Not mine")
    with pytest.raises(PermissionDenied):
        services.record_staff_access(seller, conversation, "Curious")
    services.record_staff_access(staff, conversation, f"Report {report.pk}")
    assert StaffAccess.objects.get().staff == staff
    services.resolve_report(staff, report, "Warned the seller")
    assert list(selectors.open_reports()) == []


def test_a_report_resolved_with_a_pause_stops_both_sides_until_it_ends(buyer, store, seller, staff):
    conversation, _ = start(buyer, store)
    other, _ = start(buyer, store, "About another thing", product_id=ProductFactory(store=store).pk)
    report = services.report_conversation(buyer, conversation, "Threats")

    resolved = services.resolve_report(staff, report, "Threats confirmed", pause_days=7)

    until = resolved.messages_stopped_until
    assert until == resolved.resolved_at + timedelta(days=7)
    for user, where in ((buyer, conversation), (seller, conversation), (buyer, other)):
        with pytest.raises(PermissionDenied, match="office paused messages") as refused:
            services.send_message(user, where, text="Still there?")
        assert timezone.localtime(until).strftime("%-d %b %Y") in refused.value.message
    with pytest.raises(PermissionDenied, match="office paused"):
        start(buyer, store, "A new question")
    services.unblock(buyer, conversation)  # a side's unblock is not the office's
    with pytest.raises(PermissionDenied):
        services.send_message(buyer, conversation, text="Now?")

    Block.objects.filter(blocked_by=Block.OFFICE).update(until=timezone.now())  # it ran out
    assert services.send_message(seller, conversation, text="Sorry for the trouble.")[1]


def test_a_shorter_pause_keeps_the_longer_one_running(buyer, store, staff):
    conversation, _ = start(buyer, store)
    first = services.report_conversation(buyer, conversation, "Spam")
    services.resolve_report(staff, first, "Spam", pause_days=30)
    second = services.report_conversation(buyer, conversation, "More spam")
    services.resolve_report(staff, second, "Spam again", pause_days=7)
    pause = Block.objects.get(blocked_by=Block.OFFICE)
    assert pause.until == ConversationReport.objects.get(pk=first.pk).messages_stopped_until


@pytest.mark.parametrize("days", [1, -7, 365])
def test_a_pause_not_offered_is_refused_and_nothing_changes(buyer, store, staff, days):
    conversation, _ = start(buyer, store)
    report = services.report_conversation(buyer, conversation, "Rude")
    with pytest.raises(ValidationFailed, match="pause"):
        services.resolve_report(staff, report, "Rude", pause_days=days)
    report.refresh_from_db()
    assert report.status == "open" and not Block.objects.exists()


def test_uploads_never_sent_are_discarded_after_a_day(buyer, store, seller):
    old = services.upload_attachment(buyer, SimpleUploadedFile("old.png", png()))
    fresh = services.upload_attachment(buyer, SimpleUploadedFile("new.png", png()))
    sent = services.upload_attachment(buyer, SimpleUploadedFile("sent.png", png()))
    start(buyer, store, "Photo", attachment_ids=[sent.pk])
    Attachment.objects.filter(pk__in=[old.pk, sent.pk]).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    storage = old.file.storage
    assert services.discard_stale_uploads() == 1
    assert set(Attachment.objects.values_list("pk", flat=True)) == {fresh.pk, sent.pk}
    assert not storage.exists(old.file.name) and storage.exists(sent.file.name)


def test_search_finds_every_word_as_a_prefix_in_ones_own_conversations(buyer, store, seller):
    conversation, _ = start(buyer, store, "Does the linen dress come in navy?")
    services.send_message(seller, conversation, text="Yes: navy, olive and sand.")
    start(UserFactory(), store, "Is the linen dress navy or black?")

    def found(person, query):
        return [m.text for m in selectors.search_messages(person, query)]

    assert found(buyer, "NAVY lin") == ["Does the linen dress come in navy?"]
    assert found(buyer, "navy") == [
        "Yes: navy, olive and sand.",
        "Does the linen dress come in navy?",
    ]
    assert len(found(seller, "linen navy")) == 2  # the store sees both buyers' questions
    assert found(buyer, '"navy* (') == found(buyer, "navy")  # FTS syntax is ignored
    assert found(buyer, "navy OR sand") == []  # OR is just a word, and it is not there
    assert found(buyer, "   ") == [] and found(UserFactory(), "navy") == []


def test_suggestions_read_the_whole_unanswered_question(buyer, store, seller):
    delivery = services.create_quick_reply(
        seller, store, title="Delivery", body="We ship in 2 days.", topic="delivery"
    )
    services.create_quick_reply(
        seller, store, title="In stock", body="{product} is in stock.", topic="availability"
    )
    conversation, _ = start(buyer, store, "Do you ship to Durban, and how long does it take?")
    services.send_message(buyer, conversation, text="Hi again, just following up.")
    assert selectors.suggested_quick_replies(seller, conversation)[0] == delivery


def test_a_missing_product_reads_well_at_the_start_of_a_sentence():
    filled = selectors.fill_quick_reply(
        "Thanks! {product} is in stock; {product} ships today.",
        buyer_first_name="Thandi",
        product="",
        order_number="",
        store="Cape Linen Co",
    )
    assert filled == "Thanks! The product is in stock; the product ships today."


def test_stores_are_reminded_once_when_an_answer_is_nearly_due(buyer, store, seller, agent):
    _, first = start(buyer, store)
    other, _ = start(UserFactory(first_name="Sipho"), store, "Do you deliver to Durban?")
    soon = first.created_at + timedelta(hours=21)  # both due within 4 hours
    assert services.remind_waiting(now=first.created_at + timedelta(hours=10)) == 0
    assert services.remind_waiting(now=soon) == 2
    assert services.remind_waiting(now=soon + timedelta(minutes=10)) == 0  # once per wait
    for member in (seller, agent):
        reminder = Notification.objects.get(recipient=member, type="message.waiting")
        assert reminder.text == "2 buyers are waiting: the first answer is due within 3 h"
        assert reminder.link == f"/seller/{store.slug}/inbox/?box=waiting"
    assert not Notification.objects.filter(recipient=buyer, type="message.waiting").exists()
    services.send_message(seller, other, text="Yes, in 2 days.")  # answered: no reminder
    third, _ = start(UserFactory(), store, "Still there?")
    assert services.remind_waiting(now=third.created_at + timedelta(hours=22)) == 1
