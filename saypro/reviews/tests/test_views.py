"""Review pages per role: product page, writing, votes, reports, Seller Center, office."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.models import Order
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.errors import Conflict
from saypro.core.testing import described_errors
from saypro.reviews import services
from saypro.reviews.models import (
    Answer,
    AnswerRevision,
    HelpfulVote,
    ModerationDecision,
    Report,
    Review,
)
from saypro.reviews.templatetags.reviews import REVIEWS_PER_PAGE
from saypro.reviews.tests.factories import DeliveredItemFactory


@pytest.fixture
def item(buyer, product):
    return DeliveredItemFactory(order__buyer=buyer, order__store=product.store, product=product)


@pytest.fixture
def review(item):
    return services.publish_review(
        author=item.order.buyer,
        order_item=item,
        rating=2,
        title="Seams split",
        body="The seams split after one wash.",
    )


def reviews_on(product, client, **params):
    return client.get(product.get_absolute_url(), params)


# --- Product page -------------------------------------------------------------------


@pytest.mark.django_db
def test_paging_through_reviews_stays_at_the_reviews(client, product):
    for _ in range(REVIEWS_PER_PAGE + 1):
        item = DeliveredItemFactory(order__store=product.store, product=product)
        services.publish_review(author=item.order.buyer, order_item=item, rating=4, body="Fine.")
    first = reviews_on(product, client, stars="4").content.decode()
    assert 'href="?stars=4&amp;page=2#reviews" rel="next"' in first
    second = reviews_on(product, client, stars="4", page="2").content.decode()
    assert 'href="?stars=4&amp;page=1#reviews" rel="prev"' in second


@pytest.mark.django_db
def test_product_page_shows_summary_histogram_and_answer(client, review, seller, product):
    other_item = DeliveredItemFactory(order__store=product.store, product=product)
    services.publish_review(
        author=other_item.order.buyer, order_item=other_item, rating=5, body="Lovely linen."
    )
    services.answer_review(member=seller, review=review, body="Sorry! We'll replace it, Thandi.")

    html = reviews_on(product, client).content.decode()

    assert "3.5" in html and "2 reviews" in html
    assert 'aria-label="5 stars: 1 review; show them"' in html
    assert 'aria-label="2 stars: 1 review; show them"' in html
    assert 'aria-label="1 star: 0 reviews; show them"' in html
    assert "Sorry! We&#x27;ll replace it, Thandi." in html
    assert "Verified purchase" in html


@pytest.mark.django_db
def test_review_list_sorts_and_filters(client, review, product):
    other_item = DeliveredItemFactory(order__store=product.store, product=product)
    services.publish_review(
        author=other_item.order.buyer, order_item=other_item, rating=5, body="Lovely linen."
    )

    def bodies(**params) -> list[str]:
        html = reviews_on(product, client, **params).content.decode()
        return [text for text in ("seams split after", "Lovely linen") if text in html]

    assert bodies(stars=5) == ["Lovely linen"]
    assert bodies(answered="yes") == []
    assert bodies(answered="no") == ["seams split after", "Lovely linen"]
    highest = reviews_on(product, client, sort="highest").content.decode()
    assert highest.index("Lovely linen") < highest.index("seams split after")
    lowest = reviews_on(product, client, sort="lowest").content.decode()
    assert lowest.index("seams split after") < lowest.index("Lovely linen")
    assert reviews_on(product, client, stars="nine").status_code == 200


@pytest.mark.django_db
def test_review_text_is_escaped(client, item, product):
    services.publish_review(
        author=item.order.buyer, order_item=item, rating=3, body="<script>alert(1)</script>"
    )
    html = reviews_on(product, client).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_held_reviews_are_not_on_the_product_page(client, item, product):
    services.publish_review(
        author=item.order.buyer, order_item=item, rating=1, body="Call 082 555 1234"
    )
    assert "082 555 1234" not in reviews_on(product, client).content.decode()


# --- Writing and editing --------------------------------------------------------------


@pytest.mark.django_db
def test_buyer_writes_a_review_from_the_product_page(client, buyer, item, product):
    client.force_login(buyer)
    page = reviews_on(product, client).content.decode()
    write_url = reverse("reviews:write", kwargs={"item_pk": item.pk})
    assert write_url in page

    response = client.post(
        write_url, {"rating": "4", "title": "Nice", "body": "Soft and well made."}
    )

    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.rating, review.status, review.author) == (4, "published", buyer)
    assert (
        reverse("reviews:write", kwargs={"item_pk": item.pk})
        not in reviews_on(product, client).content.decode()
    )


@pytest.mark.django_db
def test_invalid_review_shows_errors_next_to_fields(client, buyer, item):
    client.force_login(buyer)
    response = client.post(
        reverse("reviews:write", kwargs={"item_pk": item.pk}), {"rating": "9", "body": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"rating", "body"}
    assert response.context["form"].errors["rating"] == ["Choose a star rating from 1 to 5."]
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_refused_review_is_read_out_with_its_fields(client, buyer, item):
    """The star group and the text box are each described by their errors (what a screen reader
    reads with them); the text box's help comes first."""
    client.force_login(buyer)
    response = client.post(reverse("reviews:write", kwargs={"item_pk": item.pk}), {"body": ""})
    assert described_errors(response.content.decode()) == {
        "rating": "Choose a star rating from 1 to 5.",
        "body": "What did you like or not? Other buyers read this; the store can answer. "
        "This field is required.",
    }


@pytest.mark.django_db
def test_an_empty_post_is_refused_with_the_required_fields(client, buyer, item):
    client.force_login(buyer)
    response = client.post(reverse("reviews:write", kwargs={"item_pk": item.pk}))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"rating", "body"}
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_review_refused_by_the_service_answers_with_its_status(client, buyer, item):
    Order.objects.filter(pk=item.order_id).update(status=Order.Status.SHIPPED)
    client.force_login(buyer)
    response = client.post(
        reverse("reviews:write", kwargs={"item_pk": item.pk}), {"rating": "4", "body": "Nice."}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "You can review this product once your order has been delivered."
    ]
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_the_form_of_an_item_not_delivered_yet_is_refused_when_opened(client, buyer, item):
    Order.objects.filter(pk=item.order_id).update(status=Order.Status.SHIPPED, delivered_at=None)
    client.force_login(buyer)

    response = client.get(reverse("reviews:write", kwargs={"item_pk": item.pk}))

    assert response.status_code == 400
    html = response.content.decode()
    assert "You can review this product once your order has been delivered." in html
    assert "Publish review" not in html and "delivered ." not in html
    assert item.order.get_absolute_url() in html


@pytest.mark.django_db
def test_the_form_of_an_item_already_reviewed_is_refused_with_a_way_to_edit(client, buyer, review):
    client.force_login(buyer)

    response = client.get(reverse("reviews:write", kwargs={"item_pk": review.order_item_id}))

    assert response.status_code == 409
    html = response.content.decode()
    assert "You have already reviewed this item; edit your review instead." in html
    assert reverse("reviews:edit", kwargs={"pk": review.pk}) in html
    assert "Publish review" not in html


@pytest.mark.django_db
def test_someone_elses_item_is_404(client, seller, item):
    client.force_login(seller)
    assert client.get(reverse("reviews:write", kwargs={"item_pk": item.pk})).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, item):
    response = client.get(reverse("reviews:write", kwargs={"item_pk": item.pk}))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_held_review_tells_the_author_why(client, buyer, item):
    client.force_login(buyer)
    response = client.post(
        reverse("reviews:write", kwargs={"item_pk": item.pk}),
        {"rating": "1", "body": "Call me on 082 555 1234"},
        follow=True,
    )
    assert "waits for a moderator" in response.content.decode()
    assert reverse("reviews:mine") == response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_author_edits_and_others_cannot(client, buyer, seller, review):
    url = reverse("reviews:edit", kwargs={"pk": review.pk})
    client.force_login(seller)
    assert client.get(url).status_code == 404
    client.force_login(buyer)
    refused = client.post(url, {"rating": "99999999999999999999", "body": "Better."})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"rating": ["Choose a star rating from 1 to 5."]}
    assert review.revisions.count() == 0
    response = client.post(url, {"rating": "3", "body": "Better after the replacement."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.rating, review.revisions.count()) == (3, 1)


@pytest.mark.django_db
def test_edit_after_30_days_says_so_and_changes_nothing(client, buyer, review):
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=31))
    client.force_login(buyer)
    url = reverse("reviews:edit", kwargs={"pk": review.pk})
    assert "30 days for editing" in client.get(url).content.decode()
    response = client.post(url, {"rating": "5", "body": "Changed."})
    assert response.status_code == 400
    assert "30 days" in response.content.decode()
    review.refresh_from_db()
    assert review.rating == 2


@pytest.mark.django_db
def test_my_reviews_lists_status_and_what_to_review(client, buyer, review, product):
    waiting = DeliveredItemFactory(order__buyer=buyer, order__store=product.store, product=product)
    client.force_login(buyer)
    html = client.get(reverse("reviews:mine")).content.decode()
    assert "Seams split" in html
    assert reverse("reviews:write", kwargs={"item_pk": waiting.pk}) in html


@pytest.mark.django_db
def test_order_page_offers_a_review_for_delivered_items(client, buyer, item):
    client.force_login(buyer)
    html = client.get(item.order.get_absolute_url()).content.decode()
    assert reverse("reviews:write", kwargs={"item_pk": item.pk}) in html


# --- Votes and reports ------------------------------------------------------------------


@pytest.mark.django_db
def test_helpful_vote_with_htmx_returns_the_button(client, review):
    reader = UserFactory()
    client.force_login(reader)
    url = reverse("reviews:helpful", kwargs={"pk": review.pk})

    response = client.post(url, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert HelpfulVote.objects.filter(voter=reader).count() == 1
    client.post(url, {"vote": "withdraw"}, headers={"HX-Request": "true"})
    assert not HelpfulVote.objects.exists()


@pytest.mark.django_db
def test_voting_on_your_own_review_is_refused(client, buyer, review):
    client.force_login(buyer)
    response = client.post(
        reverse("reviews:helpful", kwargs={"pk": review.pk}), headers={"HX-Request": "true"}
    )
    assert "your own review" in response.content.decode()
    assert not HelpfulVote.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seller", "agent"])
def test_the_stores_team_is_not_offered_the_helpful_button(request, client, review, product, role):
    services.vote_helpful(voter=UserFactory(), review=review)
    vote_url = reverse("reviews:helpful", kwargs={"pk": review.pk})
    client.force_login(UserFactory())
    assert vote_url in reviews_on(product, client).content.decode()

    client.force_login(request.getfixturevalue(role))
    html = reviews_on(product, client).content.decode()

    assert vote_url not in html
    assert '<span class="muted">1 found this helpful</span>' in html


@pytest.mark.django_db
def test_a_vote_by_the_stores_team_is_refused_with_the_reason(client, seller, review):
    client.force_login(seller)
    url = reverse("reviews:helpful", kwargs={"pk": review.pk})
    reason = "The store&#x27;s team cannot vote on reviews of its own store."

    with_htmx = client.post(url, headers={"HX-Request": "true"})
    without = client.post(url)

    assert with_htmx.status_code == 200
    assert reason in with_htmx.content.decode() and "<button" not in with_htmx.content.decode()
    assert without.status_code == 403
    assert without.templates[0].name == "catalog/pages/product.html"
    assert reason in without.content.decode()
    review.refresh_from_db()
    assert (HelpfulVote.objects.count(), review.helpful_count) == (0, 0)


@pytest.mark.django_db
def test_a_refused_vote_without_htmx_is_the_product_page_with_the_reason(client, buyer, review):
    client.force_login(buyer)
    own = client.post(reverse("reviews:helpful", kwargs={"pk": review.pk}))
    assert own.status_code == 403
    assert own.templates[0].name == "catalog/pages/product.html"
    assert "You cannot vote on your own review." in own.content.decode()
    assert not HelpfulVote.objects.exists()

    client.force_login(UserFactory())
    url = reverse("reviews:helpful", kwargs={"pk": review.pk})
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 409
    assert "You have already found this review helpful." in again.content.decode()
    review.refresh_from_db()
    assert (HelpfulVote.objects.count(), review.helpful_count) == (1, 1)


@pytest.mark.django_db
def test_report_sends_the_review_to_moderation(client, review):
    client.force_login(UserFactory())
    url = reverse("reviews:report", kwargs={"pk": review.pk})
    response = client.post(url, {"reason": "other", "note": ""})
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    # The note is not called optional: "Something else" needs it, as its help says.
    assert "(optional)" not in response.content.decode()
    response = client.post(url, {"note": ""})
    assert described_errors(response.content.decode()) == {"reason": "This field is required."}
    client.post(url, {"reason": "spam"})
    assert Report.objects.get().reason == "spam"

    again = client.post(url, {"reason": "offensive"})
    assert again.status_code == 409
    assert again.context["form"].non_field_errors() == ["You have already reported this review."]
    review.refresh_from_db()
    assert (Report.objects.count(), review.open_report_count) == (1, 1)


# --- Office moderation ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("buyer", 403), ("seller", 403), ("staff", 200)])
def test_moderation_queue_is_for_office_staff(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("office:reviews")).status_code == status


@pytest.mark.django_db
def test_staff_hide_a_reported_review_with_a_reason(client, staff, review, buyer):
    services.report_review(reporter=UserFactory(), review=review, reason="offensive")
    client.force_login(staff)
    assert "Seams split" in client.get(reverse("office:reviews")).content.decode()

    url = reverse("office:review", kwargs={"pk": review.pk})
    missing = client.post(url, {"action": "hide", "reason": ""})
    assert missing.status_code == 400
    assert "reason" in missing.context["form"].errors
    no_action = client.post(url, {"reason": "Insults the store."})
    assert no_action.status_code == 400
    assert no_action.context["form"].non_field_errors() == [
        "Choose whether to hide the review or publish it."
    ]
    assert not ModerationDecision.objects.exists()
    client.post(url, {"action": "hide", "reason": "Insults the store."})

    review.refresh_from_db()
    assert (review.status, review.open_report_count) == ("hidden", 0)
    decision = ModerationDecision.objects.get()
    assert (decision.actor, decision.action, decision.reason) == (
        staff,
        "hide",
        "Insults the store.",
    )
    again = client.post(url, {"action": "hide", "reason": "Twice."})
    assert again.status_code == 409
    assert again.context["form"].non_field_errors() == ["This review is already hidden."]
    assert ModerationDecision.objects.count() == 1

    client.force_login(buyer)
    assert "Insults the store." in client.get(reverse("reviews:mine")).content.decode()


@pytest.mark.django_db
def test_staff_see_the_edit_history(client, staff, review, buyer):
    services.edit_review(author=buyer, review=review, rating=3, body="Replaced; fine now.")
    client.force_login(staff)
    html = client.get(reverse("office:review", kwargs={"pk": review.pk})).content.decode()
    assert "The seams split after one wash." in html
    assert "Replaced; fine now." in html


@pytest.mark.django_db
def test_navigation_office_points_to_the_kpi_dashboard(client, staff):
    client.force_login(staff)
    assert reverse("office_kpis:dashboard") in client.get("/").content.decode()


# --- Seller Center -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"), [("seller", 200), ("agent", 200), ("buyer", 404), ("staff", 404)]
)
def test_review_queue_is_for_the_store_team(client, request, store, review, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("seller_reviews:queue", kwargs={"slug": store.slug}))
    assert response.status_code == status


@pytest.mark.django_db
def test_queue_orders_negative_first_and_shows_stats(client, seller, store, product, review):
    happy = DeliveredItemFactory(order__store=store, product=product)
    services.publish_review(
        author=happy.order.buyer, order_item=happy, rating=5, body="Lovely linen."
    )
    client.force_login(seller)

    response = client.get(reverse("seller_reviews:queue", kwargs={"slug": store.slug}))

    listed = list(response.context["page"].object_list)
    assert [r.rating for r in listed] == [2, 5]
    assert response.context["stats"].waiting == 2
    assert "47 h left" in response.content.decode()


def test_an_overdue_review_says_for_how_long_in_days_and_hours(client, seller, store, review):
    Review.objects.filter(pk=review.pk).update(
        response_due_at=timezone.now() - timedelta(days=183, hours=4, minutes=10)
    )
    client.force_login(seller)

    queue = client.get(reverse("seller_reviews:queue", kwargs={"slug": store.slug}))
    answer = client.get(
        reverse("seller_reviews:answer", kwargs={"slug": store.slug, "pk": review.pk})
    )

    assert "Overdue by 183 d 4 h" in queue.content.decode()
    assert "Overdue by 183 d 4 h" in answer.content.decode()


@pytest.mark.django_db
def test_member_of_another_store_cannot_answer(client, store, review):
    outsider = MembershipFactory().user
    client.force_login(outsider)
    url = reverse("seller_reviews:answer", kwargs={"slug": store.slug, "pk": review.pk})
    assert client.post(url, {"action": "publish", "body": "Hi"}).status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_seller_answers_with_the_coach_score_recorded(client, seller, store, review):
    client.force_login(seller)
    url = reverse("seller_reviews:answer", kwargs={"slug": store.slug, "pk": review.pk})
    body = (
        "Thank you for telling us, Thandi, and I'm so sorry the seams of your Linen shirt split "
        "after one wash. That is not the quality we promise. Please send us a message here on "
        "SayPro and we will send you a replacement or a full refund, whichever you prefer."
    )

    response = client.post(url, {"action": "publish", "body": body})

    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.body == body
    assert answer.coach_score is not None and answer.coach_score >= 80

    # Back on the page, the coach no longer counts a deadline the answer has met.
    Review.objects.filter(pk=review.pk).update(
        published_at=answer.published_at - timedelta(days=10),
        response_due_at=answer.published_at - timedelta(days=8),
    )
    Answer.objects.filter(pk=answer.pk).update(response_time=timedelta(days=10, hours=3))
    html = client.get(url).content.decode()
    assert "Overdue" not in html
    assert "Answered 10 d after publication, after the 48-hour goal." in html
    assert "Answered in 10 d 3 h, after the 48-hour goal." in html
    timeliness = html[html.index('<li class="guideline pass not-scored">') :]
    assert "Answered within 48 hours" in timeliness[: timeliness.index("</li>")]
    assert html.count("not-scored") == 1 and ">not scored</span>" in html
    assert "Offers a next step: “Please send us a message here on SayPro" in html


@pytest.mark.django_db
def test_an_over_long_draft_is_refused_without_being_coached(client, seller, store, review):
    client.force_login(seller)
    kwargs = {"slug": store.slug, "pk": review.pk}
    draft = "We are so sorry, thank you. " * 200  # 5,600 characters, 5,599 once stripped

    panel = client.post(reverse("seller_reviews:coach", kwargs=kwargs), {"body": draft})
    assert panel.status_code == 400
    assert panel.content.decode() == "An answer has at most 5,000 characters."

    page = client.post(reverse("seller_reviews:answer", kwargs=kwargs), {"body": draft})
    assert page.status_code == 400 and page.context["coaching"] is None
    assert page.context["form"].errors["body"] == [
        "Ensure this value has at most 5000 characters (it has 5599)."  # stripped
    ]
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_an_empty_answer_is_read_out_with_its_error(client, seller, store, review):
    client.force_login(seller)
    url = reverse("seller_reviews:answer", kwargs={"slug": store.slug, "pk": review.pk})
    response = client.post(url, {"action": "publish", "body": ""})
    assert response.status_code == 400
    assert described_errors(response.content.decode()) == {"body": "This field is required."}
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_withdrawing_an_answer_and_a_refused_withdrawal(client, seller, store, review, monkeypatch):
    client.force_login(seller)
    url = reverse("seller_reviews:answer", kwargs={"slug": store.slug, "pk": review.pk})
    answer = services.answer_review(member=seller, review=review, body="Sorry, we will fix it.")

    def refuse(**kwargs):
        raise Conflict("This answer was withdrawn.", code="withdrawn")

    with monkeypatch.context() as patched:
        patched.setattr(services, "withdraw_answer", refuse)
        refused = client.post(url, {"action": "withdraw", "body": answer.body})
    assert refused.status_code == 409
    assert refused.templates[0].name == "reviews/pages/seller_answer.html"
    assert "This answer was withdrawn." in refused.content.decode()
    answer.refresh_from_db()
    review.refresh_from_db()
    assert answer.withdrawn_at is None and review.is_answered

    withdrawn = client.post(url, {"action": "withdraw", "body": answer.body})
    assert withdrawn.status_code == 302 and withdrawn["Location"] == url
    answer.refresh_from_db()
    review.refresh_from_db()
    assert answer.withdrawn_at is not None and not review.is_answered

    # A second tab's withdrawal, after the first: nothing left to withdraw.
    stale = client.post(url, {"action": "withdraw", "body": answer.body})
    assert stale.status_code == 409
    assert "This review has no answer to withdraw." in stale.content.decode()
    assert AnswerRevision.objects.count() == 1


@pytest.mark.django_db
def test_coach_panel_flags_a_defensive_draft(client, seller, store, review):
    client.force_login(seller)
    url = reverse("seller_reviews:coach", kwargs={"slug": store.slug, "pk": review.pk})

    response = client.post(
        url, {"body": "You should have read the care label. Nobody else complained."}
    )

    html = response.content.decode()
    assert response.status_code == 200
    finding = response.context["coaching"].finding("no_defensiveness")
    assert finding.verdict == "fail"
    assert "<mark" in html


@pytest.mark.django_db
def test_use_suggested_answer_fills_the_draft(client, seller, store, review, product):
    client.force_login(seller)
    url = reverse("seller_reviews:answer", kwargs={"slug": store.slug, "pk": review.pk})

    response = client.post(url, {"action": "suggest", "body": ""})

    draft = response.context["form"]["body"].value()
    assert product.title in draft
    assert not Answer.objects.exists()
