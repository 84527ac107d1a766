"""Office staff in the Django admin: the marketplace's settings to maintain, its records to read,
people's accounts left to superusers, nothing deleted; nobody else gets in."""

import pytest
from django.urls import reverse

from saypro.catalog.tests.factories import ProductFactory
from saypro.rewards.models import EarningRule


@pytest.fixture
def office(client, staff):
    client.force_login(staff)
    return client


def test_office_staff_see_the_marketplace_apps_but_not_people(office):
    html = office.get(reverse("admin:index")).content.decode()
    assert "Earning rules" in html and "Orders" in html
    assert reverse("admin:accounts_user_changelist") not in html
    assert office.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert office.get(reverse("admin:accounts_apitoken_changelist")).status_code == 403


def test_office_staff_change_an_earning_rule_but_do_not_delete_it(office):
    rule = EarningRule.objects.first()
    url = reverse("admin:rewards_earningrule_change", args=[rule.pk])
    page = office.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] and not page.context["has_delete_permission"]
    delete = reverse("admin:rewards_earningrule_delete", args=[rule.pk])
    assert office.post(delete, {"post": "yes"}).status_code == 403
    assert EarningRule.objects.filter(pk=rule.pk).exists()


def test_office_staff_read_orders_and_products_without_changing_them(office):
    product = ProductFactory()
    page = office.get(reverse("admin:catalog_product_change", args=[product.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = office.post(
        reverse("admin:catalog_product_change", args=[product.pk]), {"title": "Renamed"}
    )
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.title != "Renamed"


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_people_who_are_not_office_staff_are_not_let_in(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:rewards_earningrule_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
