"""``saypro coach evaluate [FILE.jsonl] [--half first|second] [--mistakes] [--no-progress]``.

Prints a per-guideline table, then, as its last line, one JSON object:
``{"empathy": {"precision": …, "recall": …, "f1": …, "support": …, "failing": {…}}, …,
"pairs": N}``.
Exit status 2 when the file cannot be used (the message names the line).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from saypro.coaching.evaluation import (
    LABELLED,
    SHIPPED_SET,
    EvaluationFileInvalid,
    evaluate,
    halves,
    read_pairs,
)
from saypro.core.progress import ProgressStream


class Command(BaseCommand):
    help = "The response coach. `coach evaluate [FILE.jsonl]` measures it on labelled answers."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        evaluate_parser = actions.add_parser(
            "evaluate",
            help="Precision, recall and F1 per guideline on labelled (review, answer) pairs.",
            description=(
                "Coach every answer in a JSON Lines file of labelled pairs (format: "
                "docs/coaching.md) and compare the verdicts with the labels. Without FILE, "
                "the evaluation set shipped with the coach."
            ),
        )
        evaluate_parser.add_argument(
            "file", type=Path, nargs="?", default=SHIPPED_SET, metavar="FILE.jsonl"
        )
        evaluate_parser.add_argument(
            "--half",
            choices=("first", "second"),
            help="Only the first (development) or second (held-out) half of the file.",
        )
        evaluate_parser.add_argument(
            "--mistakes", action="store_true", help="List every disagreement with the labels."
        )
        evaluate_parser.add_argument(
            "--no-progress",
            action="store_true",
            help="No progress bar (there is none either when stderr is not a terminal).",
        )

    def handle(self, *args, action: str, file: Path, half: str | None, verbosity: int, **options):
        try:
            pairs = read_pairs(file)
        except EvaluationFileInvalid as error:
            raise CommandError(
                f"{file}: {error.message}" if error.line else error.message, returncode=2
            ) from error
        if half:
            pairs = halves(pairs)[0 if half == "first" else 1]
        show_progress = not options["no_progress"] and verbosity > 0 and self.stderr.isatty()
        with tqdm(
            total=len(pairs),
            unit=" pairs",
            file=ProgressStream(self.stderr),
            disable=not show_progress,
            leave=False,
            dynamic_ncols=True,
        ) as bar:
            evaluation = evaluate(pairs, progress=bar.update)

        result = evaluation.as_dict()
        if options["mistakes"]:
            for mistake in evaluation.mistakes:
                expected = "meets" if mistake.label else "violates"
                self.stdout.write(
                    f"line {mistake.line} {mistake.guideline}: labelled {expected}, coach says "
                    f"{mistake.verdict} ({mistake.reason})\n    {mistake.answer}"
                )
        if verbosity > 0:
            scope = f" ({half} half)" if half else ""
            self.stdout.write(f"{evaluation.pairs} pairs from {file}{scope}")
            self.stdout.write(
                f"{'guideline':<18} {'support':>7} {'precision':>9} {'recall':>7} {'F1':>6}   "
                f"{'F1 failing':>10}"
            )
            for key in LABELLED:
                row = result[key]
                self.stdout.write(
                    f"{key:<18} {row['support']:>7} {row['precision']:>9.3f} {row['recall']:>7.3f} "
                    f"{row['f1']:>6.3f}   {row['failing']['f1']:>10.3f}"
                )
        self.stdout.write(json.dumps(result))
