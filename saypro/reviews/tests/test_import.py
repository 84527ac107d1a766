"""``saypro import reviews``: ``saypro.reviews.importers`` and the ``import`` command."""

import csv
import gzip
import itertools
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saypro.__main__ import main
from saypro.accounts.models import User
from saypro.catalog.models import Category, Order, OrderItem, Product, Store
from saypro.catalog.tests.factories import CategoryFactory, ProductFactory, StoreFactory
from saypro.core.testing import postgresql_only, run_at_once
from saypro.reviews import importers, services
from saypro.reviews.models import (
    RESPONSE_GOAL,
    ModerationDecision,
    ProductRating,
    Review,
    ReviewRevision,
    StoreRating,
)
from saypro.reviews.tests.factories import DeliveredItemFactory, ReviewFactory

pytestmark = pytest.mark.django_db

DATA_FILE = (
    Path(__file__).resolve().parents[4] / "shared" / "data" / "clothing-reviews-train.csv.gz"
)
HEADER = list(importers.COLUMNS)  # the data set's header, in its order


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def rejections(self) -> list[str]:
        """The stderr lines that report a rejected row."""
        return [line for line in self.stderr.splitlines() if line.startswith("line ")]


def run_import(*args) -> Outcome:
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command("import", "reviews", *map(str, args), stdout=stdout, stderr=stderr)
    except CommandError as error:
        stderr.write(f"CommandError: {error}\n")
        return Outcome(error.returncode, stdout.getvalue(), stderr.getvalue())
    return Outcome(0, stdout.getvalue(), stderr.getvalue())


def row(**values) -> dict:
    """A valid row in the data set's format; ``values`` override."""
    base = {
        "review_id": "1",
        "product_id": "1080",
        "age": "34",
        "title": "Love it",
        "text": "Fits well and the fabric is soft.",
        "rating": "5",
        "recommended": "1",
        "positive_feedback_count": "4",
        "division": "General",
        "department": "Dresses",
        "class_name": "Dresses",
    }
    return base | values


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or HEADER
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for values in rows:
            writer.writerow({column: values.get(column, "") for column in columns})
    return path


def three_rows() -> list[dict]:
    return [
        row(),
        row(
            review_id="2",
            product_id="1080",
            title="",
            text="Too small in the shoulders.",
            rating="2",
            positive_feedback_count="0",
            division="General Petite",
        ),
        row(
            review_id="3",
            product_id="847",
            title="Flattering shirt",
            text="The tie at the front makes it.",
            rating="4",
            positive_feedback_count="",
            department="Tops",
            class_name="Blouses",
        ),
    ]


def state() -> dict:
    """Every row an import may write, as plain values, to compare before and after."""
    return {
        model.__name__: sorted(model.objects.values_list(*fields))
        for model, fields in (
            (Store, ("pk", "external_id", "name")),
            (Category, ("pk", "name", "slug", "parent")),
            (Product, ("pk", "external_id", "title", "category", "store")),
            (User, ("pk", "email")),
            (Order, ("pk", "number", "status")),
            (OrderItem, ("pk", "order", "product")),
            (Review, ("pk", "external_id", "rating", "title", "body", "status", "edited_at")),
            (ReviewRevision, ("pk", "review", "rating")),
            (ModerationDecision, ("pk", "review", "action")),
            (ProductRating, ("pk", "count", "total")),
            (StoreRating, ("pk", "count", "total")),
        )
    }


def category_paths() -> set[tuple[str, str]]:
    """Every category as ("Parent › Name", slug)."""
    return {
        (str(category), category.slug) for category in Category.objects.select_related("parent")
    }


def stored_counts(rating) -> tuple:
    return tuple(getattr(rating, name) for name in importers.RATING_FIELDS)


def recomputed_counts(**where) -> tuple:
    stars = Counter(
        dict(
            Review.objects.filter(status=Review.Status.PUBLISHED, **where)
            .values_list("rating")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    return (
        sum(stars.values()),
        sum(rating * n for rating, n in stars.items()),
        *(stars[rating] for rating in range(1, 6)),
    )


def assert_aggregates_exact() -> None:
    """Every product and store with a review has an aggregate equal to a recount."""
    for product_id in set(Review.objects.values_list("product_id", flat=True)):
        rating = ProductRating.objects.get(product_id=product_id)
        assert stored_counts(rating) == recomputed_counts(product_id=product_id)
    for store_id in set(Review.objects.values_list("store_id", flat=True)):
        rating = StoreRating.objects.get(store_id=store_id)
        assert stored_counts(rating) == recomputed_counts(store_id=store_id)


# --- Happy path --------------------------------------------------------------------------


def test_import_creates_reviews_and_what_they_need(tmp_path):
    path = write_csv(tmp_path / "reviews.csv", three_rows())
    before = timezone.now()

    outcome = run_import(path)

    assert outcome == Outcome(
        0,
        f"{path}: 3 rows, 3 accepted, 0 rejected.\n"
        "  reviews     3 created, 0 updated, 0 unchanged, 0 rejected; 0 held for moderation\n"
        "  products    2 created in “Imported reviews” (created)\n"
        "  categories  4 created\n"
        "  buyers      3 created, with 3 delivered orders\n"
        "  insights    3 reviews analysed\n"
        "Imported.\n",
        "",
    )
    store = Store.objects.get()
    assert (store.external_id, store.name, store.slug, store.is_active) == (
        "import-reviews",
        "Imported reviews",
        "imported-reviews",
        True,
    )
    assert category_paths() == {
        ("Dresses", "dresses"),
        ("Tops", "tops"),
        ("Dresses › Dresses", "dresses-dresses"),
        ("Tops › Blouses", "blouses"),
    }
    products = {product.external_id: product for product in Product.objects.all()}
    assert set(products) == {"clothing-product-1080", "clothing-product-847"}
    dress = products["clothing-product-1080"]
    assert (dress.title, dress.category.name, dress.category.parent.name) == (
        "Dresses #1080",
        "Dresses",
        "Dresses",
    )
    assert (dress.store, dress.price, dress.currency, dress.stock, dress.is_active) == (
        store,
        Decimal("100.00"),
        "ZAR",
        0,
        True,
    )
    assert products["clothing-product-847"].title == "Blouses #847"

    reviews = {review.external_id: review for review in Review.objects.all()}
    assert set(reviews) == {"clothing-1", "clothing-2", "clothing-3"}
    first = reviews["clothing-1"]
    assert (first.product, first.store, first.rating, first.title, first.body) == (
        dress,
        store,
        5,
        "Love it",
        "Fits well and the fabric is soft.",
    )
    assert (first.is_verified, first.status, first.hold_reason, first.helpful_count) == (
        False,
        Review.Status.PUBLISHED,
        "",
        4,
    )
    assert before <= first.created_at == first.published_at <= timezone.now()
    assert first.response_due_at == first.published_at + RESPONSE_GOAL
    assert (reviews["clothing-2"].title, reviews["clothing-3"].helpful_count) == ("", 0)

    author = first.author
    assert author.email == "reviewer-clothing-1@imported.saypro.test"
    assert not author.has_usable_password()
    assert not author.is_active
    assert not author.emailaddress_set.exists()
    item = first.order_item
    assert (item.product, item.quantity, item.unit_price, item.title) == (
        dress,
        1,
        Decimal("100.00"),
        "Dresses #1080",
    )
    order = item.order
    assert (order.buyer, order.store, order.status, order.is_imported) == (
        author,
        store,
        Order.Status.DELIVERED,
        True,
    )
    assert order.number == importers.imported_order_number("clothing-1")
    assert order.number.startswith("IMP-") and len(order.number) == 20
    assert order.delivered_at == first.created_at
    assert len({review.author_id for review in reviews.values()}) == 3

    assert stored_counts(ProductRating.objects.get(product=dress)) == (2, 7, 0, 1, 0, 0, 1)
    assert stored_counts(StoreRating.objects.get(store=store)) == (3, 11, 0, 1, 0, 1, 1)
    assert_aggregates_exact()


def test_gzip_file_is_recognised_by_its_content(tmp_path):
    gzipped = write_csv(tmp_path / "reviews.csv.gz", three_rows()[:1])
    misnamed = tmp_path / "gzipped.csv"
    misnamed.write_bytes(gzipped.read_bytes())

    assert run_import(gzipped).code == 0
    assert Review.objects.get().external_id == "clothing-1"
    assert "1 created" not in run_import(misnamed).stdout


def test_header_in_any_order_and_case_with_only_required_columns(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text(
        "\ufeff Text ,RATING,product_id,review_id\nGood value.,3,p-1,r.1\n", encoding="utf-8"
    )

    assert run_import(path).code == 0

    review = Review.objects.get()
    assert (review.external_id, review.rating, review.title, review.helpful_count) == (
        "clothing-r.1",
        3,
        "",
        0,
    )
    assert (review.product.title, review.product.category.parent.name) == (
        "Item #p-1",
        "Uncategorised",
    )
    assert review.product.category.name == "Uncategorised"


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text(
        'review_id,product_id,rating,text\n1,10,5,"Two\nlines"\n,,,\n2,10,9,Nine stars\n',
        encoding="utf-8",
    )

    outcome = run_import(path)

    assert outcome.rejections == [
        "line 5, rating: Rating must be a whole number of stars from 1 to 5."
    ]
    assert Review.objects.get().body == "Two\nlines"


def test_source_label_prefixes_the_external_ids(tmp_path):
    path = write_csv(tmp_path / "reviews.csv", three_rows()[:1])

    assert run_import(path).code == 0
    assert run_import(path, "--source", "shop-two").code == 0

    assert sorted(Review.objects.values_list("external_id", flat=True)) == [
        "clothing-1",
        "shop-two-1",
    ]
    assert sorted(Product.objects.values_list("external_id", flat=True)) == [
        "clothing-product-1080",
        "shop-two-product-1080",
    ]
    assert User.objects.filter(email="reviewer-shop-two-1@imported.saypro.test").exists()
    assert Store.objects.count() == Category.objects.count() // 2 == 1


def test_store_option_puts_new_products_in_an_existing_store(tmp_path, store, product):
    published = services.publish_review(
        author=(item := DeliveredItemFactory(order__store=store, product=product)).order.buyer,
        order_item=item,
        rating=1,
        body="Fell apart.",
    )
    path = write_csv(tmp_path / "reviews.csv", three_rows())

    outcome = run_import(path, "--store", store.slug)

    assert outcome.code == 0
    assert "  products    2 created in “Cape Linen Co”\n" in outcome.stdout
    assert Store.objects.get() == store
    assert set(Review.objects.values_list("store", flat=True)) == {store.pk}
    assert stored_counts(StoreRating.objects.get(store=store)) == (4, 12, 1, 1, 0, 1, 1)
    assert stored_counts(ProductRating.objects.get(product=published.product)) == (
        1, 1, 1, 0, 0, 0, 0,
    )  # fmt: skip
    assert_aggregates_exact()


def test_existing_categories_are_found_by_name_and_new_slugs_avoid_taken_ones(tmp_path):
    tops = CategoryFactory(name="TOPS", slug="tops-dept")
    blouses = CategoryFactory(name="blouses", slug="shirts-and-blouses", parent=tops)
    fashion = CategoryFactory(name="Fashion", slug="fashion")
    CategoryFactory(name="Dresses", slug="dresses", parent=fashion)
    path = write_csv(tmp_path / "reviews.csv", three_rows())

    assert run_import(path).code == 0

    assert Product.objects.get(external_id="clothing-product-847").category == blouses
    assert category_paths() == {
        ("TOPS", "tops-dept"),
        ("TOPS › blouses", "shirts-and-blouses"),
        ("Fashion", "fashion"),
        ("Fashion › Dresses", "dresses"),
        ("Dresses", "dresses-2"),
        ("Dresses › Dresses", "dresses-dresses"),
    }


def test_a_product_keeps_the_category_of_its_first_row(tmp_path):
    rows = [
        row(review_id="1", product_id="1119", department="Jackets", class_name="Jackets"),
        row(review_id="2", product_id="1119", department="Jackets", class_name="Outerwear"),
    ]

    assert run_import(write_csv(tmp_path / "reviews.csv", rows)).code == 0

    product = Product.objects.get()
    assert (product.title, product.category.name) == ("Jackets #1119", "Jackets")
    assert not Category.objects.filter(name="Outerwear").exists()


# --- Moderation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (
            {"text": "Fits well. Questions? Call me on 082 555 1234."},
            "Contains contact details (an email address or phone number).",
        ),
        (
            {"title": "Write to me", "text": "Ask me at thandi@example.com about the sizes."},
            "Contains contact details (an email address or phone number).",
        ),
        ({"text": "Cheaper at www.example.shop today."}, "Contains a link."),
    ],
    ids=["phone", "email", "link"],
)
def test_review_that_breaks_a_moderation_rule_is_held(tmp_path, values, reason):
    rows = [row(), row(review_id="2", rating="1", **values)]

    outcome = run_import(write_csv(tmp_path / "reviews.csv", rows))

    assert outcome.code == 0
    assert (
        "  reviews     2 created, 0 updated, 0 unchanged, 0 rejected; 1 held for moderation\n"
        in outcome.stdout
    )
    held = Review.objects.get(external_id="clothing-2")
    assert (held.status, held.hold_reason, held.published_at, held.response_due_at) == (
        Review.Status.HELD,
        reason,
        None,
        None,
    )
    decision = ModerationDecision.objects.get()
    assert (decision.review, decision.actor, decision.action, decision.reason) == (
        held,
        None,
        ModerationDecision.Action.HOLD,
        reason,
    )
    assert decision.created_at == held.created_at
    assert stored_counts(ProductRating.objects.get(product=held.product)) == (1, 5, 0, 0, 0, 0, 1)
    assert_aggregates_exact()


# --- Idempotency and updates ----------------------------------------------------------------


def test_second_run_creates_nothing_and_reports_unchanged(tmp_path):
    path = write_csv(tmp_path / "reviews.csv", three_rows())
    assert run_import(path).code == 0
    before = state()

    outcome = run_import(path)

    assert outcome == Outcome(
        0,
        f"{path}: 3 rows, 3 accepted, 0 rejected.\n"
        "  reviews     0 created, 0 updated, 3 unchanged, 0 rejected; 0 held for moderation\n"
        "  products    0 created in “Imported reviews”\n"
        "  categories  0 created\n"
        "  buyers      0 created, with 0 delivered orders\n"
        "  insights    0 reviews analysed\n"
        "Nothing to write: every review is already as in the file.\n",
        "",
    )
    assert state() == before


def test_changed_rows_update_their_reviews_and_the_aggregates(tmp_path):
    path = write_csv(tmp_path / "reviews.csv", three_rows())
    assert run_import(path).code == 0
    original = Review.objects.get(external_id="clothing-1")
    rows = three_rows()
    rows[0] |= {"rating": "3", "title": "Shrank", "positive_feedback_count": "99"}
    rows[1] |= {"text": "Too small in the shoulders; email me at a@example.com"}
    later = timezone.now()

    outcome = run_import(write_csv(path, rows))

    assert outcome.code == 0
    assert (
        "  reviews     0 created, 2 updated, 1 unchanged, 0 rejected; 1 held for moderation\n"
        in outcome.stdout
    )
    edited = Review.objects.get(external_id="clothing-1")
    assert (edited.rating, edited.title, edited.body, edited.status) == (
        3,
        "Shrank",
        "Fits well and the fabric is soft.",
        Review.Status.PUBLISHED,
    )
    assert edited.helpful_count == 4  # set on creation only: people may have voted since
    assert edited.published_at == original.published_at
    assert edited.edited_at >= later
    revision = ReviewRevision.objects.get(review=edited)
    assert (revision.rating, revision.title, revision.body) == (
        5,
        "Love it",
        "Fits well and the fabric is soft.",
    )
    held = Review.objects.get(external_id="clothing-2")
    assert held.status == Review.Status.HELD
    assert ModerationDecision.objects.get().review == held
    assert (Order.objects.count(), User.objects.count(), Product.objects.count()) == (3, 3, 2)
    assert stored_counts(ProductRating.objects.get(product=edited.product)) == (1, 3, 0, 0, 1, 0, 0)
    assert_aggregates_exact()


def test_an_update_republishes_a_held_review_and_leaves_a_hidden_one_hidden(tmp_path, staff):
    rows = three_rows()
    rows[0]["text"] = "Call 082 555 1234 for a swap."
    path = write_csv(tmp_path / "reviews.csv", rows)
    assert run_import(path).code == 0
    services.hide_review(
        moderator=staff, review=Review.objects.get(external_id="clothing-3"), reason="Spam."
    )
    rows[0]["text"] = "Fits well."
    rows[2]["rating"] = "1"

    assert run_import(write_csv(path, rows)).code == 0

    republished = Review.objects.get(external_id="clothing-1")
    assert (republished.status, republished.hold_reason) == (Review.Status.PUBLISHED, "")
    assert republished.response_due_at == republished.published_at + RESPONSE_GOAL
    hidden = Review.objects.get(external_id="clothing-3")
    assert (hidden.status, hidden.rating) == (Review.Status.HIDDEN, 1)
    assert_aggregates_exact()


def test_a_deleted_imported_review_comes_back_on_its_own_order_and_buyer(tmp_path):
    path = write_csv(tmp_path / "reviews.csv", three_rows())
    assert run_import(path).code == 0
    review = Review.objects.get(external_id="clothing-1")
    order_item, author = review.order_item, review.author
    review.delete()

    outcome = run_import(path)

    assert "1 created, 0 updated, 2 unchanged" in outcome.stdout
    assert "buyers      0 created, with 0 delivered orders" in outcome.stdout
    again = Review.objects.get(external_id="clothing-1")
    assert (again.order_item, again.author) == (order_item, author)
    assert Order.objects.count() == 3
    assert_aggregates_exact()


def test_aggregates_equal_a_recount_after_imports_and_service_writes(tmp_path, staff):
    rows = [
        row(review_id=str(n), product_id=str(n % 4), rating=str(n % 5 + 1), class_name=f"C{n % 3}")
        for n in range(1, 31)
    ]
    path = write_csv(tmp_path / "reviews.csv", rows)
    assert run_import(path).code == 0
    assert_aggregates_exact()

    services.hide_review(moderator=staff, review=Review.objects.first(), reason="Spam.")
    for values in rows[::3]:
        values["rating"] = str(int(values["rating"]) % 5 + 1)
    assert run_import(write_csv(path, rows)).code == 0

    assert Review.objects.filter(edited_at__isnull=False).count() == 10
    assert_aggregates_exact()
    assert StoreRating.objects.get().count == 29


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_review_published_while_the_import_counts_is_not_lost(tmp_path):
    """A ``publish_review`` that has written but not committed when the import recounts.

    The import must wait for it (the aggregate rows are locked before counting);
    else its upsert would overwrite the publication's ``F()`` delta with a
    count that could not see the new review.
    """
    store = StoreFactory()
    rows = [row(review_id=str(n), product_id=str(n % 3), rating="3") for n in range(9)]
    path = write_csv(tmp_path / "reviews.csv", rows)
    assert run_import(path, "--store", store.slug).code == 0
    product = Product.objects.get(external_id="clothing-product-0")
    item = DeliveredItemFactory(order__store=store, product=product)
    rows[0]["rating"] = "5"  # so that the import recounts this product and its store
    write_csv(path, rows)
    published, release = threading.Event(), threading.Event()

    def publish_and_commit_later():
        with transaction.atomic():
            review = services.publish_review(
                author=item.order.buyer, order_item=item, rating=1, body="Does its job."
            )
            published.set()
            release.wait(timeout=10)
        return review

    def import_meanwhile():
        published.wait(timeout=10)
        return run_import(path, "--store", store.slug)

    def release_after_a_while():
        published.wait(timeout=10)
        time.sleep(1)  # the import reaches the aggregates well within this
        release.set()

    review, outcome, _ = run_at_once(
        [publish_and_commit_later, import_meanwhile, release_after_a_while]
    )

    assert isinstance(review, Review), review
    assert outcome.code == 0, outcome
    assert stored_counts(ProductRating.objects.get(product=product)) == (4, 12, 1, 0, 2, 0, 1)
    assert_aggregates_exact()


# --- Rejected rows ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "rejection"),
    [
        ({"text": ""}, "text: Empty review text: a review needs its text."),
        ({"text": "  \n "}, "text: Empty review text: a review needs its text."),
        (
            {"text": "x" * 5001},
            "text: The review can be at most 5,000 characters (this is 5,001).",
        ),
        ({"title": "t" * 121}, "title: The title can be at most 120 characters (this is 121)."),
        ({"rating": ""}, "rating: Rating must be a whole number of stars from 1 to 5."),
        ({"rating": "0"}, "rating: Rating must be a whole number of stars from 1 to 5."),
        ({"rating": "6"}, "rating: Rating must be a whole number of stars from 1 to 5."),
        ({"rating": "4.5"}, "rating: Rating must be a whole number of stars from 1 to 5."),
        ({"rating": "five"}, "rating: Rating must be a whole number of stars from 1 to 5."),
        ({"review_id": " "}, "review_id: Review id is required."),
        (
            {"review_id": "12 34"},
            "review_id: Review id “12 34” must be letters, digits, “.”, “-” and “_”, "
            "up to 55 characters.",
        ),
        (
            {"review_id": "9" * 56},
            f"review_id: Review id “{'9' * 56}” must be letters, digits, “.”, “-” and “_”, "
            "up to 55 characters.",
        ),
        ({"product_id": ""}, "product_id: Product id is required."),
        (
            {"product_id": "a/b"},
            "product_id: Product id “a/b” must be letters, digits, “.”, “-” and “_”, "
            "up to 47 characters.",
        ),
        (
            {"positive_feedback_count": "-1"},
            "positive_feedback_count: Positive feedback count must be a whole number "
            "from 0 to 1,000,000.",
        ),
        (
            {"positive_feedback_count": "lots"},
            "positive_feedback_count: Positive feedback count must be a whole number "
            "from 0 to 1,000,000.",
        ),
        (
            {"department": "d" * 81},
            "department: The department can be at most 80 characters (this is 81).",
        ),
        (
            {"class_name": "c" * 81},
            "class_name: The class name can be at most 80 characters (this is 81).",
        ),
    ],
)
def test_each_rejection_reason_names_the_line_and_column(tmp_path, values, rejection):
    rows = [row(review_id="1"), row(**({"review_id": "2"} | values)), row(review_id="3")]

    outcome = run_import(write_csv(tmp_path / "reviews.csv", rows))

    assert outcome.code == 1
    assert outcome.rejections == [f"line 3, {rejection}"]
    assert outcome.stderr.endswith("CommandError: 1 row rejected; the other rows were imported.\n")
    assert f"{tmp_path / 'reviews.csv'}: 3 rows, 2 accepted, 1 rejected.\n" in outcome.stdout
    assert sorted(Review.objects.values_list("external_id", flat=True)) == [
        "clothing-1",
        "clothing-3",
    ]
    assert (Order.objects.count(), User.objects.count()) == (2, 2)


def test_every_reason_of_a_rejected_row_and_file_level_problems(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text(
        "review_id,product_id,rating,text,title\n7,10,5,Fine.,\n7,,0,,\n8,10,5,Fine\n",
        encoding="utf-8",
    )

    outcome = run_import(path)

    assert outcome.rejections == [
        "line 3, product_id: Product id is required.",
        "line 3, rating: Rating must be a whole number of stars from 1 to 5.",
        "line 3, text: Empty review text: a review needs its text.",
        "line 3, review_id: Review “7” is already on line 2; give each review one row.",
        "line 4: The row has 4 values but the header has 5 columns; "
        "quote values that contain commas.",
    ]
    assert outcome.stderr.endswith("CommandError: 2 rows rejected; the other rows were imported.\n")
    assert Review.objects.get().external_id == "clothing-7"


def test_a_review_is_never_moved_and_a_marketplace_review_never_changed(tmp_path, store):
    ProductFactory(store=store, external_id="clothing-product-5")
    ReviewFactory(external_id="clothing-9")  # a verified review that has the id somehow
    rows = [
        row(review_id="1", product_id="5"),
        row(review_id="9", product_id="1080"),
        row(review_id="2", product_id="1080"),
        row(review_id="3", product_id="1081"),
    ]
    path = write_csv(tmp_path / "reviews.csv", rows)
    assert run_import(path).code == 1
    rows[2]["product_id"] = "1081"

    outcome = run_import(write_csv(path, rows))

    assert outcome.rejections == [
        "line 2, product_id: Product “clothing-product-5” belongs to the store "
        "“Cape Linen Co”; an import does not move products between stores.",
        "line 3, review_id: Review “clothing-9” was written on the marketplace, not imported; "
        "an import changes only imported reviews.",
        "line 3, product_id: Review “9” is of the product “#"
        f"{Review.objects.get(external_id='clothing-9').product_id}”; an import does not move "
        "reviews between products.",
        "line 4, product_id: Review “2” is of the product “clothing-product-1080”; an import "
        "does not move reviews between products.",
    ]
    assert Review.objects.get(external_id="clothing-2").product.external_id == (
        "clothing-product-1080"
    )


def test_a_taken_order_number_rejects_the_row(tmp_path):
    ReviewFactory(order_item__order__number=importers.imported_order_number("clothing-1"))

    outcome = run_import(write_csv(tmp_path / "reviews.csv", [row()]))

    number = importers.imported_order_number("clothing-1")
    assert outcome.rejections == [
        f"line 2, review_id: The order number “{number}” that review “1” would get is taken "
        "by an order that is not its own."
    ]
    assert not Review.objects.filter(is_verified=False).exists()


# --- Strict, dry run, failures ------------------------------------------------------------


def test_strict_writes_nothing_when_any_row_is_rejected(tmp_path):
    rows = [*three_rows(), row(review_id="4", text="")]

    outcome = run_import(write_csv(tmp_path / "reviews.csv", rows), "--strict")

    assert outcome.code == 1
    assert outcome.rejections == ["line 5, text: Empty review text: a review needs its text."]
    assert "Nothing was written: --strict and some rows were rejected.\n" in outcome.stdout
    assert outcome.stderr.endswith(
        "CommandError: 1 row rejected; nothing was written (--strict).\n"
    )
    assert state() == {name: [] for name in state()}


def test_strict_imports_a_file_without_rejections(tmp_path):
    assert run_import(write_csv(tmp_path / "reviews.csv", three_rows()), "--strict").code == 0
    assert Review.objects.count() == 3


@pytest.mark.parametrize("first_import", [False, True])
def test_dry_run_reports_and_writes_nothing(tmp_path, first_import):
    path = write_csv(tmp_path / "reviews.csv", three_rows())
    if first_import:
        assert run_import(path).code == 0
    rows = [*three_rows(), row(review_id="4", rating="9"), row(review_id="5", text="082 555 1234")]
    rows[0]["rating"] = "1"
    before = state()

    outcome = run_import(write_csv(path, rows), "--dry-run")

    assert state() == before
    assert outcome.code == 1
    assert outcome.rejections == [
        "line 5, rating: Rating must be a whole number of stars from 1 to 5."
    ]
    assert "Dry run: nothing was written; the counts say what an import would do.\n" in (
        outcome.stdout
    )
    if first_import:
        assert "  reviews     1 created, 1 updated, 2 unchanged, 1 rejected; 1 held" in (
            outcome.stdout
        )
    else:
        assert "  reviews     4 created, 0 updated, 0 unchanged, 1 rejected; 1 held" in (
            outcome.stdout
        )
        assert "  products    2 created in “Imported reviews” (created)\n" in outcome.stdout
    assert outcome.stderr.endswith(
        "CommandError: 1 row would be rejected; nothing was written (--dry-run).\n"
    )


def test_a_failed_write_rolls_back_everything(tmp_path, monkeypatch):
    def conflicting_bulk_create(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: reviews_review.external_id")

    monkeypatch.setattr(Review.objects, "bulk_create", conflicting_bulk_create)

    outcome = run_import(write_csv(tmp_path / "reviews.csv", three_rows()))

    assert outcome.code == 1
    assert "changed while the file was being imported, so nothing was written" in outcome.stderr
    assert state() == {name: [] for name in state()}


# --- Files and options that cannot be used ---------------------------------------------------


DIRECTORY = object()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "{path}: no such file."),
        (DIRECTORY, "{path}: cannot be read (Is a directory)."),
        (
            b"text\n\xe9t\xe9\n",
            "{path}: not UTF-8 text (byte 6 cannot be decoded). Save the file as “CSV UTF-8”.",
        ),
        (
            gzip.compress(b"review_id,product_id,rating,text\n1,2,3,4\n")[:-12],
            "{path}: a damaged gzip file (Compressed file ended before the end-of-stream "
            "marker was reached); compress it again.",
        ),
        (b"PK\x03\x04\x00\x00", "{path}: not a CSV file (it contains NUL bytes)."),
        (b"", "{path}: the first line must be the header, e.g. review_id,product_id,rating,text."),
        (
            b'review_id,product_id,rating,text\n1,2,5,"never closed\n',
            "{path}, line 2: not valid CSV (unexpected end of data).",
        ),
    ],
    ids=["missing", "directory", "not-utf8", "damaged-gzip", "binary", "empty", "open-quote"],
)
def test_unusable_file_exits_2_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "reviews.csv"
    if content is DIRECTORY:
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)

    outcome = run_import(path)

    assert outcome == Outcome(2, "", f"CommandError: {message.format(path=path)}\n")
    assert not Store.objects.exists()


@pytest.mark.parametrize(
    ("header", "problems"),
    [
        ("review_id,product_id,rating,text,colour", "unknown columns: colour"),
        ("review_id,title,text", "missing required columns: product_id, rating"),
        (
            "review_id,product_id,rating,text,text,",
            "unknown columns: (blank); repeated columns: text",
        ),
    ],
    ids=["unknown", "missing", "repeated-and-blank"],
)
def test_bad_header_exits_2_and_writes_nothing(tmp_path, header, problems):
    path = tmp_path / "reviews.csv"
    path.write_text(header + "\n1,2,3,4,5,6\n", encoding="utf-8")

    outcome = run_import(path)

    assert outcome == Outcome(
        2,
        "",
        f"CommandError: {path}: the header has {problems}. Required columns: review_id, "
        "product_id, rating, text; optional: title, positive_feedback_count, department, "
        "class_name, division, age, recommended (see docs/import.md).\n",
    )
    assert not Store.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--store", "nowhere"], "No store has the slug “nowhere”."),
        (
            ["--source", "Shop 2"],
            "The source label “Shop 2” must be lower-case letters and digits, words joined by "
            "“-”, up to 20 characters (such as “clothing”).",
        ),
    ],
)
def test_unusable_options_exit_2_and_write_nothing(tmp_path, options, message):
    outcome = run_import(write_csv(tmp_path / "reviews.csv", three_rows()), *options)

    assert outcome == Outcome(2, "", f"CommandError: {message}\n")
    assert not Store.objects.exists()


def test_a_foreign_store_named_like_the_import_store_exits_2(tmp_path):
    StoreFactory(name="Imported Reviews")

    outcome = run_import(write_csv(tmp_path / "reviews.csv", three_rows()))

    assert outcome.code == 2
    assert "name a store with --store" in outcome.stderr
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("argv", "code"),
    [(["missing.csv"], 2), (["good.csv"], None), (["bad.csv"], 1), (["bad.csv", "--strict"], 1)],
)
def test_console_script_exit_status(tmp_path, monkeypatch, capsys, argv, code):
    write_csv(tmp_path / "good.csv", [row()])
    write_csv(tmp_path / "bad.csv", [row(text="")])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(
        sys, "argv", ["saypro", "import", "--skip-checks", "reviews", *argv, "--no-progress"]
    )

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
def test_progress_bar_only_on_a_terminal(tmp_path, options, shown):
    stderr = TerminalStream()
    path = write_csv(tmp_path / "reviews.csv", three_rows())

    call_command("import", "reviews", str(path), *options, stdout=StringIO(), stderr=stderr)

    assert ("Checking" in stderr.getvalue()) is shown


def test_query_count_does_not_grow_with_the_rows(tmp_path):
    def queries_for(count: int, prefix: str) -> int:
        rows = [
            row(review_id=f"{prefix}{n}", product_id=f"{prefix}{n % 7}", class_name=f"C{n % 3}")
            for n in range(count)
        ]
        path = write_csv(tmp_path / f"{prefix}.csv", rows)
        with CaptureQueriesContext(connection) as queries:
            assert run_import(path).code == 0
        return len(queries)

    queries_for(3, "first")  # creates the store and the categories
    # Up to 40 rows, bulk_create fits every model's rows into one INSERT on SQLite: 21 for
    # the import, 15 for analysing the new reviews in one batch.
    assert queries_for(5, "small") == queries_for(40, "large") == 36


# --- The real data set ----------------------------------------------------------------------


def first_rows(path: Path, count: int):
    """The header and the first ``count`` records of a gzipped CSV file, read lazily."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from itertools.islice(csv.reader(handle), count + 1)


@pytest.mark.skipif(not DATA_FILE.exists(), reason=f"{DATA_FILE} is not there")
def test_first_500_rows_of_the_clothing_reviews_data_set(tmp_path):
    header, *records = first_rows(DATA_FILE, 500)
    assert header == HEADER
    path = tmp_path / "first-500.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *records])
    values = [dict(zip(header, record, strict=True)) for record in records]
    accepted = [record for record in values if record["text"].strip()]

    started = timezone.now()
    outcome = run_import(path)

    assert outcome.code == (1 if len(accepted) < 500 else 0)
    assert len(outcome.rejections) == 500 - len(accepted)
    assert all(line.endswith("Empty review text: a review needs its text.") for line in (
        outcome.rejections
    ))  # fmt: skip
    assert Review.objects.count() == Order.objects.count() == len(accepted)
    assert Product.objects.count() == len({record["product_id"] for record in accepted})
    assert Counter(Review.objects.values_list("rating", flat=True)) == Counter(
        int(record["rating"]) for record in accepted
    )
    assert sum(Review.objects.values_list("helpful_count", flat=True)) == sum(
        int(record["positive_feedback_count"]) for record in accepted
    )
    assert timezone.now() - started < timedelta(seconds=30)
    assert_aggregates_exact()

    again = run_import(path)
    assert f"0 created, 0 updated, {len(accepted)} unchanged" in again.stdout
