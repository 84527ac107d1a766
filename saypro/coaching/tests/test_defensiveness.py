import pytest

from saypro.coaching.tests.helpers import (
    CHINOS_REVIEW,
    GOOD_NEGATIVE_ANSWER,
    HOODIE_REVIEW,
    coached,
    flagged,
)

BLAME, DENIAL, APPEAL = "Blames the customer", "Denies fault", "Appeals to other customers"
LECTURE, ARGUMENT = "Lectures the customer", "Argues with or plays down the complaint"


def test_an_answer_that_owns_the_problem_passes():
    finding = coached(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER).finding("no_defensiveness")

    assert finding.verdict == "pass"


@pytest.mark.parametrize(
    ("draft", "phrase", "kind"),
    [
        ("You should have read the description.", "You should have read", BLAME),
        ("You must have washed them too hot.", "You must have washed", BLAME),
        ("That's not our fault, sorry.", "not our fault", DENIAL),
        ("Nobody else has complained about the size.", "Nobody else has complained", APPEAL),
        ("As stated clearly in the listing, they run small.", "As stated clearly in the", LECTURE),
        ("We disagree with your review.", "We disagree", ARGUMENT),
        ("Actually, the size chart is accurate.", "Actually,", ARGUMENT),
        ("The courier is responsible for that.", "courier is responsible", DENIAL),
        ("Thousands of customers love these chinos.", "Thousands of customers love", APPEAL),
        ("You are wrong, read the size guide.", "You are wrong", ARGUMENT),
        ("You're mistaken about the waist.", "You're mistaken", ARGUMENT),
        ("Please stop lying about our chinos.", "stop lying", ARGUMENT),
        ("We never had complaints about these.", "We never had complaints", APPEAL),
        ("We have not had a single complaint.", "We have not had a single complaint", APPEAL),
        ("Maybe your screen is off.", "your screen is", BLAME),
        ("Thanks, read the size guide.", "read the size guide", LECTURE),
        ("Sorry, but the size chart is accurate.", "is accurate", DENIAL),
    ],
)
def test_defensive_phrases_fail_with_the_phrase_and_its_kind(draft, phrase, kind):
    coaching = coached(CHINOS_REVIEW, draft)
    finding = coaching.finding("no_defensiveness")

    assert finding.verdict == "fail"
    assert phrase in flagged(coaching, "no_defensiveness")
    assert finding.reason.startswith(f"{kind}: “{phrase}")


def test_blame_is_recognised_in_phrasings_beyond_a_fixed_list():
    drafts = [
        "If you had measured yourself first, this wouldn't have happened.",
        "Stitching only breaks when it is overloaded.",
        "The waistband rips if you stretch it.",
        "You probably ordered the wrong size.",
        "This is due to improper washing.",
    ]
    for draft in drafts:
        assert coached(CHINOS_REVIEW, draft).finding("no_defensiveness").verdict == "fail", draft


def test_an_excuse_with_no_apology_or_offer_is_explaining_the_problem_away():
    draft = "Thank you. Chinos are cut slim because that is the style."
    finding = coached(CHINOS_REVIEW, draft).finding("no_defensiveness")

    assert finding.verdict == "fail"
    assert finding.reason.startswith("Explains the problem away")


def test_a_troubleshooting_order_instead_of_help_is_flagged():
    finding = coached(CHINOS_REVIEW, "Wash them in cold water and try again.").finding(
        "no_defensiveness"
    )

    assert finding.verdict == "fail"
    assert finding.reason.startswith("Leaves the customer to fix it")


def test_kind_phrases_that_look_like_blame_are_not_flagged():
    draft = (
        "Themba, we're sorry – it's not your fault at all, and you should have received the right "
        "size. We sent you the wrong size, so we'll exchange them; please message us here."
    )

    assert coached(CHINOS_REVIEW, draft).finding("no_defensiveness").verdict == "pass"


def test_claims_that_only_defend_against_a_complaint_are_fine_under_praise():
    draft = "Thank you Lerato! Thousands of customers love this hoodie, and we're glad you do too."

    assert coached(HOODIE_REVIEW, draft).finding("no_defensiveness").verdict == "pass"


@pytest.mark.parametrize(
    "draft",
    [
        "The size chart is on the listing for a reason. Thank you for your review.",
        "Unfortunately this is what happens when the item is overloaded. Thanks for the feedback.",
        "We have no record of such a call.",
        "We cannot find any record of your complaint.",
    ],
)
def test_lecturing_excuses_and_denying_the_experience_fail(draft):
    assert coached(CHINOS_REVIEW, draft).finding("no_defensiveness").verdict == "fail"


@pytest.mark.parametrize(
    "draft",
    [
        "You are not wrong to expect better, and we are sorry. We will send a new pair.",
        "You were right to tell us. Please message us here and we will exchange them.",
        "We are sorry the colour is not as accurate as the photos suggest. We will exchange them.",
        "We haven't received your return yet; message us and we will check with you.",
    ],
)
def test_owning_answers_that_share_words_with_defences_pass(draft):
    assert coached(CHINOS_REVIEW, draft).finding("no_defensiveness").verdict == "pass", draft
