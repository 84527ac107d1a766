"""A form's POST-only address opened in a browser leads to its page, not a bare 405."""

import pytest
from django.urls import reverse

from saypro.catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_a_refreshed_order_address_goes_back_to_the_product(client, buyer):
    product = ProductFactory()
    client.force_login(buyer)
    response = client.get(reverse("catalog:place_order", kwargs={"pk": product.pk}))
    assert (response.status_code, response.url) == (302, product.get_absolute_url())


def test_the_nearest_page_above_is_chosen(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("notifications:read_all"))
    assert (response.status_code, response.url) == (302, reverse("notifications:centre"))


def test_other_methods_and_the_api_still_answer_405(client, buyer):
    product = ProductFactory()
    client.force_login(buyer)
    assert client.put(reverse("catalog:place_order", kwargs={"pk": product.pk})).status_code == 405
    assert client.get("/api/v1/notifications/read-all").status_code == 405
