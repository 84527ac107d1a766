"""Seller Center › Improvements per role: board, new plan from a template, plan page, writes."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from saypro.catalog.tests.factories import ProductFactory
from saypro.improvements.models import Plan, Step
from saypro.improvements.tests.factories import PlanFactory, StepFactory, reviews_between
from saypro.insights.models import RisingIssue
from saypro.insights.tests.factories import RisingIssueFactory, analysed_review, sentence

TODAY = timezone.localdate()


def url(name: str, store, **kwargs) -> str:
    return reverse(f"improvements:{name}", kwargs={"slug": store.slug, **kwargs})


@pytest.fixture
def as_seller(client, seller):
    client.force_login(seller)
    return client


@pytest.fixture
def plan(product, fit, complaints):
    plan = PlanFactory(
        product=product,
        theme=fit,
        goal_metric="negative_share",
        goal_current=40,
        goal_target=20,
        created_at=timezone.now() - timedelta(days=120),
    )
    plan.evidence.set(complaints[:4])
    StepFactory(plan=plan, position=1, text="Measure every size")
    StepFactory(plan=plan, position=2, text="Update the size chart")
    return plan


def plan_state() -> list:
    return [
        list(Plan.objects.order_by("pk").values_list("pk", "status", "title", "shipped_at")),
        list(Step.objects.order_by("pk").values_list("pk", "text", "completed_at")),
        list(RisingIssue.objects.order_by("pk").values_list("pk", "status")),
    ]


# --- Who gets in ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "rival", "staff"])
def test_pages_are_404_outside_the_team(request, client, role, store, plan):
    client.force_login(request.getfixturevalue(role))
    for page in (
        url("board", store),
        url("new", store) + f"?product={plan.product_id}",
        url("plan", store, pk=plan.pk),
        url("edit", store, pk=plan.pk),
    ):
        assert client.get(page).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, store, plan):
    response = client.get(url("plan", store, pk=plan.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "rival", "staff"])
def test_denied_writes_change_nothing(request, client, role, store, plan):
    client.force_login(request.getfixturevalue(role))
    step = plan.steps.first()
    before = plan_state()
    for page, data in (
        (url("status", store, pk=plan.pk), {"status": "in_progress"}),
        (url("edit", store, pk=plan.pk), {"title": "Mine"}),
        (url("add_step", store, pk=plan.pk), {"text": "x"}),
        (url("complete_step", store, pk=plan.pk, step_pk=step.pk), {}),
        (url("measure", store, pk=plan.pk), {}),
        (url("new", store) + f"?product={plan.product_id}", {"title": "x"}),
    ):
        assert client.post(page, data).status_code == 404
    assert plan_state() == before


# --- The board --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_board_shows_columns_and_ranked_candidates(as_seller, store, product, issue):
    PlanFactory(product=product, title="Reword the listing", status="in_progress")

    response = as_seller.get(url("board", store))

    html = response.content.decode()
    assert response.status_code == 200
    for status in ("proposed", "in_progress", "shipped", "measured"):
        assert f'id="column-{status}"' in html
    assert "Reword the listing" in html
    assert "Priority = reviews mentioning it × the share of them that are negative" in html
    assert f'href="/seller/{store.slug}/improvements/new?issue={issue.pk}"' in html
    # 10 mentions × 4/10 negative × (1 + 0): the mentions average the product's 3.2 stars
    assert "<strong>4.0</strong>" in html
    assert 'aria-current="page">Improvements</a>' in html


@pytest.mark.django_db
def test_on_a_phone_each_candidate_is_a_card_with_its_button(as_seller, store, issue):
    html = as_seller.get(url("board", store)).content.decode()

    table = html[html.index('<div class="table-wrap cards-on-phone">') :]
    body = table[table.index("<tbody>") :]
    row = body[: body.index("</tr>")]
    assert re.findall(r'<td[^>]*data-label="([^"]+)"', row) == [
        "Priority",
        "Reviews",
        "Negative",
        "Rating drag",
    ]
    assert "Create plan" in row


@pytest.mark.django_db
def test_an_empty_board_says_what_to_do(as_seller, store):
    html = as_seller.get(url("board", store)).content.decode()
    assert "Nothing to act on yet" in html
    assert "No proposed plans. Create one from the list below." in html


# --- New plans ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_new_from_an_issue_is_prefilled_from_the_sizing_template(as_seller, store, issue):
    response = as_seller.get(url("new", store) + f"?issue={issue.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Fix the sizing of Linen shirt"' in html
    assert "The rising issue: 6 of 10 reviews from" in html
    assert "the figure the goal starts from: 4 of 10 reviews (40 %)" in html
    assert "Measure three pieces of Linen shirt in every size" in html
    assert 'name="steps-TOTAL_FORMS" value="5"' in html
    assert 'name="plan-goal_current" value="40.0"' in html
    assert "4 reviews will be linked to the plan." in html


@pytest.mark.django_db
def test_the_template_menu_and_the_plan_form_have_their_own_ids(as_seller, store, issue):
    html = as_seller.get(url("new", store) + f"?issue={issue.pk}").content.decode()

    ids = re.findall(r'\bid="([^"]+)"', html)
    assert [id_ for id_ in ids if ids.count(id_) > 1] == []
    assert '<select name="template" id="id_template">' in html  # the menu (GET ?template=)
    assert '<input type="hidden" name="plan-template" value="change_sizing" ' in html
    assert '<label for="id_plan-title">Title</label>' in html


@pytest.mark.django_db
def test_another_template_can_be_chosen(as_seller, store, product, fit, complaints):
    response = as_seller.get(
        url("new", store) + f"?theme=fit_size&product={product.pk}&template=clarify_listing"
    )
    html = response.content.decode()
    assert 'value="Clarify the Linen shirt listing (fit &amp; size)"' in html
    assert 'name="steps-TOTAL_FORMS" value="4"' in html


@pytest.mark.django_db
def test_new_from_a_suggestion(as_seller, store, product):
    analysed_review(product, [sentence("Please add pockets.", suggestion="pockets")])
    html = as_seller.get(
        url("new", store) + f"?suggestion=pockets&product={product.pk}"
    ).content.decode()
    assert 'value="Add “pockets” to Linen shirt"' in html
    assert "Share of reviews complaining" not in html  # no theme: rating goal only


@pytest.mark.django_db
def test_new_asks_for_a_product_without_a_source(as_seller, store, product):
    html = as_seller.get(url("new", store)).content.decode()
    assert "Which product will you improve?" in html
    assert f'<option value="{product.pk}">Linen shirt</option>' in html


@pytest.mark.django_db
def test_new_with_a_source_of_another_store_is_404(as_seller, store, product, fit):
    elsewhere = RisingIssueFactory(theme=fit)
    for query in (
        f"?issue={elsewhere.pk}",
        "?issue=abc",
        f"?product={ProductFactory().pk}",
        f"?theme=nope&product={product.pk}",
        f"?suggestion=pockets&product={product.pk}",
    ):
        assert as_seller.get(url("new", store) + query).status_code == 404


def _form_data(seller, **overrides) -> dict:
    """The new-plan form as posted: the plan's fields are prefixed "plan-", the steps "steps-"."""
    plan = {
        "template": "change_sizing",
        "title": "Fix the sizing of Linen shirt",
        "problem": "It runs small.",
        "goal_metric": "negative_share",
        "goal_current": "40",
        "goal_target": "20",
        "goal_due": str(TODAY + timedelta(days=60)),
    }
    plan.update(overrides)
    data = {f"plan-{name}": value for name, value in plan.items()}
    data |= {
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "3",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "20",
        "steps-0-text": "Measure every size",
        "steps-0-owner": str(seller.pk),
        "steps-0-due_date": str(TODAY + timedelta(days=7)),
        "steps-1-text": "Drop this one",
        "steps-1-owner": str(seller.pk),
        "steps-1-due_date": str(TODAY + timedelta(days=7)),
        "steps-1-DELETE": "on",
        "steps-2-text": "Update the chart",
        "steps-2-owner": str(seller.pk),
        "steps-2-due_date": str(TODAY + timedelta(days=14)),
    }
    return data


@pytest.mark.django_db
def test_saving_a_plan_from_an_issue_marks_the_issue_planned(as_seller, seller, store, issue):
    response = as_seller.post(url("new", store) + f"?issue={issue.pk}", _form_data(seller))

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("plan", store, pk=plan.pk)
    assert (plan.rising_issue, plan.theme, plan.status) == (issue, issue.theme, "proposed")
    assert list(plan.steps.values_list("text", flat=True)) == [
        "Measure every size",
        "Update the chart",
    ]
    assert plan.evidence.count() == 4
    issue.refresh_from_db()
    assert issue.status == "planned"


@pytest.mark.django_db
def test_a_refused_plan_shows_the_reason_next_to_the_field(as_seller, seller, store, product):
    before = plan_state()
    response = as_seller.post(
        url("new", store) + f"?product={product.pk}",
        _form_data(seller, goal_metric="average_rating", goal_current="3.2", goal_target="7"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "The target must be between 1 and 5 stars." in html
    assert 'id="id_plan-goal_target_error"' in html
    assert plan_state() == before


@pytest.mark.django_db
def test_saving_a_plan_twice_answers_409_with_a_way_to_the_first(
    as_seller, seller, store, product, fit, complaints
):
    page = url("new", store) + f"?theme=fit_size&product={product.pk}"
    as_seller.post(page, _form_data(seller))  # the first click
    plan = Plan.objects.get()
    before = plan_state()

    response = as_seller.post(page, _form_data(seller))  # the second

    html = response.content.decode()
    assert response.status_code == 409
    assert (
        "Linen shirt already has a plan about Fit &amp; size: “Fix the sizing of Linen shirt”."
        in html
    )
    assert (
        f'href="{url("plan", store, pk=plan.pk)}">Open “Fix the sizing of Linen shirt”</a>' in html
    )
    assert plan_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("magic", "That template is not offered: choose one from the list above."),
        ("", "Choose a template from the list above."),
    ],
)
def test_a_template_changed_in_the_page_is_refused_with_a_message(
    as_seller, seller, store, product, template, message
):
    before = plan_state()
    response = as_seller.post(
        url("new", store) + f"?product={product.pk}",
        _form_data(seller, template=template, goal_metric="average_rating"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert f'<div class="form-errors" role="alert"><p>{message}</p></div>' in html
    assert plan_state() == before


# --- The plan page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_plan_page_links_the_evidence_and_lists_steps(as_seller, store, plan, complaints):
    html = as_seller.get(url("plan", store, pk=plan.pk)).content.decode()

    for review in complaints[:4]:
        assert f'href="/seller/{store.slug}/reviews/{review.pk}/"' in html
    assert "Measure every size" in html and "Update the size chart" in html
    assert "(0 of 2 done)" in html
    assert "Start work" in html
    assert "40 %" in html and "20 %" in html


@pytest.mark.django_db
def test_status_buttons_move_the_plan_and_ship_it(as_seller, store, plan):
    as_seller.post(url("status", store, pk=plan.pk), {"status": "in_progress"})
    response = as_seller.post(url("status", store, pk=plan.pk), {"status": "shipped"})

    plan.refresh_from_db()
    assert response.status_code == 302
    assert plan.status == "shipped" and plan.shipped_at is not None
    html = as_seller.get(url("plan", store, pk=plan.pk)).content.decode()
    assert "Measure now" in html
    assert "Not measured yet" in html


@pytest.mark.django_db
def test_a_refused_transition_is_shown_on_the_plan_page(as_seller, store, plan):
    before = plan_state()

    response = as_seller.post(url("status", store, pk=plan.pk), {"status": "shipped"})

    assert response.status_code == 409
    assert response.templates[0].name == "improvements/pages/plan.html"
    assert "A plan that is proposed cannot move to “Shipped”." in response.content.decode()
    assert plan_state() == before


@pytest.mark.django_db
def test_a_future_shipping_date_is_refused_next_to_the_field(as_seller, store, plan):
    plan.status = "in_progress"
    plan.save()
    before = plan_state()
    future = timezone.localtime() + timedelta(days=2)

    response = as_seller.post(
        url("status", store, pk=plan.pk),
        {"status": "shipped", "shipped_at": future.strftime("%Y-%m-%dT%H:%M")},
    )

    assert response.status_code == 400
    errors = response.context["ship_form"].errors["shipped_at"]
    assert len(errors) == 1 and errors[0] in response.content.decode()
    assert plan_state() == before


@pytest.mark.django_db
def test_a_shipping_date_that_is_no_date_is_refused_not_taken_as_now(as_seller, store, plan):
    plan.status = "in_progress"
    plan.save()
    before = plan_state()

    response = as_seller.post(
        url("status", store, pk=plan.pk), {"status": "shipped", "shipped_at": "3rd of May, 2pm"}
    )

    assert response.status_code == 400
    assert response.context["ship_form"].errors["shipped_at"] == ["Enter a valid date/time."]
    assert "Enter a valid date/time." in response.content.decode()
    assert plan_state() == before


@pytest.mark.django_db
def test_measure_now_with_too_few_reviews_explains_what_is_missing(as_seller, store, plan):
    plan.status, plan.shipped_at = "shipped", timezone.now() - timedelta(days=1)
    plan.save()

    response = as_seller.post(url("measure", store, pk=plan.pk), follow=True)

    # Information, not a refusal: a warning after the redirect back to the plan.
    assert response.redirect_chain == [(url("plan", store, pk=plan.pk), 302)]
    plan.refresh_from_db()
    assert plan.status == "shipped"
    assert "Not measured yet: the comparison needs 20 reviews after shipping" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_measuring_a_plan_that_is_not_shipped_is_refused(as_seller, store, plan):
    before = plan_state()

    response = as_seller.post(url("measure", store, pk=plan.pk))

    assert response.status_code == 409
    assert response.templates[0].name == "improvements/pages/plan.html"
    assert "Only a shipped plan can be measured; this one is proposed." in (
        response.content.decode()
    )
    assert plan_state() == before


@pytest.mark.django_db
def test_a_measured_plan_shows_the_accessible_chart(as_seller, store, fit):
    now = timezone.now()
    shipped = now - timedelta(days=30)
    bag = ProductFactory(store=store, title="Canvas bag")
    plan = PlanFactory(
        product=bag,
        theme=fit,
        goal_metric="negative_share",
        goal_target=20,
        status="shipped",
        shipped_at=shipped,
        created_at=shipped - timedelta(days=1),
    )
    reviews_between(bag, start=shipped - timedelta(days=29), end=shipped, count=40, negative=16)
    reviews_between(bag, start=shipped, end=now - timedelta(hours=1), count=40, negative=4)

    response = as_seller.post(url("measure", store, pk=plan.pk), follow=True)

    html = response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "measured" and plan.verdict == "helped"
    assert "Helped: negative mentions of Fit &amp; size fell from 40 % to 10 % (−30 points" in html
    assert (
        '<title id="stored-negative_share-title">'
        "Negative mentions of Fit &amp; size before and after shipping</title>"
    ) in html
    assert 'aria-labelledby="stored-average_rating-title stored-average_rating-desc"' in html
    assert "The numbers as a table" in html
    assert '<table class="impact-table">' in html  # compact: fits the main column (app.css)
    assert "40 % (16 of 40)" in html
    assert "This record does not change as new reviews arrive." in html


@pytest.mark.django_db
def test_complete_a_step_with_htmx_returns_the_step(as_seller, store, plan):
    step = plan.steps.first()

    response = as_seller.post(
        url("complete_step", store, pk=plan.pk, step_pk=step.pk), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="step-{step.pk}" class="plan-step done">')
    step.refresh_from_db()
    assert step.completed_at is not None


@pytest.mark.django_db
def test_complete_a_step_without_javascript_redirects_and_refuses_it_twice(as_seller, store, plan):
    step = plan.steps.first()
    response = as_seller.post(url("complete_step", store, pk=plan.pk, step_pk=step.pk))
    assert response.status_code == 302
    done = plan_state()
    again = as_seller.post(url("complete_step", store, pk=plan.pk, step_pk=step.pk))
    assert again.status_code == 409
    assert again.templates[0].name == "improvements/pages/plan.html"
    assert "This step is already done." in again.content.decode()
    assert plan_state() == done


@pytest.mark.django_db
def test_a_refused_step_with_htmx_is_the_step_with_its_notice(as_seller, store, plan):
    step = plan.steps.first()
    as_seller.post(url("complete_step", store, pk=plan.pk, step_pk=step.pk))
    done = plan_state()

    again = as_seller.post(
        url("complete_step", store, pk=plan.pk, step_pk=step.pk), HTTP_HX_REQUEST="true"
    )

    assert again.status_code == 200  # htmx swaps only 2xx answers
    assert "This step is already done." in again.content.decode()
    assert plan_state() == done


@pytest.mark.django_db
def test_add_and_edit_steps(as_seller, seller, agent, store, plan):
    due = str(TODAY + timedelta(days=3))
    invalid = as_seller.post(url("add_step", store, pk=plan.pk), {"owner": seller.pk})
    assert invalid.status_code == 400
    assert plan.steps.count() == 2

    as_seller.post(
        url("add_step", store, pk=plan.pk),
        {"text": "Ask buyers", "owner": agent.pk, "due_date": due},
    )
    step = plan.steps.get(position=3)
    assert (step.text, step.owner) == ("Ask buyers", agent)

    response = as_seller.post(
        url("edit_step", store, pk=plan.pk, step_pk=step.pk),
        {"text": "Ask every buyer", "owner": seller.pk, "due_date": due},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.text, step.owner) == ("Ask every buyer", seller)


@pytest.mark.django_db
def test_a_step_whose_owner_left_the_team_asks_for_a_new_owner(
    as_seller, seller, agent, store, plan
):
    step = plan.steps.first()
    step.owner = agent
    step.save()
    store.memberships.filter(user=agent).delete()

    board = as_seller.get(url("plan", store, pk=plan.pk)).content.decode()
    assert f"{agent.get_full_name()} (left the team)" in board
    page = as_seller.get(url("edit_step", store, pk=plan.pk, step_pk=step.pk))
    owner = page.context["form"]["owner"]
    assert owner.value() is None and "has left the team: choose who takes it on." in owner.help_text
    assert '<option value="" selected>Choose a new owner…</option>' in page.content.decode()

    kept = as_seller.post(
        url("edit_step", store, pk=plan.pk, step_pk=step.pk),
        {"text": step.text, "owner": "", "due_date": str(TODAY + timedelta(days=3))},
    )
    assert kept.status_code == 400
    step.refresh_from_db()
    assert step.owner == agent  # nothing changed until someone is chosen


@pytest.mark.django_db
def test_edit_the_plan_and_correct_the_shipping_date(as_seller, store, plan):
    plan.status, plan.shipped_at = "shipped", timezone.now() - timedelta(days=1)
    plan.save()
    corrected = timezone.localtime(timezone.now() - timedelta(days=3)).replace(
        second=0, microsecond=0
    )

    response = as_seller.post(
        url("edit", store, pk=plan.pk),
        {
            "title": "Sizing, take two",
            "problem": "Still small.",
            "goal_current": "40",
            "goal_target": "15",
            "goal_due": str(TODAY + timedelta(days=30)),
            "shipped_at": corrected.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.goal_target, plan.shipped_at) == ("Sizing, take two", 15.0, corrected)
