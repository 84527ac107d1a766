"""The suggested answer (saypro.coaching.suggest): built from the review, passing the guidelines."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saypro.coaching.coach import ReviewInput, coach
from saypro.coaching.review import profile_review
from saypro.coaching.tests.helpers import CHINOS_REVIEW, HOODIE_REVIEW, SPEAKER_REVIEW

CHECKED = ("empathy", "professionalism", "personalisation", "thanks", "no_defensiveness")
CHECKED += ("next_step", "clarity")

# Sentences a customer might write, each naming one aspect, good or bad, in several domains.
SENTENCES = (
    "It runs small.",
    "The fit is too tight around the waist.",
    "The fabric is thin and see-through.",
    "Super soft and cosy.",
    "The colour faded after one wash.",
    "Gorgeous colour.",
    "Delivery was delayed by a week.",
    "It arrived quickly.",
    "The box was damaged and the packaging was crushed.",
    "Great value for money.",
    "Overpriced for what it is.",
    "Very comfortable.",
    "The stitching came undone.",
    "It shrank in the wash.",
    "Tastes bland and stale.",
    "Delicious and fresh.",
    "The battery died after a day.",
    "The sound is muffled.",
    "It stopped working after a week.",
    "The instructions were confusing.",
    "Smells amazing.",
    "One piece was missing.",
    "Looks stylish in my lounge.",
    "The handle broke off.",
    "Easy to use.",
)
PRODUCTS = (
    "Linen Shirt",
    "Ceramic Coffee Mug Set",
    "USB-C CHARGING CABLE",
    "Children's Picture Book: The Lost Lion",
    "Rooibos Tea Tin",
    "Wooden Train Set",
    "Vitamin C Face Serum",
    "the Cosy Throw",
)
NAMES = ("", "Lerato", "themba", "PRIYA", "Anne-Marie", "O'Neill", "Zoë")

reviews = st.builds(
    lambda rating, sentences, product, reviewer, extra: ReviewInput(
        text=" ".join([*sentences, *extra]),
        rating=rating,
        product=product,
        reviewer=reviewer,
    ),
    rating=st.integers(min_value=1, max_value=5),
    sentences=st.lists(st.sampled_from(SENTENCES), max_size=6, unique=True),
    product=st.sampled_from(PRODUCTS),
    reviewer=st.sampled_from(NAMES),
    extra=st.lists(st.sampled_from(("I bought it as a gift.", "Hmm.", "Fine.")), max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(review=reviews)
def test_the_suggestion_passes_every_content_guideline_for_any_review(review):
    suggestion = coach(review, "").suggested_answer
    coaching = coach(review, suggestion)

    for key in CHECKED:
        finding = coaching.finding(key)
        assert finding.verdict == "pass", (key, finding.reason, suggestion)


@settings(max_examples=60, deadline=None)
@given(review=reviews)
def test_the_suggestion_names_the_product_the_praise_and_the_main_complaints(review):
    suggestion = coach(review, "").suggested_answer
    profile = profile_review(review)

    assert review.product.removeprefix("the ") in suggestion
    for mention in (*profile.praise, *profile.main_issues):
        assert mention.label in suggestion
    assert len(profile.main_issues) == min(len(profile.issues), 2)


def test_a_negative_suggestion_apologises_and_offers_a_next_step_on_saypro():
    suggestion = coach(CHINOS_REVIEW, "").suggested_answer

    assert suggestion.startswith("Hi Themba, thank you")
    assert "the Slim Fit Chinos" in suggestion
    assert "sorry about the fit (“way too tight”) and the quality (“came loose”)." in suggestion
    assert "sizing" not in suggestion and "stitching" not in suggestion
    assert "send us a message here on SayPro" in suggestion
    assert "replacement, an exchange or a full refund" in suggestion


def test_the_apology_names_the_two_complaints_that_weigh_most_not_every_one():
    review = ReviewInput(
        text=(
            "Way too small and tight around the shoulders. The seams unravelled after one wear "
            "and it is so uncomfortable. Save your money."
        ),
        rating=1,
        product="Linen shirt",
        reviewer="Tshepo",
    )
    suggestion = coach(review, "").suggested_answer

    assert "We're truly sorry about the sizing (“way too small”) and the fit (“tight”)." in (
        suggestion
    )
    assert "comfort" not in suggestion and "price" not in suggestion
    # The next step still answers every complaint: a fit and a fault.
    assert "a replacement, an exchange or a full refund" in suggestion


def test_the_suggestion_answers_what_the_review_raised_and_nothing_else():
    review = ReviewInput(
        text=(
            "Disappointed with these wide-leg trousers. The shweshwe is much thinner than I "
            "expected; you can almost see through it. On top of that, far too big, even though "
            "I followed the size guide to the letter."
        ),
        rating=2,
        product="Everyday shweshwe wide-leg trousers",
        reviewer="Ama",
    )
    suggestion = coach(review, "").suggested_answer

    assert "sorry about the material (“thinner”) and the sizing (“too big”)" in suggestion
    assert "setup" not in suggestion and "instructions" not in suggestion


def test_a_mixed_suggestion_thanks_for_the_praise_and_addresses_the_issue():
    suggestion = coach(SPEAKER_REVIEW, "").suggested_answer

    assert "We're glad you're happy with the sound" in suggestion
    assert "we're sorry about" in suggestion
    assert "the length (“really short”)" in suggestion
    assert "send us a message here on SayPro" in suggestion


def test_a_positive_suggestion_echoes_the_compliment_and_invites_back():
    suggestion = coach(HOODIE_REVIEW, "").suggested_answer

    assert "We're delighted to hear you're happy with the material (“soft”)" in suggestion
    assert "the colour" in suggestion
    assert "sorry" not in suggestion
    assert suggestion.endswith(("soon.", "back."))


def test_the_suggestion_is_deterministic():
    assert coach(CHINOS_REVIEW, "").suggested_answer == coach(CHINOS_REVIEW, "x").suggested_answer


@pytest.mark.parametrize(
    ("text", "rating", "offered", "not_offered"),
    [
        ("A bit overpriced for what it is.", 2, "what would have made it worth it", "refund"),
        ("It runs small.", 2, "an exchange or a full refund", "replacement"),
        ("It runs small.", 3, "arrange an exchange", "refund"),
        ("The handle broke off.", 2, "a replacement or a full refund", "exchange"),
        ("It runs small and the handle broke off.", 1, "a replacement, an exchange or a full", ""),
        ("Delivery was delayed by a week.", 2, "what went wrong with the delivery", "refund"),
        ("The instructions were confusing.", 3, "walk you through it", "refund"),
        ("Hmm. It is fine I guess.", 3, "help in any way we can", "refund"),
        ("Not for me.", 1, "a replacement, an exchange or a full refund", ""),
        ("I want my money back.", 1, "a full refund", "what would have made it worth it"),
    ],
)
def test_the_next_step_fits_what_the_customer_complained_about(text, rating, offered, not_offered):
    review = ReviewInput(text=text, rating=rating, product="Ceramic Coffee Mug Set", reviewer="Sam")
    suggestion = coach(review, "").suggested_answer

    assert offered in suggestion
    assert not not_offered or not_offered not in suggestion
    assert coach(review, suggestion).finding("next_step").verdict == "pass"
