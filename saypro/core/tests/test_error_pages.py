"""Errors are shown as pages of the product, not as the framework's bare text."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from saypro.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_address_shows_the_products_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert 'class="site-header"' in page and "Go to the marketplace" in page


def test_a_page_the_user_may_not_open_shows_the_products_forbidden_page(client):
    client.force_login(UserFactory())
    response = client.get("/office/kpis/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>You can't open this page</h1>" in page
    assert "This page is for the marketplace office." in page  # the view's reason


def test_an_expired_form_says_so_and_that_nothing_was_saved():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.com", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>The form expired</h1>" in page and "nothing was saved" in page


def test_a_request_for_another_host_gets_the_bad_request_page(client):
    response = client.get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert "<h1>That request could not be read</h1>" in response.content.decode()


def test_a_server_error_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and "/static/" in page


def test_too_many_password_resets_show_the_products_page_with_a_way_back(client):
    UserFactory(email="thandi@example.com")
    reset = {"email": "thandi@example.com"}
    statuses = [client.post("/accounts/password/reset/", reset).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    page = client.post("/accounts/password/reset/", reset).content.decode()
    assert "<h1>Too many attempts</h1>" in page and "wait a few minutes" in page
    assert 'class="site-header"' in page and 'href="/accounts/password/reset/"' in page
