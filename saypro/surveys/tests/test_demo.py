"""Demo surveys: ``saypro.surveys.demo`` on the tiny demo marketplace."""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from saypro.catalog import demo as catalog_demo
from saypro.insights.analysis import analyze
from saypro.messaging import demo as messaging_demo
from saypro.surveys import demo
from saypro.surveys import demo_vocabulary as words
from saypro.surveys.models import Invitation, Response, Round, Survey, Trigger

# A fixed moment: the tiny demo's few answers follow the calendar (rounds, weekdays), and
# on some days none of its comments comes from a detractor, so "today" would make the
# variety checks below depend on the date the suite runs.
NOW = datetime(2026, 11, 5, 12, tzinfo=UTC)

# Fresh ids too: sampling and groups hash the ids, and PostgreSQL's sequences do not roll
# back between tests, so the ids (and the answers) would follow the tests run before.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


@pytest.fixture
def loaded(db) -> demo.SurveysReport:
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    messaging_demo.load_demo_messaging(seed=1, now=NOW)
    return demo.load_demo_surveys(seed=1, now=NOW)


def test_the_demo_asks_answers_over_the_months_and_reads_varied_comments(loaded):
    assert loaded.created and loaded.surveys == 3
    assert loaded.invitations == Invitation.objects.count() > 20
    assert loaded.responses == Response.objects.count() > 10
    assert Response.objects.exclude(comment="").filter(analyzed_at__isnull=True).count() == 0
    assert set(Response.objects.exclude(comment="").values_list("sentiment", flat=True)) >= {
        "positive",
        "negative",
    }
    platform = Survey.objects.get(title=demo.PLATFORM_TITLE)
    assert [r.created_at for r in Round.objects.filter(survey=platform).order_by("created_at")] == [
        NOW - timedelta(days=days) for days in demo.ROUND_DAYS_AGO
    ]

    months = {r.created_at.strftime("%Y-%m") for r in Response.objects.all()}
    comments = list(Response.objects.exclude(comment="").values_list("comment", flat=True))

    assert len(months) >= 4
    assert len(set(comments)) >= 0.8 * len(comments)


def test_the_demo_keeps_the_rules_and_loads_once(loaded):
    """Per person: invitations at least 30 days apart (the demo buyer's card is the one
    exception), each answered within its time; the demo buyer has an open card; a second
    load writes nothing."""
    by_person = defaultdict(list)
    for invitation in Invitation.objects.exclude(user__email=catalog_demo.ACCOUNTS["buyer"].email):
        by_person[invitation.user_id].append(invitation.created_at)
    for moments in by_person.values():
        moments.sort()
        assert all(b - a >= timedelta(days=30) for a, b in pairwise(moments))
    for response in Response.objects.select_related("invitation"):
        assert response.invitation.created_at < response.created_at < response.invitation.expires_at
        assert response.invitation.answered_at == response.created_at
    closed = Invitation.objects.filter(survey__trigger=Trigger.CONVERSATION_CLOSED)
    assert all(i.subject.buyer_id == i.user_id for i in closed)

    buyer_invitations = Invitation.objects.filter(
        user__email=catalog_demo.ACCOUNTS["buyer"].email,
        answered_at__isnull=True,
        dismissed_at__isnull=True,
        expires_at__gt=NOW,
    )

    assert [i.survey.title for i in buyer_invitations] == [demo.MESSAGING_TITLE]

    again = demo.load_demo_surveys(seed=1, now=NOW)

    assert not again.created
    assert (again.invitations, again.responses) == (loaded.invitations, loaded.responses)


def test_the_model_reads_each_phrase_as_its_group_means():
    slots = {"store": "Cape Linen Co", "when": "3 hours", "city": "Durban", "item": "Linen shirt"}
    phrases = [
        (group, text.format(**slots))
        for group, parts in words.MESSAGING.items()
        for text in (*parts.openers, *parts.details, *parts.closers)
    ] + [
        (group, text)
        for groups in words.PLATFORM.values()
        for group, parts in groups.items()
        for text in (*parts.openers, *parts.details, *parts.closers)
    ]
    expected = {"high": "positive", "low": "negative"}

    read = analyze([text for _, text in phrases], with_key_phrases=False)

    wrong = [
        text
        for (group, text), analysis in zip(phrases, read, strict=True)
        if group in expected and analysis.sentiment != expected[group]
    ]
    assert wrong == []
