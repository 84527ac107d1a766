"""``saypro insights evaluate|analyze|reanalyze|detect``: output, progress, errors."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saypro.insights.models import ReviewAnalysis
from saypro.reviews.tests.factories import ReviewFactory


def write(path, rows, header=("text", "rating")):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("insights", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_evaluate_prints_the_metrics_as_the_last_line(tmp_path):
    path = write(
        tmp_path / "labelled.csv",
        [
            ("Love it, fits perfectly.", "5"),
            ("Fell apart after one wash, awful.", "1"),
            ("", "3"),  # skipped: no text
            ("It's okay, nothing special.", "neutral"),
        ],
    )
    out, err = run("evaluate", str(path))
    result = json.loads(out.strip().splitlines()[-1])
    assert result["count"] == 3
    assert result["binary_accuracy"] == 1.0
    assert set(result) == {"accuracy", "macro_f1", "binary_accuracy", "per_class", "count"}
    assert set(result["per_class"]) == {"negative", "neutral", "positive"}
    assert "Scoring" in err  # the progress bar


@pytest.mark.parametrize(
    ("rows", "options", "message"),
    [
        ([("Nice", "7")], (), "line 2: '7' is not a label"),
        ([("Nice", "5")], ("--label-column", "stars"), "no column 'stars'"),
        ([("", "5")], (), "no row has a text"),
    ],
)
def test_evaluate_refuses_unusable_files_with_status_2(tmp_path, rows, options, message):
    path = write(tmp_path / "bad.csv", rows)
    with pytest.raises(CommandError) as raised:
        run("evaluate", str(path), *options)
    assert message in str(raised.value)
    assert raised.value.returncode == 2


def test_evaluate_reads_a_byte_order_mark_and_skips_rows_without_a_label(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        'text,rating\n"Love it, fits perfectly.",5\nNo label here,\nFell apart.,1\n'.encode(
            "utf-8-sig"
        )
    )
    out, _ = run("evaluate", str(path), "--no-progress")
    assert json.loads(out.strip().splitlines()[-1])["count"] == 2


def test_evaluate_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("text,rating\nCaf\xe9 was great,5\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("evaluate", str(path))


def test_analyze_keeps_the_columns_and_adds_the_analysis(tmp_path):
    source = write(
        tmp_path / "in.csv",
        [("1", "Pretty colour but the fabric is thin. I wish it had pockets."), ("2", "")],
        header=("id", "body"),
    )
    target = tmp_path / "out.csv"
    run("analyze", str(source), "--text-column", "body", "--output", str(target), "--no-progress")
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["1", "2"]
    assert json.loads(rows[0]["themes"]) == {"appearance": "positive", "material": "negative"}
    assert json.loads(rows[0]["suggestions"]) == ["I wish it had pockets."]
    assert rows[1]["sentiment"] == "" and rows[1]["themes"] == ""
    assert not (tmp_path / "out.csv.part").exists()


def test_analyze_writes_nothing_when_the_column_is_missing(tmp_path):
    source = write(tmp_path / "in.csv", [("Nice", "5")])
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="no column 'body'"):
        run("analyze", str(source), "--text-column", "body", "--output", str(target))
    assert not target.exists()


def test_reanalyze_and_detect(product):
    ReviewFactory.create_batch(4, product=product, order_item__product=product)
    out, _ = run("reanalyze", "--no-progress")
    assert out.strip() == "Analysed 4 reviews."
    assert ReviewAnalysis.objects.count() == 4
    assert run("reanalyze", "--no-progress")[0].strip() == "Analysed 0 reviews."
    assert run("detect")[0].strip() == "0 rising issues open."


def test_evaluate_themes_scores_the_shipped_set_and_refuses_a_bad_file(tmp_path):
    out, _ = run("evaluate-themes")
    result = json.loads(out.strip().splitlines()[-1])
    assert result["sentences"] >= 400
    assert set(result["per_theme"]) >= {"fit_size", "quality", "delivery", "usability"}
    assert 0 < result["micro_f1"] <= 1
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "Runs small", "themes": {"fit_size": "negative"}}\nnot json\n')
    with pytest.raises(CommandError, match="line 2") as raised:
        run("evaluate-themes", str(broken))
    assert raised.value.returncode == 2


@pytest.mark.parametrize("action", ["evaluate", "analyze"])
def test_a_row_with_more_fields_than_the_header_stops_the_command(tmp_path, action):
    source = tmp_path / "in.csv"
    source.write_text("text,rating\nFits well,5\nToo small, sadly,2\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    options = ("--output", str(target)) if action == "analyze" else ()
    with pytest.raises(CommandError) as raised:
        run(action, str(source), "--no-progress", *options)
    assert str(raised.value) == (
        f"{source}, line 3: 3 fields where the header has 2 (quote a text that has a comma)."
    )
    assert raised.value.returncode == 2
    assert not target.exists()


@pytest.mark.parametrize("name", ["missing/out.csv", "folder"])
def test_analyze_refuses_an_output_it_cannot_write(tmp_path, name):
    source = write(tmp_path / "in.csv", [("Nice", "5")])
    (tmp_path / "folder").mkdir()
    target = tmp_path / name
    with pytest.raises(CommandError, match="cannot write the results") as raised:
        run("analyze", str(source), "--output", str(target), "--no-progress")
    assert str(raised.value).startswith(f"{target}: ")
    assert raised.value.returncode == 2
    assert not list(tmp_path.glob("**/*.part"))


def test_evaluate_themes_refuses_a_file_without_sentences(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no labelled sentence to score") as raised:
        run("evaluate-themes", str(path))
    assert raised.value.returncode == 2
