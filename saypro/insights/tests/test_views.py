"""Insight pages per role: anonymous, a buyer, a member of another store, the store's team,
office staff; the drill-down's marks, the office theme editor, the review queue's filters."""

import re
from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from saypro.catalog.tests.factories import MembershipFactory, ProductFactory
from saypro.core.errors import ValidationFailed
from saypro.improvements.tests.factories import PlanFactory
from saypro.insights import phrases, services
from saypro.insights.models import RisingIssue, Theme
from saypro.insights.selectors import WeekSentiment
from saypro.insights.tests.factories import (
    RisingIssueFactory,
    ThemeFactory,
    analysed_review,
    sentence,
)
from saypro.reviews.models import Review

NEG, NEU, POS = "negative", "neutral", "positive"


@pytest.fixture(autouse=True)
def _no_topics(monkeypatch):
    """Emerging topics come from the clustering model; these pages test the rest."""
    monkeypatch.setattr(phrases, "emerging_topics", lambda texts, **kwargs: [])


@pytest.fixture
def rival(db):
    """The owner of another store."""
    return MembershipFactory(user__email="rival@example.test").user


@pytest.fixture
def fit(db):
    return ThemeFactory(slug="fit_size", name="Fit & size", position=1)


@pytest.fixture
def world(product, fit):
    now = timezone.now()
    runs_small = analysed_review(
        product,
        [
            sentence("Lovely colour.", POS),
            sentence("It runs <small> & tight.", NEG, themes={"fit_size": NEG}),
            sentence("Please add pockets.", NEU, suggestion="pockets"),
        ],
        rating=2,
        published_at=now - timedelta(hours=2),
    )
    fits_well = analysed_review(
        product,
        [sentence("Fits well.", POS, themes={"fit_size": POS})],
        rating=4,
        published_at=now - timedelta(days=3),
    )
    hidden = analysed_review(
        product,
        [sentence("Hidden tiny sizes.", NEG, themes={"fit_size": NEG})],
        rating=1,
        published_at=now - timedelta(hours=1),
        status=Review.Status.HIDDEN,
    )
    issue = RisingIssueFactory(product=product, theme=fit, evidence=[runs_small.pk, hidden.pk])
    return {"runs_small": runs_small, "fits_well": fits_well, "hidden": hidden, "issue": issue}


def overview_url(store) -> str:
    return reverse("insights:overview", kwargs={"slug": store.slug})


def drill_url(store) -> str:
    return reverse("insights:reviews", kwargs={"slug": store.slug})


# --- Who sees what ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("buyer", 404), ("rival", 404), ("staff", 404), ("seller", 200), ("agent", 200)],
)
def test_insight_pages_are_for_the_store_team(client, request, world, store, product, role, status):
    client.force_login(request.getfixturevalue(role))
    urls = [
        overview_url(store),
        reverse("insights:product", kwargs={"slug": store.slug, "pk": product.pk}),
        drill_url(store) + "?theme=fit_size&sentiment=negative",
    ]
    assert [client.get(url).status_code for url in urls] == [status] * 3


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, store):
    response = client.get(overview_url(store))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_another_stores_product_and_issue_are_404(client, world, store, seller):
    client.force_login(seller)
    foreign = ProductFactory()
    foreign_issue = RisingIssueFactory(product=foreign)

    url = reverse("insights:product", kwargs={"slug": store.slug, "pk": foreign.pk})
    assert client.get(url).status_code == 404
    assert client.get(drill_url(store), {"issue": foreign_issue.pk}).status_code == 404
    status_url = reverse(
        "insights:issue_status", kwargs={"slug": store.slug, "pk": foreign_issue.pk}
    )
    assert client.post(status_url, {"status": "dismissed"}).status_code == 404
    foreign_issue.refresh_from_db()
    assert foreign_issue.status == "open"


# --- The overview -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_puts_rising_issues_first_with_evidence_and_a_plan_link(
    client, world, store, seller
):
    client.force_login(seller)
    html = client.get(overview_url(store)).content.decode()

    issue = world["issue"]
    assert html.index("Rising issues") < html.index("Sentiment over time") < html.index("Themes")
    assert f'href="/seller/{store.slug}/improvements/new?issue={issue.pk}"' in html
    assert "6 of 10</strong> reviews" in html
    # The evidence quotes the sentence about fit, escaped; the hidden review is no evidence.
    assert "“It runs &lt;small&gt; &amp; tight.”" in html
    assert "Hidden tiny sizes." not in html
    assert f"?issue={issue.pk}" in html
    # Theme table: 2 mentions, 1 negative (50 %), rating (2 + 4) / 2 − 3.0 = 0.0.
    assert "?theme=fit_size&amp;since=" in html
    assert "?theme=fit_size&amp;sentiment=negative&amp;since=" in html
    assert "50 %" in html
    assert "Please add pockets." in html
    assert 'role="img"' in html and "Published reviews per week by sentiment" in html


@pytest.mark.django_db
def test_on_a_phone_each_theme_is_a_card_of_labelled_figures(client, world, store, seller):
    client.force_login(seller)
    html = client.get(overview_url(store)).content.decode()

    table = html[html.index('<div class="table-wrap cards-on-phone">') :]
    body = table[table.index("<tbody>") :]
    row = body[: body.index("</tr>")]
    assert re.findall(r'<td[^>]*data-label="([^"]+)"', row) == [
        "Mentions",
        "Negative",
        "Share negative",
        "Rating effect",
        "Trend",
    ]
    assert row.count("<td") == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "days", "selected"),
    [
        ("", 90, "Last 90 days"),
        ("?days=365", 365, "Last 12 months"),
        ("?days=30", 30, "Last 30 days"),
        ("?days=7", 90, "Last 90 days"),  # not on the menu: the default, and the menu says so
        ("?days=", 90, "Last 90 days"),
    ],
)
def test_the_period_menu_shows_the_period_used(client, store, seller, query, days, selected):
    client.force_login(seller)

    response = client.get(overview_url(store) + query)

    overview = response.context["overview"]
    assert overview.days == days
    html = response.content.decode()
    assert re.findall(r"<option value=\"\d+\" selected>([^<]+)</option>", html) == [selected]
    # The weekly chart is the period's: its first week counts from the first day.
    first_week, first_day = overview.weeks[0].week_start, overview.first_day
    assert first_week <= first_day < first_week + timedelta(weeks=1)
    assert overview.weeks[0].first_day == first_day
    assert f"Reviews published each week from {first_day:%-d %b %Y}" in html


@pytest.mark.django_db
def test_a_week_the_period_starts_in_is_labelled_and_linked_from_the_first_day(store):
    weeks = [
        WeekSentiment(date(2026, 8, 31), date(2026, 9, 5), date(2026, 9, 6), negative=2),
        WeekSentiment(date(2026, 9, 7), date(2026, 9, 7), date(2026, 9, 9), positive=1),
    ]

    html = Template("{% load insights %}{% sentiment_chart weeks store=store %}").render(
        Context({"weeks": weeks, "store": store})
    )

    assert "from 5 Sep 2026 <span" in html  # the table's row
    assert ">from 5 Sep</text>" in html  # the bar's label
    assert "From 5 Sep 2026: 2 negative" in html
    assert "?sentiment=negative&amp;since=2026-09-05&amp;until=2026-09-06" in html
    assert "2026-08-31" not in html and "31 Aug" not in html
    assert ">7 Sep</text>" in html and "Week of 7 Sep 2026: 1 positive" in html
    assert "?since=2026-09-07&amp;until=2026-09-09" in html
    assert "3 reviews in all" in html


@pytest.mark.django_db
def test_a_trend_compares_the_last_30_days_with_the_30_before_by_date(
    client, product, fit, store, seller
):
    now = timezone.now()
    # Fit: 5 of 5 negative in the last 30 days, 2 of 5 in the 30 before.
    for days_ago, sentiment in [
        *[(n, NEG) for n in range(5)],
        *[(31 + n, NEG if n < 2 else POS) for n in range(5)],
    ]:
        analysed_review(
            product,
            [sentence("It runs small.", sentiment, themes={"fit_size": sentiment})],
            published_at=now - timedelta(days=days_ago, hours=1),
        )
    today = timezone.localdate(now)
    recent, previous = today - timedelta(days=29), today - timedelta(days=59)
    previous_end = recent - timedelta(days=1)
    client.force_login(seller)

    html = client.get(overview_url(store)).content.decode()

    assert (
        f"in the last 30 days ({recent:%-d %b} to {today:%-d %b %Y}) with the 30 days before "
        f"({previous:%-d %b} to {previous_end:%-d %b %Y})"
    ) in html
    assert (
        f"?theme=fit_size&amp;sentiment=negative&amp;since={recent.isoformat()}"
        f"&amp;until={today.isoformat()}"
    ) in html
    assert "+60 pts" in html
    assert (
        f": 100 % negative from {recent:%-d %b} to {today:%-d %b} "
        f"against 40 % from {previous:%-d %b} to {previous_end:%-d %b}"
    ) in html
    assert "this month" not in html and "last month" not in html


def _plan_for(issue, **fields):
    return PlanFactory(product=issue.product, theme=issue.theme, rising_issue=issue, **fields)


@pytest.mark.django_db
def test_a_planned_issue_links_to_its_plan_instead_of_offering_one(client, world, store, seller):
    issue = world["issue"]
    services.set_issue_status(actor=seller, issue=issue, status="planned")
    plan = _plan_for(issue, status="in_progress")
    client.force_login(seller)

    html = client.get(overview_url(store)).content.decode()

    plan_url = reverse("improvements:plan", kwargs={"slug": store.slug, "pk": plan.pk})
    assert f'<a class="button small" href="{plan_url}">View plan' in html
    assert "Plan in progress" in html
    assert "Create a plan" not in html and "Create another plan" not in html


@pytest.mark.django_db
def test_a_planned_issue_without_a_plan_still_offers_one(client, world, store, seller):
    issue = world["issue"]
    services.set_issue_status(actor=seller, issue=issue, status="planned")
    client.force_login(seller)

    html = client.get(overview_url(store)).content.decode()

    new_url = reverse("improvements:new", kwargs={"slug": store.slug})
    assert f'<a class="button small" href="{new_url}?issue={issue.pk}">Create a plan' in html
    assert "View plan" not in html


@pytest.mark.django_db
def test_a_plan_measured_without_success_offers_another(client, world, store, seller):
    issue = world["issue"]
    services.set_issue_status(actor=seller, issue=issue, status="planned")
    plan = _plan_for(
        issue,
        status="measured",
        verdict="no_clear_change",
        shipped_at=timezone.now() - timedelta(days=40),
        measured_at=timezone.now(),
    )
    client.force_login(seller)

    html = client.get(overview_url(store)).content.decode()

    assert reverse("improvements:plan", kwargs={"slug": store.slug, "pk": plan.pk}) in html
    assert "Plan measured: no clear change yet" in html
    assert "Create another plan" in html


@pytest.mark.django_db
def test_a_resolved_issue_leaves_rising_issues_for_resolved_recently(client, world, store, seller):
    issue = world["issue"]
    services.set_issue_status(actor=seller, issue=issue, status="planned")
    plan = _plan_for(
        issue,
        status="measured",
        verdict="helped",
        shipped_at=timezone.now() - timedelta(days=40),
        measured_at=timezone.now(),
    )
    services.resolve_issue_by_plan(issue=issue)
    long_ago = RisingIssueFactory(
        product=issue.product,
        theme=ThemeFactory(slug="quality", name="Quality"),
        status=RisingIssue.Status.RESOLVED,
        checked_at=timezone.now() - timedelta(days=200),
    )
    client.force_login(seller)

    response = client.get(overview_url(store))

    assert response.context["overview"].issues == []
    assert response.context["overview"].resolved == [issue]
    html = response.content.decode()
    assert 'class="card issue-card"' not in html and "Nothing is rising" in html
    assert "Resolved recently (1)" in html
    assert 'Fit &amp; size <span class="muted small">on Linen shirt, resolved ' in html
    assert ": the plan helped" in html
    assert reverse("improvements:plan", kwargs={"slug": store.slug, "pk": plan.pk}) in html
    assert long_ago.subject not in html.split("Resolved recently")[1].split("</details>")[0]


@pytest.mark.django_db
def test_overview_of_a_store_without_reviews_explains_what_will_appear(client, store, seller):
    client.force_login(seller)
    html = client.get(overview_url(store)).content.decode()

    for title in (
        "Nothing is rising",
        "No themes mentioned in this period",
        "No suggestions yet",
        "No new topics",
        "No reviews in this period",
    ):
        assert title in html


@pytest.mark.django_db
def test_overview_takes_a_bounded_number_of_queries(
    client, world, store, product, fit, seller, django_assert_max_num_queries
):
    client.force_login(seller)
    # 25: the page's figures, the live, dismissed and recently resolved issues, their plans,
    # and the unread-messages badge in the header.
    # 25 + the header bell (2) + the survey card + the campaign banner
    # + the knowledge-base links of the empty states' guides (cached for 5 minutes after)
    with django_assert_max_num_queries(30) as few:
        client.get(overview_url(store))
    quality = ThemeFactory(slug="quality", name="Quality")
    for n in range(6):
        other = ProductFactory(store=store)
        review = analysed_review(
            other,
            [
                sentence(f"Seams split {n}.", NEG, themes={"quality": NEG}),
                sentence("Add a spare button.", NEU, suggestion="spare_button"),
            ],
            rating=1,
        )
        RisingIssueFactory(product=other, theme=quality, evidence=[review.pk])

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(overview_url(store))
    assert response.status_code == 200


@pytest.mark.django_db
def test_product_page_shows_only_that_product(client, world, store, product, seller):
    other = ProductFactory(store=store, title="Linen trousers")
    analysed_review(other, [sentence("Zip broke.", NEG, themes={"quality": NEG})], rating=1)
    client.force_login(seller)

    response = client.get(
        reverse("insights:product", kwargs={"slug": store.slug, "pk": product.pk})
    )

    overview = response.context["overview"]
    assert [entry.row.theme.slug for entry in overview.themes] == ["fit_size"]
    assert overview.reviews == 2
    assert f"product={product.pk}" in response.content.decode()


# --- The drill-down ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_drill_down_marks_the_matching_sentences_escaped(client, world, store, seller):
    client.force_login(seller)

    response = client.get(drill_url(store), {"theme": "fit_size", "sentiment": "negative"})

    assert [review for review, _ in response.context["rows"]] == [world["runs_small"]]
    html = response.content.decode()
    assert (
        'Lovely colour. <mark class="match">It runs &lt;small&gt; &amp; tight.</mark>'
        " Please add pockets." in html
    )
    assert "<small>" not in html.split("Reviews behind the numbers")[-1]
    assert "Theme: Fit &amp; size · Sentiment: negative" in html
    queue = reverse("seller_reviews:queue", kwargs={"slug": store.slug})
    assert f"{queue}?status=all&amp;theme=fit_size&amp;sentiment=negative" in html


@pytest.mark.django_db
def test_drill_down_by_issue_suggestion_and_period(client, world, store, seller):
    client.force_login(seller)

    def listed(**params) -> list[Review]:
        response = client.get(drill_url(store), params)
        assert response.status_code == 200, response.content
        return [review for review, _ in response.context["rows"]]

    assert listed(issue=world["issue"].pk) == [world["runs_small"]]  # the hidden one is left out
    assert listed(suggestion="pockets") == [world["runs_small"]]
    assert listed() == [world["runs_small"], world["fits_well"]]
    today = timezone.localdate()
    three_days_ago = timezone.localdate(world["fits_well"].published_at)
    assert listed(since=three_days_ago, until=three_days_ago) == [world["fits_well"]]
    assert world["runs_small"] in listed(until=today)


@pytest.mark.django_db
def test_bad_drill_down_links_say_so(client, world, store, seller):
    client.force_login(seller)

    for params in (
        {"sentiment": "angry"},
        {"theme": "no_such"},
        {"since": "2025-03-02", "until": "2025-03-01"},
        {"until": "9999-12-31"},
        {"since": "0001-01-01"},
    ):
        response = client.get(drill_url(store), params)
        assert response.status_code == 400
        assert "This link does not describe reviews we can find" in response.content.decode()
    assert client.get(drill_url(store), {"issue": 999999}).status_code == 404
    far = client.get(drill_url(store), {"until": "9999-12-31"})
    assert far.context["form"].errors == {"until": ["Choose a day from 1 Jan 2000 to 31 Dec 2099."]}
    assert 'min="2000-01-01" max="2099-12-31"' in far.content.decode()


@pytest.mark.django_db
def test_a_topic_that_stopped_standing_out_lists_nothing(client, world, store, seller):
    client.force_login(seller)
    response = client.get(drill_url(store), {"topic": "zip"})
    assert response.context["rows"] == []
    assert "This topic no longer stands out" in response.content.decode()


# --- Dismissing and reopening an issue --------------------------------------------------------


@pytest.mark.django_db
def test_the_team_dismisses_and_reopens_an_issue(client, world, store, agent):
    client.force_login(agent)
    issue = world["issue"]
    url = reverse("insights:issue_status", kwargs={"slug": store.slug, "pk": issue.pk})

    response = client.post(url, {"status": "dismissed", "next": overview_url(store)})
    assert response.status_code == 302 and response["Location"] == overview_url(store)
    issue.refresh_from_db()
    assert issue.status == "dismissed"
    html = client.get(overview_url(store)).content.decode()
    assert "Dismissed issues (1)" in html and "Nothing is rising" in html

    client.post(url, {"status": "open", "next": "https://evil.example/"})
    issue.refresh_from_db()
    assert issue.status == "open"


@pytest.mark.django_db
def test_a_refused_reopen_is_shown_on_the_page_it_came_from(client, world, store, product, agent):
    issue = world["issue"]
    services.set_issue_status(actor=agent, issue=issue, status="dismissed")
    newer = RisingIssueFactory(product=product, theme=issue.theme)
    client.force_login(agent)
    page = reverse("insights:product", kwargs={"slug": store.slug, "pk": product.pk})
    url = reverse("insights:issue_status", kwargs={"slug": store.slug, "pk": issue.pk})

    response = client.post(url, {"status": "open", "next": f"{page}?days=90"})

    assert response.status_code == 409
    assert response.context["product"] == product
    assert response.context["form"]["days"].value() == 90
    html = response.content.decode()
    assert "A newer issue on the same subject is already open." in html
    assert f'<form method="get" action="{page}"' in html  # its forms still lead to the page
    assert f'name="next" value="{page}?days=90"' in html
    statuses = dict(RisingIssue.objects.values_list("pk", "status"))
    assert statuses == {issue.pk: "dismissed", newer.pk: "open"}


@pytest.mark.django_db
def test_an_unknown_issue_status_is_refused_on_the_overview(client, world, store, agent):
    client.force_login(agent)
    url = reverse("insights:issue_status", kwargs={"slug": store.slug, "pk": world["issue"].pk})

    response = client.post(url, {"status": "exploded", "next": "https://evil.example/"})

    assert response.status_code == 400
    assert response.context["product"] is None
    assert "Choose what to do with the issue." in response.content.decode()
    assert RisingIssue.objects.get().status == "open"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "rival", "staff"])
def test_outsiders_cannot_dismiss(client, request, world, store, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse("insights:issue_status", kwargs={"slug": store.slug, "pk": world["issue"].pk})
    assert client.post(url, {"status": "dismissed"}).status_code == 404
    assert RisingIssue.objects.get().status == "open"


# --- Office: the theme editor -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("buyer", 403), ("seller", 403), ("staff", 200)])
def test_theme_editor_is_for_office_staff(client, request, fit, role, status):
    client.force_login(request.getfixturevalue(role))
    urls = [
        reverse("office_insights:themes"),
        reverse("office_insights:theme_create"),
        reverse("office_insights:theme_edit", kwargs={"pk": fit.pk}),
    ]
    assert [client.get(url).status_code for url in urls] == [status] * 3
    active = reverse("office_insights:theme_active", kwargs={"pk": fit.pk})
    redirected = 302 if role == "staff" else status
    assert client.post(active, {"is_active": "0"}).status_code == redirected
    fit.refresh_from_db()
    assert fit.is_active is (role != "staff")


@pytest.mark.django_db
def test_the_office_navigation_links_to_the_themes(client, staff, fit):
    client.force_login(staff)
    themes = reverse("office_insights:themes")
    moderation = reverse("office:reviews")
    current = ' aria-current="page"'

    for page in (themes, reverse("office_insights:theme_edit", kwargs={"pk": fit.pk})):
        html = client.get(page).content.decode()
        assert f'<a href="{themes}"{current}>Themes</a>' in html
        assert f'<a href="{moderation}">Review moderation</a>' in html
    html = client.get(moderation).content.decode()
    assert f'<a href="{themes}">Themes</a>' in html
    assert f'<a href="{moderation}"{current}>Review moderation</a>' in html


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in_from_the_office(client):
    response = client.get(reverse("office_insights:themes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_staff_see_phrase_and_mention_counts(client, world, fit, staff):
    fit.phrases = ["runs small", "too tight", "fits"]
    fit.save()
    client.force_login(staff)

    response = client.get(reverse("office_insights:themes"))

    theme = next(theme for theme in response.context["themes"] if theme.pk == fit.pk)
    assert (theme.name, len(theme.phrases), theme.mention_count) == ("Fit & size", 3, 2)
    html = response.content.decode()
    assert '<td class="number">3</td>\n            <td class="number">2</td>' in html


@pytest.mark.django_db
def test_staff_add_edit_and_deactivate_a_theme(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("office_insights:theme_create"),
        {"name": "Smell", "description": "Odours.", "phrases": "smells of\n\n  chemical smell \n"},
    )
    assert response.status_code == 302
    theme = Theme.objects.get(name="Smell")
    assert (theme.phrases, theme.is_active) == (["smells of", "chemical smell"], True)

    url = reverse("office_insights:theme_edit", kwargs={"pk": theme.pk})
    assert "smells of\nchemical smell" in client.get(url).content.decode()
    client.post(url, {"name": "Odour", "description": "", "phrases": "musty"})
    theme.refresh_from_db()
    assert (theme.name, theme.phrases) == ("Odour", ["musty"])

    client.post(
        reverse("office_insights:theme_active", kwargs={"pk": theme.pk}), {"is_active": "0"}
    )
    theme.refresh_from_db()
    assert theme.is_active is False


@pytest.mark.django_db
def test_theme_errors_are_shown_next_to_the_field(client, staff, monkeypatch):
    client.force_login(staff)
    url = reverse("office_insights:theme_create")

    response = client.post(url, {"name": "Smell", "phrases": " \n "})
    assert response.status_code == 400
    assert response.context["form"].errors == {"phrases": ["This field is required."]}

    def refuse(**kwargs):
        raise ValidationFailed("“a” is too short to match anything.", details={"field": "phrases"})

    response = client.post(url, {"name": "Smell", "phrases": "smells of\n*zip"})
    assert list(response.context["form"].errors) == ["phrases"]
    assert "“*zip”" in response.context["form"].errors["phrases"][0]

    monkeypatch.setattr(services, "create_theme", refuse)
    response = client.post(url, {"name": "Smell", "phrases": "a"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"phrases": ["“a” is too short to match anything."]}
    assert 'id="id_phrases_error"' in response.content.decode()
    assert not Theme.objects.filter(name="Smell").exists()


@pytest.mark.django_db
def test_a_refused_theme_change_shows_why_and_changes_nothing(client, staff, fit, monkeypatch):
    client.force_login(staff)
    before = list(Theme.objects.order_by("pk").values_list("name", "phrases", "is_active"))

    taken = client.post(
        reverse("office_insights:theme_edit", kwargs={"pk": fit.pk}),
        {"name": "delivery", "description": "", "phrases": "runs small"},
    )
    assert taken.status_code == 409
    assert taken.context["form"].non_field_errors() == ["A theme called “delivery” already exists."]
    assert taken.context["theme"].name == "Fit & size"

    def refuse(**kwargs):
        raise ValidationFailed("The theme cannot be deactivated now.")

    monkeypatch.setattr(services, "update_theme", refuse)
    refused = client.post(
        reverse("office_insights:theme_active", kwargs={"pk": fit.pk}), {"is_active": "0"}
    )
    assert refused.status_code == 400
    assert refused.templates[0].name == "insights/pages/office_themes.html"
    assert "The theme cannot be deactivated now." in refused.content.decode()
    after = list(Theme.objects.order_by("pk").values_list("name", "phrases", "is_active"))
    assert after == before


# --- The review queue's theme and sentiment filters -------------------------------------------


@pytest.mark.django_db
def test_review_queue_filters_by_theme_and_sentiment(client, world, store, seller):
    client.force_login(seller)
    queue = reverse("seller_reviews:queue", kwargs={"slug": store.slug})

    def listed(**params) -> list[Review]:
        response = client.get(queue, {"status": "all", **params})
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    assert listed(theme="fit_size", sentiment="negative") == [world["runs_small"]]
    assert listed(theme="fit_size", sentiment="positive") == [world["fits_well"]]
    assert set(listed(theme="fit_size")) == {world["runs_small"], world["fits_well"]}
    assert listed(sentiment="positive") == [world["fits_well"]]
    html = client.get(queue, {"theme": "fit_size"}).content.decode()
    assert '<option value="fit_size" selected>Fit &amp; size</option>' in html


@pytest.mark.django_db
def test_seller_navigation_links_to_insights(client, store, seller):
    client.force_login(seller)
    html = client.get(reverse("seller:home", kwargs={"slug": store.slug})).content.decode()
    assert f'href="{overview_url(store)}"' in html
