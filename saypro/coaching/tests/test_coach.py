"""coach(): the findings, the score and the JSON shape (saypro.coaching.coach)."""

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from saypro.coaching.coach import GUIDELINES, coach, score
from saypro.coaching.results import Coaching, Finding
from saypro.coaching.tests.helpers import CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER, HOODIE_REVIEW


def test_findings_are_the_eight_guidelines_in_order():
    coaching = coach(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER)

    assert [f.guideline for f in coaching.findings] == [
        "empathy",
        "professionalism",
        "personalisation",
        "thanks",
        "no_defensiveness",
        "next_step",
        "timeliness",
        "clarity",
    ]
    assert [f.label for f in coaching.findings] == [g.label for g in GUIDELINES.values()]


def test_the_weights_add_up_to_100():
    assert sum(guideline.weight for guideline in GUIDELINES.values()) == 100


def test_a_good_answer_scores_100():
    assert coach(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER).score == 100


def test_a_bad_answer_scores_only_what_it_earns_over_the_applicable_weights():
    bad = coach(CHINOS_REVIEW, "YOU SHOULD HAVE READ THE SIZE CHART!!!")

    passed = [f.guideline for f in bad.findings if f.verdict == "pass" and f.applies]
    assert passed == ["personalisation"]  # it does talk about the size
    assert not bad.finding("timeliness").applies  # no publication time: out of the score
    assert bad.score == 11  # personalisation's 10 of the applicable 95, rounded


def _finding(key, verdict, applies=True):
    return Finding(key, GUIDELINES[key].label, verdict, (), "", "", applies)


def test_score_gives_half_for_a_warn_and_leaves_out_what_does_not_apply():
    findings = {key: _finding(key, "pass") for key in GUIDELINES}
    assert score(list(findings.values())) == 100

    findings["empathy"] = _finding("empathy", "warn")
    assert score(list(findings.values())) == 93  # 92.5 rounds up

    findings["next_step"] = _finding("next_step", "fail", applies=False)
    assert score(list(findings.values())) == 91  # 77.5 of the applicable 85

    assert score([_finding(key, "fail") for key in GUIDELINES]) == 0
    assert score([_finding(key, "pass", applies=False) for key in GUIDELINES]) == 100


def test_finding_looks_a_guideline_up_by_key():
    coaching = coach(CHINOS_REVIEW, GOOD_NEGATIVE_ANSWER)

    assert coaching.finding("thanks") is coaching.findings[3]
    with pytest.raises(KeyError):
        coaching.finding("spelling")


def test_from_dict_gives_back_the_coaching_as_dict_stored():
    coaching = coach(CHINOS_REVIEW, "You should have read the size chart.")

    assert Coaching.from_dict(json.loads(json.dumps(coaching.as_dict()))) == coaching


def test_as_dict_is_json_ready_with_spans_as_objects():
    coaching = coach(CHINOS_REVIEW, "You should have read the size chart.")
    data = json.loads(json.dumps(coaching.as_dict()))

    assert set(data) == {"score", "findings", "suggested_answer"}
    defensiveness = data["findings"][4]
    assert defensiveness["guideline"] == "no_defensiveness"
    assert defensiveness["verdict"] == "fail"
    assert defensiveness["spans"][0] == {"start": 0, "end": 20, "text": "You should have read"}
    assert set(defensiveness) == {
        "guideline",
        "label",
        "verdict",
        "applies",
        "spans",
        "reason",
        "suggestion",
    }


def test_a_rating_outside_1_to_5_is_refused():
    with pytest.raises(ValueError, match="rating"):
        coach(replace(CHINOS_REVIEW, rating=0), GOOD_NEGATIVE_ANSWER)


def test_an_empty_draft_still_gets_findings_and_a_suggestion():
    coaching = coach(HOODIE_REVIEW, "")

    assert coaching.finding("clarity").reason == "The draft is empty."
    assert coaching.suggested_answer.startswith("Hi Lerato,")


def test_the_coach_works_without_django_settings():
    program = (
        "from saypro.coaching.coach import coach, ReviewInput\n"
        "c = coach(ReviewInput(text='Runs small.', rating=2, product='Shirt'), 'Damn, sorry.')\n"
        "print(c.finding('professionalism').verdict)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )

    assert result.stdout.strip() == "fail"
