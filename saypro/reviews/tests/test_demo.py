"""Demo reviews: ``saypro.reviews.demo`` and the reviews part of ``saypro demo``."""

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from io import StringIO
from statistics import mean

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from saypro.accounts.models import User
from saypro.catalog import demo as catalog_demo
from saypro.catalog.models import Category, Order, OrderItem, Product, Store, StoreMembership
from saypro.reviews import demo, selectors, services
from saypro.reviews import demo_vocabulary as words
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

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def catalog_from_spec(spec: catalog_demo.DemoSpec) -> demo.DemoCatalog:
    """What ``read_demo_catalog`` reads once ``spec`` is loaded, with list positions as ids."""
    buyer_order = sorted(range(spec.buyers), key=lambda person: spec.people[person].email)
    buyer_index = {person: position for position, person in enumerate(buyer_order)}
    buyers = [
        demo.CatalogBuyer(person, spec.people[person].email, spec.people[person].first_name)
        for person in buyer_order
    ]
    stores = [
        demo.CatalogStore(
            pk=index,
            external_id=store.external_id,
            name=store.name,
            members=tuple(
                (member, spec.people[member].first_name)
                for member in (store.owner, store.agent)
                if member is not None
            ),
        )
        for index, store in enumerate(spec.stores)
    ]
    delivered = sorted(
        (order for order in spec.orders if order.status == Order.Status.DELIVERED),
        key=lambda order: (order.delivered_at, order.number),
    )
    items = [
        demo.CatalogItem(
            pk=0,
            order_number=order.number,
            buyer=buyer_index[order.buyer],
            store=order.store,
            product_pk=product,
            category_slug=spec.products[product].category_slug,
            title=spec.products[product].title,
            placed_at=order.placed_at,
            delivered_at=order.delivered_at,
        )
        for order in delivered
        for product, _ in order.lines
    ]
    items = [replace_pk(item, pk) for pk, item in enumerate(items)]
    chosen = catalog_demo.choose_story_products(spec.seed, spec.products, len(spec.stores))
    stories = {product: key for key, product in chosen.items()}
    return demo.DemoCatalog(stores=stores, buyers=buyers, items=items, stories=stories)


def replace_pk(item: demo.CatalogItem, pk: int) -> demo.CatalogItem:
    return demo.CatalogItem(**{**item.__dict__, "pk": pk})


def without_ids(catalog: demo.DemoCatalog) -> tuple:
    return (
        [(s.external_id, s.name, [name for _, name in s.members]) for s in catalog.stores],
        [(b.email, b.first_name) for b in catalog.buyers],
        [
            (
                i.order_number,
                i.buyer,
                i.store,
                i.category_slug,
                i.title,
                i.placed_at,
                i.delivered_at,
            )
            for i in catalog.items
        ],
    )


def run_demo(*args: str) -> str:
    stdout = StringIO()
    call_command("demo", *args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def delete_catalog() -> None:
    """Back to an empty database, as fresh as after ``migrate``."""
    OrderItem.objects.all().delete()
    Order.objects.all().delete()
    Product.objects.all().delete()
    StoreMembership.objects.all().delete()
    Store.objects.all().delete()
    EmailAddress.objects.all().delete()
    User.objects.all().delete()
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()


@pytest.fixture
def loaded(db) -> demo.ReviewsReport:
    """The tiny demo marketplace with its reviews, as of NOW."""
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    return demo.load_demo_reviews(seed=1, now=NOW)


@pytest.fixture(scope="module")
def small() -> tuple[demo.DemoCatalog, demo.ReviewsSpec]:
    """The default scale's reviews, described without a database, for statistics."""
    catalog = catalog_from_spec(catalog_demo.build_demo(seed=1, scale="small", now=NOW))
    return catalog, demo.build_reviews(seed=1, now=NOW, catalog=catalog)


# --- The vocabulary -------------------------------------------------------------------


def test_every_aisle_has_aspects_and_every_aspect_exists():
    slugs = {slug for slug in demo._AISLES}

    assert set(words.AISLE_ASPECTS) == slugs
    named = {a for aspects in words.AISLE_ASPECTS.values() for a in aspects}
    named |= {a for aspects in words.ITEM_ASPECTS.values() for a in aspects}
    problems = {story.problem for story in words.STORIES.values()}
    quiet = {aspect for story in words.STORIES.values() for aspect in story.quiet}
    assert named | set(words.COMMON_ASPECTS) | problems <= set(words.ASPECTS)
    assert set(words.ASPECTS) <= named | set(words.COMMON_ASPECTS) | problems  # none unused
    assert quiet <= named and not problems & named  # a problem is only ever planted
    assert set(words.STORIES) == {story.key for story in catalog_demo.STORIES}


def test_every_aisle_asks_for_things_the_vocabulary_words():
    asked = {key for keys in words.AISLE_SUGGESTIONS.values() for key in keys}
    asked |= {key for story in words.STORIES.values() for key in story.suggestions}

    assert set(words.AISLE_SUGGESTIONS) == set(demo._AISLES)
    assert asked == set(words.SUGGESTIONS)  # every one used, none missing


def test_every_template_fills_for_every_product_without_breaking_a_moderation_rule():
    """Each phrase, for each item of each aisle: no unknown slot, nothing that would be held."""
    item = demo.CatalogItem(1, "SP-TEST0001", 0, 0, 1, "", "", NOW - 9 * DAY, NOW - 2 * DAY)
    answer_slots = {"buyer": "Thandi", "member": "Sipho", "order": "SP-TEST0001"}
    answer_slots |= {"topic": "the fit", "issue": "the sizing", "fix": "help", "glad": ""}
    templates = [
        template
        for group in (
            words.OPENERS, words.CLOSERS, words.SHORT_REVIEWS, words.TITLES, words.UPDATES
        )
        for phrases in group.values()
        for template in phrases
    ]  # fmt: skip
    templates += [*words.CONTEXTS, *words.LONG_INTRODUCTIONS]
    templates += [t for phrases in words.SUGGESTIONS.values() for t in phrases]
    templates += [t for phrases in words.DEPARTMENT_CONTEXTS.values() for t in phrases]
    for aspect in words.ASPECTS.values():
        templates += [aspect.topic, aspect.issue, aspect.fix, aspect.glad, aspect.defensive]
        templates += [*aspect.praise, *aspect.complaints]
        templates += [*aspect.praise_titles, *aspect.complaint_titles]
    answers = [
        *words.GREETINGS, *words.THANKS_POSITIVE, *words.GLAD_GENERIC, *words.THANKS_NEGATIVE,
        *words.APOLOGIES, *words.MIXED, *words.NEXT_STEPS, *words.LEARNED,
        *words.CLOSINGS_POSITIVE, *words.CLOSINGS_NEGATIVE, *words.SIGNATURES,
        *words.GENERIC_ANSWERS, *words.BOILERPLATE_ANSWERS, *words.DEFENSIVE_ANSWERS,
        *words.SHOUTING_ANSWERS, *words.NO_NEXT_STEP_ANSWERS,
    ]  # fmt: skip
    products = {
        demo.product_words(slug, title.text)
        for slug, (department, aisle) in demo._AISLES.items()
        for title in catalog_demo.aisle_titles(random.Random(1), department, aisle)
    }
    filled: set[str] = set()
    for product in products:
        text = demo._Text(product, item, "Karoo Leather Works")
        filled.update(
            text(template) for template in demo._usable(tuple(templates), product.material)
        )
        filled.update(text(template, **answer_slots) for template in answers)
    assert not [phrase for phrase in filled if "{" in phrase or "}" in phrase]
    assert [phrase for phrase in filled if hold_reasons(phrase)] == []


def test_product_words_find_the_item_material_and_number():
    shoes = demo.product_words("shoes", "Lightweight nubuck Chelsea boots")
    dress = demo.product_words("womens-clothing", "Wrap linen dress – black")
    honey = demo.product_words("pantry", "Raw macadamia honey, 500 g")
    plant = demo.product_words("plants", "Pincushion protea in 25 cm pot")

    assert (shoes.noun, shoes.plural, shoes.material) == ("Chelsea boots", True, "nubuck")
    assert (dress.noun, dress.plural, dress.material) == ("dress", False, "linen")
    assert (honey.noun, honey.plural, honey.material) == ("honey", False, "")  # a flavour
    assert (plant.noun, plant.plural, plant.material) == ("plant", False, "")
    assert "shoe_fit" in shoes.aspects and "taste" in honey.aspects
    assert (
        "battery" in demo.product_words("phones-accessories", "Slim power bank, 10 000 mAh").aspects
    )


# --- The description (no database) ----------------------------------------------------------


def test_same_seed_same_reviews_and_another_seed_other_ones():
    tiny = catalog_from_spec(catalog_demo.build_demo(seed=1, scale="tiny", now=NOW))

    assert demo.build_reviews(seed=1, now=NOW, catalog=tiny) == demo.build_reviews(
        seed=1, now=NOW, catalog=tiny
    )
    other = demo.build_reviews(seed=2, now=NOW, catalog=tiny)
    assert [r.body for r in other.reviews] != [
        r.body for r in demo.build_reviews(seed=1, now=NOW, catalog=tiny).reviews
    ]
    with pytest.raises(ValueError, match="zero or more"):
        demo.build_reviews(seed=-1, now=NOW, catalog=tiny)


def test_most_delivered_items_are_reviewed_with_realistic_stars_varying_per_store(small):
    catalog, spec = small
    reviews = spec.reviews
    stars = Counter(review.rating for review in reviews)
    per_store = defaultdict(list)
    for review in reviews:
        per_store[catalog.items[review.item].store].append(review.rating)
    averages = sorted(sum(r) / len(r) for r in per_store.values())

    assert 0.65 <= len(reviews) / len(catalog.items) <= 0.75
    for rating, share in {5: 0.55, 4: 0.20, 3: 0.10, 2: 0.07, 1: 0.08}.items():
        assert abs(stars[rating] / len(reviews) - share) < 0.025, rating
    assert averages[0] < 3.8 and averages[-1] > 4.2  # some stores are clearly weaker
    departments = Counter(
        demo.product_words(
            catalog.items[r.item].category_slug, catalog.items[r.item].title
        ).department
        for r in reviews
    )
    assert len(departments) == 10 and min(departments.values()) > 500


def test_texts_are_varied_fit_their_limits_and_break_no_moderation_rule(small):
    _, spec = small
    reviews = spec.reviews
    published = [review for review in reviews if not review.is_held]

    assert len({review.body for review in reviews}) >= 0.9 * len(reviews)
    assert all(1 <= len(review.body) <= 5000 for review in reviews)
    assert all(len(review.title) <= 120 for review in reviews)
    assert 0.6 < sum(bool(review.title) for review in reviews) / len(reviews) < 0.75
    assert any("\n\n" in review.body for review in reviews)  # some long ones, in paragraphs
    assert all(hold_reasons(review.title, review.body) == [] for review in published)
    mixed = [r for r in reviews if r.rating == 3 and (", but " in r.body or "However" in r.body)]
    assert len(mixed) > 100


def test_answers_come_mostly_on_time_a_few_late_some_poor(small):
    _, spec = small
    old = [r for r in spec.reviews if not r.is_held and r.created_at <= NOW - RESPONSE_GOAL]
    answered = [r for r in old if r.answer]
    negative = [r for r in old if r.rating <= 2]
    times = [r.answer.response_time(r) for r in spec.reviews if r.answer]
    qualities = Counter(r.answer.quality for r in spec.reviews if r.answer)

    assert 0.65 <= len(answered) / len(old) <= 0.75
    assert sum(bool(r.answer) for r in negative) / len(negative) > len(answered) / len(old)
    on_time = sum(time <= RESPONSE_GOAL for time in times) / len(times)
    assert 0.7 <= on_time <= 0.9
    assert all(timedelta(0) < t <= RESPONSE_GOAL or 2 * DAY < t <= 10 * DAY for t in times)
    poor = 1 - qualities["good"] / sum(qualities.values())
    assert 0.12 <= poor <= 0.22
    assert set(qualities) == {"good", *demo.POOR_KINDS}
    assert all(r.answer.published_at <= NOW for r in spec.reviews if r.answer)


def test_answers_carry_the_coach_score_and_poor_ones_score_lower():
    catalog = catalog_from_spec(catalog_demo.build_demo(seed=1, scale="tiny", now=NOW))
    spec = demo.build_reviews(seed=1, now=NOW, catalog=catalog)
    scores = demo._coach_scores(spec, catalog)
    assert set(scores) == {index for index, review in enumerate(spec.reviews) if review.answer}
    by_quality = defaultdict(list)
    for index, score in scores.items():
        by_quality[spec.reviews[index].answer.quality == "good"].append(score)
    good, poor = by_quality[True], by_quality[False]
    assert good and poor
    assert mean(good) >= 80 > mean(poor) + 10


def test_a_few_reviews_are_held_reported_or_voted_helpful(small):
    catalog, spec = small
    reviews = spec.reviews
    held = [review for review in reviews if review.is_held]
    reported = [review for review in reviews if review.reports]

    assert 10 <= len(held) <= 100
    assert all(review.created_at >= NOW - demo.HELD_WITHIN for review in held)
    assert all(not review.answer and not review.reports for review in held)
    assert 0.007 <= len(reported) / len(reviews) <= 0.013
    assert len({report.reason for r in reported for report in r.reports}) == 6
    assert all(report.note for r in reported for report in r.reports if report.reason == "other")
    for review in reviews:
        author = catalog.items[review.item].buyer
        people = [voter for voter, _ in review.helpful_votes]
        people += [report.reporter for report in review.reports]
        assert author not in people
        assert len(set(people[: len(review.helpful_votes)])) == len(review.helpful_votes)
    assert 0.04 < sum(bool(r.helpful_votes) for r in reviews) / len(reviews) < 0.1


def test_buyers_of_a_product_ask_for_the_same_few_things(small):
    catalog, spec = small
    asking = [review for review in spec.reviews if review.suggestion]
    per_product = defaultdict(Counter)
    for review in asking:
        per_product[catalog.items[review.item].product_pk][review.suggestion] += 1

    assert 0.05 < len(asking) / len(spec.reviews) < 0.09
    assert all(len(keys) <= 3 for keys in per_product.values())
    assert sum(count >= 3 for keys in per_product.values() for count in keys.values()) >= 50
    for review in asking:  # in the text, in one of its wordings
        product = catalog.items[review.item]
        text = demo._Text(demo.product_words(product.category_slug, product.title), product, "")
        wordings = [text(template) for template in words.SUGGESTIONS[review.suggestion]]
        assert any(wording.lower() in review.body.lower() for wording in wordings)


def test_story_products_carry_their_planted_problem(small):
    """Calm for half a year, then in many reviews of the last four weeks; or fixed 70 days ago."""
    catalog, spec = small
    reviews = defaultdict(list)
    for review in spec.reviews:
        if not review.is_held:
            reviews[catalog.stories.get(catalog.items[review.item].product_pk, "")].append(review)

    def share(found: list) -> float:
        return sum(review.has_problem for review in found) / len(found)

    assert set(reviews) == {"", "zipper", "overheating", "sizing"}
    assert not any(review.has_problem for review in reviews[""])
    window = NOW - 28 * DAY
    for story in ("zipper", "overheating"):
        recent = [review for review in reviews[story] if review.created_at >= window]
        baseline = [r for r in reviews[story] if window - 180 * DAY <= r.created_at < window]
        assert len(baseline) >= 60 and share(baseline) <= 0.05, story
        assert len(recent) >= 25 and share(recent) >= 0.35, story
    shipped = catalog_demo.fix_shipped_at(NOW)
    before = [r for r in reviews["sizing"] if shipped - 70 * DAY <= r.created_at < shipped]
    after = [review for review in reviews["sizing"] if review.created_at >= shipped]
    assert len(before) >= 40 and share(before) >= 0.35
    assert len(after) >= 40 and share(after) <= 0.05
    said = {"zipper": ("zip",), "overheating": ("hot", "overheat"), "sizing": ("small",)}
    for story, found in reviews.items():
        problems = [review for review in found if review.has_problem]
        assert all(any(w in review.body.lower() for w in said[story]) for review in problems)
        assert all(review.rating <= 4 for review in problems)
        if problems:
            assert sum(review.rating for review in problems) / len(problems) < 2.5


# --- Loading it ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_catalog_read_from_the_database_is_the_one_described():
    spec = catalog_demo.build_demo(seed=4, scale="tiny", now=NOW)
    catalog_demo.load_demo(seed=4, scale="tiny", now=NOW)

    catalog = demo.read_demo_catalog(seed=4)
    external_ids = dict(Product.objects.values_list("pk", "external_id"))
    chosen = catalog_demo.choose_story_products(4, spec.products, len(spec.stores))

    assert without_ids(catalog) == without_ids(catalog_from_spec(spec))
    assert {external_ids[pk]: key for pk, key in catalog.stories.items()} == {
        spec.products[index].external_id: key for key, index in chosen.items()
    }
    assert set(chosen) == {"zipper", "overheating", "sizing"}


@pytest.mark.django_db
def test_same_seed_gives_the_same_reviews_in_a_fresh_database():
    catalog_demo.load_demo(seed=5, scale="tiny", now=NOW)
    first = demo.build_reviews(seed=5, now=NOW, catalog=demo.read_demo_catalog())
    delete_catalog()

    catalog_demo.load_demo(seed=5, scale="tiny", now=NOW)
    second = demo.build_reviews(seed=5, now=NOW, catalog=demo.read_demo_catalog())

    assert second == first
    assert len(first.reviews) > 100


@pytest.mark.django_db
def test_load_writes_the_described_reviews(loaded):
    catalog = demo.read_demo_catalog()  # what is still reviewable: nothing reviewed twice
    catalog_demo_items = OrderItem.objects.filter(order__status=Order.Status.DELIVERED).count()
    reviews = Review.objects.order_by("external_id")

    assert loaded.created
    assert reviews.count() == loaded.reviews == catalog_demo_items - len(catalog.items)
    assert loaded.reviewable_items == catalog_demo_items
    assert Answer.objects.count() == loaded.answers
    assert Review.objects.filter(status=Review.Status.HELD).count() == loaded.held >= 3
    assert Report.objects.count() == loaded.reports
    assert HelpfulVote.objects.count() == loaded.helpful_votes
    assert set(Review.objects.values_list("rating", flat=True)) == {1, 2, 3, 4, 5}
    assert reviews.first().external_id == "demo-review-000001"
    bodies = list(reviews.values_list("body", flat=True))
    assert len(set(bodies)) >= 0.8 * len(bodies)


@pytest.mark.django_db
def test_every_review_is_of_a_delivered_item_its_author_bought(loaded):
    for review in Review.objects.select_related("order_item__order"):
        order = review.order_item.order
        assert order.status == Order.Status.DELIVERED
        assert order.buyer_id == review.author_id
        assert (order.store_id, review.order_item.product_id) == (
            review.store_id,
            review.product_id,
        )
        assert order.delivered_at < review.created_at <= NOW
        assert review.is_verified
        if review.status == Review.Status.PUBLISHED:
            assert review.published_at == review.created_at
            assert review.response_due_at == review.published_at + RESPONSE_GOAL
        else:
            assert review.published_at is None and review.response_due_at is None


@pytest.mark.django_db
def test_answers_are_by_the_store_team_with_consistent_response_times(loaded):
    members = defaultdict(set)
    for store_id, user_id in StoreMembership.objects.values_list("store_id", "user_id"):
        members[store_id].add(user_id)

    answers = Answer.objects.select_related("review")
    assert answers.exists()
    for answer in answers:
        review = answer.review
        assert answer.store_id == review.store_id
        assert answer.author_id in members[review.store_id]
        assert answer.response_time == answer.published_at - review.published_at
        assert review.published_at < answer.published_at <= NOW
        assert review.status == Review.Status.PUBLISHED and review.is_answered
        assert 0 <= answer.coach_score <= 100  # scored by the coach, as the answer form does
    assert not Review.objects.filter(is_answered=True, answer__isnull=True).exists()


@pytest.mark.django_db
def test_rating_aggregates_equal_a_recount_of_the_published_reviews(loaded):
    products, stores = defaultdict(list), defaultdict(list)
    for product, store, rating in Review.objects.filter(status=Review.Status.PUBLISHED).values_list(
        "product_id", "store_id", "rating"
    ):
        products[product].append(rating)
        stores[store].append(rating)

    def counts(ratings: list[int]) -> tuple:
        stars = Counter(ratings)
        return (len(ratings), sum(ratings), *(stars[n] for n in range(1, 6)))

    fields = demo.RATING_FIELDS
    assert {row[0]: row[1:] for row in ProductRating.objects.values_list("product", *fields)} == {
        product: counts(ratings) for product, ratings in products.items()
    }
    assert {row[0]: row[1:] for row in StoreRating.objects.values_list("store", *fields)} == {
        store: counts(ratings) for store, ratings in stores.items()
    }


@pytest.mark.django_db
def test_the_demo_owner_has_a_queue_with_negative_and_overdue_reviews(loaded):
    owner = User.objects.get(email="owner@demo.saypro.test")
    store = Store.objects.get(external_id="demo-store-001")

    queue = list(selectors.store_reviews(owner, store, now=NOW))
    recent = [r for r in queue if r.published_at > NOW - RESPONSE_GOAL]
    overdue = list(selectors.store_reviews(owner, store, overdue=True, now=NOW))
    stats = selectors.store_response_stats(owner, store, now=NOW)

    assert len(recent) >= 5
    assert sum(review.rating <= 2 for review in recent) >= 2
    assert queue[0].rating <= 2  # the most urgent is negative
    assert len(overdue) >= 3
    assert {r.deadline_flag for r in recent} == {"", "due_soon"}
    assert {r.deadline_flag for r in overdue} == {"overdue"}
    assert stats.answered > 0 and stats.waiting >= 8


@pytest.mark.django_db
def test_deadline_flags_are_what_the_periodic_task_would_set(loaded):
    unanswered = Review.objects.filter(status=Review.Status.PUBLISHED, is_answered=False)

    assert services.flag_response_deadlines(now=NOW) == {"overdue": 0, "due_soon": 0}
    assert set(
        unanswered.filter(response_due_at__lte=NOW).values_list("deadline_flag", flat=True)
    ) == {"overdue"}
    assert unanswered.filter(deadline_flag="due_soon").exists()
    assert set(Review.objects.filter(is_answered=True).values_list("deadline_flag", flat=True)) == {
        ""
    }


@pytest.mark.django_db
def test_the_demo_buyer_can_still_write_reviews(loaded):
    buyer = User.objects.get(email="buyer@demo.saypro.test")

    assert selectors.reviewable_items(buyer).count() >= 2
    own = list(selectors.reviews_of_author(buyer))
    assert own and all(review.is_answered for review in own)


@pytest.mark.django_db
def test_moderation_has_held_and_reported_reviews_with_consistent_counts(loaded):
    office = User.objects.get(email="office@demo.saypro.test")

    queue = list(selectors.moderation_queue(office))
    held = Review.objects.filter(status=Review.Status.HELD)

    assert held.exists() and any(r.open_report_count for r in queue)
    assert set(queue) >= set(held)
    for review in held:
        assert review.hold_reason == " ".join(hold_reasons(review.title, review.body)) != ""
        decision = ModerationDecision.objects.get(review=review)
        assert (decision.action, decision.actor, decision.reason) == (
            "hold",
            None,
            review.hold_reason,
        )
        assert not review.is_answered and review.helpful_count == review.open_report_count == 0
    assert ModerationDecision.objects.count() == held.count()
    for review in Review.objects.all():
        reports = review.reports.filter(resolved_at__isnull=True)
        assert review.open_report_count == reports.count()
        assert review.helpful_count == review.helpful_votes.count()
        assert not reports.filter(reporter=review.author).exists()
        assert not review.helpful_votes.filter(voter=review.author).exists()
        assert not review.helpful_votes.filter(voter__memberships__store=review.store_id).exists()


@pytest.mark.django_db
def test_the_command_loads_reviews_once_and_says_so():
    first = run_demo("--scale", "tiny")
    counts = (Review.objects.count(), Answer.objects.count(), Report.objects.count())

    second = run_demo("--scale", "tiny", "--seed", "3")

    assert "Demo reviews created in" in first
    assert "of delivered items" in first and "on time" in first
    assert (Review.objects.count(), Answer.objects.count(), Report.objects.count()) == counts
    assert f"Demo reviews are already loaded ({counts[0]:,} reviews)" in second


@pytest.mark.django_db
def test_a_marketplace_loaded_before_reviews_gets_them_once():
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)

    report = demo.load_demo_reviews(seed=1, now=NOW + DAY)
    again = demo.load_demo_reviews(seed=1, now=NOW + DAY)

    assert report.created and report.reviews == Review.objects.count() > 0
    assert not again.created and again.reviews == report.reviews


@pytest.mark.django_db
def test_without_a_demo_marketplace_nothing_is_written():
    report = demo.load_demo_reviews(seed=1, now=NOW)

    assert not report.created and report.reviews == 0
    assert Review.objects.count() == 0
