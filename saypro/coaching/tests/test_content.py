"""Personalisation, thanks and next step (saypro.coaching.guidelines.content)."""

import pytest

from saypro.coaching.coach import ReviewInput
from saypro.coaching.guidelines.content import closest_earlier_answer
from saypro.coaching.tests.helpers import (
    CHINOS_REVIEW,
    GOOD_NEGATIVE_ANSWER,
    HOODIE_REVIEW,
    SPEAKER_REVIEW,
    coached,
    flagged,
)

# --- Personalisation


def test_an_answer_about_what_the_customer_wrote_passes_and_marks_the_specifics():
    coaching = coached(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER)

    assert coaching.finding("personalisation").verdict == "pass"
    assert {"Themba", "chinos", "too tight", "waist", "stitching"} <= set(
        flagged(coaching, "personalisation")
    )


def test_a_generic_template_fails():
    draft = "Dear customer, we are sorry for any inconvenience. We value your feedback."
    coaching = coached(CHINOS_REVIEW, draft)

    assert coaching.finding("personalisation").verdict == "fail"
    assert coaching.finding("personalisation").reason == (
        "Generic: nothing in it is specific to this review."
    )
    assert flagged(coaching, "personalisation") == [
        "Dear customer",
        "any inconvenience",
        "We value your feedback",
    ]


def test_only_the_name_warns():
    finding = coached(CHINOS_REVIEW, "Sorry, Themba. We value your feedback.").finding(
        "personalisation"
    )

    assert finding.verdict == "warn"
    assert finding.reason.startswith("Only the reviewer's name makes it specific")


def test_a_name_that_is_also_a_word_counts_only_when_capitalised():
    review = ReviewInput(text="Runs small.", rating=2, product="Shirt", reviewer="Hope")

    assert coached(review, "We hope to do better.").finding("personalisation").verdict == "fail"


def test_a_near_copy_of_an_earlier_answer_fails_even_with_the_name_changed():
    earlier = GOOD_NEGATIVE_ANSWER.replace("Themba", "Sipho")
    finding = coached(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER, seller_history=[earlier]).finding(
        "personalisation"
    )

    assert finding.verdict == "fail"
    assert finding.reason.startswith("Nearly identical to one of your earlier answers")
    assert finding.spans[0].text == GOOD_NEGATIVE_ANSWER


def test_a_different_earlier_answer_is_no_duplicate():
    earlier = "Thanks Priya, sorry the mugs arrived chipped; we'll send two new ones."

    assert closest_earlier_answer(GOOD_NEGATIVE_ANSWER, [earlier]) < 0.5
    verdict = coached(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER, seller_history=[earlier]).finding(
        "personalisation"
    )
    assert verdict.verdict == "pass"


def test_similarity_is_the_best_match_over_the_history():
    history = ["Completely different words here.", GOOD_NEGATIVE_ANSWER, ""]

    assert closest_earlier_answer(GOOD_NEGATIVE_ANSWER, history) == 1.0
    assert closest_earlier_answer("", history) == 0.0


# --- Thanks


def test_thanks_for_the_feedback_passes_and_is_marked():
    coaching = coached(HOODIE_REVIEW, "Thank you so much for the lovely review, Lerato!")

    assert coaching.finding("thanks").verdict == "pass"
    assert flagged(coaching, "thanks") == ["Thank you so much for the lovely review"]


def test_thanks_for_something_else_warns():
    finding = coached(HOODIE_REVIEW, "Thanks for shopping with us.").finding("thanks")

    assert finding.verdict == "warn"


@pytest.mark.parametrize(
    ("draft", "opening"),
    [
        ("Thank you so much, Lerato! We're delighted you love it.", "Thank you so much, Lerato!"),
        ("Hi Lerato, thank you! We're delighted the hoodie is so soft.", "Hi Lerato, thank you!"),
        ("Lerato, thanks a lot – so glad it's warm.", "Lerato, thanks a lot – so glad it's warm."),
    ],
)  # fmt: skip
def test_thanking_a_happy_reviewer_by_name_to_open_the_answer_is_thanks_for_the_review(
    draft, opening
):
    coaching = coached(HOODIE_REVIEW, draft)

    assert coaching.finding("thanks").verdict == "pass"
    assert coaching.finding("thanks").reason.startswith("Thanks the customer: “")
    assert flagged(coaching, "thanks") == [opening]


@pytest.mark.parametrize(
    ("review", "draft"),
    [
        (HOODIE_REVIEW, "Thank you so much! We're delighted you love the colour."),
        (HOODIE_REVIEW, "Thank you, Lerato, for shopping with us!"),
        (HOODIE_REVIEW, "We're delighted you love the colour. Thank you, Lerato!"),
        (HOODIE_REVIEW, "Cheers, Lerato! Enjoy it."),
        (CHINOS_REVIEW, "Thank you, Themba. We're sorry they were too tight."),
    ],
    ids=["no name", "for something else", "not the opening", "not a thank-you", "a complaint"],
)
def test_other_thanks_by_name_still_warn(review, draft):
    finding = coached(review, draft).finding("thanks")

    assert finding.verdict == "warn"
    assert finding.reason == "Says thanks, but not for the review itself."


def test_no_thanks_or_only_sarcastic_thanks_fails():
    sarcastic = coached(CHINOS_REVIEW, "Thanks a lot for nothing.").finding("thanks")

    assert coached(CHINOS_REVIEW, "We'll swap them.").finding("thanks").verdict == "fail"
    assert sarcastic.verdict == "fail"
    assert sarcastic.reason.startswith("The only thanks is sarcastic")


# --- Next step


def test_a_concrete_offer_through_the_platform_passes():
    coaching = coached(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER)

    assert coaching.finding("next_step").verdict == "pass"
    assert {"send us a message", "on SayPro", "arrange", "exchange", "refund"} <= set(
        flagged(coaching, "next_step")
    )


def test_no_next_step_on_a_negative_review_fails():
    finding = coached(CHINOS_REVIEW, "Sorry about the chinos, Themba.").finding("next_step")

    assert finding.verdict == "fail"
    assert "SayPro" in finding.suggestion


def test_contact_outside_the_platform_warns_and_suggests_platform_messages():
    draft = "Sorry, Themba. Please email us at help@shop.example or call 021 555 0134 for a refund."
    coaching = coached(CHINOS_REVIEW, draft)

    assert coaching.finding("next_step").verdict == "warn"
    assert flagged(coaching, "next_step") == ["email us", "help@shop.example", "021 555 0134"]
    assert "on the platform" in coaching.finding("next_step").suggestion


def test_a_refused_remedy_is_no_next_step():
    finding = coached(CHINOS_REVIEW, "Sorry, we cannot offer a refund on sale items.").finding(
        "next_step"
    )

    assert finding.verdict == "fail"
    assert finding.reason.startswith("Refuses")


def test_a_promise_to_improve_is_no_next_step_for_this_customer():
    finding = coached(CHINOS_REVIEW, "Sorry, we'll pass this on to our design team.").finding(
        "next_step"
    )

    assert finding.verdict == "fail"
    assert finding.reason == "Promises to improve, but offers this customer nothing."


def test_a_mixed_review_needs_a_next_step_and_an_invitation_is_enough():
    draft = "Thanks Jason, sorry about the short cable – let us know if we can help."

    assert coached(SPEAKER_REVIEW, draft).finding("next_step").verdict == "pass"
    assert coached(SPEAKER_REVIEW, "Thanks Jason!").finding("next_step").verdict == "fail"


def test_next_step_does_not_apply_to_a_glowing_review():
    finding = coached(HOODIE_REVIEW, "Thank you, Lerato!").finding("next_step")

    assert (finding.verdict, finding.applies) == ("pass", False)
    assert finding.reason.startswith("Not needed")
