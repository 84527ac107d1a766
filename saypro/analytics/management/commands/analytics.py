"""``saypro analytics rebuild [--from DATE] [--restart] [--no-progress]``: the KPI rollups.

Recomputes every store-day (and the category and marketplace days) from raw
rows, one marketplace-local day at a time, with a progress bar. Interrupted,
it continues after the last finished day next time; ``--restart`` starts over.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from saypro.analytics import rollups
from saypro.core.progress import no_progress, tqdm_bars


class Command(BaseCommand):
    help = "KPI rollups. `analytics rebuild` recomputes them from raw data (resumable)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rebuild = actions.add_parser(
            "rebuild",
            help="Recompute the KPI rollups from raw data, day by day (resumable).",
            description=(
                "Recompute the per-store, per-category and marketplace day rollups from the "
                "raw messages, waits, conversations, reviews, answers, orders and plans. "
                "Continues an interrupted rebuild unless --restart or another --from is given."
            ),
        )
        rebuild.add_argument(
            "--from",
            dest="from_day",
            type=date.fromisoformat,
            metavar="DATE",
            help="First local day to rebuild (YYYY-MM-DD); default: the earliest raw row.",
        )
        rebuild.add_argument(
            "--restart", action="store_true", help="Start over instead of resuming."
        )
        rebuild.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, action: str, verbosity: int, **options):
        if action != "rebuild":
            raise CommandError(f"Unknown action {action!r}.")
        progress = (
            no_progress
            if options["no_progress"]
            else tqdm_bars(self.stderr, enabled=verbosity >= 1, unit=" days")
        )
        state = rollups.rebuild(
            from_day=options["from_day"], restart=options["restart"], progress=progress
        )
        if state is None:
            self.stdout.write("Nothing to roll up: there are no messages, reviews or plans yet.")
            return
        self.stdout.write(
            f"KPI rollups rebuilt from {state.from_day} to {state.last_finished_day}."
        )
