"""Engagement on the pages: prompts rendered with real figures (escaped) and counted,
clicks and dismissals (also without JavaScript), tutorial progress, the Help menu,
and Office › Engagement per role."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saypro.catalog.tests.factories import OrderFactory, ProductFactory, StoreFactory
from saypro.engagement.models import Placement, Prompt, PromptEvent, TutorialProgress
from saypro.engagement.tests.factories import PromptFactory
from saypro.messaging import services as messaging
from saypro.messaging.tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask_store(store):
    """The built-in product-page prompt, switched on, for a store answering in ~2 hours."""
    Prompt.objects.filter(code__isnull=False).exclude(code="ask_store").update(is_active=False)
    for seconds in (3000, 4000, 5000, 6000, 9000):
        ConversationFactory(store=store, first_response_seconds=seconds)
    return Prompt.objects.get(code="ask_store")


def client_for(user, *, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


# --- Prompts on pages ------------------------------------------------------------------------


def test_the_product_page_shows_the_stores_real_response_time(buyer, product, ask_store):
    response = client_for(buyer).get(product.get_absolute_url())
    content = response.content.decode()
    assert "Questions? Ask Cape Linen Co" in content
    assert "Cape Linen Co usually replies within 2 hours." in content
    link = f"/messages/new/?store={product.store_id}&amp;product={product.pk}"
    assert f'href="{link}" data-prompt-click="/engagement/prompts/{ask_store.pk}/click"' in content
    assert list(PromptEvent.objects.values_list("kind", "user", "product")) == [
        ("shown", buyer.pk, product.pk)
    ]


def test_prompt_text_is_escaped(buyer, product, ask_store, store):
    store.name = "<script>alert(1)</script> & Co"
    store.save()
    content = client_for(buyer).get(product.get_absolute_url()).content.decode()
    assert "Questions? Ask &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in content
    assert "<script>alert(1)</script>" not in content


def test_visitors_and_the_stores_own_team_see_no_prompt(client, seller, product, ask_store):
    assert "Questions? Ask" not in client.get(product.get_absolute_url()).content.decode()
    own = client_for(seller).get(product.get_absolute_url()).content.decode()
    assert "Questions? Ask" not in own
    assert PromptEvent.objects.count() == 0


def test_prompts_on_the_order_page_messages_and_the_seller_center(buyer, seller, store, product):
    Prompt.objects.filter(code__isnull=False).exclude(code="buyers_waiting_home").update(
        is_active=False
    )
    PromptFactory(title="About order {order_number}", placement=Placement.ORDER_PAGE)
    PromptFactory(title="Messages tip for {first_name}", placement=Placement.BUYER_MESSAGES)
    order = OrderFactory(buyer=buyer, store=store)
    as_buyer = client_for(buyer)
    assert f"About order {order.number}" in as_buyer.get(order.get_absolute_url()).content.decode()
    assert "Messages tip for Thandi" in as_buyer.get(reverse("messaging:inbox")).content.decode()
    messaging.start_conversation(buyer, store_id=store.pk, product_id=product.pk, text="Hello?")
    home = client_for(seller).get(reverse("seller:home", kwargs={"slug": store.slug}))
    assert "1 buyer waiting for an answer" in home.content.decode()


def test_a_click_is_counted(buyer, product, ask_store):
    response = client_for(buyer).post(
        reverse("engagement:click", kwargs={"pk": ask_store.pk}),
        {"store_id": product.store_id, "product_id": product.pk},
    )
    assert response.status_code == 204
    assert list(PromptEvent.objects.values_list("kind", "store", "product")) == [
        ("clicked", product.store_id, product.pk)
    ]


def test_clicks_need_a_login_csrf_and_valid_ids(client, buyer, ask_store):
    url = reverse("engagement:click", kwargs={"pk": ask_store.pk})
    assert client.post(url).status_code == 302
    assert client_for(buyer, csrf=True).post(url).status_code == 403
    refused = client_for(buyer).post(url, {"product_id": "abc"})
    assert refused.status_code == 400
    assert refused.json() == {"error": {"message": "The page ids are not valid."}}
    missing = client_for(buyer).post(url, {"product_id": "999999"})
    assert (missing.status_code, missing.json()) == (
        400,
        {"error": {"message": "No such product."}},
    )
    assert client_for(buyer).put(url).status_code == 405
    assert client_for(buyer).get(url).status_code == 302  # a browser is sent to a page
    assert PromptEvent.objects.count() == 0


def test_a_switched_off_prompt_is_a_404(buyer):
    prompt = PromptFactory(is_active=False)
    response = client_for(buyer).post(reverse("engagement:click", kwargs={"pk": prompt.pk}))
    assert response.status_code == 404
    assert PromptEvent.objects.count() == 0


def test_a_prompt_the_person_could_not_be_shown_is_a_404_and_not_counted(buyer, seller):
    now = timezone.now()
    for_sellers = PromptFactory(placement=Placement.SELLER_INBOX, audience="sellers")
    for_buyers = PromptFactory(placement=Placement.BUYER_MESSAGES, audience="buyers")
    ended = PromptFactory(ends_at=now - timedelta(minutes=1))
    not_yet = PromptFactory(starts_at=now + timedelta(days=1))
    refused = [(buyer, for_sellers), (seller, for_buyers), (buyer, ended), (buyer, not_yet)]
    for person, prompt in refused:
        for action in ("engagement:click", "engagement:dismiss"):
            response = client_for(person).post(
                reverse(action, kwargs={"pk": prompt.pk}), HTTP_ACCEPT="application/json"
            )
            assert response.status_code == 404, (person, prompt.name, action)
    assert PromptEvent.objects.count() == 0
    allowed = client_for(seller).post(reverse("engagement:click", kwargs={"pk": for_sellers.pk}))
    assert allowed.status_code == 204
    assert PromptEvent.objects.get().user == seller


def test_dismissing_without_javascript_returns_to_the_page(buyer, product, ask_store):
    page = product.get_absolute_url()
    response = client_for(buyer).post(
        reverse("engagement:dismiss", kwargs={"pk": ask_store.pk}),
        {"next": page, "product_id": product.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == page
    assert PromptEvent.objects.get().kind == "dismissed"
    assert "Questions? Ask" not in client_for(buyer).get(page).content.decode()


def test_dismissing_from_the_script_answers_204_and_never_redirects_off_site(buyer, ask_store):
    url = reverse("engagement:dismiss", kwargs={"pk": ask_store.pk})
    scripted = client_for(buyer).post(url, HTTP_ACCEPT="application/json")
    assert scripted.status_code == 204
    away = client_for(buyer).post(url, {"next": "https://evil.example/"})
    assert away["Location"] == reverse("catalog:home")
    assert PromptEvent.objects.filter(kind="dismissed").count() == 1
    refused = client_for(buyer).post(url, {"store_id": "999999"}, HTTP_ACCEPT="application/json")
    assert (refused.status_code, refused.json()) == (400, {"error": {"message": "No such store."}})


# --- Tutorials and the Help menu -------------------------------------------------------------


def test_the_messages_tour_starts_on_the_first_visit_only(buyer):
    as_buyer = client_for(buyer)
    first = as_buyer.get(reverse("messaging:inbox")).content.decode()
    assert 'data-code="buyer_messages"' in first
    assert 'data-autostart="true"' in first
    assert 'id="tour-steps"' in first
    assert "Replay the tour" in first
    url = reverse("engagement:tutorial", kwargs={"code": "buyer_messages"})
    assert as_buyer.post(url, {"action": "start"}).status_code == 204
    again = as_buyer.get(reverse("messaging:inbox")).content.decode()
    assert 'data-autostart="false"' in again


def test_the_help_menu_lists_the_tours_a_person_can_take(buyer, seller, store):
    buyer_menu = client_for(buyer).get(reverse("catalog:home")).content.decode()
    assert 'href="/engagement/tutorials/buyer_messages/">Tour: Your Messages' in buyer_menu
    assert "Seller Center inbox" not in buyer_menu
    assert "data-tour " not in buyer_menu  # no tour on the shop's home page
    seller_menu = client_for(seller).get(reverse("catalog:home")).content.decode()
    assert 'href="/engagement/tutorials/seller_inbox/">Tour: Your Seller Center inbox' in (
        seller_menu
    )


def test_a_tour_link_opens_its_page_to_replay(buyer, seller, store):
    seller_tour = reverse("engagement:tour", kwargs={"code": "seller_inbox"})
    opened = client_for(seller).get(seller_tour)
    assert opened["Location"] == f"/seller/{store.slug}/inbox/?tour=replay"
    assert client_for(buyer).get(seller_tour).status_code == 404
    buyer_tour = reverse("engagement:tour", kwargs={"code": "buyer_messages"})
    assert client_for(buyer).get(buyer_tour)["Location"] == "/messages/?tour=replay"


def test_tutorial_progress_refusals(client, buyer):
    url = reverse("engagement:tutorial", kwargs={"code": "buyer_messages"})
    assert client.post(url, {"action": "start"}).status_code == 302
    bad = client_for(buyer).post(url, {"action": "fly"})
    assert bad.status_code == 400
    seller_only = reverse("engagement:tutorial", kwargs={"code": "seller_inbox"})
    forbidden = client_for(buyer).post(seller_only, {"action": "start"})
    assert (forbidden.status_code, forbidden.json()) == (
        403,
        {"error": {"message": "This tour is for sellers."}},
    )
    for step, message in (
        ("0", "This tour has steps 1 to 5."),
        ("6", "This tour has steps 1 to 5."),
        ("abc", "The step is the number of a step of the tour."),
    ):
        refused = client_for(buyer).post(url, {"action": "step", "step": step})
        assert (refused.status_code, refused.json()) == (400, {"error": {"message": message}})
    unknown = reverse("engagement:tutorial", kwargs={"code": "nowhere"})
    assert client_for(buyer).post(unknown, {"action": "start"}).status_code == 404
    assert TutorialProgress.objects.count() == 0


# --- Office ----------------------------------------------------------------------------------


OFFICE = "/office/engagement/"


def test_office_pages_are_for_staff_only(client, buyer, seller, ask_store):
    edit = reverse("office_engagement:prompt_edit", kwargs={"pk": ask_store.pk})
    for url in (OFFICE, reverse("office_engagement:prompt_create"), edit):
        assert client.get(url).status_code == 302
        assert client_for(buyer).get(url).status_code == 403
        assert client_for(seller).get(url).status_code == 403
    off = reverse("office_engagement:prompt_active", kwargs={"pk": ask_store.pk})
    assert client_for(seller).post(off, {"is_active": "0"}).status_code == 403
    assert Prompt.objects.get(pk=ask_store.pk).is_active


def test_switching_with_a_tampered_value_is_a_400_that_changes_nothing(staff, ask_store):
    url = reverse("office_engagement:prompt_active", kwargs={"pk": ask_store.pk})
    for value in ({}, {"is_active": "banana"}, {"is_active": "true"}):
        response = client_for(staff).post(url, value)
        assert response.status_code == 400
        assert "is unchanged: send is_active 1 (switch on) or 0 (off)." in (
            response.content.decode()
        )
    assert Prompt.objects.get(pk=ask_store.pk).is_active
    missing = reverse("office_engagement:prompt_active", kwargs={"pk": 999_999})
    assert client_for(staff).post(missing, {"is_active": "0"}).status_code == 404


def test_the_office_page_shows_each_prompts_figures(staff, buyer, ask_store):
    now = timezone.now()
    for kind, count in (("shown", 8), ("clicked", 2), ("dismissed", 1)):
        for _ in range(count):
            PromptEvent.objects.create(
                prompt=ask_store, user=buyer, kind=kind, at=now - timedelta(days=1)
            )
    PromptEvent.objects.create(prompt=ask_store, user=buyer, kind="shown", at=now - timedelta(60))
    response = client_for(staff).get(OFFICE, {"days": 30})
    content = response.content.decode()
    assert response.status_code == 200
    assert '<td class="number">8</td>' in content
    assert '<td class="number">25.0 %</td>' in content  # 2 clicks of 8 showings
    assert "Click-through and follow rate per prompt, last 30 days" in content
    assert "Your Messages" in content
    assert 'aria-current="page">Engagement</a>' in content
    wider = client_for(staff).get(OFFICE, {"days": 90}).content.decode()
    assert '<td class="number">9</td>' in wider


def test_the_chart_puts_each_full_name_above_its_bars(staff, buyer, ask_store):
    """A name beside the bars was cut off on a phone; above them it has the full width."""
    ask_store.name = "Ask the store (response time), the long name"
    ask_store.save()
    PromptEvent.objects.create(prompt=ask_store, user=buyer, kind="shown", at=timezone.now())
    content = client_for(staff).get(OFFICE).content.decode()
    assert (
        '<text x="8" y="24" class="chart-tick"><title>Ask the store (response time), '
        "the long name</title>Ask the store (response time), the long name</text>"
    ) in content
    assert '<rect x="8" y="30" width="0.0" height="12"' in content
    assert 'text-anchor="start">0 %</text>' in content
    assert 'text-anchor="end">10 %</text>' in content


def prompt_form(**changes):
    return {
        "name": "Welcome tip",
        "placement": "buyer_messages",
        "audience": "signed_in",
        "title": "Welcome, {first_name}",
        "text": "Ask stores anything.",
        "cta_label": "Browse",
        "cta_link": "/",
        "max_shows": "2",
        "per_days": "7",
        "starts_at": "2026-01-01T09:00",
        "ends_at": "2026-12-31T18:00",
        "priority": "50",
        **changes,
    }


def test_staff_create_a_prompt_from_the_office(staff):
    response = client_for(staff).post(reverse("office_engagement:prompt_create"), prompt_form())
    assert response.status_code == 302
    prompt = Prompt.objects.get(name="Welcome tip")
    assert (prompt.title, prompt.max_shows, prompt.ends_at.year) == (
        "Welcome, {first_name}",
        2,
        2026,
    )


def test_an_invalid_prompt_is_refused_with_its_reason(staff):
    response = client_for(staff).post(
        reverse("office_engagement:prompt_create"),
        prompt_form(title="Hi {nickname}"),
    )
    assert response.status_code == 400
    assert "Not a placeholder here: nickname" in response.content.decode()
    assert not Prompt.objects.filter(name="Welcome tip").exists()
    response = client_for(staff).post(
        reverse("office_engagement:prompt_create"), prompt_form(ends_at="2025-06-01T09:00")
    )
    assert "The end must come after the start." in response.content.decode()
    assert not Prompt.objects.filter(name="Welcome tip").exists()


def test_staff_edit_and_switch_off_a_built_in(staff, ask_store):
    edit = reverse("office_engagement:prompt_edit", kwargs={"pk": ask_store.pk})
    page = client_for(staff).get(edit).content.decode()
    assert "Built-in prompt" in page
    data = prompt_form(
        name=ask_store.name,
        placement="order_page",  # disabled on the form: ignored
        title="Ask {store} anything",
        text="Answers usually come within {response_time}.",
        cta_link=ask_store.cta_link,
        starts_at="",
        ends_at="",
    )
    assert client_for(staff).post(edit, data).status_code == 302
    ask_store.refresh_from_db()
    assert (ask_store.title, ask_store.placement) == ("Ask {store} anything", "product_page")
    off = reverse("office_engagement:prompt_active", kwargs={"pk": ask_store.pk})
    assert client_for(staff).post(off, {"is_active": "0"}).status_code == 302
    ask_store.refresh_from_db()
    assert not ask_store.is_active


def test_a_store_with_no_data_shows_no_ask_prompt(buyer, ask_store):
    quiet = ProductFactory(store=StoreFactory(name="Quiet Store"))
    content = client_for(buyer).get(quiet.get_absolute_url()).content.decode()
    assert "Questions? Ask" not in content
