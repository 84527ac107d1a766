"""Demo reviews: buyers review most of what was delivered, sellers answer, moderators have work.

Runs after the demo marketplace (``saypro.catalog.demo``) and, like it, in two steps:

- ``read_demo_catalog()`` reads what the reviews are about: the demo stores
  and their teams, the demo buyers, and every delivered, not yet reviewed
  order item of a demo store, oldest delivery first (``DemoCatalog``: plain
  data, database ids included).
- ``build_reviews(seed=, now=, catalog=)`` describes every review, answer,
  report and helpful vote (``ReviewsSpec``) without touching the database.
  It draws from its own ``random.Random`` streams, so for one seed, ``now``
  and catalog it is always the same. The spec refers to the catalog by
  position, never by database id, so two databases loaded from the same
  seed and ``now`` give equal specs.
- ``load_demo_reviews(seed=, now=, progress=)`` reads, builds and writes in
  one transaction with ``bulk_create`` (this module is the seeding service
  for reviews, the one place besides ``services`` that writes them), then
  computes the rating aggregates from the published reviews and flags
  response deadlines as the periodic task would. It is idempotent: when demo
  reviews exist (``external_id`` ``demo-review-…``) it writes nothing.

What it generates, and why (the figures are targets, each drawn per row):

- About 70 % of delivered items get a review, written hours to weeks after
  delivery (never after ``now``), mostly in the evening, marketplace time.
  Stars follow a realistic spread (about 55 % five, 20 % four, 10 % three,
  7 % two, 8 % one) that shifts per store and product, so some stores are
  clearly weaker; slow deliveries pull ratings down.
- Texts come from ``demo_vocabulary``: praise and complaints about aspects
  that fit the product (fit and fabric for clothes, battery and set-up for
  electronics, taste and freshness for food, scent for beauty, ...) and
  about delivery (using the order's real delivery time), packaging, value.
- About 70 % of reviews older than 48 hours are answered, negative ones more
  often; most within 48 hours, some 2–10 days late; about one answer in six
  is poor (generic, boilerplate, defensive, shouting, or with no next step)
  for the response coach to find. Stores differ in all three habits.
- The demo owner's store (``demo-store-001``) gets unanswered reviews from
  the last 48 hours (two of them negative) and a few overdue ones, so its
  Seller Center queue has work; the demo buyer reviews only their oldest
  delivered order, keeping other delivered items to try the review form on.
- About 1 % of reviews are reported by other buyers, a few recent ones wait
  in moderation because their text breaks a rule (contact details, a link,
  a word on the profanity list), and some reviews have helpful votes.
- Some reviews ask for something (pockets, a longer cable, more colours):
  each product's buyers ask for the same two or three things, worded in
  different ways, so the suggestions add up per product.
- The story products (``saypro.catalog.demo.STORIES``) carry a planted
  problem. For the two "rising" ones (a zip that breaks, a charger that
  overheats) about 2 % of reviews mention it until the last ``RISE`` (27
  days), then 50 % rising to 75 %; for the "fixed" one (it runs small)
  45 % mention it until the new sizing shipped (``fix_shipped_at``, 70 days
  ago) and about 2 % after, when some praise the new sizing instead. A
  review that reports the problem has one to three stars (now and then
  four), and the product's other reviews complain about other things.
  Their buyers review more often (90 %) and make more suggestions.
"""

import random
import time
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from functools import cache

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import slugify

from saypro.accounts.models import User
from saypro.catalog.demo import (
    ACCOUNTS,
    BATCH_SIZE,
    DEFAULT_SEED,
    DEMO_EMAIL_DOMAIN,
    HOUR_WEIGHTS,
    STORE_EXTERNAL_ID_PREFIX,
    STORIES,
    Story,
    fix_shipped_at,
    story_products_in_database,
)
from saypro.catalog.demo_vocabulary import DEPARTMENTS, Aisle, Department
from saypro.catalog.models import Order, OrderItem, Store, StoreMembership
from saypro.coaching.coach import coach
from saypro.coaching.review import ReviewInput
from saypro.core.demo_text import lower_first, render
from saypro.core.progress import ProgressBar, ProgressFactory, no_progress
from saypro.reviews import demo_vocabulary as words
from saypro.reviews import services
from saypro.reviews.demo_vocabulary import ASPECTS
from saypro.reviews.models import (
    RESPONSE_GOAL,
    Answer,
    HelpfulVote,
    ModerationDecision,
    ProductRating,
    Report,
    Review,
    StoreRating,
)
from saypro.reviews.moderation import hold_reasons

REVIEW_EXTERNAL_ID_PREFIX = "demo-review-"
OWNER_STORE_EXTERNAL_ID = f"{STORE_EXTERNAL_ID_PREFIX}001"

# Stars 1 to 5 at a good store and at a poor one; a store's (and product's)
# weakness mixes the two. Weakness averages about 0.22, which gives the
# marketplace-wide spread in the module docstring.
STRONG_RATINGS = (0.04, 0.04, 0.075, 0.205, 0.64)
WEAK_RATINGS = (0.20, 0.16, 0.17, 0.17, 0.30)
SLOW_DELIVERY_DAYS = 6  # from this many days on, delivery is worth a complaint
FAST_DELIVERY_DAYS = 3  # up to this many, worth praise

SHORT_REVIEW_SHARE = 0.05
LONG_REVIEW_SHARE = 0.08
TITLE_SHARE = 0.68
ON_TIME_HOURS = (0.25, 47.5, 5.0)  # triangular: low, high, mode
LATE_HOURS = (49.0, 240.0)  # uniform: 2 to 10 days
HELD_SHARE = 0.002
HELD_WITHIN = timedelta(days=14)  # held reviews are recent: moderators keep up
REPORTED_SHARE = 0.01
REPORTED_WITHIN = timedelta(days=90)

# The demo owner's queue: (hours since published, stars). Two due within 12 hours.
OWNER_WAITING = ((1.5, 1), (6.0, 5), (14.0, 2), (30.0, 4), (38.0, 3), (44.0, 1))
OWNER_OVERDUE = ((77.0, 2), (98.0, 5), (155.0, 1))

SUGGESTION_SHARE = 0.06  # of reviews that are more than a line: they ask for something
# The store's latest answers the coach compares each demo answer with: the form passes 50
# (selectors.answer_history); 10 catch the demo's pasted boilerplate at half the cost.
COACH_HISTORY = 10
SUGGESTIONS_PER_PRODUCT = 2  # of its aisle's SUGGESTIONS, what a product's buyers ask for

# The story products (saypro.catalog.demo.STORIES): see the module docstring.
STORY_BY_KEY: dict[str, Story] = {story.key: story for story in STORIES}
STORY_REVIEW_SHARE = 0.9  # of a story product's delivered items
STORY_SUGGESTION_SHARE = 0.3
CALM_PROBLEM_SHARE = 0.02  # of a story product's reviews that mention its problem while calm
RISE = timedelta(days=27)  # a rising problem appears this long before ``now``...
RISE_SHARES = (0.5, 0.75)  # ...in this share of reviews at first, and in this share by now
FIXED_PROBLEM_SHARE = 0.45  # before the fix shipped
FIX_PRAISE_SHARE = 0.3  # of reviews after the fix, those that praise it
PROBLEM_RATINGS = (30, 35, 28, 7, 0)  # stars 1 to 5 of a review that reports the problem


def _stream(seed: int, name: str) -> random.Random:
    """An independent random stream per concern, so one concern's draws never shift another's."""
    return random.Random(f"saypro-demo:{seed}:reviews:{name}")


# --- What the reviews are about ------------------------------------------------------


@dataclass(frozen=True)
class CatalogStore:
    pk: int
    external_id: str
    name: str
    members: tuple[tuple[int, str], ...]  # (user id, first name), longest-serving first


@dataclass(frozen=True)
class CatalogBuyer:
    pk: int
    email: str
    first_name: str


@dataclass(frozen=True)
class CatalogItem:
    """A delivered order item that has no review yet."""

    pk: int
    order_number: str
    buyer: int  # index into DemoCatalog.buyers
    store: int  # index into DemoCatalog.stores
    product_pk: int
    category_slug: str
    title: str  # as ordered
    placed_at: datetime
    delivered_at: datetime


@dataclass(frozen=True)
class DemoCatalog:
    stores: list[CatalogStore]  # by external id
    buyers: list[CatalogBuyer]  # by email
    items: list[CatalogItem]  # oldest delivery first
    stories: dict[int, str] = field(default_factory=dict)  # product pk → story key


def read_demo_catalog(*, seed: int = DEFAULT_SEED) -> DemoCatalog:
    """The demo stores, buyers and reviewable items, in an order that does not depend on ids.

    ``stories`` are the story products of the marketplace loaded with ``seed``.
    """
    store_rows = list(
        Store.objects.filter(external_id__startswith=STORE_EXTERNAL_ID_PREFIX)
        .order_by("external_id")
        .values_list("pk", "external_id", "name")
    )
    members: dict[int, list[tuple[int, str]]] = {pk: [] for pk, _, _ in store_rows}
    for store_pk, user_pk, first_name in (
        StoreMembership.objects.filter(store_id__in=members)
        .order_by("created_at", "user__email")
        .values_list("store_id", "user_id", "user__first_name")
    ):
        members[store_pk].append((user_pk, first_name))
    stores = [
        CatalogStore(pk, external_id, name, tuple(members[pk]))
        for pk, external_id, name in store_rows
    ]
    buyers = [
        CatalogBuyer(*row)
        for row in User.objects.filter(
            email__iendswith=f"@{DEMO_EMAIL_DOMAIN}", is_staff=False, memberships__isnull=True
        )
        .order_by("email")
        .values_list("pk", "email", "first_name")
    ]
    store_index = {store.pk: index for index, store in enumerate(stores)}
    buyer_index = {buyer.pk: index for index, buyer in enumerate(buyers)}
    rows = (
        OrderItem.objects.filter(
            order__store__external_id__startswith=STORE_EXTERNAL_ID_PREFIX,
            order__buyer__email__iendswith=f"@{DEMO_EMAIL_DOMAIN}",
            order__status=Order.Status.DELIVERED,
            review__isnull=True,
        )
        .order_by("order__delivered_at", "order__number", "pk")
        .values_list(
            "pk",
            "order__number",
            "order__buyer_id",
            "order__store_id",
            "product_id",
            "product__category__slug",
            "title",
            "order__placed_at",
            "order__delivered_at",
        )
    )
    items = []
    for pk, number, buyer_pk, store_pk, product_pk, slug, title, placed, delivered in rows:
        if buyer_pk in buyer_index:  # not a store member buying from a colleague
            items.append(
                CatalogItem(
                    pk=pk,
                    order_number=number,
                    buyer=buyer_index[buyer_pk],
                    store=store_index[store_pk],
                    product_pk=product_pk,
                    category_slug=slug or "",
                    title=title,
                    placed_at=placed,
                    delivered_at=delivered,
                )
            )
    stories = {pk: key for key, pk in story_products_in_database(seed).items()}
    return DemoCatalog(stores=stores, buyers=buyers, items=items, stories=stories)


# --- The description of the reviews -----------------------------------------------------


@dataclass(frozen=True)
class AnswerSpec:
    author: int  # index into the store's members
    body: str
    published_at: datetime
    quality: str  # "good", or how it is poor: see POOR_KINDS

    def response_time(self, review: "ReviewSpec") -> timedelta:
        return self.published_at - review.created_at


@dataclass(frozen=True)
class ReportSpec:
    reporter: int  # index into DemoCatalog.buyers
    reason: str
    note: str
    created_at: datetime


@dataclass(frozen=True)
class ReviewSpec:
    item: int  # index into DemoCatalog.items
    rating: int
    title: str
    body: str
    created_at: datetime  # also published_at, unless held
    hold_reason: str = ""  # held for moderation when not empty
    answer: AnswerSpec | None = None
    helpful_votes: tuple[tuple[int, datetime], ...] = ()  # (index into buyers, when)
    reports: tuple[ReportSpec, ...] = ()
    story: str = ""  # the key of its product's story, if the product has one
    has_problem: bool = False  # reports the story's planted problem
    suggestion: str = ""  # the SUGGESTIONS key of what it asks for, if anything

    @property
    def is_held(self) -> bool:
        return bool(self.hold_reason)

    @property
    def published_at(self) -> datetime | None:
        return None if self.is_held else self.created_at


@dataclass(frozen=True)
class ReviewsSpec:
    seed: int
    now: datetime
    reviews: list[ReviewSpec]  # in catalog item order


POOR_KINDS = ("generic", "boilerplate", "defensive", "shouting", "no_next_step")


@dataclass(frozen=True)
class _StoreHabits:
    weakness: float  # 0 good … 1 poor: how its ratings lean
    answer_rate: float
    late_share: float  # of its answers
    poor_share: float  # of its answers
    boilerplate: str


@dataclass
class _Draft:
    """A review while it is being built; becomes a ReviewSpec."""

    item: int
    rating: int
    created_at: datetime
    title: str = ""
    body: str = ""
    praised: tuple[str, ...] = ()
    complained: tuple[str, ...] = ()
    hold_reason: str = ""
    answer: AnswerSpec | None = None
    answer_required: str = ""  # "never" (the owner's queue) or "good" (the demo buyer's)
    helpful_votes: tuple[tuple[int, datetime], ...] = ()
    reports: tuple[ReportSpec, ...] = ()
    story: str = ""
    has_problem: bool = False
    praises_fix: bool = False  # after a "fixed" story's fix: praises it
    suggestion: str = ""


def build_reviews(*, seed: int = DEFAULT_SEED, now: datetime, catalog: DemoCatalog) -> ReviewsSpec:
    """Describe the reviews of ``catalog`` as of ``now``; touches no database."""
    if seed < 0:
        raise ValueError("The seed must be zero or more.")
    habits = _store_habits(_stream(seed, "stores"), catalog)
    drafts = _who_reviews_what(seed, now, catalog, habits)
    text_rng = _stream(seed, "text")
    for draft in drafts:
        _write_review(text_rng, draft, catalog)
        reasons = hold_reasons(draft.title, draft.body)  # as publish_review would
        draft.hold_reason = " ".join(reasons)
    _hold_some(_stream(seed, "held"), drafts, catalog, now)
    answer_rng = _stream(seed, "answers")
    for draft in drafts:
        if not draft.hold_reason:
            draft.answer = _answer(answer_rng, draft, catalog, habits, now)
    demo_buyer = _buyer_index(catalog, ACCOUNTS["buyer"].email)
    _vote(_stream(seed, "votes"), drafts, catalog, now, demo_buyer)
    _report(_stream(seed, "reports"), drafts, catalog, now, demo_buyer)
    return ReviewsSpec(
        seed=seed,
        now=now,
        reviews=[
            ReviewSpec(
                item=draft.item,
                rating=draft.rating,
                title=draft.title,
                body=draft.body,
                created_at=draft.created_at,
                hold_reason=draft.hold_reason,
                answer=draft.answer,
                helpful_votes=draft.helpful_votes,
                reports=draft.reports,
                story=draft.story,
                has_problem=draft.has_problem,
                suggestion=draft.suggestion,
            )
            for draft in drafts
        ],
    )


def _buyer_index(catalog: DemoCatalog, email: str) -> int | None:
    return next((i for i, buyer in enumerate(catalog.buyers) if buyer.email == email), None)


def _store_habits(rng: random.Random, catalog: DemoCatalog) -> list[_StoreHabits]:
    habits = []
    for store in catalog.stores:
        boilerplate = rng.choice(words.BOILERPLATE_ANSWERS)
        if store.external_id == OWNER_STORE_EXTERNAL_ID:  # fixed, so its pages always show a mix
            habits.append(_StoreHabits(0.3, 0.72, 0.25, 0.2, boilerplate))
            continue
        habits.append(
            _StoreHabits(
                weakness=rng.betavariate(1.2, 4.2),
                answer_rate=rng.betavariate(6, 2.5),
                late_share=rng.betavariate(2, 7),
                poor_share=rng.betavariate(2, 9),
                boilerplate=boilerplate,
            )
        )
    return habits


def _who_reviews_what(
    seed: int, now: datetime, catalog: DemoCatalog, habits: list[_StoreHabits]
) -> list[_Draft]:
    """Which items get a review, with how many stars and when, in catalog item order."""
    rng, time_rng = _stream(seed, "reviewers"), _stream(seed, "times")
    story_rng = _stream(seed, "stories")
    # Whether a story review reports the problem is spread evenly rather than drawn review by
    # review ("error diffusion"): the planted share holds even over the few reviews of a
    # tiny demo. Each story starts at a random point of its cycle.
    credit = {story.key: story_rng.random() for story in STORIES}
    demo_buyer = _buyer_index(catalog, ACCOUNTS["buyer"].email)
    forced = _owner_queue(_stream(seed, "owner-queue"), catalog, now, demo_buyer)
    demo_buyer_order = next(
        (item.order_number for item in catalog.items if item.buyer == demo_buyer), None
    )
    keenness = [rng.betavariate(2.8, 1.15) for _ in catalog.buyers]  # how often each one reviews
    product_lean: dict[int, float] = {}
    drafts: list[_Draft] = []
    demo_buyer_reviews = 0
    for index, item in enumerate(catalog.items):
        if index in forced:
            drafts.append(forced[index])
            continue
        if item.buyer == demo_buyer:
            # Only their oldest order: the rest stay reviewable for whoever tries the demo.
            if item.order_number == demo_buyer_order:
                written = item.delivered_at + timedelta(hours=time_rng.uniform(20, 30))
                if written <= now:
                    rating = (5, 4)[demo_buyer_reviews % 2]
                    drafts.append(_Draft(index, rating, written, answer_required="good"))
                    demo_buyer_reviews += 1
            continue
        story = catalog.stories.get(item.product_pk, "")
        if story:
            if story_rng.random() >= STORY_REVIEW_SHARE:
                continue
            written = _written_at(time_rng, item.delivered_at)
            draft = _Draft(index, 0, written, story=story)
            credit[story] += _problem_share(story, written, now)
            draft.has_problem = credit[story] >= 1
            credit[story] -= draft.has_problem
            if draft.has_problem:
                draft.rating = story_rng.choices(range(1, 6), weights=PROBLEM_RATINGS)[0]
            else:
                draft.rating = _rating(rng, item, habits, product_lean)
                draft.praises_fix = (
                    STORY_BY_KEY[story].kind == "fixed"
                    and written >= fix_shipped_at(now)
                    and story_rng.random() < FIX_PRAISE_SHARE
                )
            if written <= now:
                drafts.append(draft)
            continue
        if rng.random() >= keenness[item.buyer]:
            continue
        rating = _rating(rng, item, habits, product_lean)
        written = _written_at(time_rng, item.delivered_at)
        if written <= now:
            drafts.append(_Draft(index, rating, written))
    return drafts


def _rating(
    rng: random.Random,
    item: CatalogItem,
    habits: list[_StoreHabits],
    product_lean: dict[int, float],
) -> int:
    """Stars drawn from the store's and product's lean; a slow delivery pulls them down."""
    if item.product_pk not in product_lean:
        product_lean[item.product_pk] = rng.gauss(0, 0.12)
    lean = habits[item.store].weakness + product_lean[item.product_pk]
    if _delivery_days(item) >= SLOW_DELIVERY_DAYS + 1:
        lean += 0.15
    lean = min(max(lean, 0.0), 1.0)
    pairs = zip(STRONG_RATINGS, WEAK_RATINGS, strict=True)
    weights = [strong * (1 - lean) + weak * lean for strong, weak in pairs]
    return rng.choices(range(1, 6), weights=weights)[0]


def _problem_share(story: str, written: datetime, now: datetime) -> float:
    """The chance that a review of a story product written at ``written`` reports its problem."""
    if STORY_BY_KEY[story].kind == "fixed":
        return FIXED_PROBLEM_SHARE if written < fix_shipped_at(now) else CALM_PROBLEM_SHARE
    age = now - written
    if age > RISE:
        return CALM_PROBLEM_SHARE
    first, last = RISE_SHARES
    return first + (last - first) * (1 - age / RISE)


def _owner_queue(
    rng: random.Random, catalog: DemoCatalog, now: datetime, demo_buyer: int | None
) -> dict[int, _Draft]:
    """Unanswered reviews for the demo owner's store: recent ones (two negative) and overdue."""
    owner_store = next(
        (i for i, s in enumerate(catalog.stores) if s.external_id == OWNER_STORE_EXTERNAL_ID), None
    )
    if owner_store is None:
        return {}
    candidates = [
        index
        for index, item in enumerate(catalog.items)
        if item.store == owner_store and item.buyer != demo_buyer
    ]
    candidates.reverse()  # latest delivery first
    forced: dict[int, _Draft] = {}
    for hours, stars in sorted(OWNER_WAITING + OWNER_OVERDUE):
        written = now - timedelta(hours=hours * rng.uniform(0.95, 1.05))
        index = next(
            (
                i
                for i in candidates
                if i not in forced and catalog.items[i].delivered_at <= written - timedelta(hours=1)
            ),
            None,
        )
        if index is not None:
            story = catalog.stories.get(catalog.items[index].product_pk, "")
            # a low rating of a product whose problem is rising: one more report of it
            has_problem = bool(story) and stars <= 2 and _problem_share(story, written, now) > 0.1
            forced[index] = _Draft(
                index, stars, written, answer_required="never", story=story, has_problem=has_problem
            )
    return forced


def _delivery_days(item: CatalogItem) -> int:
    return max(1, round((item.delivered_at - item.placed_at).total_seconds() / 86400))


def _written_at(rng: random.Random, delivered_at: datetime) -> datetime:
    """When a buyer writes their review: same day to weeks later, mostly in the evening."""
    roll = rng.random()
    if roll < 0.25:
        days = 0
    elif roll < 0.47:
        days = 1
    elif roll < 0.60:
        days = 2
    elif roll < 0.80:
        days = rng.randint(3, 6)
    else:
        days = rng.randint(7, 24)
    local = timezone.localtime(delivered_at)
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    moment = datetime.combine(
        local.date() + timedelta(days=days),
        clock_time(hour, rng.randrange(60), rng.randrange(60)),
        tzinfo=local.tzinfo,
    )
    if moment < delivered_at + timedelta(minutes=30):
        moment = delivered_at + timedelta(hours=rng.uniform(0.5, 4))
    return moment.astimezone(UTC)


# --- Writing the texts ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProductWords:
    """What a buyer calls a product and what they can say about it."""

    department: str
    aisle: str  # slug
    noun: str  # "dress", "sneakers"
    plural: bool
    material: str  # "" when the title names none worth mentioning
    aspects: tuple[str, ...]
    pets: tuple[str, ...]


_AISLES: dict[str, tuple[Department, Aisle]] = {
    slugify(aisle.name): (department, aisle)
    for department in DEPARTMENTS
    for aisle in department.aisles
}


@cache
def product_words(category_slug: str, title: str) -> ProductWords:
    """Work out the item, its material and its aspects from the product's aisle and title."""
    if category_slug not in _AISLES:  # not a demo category: say little, but say it well
        return ProductWords("", category_slug, "item", False, "", ("build", "durability"), ("pet",))
    department, aisle = _AISLES[category_slug]
    lowered = title.lower()
    matches = [item for item in aisle.items if item.noun.lower() in lowered]
    item = max(matches, key=lambda match: len(match.noun), default=aisle.items[0])
    short = item.noun.split(",")[0]
    noun = words.ITEM_NICKNAMES.get(short, short)
    plural = noun.endswith("s") and not noun.endswith("ss")
    plural = plural and noun not in words.SINGULAR_ENDING_IN_S
    material = ""
    if (
        department.name not in words.DEPARTMENTS_WITHOUT_MATERIALS
        and category_slug not in words.AISLES_WITHOUT_MATERIALS
    ):
        materials = item.materials if item.materials is not None else aisle.materials
        found = [
            m for m in materials if m and m not in words.NOT_MATERIALS and m.lower() in lowered
        ]
        material = max(found, key=len, default="")
    aspects = words.AISLE_ASPECTS.get(category_slug, ("build", "durability"))
    extra = tuple(a for a in words.ITEM_ASPECTS.get(short, ()) if a not in aspects)
    return ProductWords(
        department=department.name,
        aisle=category_slug,
        noun=noun,
        plural=plural,
        material=material,
        aspects=aspects + extra,
        pets=words.PETS.get(category_slug, ("pet",)),
    )


class _Text:
    """The slots and grammar of one review's product, shared by the review and its answer."""

    def __init__(self, product: ProductWords, item: CatalogItem, store: str):
        days = _delivery_days(item)
        noun, plural = product.noun, product.plural
        this = f"{'these' if plural else 'this'} {noun}"
        it = "they" if plural else "it"
        self.product = product
        self.days = days
        self.slots = {
            "noun": noun,
            "this": this,
            "This": this[:1].upper() + this[1:],
            "it": it,
            "It": it.capitalize(),
            "material": product.material,
            "store": store,
            # fixed per order, so the review and its answer name the same animal
            "pet": product.pets[sum(map(ord, item.order_number)) % len(product.pets)],
            "days": "the next day"
            if days <= 1
            else f"in {words.NUMBER_WORDS[days] if days < len(words.NUMBER_WORDS) else days} days",
            "day_count": str(days),
        }

    def __call__(self, template: str, **extra: str) -> str:
        slots = {**self.slots, **extra} if extra else self.slots
        return render(template, slots, self.product.plural)

    def usable(self, templates: Sequence[str]) -> tuple[str, ...]:
        return _usable(templates, self.product.material)

    def delivery_worth(self, side: str) -> bool:
        """Whether the delivery was fast enough to praise or slow enough to complain about."""
        if side == "praise":
            return self.days <= FAST_DELIVERY_DAYS
        return self.days >= SLOW_DELIVERY_DAYS


@cache
def _usable(templates: tuple[str, ...], material: str) -> tuple[str, ...]:
    """The templates that can be filled: those naming the material only if there is one."""
    if material:
        return templates
    return tuple(template for template in templates if "{material}" not in template)


def _sentiment(rng: random.Random, rating: int) -> tuple[int, int]:
    """How many aspects a review of ``rating`` stars praises and complains about."""
    if rating == 5:
        return rng.choices((1, 2, 3), weights=(45, 40, 15))[0], 0
    if rating == 4:
        return rng.choices((1, 2, 3), weights=(50, 40, 10))[0], int(rng.random() < 0.5)
    if rating == 3:
        return int(rng.random() < 0.8), rng.choices((1, 2), weights=(70, 30))[0]
    if rating == 2:
        return int(rng.random() < 0.35), rng.choices((1, 2), weights=(55, 45))[0]
    return 0, rng.choices((1, 2, 3), weights=(45, 40, 15))[0]


@cache
def _aspect_pool(product: ProductWords, side: str) -> tuple[tuple[str, int], ...]:
    """(aspect, weight) a product can be praised or faulted on; its own count three times."""
    return tuple(
        (aspect, 3 if own else 1)
        for own, aspects in ((True, product.aspects), (False, words.COMMON_ASPECTS))
        for aspect in aspects
        if _usable(getattr(ASPECTS[aspect], side), product.material)
    )


def _pick_aspects(
    rng: random.Random, text: _Text, count: int, side: str, taken: Sequence[str] = ()
) -> tuple[str, ...]:
    """``count`` distinct aspects, drawn by weight; delivery only when it was fast (or slow)."""
    pool = [
        (aspect, weight)
        for aspect, weight in _aspect_pool(text.product, side)
        if aspect not in taken and (aspect != "delivery" or text.delivery_worth(side))
    ]
    chosen: list[str] = []
    while pool and len(chosen) < count:
        aspect = rng.choices([a for a, _ in pool], weights=[w for _, w in pool])[0]
        chosen.append(aspect)
        pool = [(a, w) for a, w in pool if a != aspect]
    return tuple(chosen)


def _write_review(rng: random.Random, draft: _Draft, catalog: DemoCatalog) -> None:
    """Title and body for ``draft``: a few words, a few sentences, or now and then a long story."""
    item = catalog.items[draft.item]
    product = product_words(item.category_slug, item.title)
    text = _Text(product, item, catalog.stores[item.store].name)
    story = words.STORIES.get(draft.story)
    rating = draft.rating
    length = rng.random()
    if length < SHORT_REVIEW_SHARE and not draft.has_problem:
        draft.body = text(rng.choice(words.SHORT_REVIEWS[rating]))
        if rng.random() < 0.4:
            draft.title = text(rng.choice(words.TITLES[rating]))
        return
    is_long = length > 1 - LONG_REVIEW_SHARE
    praise_count, complaint_count = _sentiment(rng, rating)
    if is_long:  # more to say about more aspects, on whichever side the stars lean
        praise_count += 2 if rating >= 4 else 1 if praise_count else 0
        complaint_count += 1 if rating <= 3 else 0
    # a story product's problem stands out: no other complaint blurs it, and a review that
    # reports it does not praise the same thing ("fits like a glove" next to "runs small")
    quiet = story.quiet if story is not None else ()
    draft.praised = _pick_aspects(
        rng, text, praise_count, "praise", quiet if draft.has_problem else ()
    )
    if story is not None and draft.praises_fix:
        draft.praised = (story.problem, *draft.praised)[: max(praise_count, 1)]
    if draft.has_problem:
        complaint_count = max(complaint_count, 1) - 1
    taken = (*draft.praised, *quiet)
    draft.complained = _pick_aspects(rng, text, complaint_count, "complaints", taken)
    if draft.has_problem and story is not None:
        draft.complained = (story.problem, *draft.complained)
    praise = [text(rng.choice(text.usable(ASPECTS[a].praise))) for a in draft.praised]
    complaints = [text(rng.choice(text.usable(ASPECTS[a].complaints))) for a in draft.complained]
    if praise and complaints:  # a mixed review: "…, but …" or "… However, …"
        first = complaints.pop(0)
        # a planted problem keeps a sentence of its own, so no praise blurs how it reads
        if rng.random() < 0.5 and not draft.has_problem:
            praise[-1] = (
                praise[-1].rstrip(".!") + rng.choice(words.BUT_SAME_SENTENCE) + lower_first(first)
            )
        else:
            but = words.BUT_PROBLEM if draft.has_problem else words.BUT_NEW_SENTENCE
            praise.append(rng.choice(but) + lower_first(first))
    for position in range(0 if praise else 1, len(complaints)):
        if rng.random() < 0.35:
            also = rng.choice(("Also, ", "On top of that, ", "And "))
            complaints[position] = also + lower_first(complaints[position])

    introduction: list[str] = []
    if rng.random() < 0.8 or is_long or not (praise or complaints):
        opener = text(rng.choice(words.OPENERS[rating]))
        if rating == 5 and opener.endswith(".") and rng.random() < 0.3:
            opener = opener[:-1] + "!"
        introduction.append(opener)
    if is_long or rng.random() < 0.3:
        contexts = words.CONTEXTS + words.DEPARTMENT_CONTEXTS.get(product.department, ())
        introduction.append(text(rng.choice(contexts)))
    if is_long:
        introduction.append(text(rng.choice(words.LONG_INTRODUCTIONS)))
    closing = [text(rng.choice(words.CLOSERS[rating]))] if is_long or rng.random() < 0.5 else []
    request: list[str] = []
    wishes = story.suggestions if story else _product_suggestions(item.category_slug, item.title)
    if wishes and rng.random() < (STORY_SUGGESTION_SHARE if story else SUGGESTION_SHARE):
        draft.suggestion = rng.choice(wishes)
        request.append(text(rng.choice(words.SUGGESTIONS[draft.suggestion])))
    sentences = introduction + praise + complaints + request + closing
    if is_long:
        paragraphs = [introduction, praise + complaints + request + closing]
        if rng.random() < 0.6:
            paragraphs.append([text(rng.choice(words.UPDATES[rating]))])
        body = "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)
    elif len(sentences) >= 5 and rng.random() < 0.5:
        middle = len(sentences) // 2
        body = " ".join(sentences[:middle]) + "\n\n" + " ".join(sentences[middle:])
    else:
        body = " ".join(sentences)
    if rng.random() < 0.02:  # some people never reach for the shift key
        body = body.lower()
    draft.body = body

    if rng.random() < TITLE_SHARE:
        main = (draft.praised if rating >= 4 else draft.complained) or draft.praised
        aspect_titles: tuple[str, ...] = ()
        if main:
            aspect = ASPECTS[main[0]]
            aspect_titles = aspect.praise_titles if rating >= 4 else aspect.complaint_titles
        if aspect_titles and rng.random() < 0.5:
            title = text(rng.choice(aspect_titles))
        else:
            title = text(rng.choice(words.TITLES[rating]))
        if rating == 5 and rng.random() < 0.2:
            title += "!"
        draft.title = title


@cache
def _product_suggestions(category_slug: str, title: str) -> tuple[str, ...]:
    """What a product's buyers ask for: ``SUGGESTIONS_PER_PRODUCT`` of its aisle's requests.

    Drawn from the product's own title, so each product keeps its own and the choice
    does not depend on the order reviews are written in.
    """
    keys = words.AISLE_SUGGESTIONS.get(category_slug, ())
    count = min(SUGGESTIONS_PER_PRODUCT, len(keys))
    return tuple(random.Random(f"{category_slug}:{title}").sample(keys, count))


def _hold_some(
    rng: random.Random, drafts: list[_Draft], catalog: DemoCatalog, now: datetime
) -> None:
    """Add contact details, a link or a rude word to a few recent reviews: they wait for review."""
    candidates = [
        draft
        for draft in drafts
        if not draft.answer_required
        and not draft.hold_reason
        and draft.created_at >= now - HELD_WITHIN
    ]
    count = min(len(candidates), max(3, round(HELD_SHARE * len(drafts))))
    for draft in sorted(rng.sample(candidates, count), key=lambda d: d.item):
        item = catalog.items[draft.item]
        buyer = catalog.buyers[item.buyer]
        template = rng.choice([t for t, highest in words.HELD_ADDITIONS if draft.rating <= highest])
        phone = f"0{rng.randint(60, 84)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        email = f"{slugify(buyer.first_name).replace('-', '')}{rng.randint(10, 99)}@example.com"
        product = product_words(item.category_slug, item.title)
        addition = render(template, {"phone": phone, "email": email, "noun": product.noun}, False)
        draft.body = f"{draft.body} {addition}"
        draft.hold_reason = " ".join(hold_reasons(draft.title, draft.body))


def _answer(
    rng: random.Random,
    draft: _Draft,
    catalog: DemoCatalog,
    habits: list[_StoreHabits],
    now: datetime,
) -> AnswerSpec | None:
    """Whether, when, by whom and how well the store answers; None while it has not."""
    if draft.answer_required == "never":
        return None
    item = catalog.items[draft.item]
    store = catalog.stores[item.store]
    if not store.members:
        return None
    habit = habits[item.store]
    good_only = draft.answer_required == "good"
    rate = habit.answer_rate + (0.1 if draft.rating <= 2 else 0.05 if draft.rating == 3 else 0)
    answers = good_only or rng.random() < min(rate, 0.97)
    late = not good_only and rng.random() < habit.late_share
    if late:
        response = timedelta(hours=rng.uniform(*LATE_HOURS))
    else:
        low, high, mode = ON_TIME_HOURS
        response = timedelta(hours=rng.triangular(low, high, mode))
    poor = not good_only and rng.random() < habit.poor_share
    author = 1 if len(store.members) > 1 and rng.random() < 0.6 else 0
    if not answers or draft.created_at + response > now:
        return None
    product = product_words(item.category_slug, item.title)
    text = _Text(product, item, store.name)
    slots = {
        "buyer": catalog.buyers[item.buyer].first_name,
        "member": store.members[author][1],
        "order": item.order_number,
        **_topic_and_issue(text, draft),
    }
    if poor:
        quality, body = _poor_answer(rng, text, draft, slots, habit.boilerplate)
    else:
        quality, body = "good", _good_answer(rng, text, draft, slots)
    published_at = draft.created_at + response
    return AnswerSpec(author=author, body=body, published_at=published_at, quality=quality)


def _topic_and_issue(text: _Text, draft: _Draft) -> dict[str, str]:
    praised = ASPECTS[draft.praised[0]] if draft.praised else None
    complained = ASPECTS[draft.complained[0]] if draft.complained else None
    return {
        "topic": text(praised.topic) if praised else f"your {text.product.noun}",
        "issue": text(complained.issue) if complained else "your experience",
        "fix": text(complained.fix) if complained else "put things right",
        "glad": text(praised.glad) if praised else "",
    }


def _good_answer(rng: random.Random, text: _Text, draft: _Draft, slots: dict[str, str]) -> str:
    """Thanks, names the product and what the buyer said; for a complaint, a next step."""
    unhappy = bool(draft.complained) or draft.rating <= 3
    sentences: list[str] = []
    if unhappy and draft.praised:
        sentences.append(text(rng.choice(words.MIXED), **slots))
    elif unhappy:
        if rng.random() < 0.7:
            sentences.append(text(rng.choice(words.THANKS_NEGATIVE), **slots))
        sentences.append(text(rng.choice(words.APOLOGIES), **slots))
    else:
        sentences.append(text(rng.choice(words.THANKS_POSITIVE), **slots))
        if draft.praised:  # name what they liked
            glad = slots["glad"] if rng.random() < 0.5 else rng.choice(words.GLAD_GENERIC)
            sentences.append(text(glad, **slots))
    if unhappy:
        sentences.append(text(rng.choice(words.NEXT_STEPS), **slots))
        if rng.random() < 0.3:
            sentences.append(rng.choice(words.LEARNED))
        closing = rng.choice(words.CLOSINGS_NEGATIVE)
    else:
        closing = rng.choice(words.CLOSINGS_POSITIVE)
    if closing:
        sentences.append(text(closing, **slots))
    paragraphs = [" ".join(sentences)]
    greeting = rng.choice(words.GREETINGS)
    if greeting:
        paragraphs.insert(0, text(greeting, **slots))
    signature = rng.choice(words.SIGNATURES)
    if signature:
        paragraphs.append(text(signature, **slots))
    return "\n\n".join(paragraphs)


def _poor_answer(
    rng: random.Random, text: _Text, draft: _Draft, slots: dict[str, str], boilerplate: str
) -> tuple[str, str]:
    """An answer the coach should flag: generic, pasted, defensive, shouting or a dead end."""
    if draft.complained or draft.rating <= 3:
        kind = rng.choices(POOR_KINDS, weights=(15, 15, 30, 15, 25))[0]
    else:
        kind = rng.choices(POOR_KINDS[:2], weights=(60, 40))[0]
    if kind == "generic":
        body = rng.choice(words.GENERIC_ANSWERS)
    elif kind == "boilerplate":
        body = text(boilerplate)
    elif kind == "defensive":
        aspect = ASPECTS[draft.complained[0]] if draft.complained else None
        if aspect and aspect.defensive and rng.random() < 0.6:
            body = aspect.defensive
        else:
            body = text(rng.choice(words.DEFENSIVE_ANSWERS), **slots)
    elif kind == "shouting":
        body = rng.choice(words.SHOUTING_ANSWERS)
    else:
        body = text(rng.choice(words.NO_NEXT_STEP_ANSWERS), **slots)
    return kind, body


def _vote(
    rng: random.Random,
    drafts: list[_Draft],
    catalog: DemoCatalog,
    now: datetime,
    demo_buyer: int | None,
) -> None:
    """A few published reviews are marked helpful; long and negative ones more often."""
    for draft in drafts:
        if draft.hold_reason:
            continue
        chance = 0.05 + (0.05 if len(draft.body) > 200 else 0) + (0.04 if draft.rating <= 2 else 0)
        if rng.random() >= chance:
            continue
        count = min(1 + int(rng.expovariate(0.5)), 15)
        excluded = {catalog.items[draft.item].buyer, demo_buyer}
        voters = _others(rng, len(catalog.buyers), count, excluded)
        age = (now - draft.created_at).total_seconds()
        moments = sorted(draft.created_at + timedelta(seconds=age * rng.random()) for _ in voters)
        draft.helpful_votes = tuple(zip(voters, moments, strict=True))


def _others(rng: random.Random, population: int, count: int, excluded: set) -> list[int]:
    """Up to ``count`` distinct buyer indexes, none of them ``excluded``."""
    chosen: list[int] = []
    if population - len(excluded) < count:
        return chosen
    while len(chosen) < count:
        pick = rng.randrange(population)
        if pick not in excluded and pick not in chosen:
            chosen.append(pick)
    return chosen


def _report(
    rng: random.Random,
    drafts: list[_Draft],
    catalog: DemoCatalog,
    now: datetime,
    demo_buyer: int | None,
) -> None:
    """About 1 % of reviews reported by other buyers, recent and negative ones more often."""
    published = [draft for draft in drafts if not draft.hold_reason]
    candidates = [
        draft
        for draft in published
        if draft.created_at >= now - REPORTED_WITHIN
        and catalog.items[draft.item].buyer != demo_buyer
    ]
    count = min(len(candidates), max(2, round(REPORTED_SHARE * len(published))))
    weights = [2 if draft.rating <= 2 else 1 for draft in candidates]
    chosen: dict[int, _Draft] = {}
    while len(chosen) < count:
        draft = rng.choices(candidates, weights=weights)[0]
        chosen[draft.item] = draft
    reasons = list(words.REPORT_REASON_WEIGHTS)
    reason_weights = list(words.REPORT_REASON_WEIGHTS.values())
    for _, draft in sorted(chosen.items()):
        reporters = _others(
            rng,
            len(catalog.buyers),
            rng.choices((1, 2, 3), weights=(75, 20, 5))[0],
            {catalog.items[draft.item].buyer, demo_buyer},
        )
        reports = []
        for reporter in reporters:
            reason = rng.choices(reasons, weights=reason_weights)[0]
            moment = draft.created_at + (now - draft.created_at) * rng.uniform(0.3, 1.0)
            note = rng.choice(words.REPORT_NOTES[reason])
            reports.append(ReportSpec(reporter, reason, note, moment))
        draft.reports = tuple(reports)


# --- Writing it ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewsReport:
    created: bool  # False: demo reviews were already there (or nothing to review); none written
    reviewable_items: int  # delivered demo items without a review before the run (or in all)
    reviews: int
    held: int
    answers: int
    answers_on_time: int
    poor_answers: int | None  # None when reporting reviews loaded earlier
    waiting: int  # published and unanswered
    overdue: int  # of those, past the 48-hour goal
    reported_reviews: int
    reports: int
    helpful_votes: int
    seconds: float


def _demo_reviews():
    """Reviews this module wrote: its external ids, on demo stores (imports use other stores)."""
    return Review.objects.filter(
        external_id__startswith=REVIEW_EXTERNAL_ID_PREFIX,
        store__external_id__startswith=STORE_EXTERNAL_ID_PREFIX,
    )


def demo_reviews_present() -> bool:
    return _demo_reviews().exists()


def load_demo_reviews(
    *,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    progress: ProgressFactory = no_progress,
) -> ReviewsReport:
    """Review the demo marketplace in one transaction, unless demo reviews are already there.

    Atomic: a failure part-way leaves the database as it was. Reviews only the
    delivered items of demo stores bought by demo buyers that have no review
    yet, so it also works on a demo marketplace loaded before reviews existed.
    """
    started = time.monotonic()
    now = now or timezone.now()
    with transaction.atomic():
        if demo_reviews_present():
            return _existing_report(time.monotonic() - started)
        catalog = read_demo_catalog(seed=seed)
        spec = build_reviews(seed=seed, now=now, catalog=catalog)
        if spec.reviews:
            _write(spec, catalog, progress)
    reviews = spec.reviews
    answers = [review.answer for review in reviews if review.answer]
    waiting = [review for review in reviews if not review.is_held and not review.answer]
    return ReviewsReport(
        created=bool(reviews),
        reviewable_items=len(catalog.items),
        reviews=len(reviews),
        held=sum(review.is_held for review in reviews),
        answers=len(answers),
        answers_on_time=sum(
            review.answer.response_time(review) <= RESPONSE_GOAL
            for review in reviews
            if review.answer
        ),
        poor_answers=sum(answer.quality != "good" for answer in answers),
        waiting=len(waiting),
        overdue=sum(review.created_at + RESPONSE_GOAL <= now for review in waiting),
        reported_reviews=sum(bool(review.reports) for review in reviews),
        reports=sum(len(review.reports) for review in reviews),
        helpful_votes=sum(len(review.helpful_votes) for review in reviews),
        seconds=time.monotonic() - started,
    )


def _existing_report(seconds: float) -> ReviewsReport:
    reviews = _demo_reviews()
    answers = Answer.objects.filter(review__in=reviews, withdrawn_at__isnull=True)
    published = reviews.filter(status=Review.Status.PUBLISHED)
    demo_items = OrderItem.objects.filter(
        order__store__external_id__startswith=STORE_EXTERNAL_ID_PREFIX,
        order__status=Order.Status.DELIVERED,
    )
    return ReviewsReport(
        created=False,
        reviewable_items=demo_items.count(),
        reviews=reviews.count(),
        held=reviews.filter(status=Review.Status.HELD).count(),
        answers=answers.count(),
        answers_on_time=answers.filter(response_time__lte=RESPONSE_GOAL).count(),
        poor_answers=None,
        waiting=published.filter(is_answered=False).count(),
        overdue=published.filter(is_answered=False, response_due_at__lte=timezone.now()).count(),
        reported_reviews=published.filter(open_report_count__gt=0).count(),
        reports=Report.objects.filter(review__in=reviews).count(),
        helpful_votes=HelpfulVote.objects.filter(review__in=reviews).count(),
        seconds=seconds,
    )


def _bulk(model, objects: list, bar: ProgressBar) -> list:
    """bulk_create in batches, advancing ``bar``; the objects come back with their pks."""
    for start in range(0, len(objects), BATCH_SIZE):
        batch = objects[start : start + BATCH_SIZE]
        model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        bar.update(len(batch))
    return objects


def _coach_scores(spec: ReviewsSpec, catalog: DemoCatalog) -> dict[int, int]:
    """The response coach's score of each answer (by review index), as the answer form saves it.

    Answers are scored in the order they went out, each against its store's latest earlier
    ones (the coach's history, as ``answer_coach.coaching_for`` passes it; COACH_HISTORY).
    """
    answered = sorted(
        (index for index, review in enumerate(spec.reviews) if review.answer),
        key=lambda index: spec.reviews[index].answer.published_at,
    )
    history: dict[int, deque[str]] = defaultdict(lambda: deque(maxlen=COACH_HISTORY))
    scores = {}
    for index in answered:
        review = spec.reviews[index]
        item = catalog.items[review.item]
        earlier = history[item.store]
        scores[index] = coach(
            ReviewInput(
                text=review.body,
                rating=review.rating,
                product=item.title,
                reviewer=catalog.buyers[item.buyer].first_name,
                title=review.title,
                published_at=review.created_at,
            ),
            review.answer.body,
            list(reversed(earlier)),
            now=review.answer.published_at,
        ).score
        earlier.append(review.answer.body)
    return scores


def _write(spec: ReviewsSpec, catalog: DemoCatalog, progress: ProgressFactory) -> None:
    bar = progress("Reviews", len(spec.reviews))
    rows = []
    for number, review in enumerate(spec.reviews, start=1):
        item = catalog.items[review.item]
        published_at = review.published_at
        rows.append(
            Review(
                product_id=item.product_pk,
                store_id=catalog.stores[item.store].pk,
                order_item_id=item.pk,
                author_id=catalog.buyers[item.buyer].pk,
                rating=review.rating,
                title=review.title,
                body=review.body,
                is_verified=True,
                external_id=f"{REVIEW_EXTERNAL_ID_PREFIX}{number:06d}",
                status=Review.Status.HELD if review.is_held else Review.Status.PUBLISHED,
                hold_reason=review.hold_reason,
                created_at=review.created_at,
                published_at=published_at,
                response_due_at=published_at + RESPONSE_GOAL if published_at else None,
                is_answered=review.answer is not None,
                helpful_count=len(review.helpful_votes),
                open_report_count=len(review.reports),
            )
        )
    _bulk(Review, rows, bar)
    bar.close()

    scores = _coach_scores(spec, catalog)
    answers = [
        Answer(
            review=row,
            store_id=row.store_id,
            author_id=catalog.stores[catalog.items[review.item].store].members[
                review.answer.author
            ][0],
            body=review.answer.body,
            published_at=review.answer.published_at,
            response_time=review.answer.response_time(review),
            coach_score=scores[index],
        )
        for index, (row, review) in enumerate(zip(rows, spec.reviews, strict=True))
        if review.answer
    ]
    bar = progress("Answers", len(answers))
    _bulk(Answer, answers, bar)
    bar.close()

    decisions = [
        ModerationDecision(
            review=row,
            actor=None,
            action=ModerationDecision.Action.HOLD,
            reason=review.hold_reason,
            created_at=review.created_at,
        )
        for row, review in zip(rows, spec.reviews, strict=True)
        if review.is_held
    ]
    reports = [
        Report(
            review=row,
            reporter_id=catalog.buyers[report.reporter].pk,
            reason=report.reason,
            note=report.note,
            created_at=report.created_at,
        )
        for row, review in zip(rows, spec.reviews, strict=True)
        for report in review.reports
    ]
    votes = [
        HelpfulVote(review=row, voter_id=catalog.buyers[voter].pk, created_at=moment)
        for row, review in zip(rows, spec.reviews, strict=True)
        for voter, moment in review.helpful_votes
    ]
    bar = progress("Moderation", len(decisions) + len(reports) + len(votes))
    _bulk(ModerationDecision, decisions, bar)
    _bulk(Report, reports, bar)
    _bulk(HelpfulVote, votes, bar)
    bar.close()

    store_pks = {row.store_id for row in rows}
    bar = progress("Ratings", 2)
    rate_products_and_stores(store_pks)
    bar.update(2)
    bar.close()
    services.flag_response_deadlines(now=spec.now)


RATING_FIELDS = ("count", "total", "stars_1", "stars_2", "stars_3", "stars_4", "stars_5")


def rate_products_and_stores(store_pks: set[int]) -> None:
    """Set the rating aggregates of these stores and their products from their published reviews.

    One grouped query per aggregate and one upsert each, so the rows are exact
    however they stood before (what ``services._recount`` keeps exact from here on).
    """
    published = Review.objects.filter(store_id__in=store_pks, status=Review.Status.PUBLISHED)
    counts = {
        "count": Count("pk"),
        "total": Sum("rating"),
        **{f"stars_{stars}": Count("pk", filter=Q(rating=stars)) for stars in range(1, 6)},
    }
    for model, key in ((ProductRating, "product"), (StoreRating, "store")):
        rows = published.values(f"{key}_id").annotate(**counts).order_by(f"{key}_id")
        model.objects.bulk_create(
            [model(**row) for row in rows],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=[key],
            update_fields=list(RATING_FIELDS),
        )
