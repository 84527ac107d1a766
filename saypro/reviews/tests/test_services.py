"""Every rule of the reviews services, and that a refused action changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.models import Order
from saypro.catalog.tests.factories import MembershipFactory, OrderFactory, OrderItemFactory
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.reviews import services
from saypro.reviews.models import (
    Answer,
    HelpfulVote,
    ModerationDecision,
    ProductRating,
    Report,
    Review,
    StoreRating,
)
from saypro.reviews.tests.factories import DeliveredItemFactory

NOW = timezone.now()


@pytest.fixture
def item(buyer, product):
    """A delivered item of ``product`` (the `store` fixture's) bought by ``buyer``."""
    return DeliveredItemFactory(order__buyer=buyer, order__store=product.store, product=product)


def publish(item, *, rating=2, body="The seams came apart after one wash.", title="", now=NOW):
    return services.publish_review(
        author=item.order.buyer, order_item=item, rating=rating, title=title, body=body, now=now
    )


def rating_of(product) -> tuple:
    row = ProductRating.objects.filter(product=product).first()
    return (row.count, row.total, row.stars_1, row.stars_5) if row else (0, 0, 0, 0)


# --- Publishing -------------------------------------------------------------------


@pytest.mark.django_db
def test_publish_starts_the_response_clock_and_counts(item, product, store):
    review = publish(item, rating=5, body="Soft linen, true to size.")

    assert review.status == Review.Status.PUBLISHED
    assert review.published_at == NOW
    assert review.response_due_at == NOW + timedelta(hours=48)
    assert (review.store, review.product, review.is_verified) == (store, product, True)
    assert rating_of(product) == (1, 5, 0, 1)
    assert StoreRating.objects.get(store=store).count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("Message me on 082 555 1234 for a discount", "contact details"),
        ("Mail me: thandi@example.com", "contact details"),
        ("Cheaper at www.example.com", "link"),
        ("Total shit, fell apart", "profanity"),
    ],
)
def test_rule_breaking_reviews_are_held_with_the_reason_audited(item, product, body, reason):
    review = publish(item, body=body)

    assert review.status == Review.Status.HELD
    assert reason in review.hold_reason
    assert review.published_at is None
    assert rating_of(product) == (0, 0, 0, 0)
    decision = review.decisions.get()
    assert (decision.action, decision.actor, decision.reason) == ("hold", None, review.hold_reason)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"rating": 0}, ValidationFailed),
        ({"rating": 6}, ValidationFailed),
        ({"rating": True}, ValidationFailed),
        ({"body": "   "}, ValidationFailed),
        ({"body": "x" * 5001}, ValidationFailed),
        ({"title": "t" * 121}, ValidationFailed),
    ],
    ids=["zero stars", "six stars", "boolean", "empty body", "long body", "long title"],
)
def test_invalid_reviews_are_refused(item, product, changes, error):
    arguments = {"rating": 3, "body": "Fine.", "title": ""} | changes
    with pytest.raises(error):
        services.publish_review(author=item.order.buyer, order_item=item, **arguments)
    assert not Review.objects.exists()
    assert rating_of(product) == (0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.CANCELLED]
)
def test_only_delivered_items_can_be_reviewed(buyer, product, status):
    order = OrderFactory(buyer=buyer, store=product.store, status=status)
    item = OrderItemFactory(order=order, product=product)
    with pytest.raises(ValidationFailed, match="delivered"):
        publish(item)
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_only_the_buyer_reviews_and_only_once(item, seller):
    with pytest.raises(PermissionDenied):
        services.publish_review(author=seller, order_item=item, rating=5, body="Great!")
    publish(item)
    with pytest.raises(Conflict, match="already reviewed"):
        publish(item, rating=5)
    assert Review.objects.count() == 1


# --- Editing ------------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_keeps_history_and_moves_the_aggregates(item, product):
    review = publish(item, rating=1, body="Fell apart.")

    later = NOW + timedelta(days=3)
    services.edit_review(
        author=item.order.buyer,
        review=review,
        rating=4,
        body="Store replaced it; good now.",
        now=later,
    )

    review.refresh_from_db()
    assert (review.rating, review.edited_at, review.published_at) == (4, later, NOW)
    assert [(r.rating, r.body) for r in review.revisions.all()] == [(1, "Fell apart.")]
    row = ProductRating.objects.get(product=product)
    assert (row.count, row.total, row.stars_1, row.stars_4) == (1, 4, 0, 1)


@pytest.mark.django_db
def test_edit_after_30_days_is_refused(item):
    review = publish(item)
    with pytest.raises(ValidationFailed, match="30 days"):
        services.edit_review(
            author=item.order.buyer, review=review, rating=5, body="Changed my mind.",
            now=NOW + timedelta(days=30, seconds=1),
        )  # fmt: skip
    review.refresh_from_db()
    assert (review.rating, review.revisions.count()) == (2, 0)


@pytest.mark.django_db
def test_someone_else_cannot_edit(item, seller):
    review = publish(item)
    with pytest.raises(PermissionDenied):
        services.edit_review(author=seller, review=review, rating=5, body="Great!")


@pytest.mark.django_db
def test_an_edit_that_adds_a_link_is_held_and_uncounted(item, product):
    review = publish(item, rating=3, body="Okay shirt.")
    services.edit_review(
        author=item.order.buyer, review=review, rating=3, body="See http://spam.example", now=NOW
    )
    review.refresh_from_db()
    assert review.status == Review.Status.HELD
    assert rating_of(product) == (0, 0, 0, 0)


@pytest.mark.django_db
def test_an_edit_that_removes_the_problem_publishes_a_held_review(item, product):
    review = publish(item, rating=3, body="Call 082 555 1234")
    later = NOW + timedelta(hours=1)
    services.edit_review(
        author=item.order.buyer, review=review, rating=3, body="Okay shirt.", now=later
    )
    review.refresh_from_db()
    assert (review.status, review.published_at) == (Review.Status.PUBLISHED, later)
    assert rating_of(product)[0] == 1


# --- Moderation ----------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_hide_and_restore_with_reasons_audited(item, product, staff):
    review = publish(item, rating=5, body="Lovely.")

    services.hide_review(moderator=staff, review=review, reason="Posted on the wrong product.")
    review.refresh_from_db()
    assert (review.status, review.moderation_note) == ("hidden", "Posted on the wrong product.")
    assert rating_of(product) == (0, 0, 0, 0)

    services.restore_review(moderator=staff, review=review, reason="The store confirmed it.")
    review.refresh_from_db()
    assert (review.status, review.moderation_note) == ("published", "The store confirmed it.")
    assert rating_of(product) == (1, 5, 0, 1)
    assert [(d.action, d.actor) for d in review.decisions.all()] == [
        ("restore", staff),
        ("hide", staff),
    ]


@pytest.mark.django_db
def test_approving_a_held_review_publishes_it_now(item, staff):
    review = publish(item, body="Call 082 555 1234")
    later = NOW + timedelta(hours=5)
    services.restore_review(moderator=staff, review=review, reason="Shop number, fine.", now=later)
    review.refresh_from_db()
    assert (review.published_at, review.response_due_at) == (later, later + timedelta(hours=48))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "seller"])
def test_only_office_staff_moderate(request, item, role):
    review = publish(item)
    with pytest.raises(PermissionDenied):
        services.hide_review(moderator=request.getfixturevalue(role), review=review, reason="No.")
    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED
    assert not ModerationDecision.objects.exists()


@pytest.mark.django_db
def test_moderation_needs_a_reason(item, staff):
    review = publish(item)
    with pytest.raises(ValidationFailed):
        services.hide_review(moderator=staff, review=review, reason="  ")
    assert Review.objects.get().status == Review.Status.PUBLISHED


@pytest.mark.django_db
def test_hiding_twice_and_restoring_a_clean_review_are_conflicts(item, staff):
    review = publish(item)
    with pytest.raises(Conflict):
        services.restore_review(moderator=staff, review=review, reason="Nothing to do.")
    services.hide_review(moderator=staff, review=review, reason="Spam.")
    with pytest.raises(Conflict):
        services.hide_review(moderator=staff, review=review, reason="Spam again.")
    assert ModerationDecision.objects.count() == 1


# --- Votes and reports ---------------------------------------------------------------


@pytest.mark.django_db
def test_helpful_votes_once_per_person_never_your_own(item):
    review = publish(item)
    reader = UserFactory()

    assert services.vote_helpful(voter=reader, review=review).helpful_count == 1
    with pytest.raises(Conflict):
        services.vote_helpful(voter=reader, review=review)
    with pytest.raises(PermissionDenied):
        services.vote_helpful(voter=item.order.buyer, review=review)
    assert services.withdraw_vote(voter=reader, review=review).helpful_count == 0
    with pytest.raises(NotFound):
        services.withdraw_vote(voter=reader, review=review)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seller", "agent"])
def test_the_stores_team_cannot_vote_on_its_reviews(request, item, role):
    review = publish(item)
    member = request.getfixturevalue(role)
    rival = MembershipFactory().user  # the team of another store

    with pytest.raises(PermissionDenied) as refused:
        services.vote_helpful(voter=member, review=review)

    assert refused.value.code == "own_store"
    assert not HelpfulVote.objects.exists()
    assert services.vote_helpful(voter=rival, review=review).helpful_count == 1


@pytest.mark.django_db
def test_a_store_member_may_take_back_a_vote_given_before_the_rule(item, seller):
    review = publish(item)
    HelpfulVote.objects.create(review=review, voter=seller)
    Review.objects.filter(pk=review.pk).update(helpful_count=1)

    assert services.withdraw_vote(voter=seller, review=review).helpful_count == 0
    assert not HelpfulVote.objects.exists()


@pytest.mark.django_db
def test_reports_queue_the_review_and_a_decision_resolves_them(item, staff):
    review = publish(item)
    services.report_review(reporter=UserFactory(), review=review, reason="spam")
    services.report_review(reporter=UserFactory(), review=review, reason="other", note="Odd.")
    review.refresh_from_db()
    assert review.open_report_count == 2

    services.restore_review(moderator=staff, review=review, reason="Genuine review.")
    review.refresh_from_db()
    assert review.open_report_count == 0
    assert not Report.objects.filter(resolved_at__isnull=True).exists()


@pytest.mark.django_db
def test_bad_reports_are_refused(item):
    review = publish(item)
    reporter = UserFactory()
    with pytest.raises(ValidationFailed):
        services.report_review(reporter=reporter, review=review, reason="boring")
    with pytest.raises(ValidationFailed):
        services.report_review(reporter=reporter, review=review, reason="other", note="")
    with pytest.raises(PermissionDenied):
        services.report_review(reporter=item.order.buyer, review=review, reason="spam")
    services.report_review(reporter=reporter, review=review, reason="spam")
    with pytest.raises(Conflict):
        services.report_review(reporter=reporter, review=review, reason="fake")
    assert Report.objects.count() == 1


# --- Answers ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seller", "agent"])
def test_store_team_answers_and_response_time_is_stored(request, item, role):
    review = publish(item)
    member = request.getfixturevalue(role)
    later = NOW + timedelta(hours=30)

    answer = services.answer_review(
        member=member, review=review, body="Sorry! We'll replace it.", now=later
    )

    assert answer.response_time == timedelta(hours=30)
    assert answer.is_on_time
    review.refresh_from_db()
    assert review.is_answered


@pytest.mark.django_db
def test_answering_rules(item, buyer, product):
    review = publish(item)
    other_store_member = MembershipFactory().user
    with pytest.raises(PermissionDenied):
        services.answer_review(member=buyer, review=review, body="I am the buyer.")
    with pytest.raises(PermissionDenied):
        services.answer_review(member=other_store_member, review=review, body="Not my store.")
    member = MembershipFactory(store=product.store).user
    with pytest.raises(ValidationFailed):
        services.answer_review(member=member, review=review, body="   ")
    services.answer_review(member=member, review=review, body="Thank you!")
    with pytest.raises(Conflict, match="already has an answer"):
        services.answer_review(member=member, review=review, body="Thanks again!")
    assert Answer.objects.get().body == "Thank you!"


@pytest.mark.django_db
def test_edit_keeps_history_and_withdraw_reopens_the_review(item, seller):
    review = publish(item)
    answer = services.answer_review(
        member=seller, review=review, body="Thanks.", now=NOW + timedelta(hours=1)
    )
    services.edit_answer(
        member=seller, answer=answer, body="Thanks, Thandi! A replacement is on its way."
    )
    answer.refresh_from_db()
    assert [r.body for r in answer.revisions.all()] == ["Thanks."]
    assert answer.response_time == timedelta(hours=1)

    services.withdraw_answer(member=seller, answer=answer)
    review.refresh_from_db()
    assert not review.is_answered
    with pytest.raises(Conflict):
        services.edit_answer(member=seller, answer=answer, body="Too late.")

    again = services.answer_review(
        member=seller, review=review, body="Sorry, here again.", now=NOW + timedelta(hours=60)
    )
    assert (again.pk, again.response_time, again.is_on_time) == (
        answer.pk,
        timedelta(hours=60),
        False,
    )


@pytest.mark.django_db
def test_held_reviews_cannot_be_answered(item, seller):
    review = publish(item, body="Call 082 555 1234")
    with pytest.raises(Conflict):
        services.answer_review(member=seller, review=review, body="Thanks!")


# --- The response clock --------------------------------------------------------------


@pytest.mark.django_db
def test_deadline_flags_due_soon_then_overdue_and_answering_clears(item, seller, product, buyer):
    review = publish(item)

    assert services.flag_response_deadlines(now=NOW + timedelta(hours=35)) == {
        "overdue": 0,
        "due_soon": 0,
    }
    assert services.flag_response_deadlines(now=NOW + timedelta(hours=37)) == {
        "overdue": 0,
        "due_soon": 1,
    }
    assert services.flag_response_deadlines(now=NOW + timedelta(hours=38)) == {
        "overdue": 0,
        "due_soon": 0,
    }
    review.refresh_from_db()
    assert (review.deadline_flag, review.deadline_flagged_at) == (
        "due_soon",
        NOW + timedelta(hours=37),
    )
    assert services.flag_response_deadlines(now=NOW + timedelta(hours=49)) == {
        "overdue": 1,
        "due_soon": 0,
    }
    assert services.flag_response_deadlines(now=NOW + timedelta(hours=50)) == {
        "overdue": 0,
        "due_soon": 0,
    }

    services.answer_review(member=seller, review=review, body="Sorry for the wait!")
    review.refresh_from_db()
    assert review.deadline_flag == ""


@pytest.mark.django_db
def test_withdrawing_an_answer_after_the_deadline_flags_the_review_overdue(item, seller):
    review = publish(item)
    answer = services.answer_review(member=seller, review=review, body="Sorry, we'll fix it.")
    later = NOW + timedelta(hours=50)

    services.withdraw_answer(member=seller, answer=answer, now=later)

    review.refresh_from_db()
    assert (review.is_answered, review.deadline_flag, review.deadline_flagged_at) == (
        False,
        "overdue",
        later,
    )
