"""Messaging pages per role: buyer, store member, another store's seller, office staff, visitor.

A conversation someone is not part of is a 404 (its existence is not leaked);
a refused form shows its error and changes nothing.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import (
    MembershipFactory,
    OrderFactory,
    ProductFactory,
    StoreFactory,
)
from saypro.core.errors import NotFound
from saypro.messaging import services, views
from saypro.messaging.models import (
    Attachment,
    Block,
    Conversation,
    ConversationReport,
    Message,
    Participant,
    QuickReply,
    StaffAccess,
    Wait,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_seller(db):
    """A member of another store."""
    return MembershipFactory(store=StoreFactory(name="Karoo Pottery")).user


@pytest.fixture
def quick_reply(seller, store):
    return services.create_quick_reply(
        seller,
        store,
        title="In stock",
        topic="availability",
        body="Hi {buyer_first_name}, {product} is in stock.",
    )


def thread_url(conversation) -> str:
    return reverse("messaging:conversation", kwargs={"pk": conversation.pk})


def inbox_url(store, *suffix) -> str:
    return f"/seller/{store.slug}/inbox/" + "".join(suffix)


def login_url(next_url: str) -> str:
    return f"{reverse('account_login')}?next={next_url}"


def as_user(client, user):
    client.force_login(user)
    return client


# --- Header badge and entry points --------------------------------------------------------


def test_the_header_shows_messages_with_the_unread_count(client, buyer, seller, conversation):
    services.send_message(seller, conversation, text="Yes, it is.")

    html = as_user(client, buyer).get("/").content.decode()

    assert 'href="/messages/"' in html
    assert '<span class="nav-badge" data-unread-total><span data-count>1</span>' in html


def test_the_badge_is_hidden_at_zero_and_visitors_have_no_messages_item(client, buyer):
    assert 'href="/messages/"' not in client.get("/").content.decode()
    html = as_user(client, buyer).get("/").content.decode()
    assert '<span class="nav-badge" data-unread-total hidden><span data-count>0</span>' in html


def test_product_page_offers_ask_the_seller_except_to_its_own_store(client, buyer, seller, product):
    ask = f"/messages/new/?store={product.store_id}&amp;product={product.pk}"
    assert ask in client.get(product.get_absolute_url()).content.decode()
    assert ask in as_user(client, buyer).get(product.get_absolute_url()).content.decode()
    assert ask not in as_user(client, seller).get(product.get_absolute_url()).content.decode()


def test_order_page_offers_ask_the_seller_to_its_buyer_only(client, buyer, seller, store):
    order = OrderFactory(buyer=buyer, store=store)
    ask = f"/messages/new/?store={store.pk}&amp;order={order.pk}"
    assert ask in as_user(client, buyer).get(order.get_absolute_url()).content.decode()
    assert ask not in as_user(client, seller).get(order.get_absolute_url()).content.decode()


# --- Buyer: Messages -----------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(client, conversation, store):
    for url in [
        "/messages/",
        thread_url(conversation),
        f"/messages/new/?store={store.pk}",
        inbox_url(store),
        inbox_url(store, f"{conversation.pk}/"),
        inbox_url(store, "quick-replies/"),
        "/office/messaging/reports/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_buyer_lists_their_conversations_with_unread_marks(client, buyer, seller, conversation):
    services.send_message(seller, conversation, text="Yes, all sizes.")

    response = as_user(client, buyer).get("/messages/")

    html = response.content.decode()
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"].object_list] == [conversation.pk]
    assert "Cape Linen Co" in html and "Yes, all sizes." in html
    assert "<span data-count>1</span> unread" in html
    assert f'data-last-event-id="{response.context["last_event_id"]}"' in html
    assert response.context["last_event_id"] > 0


def test_an_empty_inbox_says_what_to_do(client, buyer):
    html = as_user(client, buyer).get("/messages/").content.decode()
    assert "No messages yet" in html and "Ask the seller" in html


def test_a_seller_sees_only_their_own_questions_and_a_link_to_the_store_inbox(
    client, seller, conversation, store
):
    response = as_user(client, seller).get("/messages/")
    assert list(response.context["page"].object_list) == []
    assert inbox_url(store) in response.content.decode()


def test_archived_conversations_have_their_own_folder(client, buyer, conversation):
    services.set_archived(buyer, conversation, True)
    as_user(client, buyer)
    assert list(client.get("/messages/").context["page"].object_list) == []
    archived = client.get("/messages/?box=archived").context["page"].object_list
    assert [c.pk for c in archived] == [conversation.pk]


def test_buyer_reads_the_thread_with_seen_mark_and_escaped_text(
    client, buyer, seller, conversation
):
    message, _ = services.send_message(buyer, conversation, text="<script>alert(1)</script> & more")
    services.mark_read(seller, conversation)

    response = as_user(client, buyer).get(thread_url(conversation))

    html = response.content.decode()
    assert response.status_code == 200
    assert [m.text for m in response.context["thread"]][-1].startswith("<script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script>alert(1)" not in html
    assert response.context["seen_message_id"] == message.pk
    assert html.count(">Seen</p>") == 1
    assert 'role="log"' in html and 'aria-live="polite"' in html


def test_earlier_messages_are_offered_only_while_older_ones_exist(
    client, monkeypatch, buyer, conversation
):
    """Six messages in pages of three: the second page is the oldest and offers no link
    (it used to whenever a full page was shown, leading to an empty page)."""
    monkeypatch.setattr(views, "THREAD_PAGE", 3)
    for number in range(2, 7):
        services.send_message(buyer, conversation, text=f"Message {number}")
    as_user(client, buyer)

    latest = client.get(thread_url(conversation))
    first_shown = latest.context["thread"][0]
    earlier = client.get(f"{thread_url(conversation)}?before={first_shown.pk}")

    assert [m.text for m in latest.context["thread"]] == ["Message 4", "Message 5", "Message 6"]
    assert f'href="?before={first_shown.pk}">↑ Earlier messages' in latest.content.decode()
    assert [m.text for m in earlier.context["thread"]] == [
        "Is the shirt in stock in M?",
        "Message 2",
        "Message 3",
    ]
    assert earlier.context["has_older"] is False
    assert "Earlier messages" not in earlier.content.decode()


def test_a_store_member_opening_the_buyer_url_goes_to_the_seller_view(
    client, agent, conversation, store
):
    response = as_user(client, agent).get(thread_url(conversation))
    assert response.status_code == 302
    assert response["Location"] == inbox_url(store, f"{conversation.pk}/")


@pytest.mark.parametrize("who", ["other_seller", "staff", "stranger"])
def test_nobody_else_sees_the_conversation(client, request, who, conversation, store):
    person = UserFactory() if who == "stranger" else request.getfixturevalue(who)
    as_user(client, person)
    assert client.get(thread_url(conversation)).status_code == 404
    assert client.get(inbox_url(store, f"{conversation.pk}/")).status_code == 404
    response = client.post(
        reverse("messaging:send", kwargs={"pk": conversation.pk}), {"text": "Hello"}
    )
    assert response.status_code == 404
    assert conversation.messages.count() == 1


# --- Ask the seller --------------------------------------------------------------------------


def test_ask_the_seller_shows_the_form_then_starts_the_conversation(client, buyer, product, store):
    url = f"/messages/new/?store={store.pk}&product={product.pk}"
    as_user(client, buyer)
    page = client.get(url)
    assert page.status_code == 200
    assert "Ask Cape Linen Co" in page.content.decode()

    response = client.post(url, {"text": "Does it run small?", "client_id": "form-1"})

    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread_url(conversation)
    assert (conversation.buyer, conversation.product, conversation.topic) == (
        buyer,
        product,
        f"product:{product.pk}",
    )
    assert list(conversation.messages.values_list("text", "client_id")) == [
        ("Does it run small?", "form-1")
    ]
    # Posting the same form again (a double click) sends nothing new.
    client.post(url, {"text": "Does it run small?", "client_id": "form-1"})
    assert Message.objects.count() == 1


def test_ask_the_seller_opens_the_existing_conversation_about_that_subject(
    client, buyer, conversation, product, store
):
    as_user(client, buyer)
    response = client.get(f"/messages/new/?store={store.pk}&product={product.pk}")
    assert response.status_code == 302 and response["Location"] == thread_url(conversation)
    # Another subject (a general question) is a new conversation.
    assert client.get(f"/messages/new/?store={store.pk}").status_code == 200


def test_ask_about_an_order_needs_the_buyers_own_order(client, buyer, store):
    order = OrderFactory(buyer=buyer, store=store)
    someone_elses = OrderFactory(store=store)
    as_user(client, buyer)
    url = f"/messages/new/?store={store.pk}&order={order.pk}"
    assert client.get(url).status_code == 200
    client.post(url, {"text": "Where is my parcel?"})
    assert Conversation.objects.get().topic == f"order:{order.pk}"
    assert client.get(f"/messages/new/?order={someone_elses.pk}").status_code == 404


@pytest.mark.parametrize(
    "query",
    ["store=abc", "store=999999", "product=999999", "", "store={store}&product={other}"],
)
def test_ask_the_seller_with_a_bad_subject_is_404(client, buyer, store, query):
    other = ProductFactory()
    as_user(client, buyer)
    url = "/messages/new/?" + query.format(store=store.pk, other=other.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Hello"}).status_code == 404
    assert Conversation.objects.count() == 0


def test_query_ids_that_are_not_ascii_digits_are_not_ids(client, buyer, seller, conversation):
    """ "²" and "١" are digits to ``str.isdigit``: a 404 for a subject, ignored elsewhere."""
    as_user(client, buyer)
    for number in ("²", "١"):
        assert client.get(f"/messages/new/?store={number}").status_code == 404
        assert client.get(f"{thread_url(conversation)}?before={number}").status_code == 200
    seller_url = inbox_url(conversation.store, f"{conversation.pk}/")
    as_user(client, seller)
    for reply in ("²", "abc"):
        response = client.get(f"{seller_url}?reply={reply}&before=²")
        assert response.status_code == 200
        assert response.context["form"]["text"].value() is None


def test_an_empty_question_shows_an_error_and_starts_nothing(client, buyer, store):
    as_user(client, buyer)
    response = client.post(f"/messages/new/?store={store.pk}", {"text": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {"text": ["This field is required."]}
    blank = client.post(f"/messages/new/?store={store.pk}", {"text": " \n "})
    assert blank.status_code == 400
    assert blank.context["form"].errors == {"text": ["The message cannot be empty."]}
    assert Message.objects.count() == 0


def test_contact_details_are_confirmed_before_sending(client, buyer, store, seller):
    url = f"/messages/new/?store={store.pk}"
    text = "Call me on 082 555 1234 please"
    as_user(client, buyer)

    warned = client.post(url, {"text": text, "client_id": "c-1"})

    assert warned.status_code == 400
    assert warned.context["form"].needs_acknowledgement
    assert "contact details" in warned.content.decode()
    assert 'name="acknowledge_contact"' in warned.content.decode()
    assert Message.objects.count() == 0

    sent = client.post(url, {"text": text, "client_id": "c-1", "acknowledge_contact": "on"})
    assert sent.status_code == 302
    assert Message.objects.get().contact_details is True


@pytest.mark.parametrize(
    ("blocker", "reason"),
    [
        ("seller", "This store is not accepting your messages."),
        ("buyer", "You blocked this conversation. Unblock it to send messages."),
    ],
)
def test_ask_the_seller_says_why_instead_of_the_form_when_blocked(
    client, request, buyer, store, conversation, blocker, reason
):
    """Either side's block: the reason (the service's wording) and 403 before anyone types."""
    services.block(request.getfixturevalue(blocker), conversation)
    as_user(client, buyer)

    response = client.get(f"/messages/new/?store={store.pk}")

    html = response.content.decode()
    assert response.status_code == 403
    assert response.context["blocked_reason"] == reason and reason in html
    assert "form" not in response.context and 'name="text"' not in html
    assert f'href="{store.get_absolute_url()}">Back</a>' in html
    # The buyer who blocked is shown where to unblock; a store's block is not theirs to lift.
    unblock = f'href="{thread_url(conversation)}">Open your conversation with {store.name}'
    assert (unblock in html) == (blocker == "buyer")
    posted = client.post(f"/messages/new/?store={store.pk}", {"text": "Hello?"})
    assert posted.status_code == 403 and reason in posted.content.decode()
    assert Conversation.objects.count() == 1 and Message.objects.count() == 1


def test_a_store_member_asking_their_own_store_goes_to_the_inbox(client, seller, store, product):
    response = as_user(client, seller).get(f"/messages/new/?product={product.pk}")
    assert response.status_code == 302 and response["Location"] == inbox_url(store)
    assert Conversation.objects.count() == 0


# --- Sending, archive, block, report (the forms) -----------------------------------------------


def test_buyer_sends_from_the_composer(client, buyer, conversation):
    url = reverse("messaging:send", kwargs={"pk": conversation.pk})
    as_user(client, buyer)

    response = client.post(url, {"text": "And in blue?", "client_id": "k-1"})
    client.post(url, {"text": "And in blue?", "client_id": "k-1"})  # resubmitted

    message = conversation.messages.get(text="And in blue?")
    assert response.status_code == 302
    assert response["Location"] == f"{thread_url(conversation)}#m-{message.pk}"
    assert conversation.messages.count() == 2


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(lambda c: reverse("messaging:send", kwargs={"pk": c.pk}), id="composer"),
        pytest.param(lambda c: f"/messages/new/?store={c.store_id}", id="ask the seller"),
    ],
)
def test_a_sent_form_sent_again_with_other_text_is_explained_and_goes_through_next(
    client, buyer, conversation, url
):
    """The back button restores a sent form with its client_id: the 409 speaks to a person,
    keeps the new text and gives a fresh client_id, so the second click sends it."""
    url = url(conversation)
    as_user(client, buyer)
    assert client.post(url, {"text": "And in blue?", "client_id": "k-1"}).status_code == 302

    again = client.post(url, {"text": "And in green?", "client_id": "k-1"})

    html = again.content.decode()
    form = again.context["form"]
    assert again.status_code == 409
    assert form.non_field_errors() == [
        "That form was already sent. Your new text is kept below: send it again."
    ]
    assert "That form was already sent." in html and "Use a new client_id" not in html
    assert form["text"].value() == "And in green?"
    fresh = form["client_id"].value()
    assert fresh not in ("", "k-1") and f'value="{fresh}"' in html
    assert not Message.objects.filter(text="And in green?").exists()

    sent = client.post(url, {"text": "And in green?", "client_id": fresh})

    assert sent.status_code == 302
    sent_by_buyer = Message.objects.filter(sender=buyer).order_by("pk")
    assert list(sent_by_buyer.values_list("text", "client_id")) == [
        ("Is the shirt in stock in M?", None),
        ("And in blue?", "k-1"),
        ("And in green?", fresh),
    ]


def test_an_empty_message_shows_the_error_and_sends_nothing(client, buyer, conversation):
    response = as_user(client, buyer).post(
        reverse("messaging:send", kwargs={"pk": conversation.pk}), {"text": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"text": ["The message cannot be empty."]}
    assert conversation.messages.count() == 1


def test_store_sends_a_quick_reply_with_a_product_card(
    client, seller, conversation, quick_reply, store
):
    trousers = ProductFactory(store=store, title="Linen trousers")
    response = as_user(client, seller).post(
        reverse("messaging:send", kwargs={"pk": conversation.pk}),
        {"text": "Yes!", "quick_reply_id": quick_reply.pk, "product_ids": [trousers.pk]},
    )
    message = conversation.messages.get(side="store")
    assert response["Location"] == inbox_url(store, f"{conversation.pk}/#m-{message.pk}")
    assert list(message.cards.values_list("product", flat=True)) == [trousers.pk]
    assert message.quick_reply == quick_reply
    quick_reply.refresh_from_db()
    assert quick_reply.usage_count == 1


def test_a_buyer_cannot_send_a_quick_reply_and_sees_why(client, buyer, conversation, quick_reply):
    response = as_user(client, buyer).post(
        reverse("messaging:send", kwargs={"pk": conversation.pk}),
        {"text": "Copying the store", "quick_reply_id": quick_reply.pk},
    )
    assert response.status_code == 404
    assert "Quick reply not found in this store." in response.content.decode()
    assert conversation.messages.count() == 1


def test_a_blocked_buyer_is_refused_with_403_and_the_reason(client, buyer, seller, conversation):
    services.block(seller, conversation)
    response = as_user(client, buyer).post(
        reverse("messaging:send", kwargs={"pk": conversation.pk}), {"text": "Hello?"}
    )
    assert response.status_code == 403
    assert "This store is not accepting your messages." in response.content.decode()
    assert response.context["form"]["text"].value() == "Hello?"
    assert conversation.messages.count() == 1


def png() -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(data, "PNG")
    return SimpleUploadedFile("label.png", data.getvalue())


def test_files_are_sent_once_with_the_message_even_when_the_form_is_posted_twice(
    client, buyer, conversation
):
    url = reverse("messaging:send", kwargs={"pk": conversation.pk})
    as_user(client, buyer)

    first = client.post(url, {"text": "The label", "client_id": "k-2", "files": [png()]})
    again = client.post(url, {"text": "The label", "client_id": "k-2", "files": [png()]})

    message = conversation.messages.get(text="The label")
    assert first.status_code == again.status_code == 302
    assert again["Location"] == f"{thread_url(conversation)}#m-{message.pk}"
    assert list(Attachment.objects.values_list("message", flat=True)) == [message.pk]


@pytest.mark.parametrize(
    ("files", "status"),
    [
        pytest.param(lambda: [png()], 403, id="blocked"),
        pytest.param(
            lambda: [png(), SimpleUploadedFile("b.png", b"not an image")], 400, id="refused file"
        ),
    ],
)
def test_a_refused_send_keeps_none_of_its_files(client, buyer, seller, conversation, files, status):
    """Neither the files of a blocked send nor an upload before a refused file are kept."""
    services.block(seller, conversation)
    response = as_user(client, buyer).post(
        reverse("messaging:send", kwargs={"pk": conversation.pk}),
        {"text": "Hello?", "files": files()},
    )
    assert response.status_code == status
    assert not Attachment.objects.exists()
    assert conversation.messages.count() == 1


@override_settings(MESSAGING_RATE_LIMITS={"send": "2/m", "start": "1/h"})
def test_rate_limited_pages_answer_429_with_retry_after(
    client, buyer, conversation, store, mid_minute
):
    """A start is also a send: one send and one start use both limits up."""
    as_user(client, buyer)
    send_url = reverse("messaging:send", kwargs={"pk": conversation.pk})
    start_url = f"/messages/new/?store={store.pk}"
    assert client.post(send_url, {"text": "Hi"}).status_code == 302
    assert client.post(start_url, {"text": "A new question"}).status_code == 302
    for url in (send_url, start_url):
        response = client.post(url, {"text": "One more"})
        assert response.status_code == 429
        assert int(response["Retry-After"]) >= 1
        assert "Try again in" in response.content.decode()
    assert not Message.objects.filter(text="One more").exists()


def test_a_card_of_another_store_is_refused_next_to_the_field(client, seller, conversation):
    foreign = ProductFactory()
    response = as_user(client, seller).post(
        reverse("messaging:send", kwargs={"pk": conversation.pk}),
        {"text": "Look", "product_ids": [foreign.pk]},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["product_ids"][0].startswith("Select a valid choice")
    assert conversation.messages.filter(side="store").count() == 0


def test_archive_and_mute_change_only_the_asking_persons_state(client, buyer, seller, conversation):
    url = reverse("messaging:state", kwargs={"pk": conversation.pk})
    as_user(client, buyer)

    archived = client.post(url, {"action": "archive"})
    client.post(url, {"action": "mute"})

    assert archived["Location"] == "/messages/"
    states = {p.user_id: (p.archived, p.muted) for p in conversation.participants.all()}
    assert states == {buyer.pk: (True, True), seller.pk: (False, False)}


@pytest.mark.parametrize("data", [{}, {"action": ""}, {"action": "explode"}])
@pytest.mark.parametrize(
    ("who", "template"), [("buyer", "conversation"), ("seller", "seller_conversation")]
)
def test_no_or_an_unknown_action_is_400_on_the_conversation_page(
    client, request, conversation, data, who, template
):
    as_user(client, request.getfixturevalue(who))
    before = list(Participant.objects.order_by("pk").values_list("archived", "muted"))

    response = client.post(reverse("messaging:state", kwargs={"pk": conversation.pk}), data)

    assert response.status_code == 400
    assert response.templates[0].name == f"messaging/pages/{template}.html"
    assert (
        "Nothing was changed: choose archive, mute or block under “Conversation”."
        in response.content.decode()
    )
    assert list(Participant.objects.order_by("pk").values_list("archived", "muted")) == before
    assert Block.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "template"), [("buyer", "conversation"), ("seller", "seller_conversation")]
)
def test_a_refused_state_change_is_shown_on_the_conversation_page(
    client, request, monkeypatch, conversation, who, template
):
    """Blocking etc. are refused only for someone who just lost access (a race): 404 here."""

    def refuse(user, found):
        raise NotFound("Conversation not found.")

    monkeypatch.setattr(services, "block", refuse)
    as_user(client, request.getfixturevalue(who))
    url = reverse("messaging:state", kwargs={"pk": conversation.pk})

    response = client.post(url, {"action": "block"})

    assert response.status_code == 404
    assert response.templates[0].name == f"messaging/pages/{template}.html"
    assert "Conversation not found." in response.content.decode()
    assert Block.objects.count() == 0


def test_block_and_unblock(client, buyer, conversation, store):
    url = reverse("messaging:state", kwargs={"pk": conversation.pk})
    as_user(client, buyer)
    client.post(url, {"action": "block"})
    assert list(Block.objects.values_list("store", "buyer", "blocked_by")) == [
        (store.pk, buyer.pk, "buyer")
    ]
    assert "Unblock it to send messages" in client.get(thread_url(conversation)).content.decode()
    client.post(url, {"action": "unblock"})
    assert Block.objects.count() == 0


def test_report_needs_a_reason_and_is_filed_once(client, buyer, conversation):
    url = reverse("messaging:report", kwargs={"pk": conversation.pk})
    as_user(client, buyer)

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert empty.context["report_form"].errors == {"reason": ["This field is required."]}
    assert ConversationReport.objects.count() == 0

    assert client.post(url, {"reason": "He was rude."}).status_code == 302
    again = client.post(url, {"reason": "Again."})
    assert again.status_code == 409
    assert "already reported" in again.content.decode()
    assert ConversationReport.objects.count() == 1


def test_actions_on_someone_elses_conversation_are_404(client, other_seller, conversation):
    as_user(client, other_seller)
    for name, data in [
        ("messaging:state", {"action": "block"}),
        ("messaging:report", {"reason": "x"}),
    ]:
        assert client.post(reverse(name, kwargs={"pk": conversation.pk}), data).status_code == 404
    assert Block.objects.count() == 0 and ConversationReport.objects.count() == 0


# --- Search in the inbox pages -------------------------------------------------------------


def test_a_buyer_finds_their_own_messages_by_a_word_prefix(client, buyer, store, conversation):
    services.start_conversation(UserFactory(), store_id=store.pk, text="Is the shirt navy?")
    services.set_archived(buyer, conversation, True)

    response = as_user(client, buyer).get("/messages/?q=shi")

    html = response.content.decode()
    assert response.status_code == 200
    assert [hit.pk for hit, _ in response.context["results"]] == [conversation.last_message_id]
    assert "1 message matches “shi”" in html and "Clear search" in html
    assert "Is the <mark>shirt</mark> in stock in M?" in html
    assert f'href="{thread_url(conversation)}#m-{conversation.last_message_id}"' in html
    assert "Conversations, newest first" not in html  # the results replace the list


def test_a_store_member_finds_only_this_stores_messages(client, buyer, seller, store, conversation):
    other_store = StoreFactory(name="Karoo Pottery")
    MembershipFactory(store=other_store, user=seller)
    services.start_conversation(buyer, store_id=other_store.pk, text="Is the shirt glazed?")

    response = as_user(client, seller).get(inbox_url(store, "?q=SHIRT"))

    assert [hit.conversation_id for hit, _ in response.context["results"]] == [conversation.pk]
    html = response.content.decode()
    assert "From Thandi" in html
    assert f'href="{inbox_url(store, f"{conversation.pk}/")}#m-' in html
    elsewhere = client.get(inbox_url(other_store, "?q=shirt")).context["results"]
    assert [hit.text for hit, _ in elsewhere] == ["Is the shirt glazed?"]


def test_search_highlights_escaped_text(client, buyer, store):
    services.start_conversation(buyer, store_id=store.pk, text="Do you sell <b>linen</b> & wool?")

    html = as_user(client, buyer).get("/messages/?q=linen").content.decode()

    assert "Do you sell &lt;b&gt;<mark>linen</mark>&lt;/b&gt; &amp; wool?" in html
    assert "<b>linen</b>" not in html


def test_a_search_without_matches_says_so(client, buyer, conversation):
    html = as_user(client, buyer).get("/messages/?q=teapot").content.decode()
    assert "0 messages match “teapot”" in html and "Nothing found" in html


@pytest.mark.parametrize("query", ["x" * 201, "shirt\x00"])
def test_a_bad_query_shows_the_error_and_the_list(
    client, buyer, store, seller, conversation, query
):
    for url in ["/messages/", inbox_url(store)]:
        person = buyer if url == "/messages/" else seller
        response = as_user(client, person).get(url, {"q": query})

        html = response.content.decode()
        assert response.status_code == 200
        assert "results" not in response.context
        assert [c.pk for c in response.context["page"].object_list] == [conversation.pk]
        assert 'aria-describedby="id_q_helptext id_q_error"' in html
        assert '<ul class="errors" id="id_q_error">' in html


def test_visitors_searching_are_sent_to_log_in(client, store):
    for url in ["/messages/?q=shirt", inbox_url(store, "?q=shirt")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- Seller Center: Inbox -----------------------------------------------------------------


def test_the_thread_reads_a_constant_number_of_queries(
    client, buyer, seller, conversation, store, django_assert_num_queries
):
    def answer_with_a_card():
        services.send_message(seller, conversation, text="Look:", product_ids=[card.pk])

    card = ProductFactory(store=store, title="Linen trousers")
    answer_with_a_card()
    as_user(client, buyer)
    client.get(thread_url(conversation))  # warm the session
    with django_assert_num_queries(15) as one:  # 12 + the header bell (2) + the store's badges
        client.get(thread_url(conversation))
    for _ in range(4):
        answer_with_a_card()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(thread_url(conversation))
    assert len(response.context["thread"]) == 6


@pytest.mark.parametrize("who", ["seller", "agent"])
def test_store_members_see_the_inbox_by_urgency(client, request, who, buyer, store, seller):
    member = request.getfixturevalue(who)
    answered, _, _ = services.start_conversation(buyer, store_id=store.pk, text="Hello")
    services.send_message(seller, answered, text="Hi!")
    waiting, _, _ = services.start_conversation(
        UserFactory(first_name="Sipho"), store_id=store.pk, text="Do you ship to Durban?"
    )

    response = as_user(client, member).get(inbox_url(store))

    html = response.content.decode()
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"].object_list] == [waiting.pk, answered.pk]
    assert "Due in" in html and "Waiting" in html
    waiting_only = client.get(inbox_url(store, "?box=waiting")).context["page"].object_list
    assert [c.pk for c in waiting_only] == [waiting.pk]


def test_the_inbox_reads_a_constant_number_of_queries(
    client, seller, store, django_assert_num_queries
):
    def start_one():
        services.start_conversation(UserFactory(), store_id=store.pk, text="Hello?")

    start_one()
    as_user(client, seller)
    client.get(inbox_url(store))  # warm the session
    # 10 + the header bell (unread, last event) + the store's badges + the inbox tour's
    # progress + prompts (the person's stores, live prompts, their caps, the waiting and
    # quick-reply figures, "shown")
    with django_assert_num_queries(20) as one:
        client.get(inbox_url(store))
    for _ in range(4):
        start_one()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(inbox_url(store))
    assert len(response.context["page"].object_list) == 5


@pytest.mark.parametrize("who", ["buyer", "other_seller", "staff"])
def test_people_outside_the_store_get_404_in_its_inbox(client, request, who, store, conversation):
    as_user(client, request.getfixturevalue(who))
    for suffix in ["", f"{conversation.pk}/", "quick-replies/"]:
        assert client.get(inbox_url(store, suffix)).status_code == 404


def test_a_conversation_of_another_store_is_404_under_this_store(client, buyer, store, seller):
    other_store = StoreFactory()
    MembershipFactory(store=other_store, user=seller)
    elsewhere, _, _ = services.start_conversation(buyer, store_id=other_store.pk, text="Hi")
    response = as_user(client, seller).get(inbox_url(store, f"{elsewhere.pk}/"))
    assert response.status_code == 404


def test_seller_view_has_suggestions_cards_and_buyer_context(
    client, seller, buyer, conversation, quick_reply, store, product
):
    OrderFactory(buyer=buyer, store=store, number="SP-T0000777")

    response = as_user(client, seller).get(inbox_url(store, f"{conversation.pk}/"))

    html = response.content.decode()
    assert response.status_code == 200
    assert [reply for reply, _ in response.context["suggested"]] == [quick_reply]
    assert f"Hi {buyer.first_name}, Linen shirt is in stock." in html
    assert [p.pk for p in response.context["form"].products] == [product.pk]
    assert "SP-T0000777" in html and "About the buyer" in html
    assert "No response needed" in html


def test_insert_without_javascript_fills_the_composer(
    client, seller, buyer, conversation, quick_reply, store
):
    url = inbox_url(store, f"{conversation.pk}/?reply={quick_reply.pk}")
    form = as_user(client, seller).get(url).context["form"]
    assert form.initial["text"] == f"Hi {buyer.first_name}, Linen shirt is in stock."
    assert form.initial["quick_reply_id"] == quick_reply.pk


def test_no_response_needed_ends_the_wait_once(client, seller, conversation, store):
    url = inbox_url(store, f"{conversation.pk}/no-response-needed")
    as_user(client, seller)

    assert client.post(url).status_code == 302
    assert list(Wait.objects.values_list("outcome", flat=True)) == ["no_response"]
    conversation.refresh_from_db()
    assert conversation.due_at is None

    again = client.post(url)  # nobody is waiting any more: refused on the page, no redirect
    assert again.status_code == 409
    assert again.templates[0].name == "messaging/pages/seller_conversation.html"
    assert "Nobody is waiting for an answer in this conversation." in again.content.decode()
    assert list(Wait.objects.values_list("outcome", flat=True)) == ["no_response"]


def test_a_buyer_cannot_mark_no_response_needed(client, buyer, conversation, store):
    response = as_user(client, buyer).post(
        inbox_url(store, f"{conversation.pk}/no-response-needed")
    )
    assert response.status_code == 404
    assert Wait.objects.get().outcome == "open"


# --- Seller Center: quick replies ------------------------------------------------------------


def test_quick_replies_list_with_usage_and_variables(client, seller, store, quick_reply):
    QuickReply.objects.filter(pk=quick_reply.pk).update(usage_count=7)
    html = as_user(client, seller).get(inbox_url(store, "quick-replies/")).content.decode()
    assert "In stock" in html and '<td class="number">7</td>' in html
    assert "{buyer_first_name}" in html and "{order_number}" in html


def test_create_a_quick_reply(client, seller, store):
    response = as_user(client, seller).post(
        inbox_url(store, "quick-replies/"),
        {
            "title": "Delivery",
            "topic": "delivery",
            "body": "We ship in 2 days, {buyer_first_name}.",
        },
    )
    assert response.status_code == 302
    assert list(QuickReply.objects.values_list("store", "title", "topic")) == [
        (store.pk, "Delivery", "delivery")
    ]


@pytest.mark.parametrize(
    ("data", "field", "message", "status"),
    [
        ({"title": "", "topic": "other", "body": "Hi"}, "title", "This field is required.", 400),
        (
            {"title": "X", "topic": "other", "body": "Hi {nickname}"},
            "body",
            "Unknown variable",
            400,
        ),
        ({"title": "X", "topic": "gossip", "body": "Hi"}, "topic", "Select a valid choice", 400),
        ({"title": "In stock", "topic": "other", "body": "Hi"}, "title", "already has", 409),
    ],
)
def test_a_bad_quick_reply_shows_the_error_and_saves_nothing(
    client, seller, store, quick_reply, data, field, message, status
):
    response = as_user(client, seller).post(inbox_url(store, "quick-replies/"), data)
    assert response.status_code == status
    assert message in response.context["form"].errors[field][0]
    assert list(QuickReply.objects.values_list("title", flat=True)) == ["In stock"]


def test_edit_and_delete_a_quick_reply(client, seller, store, quick_reply):
    url = inbox_url(store, f"quick-replies/{quick_reply.pk}/")
    as_user(client, seller)
    assert client.get(url).context["form"].initial["title"] == "In stock"

    bad = client.post(url, {"title": "In stock", "topic": "other", "body": "{oops}"})
    assert bad.status_code == 400
    quick_reply.refresh_from_db()
    assert quick_reply.body == "Hi {buyer_first_name}, {product} is in stock."

    client.post(url, {"title": "Stock", "topic": "availability", "body": "Yes, in stock."})
    quick_reply.refresh_from_db()
    assert (quick_reply.title, quick_reply.body) == ("Stock", "Yes, in stock.")

    client.post(inbox_url(store, f"quick-replies/{quick_reply.pk}/delete"))
    assert QuickReply.objects.count() == 0


def test_a_refused_edit_or_delete_of_a_quick_reply_changes_nothing(
    client, seller, store, quick_reply, monkeypatch
):
    services.create_quick_reply(seller, store, title="Delivery", body="Soon.")
    as_user(client, seller)

    taken = client.post(
        inbox_url(store, f"quick-replies/{quick_reply.pk}/"),
        {"title": "Delivery", "topic": "other", "body": "Hi"},
    )
    assert taken.status_code == 409
    assert "already has a quick reply called" in taken.context["form"].errors["title"][0]
    assert taken.context["reply"].title == "In stock"

    def refuse(user, reply):
        raise NotFound("Store not found among yours.")

    monkeypatch.setattr(services, "delete_quick_reply", refuse)
    gone = client.post(inbox_url(store, f"quick-replies/{quick_reply.pk}/delete"))
    assert gone.status_code == 404
    assert gone.templates[0].name == "messaging/pages/quick_replies.html"
    assert "Store not found among yours." in gone.content.decode()
    assert sorted(QuickReply.objects.values_list("title", "body")) == [
        ("Delivery", "Soon."),
        ("In stock", "Hi {buyer_first_name}, {product} is in stock."),
    ]


def test_quick_replies_are_read_only_in_the_admin(client, store, quick_reply):
    """Only the Seller Center's service checks variables, lengths and titles."""
    as_user(client, UserFactory(is_staff=True, is_superuser=True))
    change_url = reverse("admin:messaging_quickreply_change", args=[quick_reply.pk])
    assert client.get(reverse("admin:messaging_quickreply_changelist")).status_code == 200
    assert client.get(change_url).status_code == 200
    unchecked = {
        "store": store.pk,
        "title": "In stock",
        "topic": "availability",
        "body": "Hi {Product}",
        "usage_count": 0,
        "created_at_0": "2026-01-05",
        "created_at_1": "10:00:00",
        "updated_at_0": "2026-01-05",
        "updated_at_1": "10:00:00",
    }

    changed = client.post(change_url, unchecked)
    added = client.post(reverse("admin:messaging_quickreply_add"), unchecked)
    deleted = client.post(
        reverse("admin:messaging_quickreply_delete", args=[quick_reply.pk]), {"post": "yes"}
    )

    assert changed.status_code == added.status_code == deleted.status_code == 403
    assert list(QuickReply.objects.values_list("title", "body")) == [
        ("In stock", "Hi {buyer_first_name}, {product} is in stock.")
    ]


def test_another_stores_quick_reply_is_404(client, seller, other_seller, quick_reply):
    other_store = other_seller.memberships.get().store
    as_user(client, other_seller)
    assert client.get(inbox_url(other_store, f"quick-replies/{quick_reply.pk}/")).status_code == 404
    response = client.post(inbox_url(other_store, f"quick-replies/{quick_reply.pk}/delete"))
    assert response.status_code == 404
    assert QuickReply.objects.count() == 1


# --- Office: reported conversations ----------------------------------------------------------


@pytest.fixture
def report(buyer, conversation):
    return services.report_conversation(buyer, conversation, "The seller insulted me.")


def test_the_admin_cannot_resolve_or_delete_a_report_outside_the_queue(client, report):
    """The queue records who resolved a report; the admin only lists reports."""
    as_user(client, UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:messaging_conversationreport_change", args=[report.pk])
    assert client.get(url).status_code == 200
    changed = client.post(url, {"status": "resolved", "resolution": "Closed quietly"})
    deleted = client.post(
        reverse("admin:messaging_conversationreport_delete", args=[report.pk]), {"post": "yes"}
    )
    assert changed.status_code == deleted.status_code == 403
    assert ConversationReport.objects.get().status == ConversationReport.Status.OPEN


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_the_report_queue_is_for_office_staff_only(client, request, who, report):
    as_user(client, request.getfixturevalue(who))
    assert client.get("/office/messaging/reports/").status_code == 403
    assert client.get(f"/office/messaging/reports/{report.pk}/").status_code == 403
    response = client.post(f"/office/messaging/reports/{report.pk}/open", {"reason": "Look"})
    assert response.status_code == 403
    assert StaffAccess.objects.count() == 0


def test_staff_see_open_reports_without_the_messages(client, staff, report):
    as_user(client, staff)
    queue = client.get("/office/messaging/reports/")
    assert [r.pk for r in queue.context["page"].object_list] == [report.pk]
    page = client.get(f"/office/messaging/reports/{report.pk}/").content.decode()
    assert "The seller insulted me." in page
    assert "Is the shirt in stock in M?" not in page


def test_opening_a_conversation_needs_a_reason_and_is_recorded(client, staff, report):
    url = f"/office/messaging/reports/{report.pk}/open"
    as_user(client, staff)

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert refused.context["access_form"].errors == {"reason": ["This field is required."]}
    assert StaffAccess.objects.count() == 0

    opened = client.post(url, {"reason": "Checking the insult report"})
    assert opened.status_code == 200
    assert "Is the shirt in stock in M?" in opened.content.decode()
    assert list(StaffAccess.objects.values_list("staff", "conversation", "reason")) == [
        (staff.pk, report.conversation_id, "Checking the insult report")
    ]


def test_resolving_needs_a_resolution(client, staff, report):
    url = f"/office/messaging/reports/{report.pk}/resolve"
    as_user(client, staff)

    refused = client.post(url, {"resolution": ""})
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.status == "open"

    assert client.post(url, {"resolution": "Warned the store."}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.resolution, report.resolved_by) == (
        "resolved",
        "Warned the store.",
        staff,
    )
    assert client.get(f"/office/messaging/reports/{report.pk}/").status_code == 404


def test_resolving_with_a_pause_tells_everyone_why_they_cannot_write(
    client, staff, buyer, seller, report, conversation
):
    url = f"/office/messaging/reports/{report.pk}/resolve"
    as_user(client, staff)
    page = client.get(f"/office/messaging/reports/{report.pk}/").content.decode()
    assert 'name="pause_days" value="7"' in page and "Pause for 30 days" in page

    refused = client.post(url, {"resolution": "Insults", "pause_days": "365"})
    assert refused.status_code == 400 and "pause_days" in refused.context["resolve_form"].errors

    done = client.post(url, {"resolution": "Insults confirmed", "pause_days": "7"}, follow=True)
    assert "Messages between the buyer and the store are paused until" in done.content.decode()

    seller_page = inbox_url(conversation.store, f"{conversation.pk}/")
    for user, page_url in ((buyer, thread_url(conversation)), (seller, seller_page)):
        html = as_user(client, user).get(page_url).content.decode()
        assert "The marketplace office paused messages between this store and this buyer" in html
        sent = client.post(
            reverse("messaging:send", kwargs={"pk": conversation.pk}), {"text": "Hello?"}
        )
        assert sent.status_code == 403
    assert conversation.messages.count() == 1


def test_reading_the_thread_changes_no_read_state(client, buyer, seller, conversation):
    before = list(Participant.objects.order_by("pk").values_list("unread", "last_read_message_id"))
    as_user(client, seller).get(inbox_url(conversation.store, f"{conversation.pk}/"))
    after = list(Participant.objects.order_by("pk").values_list("unread", "last_read_message_id"))
    assert before == after  # the page's script marks it read while the thread is visible
