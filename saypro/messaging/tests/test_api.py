"""The messaging API: the contract other tools drive, access per role, and bad input."""

import io

import pytest
from django.test import Client, override_settings
from PIL import Image

from saypro.accounts.tests.factories import UserFactory, token_client
from saypro.api import api
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory
from saypro.core.models import Event
from saypro.core.testing import assert_error, redis_down
from saypro.messaging.models import Attachment, Conversation, Message, ProductCard, QuickReply
from saypro.reviews.schemas import public_name

JSON = "application/json"


@pytest.fixture
def buyer_api(buyer):
    return token_client(buyer)


@pytest.fixture
def seller_api(seller):
    return token_client(seller)


@pytest.fixture
def conversation(buyer_api, store, seller) -> dict:
    response = buyer_api.post(
        "/api/v1/conversations",
        {"store_id": store.pk, "product_id": None, "order_id": None, "text": "In stock?"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    return response.json()


def send(client, conversation_id, **body):
    return client.post(f"/api/v1/conversations/{conversation_id}/messages", body, content_type=JSON)


def test_start_returns_the_conversation_with_its_first_message(conversation, store, buyer):
    assert conversation["id"] == Conversation.objects.get().pk
    assert conversation["store_id"] == store.pk and conversation["buyer_id"] == buyer.pk
    message = conversation["message"]
    assert message["conversation_id"] == conversation["id"] and message["text"] == "In stock?"
    assert message["sender"] == {"id": buyer.pk, "name": public_name(buyer), "side": "buyer"}
    assert conversation["due_at"] is not None and conversation["subject"] == "General question"


def test_send_is_idempotent_per_client_id(conversation, buyer_api):
    first = send(buyer_api, conversation["id"], text="Hello", client_id="c-1")
    retry = send(buyer_api, conversation["id"], text="Hello", client_id="c-1")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"]
    reused = assert_error(
        send(buyer_api, conversation["id"], text="Other", client_id="c-1"), 409, "conflict"
    )
    assert reused["message"].endswith("Use a new client_id for each new message.")
    assert_error(
        send(buyer_api, conversation["id"], text="Hi", client_id="bad id!"), 422, "invalid_request"
    )
    assert Message.objects.count() == 2


def test_bad_messages_are_refused_and_change_nothing(conversation, buyer_api, seller_api):
    cid = conversation["id"]
    events = Event.objects.count()
    assert_error(send(buyer_api, cid, text=""), 400, "validation_failed")
    assert_error(send(buyer_api, cid, text="x" * 5001), 400, "validation_failed")
    other_product = ProductFactory()
    assert_error(
        send(seller_api, cid, text="Try", product_ids=[other_product.pk]), 400, "validation_failed"
    )
    assert_error(send(buyer_api, cid, text="Hi", attachment_ids=[999]), 404, "not_found")
    assert_error(send(buyer_api, cid, text="Mail me: a@b.co"), 400, "contact_details")
    assert Message.objects.count() == 1 and Event.objects.count() == events


def test_blocked_sender_gets_403(conversation, buyer_api, seller_api):
    assert seller_api.post(f"/api/v1/conversations/{conversation['id']}/block").json() == {
        "blocked": True
    }
    assert_error(send(buyer_api, conversation["id"], text="Hello?"), 403, "permission_denied")


@pytest.mark.parametrize("who", ["stranger", "other_seller", "staff"])
def test_people_outside_the_conversation_see_nothing(conversation, staff, who):
    person = {
        "stranger": UserFactory(),
        "other_seller": MembershipFactory().user,
        "staff": staff,
    }[who]
    api = token_client(person)
    cid = conversation["id"]
    assert_error(api.get(f"/api/v1/conversations/{cid}"), 404, "not_found")
    assert_error(api.get(f"/api/v1/conversations/{cid}/messages"), 404, "not_found")
    assert_error(send(api, cid, text="Hi"), 404, "not_found")
    assert_error(
        api.post(f"/api/v1/conversations/{cid}/read", {}, content_type=JSON), 404, "not_found"
    )
    assert api.get("/api/v1/conversations").json()["items"] == []
    assert api.get("/api/v1/messages/search", {"q": "stock"}).json() == []
    assert api.get("/api/v1/events").json()["events"] == []


def test_anonymous_callers_are_refused(conversation):
    anonymous = Client()
    for response in [
        anonymous.get("/api/v1/conversations"),
        anonymous.get(f"/api/v1/conversations/{conversation['id']}/messages"),
        anonymous.post("/api/v1/conversations", {"store_id": 1, "text": "x"}, content_type=JSON),
        anonymous.get("/api/v1/events"),
    ]:
        assert_error(response, 401, "not_authenticated")


def test_store_inbox_unread_read_and_seen(conversation, buyer_api, seller_api, store, seller):
    inbox = seller_api.get("/api/v1/conversations", {"store_id": store.pk}).json()
    assert inbox["count"] == 1 and inbox["total_unread"] == 1
    assert inbox["items"][0]["unread_count"] == 1 and inbox["items"][0]["buyer_name"].startswith(
        "Thandi "
    )
    state = seller_api.post(
        f"/api/v1/conversations/{conversation['id']}/read", {}, content_type=JSON
    ).json()
    assert state["unread_count"] == 0
    mine = buyer_api.get(f"/api/v1/conversations/{conversation['id']}").json()
    assert mine["seen_up_to"] == conversation["message"]["id"]
    other_store = MembershipFactory().store
    assert_error(
        seller_api.get("/api/v1/conversations", {"store_id": other_store.pk}), 404, "not_found"
    )


def test_messages_page_backwards_with_a_cursor(conversation, buyer_api):
    for n in range(5):
        send(buyer_api, conversation["id"], text=f"Message {n}")
    url = f"/api/v1/conversations/{conversation['id']}/messages"
    newest = buyer_api.get(url, {"limit": 4}).json()
    assert [m["text"] for m in newest["items"]] == [f"Message {n}" for n in range(1, 5)]
    assert newest["has_older"] is True
    older = buyer_api.get(url, {"limit": 4, "before": newest["items"][0]["id"]}).json()
    assert [m["text"] for m in older["items"]] == ["In stock?", "Message 0"]
    assert older["has_older"] is False


def test_archive_mute_search_and_report(conversation, buyer_api):
    cid = conversation["id"]
    archived = buyer_api.post(f"/api/v1/conversations/{cid}/archive", {}, content_type=JSON)
    assert archived.json()["archived"] is True
    assert buyer_api.get("/api/v1/conversations").json()["count"] == 0
    assert buyer_api.get("/api/v1/conversations", {"box": "archived"}).json()["count"] == 1
    muted = buyer_api.post(f"/api/v1/conversations/{cid}/mute", {"muted": True}, content_type=JSON)
    assert muted.json()["muted"] is True
    hits = buyer_api.get("/api/v1/messages/search", {"q": "STOCK in"}).json()
    assert [hit["text"] for hit in hits] == ["In stock?"]
    report = buyer_api.post(
        f"/api/v1/conversations/{cid}/report", {"reason": "Scam attempt"}, content_type=JSON
    )
    assert report.status_code == 201 and report.json()["status"] == "open"


def test_no_response_needed_for_store_members_only(conversation, buyer_api, seller_api):
    url = f"/api/v1/conversations/{conversation['id']}/no-response-needed"
    assert_error(buyer_api.post(url), 403, "permission_denied")
    assert seller_api.post(url).json()["outcome"] == "no_response"
    assert_error(seller_api.post(url), 409, "conflict")


def test_quick_replies_crud_and_suggestions(conversation, seller_api, buyer_api, store, product):
    url = f"/api/v1/stores/{store.pk}/quick-replies"
    created = seller_api.post(
        url,
        {
            "title": "In stock",
            "body": "Hi {buyer_first_name}, yes it is in stock.",
            "topic": "availability",
        },
        content_type=JSON,
    )
    assert created.status_code == 201
    reply_id = created.json()["id"]
    assert_error(buyer_api.get(url), 404, "not_found")
    suggestions_url = f"/api/v1/conversations/{conversation['id']}/suggested-replies"
    assert seller_api.get(suggestions_url).json() == []  # "In stock?" of no product: nothing
    send(buyer_api, conversation["id"], text="I mean the linen shirt.")
    suggested = seller_api.get(suggestions_url).json()
    assert suggested[0]["id"] == reply_id
    assert suggested[0]["text"] == "Hi Thandi, yes it is in stock."
    sent = send(seller_api, conversation["id"], text=suggested[0]["text"], quick_reply_id=reply_id)
    assert sent.status_code == 201 and sent.json()["quick_reply_id"] == reply_id
    updated = seller_api.put(
        f"/api/v1/quick-replies/{reply_id}",
        {"title": "Stock", "body": "Yes.", "topic": "availability"},
        content_type=JSON,
    )
    assert updated.json()["usage_count"] == 1
    assert_error(buyer_api.delete(f"/api/v1/quick-replies/{reply_id}"), 404, "not_found")
    assert seller_api.delete(f"/api/v1/quick-replies/{reply_id}").status_code == 204
    assert not QuickReply.objects.exists()


def test_attachments_upload_send_and_download(conversation, buyer_api, seller, buyer):
    image = io.BytesIO()
    Image.new("RGB", (3, 2), "red").save(image, "PNG")
    image.name = "scratch.png"
    image.seek(0)
    uploaded = buyer_api.post("/api/v1/attachments", {"file": image})
    assert uploaded.status_code == 201, uploaded.content
    body = uploaded.json()
    assert body["kind"] == "image" and (body["width"], body["height"]) == (3, 2)
    message = send(buyer_api, conversation["id"], text="See", attachment_ids=[body["id"]]).json()
    assert message["attachments"][0]["id"] == body["id"]
    web = Client()
    web.force_login(seller)
    download = web.get(body["url"])
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    web.force_login(UserFactory())
    assert web.get(body["url"]).status_code == 404

    fake = io.BytesIO(b"#!/bin/sh\necho hi\n")
    fake.name = "photo.jpg"
    assert_error(buyer_api.post("/api/v1/attachments", {"file": fake}), 400, "validation_failed")
    assert Attachment.objects.count() == 1


@override_settings(MESSAGING_RATE_LIMITS={"send": "2/m", "start": "5/h"})
def test_rate_limited_sends_get_429_with_retry_after(mid_minute, conversation, buyer_api):
    assert send(buyer_api, conversation["id"], text="one").status_code == 201
    limited = send(buyer_api, conversation["id"], text="two")
    error = assert_error(limited, 429, "rate_limited")
    assert int(limited["Retry-After"]) == error["details"]["retry_after"] >= 1


@override_settings(MESSAGING_RATE_LIMITS={"send": "2/m", "start": "5/h"})
def test_sends_succeed_without_limits_while_the_cache_is_down(
    mid_minute, conversation, buyer_api, monkeypatch, caplog
):
    """Redis down: no 500; the send limit and the API throttle are skipped, not enforced."""
    with monkeypatch.context() as patched, redis_down():
        for throttle in api.throttle:
            patched.setattr(throttle, "num_requests", 2)  # the start already counted 1
        statuses = [send(buyer_api, conversation["id"], text=f"n{n}").status_code for n in range(4)]
    assert statuses == [201] * 4  # over both limits of 2
    assert Message.objects.filter(text__startswith="n").count() == 4
    warnings = [r for r in caplog.records if r.name == "saypro.core.cache"]
    assert len(warnings) == 1 and "unavailable" in warnings[0].getMessage()
    # Redis back: the send limit counts again. The start counted 1 and the outage nothing,
    # so one more send fits under 2/m and the next is refused.
    assert send(buyer_api, conversation["id"], text="a").status_code == 201
    assert_error(send(buyer_api, conversation["id"], text="b"), 429, "rate_limited")


def test_events_after_an_id(conversation, buyer_api, seller_api, buyer):
    everything = buyer_api.get("/api/v1/events").json()
    assert [e["type"] for e in everything["events"]] == ["message.created"]  # the buyer wrote it
    first = everything["events"][0]
    assert first["data"]["id"] == conversation["message"]["id"]
    send(seller_api, conversation["id"], text="Yes!")
    later = buyer_api.get("/api/v1/events", {"after": everything["last_event_id"]}).json()
    assert [e["type"] for e in later["events"]] == ["message.created", "notification.created"]
    assert later["events"][0]["data"]["text"] == "Yes!"
    assert later["events"][0]["id"] > first["id"]
    assert later["events"][0]["data"]["conversation"]["unread_count"] == 1
    assert_error(buyer_api.get("/api/v1/events", {"after": -1}), 422, "invalid_request")


def test_opening_a_product_card_counts_the_buyers_click(
    conversation, buyer_api, seller_api, product
):
    sent = send(seller_api, conversation["id"], text="Try this", product_ids=[product.pk]).json()
    card = sent["cards"][0]
    opened = buyer_api.post(f"/api/v1/cards/{card['id']}/open")
    assert opened.json() == {"product_id": product.pk, "url": product.get_absolute_url()}
    seller_api.post(f"/api/v1/cards/{card['id']}/open")
    assert ProductCard.objects.get().clicks == 1
    assert_error(
        token_client(UserFactory()).post(f"/api/v1/cards/{card['id']}/open"), 404, "not_found"
    )
