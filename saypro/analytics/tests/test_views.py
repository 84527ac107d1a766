"""Office › KPIs pages: who may see them, the filters, the drill-down, the targets form, and
the dashboard's query count (fixed, whatever the amount of data)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.tests.factories import StaffFactory
from saypro.analytics import dashboard, rollups, selectors
from saypro.analytics.models import Target
from saypro.analytics.periods import Quarter
from saypro.analytics.tests.world import NOW, Builder, at, build
from saypro.catalog.tests.factories import ProductFactory, StoreFactory
from saypro.core.testing import described_errors

DASHBOARD = reverse("office_kpis:dashboard")
TARGETS = reverse("office_kpis:targets")
Q3 = "2026-Q3"


def drill(key: str) -> str:
    return reverse("office_kpis:drill", kwargs={"key": key})


def refresh():
    while rollups.refresh_dirty(now=NOW):
        pass


@pytest.fixture
def world(db, settings):
    settings.TIME_ZONE = "Africa/Johannesburg"
    built = build()
    refresh()
    return built


@pytest.fixture
def staff(db):
    return StaffFactory(first_name="Olwethu", last_name="Office")


@pytest.fixture
def office(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.parametrize("url", [DASHBOARD, TARGETS, drill("review_response_48h")])
@pytest.mark.parametrize(("role", "status"), [("buyer", 403), ("seller", 403), ("staff", 200)])
def test_only_office_staff_see_the_kpi_pages(client, world, staff, url, role, status):
    client.force_login({"buyer": world.ann, "seller": world.sam, "staff": staff}[role])
    assert client.get(url, {"quarter": Q3}).status_code == status


@pytest.mark.parametrize("url", [DASHBOARD, TARGETS, drill("review_response_48h")])
def test_anonymous_people_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_buyer_or_seller_cannot_set_a_target(client, world):
    client.force_login(world.sam)
    response = client.post(TARGETS, {"kpi": "review_response_48h", "value": "50"})
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_the_office_address_opens_the_dashboard(office, world):
    response = office.get("/office/")
    assert (response.status_code, response.url) == (302, DASHBOARD)


def test_the_office_navigation_starts_with_the_dashboard(office, world):
    html = office.get("/").content.decode()
    assert f'href="{DASHBOARD}"' in html  # the header's "Office"
    html = office.get(reverse("office:reviews")).content.decode()
    subnav = html.split('aria-label="Office">', 1)[1]
    assert subnav.lstrip().startswith(f'<a href="{DASHBOARD}">KPIs</a>')


def test_the_dashboard_shows_every_kpi_of_the_quarter(office, world):
    from saypro.analytics.kpis import KPIS

    response = office.get(DASHBOARD, {"quarter": Q3})
    assert response.status_code == 200
    html = response.content.decode()
    for kpi in KPIS:
        assert f'id="kpi-{kpi.key}"' in html
    # Reviews answered within 48 h in Q3: 2 of 4 = 50.0 %, target 95 % → missed.
    card = html.split('id="kpi-review_response_48h"', 1)[1].split("</article>", 1)[0]
    assert "50.0 %" in card and "(2 of 4)" in card
    assert "95.0 %" in card
    assert "Missed" in card
    assert f'href="{drill("review_response_48h")}?quarter={Q3}"' in card
    # The charts: titled SVGs with a table each, the funnel's numbers (5 → 3 → 2).
    assert html.count('role="img"') >= 9
    assert html.count("Show as a table") == html.count('role="img"')
    assert "Buyer inquiries: 5 conversations" in html
    assert "Replied by the store: 3 conversations (60 % of the step before)" in html
    assert "Reviews answered within 48 h" in html or "review" in html.lower()


def test_filters_by_category_and_store(office, world):
    html = office.get(DASHBOARD, {"quarter": Q3, "category": world.garden.pk}).content.decode()
    card = html.split('id="kpi-messaging_interactions"', 1)[1].split("</article>", 1)[0]
    assert ">3<" in card.replace(" ", "").replace("\n", "") or ">3<span" in card
    # A store typed by part of its name is resolved; its name stays in the box.
    response = office.get(DASHBOARD, {"quarter": Q3, "store": "store b"})
    assert response.status_code == 200
    assert response.context["filters"]["store_id"] == world.store_b.pk
    assert 'value="Store B"' in response.content.decode()
    values = {c["kpi"].key: c["item"] for c in response.context["cards"]}
    assert values["messaging_interactions"].value == 3


def test_an_ambiguous_or_unknown_store_is_refused_and_the_default_shown(office, world):
    response = office.get(DASHBOARD, {"quarter": Q3, "store": "Store"})
    assert response.status_code == 400
    assert "Several stores match “Store”: Store A, Store B" in response.content.decode()
    assert response.context["filters"]["store_id"] is None
    response = office.get(DASHBOARD, {"store": "Nobody"})
    assert response.status_code == 400
    assert "No store is called “Nobody”." in response.content.decode()
    # A screen reader reads the error with the field.
    assert described_errors(response.content.decode()) == {"store": "No store is called “Nobody”."}


def test_a_quarter_outside_the_choices_falls_back_to_this_quarter(office, world):
    response = office.get(DASHBOARD, {"quarter": "1999-Q1"})
    assert response.status_code == 400
    assert response.context["quarter"] == response.context["form"].quarters[0]


def test_the_store_ranking_follows_the_chosen_kpi(office, world):
    response = office.get(DASHBOARD, {"quarter": Q3, "rank": "messaging_interactions"})
    ranking = response.context["ranking"]
    assert ranking["kpi"].key == "messaging_interactions"
    assert [rank.store_name for rank, _ in ranking["lists"][0]["rows"]] == ["Store A", "Store B"]
    assert [rank.store_name for rank, _ in ranking["lists"][1]["rows"]] == ["Store B", "Store A"]
    for key in ("messaging_interactions", "abandoned_conversations", "first_response_p90"):
        lists = dashboard.ranking(key, Quarter.parse(Q3), category_id=None)["lists"]
        for found, worst in zip(lists, (False, True), strict=True):
            expected = selectors.store_ranking(key, Quarter.parse(Q3), worst=worst, minimum=5)
            assert [rank for rank, _ in found["rows"]] == expected
    default = office.get(DASHBOARD, {"quarter": Q3})
    assert default.context["ranking"]["kpi"].key == "review_response_48h"
    # The menu shows the KPI the tables use.
    menu = re.search(r'<select name="rank"[^>]*>(.*?)</select>', default.content.decode(), re.S)
    assert re.findall(r'<option value="([^"]+)" selected>', menu.group(1)) == [
        "review_response_48h"
    ]


def ranking_section(html: str) -> str:
    return html.split('id="ranking-title"', 1)[1]


def test_the_store_rankings_fit_a_phone(office, world):
    """On a phone each ranked store is a card of labelled values (the `cards-on-phone`
    pattern), and each list's title is a heading that wraps, naming its table."""
    params = {"quarter": Q3, "rank": "messaging_interactions"}
    section = ranking_section(office.get(DASHBOARD, params).content.decode())
    assert section.count('<div class="table-wrap cards-on-phone">') == 2
    assert "<caption" not in section
    for n, title in enumerate(("Top 10", "Bottom 10"), start=1):
        assert f'<h3 id="ranking-{n}-title">{title}: Messaging interactions</h3>' in section
        assert f'<table class="insights-table" aria-labelledby="ranking-{n}-title">' in section
    cells = re.findall(r"<td([^>]*)>", section)
    assert len(cells) == 2 * 2 * 3  # two lists of Store A and Store B, three cells each
    assert {re.search(r'data-label="([^"]+)"', cell).group(1) for cell in cells} == {
        "Rank",
        "Messaging interactions",
        "Count behind it",
    }


def test_a_store_in_the_ranking_links_with_every_filter_kept(office, world):
    params = {"quarter": Q3, "category": world.home.pk, "rank": "messaging_interactions"}
    section = ranking_section(office.get(DASHBOARD, params).content.decode())
    links = re.findall(r'<th scope="row"><a href="([^"]+)">Store A</a>', section)
    assert (
        links
        == [
            f"?quarter={Q3}&amp;category={world.home.pk}&amp;rank=messaging_interactions"
            f"&amp;store={world.store_a.pk}"
        ]
        * 2
    )
    # Following it keeps them and adds the store.
    response = office.get(DASHBOARD, {**params, "store": world.store_a.pk})
    assert response.context["filters"]["category_id"] == world.home.pk
    assert response.context["ranking"]["kpi"].key == "messaging_interactions"
    assert response.context["filters"]["store_id"] == world.store_a.pk


def test_the_review_response_drill_down_lists_exactly_the_overdue_reviews(office, world):
    response = office.get(drill("review_response_48h"), {"quarter": Q3})
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    # Q3: R1 answered in 23 h, R2 in 72 h (late), R3 in 10 h, R4 hidden, R5 never answered.
    assert [(review.rating, review.published_at.day) for review in rows] == [(1, 1), (2, 20)]
    html = response.content.decode()
    for review in rows:
        assert reverse("office:review", kwargs={"pk": review.pk}) in html
    assert "Exactly what is counted" in html
    assert "published reviews the store answered" in html.lower() or "48" in html
    # Store B has no reviews: nothing is overdue there.
    response = office.get(drill("review_response_48h"), {"quarter": Q3, "store": world.store_b.pk})
    assert list(response.context["page"].object_list) == []
    assert "Nothing here" in response.content.decode()


def test_other_drill_downs(office, world):
    waits = office.get(drill("response_within_24h"), {"quarter": Q3})
    assert [wait.response_seconds for wait in waits.context["page"].object_list] == [
        25 * 3600,
        None,
    ]
    assert "25.0 h" in waits.content.decode()
    people = office.get(drill("training_participation"), {"quarter": Q3})
    assert list(people.context["page"].object_list) == [world.bea]
    for key in (
        "coach_score_average",
        "messaging_interactions",
        "card_conversion",
        "plans_started",
    ):
        assert office.get(drill(key), {"quarter": Q3}).status_code == 200
    survey = office.get(drill("satisfaction_education"), {"quarter": Q3})
    assert survey.status_code == 200
    assert "No list behind this number" in survey.content.decode()
    assert office.get(drill("no_such_kpi")).status_code == 404


def test_the_drill_down_is_paginated(office, world):
    b = Builder()
    b.orders = 1000  # the world used the first order numbers
    product = ProductFactory(store=world.store_a)
    for n in range(30):
        _, item = b.order(world.ann, world.store_a, product, at(7, 1))
        b.review(item, 3, at(7, 2, 10) + timedelta(minutes=n))
    refresh()
    first = office.get(drill("review_response_48h"), {"quarter": Q3})
    assert first.context["page"].paginator.count == 32
    assert len(first.context["page"].object_list) == 25
    second = office.get(drill("review_response_48h"), {"quarter": Q3, "page": 2})
    assert len(second.context["page"].object_list) == 7
    assert "quarter=2026-Q3&amp;page=1" in second.content.decode()


def test_setting_a_target_shows_it_on_the_card_and_in_the_history(office, world, staff):
    response = office.post(f"{TARGETS}?quarter={Q3}", {"kpi": "review_response_48h", "value": "40"})
    assert response.status_code == 302
    assert response["Location"] == f"{TARGETS}?quarter={Q3}#target-review_response_48h"
    target = Target.objects.get()
    assert (target.quarter, target.kpi, target.value, target.set_by) == (
        Q3,
        "review_response_48h",
        40.0,
        staff,
    )
    html = office.get(TARGETS, {"quarter": Q3}).content.decode()
    assert "2026 Q3 has ended. A change here corrects its target" in html
    item = html.split('id="target-review_response_48h"', 1)[1].split("</li>\n  \n", 1)[0]
    assert "In force: <strong>40.0 %</strong>" in item
    assert "Olwethu Office: 95.0 % → 40.0 %" in item
    # 50 % of reviews answered in time in the finished quarter now meets the target.
    card = office.get(DASHBOARD, {"quarter": Q3}).content.decode()
    card = card.split('id="kpi-review_response_48h"', 1)[1].split("</article>", 1)[0]
    assert "✓</span> Met" in card and "40.0 %" in card


def test_only_a_finished_quarter_warns_that_a_change_is_a_correction(office, world):
    current = Quarter.of(timezone.now())
    response = office.get(TARGETS, {"quarter": current.key})
    assert response.context["quarter"] == current
    assert "has ended. A change here corrects" not in response.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "Enter a number such as 95, 95.5 or 95 %."),
        ("1_0", "Enter a number such as 95, 95.5 or 95 %."),
        (
            "120",
            "The target for Reviews answered within 48 h must be more than 0 and at most 100 %.",
        ),
        ("", "This field is required."),
    ],
)
def test_an_invalid_target_is_refused_and_nothing_changes(office, world, value, message):
    response = office.post(
        f"{TARGETS}?quarter={Q3}", {"kpi": "review_response_48h", "value": value}
    )
    assert response.status_code == 400
    html = response.content.decode()
    item = html.split('id="target-review_response_48h"', 1)[1].split("</li>", 1)[0]
    assert message.replace("'", "&#x27;") in item or message in html
    assert 'aria-invalid="true"' in item
    assert not Target.objects.exists()


def test_a_target_typed_with_a_percent_sign_and_a_decimal_comma_is_saved(office, world):
    response = office.post(
        f"{TARGETS}?quarter={Q3}", {"kpi": "review_response_48h", "value": "92,5 %"}
    )
    assert response.status_code == 302
    assert Target.objects.get().value == 92.5


def test_a_target_for_a_quarter_not_offered_is_refused(office, world):
    response = office.post(f"{TARGETS}?quarter=1999-Q1", {"kpi": "review_volume", "value": "3"})
    assert response.status_code == 400
    assert "Choose one of the listed quarters" in response.content.decode()
    assert not Target.objects.exists()


def test_an_unknown_kpi_target_is_refused(office, world):
    response = office.post(f"{TARGETS}?quarter={Q3}", {"kpi": "nope", "value": "3"})
    assert response.status_code == 400
    assert not Target.objects.exists()


def test_a_change_target_is_shown_as_a_change(office, world):
    office.post(f"{TARGETS}?quarter={Q3}", {"kpi": "messaging_interactions", "value": "10"})
    html = office.get(TARGETS, {"quarter": Q3}).content.decode()
    item = html.split('id="target-messaging_interactions"', 1)[1].split("</li>", 1)[0]
    assert "+10 % vs the previous quarter" in item
    assert "+25 % vs the previous quarter → +10 % vs the previous quarter" in item


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD, params).status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_costs_the_same_queries_whatever_the_data(office, world):
    params = {"quarter": Q3}
    cold = _queries(office, params)  # computes the education KPIs' weekly series, then keeps them
    small = _queries(office, params)
    # Ten times more stores, reviews and conversations.
    b = Builder()
    b.orders = 1000  # the world used the first order numbers
    for n in range(10):
        store = StoreFactory(name=f"More {n}")
        product = ProductFactory(store=store, category=world.home)
        for day in range(1, 4):
            _, item = b.order(world.ann, store, product, at(7, day))
            b.review(item, 1 + day, at(7, day, 12))
            b.conversation(world.ann, store, at(8, day, 9), topic=f"more-{n}-{day}")
    refresh()
    cache.clear()
    assert _queries(office, params) == cold
    assert _queries(office, params) == small
    assert small <= 65  # about 30 are the education KPIs, computed live for two quarters
    filtered = {"quarter": Q3, "category": world.home.pk, "store": world.store_a.pk}
    _queries(office, filtered)
    assert _queries(office, filtered) <= 65


def test_every_chart_has_a_title_and_a_description(office, world):
    html = office.get(DASHBOARD, {"quarter": Q3}).content.decode()
    for svg in re.findall(r'<svg class="chart-svg".*?</svg>', html, flags=re.S):
        labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        for ident in labelled:
            assert f'id="{ident}"' in svg
        assert "chart-axis-label" in svg or "funnel" in svg


def card_of(html: str, key: str) -> str:
    return html.split(f'id="kpi-{key}"', 1)[1].split("</article>", 1)[0]


def test_a_finished_quarter_is_final_met_or_missed(office, world):
    html = office.get(DASHBOARD, {"quarter": Q3}).content.decode()
    assert "The whole quarter, final" in html and "Quarter to date" not in html
    assert "At risk" not in html.split('id="cards-title"', 1)[1]
    card = card_of(html, "review_response_48h")
    assert "Whole quarter (2 of 4)" in card
    assert "Forecast" not in card and "How is this forecast?" not in card
    assert 'kpi-card status-off_track" id="kpi-review_response_48h"' in html
    assert '<span class="badge kpi-badge off_track">' in card
    assert "✕</span> Missed" in card
    met = card_of(html, "messaging_interactions")
    assert '<span class="badge kpi-badge on_track">' in met and "✓</span> Met" in met
    drilled = office.get(drill("review_response_48h"), {"quarter": Q3}).content.decode()
    assert "2026 Q3, the whole quarter" in drilled and "2026 Q3 to date" not in drilled
    assert "✕</span> Missed" in drilled


def test_the_running_quarter_still_forecasts(office, world):
    html = office.get(DASHBOARD).content.decode()
    assert "Quarter to date, by marketplace-local days" in html
    card = card_of(html, "review_response_48h")
    assert "Quarter to date" in card and "How is this forecast?" in card
    assert "</span> Met" not in html and "</span> Missed" not in html


def test_a_count_so_far_is_compared_when_the_quarter_ends(office, world):
    html = office.get(DASHBOARD).content.decode()
    card = card_of(html, "messaging_interactions")
    assert "compared when the quarter ends" in card
    assert "kpi-change better" not in card and "kpi-change worse" not in card
    finished = card_of(
        office.get(DASHBOARD, {"quarter": Q3}).content.decode(), "messaging_interactions"
    )
    assert "+8 (+400.0 %)" in finished and "kpi-change better" in finished


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "abc"}, "Category: Select a valid choice."),
        ({"store": "zzzz"}, "Store: No store is called “zzzz”."),
        ({"quarter": "1999-Q1"}, "Quarter: “1999-Q1” is not one of the listed quarters"),
    ],
)
def test_the_targets_page_says_which_filter_it_refused(office, world, params, message):
    response = office.get(TARGETS, params)
    assert response.status_code == 400
    html = response.content.decode()
    alert = html.split('<div class="form-errors" role="alert">', 1)[1].split("</div>", 1)[0]
    assert message in alert
    assert "the targets for 2026 Q4 are shown" in alert
