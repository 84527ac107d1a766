"""Phone width (390 × 844): no page scrolls sideways, header menus open on screen, long words
wrap, two-column layouts stack, and tables become cards (orders; the theme table: each theme a
card under its title, every figure on its label's line)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from saypro.academy import services as academy_services
from saypro.academy.tests.factories import WEAK_ANSWER, build_course
from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.models import Order
from saypro.catalog.tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    StoreFactory,
    SubcategoryFactory,
)
from saypro.insights.tests.factories import analysed_review, sentence
from saypro.reviews import services as review_services
from saypro.reviews.models import TITLE_MAX_LENGTH
from saypro.reviews.tests.factories import DeliveredItemFactory
from tests.e2e.conftest import sign_in_as

pytestmark = pytest.mark.e2e

# What sticks out past the right edge of the window, and how wide the columns
# of each sidebar layout are (on a phone they should stack, full width).
MEASURE = """() => {
  const width = window.innerWidth;
  const describe = (el) => el.tagName.toLowerCase()
    + (el.id ? `#${el.id}` : "") + [...el.classList].map((c) => `.${c}`).join("");
  // Inside a scroll container an element only widens the page when it is
  // absolutely positioned against something outside that container.
  const clipped = (el) => {
    const position = getComputedStyle(el).position;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === "visible") continue;
      if (position === "fixed") return false;
      if (position !== "absolute" || (el.offsetParent && a.contains(el.offsetParent))) return true;
    }
    return false;
  };
  // A closed header menu is laid out when measured, but not shown.
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
    .filter((el) => el.checkVisibility())
    .slice(0, 10)
    .map((el) => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
  const columns = [...document.querySelectorAll(".layout-sidebar > *")]
    .map((el) => ({name: describe(el), width: Math.round(el.getBoundingClientRect().width)}));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide, columns};
}"""
MIN_COLUMN = 300  # px: a stacked column on a 390 px phone is about 358 px wide


def problems_on(page, what: str) -> list[str]:
    result = page.evaluate(MEASURE)
    found = []
    if result["scrollWidth"] > result["innerWidth"]:
        found.append(
            f"{what} scrolls sideways: scrollWidth {result['scrollWidth']}px > "
            f"innerWidth {result['innerWidth']}px; past the edge: {result['wide']}"
        )
    squeezed = [c for c in result["columns"] if c["width"] < MIN_COLUMN]
    if squeezed:
        found.append(f"{what} does not stack its columns; too narrow: {squeezed}")
    return found


def test_the_shop_categories_fold_away_on_a_phone(phone_page, page):
    shoes = SubcategoryFactory(name="Shoes", slug="shoes", parent__name="Fashion")
    ProductFactory(title="Veldskoen", category=shoes)

    page.goto("/")  # a desktop window: the categories are simply there
    expect(page.get_by_role("link", name="Shoes", exact=True)).to_be_visible()

    phone_page.goto("/")
    shoes_link = phone_page.get_by_role("link", name="Shoes", exact=True)
    expect(phone_page.locator(".product-card")).to_be_in_viewport()  # products first
    expect(shoes_link).to_be_hidden()
    phone_page.get_by_text("Categories", exact=True).click()
    shoes_link.click()
    expect(phone_page.locator(".product-card")).to_have_count(1)
    expect(phone_page.locator(".category-menu summary")).to_contain_text("Shoes")
    assert phone_page.url.endswith("/?category=shoes")


def test_pages_fit_a_phone(phone_page, live_server, shot):
    page = phone_page
    store = StoreFactory(name="Durban Spice Traders", slug="durban-spice-traders")
    owner = MembershipFactory(store=store, user__email="owner@example.test").user
    product = ProductFactory(
        store=store, title="Hand-blended Durban masala, extra hot (500 g tin)", stock=3
    )
    for status in (Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.DELIVERED):
        OrderItemFactory(order__store=store, order__status=status, product=product, quantity=2)
    order = OrderFactory(store=store)
    OrderItemFactory(order=order, product=product)

    problems = []
    page.goto("/")
    expect(page.locator(".product-card")).to_have_count(1)
    shot(page, "home")
    problems += problems_on(page, "Shop home (/)")

    page.goto(product.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(product.title)
    shot(page, "product")
    problems += problems_on(page, f"Product page ({product.get_absolute_url()})")

    sign_in_as(page, live_server, owner)
    page.goto(f"/seller/{store.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(store.name)
    shot(page, "seller-center")
    problems += problems_on(page, f"Seller Center (/seller/{store.slug}/)")

    page.goto(f"/seller/{store.slug}/orders/")
    expect(page.locator("tbody tr")).to_have_count(4)
    shot(page, "seller-orders")
    problems += problems_on(page, f"Seller Center orders (/seller/{store.slug}/orders/)")

    page.goto(order.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order.number}")
    shot(page, "order")
    problems += problems_on(page, f"Order page ({order.get_absolute_url()})")

    world = build_course()
    academy_services.enrol(owner, world.course)
    page.goto("/academy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seller Academy")
    shot(page, "academy")
    problems += problems_on(page, "Seller Academy (/academy/)")
    exercise = f"/academy/courses/{world.course.slug}/{world.exercise.key}/"
    page.goto(exercise)
    page.get_by_label("Your answer to the review").fill(WEAK_ANSWER)
    page.get_by_role("button", name="Grade my answer").click()
    expect(page.get_by_role("heading", name="Not yet:", exact=False)).to_be_visible()
    shot(page, "academy-exercise")
    problems += problems_on(page, f"Academy exercise ({exercise})")

    assert not problems, "At 390 × 844:\n" + "\n".join(problems)


def test_header_menus_open_inside_the_window(phone_page, page, live_server):
    user = UserFactory(first_name="Nomvula")
    problems = []
    for window in (phone_page, page):
        sign_in_as(window, live_server, user)
        window.goto("/")
        width = window.viewport_size["width"]
        for name in ("notification-menu", "help-menu", "account-menu"):
            menu = window.locator(f"details.{name}")
            menu.locator("summary").click()
            panel = menu.locator(".menu")
            expect(panel).to_be_visible()
            box = panel.bounding_box()
            if box["x"] < 0 or box["x"] + box["width"] > width:
                problems.append(
                    f"At {width} px the {name} opens from {box['x']:.0f} to "
                    f"{box['x'] + box['width']:.0f} px"
                )
            menu.locator("summary").click()
    assert not problems, "\n".join(problems)


LONG_WORD = "Lekker" + "r" * 300 + "!"  # a long URL, say, but links hold a review back
LONG_TITLE = LONG_WORD[:TITLE_MAX_LENGTH]


def test_long_words_wrap_on_a_phone(phone_page, live_server, shot):
    page = phone_page
    store = StoreFactory(name="Durban Spice Traders")
    owner = MembershipFactory(store=store).user
    product = ProductFactory(store=store, description=f"Hot. {LONG_WORD}")
    item = DeliveredItemFactory(order__store=store, product=product)
    review = review_services.publish_review(
        author=item.order.buyer, order_item=item, rating=5, title=LONG_TITLE, body=LONG_WORD
    )
    review_services.answer_review(member=owner, review=review, body=f"Thank you! {LONG_WORD}")

    problems = []
    page.goto(product.get_absolute_url())
    expect(page.locator(".review-title")).to_have_text(LONG_TITLE)
    shot(page, "product")
    problems += problems_on(page, f"Product page ({product.get_absolute_url()})")

    sign_in_as(page, live_server, item.order.buyer)
    page.goto("/reviews/mine/")
    expect(page.locator(".review-title")).to_have_text(LONG_TITLE)
    shot(page, "my-reviews")
    problems += problems_on(page, "My reviews (/reviews/mine/)")

    page.context.clear_cookies()
    sign_in_as(page, live_server, owner)
    answer_url = f"/seller/{store.slug}/reviews/{review.pk}/"
    page.goto(answer_url)
    expect(page.locator("#review-heading")).to_contain_text(LONG_TITLE)
    shot(page, "seller-answer")
    problems += problems_on(page, f"Answer a review ({answer_url})")

    assert not problems, "At 390 × 844:\n" + "\n".join(problems)


# Each table box that scrolls sideways, each order number split over two lines, and for
# each table how its rows are laid out and the label each body cell shows before its value.
TABLES = """() => ({
  scrolling: [...document.querySelectorAll(".table-wrap")]
    .filter((wrap) => wrap.scrollWidth > wrap.clientWidth)
    .map((wrap) => `${wrap.scrollWidth}px of table in a ${wrap.clientWidth}px box`),
  brokenNumbers: [...document.querySelectorAll("td a")]
    .filter((a) => /^SP-/.test(a.textContent) && a.getClientRects().length > 1)
    .map((a) => a.textContent),
  tables: [...document.querySelectorAll("table")].map((table) => ({
    rows: getComputedStyle(table.tBodies[0].rows[0]).display,
    labels: [...table.tBodies[0].rows].map((row) =>
      [...row.cells].map((cell) => getComputedStyle(cell, "::before").content)),
  })),
})"""


def order_tables_on(page, what: str, *columns: list[str]) -> list[str]:
    """What is wrong with the page's order tables (one list of column names each) on a
    phone: each order should be a card of values labelled with their column's name."""
    result = page.evaluate(TABLES)
    found = problems_on(page, what)
    if result["scrolling"]:
        found.append(f"{what}: a table scrolls sideways: {result['scrolling']}")
    if result["brokenNumbers"]:
        found.append(f"{what}: order numbers break over two lines: {result['brokenNumbers']}")
    for table, names in zip(result["tables"], columns, strict=True):
        if table["rows"] == "table-row":
            found.append(f"{what}: the orders under {names} are table rows, not cards")
        wanted = [f'"{name}"' if name else "none" for name in names]
        wrong = [labels for labels in table["labels"] if labels != wanted]
        if wrong:
            found.append(f"{what}: cells labelled {wrong[0]}, not {wanted}")
    return found


def accessibility_roles(page) -> set[str]:
    """The roles in Chromium's own accessibility tree (what a screen reader is given)."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    return {node["role"]["value"] for node in nodes if "role" in node}


def test_order_tables_become_labelled_cards_on_a_phone(phone_page, page, live_server, shot):
    store = StoreFactory(name="Durban Spice Traders", slug="durban-spice-traders")
    owner = MembershipFactory(store=store).user
    buyer = UserFactory()
    product = ProductFactory(
        store=store, title="Hand-blended Durban masala, extra hot (500 g tin)", stock=9
    )
    for status in (Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.DELIVERED):
        OrderItemFactory(
            order__store=store, order__buyer=buyer, order__status=status, product=product
        )
    my_orders = ["Order", "Store", "Items", "Placed", "Status", "Total"]
    store_orders = ["Order", "Buyer", "Placed", "Total", "Status", ""]  # "" : the actions

    sign_in_as(page, live_server, buyer)  # a desktop window keeps the table
    page.goto("/orders/")
    expect(page.locator("tbody tr")).to_have_count(3)
    desktop = page.evaluate(TABLES)["tables"]
    assert desktop == [{"rows": "table-row", "labels": [["none"] * 6] * 3}], desktop

    sign_in_as(phone_page, live_server, buyer)
    phone_page.goto("/orders/")
    shot(phone_page, "my-orders")
    problems = order_tables_on(phone_page, "My orders (/orders/)", my_orders)
    roles = accessibility_roles(phone_page)
    if not {"table", "row", "columnheader", "cell"} <= roles:
        problems.append(f"My orders lost its table semantics; roles: {sorted(roles)}")

    phone_page.context.clear_cookies()
    sign_in_as(phone_page, live_server, owner)
    home_url = f"/seller/{store.slug}/"
    phone_page.goto(home_url)
    shot(phone_page, "seller-home")
    to_ship = ["Order", "Buyer", "Placed", "Status", ""]
    recent = ["Order", "Placed", "Status", "Total"]
    problems += order_tables_on(phone_page, f"Seller Center ({home_url})", to_ship, recent)

    orders_url = f"/seller/{store.slug}/orders/"
    phone_page.goto(orders_url)
    shot(phone_page, "seller-orders")
    problems += order_tables_on(phone_page, f"Seller Center orders ({orders_url})", store_orders)
    # "Mark shipped" swaps the row for a new one: still a labelled card.
    phone_page.get_by_role("button", name="Mark shipped").click()
    expect(phone_page.get_by_role("button", name="Mark delivered")).to_have_count(2)
    problems += order_tables_on(phone_page, "Seller Center orders, one shipped", store_orders)

    # The store's other tables, as wide, use the same cards.
    for url, columns in [
        (
            f"/seller/{store.slug}/products/",
            ["Product", "Category", "Price", "Stock", "Status", ""],
        ),
        (f"/seller/{store.slug}/team/", ["Name", "Email", "Role", "Since", "Actions"]),
    ]:
        phone_page.goto(url)
        problems += order_tables_on(phone_page, f"Seller Center ({url})", columns)

    assert not problems, "At 390 × 844:\n" + "\n".join(problems)


# For each card of the tables that become cards on a phone: how wide its row heading is
# against the card's inside (the rule under the heading should run across the card), and for
# each labelled cell with a share bar whether the bar begins beside its label (above the
# label's bottom) rather than on a line of its own below it.
CARDS = """() => [...document.querySelectorAll(".cards-on-phone tbody tr")].map((row) => ({
  heading: Math.round(row.querySelector("th").getBoundingClientRect().width),
  inside: row.clientWidth,
  barsBesideLabel: [...row.querySelectorAll("td[data-label]")]
    .filter((cell) => cell.querySelector(".share"))
    .map((cell) => {
      const labelBottom = cell.getBoundingClientRect().top
        + parseFloat(getComputedStyle(cell).paddingTop)
        + parseFloat(getComputedStyle(cell, "::before").height);
      return cell.querySelector(".share").getBoundingClientRect().top < labelBottom;
    }),
}))"""


def test_each_theme_is_a_card_with_its_title_and_figures_on_a_phone(
    phone_page,
    shot,
    live_server,
    seller,
    store,
    product,
):
    now = timezone.now()
    analysed_review(
        product,
        [
            sentence(
                "Tiny and thin.",
                "negative",
                themes={"fit_size": "negative", "material": "negative"},
            )
        ],
        rating=2,
        published_at=now - timedelta(days=2),
    )
    analysed_review(
        product,
        [sentence("Fits well.", "positive", themes={"fit_size": "positive"})],
        rating=4,
        published_at=now - timedelta(days=5),
    )

    sign_in_as(phone_page, live_server, seller)
    phone_page.goto(reverse("insights:overview", kwargs={"slug": store.slug}))
    expect(phone_page.locator(".theme-table tbody tr")).to_have_count(2)
    shot(phone_page, "insights")

    cards = phone_page.evaluate(CARDS)
    assert len(cards) == 2
    for card in cards:
        assert card["heading"] == card["inside"], card
        assert card["barsBesideLabel"] == [True], card
