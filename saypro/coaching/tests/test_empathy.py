from saypro.coaching.tests.helpers import (
    CHINOS_REVIEW,
    GOOD_NEGATIVE_ANSWER,
    HOODIE_REVIEW,
    SPEAKER_REVIEW,
    coached,
    flagged,
)


def test_a_negative_review_answered_with_an_apology_passes_and_marks_the_apology():
    coaching = coached(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER)

    finding = coaching.finding("empathy")
    assert finding.verdict == "pass"
    assert "sorry" in flagged(coaching, "empathy")
    assert finding.reason.startswith("Apologises: “sorry the chinos were too tight")


def test_a_negative_review_without_an_apology_fails_and_suggests_one_about_the_issue():
    finding = coached(CHINOS_REVIEW, "Thanks for the review. We'll send a new pair.").finding(
        "empathy"
    )

    assert finding.verdict == "fail"
    assert finding.reason == (
        "No apology and no acknowledgement of what went wrong in a 1-star review."
    )
    assert finding.suggestion.endswith("“We're sorry about the fit and the quality.”")


def test_sorry_you_feel_that_way_is_not_an_apology():
    draft = "We're sorry you feel that way. Please message us here."
    coaching = coached(CHINOS_REVIEW, draft)

    assert coaching.finding("empathy").verdict == "fail"
    assert flagged(coaching, "empathy") == ["sorry you feel that way"]


def test_an_apology_taken_back_by_but_and_blame_fails():
    draft = "Sorry, but you should have checked the size chart before ordering."
    coaching = coached(CHINOS_REVIEW, draft)

    assert coaching.finding("empathy").verdict == "fail"
    assert "taken back" in coaching.finding("empathy").reason


def test_a_hedged_apology_warns():
    draft = "Sorry if the chinos were not what you wanted. Message us here for an exchange."

    assert coached(CHINOS_REVIEW, draft).finding("empathy").verdict == "warn"


def test_acknowledging_without_apologising_fails_a_one_star_review():
    draft = "We understand how frustrating tight chinos are. Message us here for an exchange."
    finding = coached(CHINOS_REVIEW, draft).finding("empathy")

    assert finding.verdict == "fail"
    assert "never apologises" in finding.reason


def test_a_mixed_review_needs_the_problem_acknowledged_not_only_the_praise():
    praise_only = coached(SPEAKER_REVIEW, "Thanks Jason! Glad you love the sound.")
    both = coached(
        SPEAKER_REVIEW, "Thanks Jason! Glad you love the sound, and sorry the cable is short."
    )

    assert praise_only.finding("empathy").verdict == "fail"
    assert "not to the problem they raised" in praise_only.finding("empathy").reason
    assert both.finding("empathy").verdict == "pass"


def test_a_positive_review_needs_the_pleasure_shared():
    shared = coached(HOODIE_REVIEW, "Thank you Lerato! We're thrilled the hoodie feels so soft.")
    generic = coached(HOODIE_REVIEW, "Thank you for your feedback. We value all our customers.")

    assert shared.finding("empathy").verdict == "pass"
    assert flagged(shared, "empathy") == ["thrilled"]
    assert generic.finding("empathy").verdict == "fail"


def test_a_positive_review_thanked_for_a_specific_compliment_warns():
    draft = "Thank you for the kind words about the colour, Lerato."
    finding = coached(HOODIE_REVIEW, draft).finding("empathy")

    assert finding.verdict == "warn"


def test_you_must_have_been_disappointed_is_empathy_not_blame():
    draft = (
        "Themba, you must have been so disappointed, and we're sorry. "
        "Please message us here and we'll exchange them."
    )
    coaching = coached(CHINOS_REVIEW, draft)

    assert coaching.finding("empathy").verdict == "pass"
    assert coaching.finding("no_defensiveness").verdict == "pass"
