"""``saypro import catalog``: ``saypro.catalog.importers`` and the ``import`` command."""

import csv
import sys
import uuid
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.__main__ import main
from saypro.accounts.tests.factories import UserFactory
from saypro.catalog import importers
from saypro.catalog.models import Product, Store, StoreMembership
from saypro.catalog.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    ProductFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

FULL_HEADER = list(importers.COLUMNS)


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def rejections(self) -> list[str]:
        """The stderr lines that report a rejected row."""
        return [line for line in self.stderr.splitlines() if line.startswith("line ")]


def run_import(*args: str) -> Outcome:
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command("import", "catalog", *map(str, args), stdout=stdout, stderr=stderr)
    except CommandError as error:
        stderr.write(f"CommandError: {error}\n")
        return Outcome(error.returncode, stdout.getvalue(), stderr.getvalue())
    return Outcome(0, stdout.getvalue(), stderr.getvalue())


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or FULL_HEADER
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def catalog_state() -> dict:
    """Every store, membership and product, as plain values, to compare before and after."""
    return {
        "stores": list(
            Store.objects.order_by("pk").values_list("external_id", "name", "slug", "description")
        ),
        "memberships": list(
            StoreMembership.objects.order_by("pk").values_list("store", "user", "role")
        ),
        "products": list(
            Product.objects.order_by("pk").values_list(
                "external_id", "store", "title", "description", "category", "price", "currency",
                "stock", "is_active", "updated_at",
            )
        ),
    }  # fmt: skip


@pytest.fixture
def categories(db):
    fashion = CategoryFactory(name="Fashion", slug="fashion")
    home = CategoryFactory(name="Home & Living", slug="home-living")
    return {
        "fashion": fashion,
        "shirts": CategoryFactory(name="Shirts", slug="shirts", parent=fashion),
        "shoes": CategoryFactory(name="Shoes", slug="shoes", parent=fashion),
        "kitchen": CategoryFactory(name="Kitchen", slug="kitchen", parent=home),
    }


@pytest.fixture
def owner(db):
    return UserFactory(email="naledi@example.test")


def row(**values) -> dict:
    """A valid row of store ``karoo`` (owned by naledi@example.test); ``values`` override."""
    base = {
        "store_external_id": "karoo",
        "store_name": "Karoo Leather Works",
        "store_slug": "",
        "store_description": "Belts and bags from Graaff-Reinet.",
        "store_owner_email": "naledi@example.test",
        "product_external_id": "karoo-belt",
        "title": "Full-grain leather belt",
        "description": "Hand-stitched.",
        "category": "Fashion > Shirts",
        "price": "450",
        "currency": "ZAR",
        "stock": "12",
        "active": "yes",
    }
    return base | values


def karoo_rows() -> list[dict]:
    return [
        row(),
        row(
            product_external_id="karoo-bag",
            title="Saddle bag",
            description="",
            category="shoes",
            price="1299.99",
            currency="",
            stock="0",
            active="no",
        ),
        row(
            store_external_id="bay",
            store_name="Table Bay Outfitters",
            store_slug="table-bay",
            store_description="",
            store_owner_email="",
            product_external_id="bay-mug",
            title="Enamel mug",
            description="",
            category="home & living › kitchen",
            price="89.5",
            currency="usd",
            stock="200",
            active="",
        ),
    ]


# --- Happy path --------------------------------------------------------------------------


def test_import_creates_stores_products_and_owner(tmp_path, categories, owner):
    path = write_csv(tmp_path / "catalog.csv", karoo_rows())

    outcome = run_import(path)

    assert outcome == Outcome(
        0,
        f"{path}: 3 rows, 3 accepted, 0 rejected.\n"
        "  stores    2 created, 0 updated, 0 unchanged, 0 rejected\n"
        "  products  3 created, 0 updated, 0 unchanged, 0 rejected\n"
        "Imported.\n",
        "",
    )
    karoo = Store.objects.get(external_id="karoo")
    assert (karoo.name, karoo.slug, karoo.description) == (
        "Karoo Leather Works",
        "karoo-leather-works",
        "Belts and bags from Graaff-Reinet.",
    )
    bay = Store.objects.get(external_id="bay")
    assert (bay.name, bay.slug, bay.description) == ("Table Bay Outfitters", "table-bay", "")
    assert list(StoreMembership.objects.values_list("store__external_id", "user", "role")) == [
        ("karoo", owner.pk, "owner")
    ]
    assert sorted(
        Product.objects.values_list(
            "external_id", "store__external_id", "title", "description", "category",
            "price", "currency", "stock", "is_active",
        )
    ) == [
        ("bay-mug", "bay", "Enamel mug", "", categories["kitchen"].pk,
         Decimal("89.50"), "USD", 200, True),
        ("karoo-bag", "karoo", "Saddle bag", "", categories["shoes"].pk,
         Decimal("1299.99"), "ZAR", 0, False),
        ("karoo-belt", "karoo", "Full-grain leather belt", "Hand-stitched.",
         categories["shirts"].pk, Decimal("450.00"), "ZAR", 12, True),
    ]  # fmt: skip


def test_generated_slug_avoids_existing_slugs(tmp_path, categories, owner):
    StoreFactory(name="Karoo Leather", slug="karoo-leather-works")

    assert run_import(write_csv(tmp_path / "c.csv", [row()])).code == 0

    assert Store.objects.get(external_id="karoo").slug == "karoo-leather-works-2"


def test_header_may_use_any_order_case_and_a_byte_order_mark(tmp_path, categories, owner):
    path = tmp_path / "c.csv"
    path.write_text(
        " Title ,PRICE,stock,category,product_external_id,store_name,store_external_id\n"
        "Belt,10,1,shirts,p1,Karoo,karoo\n",
        encoding="utf-8-sig",
    )

    outcome = run_import(path)

    assert outcome.code == 0, outcome.stderr
    product = Product.objects.get(external_id="p1")
    assert (product.title, product.store.name, product.currency, product.is_active) == (
        "Belt",
        "Karoo",
        "ZAR",
        True,
    )
    assert not StoreMembership.objects.exists()


def test_header_only_file_imports_nothing_and_succeeds(tmp_path, categories):
    outcome = run_import(write_csv(tmp_path / "c.csv", []))

    assert outcome.code == 0
    assert "0 rows, 0 accepted, 0 rejected." in outcome.stdout
    assert "Nothing to write" in outcome.stdout


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(tmp_path, categories, owner):
    path = tmp_path / "c.csv"
    lines = [
        ",".join(FULL_HEADER),
        "",
        ",,,,,,,,,,,,",
        'karoo,Karoo,,,,p1,Belt,"two\nlines",shirts,10,,1,',
        "karoo,Karoo,,,,p2,Bag,,shirts,oops,,1,",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    outcome = run_import(path)

    assert outcome.rejections == ["line 6, price: Price must be a number."]
    assert Product.objects.get(external_id="p1").description == "two\nlines"
    assert "2 rows, 1 accepted, 1 rejected." in outcome.stdout


def test_verbosity_zero_prints_no_summary(tmp_path, categories, owner):
    stdout, stderr = StringIO(), StringIO()
    path = write_csv(tmp_path / "c.csv", [row()])

    call_command("import", "catalog", str(path), verbosity=0, stdout=stdout, stderr=stderr)

    assert (stdout.getvalue(), stderr.getvalue()) == ("", "")
    assert Product.objects.count() == 1


# --- Idempotency ------------------------------------------------------------------------------


def test_second_run_finds_everything_unchanged(tmp_path, categories, owner):
    path = write_csv(tmp_path / "c.csv", karoo_rows())
    assert run_import(path).code == 0
    before = catalog_state()

    outcome = run_import(path)

    assert outcome == Outcome(
        0,
        f"{path}: 3 rows, 3 accepted, 0 rejected.\n"
        "  stores    0 created, 0 updated, 2 unchanged, 0 rejected\n"
        "  products  0 created, 0 updated, 3 unchanged, 0 rejected\n"
        "Nothing to write: the catalog already matches the file.\n",
        "",
    )
    assert catalog_state() == before


def test_changed_rows_are_updated_and_the_rest_left_alone(tmp_path, categories, owner):
    rows = karoo_rows()
    assert run_import(write_csv(tmp_path / "c.csv", rows)).code == 0
    before = {p.external_id: p for p in Product.objects.all()}
    rows[1] |= {"title": "Saddle bag, brown", "price": "1199", "stock": "3", "active": "yes"}
    rows[2] |= {"store_description": "Enamel and canvas.", "category": "kitchen"}

    outcome = run_import(write_csv(tmp_path / "c.csv", rows))

    assert outcome.code == 0
    assert "  stores    0 created, 1 updated, 1 unchanged, 0 rejected\n" in outcome.stdout
    assert "  products  0 created, 1 updated, 2 unchanged, 0 rejected\n" in outcome.stdout
    bag = Product.objects.get(external_id="karoo-bag")
    assert (bag.title, bag.price, bag.stock, bag.is_active) == (
        "Saddle bag, brown",
        Decimal("1199.00"),
        3,
        True,
    )
    assert bag.updated_at > before["karoo-bag"].updated_at
    assert Product.objects.get(external_id="karoo-belt").updated_at == (
        before["karoo-belt"].updated_at
    )
    assert Store.objects.get(external_id="bay").description == "Enamel and canvas."


def test_updates_an_existing_product_and_store_matched_by_external_id(tmp_path, categories):
    store = StoreFactory(external_id="karoo", name="Karoo Old Name", slug="karoo-old")
    product = ProductFactory(
        store=store, external_id="karoo-belt", description="Old text", currency="USD"
    )
    columns = [c for c in FULL_HEADER if c not in ("description", "active", "store_slug")]

    outcome = run_import(
        write_csv(tmp_path / "c.csv", [row(currency="", store_owner_email="")], columns)
    )

    assert outcome.code == 0, outcome.stderr
    product.refresh_from_db()
    store.refresh_from_db()
    # Absent columns and a blank currency keep what the product had; the store keeps its slug.
    assert (product.title, product.description, product.currency, product.is_active) == (
        "Full-grain leather belt",
        "Old text",
        "USD",
        True,
    )
    assert (store.name, store.slug) == ("Karoo Leather Works", "karoo-old")
    assert "  stores    0 created, 1 updated, 0 unchanged, 0 rejected\n" in outcome.stdout


def test_owner_email_makes_an_agent_an_owner_and_leaves_other_members(tmp_path, categories):
    store = StoreFactory(external_id="karoo", name="Karoo Leather Works")
    agent = MembershipFactory(store=store, user__email="naledi@example.test", role="agent")
    other = MembershipFactory(store=store, user__email="sipho@example.test", role="owner")
    path = write_csv(tmp_path / "c.csv", [row()])

    first = run_import(path)
    second = run_import(path)

    assert "  stores    0 created, 1 updated, 0 unchanged, 0 rejected\n" in first.stdout
    assert "  stores    0 created, 0 updated, 1 unchanged, 0 rejected\n" in second.stdout
    assert sorted(store.memberships.values_list("pk", "role")) == [
        (agent.pk, "owner"),
        (other.pk, "owner"),
    ]


# --- Rejections -----------------------------------------------------------------------------

REJECTIONS = [
    ("store_external_id", "", "Store external id is required."),
    ("store_external_id", "x" * 65, "Store external id must be at most 64 characters."),
    ("store_name", " ", "Store name is required."),
    ("store_name", "x" * 121, "Store name must be at most 120 characters."),
    ("store_name", "cape linen co", "A store called “cape linen co” already exists."),
    (
        "store_slug",
        "karoo leather",
        "Store slug “karoo leather” may contain only letters, digits, hyphens and underscores.",
    ),
    ("store_slug", "x" * 141, "Store slug must be at most 140 characters."),
    ("store_slug", "cape-linen-co", "Another store already has the slug “cape-linen-co”."),
    (
        "store_description",
        "x" * 5001,
        "Store description must be at most 5000 characters.",
    ),
    (
        "store_owner_email",
        "nobody@example.test",
        "No user has the email “nobody@example.test”; a store's owner must already have an "
        "account.",
    ),
    (
        "store_owner_email",
        "gone@example.test",
        "gone@example.test is inactive and cannot own a store.",
    ),
    ("product_external_id", "", "Product external id is required."),
    ("product_external_id", "x" * 65, "Product external id must be at most 64 characters."),
    (
        "store_external_id",
        "moved-to",
        "Product “linen-shirt” belongs to the store “Cape Linen Co”; an import does not move "
        "products between stores.",
    ),
    ("title", "", "Title is required."),
    ("title", "x" * 161, "Title must be at most 160 characters."),
    ("description", "x" * 5001, "Description must be at most 5000 characters."),
    ("category", "", "Category is required."),
    (
        "category",
        "Fashion > Hats",
        "No category “Fashion > Hats”: give a category's slug or its path of names, such as "
        "“Fashion > Shirts”.",
    ),
    ("category", "Fashion", "The category “Fashion” has sub-categories; choose one of them."),
    ("price", "", "Price is required."),
    ("price", "R450", "Price must be a number."),
    ("price", "NaN", "Price must be a number."),
    ("price", "0", "Price must be between 0.01 and 1,000,000."),
    ("price", "-5", "Price must be between 0.01 and 1,000,000."),
    ("price", "1000000.01", "Price must be between 0.01 and 1,000,000."),
    ("currency", "RAND", "Currency must be a three-letter ISO code such as ZAR."),
    ("currency", "R$1", "Currency must be a three-letter ISO code such as ZAR."),
    ("stock", "", "Stock is required."),
    ("stock", "1.5", "Stock must be a whole number from 0 to 1,000,000."),
    ("stock", "-1", "Stock must be a whole number from 0 to 1,000,000."),
    ("stock", "1000001", "Stock must be a whole number from 0 to 1,000,000."),
    ("stock", "9" * 40, "Stock must be a whole number from 0 to 1,000,000."),
    ("active", "maybe", "Active must be yes or no (true/false and 1/0 also work)."),
]  # fmt: skip


@pytest.mark.parametrize(("column", "value", "message"), REJECTIONS)
def test_each_rejection_reason_names_the_line_and_column(
    tmp_path, categories, owner, product, column, value, message
):
    """Line 2 is valid; line 3, of another store, breaks one rule.

    The product ``linen-shirt`` of the store “Cape Linen Co” (slug ``cape-linen-co``)
    exists already; line 3 names it only to try moving it to another store.
    """
    product.external_id = "linen-shirt"
    product.save()
    UserFactory(email="gone@example.test", is_active=False)
    bad = row(
        store_external_id="second-store",
        store_name="Second Store",
        product_external_id="linen-shirt" if value == "moved-to" else "karoo-wallet",
    )
    bad[column] = value
    before = catalog_state()
    path = write_csv(tmp_path / "c.csv", [row(), bad])

    outcome = run_import(path)

    assert outcome.code == 1
    assert outcome.rejections == [f"line 3, {column}: {message}"]
    assert outcome.stderr.endswith("CommandError: 1 row rejected; the other rows were imported.\n")
    assert "2 rows, 1 accepted, 1 rejected." in outcome.stdout
    # The valid row went in; nothing of the rejected row did, and nothing else changed.
    after = catalog_state()
    karoo = Store.objects.get(external_id="karoo")
    assert after["stores"] == [
        *before["stores"],
        ("karoo", karoo.name, karoo.slug, karoo.description),
    ]
    assert after["products"][:-1] == before["products"]
    assert after["products"][-1][0] == "karoo-belt"


def test_rows_that_disagree_with_other_rows_of_the_file(tmp_path, categories, owner):
    rows = [
        row(),  # line 2
        row(product_external_id="karoo-belt", title="Again"),  # 3: product already on line 2
        row(product_external_id="p3", store_name="Karoo Works"),  # 4: store details differ
        row(product_external_id="p4", store_owner_email=""),  # 5: owner differs
        row(store_external_id="copy", product_external_id="p5"),  # 6: name used by karoo
        row(
            store_external_id="slugged",
            store_name="Slugged",
            store_slug="one",
            product_external_id="p6",
        ),  # 7: fine
        row(
            store_external_id="slugged-2",
            store_name="Slugged 2",
            store_slug="one",
            product_external_id="p7",
        ),  # 8: slug used by slugged
    ]
    path = write_csv(tmp_path / "c.csv", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("karoo,Karoo Leather Works,too,few\n")  # 9

    outcome = run_import(path)

    differs = "every row of a store must give the same store details."
    assert outcome.rejections == [
        "line 3, product_external_id: Product “karoo-belt” is already on line 2; "
        "give each product one row.",
        f"line 4, store_name: Differs from line 2 for store “karoo”; {differs}",
        f"line 5, store_owner_email: Differs from line 2 for store “karoo”; {differs}",
        "line 6, store_name: Store “karoo” on line 2 already uses the name “Karoo Leather Works”.",
        "line 8, store_slug: Store “slugged” on line 7 already uses the slug “one”.",
        "line 9: The row has 4 values but the header has 13 columns; quote values that "
        "contain commas.",
    ]
    assert outcome.code == 1
    assert "  stores    2 created, 0 updated, 0 unchanged, 2 rejected\n" in outcome.stdout
    assert "  products  2 created, 0 updated, 0 unchanged, 6 rejected\n" in outcome.stdout
    assert sorted(Product.objects.values_list("external_id", flat=True)) == ["karoo-belt", "p6"]


def test_every_reason_of_every_rejected_row_is_reported(tmp_path, categories, owner):
    rows = [
        row(price="free", stock="lots", active="sometimes"),
        row(product_external_id="p2"),
        row(product_external_id="p3", title="", category="Hats", currency="EURO"),
    ]

    outcome = run_import(write_csv(tmp_path / "c.csv", rows))

    assert outcome.rejections == [
        "line 2, price: Price must be a number.",
        "line 2, stock: Stock must be a whole number from 0 to 1,000,000.",
        "line 2, active: Active must be yes or no (true/false and 1/0 also work).",
        "line 4, title: Title is required.",
        "line 4, category: No category “Hats”: give a category's slug or its path of names, "
        "such as “Fashion > Shirts”.",
        "line 4, currency: Currency must be a three-letter ISO code such as ZAR.",
    ]
    assert outcome.stderr.endswith("CommandError: 2 rows rejected; the other rows were imported.\n")
    assert list(Product.objects.values_list("external_id", flat=True)) == ["p2"]


def test_store_whose_rows_are_all_rejected_is_not_created(tmp_path, categories, owner):
    rows = [row(price="x"), row(product_external_id="p2", stock="-3")]

    outcome = run_import(write_csv(tmp_path / "c.csv", rows))

    assert outcome.code == 1
    assert "  stores    0 created, 0 updated, 0 unchanged, 1 rejected\n" in outcome.stdout
    assert not Store.objects.exists()
    assert not StoreMembership.objects.exists()


# --- --strict and --dry-run -----------------------------------------------------------------


def test_strict_writes_nothing_when_any_row_is_rejected(tmp_path, categories, owner, product):
    rows = [*karoo_rows(), row(product_external_id="p9", price="0")]
    before = catalog_state()

    outcome = run_import(write_csv(tmp_path / "c.csv", rows), "--strict")

    assert outcome.code == 1
    assert outcome.rejections == ["line 5, price: Price must be between 0.01 and 1,000,000."]
    assert "Nothing was written: --strict and some rows were rejected." in outcome.stdout
    assert outcome.stderr.endswith(
        "CommandError: 1 row rejected; nothing was written (--strict).\n"
    )
    assert catalog_state() == before


def test_strict_imports_a_file_without_rejections(tmp_path, categories, owner):
    outcome = run_import(write_csv(tmp_path / "c.csv", karoo_rows()), "--strict")

    assert outcome.code == 0
    assert Product.objects.count() == 3


@pytest.mark.parametrize("extra_rows", [[], [row(product_external_id="p9", title="")]])
def test_dry_run_reports_and_writes_nothing(tmp_path, categories, owner, product, extra_rows):
    before = catalog_state()

    outcome = run_import(write_csv(tmp_path / "c.csv", karoo_rows() + extra_rows), "--dry-run")

    assert catalog_state() == before
    assert "  stores    2 created, 0 updated, 0 unchanged, 0 rejected\n" in outcome.stdout
    assert "Dry run: nothing was written" in outcome.stdout
    if extra_rows:
        assert outcome.code == 1
        assert outcome.rejections == ["line 5, title: Title is required."]
        assert outcome.stderr.endswith(
            "CommandError: 1 row would be rejected; nothing was written (--dry-run).\n"
        )
    else:
        assert outcome == Outcome(0, outcome.stdout, "")


def test_a_failed_write_rolls_back_everything(tmp_path, categories, owner, monkeypatch):
    def conflicting_bulk_create(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: catalog_product.external_id")

    monkeypatch.setattr(Product.objects, "bulk_create", conflicting_bulk_create)

    outcome = run_import(write_csv(tmp_path / "c.csv", karoo_rows()))

    assert outcome.code == 1
    assert "The catalog changed while the file was being imported" in outcome.stderr
    assert not Store.objects.exists()
    assert not StoreMembership.objects.exists()


# --- Files that cannot be imported ------------------------------------------------------------


def header_file(tmp_path, header: str) -> Path:
    path = tmp_path / "c.csv"
    path.write_text(header + "\nkaroo,Karoo,p1,Belt,shirts,10,1\n", encoding="utf-8")
    return path


DIRECTORY = object()
REQUIRED_HEADER = b"store_external_id,store_name,product_external_id,title,category,price,stock"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "{path}: no such file."),
        (DIRECTORY, "{path}: cannot be read (Is a directory)."),
        (
            b"title\n\xe9t\xe9\n",
            "{path}: not UTF-8 text (byte 7 cannot be decoded). Save the file as “CSV UTF-8”.",
        ),
        (b"PK\x03\x04\x00\x00", "{path}: not a CSV file (it contains NUL bytes)."),
        (
            b"",
            "{path}: the first line must be the header, e.g. store_external_id,store_name,"
            "product_external_id,title,category,price,stock.",
        ),
        (
            REQUIRED_HEADER + b'\nkaroo,"Karoo,p2,Belt,shirts,10,1\n',
            "{path}, line 2: not valid CSV (unexpected end of data).",
        ),
    ],
    ids=["missing", "directory", "not-utf8", "binary", "empty", "unterminated-quote"],
)
def test_unusable_file_exits_2_and_writes_nothing(tmp_path, categories, content, message):
    path = tmp_path / "c.csv"
    if content is DIRECTORY:
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)

    outcome = run_import(path)

    assert outcome == Outcome(2, "", f"CommandError: {message.format(path=path)}\n")
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("header", "problems"),
    [
        (
            "store_external_id,store_name,product_external_id,title,category,price,stock,colour",
            "unknown columns: colour",
        ),
        (
            "store_external_id,product_external_id,title,category,price",
            "missing required columns: store_name, stock",
        ),
        (
            "store_external_id,store_name,product_external_id,title,category,price,stock,title,",
            "unknown columns: (blank); repeated columns: title",
        ),
    ],
    ids=["unknown", "missing", "repeated-and-blank"],
)
def test_bad_header_exits_2_and_writes_nothing(tmp_path, categories, owner, header, problems):
    path = header_file(tmp_path, header)

    outcome = run_import(path)

    assert outcome == Outcome(
        2,
        "",
        f"CommandError: {path}: the header has {problems}. Required columns: "
        "store_external_id, store_name, product_external_id, title, category, price, stock; "
        "optional: store_slug, store_description, store_owner_email, description, currency, "
        "active (see docs/import.md).\n",
    )
    assert not Store.objects.exists()


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["missing.csv"], 2),
        (["good.csv"], None),
        (["bad.csv"], 1),
        (["bad.csv", "--strict"], 1),
    ],
)
def test_console_script_exit_status(tmp_path, categories, owner, monkeypatch, capsys, argv, code):
    write_csv(tmp_path / "good.csv", [row()])
    write_csv(tmp_path / "bad.csv", [row(price="")])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["saypro", "import", "catalog", *argv, "--no-progress"])

    if code is None:
        main()
    else:
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code == code
    assert capsys.readouterr().err.count("CommandError") == (1 if code else 0)


# --- Progress and speed ---------------------------------------------------------------------


class TerminalStream(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("options", "shown"), [((), True), (("--no-progress",), False)])
def test_progress_bar_only_on_a_terminal(tmp_path, categories, owner, options, shown):
    stderr = TerminalStream()
    path = write_csv(tmp_path / "c.csv", karoo_rows())

    call_command("import", "catalog", str(path), *options, stdout=StringIO(), stderr=stderr)

    assert ("Checking" in stderr.getvalue()) is shown


def test_query_count_does_not_grow_with_the_rows(tmp_path, categories, owner):
    def queries_for(count: int, prefix: str) -> int:
        rows = [
            row(
                store_external_id=f"{prefix}-{n % 3}",
                store_name=f"{prefix} store {n % 3}",
                product_external_id=f"{prefix}-{n}",
            )
            for n in range(count)
        ]
        path = write_csv(tmp_path / f"{prefix}.csv", rows)
        with CaptureQueriesContext(connection) as queries:
            assert run_import(path).code == 0
        return len(queries)

    # Up to 80 rows, bulk_create fits all products into one INSERT on SQLite (999 parameters).
    # Two of the queries are the analytics' active sellers of the new owners (signals).
    assert queries_for(10, "small") == queries_for(80, "large") == 12


# --- Property: a rejected row never writes ----------------------------------------------------

BROKEN_VALUES = {
    "price": ["", "abc", "0", "-1", "Infinity", "1e9"],
    "stock": ["", "-1", "2.5", "many"],
    "title": ["", " " * 3, "t" * 161],
    "category": ["", "Fashion", "Nowhere > Else"],
    "currency": ["RANDS", "R1", "€€€"],
    "active": ["perhaps", "2"],
}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    breakages=st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(list(BROKEN_VALUES)).flatmap(
                lambda column: st.tuples(st.just(column), st.sampled_from(BROKEN_VALUES[column]))
            ),
        ),
        min_size=1,
        max_size=8,
    ),
    strict=st.booleans(),
)
def test_rejected_rows_never_write(tmp_path, categories, owner, breakages, strict):
    rows, expected = [], set()
    for number, breakage in enumerate(breakages):
        values = row(product_external_id=f"p{number}", title=f"Product {number}")
        if breakage is None:
            expected.add(f"p{number}")
        else:
            column, value = breakage
            values[column] = value
        rows.append(values)
    rejected = len(rows) - len(expected)
    path = write_csv(tmp_path / f"{uuid.uuid4().hex}.csv", rows)

    with transaction.atomic():
        outcome = run_import(path, *(["--strict"] if strict else []))

        assert outcome.code == (1 if rejected else 0)
        assert {line.split(",")[0] for line in outcome.rejections} == {
            f"line {number + 2}" for number, breakage in enumerate(breakages) if breakage
        }
        written = set(Product.objects.values_list("external_id", flat=True))
        assert written == (set() if strict and rejected else expected)
        assert Store.objects.exists() == bool(written)
        transaction.set_rollback(True)
