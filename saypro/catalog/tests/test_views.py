"""Web pages of the shop and the Seller Center, per role: anonymous, buyer, seller, staff."""

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.tests.factories import PASSWORD, UserFactory
from saypro.catalog.models import Order, Product
from saypro.catalog.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    StoreFactory,
    SubcategoryFactory,
)
from saypro.core.testing import described_errors
from saypro.insights.models import Theme
from saypro.insights.tests.factories import RisingIssueFactory
from saypro.reviews.models import StoreRating

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer, product):
    return OrderItemFactory(order__buyer=buyer, order__store=product.store, product=product).order


@pytest.fixture
def other_seller(db):
    return MembershipFactory(user__email="rival@example.test", store__name="Rival").user


# --- Shop ------------------------------------------------------------------------------


def test_home_lists_active_products_with_constant_queries(client, django_assert_max_num_queries):
    category = SubcategoryFactory(name="Shirts", parent__name="Fashion")
    ProductFactory.create_batch(30, category=category)
    ProductFactory(title="Hidden thing", category=category, is_active=False)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("catalog:home"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 30
    assert len(response.context["page"].object_list) == 24
    assert b"Hidden thing" not in response.content


def test_home_search_category_price_and_sort(client):
    fashion = CategoryFactory(name="Fashion", slug="fashion")
    shirts = SubcategoryFactory(name="Shirts", slug="shirts", parent=fashion)
    mugs = SubcategoryFactory(name="Mugs", slug="mugs")
    ProductFactory(title="Linen shirt", category=shirts, price=Decimal("300"))
    ProductFactory(title="Cotton shirt", category=shirts, price=Decimal("150"))
    ProductFactory(title="Shirt-print mug", category=mugs, price=Decimal("90"))

    def titles(**params):
        response = client.get(reverse("catalog:home"), params)
        assert response.status_code == 200
        return [product.title for product in response.context["page"].object_list]

    assert titles(q="shirt", category="fashion", sort="price_asc") == [
        "Cotton shirt",
        "Linen shirt",
    ]
    assert titles(q="shirt", min_price="100", max_price="200") == ["Cotton shirt"]
    assert titles(q="linen cotton") == []
    assert sorted(titles(sort="title")) == ["Cotton shirt", "Linen shirt", "Shirt-print mug"]


@pytest.mark.parametrize(
    ("q", "error"),
    [
        ("a" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("linen\x00", "Null characters are not allowed."),
    ],
)
def test_a_refused_search_says_why_and_does_not_claim_results(client, q, error):
    ProductFactory(title="Linen shirt")
    response = client.get(reverse("catalog:home"), {"q": q})
    html = response.content.decode()
    assert described_errors(html) == {"q": error}
    assert "<h1>Shop the SayPro marketplace</h1>" in html and "Results for" not in html
    assert "match your search" not in html and "1 product from independent stores." in html


def test_the_header_search_shows_the_shop_search_only(client, buyer):
    box = re.compile(r'<input id="header-q"[^>]* value="([^"]*)"')
    shop = client.get(reverse("catalog:home"), {"q": "linen"}).content.decode()
    assert box.search(shop).group(1) == "linen"
    client.force_login(buyer)
    inbox = client.get(reverse("messaging:inbox"), {"q": "linen"}).content.decode()
    assert box.search(inbox).group(1) == ""  # that page's own search box has it


def test_category_counts_and_links_keep_the_search(client):
    shirts = SubcategoryFactory(name="Shirts", slug="shirts")
    mugs = SubcategoryFactory(name="Mugs", slug="mugs")
    ProductFactory(title="Linen shirt", category=shirts, price=Decimal("300"))
    ProductFactory(title="Cotton shirt", category=shirts, price=Decimal("150"))
    ProductFactory(title="Linen mug", category=mugs, price=Decimal("90"))

    def counts(**params):
        response = client.get(reverse("catalog:home"), params)
        return {
            child.slug: child.product_count
            for department in response.context["categories"]
            for child in department.children.all()
        }, response.content.decode()

    assert counts()[0] == {"shirts": 2, "mugs": 1}
    assert counts(q="linen")[0] == {"shirts": 1, "mugs": 1}
    found, html = counts(q="linen", min_price="100", sort="price_asc")
    assert found == {"shirts": 1, "mugs": 0}
    # Following a category's link finds what its count says.
    link = "?category=shirts&amp;q=linen&amp;min_price=100&amp;sort=price_asc"
    assert f'href="{link}"' in html
    response = client.get(reverse("catalog:home") + link.replace("&amp;", "&"))
    assert [product.title for product in response.context["page"].object_list] == ["Linen shirt"]


def test_home_with_bad_filters_shows_errors_as_a_400_not_500(client):
    response = client.get(reverse("catalog:home"), {"min_price": "abc", "max_price": "-1"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"min_price", "max_price"}


def test_a_refused_filter_leaves_the_others_working_and_says_why(client):
    shirts = SubcategoryFactory(name="Shirts", slug="shirts")
    ProductFactory(title="Linen shirt", category=shirts)
    ProductFactory(title="Clay mug")

    response = client.get(
        reverse("catalog:home"),
        {"q": "linen", "min_price": "-5", "sort": "xyz", "category": "nope"},
    )

    assert response.status_code == 400
    assert [p.title for p in response.context["page"].object_list] == ["Linen shirt"]
    html = response.content.decode()
    assert "“xyz” is not a sort order: the most relevant come first." in html
    assert "There is no category “nope”: showing them all." in html
    assert "Clear all</a>" in html
    browsing = client.get(reverse("catalog:home"), {"category": "shirts"}).content.decode()
    assert "1 product in Shirts." in browsing


def test_empty_shop_says_what_to_do(client):
    response = client.get(reverse("catalog:home"))
    assert b"The shop is empty" in response.content
    assert reverse("catalog:open_store").encode() in response.content


def test_product_page_anonymous_sees_login_to_order(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert b"Log in to order" in response.content


def test_inactive_product_is_404_except_for_its_store(client, product, seller, buyer):
    Product.objects.filter(pk=product.pk).update(is_active=False)
    assert client.get(product.get_absolute_url()).status_code == 404
    client.force_login(buyer)
    assert client.get(product.get_absolute_url()).status_code == 404
    client.force_login(seller)
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert b"hidden from the shop" in response.content


def test_store_page(client, product):
    response = client.get(product.store.get_absolute_url())
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].object_list] == [product.pk]
    assert client.get(reverse("catalog:store", kwargs={"slug": "nope"})).status_code == 404


def test_store_page_shows_its_rating_and_how_to_ask_it(client, buyer, seller, product):
    StoreRating.objects.create(
        store=product.store, count=4, total=17, stars_5=2, stars_4=1, stars_3=1
    )
    ask = f"{reverse('messaging:new')}?store={product.store.pk}"
    client.force_login(buyer)
    html = client.get(product.store.get_absolute_url()).content.decode()
    assert "4.2 from 4 reviews of its products" in html
    assert f'href="{ask}"' in html
    client.force_login(seller)  # the store's own team has no question to ask it
    assert f'href="{ask}"' not in client.get(product.store.get_absolute_url()).content.decode()


# --- Ordering --------------------------------------------------------------------------


def test_buyer_places_order(client, buyer, product):
    client.force_login(buyer)
    response = client.post(
        reverse("catalog:place_order", kwargs={"pk": product.pk}), {"quantity": 2}
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == order.get_absolute_url()
    assert (order.buyer, order.total) == (buyer, Decimal("398.00"))
    product.refresh_from_db()
    assert product.stock == 3


def test_submitting_the_order_form_twice_places_one_order(client, buyer, product):
    client.force_login(buyer)
    html = client.get(product.get_absolute_url()).content.decode()
    key = re.search(r'<input type="hidden" name="client_id" value="([^"]+)"', html).group(1)
    other = client.get(product.get_absolute_url()).content.decode()
    assert f'value="{key}"' not in other  # each form shown is a new order

    url = reverse("catalog:place_order", kwargs={"pk": product.pk})
    first = client.post(url, {"quantity": 2, "client_id": key})
    again = client.post(url, {"quantity": 2, "client_id": key})

    order = Order.objects.get()
    assert first.url == again.url == order.get_absolute_url()
    product.refresh_from_db()
    assert product.stock == 3

    changed = client.post(url, {"quantity": 1, "client_id": key})
    assert changed.status_code == 409
    assert (
        f"This order form already placed order {order.number}, with other items."
        in changed.content.decode()
    )
    assert Order.objects.count() == 1


@pytest.mark.parametrize("quantity", ["0", "100", "x", ""])
def test_bad_quantity_is_refused_next_to_the_field(client, buyer, product, quantity):
    client.force_login(buyer)
    response = client.post(
        reverse("catalog:place_order", kwargs={"pk": product.pk}), {"quantity": quantity}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["quantity"]
    assert described_errors(response.content.decode()) == {"quantity": " ".join(errors)}
    assert Order.objects.count() == 0


def test_the_quantity_box_offers_no_more_than_are_in_stock(client, buyer, product):
    client.force_login(buyer)
    html = client.get(product.get_absolute_url()).content.decode()
    box = re.search(r'<input type="number" name="quantity"[^>]*>', html).group()
    assert 'min="1"' in box and 'max="5"' in box


def test_too_many_is_refused_and_nothing_changes(client, buyer, product):
    client.force_login(buyer)
    response = client.post(
        reverse("catalog:place_order", kwargs={"pk": product.pk}), {"quantity": 6}
    )
    assert response.status_code == 409  # a conflict with the stock, as the API says
    assert "not available in that quantity: only 5 left." in response.content.decode()
    product.refresh_from_db()
    assert (product.stock, Order.objects.count()) == (5, 0)


def test_anonymous_cannot_order(client, product):
    response = client.post(
        reverse("catalog:place_order", kwargs={"pk": product.pk}), {"quantity": 1}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "referer, back_to",
    [("http://testserver{page}?ref=mail", "{page}?ref=mail"), ("https://evil.example/x", "/")],
)
def test_signed_out_order_returns_to_the_product_after_sign_in(
    client, buyer, product, referer, back_to
):
    page = product.get_absolute_url()
    response = client.post(
        reverse("catalog:place_order", kwargs={"pk": product.pk}),
        {"quantity": 1},
        headers={"referer": referer.format(page=page)},
    )
    assert response.url == f"{reverse('account_login')}?next={quote(back_to.format(page=page))}"
    signed_in = client.post(response.url, {"login": buyer.email, "password": PASSWORD}, follow=True)
    assert signed_in.redirect_chain[-1][0] == back_to.format(page=page)
    assert signed_in.status_code == 200


def test_order_form_requires_csrf(buyer, product):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    response = client.post(
        reverse("catalog:place_order", kwargs={"pk": product.pk}), {"quantity": 1}
    )
    assert response.status_code == 403
    assert Order.objects.count() == 0


# --- Order pages, per role ---------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("buyer", 200),
        ("seller", 200),
        ("agent", 200),
        ("staff", 200),
        ("stranger", 404),
        ("other_seller", 404),
    ],
)
def test_order_page_visibility(client, order, request, who, status):
    if who == "stranger":
        client.force_login(UserFactory())
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(order.get_absolute_url()).status_code == status


def test_my_orders_lists_only_mine(client, buyer, order):
    OrderItemFactory()  # someone else's
    client.force_login(buyer)
    response = client.get(reverse("catalog:my_orders"))
    assert [o.pk for o in response.context["page"].object_list] == [order.pk]
    filtered = client.get(reverse("catalog:my_orders"), {"status": "delivered"})
    assert list(filtered.context["page"].object_list) == []
    assert b"No orders with this status" in filtered.content


def test_buyer_cancels_and_stock_returns(client, buyer, order, product):
    client.force_login(buyer)
    page = client.get(order.get_absolute_url()).content.decode()
    # Cancelling asks first: the button that does it sits behind a "Cancel order" disclosure.
    confirm = re.search(r'<details class="danger-zone">(.*?)</details>', page, re.S).group(1)
    assert "<summary>Cancel order</summary>" in confirm
    assert "This cannot be undone." in confirm
    assert f"Yes, cancel order {order.number}</button>" in confirm
    url = reverse("catalog:transition_order", kwargs={"number": order.number})
    response = client.post(url, {"status": "cancelled"})
    assert response.status_code == 302
    order.refresh_from_db()
    product.refresh_from_db()
    assert order.status == "cancelled" and order.cancelled_at is not None
    assert product.stock == 6


def test_buyer_cannot_ship(client, buyer, order):
    client.force_login(buyer)
    url = reverse("catalog:transition_order", kwargs={"number": order.number})
    response = client.post(url, {"status": "shipped"}, follow=True)
    assert "Only the store&#x27;s team" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "placed" and order.shipped_at is None


def test_seller_ships_with_htmx_row(client, seller, order):
    client.force_login(seller)
    url = reverse("catalog:transition_order", kwargs={"number": order.number})
    response = client.post(url, {"status": "shipped", "from": "seller"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="order-{order.number}"' in response.content.decode()
    assert "is now shipped" in response.content.decode()
    assert "Mark delivered" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "shipped"


def test_transition_ignores_offsite_next(client, seller, order):
    client.force_login(seller)
    url = reverse("catalog:transition_order", kwargs={"number": order.number})
    response = client.post(url, {"status": "shipped", "next": "https://evil.example/"})
    assert response.url == order.get_absolute_url()


def test_other_seller_cannot_touch_order(client, other_seller, order):
    client.force_login(other_seller)
    url = reverse("catalog:transition_order", kwargs={"number": order.number})
    assert client.post(url, {"status": "shipped"}).status_code == 404
    order.refresh_from_db()
    assert order.status == "placed"


@pytest.mark.parametrize(
    ("who", "to_status", "code", "message"),
    [
        ("buyer", "shipped", 403, "Only the store&#x27;s team can ship or deliver an order."),
        ("seller", "delivered", 409, "An order that is placed cannot become delivered."),
        ("seller", "cancelled", 403, "Only the buyer can cancel an order."),
        ("seller", "lost", 400, "Choose a valid status."),
    ],
)
def test_a_refused_transition_is_a_4xx_with_the_order_and_why(
    client, request, order, who, to_status, code, message
):
    client.force_login(request.getfixturevalue(who))
    url = reverse("catalog:transition_order", kwargs={"number": order.number})
    response = client.post(url, {"status": to_status, "next": "/"})
    assert response.status_code == code
    html = response.content.decode()
    assert f"<h1>Order {order.number}</h1>" in html and message in html
    order.refresh_from_db()
    assert (order.status, order.shipped_at, order.cancelled_at) == ("placed", None, None)


def test_shipping_twice_says_the_order_is_already_shipped(client, seller, order):
    client.force_login(seller)
    url = reverse("catalog:transition_order", kwargs={"number": order.number})
    assert client.post(url, {"status": "shipped"}).status_code == 302
    order.refresh_from_db()
    shipped_at = order.shipped_at
    again = client.post(url, {"status": "shipped"})
    assert again.status_code == 409
    assert f"Order {order.number} is already shipped." in again.content.decode()
    row = client.post(url, {"status": "shipped", "from": "seller"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200  # htmx swaps in the row with its notice
    assert f"Order {order.number} is already shipped." in row.content.decode()
    order.refresh_from_db()
    assert order.shipped_at == shipped_at


def test_a_damaged_order_form_says_so_and_orders_nothing(client, buyer, product):
    client.force_login(buyer)
    url = reverse("catalog:place_order", kwargs={"pk": product.pk})
    response = client.post(url, {"quantity": "1", "client_id": "x" * 65})
    assert response.status_code == 400
    assert "This order form is damaged. Reload the page and order again." in (
        response.content.decode()
    )
    product.refresh_from_db()
    assert (product.stock, Order.objects.count()) == (5, 0)


def test_my_orders_with_an_unknown_status_says_why(client, buyer, order):
    client.force_login(buyer)
    response = client.get(reverse("catalog:my_orders"), {"status": "lost"})
    assert response.status_code == 400
    assert described_errors(response.content.decode()) == {
        "status": "“lost” is not an order status: showing orders of every status."
    }
    assert [o.pk for o in response.context["page"].object_list] == [order.pk]


# --- Seller Center -----------------------------------------------------------------


def test_seller_center_home_shows_work_to_do(client, seller, order, store):
    client.force_login(seller)
    response = client.get(reverse("seller:start"))
    assert response.url == reverse("seller:home", kwargs={"slug": store.slug})
    response = client.get(response.url)
    assert response.context["counts"]["placed"] == 1
    assert [o.pk for o in response.context["to_ship"]] == [order.pk]
    assert "orders to ship</a>" not in response.content.decode()  # all of them are shown


def test_a_new_stores_overview_lists_the_steps_to_its_first_order(client, seller, store):
    store.description = ""
    store.save()
    client.force_login(seller)
    url = reverse("seller:home", kwargs={"slug": store.slug})
    page = " ".join(client.get(url).content.decode().split())
    steps = page.split('<ol class="timeline">')[1].split("</ol>")[0]
    profile = reverse("seller:profile", kwargs={"slug": store.slug})
    create = reverse("seller:product_create", kwargs={"slug": store.slug})
    assert f'<li><a href="{profile}">Describe what you sell</a>.' in steps
    assert f'<li><a href="{create}">List your first product</a>.' in steps
    assert "to ship</div>" not in page  # no row of zero counts
    assert "All caught up" not in page
    assert "No products listed yet: add one, and any that run low show here." in page
    assert "Every listed product has more than" not in page

    store.description = "Linen from the Cape."
    store.save()
    product = ProductFactory(store=store, stock=50)
    page = " ".join(client.get(url).content.decode().split())
    assert f'<li class="done"><a href="{profile}">Describe what you sell</a>.' in page
    assert f'<li class="done"><a href="{create}">List your first product</a>.' in page
    assert "Every listed product has more than 5 in stock." in page

    OrderItemFactory(order__store=store, product=product)
    page = client.get(url).content.decode()
    assert '<ol class="timeline">' not in page
    assert "Needs doing now: orders to ship" in page


def test_seller_center_home_links_to_every_order_to_ship_beyond_the_first_ten(
    client, seller, store
):
    OrderFactory.create_batch(12, store=store)
    client.force_login(seller)
    html = client.get(reverse("seller:home", kwargs={"slug": store.slug})).content.decode()
    orders = reverse("seller:orders", kwargs={"slug": store.slug})
    assert f'<a href="{orders}?status=placed">See all 12 orders to ship</a>' in html


def test_seller_center_home_shows_open_rising_issues(client, seller, store, product):
    client.force_login(seller)
    url = reverse("seller:home", kwargs={"slug": store.slug})
    assert "Rising issues" not in client.get(url).content.decode()

    quality = Theme.objects.get(slug="quality")
    issue = RisingIssueFactory(product=product, theme=quality, recent_count=8, recent_total=18)
    delivery = Theme.objects.get(slug="delivery")
    RisingIssueFactory(product=product, theme=delivery, status="dismissed")
    page = client.get(url).content.decode()
    assert "Rising issues" in page
    start, end = (timezone.localtime(moment) for moment in (issue.window_start, issue.window_end))
    window = f"{start:%-d %b} to {end:%-d %b}"
    assert (
        f"<strong>Quality &amp; durability</strong> on Linen shirt: 8 of 18 reviews from {window}"
        in page
    )
    assert "Delivery" not in page.split("Rising issues")[1].split("</section>")[0]
    assert reverse("insights:overview", kwargs={"slug": store.slug}) in page


@pytest.mark.parametrize("who", ["buyer", "other_seller", "staff"])
def test_seller_center_is_404_for_non_members(client, store, request, who):
    client.force_login(request.getfixturevalue(who))
    for name in ["home", "products", "orders", "product_create", "profile"]:
        assert client.get(reverse(f"seller:{name}", kwargs={"slug": store.slug})).status_code == 404


def test_seller_start_without_store_goes_to_open_store(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("seller:start")).url == reverse("catalog:open_store")


def test_seller_creates_edits_and_deactivates_product(client, agent, store):
    category = SubcategoryFactory()
    client.force_login(agent)
    create_url = reverse("seller:product_create", kwargs={"slug": store.slug})
    data = {
        "title": "Wool scarf",
        "description": "Warm.",
        "category": category.pk,
        "price": "250.00",
        "stock": "7",
    }
    assert client.post(create_url, data).status_code == 302
    product = Product.objects.get(title="Wool scarf")
    assert (product.store, product.price, product.stock) == (store, Decimal("250.00"), 7)

    edit_url = reverse("seller:product_edit", kwargs={"slug": store.slug, "pk": product.pk})
    assert client.post(edit_url, {**data, "price": "199.99"}).status_code == 302
    product.refresh_from_db()
    assert product.price == Decimal("199.99")

    active_url = reverse("seller:product_active", kwargs={"slug": store.slug, "pk": product.pk})
    client.post(active_url, {"active": "0"})
    product.refresh_from_db()
    assert product.is_active is False


def test_a_product_is_priced_in_the_currency_the_seller_gives(client, seller, store):
    client.force_login(seller)
    create_url = reverse("seller:product_create", kwargs={"slug": store.slug})
    form = client.get(create_url).context["form"]
    assert form["currency"].value() == "ZAR"
    data = {
        "title": "Wool scarf",
        "description": "",
        "category": SubcategoryFactory().pk,
        "price": "25",
        "currency": " usd ",
        "stock": "3",
    }
    assert client.post(create_url, data).status_code == 302
    product = Product.objects.get(title="Wool scarf")
    assert product.currency == "USD"

    edit_url = reverse("seller:product_edit", kwargs={"slug": store.slug, "pk": product.pk})
    assert client.get(edit_url).context["form"]["currency"].value() == "USD"
    response = client.post(edit_url, {**data, "currency": "ABC"})
    assert response.status_code == 400
    assert described_errors(response.content.decode())["currency"].endswith(
        "“ABC” is not an ISO 4217 currency code; use one such as ZAR, USD or EUR."
    )
    response = client.post(edit_url, {**data, "currency": "RANDS"})
    assert described_errors(response.content.decode())["currency"].endswith(
        "Currency must be a three-letter ISO code such as ZAR."
    )
    product.refresh_from_db()
    assert product.currency == "USD"


def test_product_form_errors_next_to_fields(client, seller, store):
    client.force_login(seller)
    url = reverse("seller:product_create", kwargs={"slug": store.slug})
    response = client.post(url, {"title": "", "price": "0", "stock": "-1"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"title", "price", "stock", "category"}
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "abc", "Price must be a number."),
        ("price", "0", "Price must be between 0.01 and 1,000,000."),
        ("price", "1000000.01", "Price must be between 0.01 and 1,000,000."),
        ("price", "99999999999999", "Price must be between 0.01 and 1,000,000."),
        ("price", "1.005", "Price must be in whole cents, at most 2 decimals."),
        ("stock", "-1", "Stock must be a whole number from 0 to 1,000,000."),
        ("stock", "1.5", "Stock must be a whole number from 0 to 1,000,000."),
        ("stock", "99999999999999999999", "Stock must be a whole number from 0 to 1,000,000."),
        ("category", "999999", "Choose one of the categories in the list."),
        ("category", "abc", "Choose one of the categories in the list."),
    ],
)
def test_a_refused_product_edit_is_a_400_with_the_services_message(
    client, seller, store, product, field, value, message
):
    client.force_login(seller)
    url = reverse("seller:product_edit", kwargs={"slug": store.slug, "pk": product.pk})
    data = {
        "title": "Renamed",
        "description": "",
        "category": product.category.pk,
        "price": "10",
        "stock": "1",
        field: value,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert described_errors(response.content.decode()) == {field: message}
    before = (product.title, product.price, product.stock)
    product.refresh_from_db()
    assert (product.title, product.price, product.stock) == before


@pytest.mark.parametrize("choice", [None, "", "yes", "2"])
def test_hiding_a_product_needs_a_valid_choice(client, seller, store, product, choice):
    client.force_login(seller)
    url = reverse("seller:product_active", kwargs={"slug": store.slug, "pk": product.pk})
    response = client.post(url, {} if choice is None else {"active": choice})
    assert response.status_code == 400
    assert "Nothing changed: use the Deactivate or Reactivate button." in (
        response.content.decode()
    )
    product.refresh_from_db()
    assert product.is_active is True


def test_seller_cannot_edit_other_store_product(client, seller):
    foreign = ProductFactory(store=StoreFactory(), title="Theirs")
    client.force_login(seller)
    slug = seller.memberships.get().store.slug
    url = reverse("seller:product_edit", kwargs={"slug": slug, "pk": foreign.pk})
    assert client.post(url, {"title": "Mine now"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Theirs"


def test_seller_orders_filters(client, seller, order, store):
    client.force_login(seller)
    url = reverse("seller:orders", kwargs={"slug": store.slug})
    assert [o.pk for o in client.get(url).context["page"].object_list] == [order.pk]
    assert list(client.get(url, {"status": "shipped"}).context["page"].object_list) == []
    found = client.get(url, {"number": order.number[-4:].lower()}).context["page"].object_list
    assert [o.pk for o in found] == [order.pk]


def test_the_orders_of_a_store_without_any_say_none_yet_and_what_to_do(client, seller, store):
    client.force_login(seller)
    url = reverse("seller:orders", kwargs={"slug": store.slug})
    page = " ".join(client.get(url).content.decode().split())
    assert "<h2>No orders yet</h2>" in page
    assert "No order matches these filters" not in page
    assert 'aria-label="Filter orders"' not in page
    assert "0 to ship" not in page
    assert f'href="{reverse("seller:products", kwargs={"slug": store.slug})}"' in page

    OrderFactory(store=store, status="delivered")
    page = " ".join(client.get(url, {"status": "placed"}).content.decode().split())
    assert "<h2>No orders here</h2>" in page
    assert "0 to ship · 0 on the way · 1 delivered · 0 cancelled" in page


def test_seller_orders_with_an_unknown_status_says_why(client, seller, order, store):
    client.force_login(seller)
    url = reverse("seller:orders", kwargs={"slug": store.slug})
    response = client.get(url, {"status": "lost"})
    assert response.status_code == 400
    assert described_errors(response.content.decode()) == {
        "status": "“lost” is not an order status: showing orders of every status."
    }
    assert [o.pk for o in response.context["page"].object_list] == [order.pk]


def test_order_counts_group_thousands_as_the_overview_does():
    counts = {"placed": 15, "shipped": 25, "delivered": 1390, "cancelled": 1000}
    html = render_to_string("catalog/partials/seller_order_counts.html", {"counts": counts})
    assert "15 to ship · 25 on the way · 1,390 delivered · 1,000 cancelled" in html


# --- Opening a store -------------------------------------------------------------------


def test_open_store_makes_owner(client, buyer):
    client.force_login(buyer)
    response = client.post(reverse("catalog:open_store"), {"name": "Karoo Leather Works"})
    membership = buyer.memberships.get()
    assert (membership.store.name, membership.role) == ("Karoo Leather Works", "owner")
    assert response.url == reverse("seller:products", kwargs={"slug": "karoo-leather-works"})


def test_an_owner_changes_the_store_profile(client, seller, store):
    client.force_login(seller)
    url = reverse("seller:profile", kwargs={"slug": store.slug})
    form = client.get(url).context["form"]
    assert (form["name"].value(), form["description"].value()) == (
        "Cape Linen Co",
        "A store for tests.",
    )
    response = client.post(url, {"name": "Cape Linen & Co", "description": "Woven flax."})
    assert response.url == url
    store.refresh_from_db()
    assert (store.name, store.slug, store.description) == (
        "Cape Linen & Co",
        "cape-linen-co",
        "Woven flax.",
    )


def test_a_taken_store_name_is_refused_next_to_the_field(client, seller, store):
    StoreFactory(name="Rival")
    client.force_login(seller)
    url = reverse("seller:profile", kwargs={"slug": store.slug})
    response = client.post(url, {"name": "RIVAL", "description": "x"})
    assert response.status_code == 409
    assert described_errors(response.content.decode()) == {
        "name": "A store called “RIVAL” already exists."
    }
    store.refresh_from_db()
    assert (store.name, store.description) == ("Cape Linen Co", "A store for tests.")


def test_an_agent_reads_the_store_profile_but_cannot_change_it(client, agent, store):
    client.force_login(agent)
    url = reverse("seller:profile", kwargs={"slug": store.slug})
    page = client.get(url).content.decode()
    assert '<form method="post" novalidate>' not in page
    assert "Only the store's owners change its profile." in page
    response = client.post(url, {"name": "Agent's Shop", "description": ""})
    assert response.status_code == 403
    assert "Only the store&#x27;s owners can change its profile." in response.content.decode()
    store.refresh_from_db()
    assert store.name == "Cape Linen Co"


def test_open_store_duplicate_name_error_next_to_field(client, buyer, store):
    client.force_login(buyer)
    response = client.post(reverse("catalog:open_store"), {"name": store.name.upper()})
    assert response.status_code == 409
    assert "already exists" in response.context["form"].errors["name"][0]
    assert not buyer.memberships.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_open_store_with_a_bad_name_is_a_400(client, buyer, name):
    client.force_login(buyer)
    response = client.post(reverse("catalog:open_store"), {"name": name})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"name"}
    assert not buyer.memberships.exists()


def test_navigation_is_role_aware(client, buyer, seller, staff):
    def labels():
        return [item["label"] for item in client.get("/").context["nav_items"]]

    assert labels() == ["Shop"]
    client.force_login(buyer)
    assert labels() == ["Shop", "My orders", "Messages"]
    client.force_login(seller)
    assert labels() == ["Shop", "My orders", "Messages", "Seller Center", "Academy"]
    client.force_login(staff)
    assert labels() == ["Shop", "My orders", "Messages", "Academy", "Office"]


# --- Team --------------------------------------------------------------------------


def test_owner_adds_agent_by_email(client, seller, store, buyer):
    client.force_login(seller)
    url = reverse("seller:team", kwargs={"slug": store.slug})
    response = client.post(url, {"email": buyer.email.upper(), "role": "agent"})
    assert response.status_code == 302
    assert store.memberships.get(user=buyer).role == "agent"


@pytest.mark.parametrize(
    ("email", "message"),
    [("ghost@example.test", "No SayPro account"), ("owner@example.test", "already on this")],
)
def test_add_member_errors_next_to_email(client, seller, store, email, message):
    client.force_login(seller)
    url = reverse("seller:team", kwargs={"slug": store.slug})
    response = client.post(url, {"email": email, "role": "agent"})
    assert response.status_code == 400
    assert message in response.context["form"].errors["email"][0]
    assert store.memberships.count() == 1


def test_agent_sees_team_but_cannot_add(client, agent, store, buyer):
    client.force_login(agent)
    url = reverse("seller:team", kwargs={"slug": store.slug})
    page = client.get(url)
    assert page.status_code == 200 and page.context["is_owner"] is False
    response = client.post(url, {"email": buyer.email, "role": "owner"})
    assert response.status_code == 400
    assert "Only the store's owners" in response.context["form"].non_field_errors()[0]
    assert not store.memberships.filter(user=buyer).exists()


def member_url(name: str, store, user) -> str:
    membership = store.memberships.get(user=user)
    return reverse(f"seller:team_member_{name}", kwargs={"slug": store.slug, "pk": membership.pk})


def test_owner_changes_a_role_and_removes_a_member(client, seller, agent, store):
    client.force_login(seller)
    page = client.get(reverse("seller:team", kwargs={"slug": store.slug})).content.decode()
    assert "Role of" in page and "Remove<span" in page and "Leave the team" in page

    response = client.post(member_url("role", store, agent), {"role": "owner"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("seller:team", kwargs={"slug": store.slug})
    assert "is now owner of Cape Linen Co" in response.content.decode()
    assert store.memberships.get(user=agent).role == "owner"

    response = client.post(member_url("remove", store, agent), follow=True)
    assert "is no longer on Cape Linen Co&#x27;s team" in response.content.decode()
    assert not store.memberships.filter(user=agent).exists()


def test_an_agent_leaves_but_cannot_change_others(client, seller, agent, store):
    client.force_login(agent)
    page = client.get(reverse("seller:team", kwargs={"slug": store.slug})).content.decode()
    assert "Role of" not in page and "Remove<span" not in page
    before = list(store.memberships.values_list("user__email", "role"))

    assert client.post(member_url("role", store, seller), {"role": "agent"}).status_code == 403
    assert client.post(member_url("role", store, seller), {"role": "admin"}).status_code == 403
    assert client.post(member_url("remove", store, seller)).status_code == 403
    assert list(store.memberships.values_list("user__email", "role")) == before

    response = client.post(member_url("remove", store, agent))
    assert response.status_code == 302 and response["Location"] == reverse("seller:start")
    assert not store.memberships.filter(user=agent).exists()


@pytest.mark.parametrize(
    ("action", "data", "status", "message"),
    [
        ("role", {"role": "agent"}, 409, "is the store&#x27;s only owner"),
        ("remove", {}, 409, "is the store&#x27;s only owner"),
        ("role", {"role": "admin"}, 400, "Role must be owner or agent."),
    ],
)
def test_a_refused_team_change_says_why_and_changes_nothing(
    client, seller, store, action, data, status, message
):
    client.force_login(seller)
    before = list(store.memberships.values_list("user__email", "role"))

    response = client.post(member_url(action, store, seller), data)

    assert response.status_code == status
    assert message in response.content.decode()
    assert list(store.memberships.values_list("user__email", "role")) == before


def test_another_stores_member_is_not_found(client, seller, store, other_seller):
    client.force_login(seller)
    rival = other_seller.memberships.get()
    url = reverse("seller:team_member_remove", kwargs={"slug": store.slug, "pk": rival.pk})

    assert client.post(url).status_code == 404
    assert other_seller.memberships.exists()
    # Opening an action's address leads back to the team page; nothing changes.
    response = client.get(member_url("remove", store, seller))
    assert response["Location"] == reverse("seller:team", kwargs={"slug": store.slug})
    assert store.memberships.filter(user=seller).exists()
