from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from saypro.core.errors import PermissionDenied
from saypro.surveys import selectors
from saypro.surveys.models import Kind
from saypro.surveys.tests.factories import InvitationFactory, ResponseFactory, SurveyFactory


def local(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.get_current_timezone())


START, END = local(2026, 3, 2), local(2026, 3, 30)  # four whole weeks, Monday to Monday


@pytest.fixture
def survey(db):
    return SurveyFactory(kind=Kind.RATING_5)


def answered(survey, score, at, **extra):
    return ResponseFactory(
        invitation__survey=survey,
        invitation__created_at=at - timedelta(hours=1),
        score=score,
        created_at=at,
        **extra,
    )


def test_the_response_rate_counts_invitations_sent_in_the_period(staff, survey):
    answered(survey, 5, local(2026, 3, 3, 12))
    answered(survey, 2, local(2026, 3, 10, 12))
    InvitationFactory(survey=survey, created_at=local(2026, 3, 4), dismissed_at=local(2026, 3, 5))
    InvitationFactory(survey=survey, created_at=local(2026, 3, 5))  # expired on 19 March
    InvitationFactory(survey=survey, created_at=timezone.now() - timedelta(days=1))  # not in it
    answered(survey, 1, local(2026, 2, 27))  # before the period

    found = selectors.results(staff, survey, start=START, end=END)

    assert (found.invited, found.answered, found.dismissed, found.expired, found.still_open) == (
        4,
        2,
        1,
        1,
        0,
    )
    assert found.response_rate == 0.5
    assert (found.summary.responses, found.summary.average, found.summary.satisfied_share) == (
        2,
        3.5,
        0.5,
    )


def test_answers_fall_in_their_local_week_or_month(staff, survey):
    answered(survey, 5, local(2026, 3, 8, 23, 30))  # Sunday night: the first week
    answered(survey, 4, local(2026, 3, 9, 0, 30))  # Monday: the second
    answered(survey, 1, local(2026, 3, 29, 12))

    weeks = selectors.results(staff, survey, start=START, end=END, bucket="week").buckets
    months = selectors.results(
        staff, survey, start=local(2026, 2, 15), end=local(2026, 4, 2), bucket="month"
    ).buckets

    assert [(week.start, week.end) for week in weeks] == [
        (date(2026, 3, 2), date(2026, 3, 8)),
        (date(2026, 3, 9), date(2026, 3, 15)),
        (date(2026, 3, 16), date(2026, 3, 22)),
        (date(2026, 3, 23), date(2026, 3, 29)),
    ]
    assert [week.summary.responses for week in weeks] == [1, 1, 0, 1]
    assert [week.summary.low for week in weeks] == [0, 0, 0, 1]
    assert [(m.start, m.end, m.summary.responses) for m in months] == [
        (date(2026, 2, 1), date(2026, 2, 28), 0),
        (date(2026, 3, 1), date(2026, 3, 31), 3),
        (date(2026, 4, 1), date(2026, 4, 30), 0),
    ]


def test_nps_results(staff):
    survey = SurveyFactory(kind=Kind.NPS_11)
    for score in (10, 9, 9, 8, 6, 0):
        answered(survey, score, local(2026, 3, 10))

    summary = selectors.results(staff, survey, start=START, end=END).summary

    assert (summary.high, summary.middle, summary.low, summary.nps) == (3, 1, 2, 17)


def test_comments_and_export_filter_by_sentiment(staff, survey):
    answered(survey, 5, local(2026, 3, 3), comment="Lovely", sentiment="positive")
    answered(survey, 1, local(2026, 3, 4), comment="Awful", sentiment="negative")
    answered(survey, 3, local(2026, 3, 5))

    everything = selectors.comments(staff, survey, start=START, end=END)
    negative = selectors.comments(staff, survey, start=START, end=END, sentiment="negative")
    exported = selectors.export_rows(staff, survey, start=START, end=END)

    assert [r.comment for r in everything] == ["Awful", "Lovely"]
    assert [r.comment for r in negative] == ["Awful"]
    assert [r.score for r in exported] == [5, 1, 3]


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_office_reads_refuse_everyone_else(request, who, survey):
    person = request.getfixturevalue(who)
    for read in (
        lambda: selectors.office_surveys(person),
        lambda: selectors.office_survey(person, survey.pk),
        lambda: selectors.results(person, survey, start=START, end=END),
        lambda: selectors.comments(person, survey, start=START, end=END),
        lambda: selectors.export_rows(person, survey, start=START, end=END),
    ):
        with pytest.raises(PermissionDenied):
            read()


def test_the_office_list_has_rates(staff, survey):
    answered(survey, 5, local(2026, 3, 3))
    InvitationFactory(survey=survey)
    quiet = SurveyFactory()

    found = selectors.office_surveys(staff)

    assert {s.pk: (s.invitation_count, s.response_count) for s in found} == {
        survey.pk: (2, 1),
        quiet.pk: (0, 0),
    }
    assert {s.pk: s.response_rate for s in found} == {survey.pk: 0.5, quiet.pk: None}


def test_a_person_sees_only_their_own_invitation(buyer, seller):
    mine = InvitationFactory(user=buyer)

    assert selectors.invitation_for(buyer, mine.token) == mine
    assert selectors.invitation_for(seller, mine.token) is None
    assert selectors.card_for(seller) is None
    assert selectors.card_for(buyer)["token"] == mine.token
