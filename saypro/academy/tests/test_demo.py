"""The Academy's part of the demo: shipped courses and a learning history through the services."""

from datetime import UTC, datetime, timedelta

import pytest

from saypro.academy import demo, selectors
from saypro.academy.models import Attempt, Certificate, Course, Enrolment, SuccessStory
from saypro.catalog import demo as catalog_demo
from saypro.improvements import demo as improvements_demo
from saypro.insights import demo as insights_demo
from saypro.reviews import demo as reviews_demo
from saypro.surveys import selectors as survey_selectors
from saypro.surveys.models import Response, Survey, Trigger

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    return demo.load_demo_academy(seed=1, now=NOW)


def test_sellers_enrolled_over_six_months_most_finished_with_certificates(report):
    assert report.courses == 3 and report.enrolments > 0
    assert 0 < report.completed < report.enrolments
    assert report.certificates == report.completed == Certificate.objects.count()
    earliest = Enrolment.objects.earliest("enrolled_at").enrolled_at
    assert (NOW - earliest).days <= demo.HISTORY_DAYS
    assert Attempt.objects.filter(passed=False).exists()  # some failed first
    assert not Enrolment.objects.filter(completed_at__gt=NOW).exists()


def test_the_owner_is_half_way_and_the_agent_certified(report):
    owner = Enrolment.objects.get(user__email=catalog_demo.ACCOUNTS["owner"].email)
    agent = Enrolment.objects.get(user__email=catalog_demo.ACCOUNTS["agent"].email)

    assert owner.completed_at is None and owner.progress.filter(completed_at__isnull=False).exists()
    assert agent.completed_at is not None and agent.certificate.holder_name


def test_part_of_the_graduates_answered_the_course_survey_mostly_satisfied(report):
    answered = demo.load_demo_course_survey(seed=1, now=NOW)
    survey = Survey.objects.get(trigger=Trigger.COURSE_COMPLETED)
    answers = Response.objects.filter(survey=survey).select_related("invitation")
    graduates = Enrolment.objects.filter(completed_at__isnull=False)
    found = survey_selectors.satisfaction(
        start=NOW - timedelta(days=demo.HISTORY_DAYS + 5), end=NOW, trigger=Trigger.COURSE_COMPLETED
    )

    assert survey.is_live(NOW) and survey.audience == "sellers" and survey.comment_prompt
    assert 0 < answered == answers.count() < graduates.count()
    assert demo.load_demo_course_survey(seed=2, now=NOW) == 0  # once only
    assert Response.objects.count() == answered
    assert {answer.invitation.subject for answer in answers} <= set(graduates)
    assert all(
        answer.invitation.created_at
        == answer.invitation.subject.completed_at
        < answer.created_at
        < NOW
        for answer in answers
    )
    assert found["responses"] == answers.count()
    assert found["satisfied_share"] > 0.5  # most graduates liked it (about 87 % at scale)


def test_loading_again_adds_no_history(report):
    again = demo.load_demo_academy(seed=2, now=NOW)

    assert again == report


@pytest.fixture
def with_plan(db):
    """The tiny marketplace with its reviews, insights and the measured sizing plan."""
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    reviews_demo.load_demo_reviews(seed=1, now=NOW)
    insights_demo.load_demo_insights(seed=1, now=NOW)
    improvements_demo.load_demo_plans(seed=1, now=NOW)
    return demo.load_demo_academy(seed=1, now=NOW)


def test_the_office_published_two_stories_one_with_the_measured_plan(with_plan):
    stories = list(SuccessStory.objects.order_by("-published_at"))

    assert with_plan.stories == 2 and all(story.is_published for story in stories)
    sizing = next(story for story in stories if story.plan is not None)
    assert sizing.featured and sizing.plan.store == sizing.store
    assert sizing.plan.impact["ready"] and sizing.published_at <= NOW
    assert len({story.store_id for story in stories}) == 2
    assert selectors.featured_story() == sizing
    assert Course.objects.get(slug="photos-that-sell").status == Course.Status.DRAFT
    assert demo.load_demo_academy(seed=1, now=NOW) == with_plan  # once only
