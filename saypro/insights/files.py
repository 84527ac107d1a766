"""Reading and writing the CSV files of ``saypro insights analyze`` and ``evaluate``.

Any UTF-8 CSV (a byte-order mark is fine; gzip-compressed when the name ends
in ``.gz``) with a header row; the caller names the text column and, for
evaluation, the label column.
Problems that make a file unusable raise ``InsightsFileInvalid`` with a
message that names the file, the column or the line.
"""

import csv
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from saypro.insights.analysis import Analysis
from saypro.insights.evaluation import LabelError, label_index

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
OUTPUT_COLUMNS = (
    "sentiment",
    "p_negative",
    "p_neutral",
    "p_positive",
    "themes",
    "suggestions",
    "key_phrases",
)


class InsightsFileInvalid(Exception):
    pass


def _open(path: Path):
    if not path.is_file():
        raise InsightsFileInvalid(f"{path}: no such file.")
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def read_rows(path: Path, *, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; checks the header has ``required`` columns."""
    try:
        with _open(path) as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in required if column not in header]
            if missing:
                raise InsightsFileInvalid(
                    f"{path}: no column {', '.join(repr(c) for c in missing)} in the header "
                    f"(columns: {', '.join(header) or 'none'})."
                )
            for row in reader:
                if None in row:  # more fields than the header: a text with an unquoted comma?
                    raise InsightsFileInvalid(
                        f"{path}, line {reader.line_num}: {len(header) + len(row[None])} fields "
                        f"where the header has {len(header)} (quote a text that has a comma)."
                    )
                yield reader.line_num, row
    except UnicodeDecodeError as error:
        raise InsightsFileInvalid(f"{path}: not UTF-8 text ({error.reason}).") from None
    except (csv.Error, OSError, EOFError) as error:
        raise InsightsFileInvalid(f"{path}: not a readable CSV file ({error}).") from None


def read_labelled(
    path: Path, *, text_column: str, label_column: str
) -> tuple[list[str], list[int]]:
    """Texts and 0/1/2 labels. Rows with an empty text or an empty label are skipped; a label
    that is neither a rating nor a sentiment word is an error."""
    texts, labels = [], []
    for line, row in read_rows(path, required=(text_column, label_column)):
        text = (row[text_column] or "").strip()
        if not text or not (row[label_column] or "").strip():
            continue
        try:
            labels.append(label_index(row[label_column] or ""))
        except LabelError as error:
            raise InsightsFileInvalid(f"{path}, line {line}: {error}") from None
        texts.append(text)
    return texts, labels


def output_row(analysis: Analysis | None) -> dict[str, str]:
    """The columns ``analyze`` adds to each input row (blank for an empty text)."""
    if analysis is None:
        return dict.fromkeys(OUTPUT_COLUMNS, "")
    return {
        "sentiment": analysis.sentiment,
        "p_negative": f"{analysis.probabilities['negative']:.4f}",
        "p_neutral": f"{analysis.probabilities['neutral']:.4f}",
        "p_positive": f"{analysis.probabilities['positive']:.4f}",
        "themes": json.dumps(analysis.themes, ensure_ascii=False),
        "suggestions": json.dumps([s.text for s in analysis.suggestions], ensure_ascii=False),
        "key_phrases": json.dumps(list(analysis.key_phrases), ensure_ascii=False),
    }
