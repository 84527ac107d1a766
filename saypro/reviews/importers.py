"""Review import: reviews written elsewhere, from one CSV file (``saypro import reviews``).

``docs/import.md`` ("Reviews") describes the file; this module is the
contract behind it. It follows the catalog import (``saypro.catalog.importers``):

- **Two steps.** ``read_reviews_csv`` turns a file (plain or gzip-compressed)
  into rows, or raises ``ReviewsFileInvalid`` (missing, not UTF-8, not CSV, a
  header with unknown or missing columns) before anything is checked or
  written. ``import_reviews`` checks every row against the database as it was
  before the import, then writes the accepted rows.
- **The same rules as the review form.** Rating, title and text go through
  the cleaning helpers of ``saypro.reviews.services`` (same limits, same
  messages), and new or changed text through ``moderation.hold_reasons``: a
  review that breaks a rule is stored *held*, with its reason and an
  automatic ``ModerationDecision``, as ``publish_review`` would hold it.
- **What a review needs is created, marked as imported.** An imported review
  is not a verified purchase (``is_verified=False``), but a review must
  belong to a delivered order item of its author. So each new review gets its
  own inactive buyer account with an unusable password
  (``reviewer-<external id>@imported.saypro.test``) and a delivered order
  ``is_imported=True`` of one item; its product (``<source>-product-<id>``,
  a placeholder price, no stock) in the "Imported reviews" store (external id
  ``import-reviews``) or the store named by ``store_slug``; the product's
  category (``department › class_name``) if no category has that path.
- **Idempotent by external id.** A review's external id is
  ``<source>-<review_id>``. A known id is compared (rating, title, text) and
  updated only if it differs, like ``edit_review``: the previous version is
  kept as a ``ReviewRevision`` and the moderation rules run again (a review
  hidden by a moderator stays hidden). ``helpful_count`` is set from
  ``positive_feedback_count`` only when a review is created: people may have
  voted since. Nothing is ever deleted or moved to another product or store.
- **Exact aggregates without per-row services.** ``publish_review`` is not
  called per row (it costs several queries each). Instead, after the writes,
  ``ProductRating`` and ``StoreRating`` of every product and store that got a
  new or changed review are recomputed from the published reviews: rows
  ensured, locked (``select_for_update``), one grouped query, one upsert per
  chunk. A concurrent ``publish_review`` on the same product either committed
  before the lock (so the recount sees it) or applies its ``F()`` delta after
  the import commits (so it adds to the recount).
- **One transaction.** Checking and writing run in one transaction (SQLite
  takes the write lock up front; on PostgreSQL existing imported reviews in
  the file are locked while checked). ``strict`` writes nothing if any row is
  rejected; ``dry_run`` never writes and takes no lock.
- **Batched.** Everything the file names is fetched up front in chunks of
  ``BATCH_SIZE``; writes are ``bulk_create`` (plus one ``executemany`` per
  batch of changed reviews). No ``save()``, no signal, no password hashing:
  the full 18,788-row data set imports in seconds.
"""

import gzip
import hashlib
import re
import zlib
from base64 import b32encode
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import slugify

from saypro.accounts.models import User
from saypro.catalog.importers import (
    CsvRow,
    RowError,
    Tally,
    _chunks,
    _update_by_pk,
    split_csv,
)
from saypro.catalog.models import Category, Order, OrderItem, Product, Store
from saypro.core.errors import Conflict, ValidationFailed
from saypro.core.progress import ProgressFactory, no_progress
from saypro.reviews.models import (
    BODY_MAX_LENGTH,
    RESPONSE_GOAL,
    TITLE_MAX_LENGTH,
    ModerationDecision,
    ProductRating,
    Review,
    ReviewRevision,
    StoreRating,
)
from saypro.reviews.moderation import hold_reasons
from saypro.reviews.services import _clean_rating, _clean_text

REQUIRED_COLUMNS = ("review_id", "product_id", "rating", "text")
OPTIONAL_COLUMNS = (
    "title",
    "positive_feedback_count",
    "department",
    "class_name",
    "division",
    "age",
    "recommended",
)
# The order of the clothing-reviews data set, which docs/import.md follows; any order works.
COLUMNS = (
    "review_id",
    "product_id",
    "age",
    "title",
    "text",
    "rating",
    "recommended",
    "positive_feedback_count",
    "division",
    "department",
    "class_name",
)
BATCH_SIZE = 500
EXTERNAL_ID_MAX_LENGTH = 64  # Review.external_id and Product.external_id
CATEGORY_NAME_MAX_LENGTH = 80  # Category.name
CATEGORY_SLUG_MAX_LENGTH = 100  # Category.slug
HELPFUL_MAX = 1_000_000
DEFAULT_SOURCE = "clothing"
SOURCE_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SOURCE_MAX_LENGTH = 20
ID_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
WHOLE_NUMBER = re.compile(r"[+-]?\d{1,12}")
GZIP_MAGIC = b"\x1f\x8b"

IMPORT_STORE_EXTERNAL_ID = "import-reviews"
IMPORT_STORE_NAME = "Imported reviews"
IMPORT_STORE_DESCRIPTION = (
    "Reviews imported from other platforms with `saypro import reviews`. "
    "Its products are placeholders and are not for sale."
)
PLACEHOLDER_PRICE = Decimal("100.00")  # products and order items; no stock, so never sold
UNCATEGORISED = "Uncategorised"  # a blank department or class_name
REVIEWER_EMAIL_DOMAIN = "imported.saypro.test"
ORDER_NUMBER_PREFIX = "IMP-"  # + 16 characters: Order.number holds 20
RATING_FIELDS = ["count", "total", "stars_1", "stars_2", "stars_3", "stars_4", "stars_5"]
# What an import may change on an existing review.
REVIEW_IMPORT_FIELDS = [
    "rating",
    "title",
    "body",
    "edited_at",
    "status",
    "hold_reason",
    "published_at",
    "response_due_at",
]


class ReviewsFileInvalid(ValidationFailed):
    """The file cannot be read as a reviews CSV; nothing was checked or written."""

    code = "reviews_file_invalid"


class ReviewImportTargetInvalid(ValidationFailed):
    """The options name no usable store or source label; nothing was checked or written."""

    code = "review_import_target_invalid"


class ReviewsChanged(Conflict):
    """Someone wrote the same rows while the file was being imported; nothing was written."""

    code = "reviews_changed"


# --- Reading the file -------------------------------------------------------------


@dataclass(frozen=True)
class ReviewsCsv:
    source: str
    columns: tuple[str, ...]
    rows: tuple[CsvRow, ...]


def read_reviews_csv(path: Path | str) -> ReviewsCsv:
    """Read a UTF-8 CSV file, gzip-compressed or not (recognised by its content, not its name)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReviewsFileInvalid(f"{path}: no such file.") from None
    except OSError as error:
        raise ReviewsFileInvalid(f"{path}: cannot be read ({error.strerror}).") from error
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise ReviewsFileInvalid(
                f"{path}: a damaged gzip file ({error}); compress it again."
            ) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReviewsFileInvalid(
            f"{path}: not UTF-8 text (byte {error.start + 1} cannot be decoded). "
            "Save the file as “CSV UTF-8”."
        ) from error
    return parse_reviews_csv(text, source=str(path))


def parse_reviews_csv(text: str, *, source: str = "<text>") -> ReviewsCsv:
    """Split comma-separated ``text`` into rows; the first line must be the header.

    Rows whose cells are all blank are skipped. A row's line is the physical
    line it starts on (the header is line 1), even after multi-line values.
    """
    columns, rows = split_csv(
        text,
        source=source,
        required=REQUIRED_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        invalid=ReviewsFileInvalid,
    )
    return ReviewsCsv(source=source, columns=columns, rows=rows)


# --- Report ------------------------------------------------------------------------


@dataclass
class ReviewImportReport:
    """What an import did, or would do (``written`` says which).

    Every data row is one review: ``reviews`` adds up to ``rows``. ``held``
    counts the created and updated reviews that the moderation rules hold.
    The other counts are what was (or would be) created to carry new reviews.
    """

    rows: int
    reviews: Tally
    held: int
    store: str  # the name of the store new products go to
    store_created: bool
    categories_created: int
    products_created: int
    buyers_created: int
    orders_created: int
    errors: list[RowError]  # every reason of every rejected row, in file order
    written: bool

    @property
    def rejected_rows(self) -> int:
        return self.reviews.rejected


# --- Importing -----------------------------------------------------------------------


def import_reviews(
    *,
    reviews: ReviewsCsv,
    store_slug: str | None = None,
    source: str = DEFAULT_SOURCE,
    strict: bool = False,
    dry_run: bool = False,
    progress: ProgressFactory = no_progress,
    now: datetime | None = None,
) -> ReviewImportReport:
    """Check every row of ``reviews``, then write the accepted ones (see the module docstring).

    ``store_slug`` names an existing store for new products (default: the
    "Imported reviews" store, created on first use). ``source`` labels where
    the file comes from and prefixes the external ids. ``now`` is the
    import's one timestamp: reviews are created and published at it (the file
    has no dates). Raises ``ReviewImportTargetInvalid`` for an unknown store or
    a malformed label, and ``ReviewsChanged`` if a concurrent write breaks a
    unique constraint (the transaction is rolled back: nothing is written).
    """
    _check_source(source)
    now = now or timezone.now()
    if dry_run:
        return _Plan(reviews, store_slug, source, now, progress, lock=False).report(written=False)
    try:
        with transaction.atomic():
            plan = _Plan(reviews, store_slug, source, now, progress, lock=True)
            written = plan.has_writes and not (strict and plan.reviews.rejected)
            if written:
                plan.write(progress)
    except IntegrityError as error:
        raise ReviewsChanged(
            "Reviews, products or accounts changed while the file was being imported, so "
            "nothing was written. Run the import again."
        ) from error
    return plan.report(written=written)


def _check_source(source: str) -> None:
    if len(source) > SOURCE_MAX_LENGTH or not SOURCE_PATTERN.fullmatch(source):
        raise ReviewImportTargetInvalid(
            f"The source label “{source}” must be lower-case letters and digits, words joined "
            f"by “-”, up to {SOURCE_MAX_LENGTH} characters (such as “clothing”)."
        )


def review_external_id(source: str, review_id: str) -> str:
    return f"{source}-{review_id}"


def product_external_id(source: str, product_id: str) -> str:
    return f"{source}-product-{product_id}"


def reviewer_email(review_external_id: str) -> str:
    return f"reviewer-{review_external_id}@{REVIEWER_EMAIL_DOMAIN}".lower()


def imported_order_number(review_external_id: str) -> str:
    """``IMP-`` and 16 characters derived from the review's external id: stable across imports."""
    digest = hashlib.blake2b(review_external_id.encode(), digest_size=10).digest()
    return ORDER_NUMBER_PREFIX + b32encode(digest).decode()


@dataclass
class _ReviewDraft:
    line: int
    review_id: str
    external_id: str
    product_id: str
    product_external_id: str
    rating: int
    title: str
    body: str
    helpful_count: int
    department: str
    class_name: str
    existing: Review | None


@dataclass
class _CategoryPlan:
    """A category the import uses: an existing one, or one it will create."""

    category: Category
    children: dict[str, "_CategoryPlan"] = field(default_factory=dict)  # casefolded name


class _RowCheck:
    """Collects every reason a row is rejected, not only the first."""

    def __init__(self, row: CsvRow) -> None:
        self.line = row.line
        self.values = row.values
        self.errors: list[RowError] = []
        if row.problem:
            self.errors.append(RowError(row.line, None, row.problem))

    def text(self, column: str) -> str:
        return self.values.get(column, "")

    def reject(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def clean_text(self, column: str, *, label: str, max_length: int) -> str | None:
        try:
            return _clean_text(
                self.text(column), field=column, label=label, max_length=max_length, required=False
            )
        except ValidationFailed as error:
            self.reject(column, error.message)
            return None


class _Plan:
    """Every row checked against the database as it is, and the writes that follow."""

    def __init__(
        self,
        reviews: ReviewsCsv,
        store_slug: str | None,
        source: str,
        now: datetime,
        progress: ProgressFactory,
        *,
        lock: bool,
    ) -> None:
        self.source = source
        self.now = now
        self.rows = len(reviews.rows)
        self.errors: list[RowError] = []
        self.reviews = Tally()
        self.store = self._target_store(store_slug)
        self._fetch(reviews.rows, lock=lock)
        self.review_lines: dict[str, int] = {}  # review id -> first line
        self.drafts: list[_ReviewDraft] = []
        bar = progress("Checking", self.rows)
        for row in reviews.rows:
            self._check_row(row)
            bar.update()
        bar.close()
        self._plan_writes()

    # -- The store and what the file names ----------------------------------------------

    def _target_store(self, store_slug: str | None) -> Store:
        """The store new products go to; a new, unsaved one on the first default import."""
        if store_slug is not None:
            store = Store.objects.filter(slug=store_slug).first()
            if store is None:
                raise ReviewImportTargetInvalid(f"No store has the slug “{store_slug}”.")
            self.store_created = False
            return store
        store = Store.objects.filter(external_id=IMPORT_STORE_EXTERNAL_ID).first()
        self.store_created = store is None
        if store is not None:
            return store
        if Store.objects.filter(name__iexact=IMPORT_STORE_NAME).exists():
            raise ReviewImportTargetInvalid(
                f"A store called “{IMPORT_STORE_NAME}” exists but is not the import store "
                f"(external id “{IMPORT_STORE_EXTERNAL_ID}”); name a store with --store."
            )
        slugs = set(Store.objects.values_list("slug", flat=True))
        return Store(
            name=IMPORT_STORE_NAME,
            slug=_free_slug(slugify(IMPORT_STORE_NAME), slugs),
            description=IMPORT_STORE_DESCRIPTION,
            external_id=IMPORT_STORE_EXTERNAL_ID,
            created_at=self.now,
        )

    def _fetch(self, rows: tuple[CsvRow, ...], *, lock: bool) -> None:
        review_ids = {
            review_external_id(self.source, row.values.get("review_id", "").strip()) for row in rows
        }
        product_ids = {
            product_external_id(self.source, row.values.get("product_id", "").strip())
            for row in rows
        }
        reviews = Review.objects.only(
            "pk",
            "external_id",
            "product_id",
            "store_id",
            "is_verified",
            *REVIEW_IMPORT_FIELDS,
        )
        if lock:
            reviews = reviews.select_for_update()
        self.existing_reviews = {
            review.external_id: review
            for chunk in _chunks(review_ids, BATCH_SIZE)
            for review in reviews.filter(external_id__in=chunk)
        }
        self.existing_products = {
            product.external_id: product
            for chunk in _chunks(product_ids, BATCH_SIZE)
            for product in Product.objects.filter(external_id__in=chunk).select_related("store")
        }
        self.products_by_pk = {product.pk: product for product in self.existing_products.values()}
        # Order numbers and buyers of reviews still to create: normally none exist; they do
        # when an imported review was deleted since (its order and buyer stay behind).
        numbers = {
            imported_order_number(external_id)
            for external_id in review_ids - set(self.existing_reviews)
        }
        self.taken_order_numbers = {
            number
            for chunk in _chunks(numbers, BATCH_SIZE)
            for number in Order.objects.filter(number__in=chunk).values_list("number", flat=True)
        }
        self.free_items = {
            item.order.number: item
            for chunk in _chunks(self.taken_order_numbers, BATCH_SIZE)
            for item in OrderItem.objects.filter(
                order__number__in=chunk, order__is_imported=True, review__isnull=True
            ).select_related("order")
        }

    # -- Checking one row -------------------------------------------------------------

    def _check_row(self, row: CsvRow) -> None:
        check = _RowCheck(row)
        draft = None if row.problem else self._check_values(check)
        if check.errors:
            self.errors.extend(check.errors)
            self.reviews.rejected += 1
            return
        self.drafts.append(draft)

    def _check_values(self, check: _RowCheck) -> _ReviewDraft | None:
        review_id = self._clean_id(
            check, "review_id", "Review id", EXTERNAL_ID_MAX_LENGTH - len(self.source) - 1
        )
        product_id = self._clean_id(
            check,
            "product_id",
            "Product id",
            EXTERNAL_ID_MAX_LENGTH - len(product_external_id(self.source, "")),
        )
        rating = self._clean_rating(check)
        body = self._clean_body(check)
        title = check.clean_text("title", label="The title", max_length=TITLE_MAX_LENGTH)
        helpful_count = self._clean_helpful_count(check)
        department = check.clean_text(
            "department", label="The department", max_length=CATEGORY_NAME_MAX_LENGTH
        )
        class_name = check.clean_text(
            "class_name", label="The class name", max_length=CATEGORY_NAME_MAX_LENGTH
        )
        existing = None
        if review_id:
            first_line = self.review_lines.setdefault(review_id, check.line)
            if first_line != check.line:
                check.reject(
                    "review_id",
                    f"Review “{review_id}” is already on line {first_line}; "
                    "give each review one row.",
                )
            existing = self.existing_reviews.get(review_external_id(self.source, review_id))
        if product_id:
            self._check_product(check, review_id, product_id, existing)
        if review_id and product_id and existing is None:
            self._check_order_number(check, review_id, product_id)
        if check.errors:
            return None
        return _ReviewDraft(
            line=check.line,
            review_id=review_id,
            external_id=review_external_id(self.source, review_id),
            product_id=product_id,
            product_external_id=product_external_id(self.source, product_id),
            rating=rating,
            title=title,
            body=body,
            helpful_count=helpful_count,
            department=department,
            class_name=class_name,
            existing=existing,
        )

    @staticmethod
    def _clean_id(check: _RowCheck, column: str, label: str, max_length: int) -> str | None:
        value = check.text(column).strip()
        if not value:
            check.reject(column, f"{label} is required.")
            return None
        if len(value) > max_length or not ID_PATTERN.fullmatch(value):
            check.reject(
                column,
                f"{label} “{value}” must be letters, digits, “.”, “-” and “_”, "
                f"up to {max_length} characters.",
            )
            return None
        return value

    @staticmethod
    def _clean_rating(check: _RowCheck) -> int | None:
        text = check.text("rating").strip()
        try:
            return _clean_rating(int(text) if WHOLE_NUMBER.fullmatch(text) else text)
        except ValidationFailed as error:
            check.reject("rating", error.message)
            return None

    @staticmethod
    def _clean_body(check: _RowCheck) -> str | None:
        body = check.clean_text("text", label="The review", max_length=BODY_MAX_LENGTH)
        if body == "":
            check.reject("text", "Empty review text: a review needs its text.")
            return None
        return body

    @staticmethod
    def _clean_helpful_count(check: _RowCheck) -> int | None:
        text = check.text("positive_feedback_count").strip()
        if not text:
            return 0
        if WHOLE_NUMBER.fullmatch(text) and 0 <= int(text) <= HELPFUL_MAX:
            return int(text)
        check.reject(
            "positive_feedback_count",
            f"Positive feedback count must be a whole number from 0 to {HELPFUL_MAX:,}.",
        )
        return None

    def _check_product(
        self, check: _RowCheck, review_id: str | None, product_id: str, existing: Review | None
    ) -> None:
        product = self.existing_products.get(product_external_id(self.source, product_id))
        if existing is not None:
            if existing.is_verified:
                check.reject(
                    "review_id",
                    f"Review “{existing.external_id}” was written on the marketplace, not "
                    "imported; an import changes only imported reviews.",
                )
            if product is None or existing.product_id != product.pk:
                current = self.products_by_pk.get(existing.product_id)
                label = current.external_id if current else f"#{existing.product_id}"
                check.reject(
                    "product_id",
                    f"Review “{review_id}” is of the product “{label}”; an import does not "
                    "move reviews between products.",
                )
        if product is not None and product.store_id != self.store.pk:
            check.reject(
                "product_id",
                f"Product “{product.external_id}” belongs to the store “{product.store.name}”; "
                "an import does not move products between stores.",
            )

    def _check_order_number(self, check: _RowCheck, review_id: str, product_id: str) -> None:
        """The number the new review's order gets must be free, or be a reusable order of it."""
        number = imported_order_number(review_external_id(self.source, review_id))
        if number not in self.taken_order_numbers:
            return
        item = self.free_items.get(number)
        product = self.existing_products.get(product_external_id(self.source, product_id))
        if item is None or product is None or item.product_id != product.pk:
            check.reject(
                "review_id",
                f"The order number “{number}” that review “{review_id}” would get is taken by "
                "an order that is not its own.",
            )

    # -- Planning ------------------------------------------------------------------------

    def _plan_writes(self) -> None:
        self.categories = _CategoryIndex()
        self.new_products: dict[str, Product] = {}  # by external id
        self.new_buyers: dict[str, User] = {}  # by email
        self.new_orders: list[Order] = []
        self.new_items: list[OrderItem] = []
        self.new_reviews: list[Review] = []
        self.changed_reviews: list[Review] = []
        self.revisions: list[ReviewRevision] = []
        self.held_reviews: list[Review] = []  # created or changed, held by the rules

        buyers = self._existing_buyers([draft for draft in self.drafts if draft.existing is None])
        for draft in self.drafts:
            if draft.existing is None:
                self._plan_new_review(draft, buyers)
                self.reviews.created += 1
            elif self._plan_changed_review(draft):
                self.reviews.updated += 1
            else:
                self.reviews.unchanged += 1

    def _existing_buyers(self, drafts: list[_ReviewDraft]) -> dict[str, User]:
        """Imported buyers already there (their review was deleted since): reused, not doubled."""
        emails = {reviewer_email(draft.external_id) for draft in drafts}
        return {
            user.email: user
            for chunk in _chunks(emails, BATCH_SIZE)
            for user in User.objects.filter(email__in=chunk)
        }

    def _product(self, draft: _ReviewDraft) -> Product:
        product = self.existing_products.get(draft.product_external_id)
        if product is None:
            product = self.new_products.get(draft.product_external_id)
        if product is None:
            category = self.categories.leaf(draft.department, draft.class_name)
            product = Product(
                store=self.store,
                category=category,
                external_id=draft.product_external_id,
                title=f"{draft.class_name or 'Item'} #{draft.product_id}",
                price=PLACEHOLDER_PRICE,
                currency=settings.MARKETPLACE_CURRENCY,
                stock=0,
                created_at=self.now,
                updated_at=self.now,
            )
            self.new_products[draft.product_external_id] = product
        return product

    def _plan_new_review(self, draft: _ReviewDraft, buyers: dict[str, User]) -> None:
        product = self._product(draft)
        number = imported_order_number(draft.external_id)
        item = self.free_items.get(number)  # checked: if there is one, it is for this product
        if item is not None:
            buyer_id, buyer = item.order.buyer_id, None
        else:
            buyer = self._buyer(draft, buyers)
            order = Order(
                number=number,
                buyer=buyer,
                store=self.store,
                status=Order.Status.DELIVERED,
                total=PLACEHOLDER_PRICE,
                currency=product.currency,
                placed_at=self.now,
                shipped_at=self.now,
                delivered_at=self.now,
                is_imported=True,
            )
            item = OrderItem(
                order=order,
                product=product,
                title=product.title,
                unit_price=PLACEHOLDER_PRICE,
                quantity=1,
            )
            self.new_orders.append(order)
            self.new_items.append(item)
        review = Review(
            product=product,
            store=self.store,
            order_item=item,
            rating=draft.rating,
            title=draft.title,
            body=draft.body,
            is_verified=False,
            external_id=draft.external_id,
            created_at=self.now,
            helpful_count=draft.helpful_count,
        )
        if buyer is None:
            review.author_id = buyer_id
        else:
            review.author = buyer
        self._moderate(review, draft)
        self.new_reviews.append(review)

    def _buyer(self, draft: _ReviewDraft, buyers: dict[str, User]) -> User:
        email = reviewer_email(draft.external_id)
        buyer = buyers.get(email) or self.new_buyers.get(email)
        if buyer is None:
            buyer = User(
                email=email,
                password=UNUSABLE_PASSWORD_PREFIX,  # no hashing: nobody signs in as this buyer
                is_active=False,
                date_joined=self.now,
            )
            self.new_buyers[email] = buyer
        return buyer

    def _plan_changed_review(self, draft: _ReviewDraft) -> bool:
        review = draft.existing
        if (draft.rating, draft.title, draft.body) == (review.rating, review.title, review.body):
            return False
        self.revisions.append(
            ReviewRevision(
                review=review,
                rating=review.rating,
                title=review.title,
                body=review.body,
                replaced_at=self.now,
            )
        )
        review.rating, review.title, review.body = draft.rating, draft.title, draft.body
        review.edited_at = self.now
        if review.status != Review.Status.HIDDEN:
            self._moderate(review, draft)
        self.changed_reviews.append(review)
        return True

    def _moderate(self, review: Review, draft: _ReviewDraft) -> None:
        """Held if a moderation rule says so, else published (keeping a first publication)."""
        reasons = hold_reasons(draft.title, draft.body)
        if reasons:
            review.status = Review.Status.HELD
            review.hold_reason = " ".join(reasons)
            self.held_reviews.append(review)
            return
        review.status = Review.Status.PUBLISHED
        review.hold_reason = ""
        if review.published_at is None:
            review.published_at = self.now
            review.response_due_at = self.now + RESPONSE_GOAL

    @property
    def has_writes(self) -> bool:
        return bool(self.new_reviews or self.changed_reviews)

    # -- Writing ---------------------------------------------------------------------------

    def write(self, progress: ProgressFactory) -> None:
        """Write the plan, then recount the ratings it touched; the caller holds the transaction."""
        if self.store.pk is None:
            Store.objects.bulk_create([self.store])
        steps = (
            (self.categories.new_parents, Category.objects.bulk_create),
            (self.categories.new_leaves, Category.objects.bulk_create),
            (list(self.new_products.values()), Product.objects.bulk_create),
            (list(self.new_buyers.values()), User.objects.bulk_create),
            (self.new_orders, Order.objects.bulk_create),
            (self.new_items, OrderItem.objects.bulk_create),
            (self.new_reviews, Review.objects.bulk_create),
            (self.revisions, ReviewRevision.objects.bulk_create),
            (
                self.changed_reviews,
                lambda batch: _update_by_pk(Review, batch, REVIEW_IMPORT_FIELDS),
            ),
            (self.held_reviews, self._record_holds),
        )
        bar = progress("Writing", sum(len(objects) for objects, _ in steps))
        for objects, write in steps:
            for batch in _chunks(objects, BATCH_SIZE):
                write(batch)
                bar.update(len(batch))
        bar.close()
        touched = self.new_reviews + self.changed_reviews
        recount_ratings(
            product_ids={review.product_id for review in touched},
            store_ids={review.store_id for review in touched},
        )

    def _record_holds(self, reviews: list[Review]) -> None:
        ModerationDecision.objects.bulk_create(
            ModerationDecision(
                review=review,
                actor=None,
                action=ModerationDecision.Action.HOLD,
                reason=review.hold_reason,
                created_at=self.now,
            )
            for review in reviews
        )

    def report(self, *, written: bool) -> ReviewImportReport:
        return ReviewImportReport(
            rows=self.rows,
            reviews=self.reviews,
            held=len(self.held_reviews),
            store=self.store.name,
            store_created=self.store_created and self.has_writes,
            categories_created=len(self.categories.new_parents) + len(self.categories.new_leaves),
            products_created=len(self.new_products),
            buyers_created=len(self.new_buyers),
            orders_created=len(self.new_orders),
            errors=self.errors,
            written=written,
        )


class _CategoryIndex:
    """Finds ``department › class_name`` among the categories by name (any case), or plans it.

    Only categories a new product needs are created: a top-level category for
    the department, a sub-category for the class. Slugs are made free of every
    existing one (the class's own, else department and class, else numbered).
    """

    def __init__(self) -> None:
        categories = list(Category.objects.all())
        self.slugs = {category.slug for category in categories}
        self.tree: dict[str, _CategoryPlan] = {}
        for category in categories:
            if category.parent_id is None:
                self.tree[category.name.casefold()] = _CategoryPlan(category)
        by_pk = {plan.category.pk: plan for plan in self.tree.values()}
        for category in categories:
            parent = by_pk.get(category.parent_id)
            if parent is not None:
                parent.children[category.name.casefold()] = _CategoryPlan(category)
        self.new_parents: list[Category] = []
        self.new_leaves: list[Category] = []

    def leaf(self, department: str, class_name: str) -> Category:
        department = department or UNCATEGORISED
        class_name = class_name or UNCATEGORISED
        parent = self.tree.get(department.casefold())
        if parent is None:
            category = Category(
                name=department,
                slug=self._slug(department),
                position=len(self.tree),
            )
            parent = self.tree[department.casefold()] = _CategoryPlan(category)
            self.new_parents.append(category)
        leaf = parent.children.get(class_name.casefold())
        if leaf is None:
            category = Category(
                name=class_name,
                slug=self._slug(class_name, f"{department} {class_name}"),
                parent=parent.category,
                position=len(parent.children),
            )
            leaf = parent.children[class_name.casefold()] = _CategoryPlan(category)
            self.new_leaves.append(category)
        return leaf.category

    def _slug(self, *names: str) -> str:
        candidates = [slugify(name)[: CATEGORY_SLUG_MAX_LENGTH - 10] for name in names]
        candidates = [candidate for candidate in candidates if candidate] or ["category"]
        slug = next((candidate for candidate in candidates if candidate not in self.slugs), None)
        slug = slug or _free_slug(candidates[-1], self.slugs)
        self.slugs.add(slug)
        return slug


def _free_slug(base: str, taken: set[str]) -> str:
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


# --- Aggregates ----------------------------------------------------------------------


def recount_ratings(*, product_ids: Iterable[int], store_ids: Iterable[int]) -> None:
    """Set ``ProductRating`` / ``StoreRating`` of these products and stores from their reviews.

    Per chunk of ids: make sure the rows exist, lock them, count the published
    reviews in one grouped query, and write every row in one upsert (zeros for
    one without published reviews). Call inside a transaction. Holding the row
    locks while counting keeps the aggregates exact next to ``publish_review``
    and friends, which change the same rows by ``F()`` deltas under the lock.
    """
    for model, key, ids in (
        (ProductRating, "product_id", product_ids),
        (StoreRating, "store_id", store_ids),
    ):
        for chunk in _chunks(sorted(ids), BATCH_SIZE):
            model.objects.bulk_create([model(**{key: pk}) for pk in chunk], ignore_conflicts=True)
            list(model.objects.select_for_update().filter(pk__in=chunk).values_list("pk"))
            counted = {
                row.pop(key): row
                for row in Review.objects.filter(
                    status=Review.Status.PUBLISHED, **{f"{key}__in": chunk}
                )
                .values(key)
                .annotate(
                    count=Count("pk"),
                    total=Sum("rating"),
                    **{
                        f"stars_{stars}": Count("pk", filter=Q(rating=stars))
                        for stars in range(1, 6)
                    },
                )
                .order_by()
            }
            model.objects.bulk_create(
                [model(**{key: pk}, **counted.get(pk, {})) for pk in chunk],
                update_conflicts=True,
                unique_fields=[model._meta.pk.name],
                update_fields=RATING_FIELDS,
            )
