"""The Academy's part of the demo: shipped courses and a learning history through the services."""

from datetime import UTC, datetime

import pytest

from saypro.academy import demo
from saypro.academy.models import Attempt, Certificate, Enrolment
from saypro.catalog import demo as catalog_demo

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


def test_loading_again_adds_no_history(report):
    again = demo.load_demo_academy(seed=2, now=NOW)

    assert again == report
