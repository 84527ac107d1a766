"""The engagement API per role: prompts at a placement (counted as shown), clicks and
dismissals, tour progress, and the office's figures; refusals change nothing."""

import pytest

from saypro.accounts.tests.factories import token_client
from saypro.catalog.tests.factories import OrderFactory
from saypro.engagement.models import Prompt, PromptEvent, TutorialProgress
from saypro.engagement.tests.factories import PromptFactory
from saypro.messaging.tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def _only_ask_store(store):
    Prompt.objects.filter(code__isnull=False).exclude(code="ask_store").update(is_active=False)
    for minutes in (10, 20, 30, 40, 50):
        ConversationFactory(store=store, first_response_seconds=minutes * 60)


def test_a_buyer_gets_the_product_page_prompts_counted_as_shown(buyer, product):
    response = token_client(buyer).get(
        f"{API}/prompts", {"placement": "product_page", "product_id": product.pk}
    )
    assert response.status_code == 200
    ask = Prompt.objects.get(code="ask_store")
    assert response.json() == [
        {
            "id": ask.pk,
            "code": "ask_store",
            "title": "Questions? Ask Cape Linen Co",
            "text": "Cape Linen Co usually replies within 30 minutes.",
            "cta_label": "Ask the seller",
            "cta_link": f"/messages/new/?store={product.store_id}&product={product.pk}",
        }
    ]
    assert list(PromptEvent.objects.values_list("kind", "product")) == [("shown", product.pk)]


def test_prompts_need_a_visible_subject_and_a_login(client, buyer, store):
    other_order = OrderFactory(store=store)
    as_buyer = token_client(buyer)
    assert client.get(f"{API}/prompts", {"placement": "buyer_messages"}).status_code == 401
    missing = as_buyer.get(
        f"{API}/prompts", {"placement": "order_page", "order_id": other_order.pk}
    )
    assert missing.status_code == 404
    assert as_buyer.get(f"{API}/prompts", {"placement": "nowhere"}).status_code == 422
    assert PromptEvent.objects.count() == 0


def test_click_and_dismiss(buyer, product):
    ask = Prompt.objects.get(code="ask_store")
    as_buyer = token_client(buyer)
    clicked = as_buyer.post(
        f"{API}/prompts/{ask.pk}/click", {"product_id": product.pk}, content_type="application/json"
    )
    assert clicked.status_code == 204
    dismissed = as_buyer.post(
        f"{API}/prompts/{ask.pk}/dismiss", {}, content_type="application/json"
    )
    assert dismissed.status_code == 204
    assert sorted(PromptEvent.objects.values_list("kind", flat=True)) == ["clicked", "dismissed"]
    off = PromptFactory(is_active=False)
    refused = as_buyer.post(f"{API}/prompts/{off.pk}/click", {}, content_type="application/json")
    assert refused.status_code == 404
    unknown = as_buyer.post(
        f"{API}/prompts/{ask.pk}/click", {"store_id": 999999}, content_type="application/json"
    )
    assert (unknown.status_code, unknown.json()["error"]["details"]) == (400, {"field": "store_id"})
    assert PromptEvent.objects.count() == 2


def test_tour_progress(buyer):
    as_buyer = token_client(buyer)
    url = f"{API}/tutorials/buyer_messages/progress"
    started = as_buyer.post(url, {"action": "start"}, content_type="application/json")
    assert started.status_code == 200
    done = as_buyer.post(url, {"action": "complete"}, content_type="application/json").json()
    assert (done["tutorial"], done["last_step"], done["completed_at"] is not None) == (
        "buyer_messages",
        5,
        True,
    )
    seller_tour = as_buyer.post(
        f"{API}/tutorials/seller_inbox/progress",
        {"action": "start"},
        content_type="application/json",
    )
    assert seller_tour.status_code == 403
    assert TutorialProgress.objects.count() == 1


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_only_staff_read_the_figures(request, who):
    response = token_client(request.getfixturevalue(who)).get(f"{API}/office/engagement")
    assert response.status_code == 403


def test_the_office_figures(staff, buyer, product):
    ask = Prompt.objects.get(code="ask_store")
    PromptEvent.objects.create(prompt=ask, user=buyer, kind="shown")
    PromptEvent.objects.create(prompt=ask, user=buyer, kind="clicked")
    body = token_client(staff).get(f"{API}/office/engagement", {"days": 7}).json()
    row = next(row for row in body["prompts"] if row["code"] == "ask_store")
    assert (row["shown"], row["clicked"], row["click_rate"], row["follow_rate"]) == (1, 1, 1.0, 0.0)
    assert [tour["tutorial"] for tour in body["tutorials"]] == ["buyer_messages", "seller_inbox"]
    assert body["days"] == 7
