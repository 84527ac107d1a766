"""Timeliness and clarity (saypro.coaching.guidelines.form)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from saypro.coaching.tests.helpers import CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER, coached

PUBLISHED = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
REVIEW = replace(CHINOS_REVIEW, published_at=PUBLISHED)


@pytest.mark.parametrize(
    ("elapsed", "verdict", "reason"),
    [
        (timedelta(hours=16, minutes=30), "pass", "31 h left of the 48-hour goal."),
        (timedelta(hours=35, minutes=59), "pass", "12 h left of the 48-hour goal."),
        (timedelta(hours=36), "warn", "12 h left of the 48-hour goal."),
        (timedelta(hours=47, minutes=30), "warn", "Less than 1 h left of the 48-hour goal."),
        (timedelta(hours=48), "fail", "Overdue by 1 min."),
        (timedelta(hours=52, minutes=12), "fail", "Overdue by 4 h 12 min."),
        (timedelta(hours=53), "fail", "Overdue by 5 h."),
        (timedelta(days=240, hours=5), "fail", "Overdue by 238 d 5 h."),
    ],
)
def test_timeliness_counts_hours_against_the_48_hour_goal(elapsed, verdict, reason):
    finding = coached(REVIEW, GOOD_NEGATIVE_ANSWER, now=PUBLISHED + elapsed).finding("timeliness")

    assert (finding.verdict, finding.reason) == (verdict, reason)


def test_timeliness_does_not_apply_without_a_publication_time():
    finding = coached(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER).finding("timeliness")

    assert (finding.verdict, finding.applies) == ("pass", False)


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        coached(REVIEW, GOOD_NEGATIVE_ANSWER, now=datetime(2025, 3, 4, 9, 0))


def test_a_readable_answer_passes_clarity():
    assert coached(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER).finding("clarity").verdict == "pass"


@pytest.mark.parametrize(
    ("draft", "verdict", "reason_start"),
    [
        ("", "fail", "The draft is empty."),
        ("Sorry about that.", "fail", "Too short: 3 words."),
        ("Sorry about the chinos, Themba. Message us here and we'll swap them.", "warn", "Short"),
        (" ".join(["word"] * 251), "fail", "Too long: 251 words."),
    ],
)
def test_clarity_length_bounds(draft, verdict, reason_start):
    finding = coached(CHINOS_REVIEW, draft).finding("clarity")

    assert finding.verdict == verdict
    assert finding.reason.startswith(reason_start)


def test_a_very_long_sentence_warns_and_is_marked():
    sentence = "We are sorry " + "and we will " * 14 + "fix it."
    draft = f"{sentence} Thanks for the review, Themba."
    finding = coached(CHINOS_REVIEW, draft).finding("clarity")

    assert finding.verdict == "warn"
    assert finding.spans[0].text == sentence


def test_a_word_typed_twice_warns():
    draft = GOOD_NEGATIVE_ANSWER.replace("a full refund", "a full full refund")
    finding = coached(CHINOS_REVIEW, draft).finding("clarity")

    assert finding.verdict == "warn"
    assert [span.text for span in finding.spans] == ["full full"]
