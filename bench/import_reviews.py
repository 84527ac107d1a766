"""Benchmark ``saypro import reviews`` on the real data set; prints one JSON object.

    .venv/bin/python bench/import_reviews.py [--file PATH] [--database-url URL]

Everything happens in a temporary directory (``SAYPRO_VAR_DIR``): migrate a
fresh database, then import the file twice, timed in process through
``call_command``: the first import creates everything, the second finds every
review unchanged. ``seconds`` and ``rows_per_second`` are the first import's.

Without ``--database-url`` the database is SQLite in the temporary directory.
With ``--database-url postgres://postgres@127.0.0.1:5432/NAME`` it is that
PostgreSQL database, which must exist and be empty (``createdb NAME``).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

DATA_FILE = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "clothing-reviews-train.csv.gz"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DATA_FILE)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="saypro-bench-") as directory:
        os.environ["SAYPRO_VAR_DIR"] = directory
        os.environ["DJANGO_SETTINGS_MODULE"] = "saypro.settings"
        os.environ.pop("REDIS_URL", None)
        if options.database_url:
            os.environ["DATABASE_URL"] = options.database_url
        else:
            os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from saypro.reviews.importers import read_reviews_csv
        from saypro.reviews.models import Review

        call_command("migrate", verbosity=0)
        rows = len(read_reviews_csv(options.file).rows)
        first = _timed_import(call_command, options.file)
        created = Review.objects.count()
        second = _timed_import(call_command, options.file)
        database = connection.vendor

    print(
        json.dumps(
            {
                "rows": rows,
                "reviews_created": created,
                "seconds": round(first, 3),
                "rows_per_second": round(rows / first),
                "unchanged_run_seconds": round(second, 3),
                "database": database,
            }
        )
    )


def _timed_import(call_command, path: Path) -> float:
    """Seconds for one import; rejected rows (the file has some) are expected."""
    from django.core.management import CommandError

    started = time.perf_counter()
    try:
        call_command(
            "import", "reviews", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO()
        )
    except CommandError as error:
        if error.returncode != 1:
            raise
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
