"""``saypro coach evaluate`` and the evaluation it runs (saypro.coaching.evaluation)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saypro.coaching.evaluation import LABELLED, SHIPPED_SET, halves, read_pairs

PAIR = {
    "review": {"text": "Runs small.", "rating": 2, "product": "Linen Shirt", "reviewer": "Anna"},
    "answer": "Hi Anna, we're sorry the shirt runs small. Message us here for an exchange.",
    "labels": {"empathy": True, "thanks": False, "next_step": True},
}


def evaluate(*args) -> tuple[list[str], dict]:
    out = StringIO()
    call_command("coach", "evaluate", *args, "--no-progress", stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines, json.loads(lines[-1])


def test_the_shipped_set_has_at_least_180_pairs_in_two_halves():
    pairs = read_pairs(SHIPPED_SET)
    first, second = halves(pairs)

    assert len(pairs) >= 180
    assert len(first) == len(second) == len(pairs) // 2
    assert {pair.review.text for pair in first}.isdisjoint(pair.review.text for pair in second)


def test_evaluate_prints_a_table_then_the_metrics_as_the_last_line():
    lines, result = evaluate()

    assert lines[0].startswith("192 pairs from ")
    header = ["guideline", "support", "precision", "recall", "F1", "F1", "failing"]
    assert lines[1].split() == header
    assert set(result) == {*LABELLED, "pairs"}
    assert result["pairs"] == 192
    for key in LABELLED:
        assert set(result[key]) == {"precision", "recall", "f1", "support", "failing"}
        assert result[key]["f1"] >= 0.85, key


def test_evaluate_can_take_one_half():
    _, first = evaluate("--half", "first")
    _, second = evaluate("--half", "second")

    assert first["pairs"] == second["pairs"] == 96


def test_evaluate_scores_a_given_file_and_skips_null_labels(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps(PAIR) + "\n\n", encoding="utf-8")

    _, result = evaluate(str(path))

    assert result["pairs"] == 1
    assert result["empathy"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "support": 1,
        "failing": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0},
    }
    assert result["thanks"]["failing"]["support"] == 1
    assert result["professionalism"]["support"] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (json.dumps(PAIR) + "\n{not json", "line 2: not valid JSON"),
        ('["a list"]', "line 1: expected a JSON object"),
        (json.dumps({**PAIR, "answer": 3}), "line 1: answer must be a string"),
        (json.dumps({k: v for k, v in PAIR.items() if k != "labels"}), "line 1: missing labels"),
        (
            json.dumps({**PAIR, "review": {**PAIR["review"], "rating": 6}}),
            "line 1: review.rating must be an integer from 1 to 5, not 6",
        ),
        (json.dumps({**PAIR, "labels": {"tone": True}}), "line 1: unknown label tone"),
        (json.dumps({**PAIR, "labels": {"thanks": "yes"}}), "line 1: label thanks must be true"),
        ("", "no pairs"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(tmp_path, content, message):
    path = tmp_path / "pairs.jsonl"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message) as raised:
        call_command("coach", "evaluate", str(path), "--no-progress", stdout=StringIO())

    assert raised.value.returncode == 2


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("coach", "evaluate", str(tmp_path / "absent.jsonl"), stdout=StringIO())


@pytest.mark.parametrize("path", sorted(SHIPPED_SET.parent.glob("*.jsonl")), ids=lambda p: p.name)
def test_every_shipped_evaluation_file_is_valid(path):
    pairs = read_pairs(path)

    assert pairs
    assert all(set(pair.labels) == set(LABELLED) for pair in pairs)
