"""Demo engagement: ``load_demo_engagement`` on the tiny demo marketplace."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog import demo as catalog_demo
from saypro.engagement import demo, selectors
from saypro.engagement.models import Prompt, PromptEvent, TutorialProgress
from saypro.engagement.placeholders import BUILT_IN_PROMPTS
from saypro.engagement.tests.factories import PromptFactory
from saypro.messaging.demo import load_demo_messaging

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)


@pytest.fixture
def loaded(db) -> demo.EngagementReport:
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    load_demo_messaging(seed=1, now=NOW)
    return demo.load_demo_engagement(seed=1, now=NOW)


def test_demo_prompts_with_counted_events_and_tours(loaded, django_user_model):
    assert loaded.created
    assert loaded.prompts == 3
    names = set(Prompt.objects.values_list("name", flat=True))
    assert {definition["name"] for definition in demo.OFFICE_PROMPTS} <= names
    assert set(Prompt.objects.exclude(code=None).values_list("code", flat=True)) == set(
        BUILT_IN_PROMPTS
    )
    kinds = {kind: PromptEvent.objects.filter(kind=kind).count() for kind in PromptEvent.Kind}
    assert (kinds["shown"], kinds["clicked"], kinds["dismissed"]) == (
        loaded.shown,
        loaded.clicked,
        loaded.dismissed,
    )
    assert loaded.clicked > 0 and loaded.dismissed > 0 and loaded.shown > loaded.clicked
    office = django_user_model.objects.get(email="office@demo.saypro.test")
    rows = selectors.prompt_stats(office, since=NOW - timedelta(days=30), until=NOW)
    followed = {row["prompt"].code: row["followed"] for row in rows}
    assert sum(followed.values()) == loaded.followed
    assert followed["ask_store"] > 0  # the clicks before real questions count as followed
    assert TutorialProgress.objects.filter(completed_at__isnull=False).count() == (
        loaded.tours_completed
    )
    assert loaded.tours_completed > 0 and loaded.tours_skipped > 0


def test_no_event_after_a_dismissal(loaded):
    for dismissal in PromptEvent.objects.filter(kind="dismissed"):
        later = PromptEvent.objects.filter(
            prompt=dismissal.prompt, user=dismissal.user, at__gt=dismissal.at
        )
        assert not later.exists()


def test_only_the_earliest_dismissal_is_kept_and_nothing_after_it(db):
    """The demo adds events out of time order: a later dismissal listed first must not
    let an earlier one, or the showings between them, through."""
    prompt = PromptFactory()
    person, other = UserFactory(), UserFactory()

    def event(kind, minutes, user=person):
        return PromptEvent(prompt=prompt, user=user, kind=kind, at=NOW + timedelta(minutes=minutes))

    events = [
        event("dismissed", 60),
        event("shown", 30),
        event("shown", 5),
        event("dismissed", 10),
        event("dismissed", 10),
        event("shown", 90, user=other),
    ]
    kept = demo._until_dismissed(events)
    assert [(e.kind, e.at - NOW, e.user) for e in kept] == [
        ("shown", timedelta(minutes=5), person),
        ("dismissed", timedelta(minutes=10), person),
        ("shown", timedelta(minutes=90), other),
    ]


def test_loading_again_writes_nothing(loaded):
    events = PromptEvent.objects.count()
    assert not demo.load_demo_engagement(seed=1, now=NOW).created
    assert PromptEvent.objects.count() == events


def test_the_demo_command_reports_engagement(db):
    stdout = StringIO()
    call_command("demo", "--scale", "tiny", stdout=stdout, stderr=StringIO())
    assert "Demo engagement created in" in stdout.getvalue()
    assert PromptEvent.objects.exists()
