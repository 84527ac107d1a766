"""``saypro insights train|evaluate|analyze|reanalyze|detect``.

``train [--data FILE] [--output DIR] [--seed N] [--no-supplement]``: rebuild
the sentiment model (needs the ``train`` extra); prints the cross-validated
metrics.
``evaluate FILE.csv --text-column text --label-column rating``: score the
shipped model on labelled reviews; the last line is one JSON object.
``evaluate-themes [FILE.jsonl]``: theme detection against labelled sentences
(the shipped set by default); the last line is one JSON object.
``analyze FILE.csv --text-column text --output OUT.csv``: every column of the
input plus the analysis.
``reanalyze``: analyse every review whose analysis is missing or stale
(resumable: an interrupted run keeps its finished batches).
``detect``: look for rising issues now (the periodic task does it daily).

Exit status 2 when a file cannot be used (the message names the file, the
column or the line); nothing is written then.
"""

import csv
import json
from itertools import islice
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from saypro.core.progress import ProgressStream
from saypro.insights import services
from saypro.insights.analysis import analyze
from saypro.insights.evaluation import THEME_SET, read_theme_set, scores, theme_scores
from saypro.insights.files import (
    OUTPUT_COLUMNS,
    InsightsFileInvalid,
    output_row,
    read_labelled,
    read_rows,
)
from saypro.insights.sentiment import LABELS, MODEL_DIR, default_model

SHARED_DATA = Path(__file__).resolve().parents[5] / "shared" / "data"
TRAINING_FILE = SHARED_DATA / "clothing-reviews-train.csv.gz"
CHUNK = 2000


class Command(BaseCommand):
    help = "Feedback insights: train and evaluate the sentiment model, analyse reviews and files."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        train = actions.add_parser(
            "train",
            help="Rebuild the sentiment model from labelled reviews (needs the train extra).",
            description=(
                "Distil static embeddings from all-MiniLM-L6-v2, train the classifier with "
                "cross-validation and write the model files (docs/insights.md)."
            ),
        )
        train.add_argument("--data", type=Path, default=TRAINING_FILE, metavar="FILE.csv.gz")
        train.add_argument("--output", type=Path, default=MODEL_DIR, metavar="DIR")
        train.add_argument("--seed", type=int, default=13)
        train.add_argument(
            "--no-supplement",
            action="store_true",
            help="Train on the data file alone, without the multi-domain supplement.",
        )

        evaluate = actions.add_parser(
            "evaluate",
            help="Accuracy, macro-F1 and binary accuracy of the model on a labelled CSV file.",
            description=(
                "Labels are star ratings 1–5 (1–2 negative, 3 neutral, 4–5 positive) or the "
                "words negative / neutral / positive. Rows with an empty text are skipped."
            ),
        )
        evaluate.add_argument("file", type=Path, metavar="FILE.csv")
        evaluate.add_argument("--text-column", default="text")
        evaluate.add_argument("--label-column", default="rating")
        evaluate.add_argument("--no-progress", action="store_true")

        themes = actions.add_parser(
            "evaluate-themes",
            help="Micro precision/recall/F1 of theme detection and theme-sentiment accuracy.",
            description="JSON Lines of {text, themes: {slug: sentiment}} (docs/insights.md).",
        )
        themes.add_argument("file", type=Path, nargs="?", default=THEME_SET, metavar="FILE.jsonl")

        analyze_parser = actions.add_parser(
            "analyze",
            help="Analyse every text of a CSV file and write the results to another.",
            description="Writes the input columns plus: " + ", ".join(OUTPUT_COLUMNS) + ".",
        )
        analyze_parser.add_argument("file", type=Path, metavar="FILE.csv")
        analyze_parser.add_argument("--text-column", default="text")
        analyze_parser.add_argument("--output", type=Path, required=True, metavar="OUT.csv")
        analyze_parser.add_argument("--no-progress", action="store_true")

        reanalyze = actions.add_parser(
            "reanalyze", help="Analyse reviews whose analysis is missing or out of date."
        )
        reanalyze.add_argument("--no-progress", action="store_true")

        actions.add_parser("detect", help="Look for rising issues on every product now.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action.replace('-', '_')}")(**options)
        except InsightsFileInvalid as error:
            raise CommandError(str(error), returncode=2) from None

    def _bar(self, options, **kwargs):
        return tqdm(
            file=ProgressStream(self.stderr),
            disable=options.get("no_progress") or options["verbosity"] < 1,
            dynamic_ncols=True,
            **kwargs,
        )

    def _train(self, *, data, output, seed, no_supplement, **options):
        try:
            from saypro.insights.training import SUPPLEMENTS, train
        except ImportError as error:  # pragma: no cover - depends on the install
            raise CommandError(
                f"Training needs the train extra: pip install -e '.[train]' ({error})."
            ) from None
        if not data.is_file():
            raise CommandError(f"{data}: no such file.", returncode=2)
        result = train(
            data,
            output=output,
            seed=seed,
            supplements=() if no_supplement else SUPPLEMENTS,
            progress=self.stdout.write,
        )
        self.stdout.write(
            f"Model {result.version} written to {result.directory} "
            f"({result.size_bytes / 1e6:.1f} MB). Cross-validated on {data.name}:"
        )
        self.stdout.write(json.dumps(result.cross_validated))

    def _evaluate(self, *, file, text_column, label_column, **options):
        texts, labels = read_labelled(file, text_column=text_column, label_column=label_column)
        if not texts:
            raise CommandError(f"{file}: no row has a text to score.", returncode=2)
        model = default_model()
        probabilities = []
        with self._bar(options, total=len(texts), desc="Scoring", unit=" reviews") as bar:
            for first in range(0, len(texts), CHUNK):
                chunk = texts[first : first + CHUNK]
                probabilities.append(model.predict_proba(chunk))
                bar.update(len(chunk))
        result = scores(np.array(labels), np.vstack(probabilities))
        self.stdout.write(f"{'class':<10}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}")
        for label in LABELS:
            row = result["per_class"][label]
            self.stdout.write(
                f"{label:<10}{row['precision']:>10.3f}{row['recall']:>8.3f}"
                f"{row['f1']:>8.3f}{row['support']:>9}"
            )
        self.stdout.write(
            f"accuracy {result['accuracy']:.3f} · macro-F1 {result['macro_f1']:.3f} · "
            f"binary accuracy {result['binary_accuracy']:.3f} · {result['count']} scored "
            f"· model {model.version}"
        )
        self.stdout.write(json.dumps(result))

    def _evaluate_themes(self, *, file, **options):
        try:
            items = read_theme_set(file)
        except (OSError, ValueError) as error:
            raise InsightsFileInvalid(str(error)) from None
        if not items:
            raise CommandError(f"{file}: no labelled sentence to score.", returncode=2)
        analyses = analyze([item["text"] for item in items], with_key_phrases=False)
        result = theme_scores(items, [analysis.themes for analysis in analyses])
        self.stdout.write(f"{'theme':<12}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}")
        for slug, row in result["per_theme"].items():
            self.stdout.write(
                f"{slug:<12}{row['precision']:>10.3f}{row['recall']:>8.3f}"
                f"{row['f1']:>8.3f}{row['support']:>9}"
            )
        self.stdout.write(
            f"micro-F1 {result['micro_f1']:.3f} · theme sentiment accuracy "
            f"{result['theme_sentiment_accuracy']:.3f} · {result['sentences']} sentences"
        )
        self.stdout.write(json.dumps(result))

    def _analyze(self, *, file, text_column, output, **options):
        rows = read_rows(file, required=(text_column,))
        first = next(rows, None)
        if first is None:
            raise CommandError(f"{file}: the file has a header but no rows.", returncode=2)
        columns = list(first[1].keys())
        temporary = output.with_name(output.name + ".part")
        written = 0
        try:
            with (
                temporary.open("w", encoding="utf-8", newline="") as handle,
                self._bar(options, desc="Analysing", unit=" rows") as bar,
            ):
                writer = csv.DictWriter(
                    handle, fieldnames=[*columns, *(c for c in OUTPUT_COLUMNS if c not in columns)]
                )
                writer.writeheader()
                chunk = [first, *islice(rows, CHUNK - 1)]
                while chunk:
                    texts = [(row[text_column] or "").strip() for _, row in chunk]
                    analysed = iter(analyze([text for text in texts if text]))
                    for (_, row), text in zip(chunk, texts, strict=True):
                        writer.writerow({**row, **output_row(next(analysed) if text else None)})
                    written += len(chunk)
                    bar.update(len(chunk))
                    chunk = list(islice(rows, CHUNK))
            temporary.replace(output)
        except OSError as error:  # reading errors are InsightsFileInvalid: this is the output
            raise CommandError(
                f"{output}: cannot write the results ({error.strerror}).", returncode=2
            ) from None
        finally:
            temporary.unlink(missing_ok=True)
        self.stdout.write(f"Analysed {written} rows into {output}.")

    def _reanalyze(self, **options):
        pending = len(services.stale_review_ids())
        with self._bar(options, total=pending, desc="Analysing", unit=" reviews") as bar:
            done = services.analyze_stale(progress=lambda count: bar.update(count - bar.n))
        self.stdout.write(f"Analysed {done} reviews.")

    def _detect(self, **options):
        issues = services.detect_rising_issues()
        self.stdout.write(f"{len(issues)} rising issues open.")
