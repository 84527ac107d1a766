"""Success stories: the office's rules, and where sellers see them (Academy, dashboard)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from saypro.academy import authoring, selectors
from saypro.academy.authoring import StoryInput
from saypro.academy.models import SuccessStory
from saypro.catalog.tests.factories import ProductFactory, StoreFactory
from saypro.core.errors import PermissionDenied, ValidationFailed
from saypro.improvements import services as improvement_services
from saypro.improvements.tests.factories import PlanFactory, reviews_between
from saypro.insights.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def _input(store, **overrides) -> StoryInput:
    fields = {
        "title": "Sizing that fits",
        "store": store,
        "summary": "The dress ran small; now it does not.",
        "body": "They **changed the size guide**. <script>alert(1)</script>",
        "quote": "We measured it.",
        "quote_author": "Lerato, owner",
    }
    return StoryInput(**{**fields, **overrides})


@pytest.fixture
def measured_plan(store):
    """A plan of ``store`` measured as having helped (40 reviews each side of shipping)."""
    now = timezone.now()
    shipped = now - timedelta(days=30)
    fit = ThemeFactory(slug="fit_size", name="Fit & size")
    dress = ProductFactory(store=store, title="Wrap dress")
    plan = PlanFactory(
        product=dress,
        theme=fit,
        goal_metric="negative_share",
        goal_target=20,
        status="shipped",
        shipped_at=shipped,
        created_at=shipped - timedelta(days=1),
    )
    reviews_between(dress, start=shipped - timedelta(days=29), end=shipped, count=40, negative=16)
    reviews_between(dress, start=shipped, end=now - timedelta(hours=1), count=40, negative=4)
    return improvement_services.measure_plan(actor=None, plan=plan, now=now)


@pytest.mark.parametrize("role", ["buyer", "seller", "anonymous"])
def test_only_the_office_writes_stories(request, store, role):
    actor = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        authoring.create_story(actor, _input(store))
    assert not SuccessStory.objects.exists()


def test_a_story_is_a_draft_until_published(staff, store):
    story = authoring.create_story(staff, _input(store))
    assert story.status == SuccessStory.Status.DRAFT and story.slug == "sizing-that-fits"
    assert not selectors.published_stories().exists()

    authoring.publish_story(staff, story)
    story.refresh_from_db()
    assert story.is_published and story.published_at is not None


def test_a_linked_plan_must_be_the_stores_and_measured(staff, store, measured_plan):
    other = StoreFactory()
    with pytest.raises(ValidationFailed, match="one of the store's"):
        authoring.create_story(staff, _input(other, plan=measured_plan))
    unmeasured = PlanFactory(product=ProductFactory(store=store))
    with pytest.raises(ValidationFailed, match="once it is measured"):
        authoring.create_story(staff, _input(store, plan=unmeasured))
    with pytest.raises(ValidationFailed, match="quote's author"):
        authoring.create_story(staff, _input(store, quote_author=""))
    assert not SuccessStory.objects.exists()

    story = authoring.create_story(staff, _input(store, plan=measured_plan))
    assert story.plan == measured_plan


def test_the_story_page_shows_the_measured_before_and_after(client, staff, store, measured_plan):
    story = authoring.create_story(staff, _input(store, plan=measured_plan))
    url = story.get_absolute_url()
    assert client.get(url).status_code == 404  # a draft

    authoring.publish_story(staff, story)
    html = client.get(url).content.decode()

    assert "Measured before and after" in html and "Negative mentions of Fit &amp; size" in html
    assert "<strong>changed the size guide</strong>" in html and "<script>" not in html
    assert "Sizing that fits" in client.get(reverse("academy_stories:list")).content.decode()


def test_the_dashboard_shows_the_latest_featured_story_only_when_published(
    client, staff, seller, store
):
    story = authoring.create_story(staff, _input(store, featured=True))
    client.force_login(seller)
    dashboard = reverse("seller:home", kwargs={"slug": store.slug})

    assert "Sizing that fits" not in client.get(dashboard).content.decode()
    authoring.publish_story(staff, story)
    assert "Sizing that fits" in client.get(dashboard).content.decode()
    authoring.unpublish_story(staff, story)
    assert "Sizing that fits" not in client.get(dashboard).content.decode()


def test_the_catalog_shows_a_story(client, staff, store):
    authoring.publish_story(staff, authoring.create_story(staff, _input(store)))
    assert "From a seller who did it" in client.get(reverse("academy:catalog")).content.decode()


def test_office_story_pages_create_and_publish(client, staff, store):
    client.force_login(staff)
    response = client.post(
        reverse("office_academy:create_story"),
        {"title": "Answers in a day", "store": store.pk, "summary": "Fast answers.",
         "body": "They answer every morning."},
    )  # fmt: skip
    story = SuccessStory.objects.get()
    assert response.status_code == 302 and story.status == SuccessStory.Status.DRAFT
    client.post(reverse("office_academy:publish_story", kwargs={"pk": story.pk}))
    story.refresh_from_db()
    assert story.is_published
    assert "Answers in a day" in client.get(reverse("office_academy:stories")).content.decode()
