"""The order-status email task (run inline: Huey is in immediate mode under pytest)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from saypro.catalog.models import Order
from saypro.catalog.tasks import email_order_status
from saypro.catalog.tests.factories import OrderFactory, OrderItemFactory, ProductFactory

pytestmark = pytest.mark.django_db

SITE = "https://shop.example.test"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def order(buyer, store, product):
    """A shipped order of two linen shirts and one pack of napkins."""
    order = OrderFactory(
        buyer=buyer, store=store, total=Decimal("447.50"), status=Order.Status.SHIPPED
    )
    napkins = ProductFactory(store=store, title="Linen napkins", price=Decimal("49.50"))
    OrderItemFactory(order=order, product=product, quantity=2)
    OrderItemFactory(order=order, product=napkins, quantity=1)
    return order


def test_email_tells_the_buyer_in_text_and_html(order, django_assert_num_queries):
    with django_assert_num_queries(3):  # the order with buyer and store, its items per part
        email_order_status(order.pk)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    link = SITE + reverse("catalog:order", kwargs={"number": order.number})
    assert message.subject == f"Your order {order.number} is shipped"
    assert message.to == ["buyer@example.test"]
    assert message.from_email == "SayPro Marketplace <no-reply@saypro.test>"
    assert message.body.startswith("Hello Thandi,\n\n")
    for expected in [
        f"Cape Linen Co has shipped your order {order.number}",
        f"Order:  {order.number}\n",
        "Store:  Cape Linen Co\n",
        "Status: Shipped\n",
        "- 2 × Linen shirt — R 398.00\n",
        "- 1 × Linen napkins — R 49.50\n",
        "Total: R 447.50\n",
        link + "\n",
    ]:
        assert expected in message.body, expected
    assert "<" not in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    for expected in [
        f"<strong>{order.number}</strong>",
        "Cape Linen Co",
        "<strong>Shipped</strong>",
        "Linen napkins",
        "R 447.50",
        f'href="{link}"',
    ]:
        assert expected in html, expected


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        ("shipped", "Good news: Cape Linen Co has shipped your order"),
        ("delivered", "from Cape Linen Co has been delivered"),
        ("cancelled", "from Cape Linen Co has been cancelled"),
    ],
)
def test_email_says_what_happened(order, status, sentence):
    Order.objects.filter(pk=order.pk).update(status=status)

    email_order_status(order.pk)

    [message] = mail.outbox
    assert message.subject == f"Your order {order.number} is {status}"
    assert sentence in message.body


def test_text_part_is_not_html_escaped_but_html_part_is(order, store):
    store.name = "Tom & Jerry's <Linen>"
    store.save()

    email_order_status(order.pk)

    [message] = mail.outbox
    assert "Store:  Tom & Jerry's <Linen>\n" in message.body
    html = message.alternatives[0][0]
    assert "Tom &amp; Jerry&#x27;s &lt;Linen&gt;" in html
    assert "<Linen>" not in html


def test_email_for_a_missing_order_sends_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        email_order_status(987654)

    assert mail.outbox == []
