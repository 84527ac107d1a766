import pytest

from saypro.coaching.coach import ReviewInput
from saypro.coaching.tests.helpers import CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER, coached, flagged


def test_a_courteous_answer_passes():
    assert coached(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER).finding("professionalism").verdict == "pass"


def test_shouting_fails_and_a_run_of_capitals_is_one_span():
    draft = "WE PACK EVERY ORDER CAREFULLY. Thank you for the review."
    coaching = coached(CHINOS_REVIEW, draft)

    assert coaching.finding("professionalism").verdict == "fail"
    assert flagged(coaching, "professionalism") == ["WE PACK EVERY ORDER CAREFULLY"]
    assert coaching.finding("professionalism").reason.startswith("Shouts: “WE PACK")


def test_acronyms_sizes_and_capitals_from_the_product_title_are_not_shouting():
    review = ReviewInput(text="The LEGO set is missing a piece.", rating=2, product="LEGO City Bus")
    draft = (
        "Sorry about the missing piece! Your XL order ships from the UK via SA couriers; "
        "we'll send the LEGO piece by USB-fast post. Thank you for the review."
    )

    assert coached(review, draft).finding("professionalism").verdict == "pass"


@pytest.mark.parametrize(
    ("draft", "phrase"),
    [
        ("Thanks a lot for nothing. We did our best.", "thanks a lot for nothing"),
        ("Obviously the chinos fit if you wear the right size.", "obviously"),
        ("Clearly you didn't read the size chart.", "clearly you"),
        ("Good luck with that. Bye.", "good luck with that"),
        ("It's a pair of chinos, they stretch. Thanks.", "it's a pair of chinos, they stretch"),
    ],
)
def test_sarcasm_fails_with_the_phrase_marked(draft, phrase):
    coaching = coached(CHINOS_REVIEW, draft)

    assert coaching.finding("professionalism").verdict == "fail"
    assert phrase in [text.lower() for text in flagged(coaching, "professionalism")]


def test_profanity_fails():
    coaching = coached(CHINOS_REVIEW, "That is crap, the chinos are fine.")

    assert coaching.finding("professionalism").verdict == "fail"
    assert flagged(coaching, "professionalism") == ["crap"]


def test_the_profanity_list_can_be_extended_in_settings(settings):
    draft = "Blimey, sorry about the chinos. Message us here and we'll swap them."
    assert coached(CHINOS_REVIEW, draft).finding("professionalism").verdict == "pass"

    settings.COACH_PROFANITY_WORDS = ["blimey"]

    assert coached(CHINOS_REVIEW, draft).finding("professionalism").verdict == "fail"


@pytest.mark.parametrize("marks", ["!!!", "??", "?!", "!!"])
def test_excessive_punctuation_fails(marks):
    coaching = coached(CHINOS_REVIEW, f"Sorry about the chinos{marks} We'll swap them.")

    assert coaching.finding("professionalism").verdict == "fail"
    assert flagged(coaching, "professionalism") == [marks]


def test_many_single_exclamation_marks_warn():
    draft = "Sorry! Thanks for the review! Message us! We'll swap them!"

    assert coached(CHINOS_REVIEW, draft).finding("professionalism").verdict == "warn"


def test_rudeness_fails():
    coaching = coached(CHINOS_REVIEW, "Not our problem. Shop elsewhere if you don't like them.")

    assert coaching.finding("professionalism").verdict == "fail"
    assert flagged(coaching, "professionalism") == ["Not our problem", "Shop elsewhere"]
