"""``saypro import catalog|reviews FILE [--strict] [--dry-run] [--no-progress]``.

``catalog FILE.csv``: stores and products (``saypro.catalog.importers``).
``reviews FILE.csv[.gz] [--store SLUG] [--source LABEL]``: reviews written
elsewhere, with what they need (``saypro.reviews.importers``).

Exit status: 0 when every row was accepted, 1 when any row was rejected (or
the same rows changed during the import), 2 when the file cannot be used at all
(missing, not UTF-8, not CSV, bad header; for reviews also an unknown --store
or a malformed --source; nothing is written then).
Rejected rows go to stderr, one reason per line; the summary to stdout.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saypro.catalog.importers import (
    COLUMNS,
    CatalogChanged,
    CatalogFileInvalid,
    ImportReport,
    Tally,
    import_catalog,
    read_catalog_csv,
)
from saypro.core.progress import tqdm_bars
from saypro.insights import services as insights
from saypro.reviews.importers import COLUMNS as REVIEW_COLUMNS
from saypro.reviews.importers import (
    DEFAULT_SOURCE,
    ReviewImportReport,
    ReviewImportTargetInvalid,
    ReviewsChanged,
    ReviewsFileInvalid,
    import_reviews,
    read_reviews_csv,
)


class Command(BaseCommand):
    help = (
        "Import data from a file. `import catalog FILE.csv` imports stores and products; "
        "`import reviews FILE.csv[.gz]` imports reviews written elsewhere."
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        catalog = kinds.add_parser(
            "catalog",
            help="Stores and their products from a CSV file (columns: docs/import.md).",
            description=(
                "Create or update stores and products from a UTF-8 CSV file, matched by "
                "external id. Columns: " + ", ".join(COLUMNS) + ". Rejected rows are listed "
                "with their line numbers; the valid rows are imported unless --strict."
            ),
        )
        catalog.add_argument("file", type=Path, metavar="FILE.csv")
        _add_common_options(catalog)
        reviews = kinds.add_parser(
            "reviews",
            help="Reviews written elsewhere, from a CSV file, plain or gzipped (docs/import.md).",
            description=(
                "Create or update imported reviews from a UTF-8 CSV file (gzip-compressed or "
                "not), matched by review id, with the products, categories, buyers and "
                "orders they need. Columns: " + ", ".join(REVIEW_COLUMNS) + ". Rejected rows "
                "are listed with their line numbers; the valid rows are imported unless --strict."
            ),
        )
        reviews.add_argument("file", type=Path, metavar="FILE.csv[.gz]")
        reviews.add_argument(
            "--store",
            metavar="SLUG",
            help="Put new products in this existing store (default: the “Imported reviews” "
            "store, created on first use).",
        )
        reviews.add_argument(
            "--source",
            metavar="LABEL",
            default=DEFAULT_SOURCE,
            help=f"Where the file comes from; prefixes the external ids (default: "
            f"{DEFAULT_SOURCE}).",
        )
        _add_common_options(reviews)

    def handle(self, *args, kind: str, file: Path, verbosity: int, **options):
        if kind == "reviews":
            self._import_reviews(file=file, verbosity=verbosity, **options)
        else:
            self._import_catalog(file=file, verbosity=verbosity, **options)

    def _import_catalog(self, *, file: Path, verbosity: int, **options) -> None:
        strict, dry_run = options["strict"], options["dry_run"]
        try:
            catalog = read_catalog_csv(file)
        except CatalogFileInvalid as error:
            raise CommandError(error.message, returncode=2) from error
        show_progress = not options["no_progress"] and verbosity > 0 and self.stderr.isatty()
        try:
            report = import_catalog(
                catalog=catalog,
                strict=strict,
                dry_run=dry_run,
                progress=self._bars(show_progress),
            )
        except CatalogChanged as error:
            raise CommandError(error.message, returncode=1) from error

        self._print_errors(report.errors)
        if verbosity > 0:
            self._print_summary(report, file=file, strict=strict, dry_run=dry_run)
        _fail_on_rejections(report.rejected_rows, strict=strict, dry_run=dry_run)

    def _import_reviews(self, *, file: Path, verbosity: int, **options) -> None:
        strict, dry_run = options["strict"], options["dry_run"]
        try:
            reviews = read_reviews_csv(file)
        except ReviewsFileInvalid as error:
            raise CommandError(error.message, returncode=2) from error
        show_progress = not options["no_progress"] and verbosity > 0 and self.stderr.isatty()
        try:
            report = import_reviews(
                reviews=reviews,
                store_slug=options["store"],
                source=options["source"],
                strict=strict,
                dry_run=dry_run,
                progress=self._bars(show_progress),
            )
        except ReviewImportTargetInvalid as error:
            raise CommandError(error.message, returncode=2) from error
        except ReviewsChanged as error:
            raise CommandError(error.message, returncode=1) from error
        analysed = 0 if dry_run else self._analyse(enabled=show_progress)

        self._print_errors(report.errors)
        if verbosity > 0:
            self._print_review_summary(
                report, file=file, strict=strict, dry_run=dry_run, analysed=analysed
            )
        _fail_on_rejections(report.rejected_rows, strict=strict, dry_run=dry_run)

    def _analyse(self, *, enabled: bool) -> int:
        """Bring the insights of every new or changed review up to date (committed batches)."""
        with self._bars(enabled)("analysing", len(insights.stale_review_ids())) as bar:
            return insights.analyze_stale(progress=lambda done: bar.update(done - bar.n))

    def _print_errors(self, errors) -> None:
        for error in errors:
            where = f"line {error.line}" + (f", {error.column}" if error.column else "")
            self.stderr.write(f"{where}: {error.message}")

    def _bars(self, enabled: bool):
        return tqdm_bars(self.stderr, enabled=enabled, unit=" rows", width=9, leave=False)

    def _print_summary(
        self, report: ImportReport, *, file: Path, strict: bool, dry_run: bool
    ) -> None:
        accepted = report.rows - report.rejected_rows
        self.stdout.write(
            f"{file}: {_plural(report.rows, 'row')}, {accepted:,} accepted, "
            f"{report.rejected_rows:,} rejected."
        )
        self.stdout.write(f"  stores    {_tally(report.stores)}")
        self.stdout.write(f"  products  {_tally(report.products)}")
        self._print_outcome(
            report,
            strict=strict,
            dry_run=dry_run,
            nothing_to_write="the catalog already matches the file",
        )

    def _print_review_summary(
        self,
        report: ReviewImportReport,
        *,
        file: Path,
        strict: bool,
        dry_run: bool,
        analysed: int,
    ) -> None:
        accepted = report.rows - report.rejected_rows
        self.stdout.write(
            f"{file}: {_plural(report.rows, 'row')}, {accepted:,} accepted, "
            f"{report.rejected_rows:,} rejected."
        )
        self.stdout.write(
            f"  reviews     {_tally(report.reviews)}; {report.held:,} held for moderation"
        )
        store = f"“{report.store}”" + (" (created)" if report.store_created else "")
        self.stdout.write(f"  products    {report.products_created:,} created in {store}")
        self.stdout.write(f"  categories  {report.categories_created:,} created")
        self.stdout.write(
            f"  buyers      {report.buyers_created:,} created, with "
            f"{_plural(report.orders_created, 'delivered order')}"
        )
        self.stdout.write(f"  insights    {_plural(analysed, 'review')} analysed")
        self._print_outcome(
            report,
            strict=strict,
            dry_run=dry_run,
            nothing_to_write="every review is already as in the file",
        )

    def _print_outcome(self, report, *, strict: bool, dry_run: bool, nothing_to_write: str) -> None:
        if dry_run:
            self.stdout.write(
                "Dry run: nothing was written; the counts say what an import would do."
            )
        elif strict and report.rejected_rows:
            self.stdout.write("Nothing was written: --strict and some rows were rejected.")
        elif report.written:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write(f"Nothing to write: {nothing_to_write}.")


def _add_common_options(parser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        help="Write nothing if any row is rejected.",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Check every row and report what would change; write nothing.",
    )
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="No progress bar (there is none either when stderr is not a terminal).",
    )


def _fail_on_rejections(rejected_rows: int, *, strict: bool, dry_run: bool) -> None:
    if not rejected_rows:
        return
    rows = _plural(rejected_rows, "row")
    if dry_run:
        outcome = "would be rejected; nothing was written (--dry-run)"
    elif strict:
        outcome = "rejected; nothing was written (--strict)"
    else:
        outcome = "rejected; the other rows were imported"
    raise CommandError(f"{rows} {outcome}.", returncode=1)


def _tally(tally: Tally) -> str:
    return (
        f"{tally.created:,} created, {tally.updated:,} updated, "
        f"{tally.unchanged:,} unchanged, {tally.rejected:,} rejected"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")
