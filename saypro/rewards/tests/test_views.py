"""The points page and redeeming, per role; badges shown on the store, inbox and thread."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.messaging.models import Conversation, Participant
from saypro.rewards.models import Badge, BadgeAward, PointsEntry, Redemption
from saypro.rewards.tests.factories import EarnedEntryFactory, RewardFactory

URL = "/account/rewards/"


@pytest.fixture
def client_of():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def test_anonymous_is_sent_to_log_in(db):
    reward = RewardFactory()
    for response in (Client().get(URL), Client().post(f"{URL}{reward.pk}/redeem")):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    assert not Redemption.objects.exists()


def test_the_page_shows_only_the_persons_own_points(client_of, buyer):
    EarnedEntryFactory(user=buyer, points=40, note="Verified review of a linen shirt")
    EarnedEntryFactory(user=UserFactory(), points=7, note="Someone else's <b>points</b>")
    RewardFactory(name="R50 off", cost=100)
    page = client_of(buyer).get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Verified review of a linen shirt" in html
    assert "Someone else" not in html
    assert '<div class="stat">40</div>' in html
    assert "R50 off" in html
    assert "First question answered" in html  # the earning rules
    assert "95% of buyer messages answered within the response goal" in html  # badge rules
    assert 'Academy Graduate</span> <span class="muted small">(each seller)</span>' in html


def test_the_ledger_is_paginated(client_of, buyer):
    for number in range(23):
        EarnedEntryFactory(user=buyer, points=1, note=f"Entry {number:02d}")
    html = client_of(buyer).get(URL, {"page": 2}).content.decode()
    assert "Entry 02" in html and "Entry 03" not in html
    assert "Page 2 of 2" in html


def test_user_text_is_escaped(client_of, buyer):
    RewardFactory(name="<script>alert(1)</script>", cost=10)
    html = client_of(buyer).get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_redeem_confirms_then_issues_a_code(client_of, buyer):
    EarnedEntryFactory(user=buyer, points=150)
    reward = RewardFactory(name="R50 off", cost=100)
    client = client_of(buyer)
    confirm = client.get(f"{URL}{reward.pk}/redeem").content.decode()
    assert "Spend 100 points" in confirm and "50 points" in confirm
    assert not Redemption.objects.exists()
    response = client.post(f"{URL}{reward.pk}/redeem", follow=True)
    redemption = Redemption.objects.get()
    html = response.content.decode()
    assert response.redirect_chain == [(URL, 302)]
    assert f"Your code for “R50 off” is {redemption.code}" in html
    assert redemption.code in html and "Valid until" in html


def test_redeem_without_enough_points_is_a_409_with_the_reason(client_of, buyer):
    EarnedEntryFactory(user=buyer, points=60)
    reward = RewardFactory(cost=100, stock=4)
    client = client_of(buyer)
    assert "You need 40 more points." in client.get(f"{URL}{reward.pk}/redeem").content.decode()
    response = client.post(f"{URL}{reward.pk}/redeem")
    assert response.status_code == 409
    assert "You have 60 points" in response.content.decode()
    reward.refresh_from_db()
    assert reward.stock == 4 and PointsEntry.objects.count() == 1


def test_a_shortfall_of_one_point_reads_in_the_singular(client_of, buyer):
    EarnedEntryFactory(user=buyer, points=99)
    reward = RewardFactory(cost=100)
    html = client_of(buyer).get(f"{URL}{reward.pk}/redeem").content.decode()
    assert "You need 1 more point." in html


def test_redeem_needs_the_csrf_token(buyer):
    EarnedEntryFactory(user=buyer, points=150)
    reward = RewardFactory(cost=100)
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    assert client.post(f"{URL}{reward.pk}/redeem").status_code == 403
    assert not Redemption.objects.exists()


def test_a_reward_not_on_offer_is_a_404(client_of, buyer):
    reward = RewardFactory(ends_at=timezone.now() - timedelta(days=1))
    assert client_of(buyer).get(f"{URL}{reward.pk}/redeem").status_code == 404


@pytest.fixture
def fast_responder(store):
    badge = Badge.objects.get(code="fast_responder")
    return BadgeAward.objects.create(badge=badge, store=store, earned_at=timezone.now(), count=20)


def test_store_badges_on_the_store_page_inbox_and_conversation(
    client_of, fast_responder, store, seller, buyer
):
    conversation = Conversation.objects.create(buyer=buyer, store=store)
    Participant.objects.create(conversation=conversation, user=buyer, side="buyer")
    pages = [
        Client().get(store.get_absolute_url()),
        client_of(seller).get(f"/seller/{store.slug}/inbox/"),
        client_of(buyer).get(f"/messages/{conversation.pk}/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert '<li class="earned-badge gold"' in page.content.decode()
        assert "Fast Responder" in page.content.decode()


def test_a_lost_badge_is_not_shown_but_kept_in_the_history(
    client_of, fast_responder, store, seller
):
    BadgeAward.objects.filter(pk=fast_responder.pk).update(lost_at=timezone.now())
    assert "Fast Responder" not in Client().get(store.get_absolute_url()).content.decode()
    html = client_of(seller).get(URL).content.decode()
    assert "Badge history" in html and ", lost " in html


def test_the_admin_edits_rules_but_never_the_ledger(client_of, buyer):
    admin = UserFactory(is_staff=True, is_superuser=True)
    entry = EarnedEntryFactory(user=buyer)
    client = client_of(admin)
    assert client.get("/admin/rewards/earningrule/").status_code == 200
    assert client.get("/admin/rewards/pointsentry/").status_code == 200
    assert client.get("/admin/rewards/pointsentry/add/").status_code == 403
    response = client.post(
        f"/admin/rewards/pointsentry/{entry.pk}/change/", {"points": 1_000, "note": "More"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.points == 100


def test_a_seller_sees_their_stores_badges_and_a_buyer_does_not(
    client_of, fast_responder, store, seller, buyer
):
    seller_html = client_of(seller).get(URL).content.decode()
    assert f"<h3>{store.name}</h3>" in seller_html
    assert '<li class="earned-badge gold"' in seller_html
    buyer_html = client_of(buyer).get(URL).content.decode()
    assert store.name not in buyer_html
    assert '<li class="earned-badge' not in buyer_html


def test_a_seller_with_a_personal_badge_sees_it_as_their_own(client_of, seller):
    badge = Badge.objects.get(code="academy_graduate")
    without = client_of(seller).get(URL).content.decode()
    assert "You hold no badges of your own yet." in without and "buyer badges" not in without
    BadgeAward.objects.create(badge=badge, user=seller, earned_at=timezone.now(), count=3)
    html = client_of(seller).get(URL).content.decode()
    assert '<li class="earned-badge' in html and "Academy Graduate" in html
    assert "You hold no badges of your own yet." not in html
