"""Benchmark ``saypro import catalog`` on a fresh SQLite database; prints one JSON object.

    .venv/bin/python bench/import_catalog.py [--rows 10000] [--stores 100]

Everything happens in a temporary directory (``SAYPRO_VAR_DIR``; no
``DATABASE_URL``, so SQLite): migrate, a small category tree and one owner
per store, a generated CSV, then three imports timed in process through
``call_command``: the first creates everything, the second finds every row
unchanged, the third updates the price and stock of every row. ``seconds``
and ``rows_per_second`` are the first import's; the others are listed too.
"""

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

DEPARTMENTS = {
    "Fashion": ["Shirts", "Dresses", "Shoes", "Bags"],
    "Home & Living": ["Kitchen", "Bedding", "Lighting", "Decor"],
    "Electronics": ["Phones", "Audio", "Computers", "Cameras"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--stores", type=int, default=100)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="saypro-bench-") as directory:
        os.environ["SAYPRO_VAR_DIR"] = directory
        os.environ["DJANGO_SETTINGS_MODULE"] = "saypro.settings"
        for name in ("DATABASE_URL", "REDIS_URL"):
            os.environ.pop(name, None)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        leaves = _categories()
        owners = _owners(options.stores)
        path = Path(directory) / "catalog.csv"

        _write_csv(path, rows=options.rows, leaves=leaves, owners=owners, price_step=0)
        first = _timed_import(call_command, path)
        second = _timed_import(call_command, path)
        _write_csv(path, rows=options.rows, leaves=leaves, owners=owners, price_step=1)
        third = _timed_import(call_command, path)

    print(
        json.dumps(
            {
                "rows": options.rows,
                "stores": options.stores,
                "seconds": round(first, 3),
                "rows_per_second": round(options.rows / first),
                "unchanged_run_seconds": round(second, 3),
                "update_run_seconds": round(third, 3),
                "database": "sqlite",
            }
        )
    )


def _categories() -> list[str]:
    """Create the category tree; return the leaves as "Department > Aisle" paths."""
    from django.utils.text import slugify

    from saypro.catalog.models import Category

    paths = []
    for position, (department, aisles) in enumerate(DEPARTMENTS.items()):
        parent = Category.objects.create(
            name=department, slug=slugify(department), position=position
        )
        Category.objects.bulk_create(
            Category(name=aisle, slug=slugify(aisle), parent=parent, position=index)
            for index, aisle in enumerate(aisles)
        )
        paths.extend(f"{department} > {aisle}" for aisle in aisles)
    return paths


def _owners(count: int) -> list[str]:
    from saypro.accounts.models import User

    emails = [f"owner{number}@bench.saypro.test" for number in range(count)]
    User.objects.bulk_create(User(email=email, password="!") for email in emails)
    return emails


def _write_csv(
    path: Path, *, rows: int, leaves: list[str], owners: list[str], price_step: int
) -> None:
    stores = len(owners)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "store_external_id",
                "store_name",
                "store_description",
                "store_owner_email",
                "product_external_id",
                "title",
                "description",
                "category",
                "price",
                "currency",
                "stock",
                "active",
            ]
        )
        for number in range(rows):
            store = number % stores
            writer.writerow(
                [
                    f"bench-store-{store:04d}",
                    f"Bench Store {store}",
                    f"Store number {store}, for the import benchmark.",
                    owners[store],
                    f"bench-product-{number:06d}",
                    f"Product {number}",
                    f"Product {number}: sturdy, useful, and made to last.",
                    leaves[number % len(leaves)],
                    f"{10 + number % 990 + price_step}.99",
                    "ZAR",
                    str((number * 7 + price_step) % 200),
                    "yes" if number % 25 else "no",
                ]
            )


def _timed_import(call_command, path: Path) -> float:
    started = time.perf_counter()
    call_command("import", "catalog", str(path), "--no-progress", stdout=StringIO())
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
