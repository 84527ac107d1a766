from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.tests.factories import MembershipFactory, OrderFactory, StoreFactory
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.messaging import services as messaging
from saypro.messaging.models import Conversation, Message, Wait
from saypro.surveys import selectors, services
from saypro.surveys.models import (
    Audience,
    Invitation,
    Kind,
    Response,
    Round,
    Survey,
    Trigger,
    TriggerCheck,
)
from saypro.surveys.services import InvitationClosed, SurveyFields
from saypro.surveys.tests.factories import InvitationFactory, SurveyFactory

NOW = timezone.now().replace(microsecond=0)
QUIET = timedelta(hours=24)


def conversation_between(buyer, store, seller, *, answered_at, outcome="answered"):
    """A conversation the buyer started and the store settled (answered or "no response
    needed") at ``answered_at``; its last message is then."""
    conversation, _, _ = messaging.start_conversation(buyer, store_id=store.pk, text="In stock?")
    if outcome == "answered":
        messaging.send_message(seller, conversation, text="Yes, in every size.")
    else:
        messaging.no_response_needed(seller, conversation)
    asked_at = answered_at - timedelta(hours=2)
    Message.objects.filter(conversation=conversation, side="buyer").update(created_at=asked_at)
    Message.objects.filter(conversation=conversation, side="store").update(created_at=answered_at)
    Wait.objects.filter(conversation=conversation).update(started_at=asked_at, ended_at=answered_at)
    last = answered_at if outcome == "answered" else asked_at
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=last)
    conversation.refresh_from_db()
    return conversation


@pytest.fixture
def messaging_survey(db):
    return SurveyFactory(title="Messaging satisfaction")


# --- Closed conversations --------------------------------------------------------------------


def test_an_answered_conversation_closes_after_24_quiet_hours(buyer, store, seller):
    conversation = conversation_between(buyer, store, seller, answered_at=NOW - timedelta(hours=30))

    found = selectors.closed_conversations(after=NOW - timedelta(days=1), until=NOW)

    assert found == [(conversation, NOW - timedelta(hours=6))]


def test_a_conversation_quiet_for_less_than_24_hours_is_not_closed_yet(buyer, store, seller):
    conversation_between(buyer, store, seller, answered_at=NOW - timedelta(hours=23))

    assert selectors.closed_conversations(after=NOW - timedelta(days=3), until=NOW) == []


def test_no_response_needed_closes_the_conversation_at_once(buyer, store, seller):
    marked_at = NOW - timedelta(hours=1)
    conversation = conversation_between(
        buyer, store, seller, answered_at=marked_at, outcome="no_response"
    )

    found = selectors.closed_conversations(after=NOW - timedelta(hours=2), until=NOW)

    assert found == [(conversation, marked_at)]


def test_a_waiting_buyer_keeps_the_conversation_open(buyer, store, seller):
    conversation = conversation_between(buyer, store, seller, answered_at=NOW - timedelta(days=3))
    messaging.send_message(buyer, conversation, text="One more question: do you gift-wrap?")
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=NOW - timedelta(days=2))

    assert selectors.closed_conversations(after=NOW - timedelta(days=5), until=NOW) == []


def test_a_conversation_nobody_asked_a_store_in_never_closes(buyer, store, seller):
    conversation, _, _ = messaging.start_conversation(buyer, store_id=store.pk, text="Hello")
    Wait.objects.filter(conversation=conversation).delete()  # as if the store had started it
    Conversation.objects.filter(pk=conversation.pk).update(
        due_at=None, waiting_since=None, last_message_at=NOW - timedelta(days=2)
    )

    assert selectors.closed_conversations(after=NOW - timedelta(days=5), until=NOW) == []


def test_closing_is_counted_in_its_window_only(buyer, store, seller):
    conversation_between(buyer, store, seller, answered_at=NOW - timedelta(hours=30))
    closed = NOW - timedelta(hours=6)

    assert selectors.closed_conversations(after=closed, until=NOW) == []  # after is excluded
    assert (
        len(selectors.closed_conversations(after=closed - timedelta(seconds=1), until=closed)) == 1
    )


# --- The closed-conversation trigger ---------------------------------------------------------


def test_the_task_asks_the_buyer_once_and_remembers_how_far_it_looked(
    messaging_survey, buyer, store, seller
):
    conversation = conversation_between(buyer, store, seller, answered_at=NOW - timedelta(hours=30))

    assert services.invite_after_closed_conversations(now=NOW) == 1
    assert services.invite_after_closed_conversations(now=NOW + timedelta(minutes=15)) == 0

    invitation = Invitation.objects.get()
    assert (invitation.survey, invitation.user, invitation.subject) == (
        messaging_survey,
        buyer,
        conversation,
    )
    assert invitation.expires_at == NOW + timedelta(days=14)
    assert TriggerCheck.objects.get().checked_until == NOW + timedelta(minutes=15)


def test_the_first_run_looks_back_two_days(messaging_survey, buyer, store, seller):
    conversation_between(buyer, store, seller, answered_at=NOW - timedelta(days=4))

    assert services.invite_after_closed_conversations(now=NOW) == 0
    assert TriggerCheck.objects.get().checked_until == NOW


def test_a_conversation_that_closes_again_is_not_asked_about_twice(
    messaging_survey, buyer, store, seller
):
    conversation = conversation_between(buyer, store, seller, answered_at=NOW - timedelta(hours=30))
    services.invite_after_closed_conversations(now=NOW)
    Invitation.objects.update(answered_at=NOW)
    later = NOW + timedelta(days=60)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=later - QUIET)

    assert services.invite_after_closed_conversations(now=later) == 0
    assert Invitation.objects.count() == 1


def test_a_seller_asking_another_store_is_asked_as_a_buyer(messaging_survey, store, seller):
    other_owner = MembershipFactory(store=StoreFactory()).user
    conversation_between(other_owner, store, seller, answered_at=NOW - timedelta(hours=30))

    assert services.invite_after_closed_conversations(now=NOW) == 1
    assert Invitation.objects.get().user == other_owner


# --- Rules: sampling, caps, eligibility ------------------------------------------------------


def test_sampling_is_decided_by_the_hash_of_survey_person_and_subject(buyer):
    survey = SurveyFactory(sample_percent=10)
    subjects = [SurveyFactory() for _ in range(60)]
    expected = [s for s in subjects if selectors.is_sampled(survey, buyer.pk, s)]

    asked = []
    for subject in subjects:
        Invitation.objects.all().delete()
        if services.invite_to(survey=survey, user=buyer, subject=subject, now=NOW):
            asked.append(subject)

    assert asked == expected
    assert 0 < len(asked) < 20


def test_nobody_is_asked_twice_within_the_minimum_gap(settings, buyer):
    settings.SURVEYS_MIN_DAYS_BETWEEN = 30
    first, second = SurveyFactory(), SurveyFactory()
    InvitationFactory(
        survey=first, user=buyer, created_at=NOW - timedelta(days=29), answered_at=NOW
    )

    assert selectors.why_not_invited(second, buyer, second, NOW) == selectors.ASKED_RECENTLY
    assert services.invite_to(survey=second, user=buyer, subject=second, now=NOW) is None
    later = NOW + timedelta(days=1, seconds=1)
    assert services.invite_to(survey=second, user=buyer, subject=second, now=later) is not None


def test_one_open_invitation_at_a_time(settings, buyer):
    settings.SURVEYS_MIN_DAYS_BETWEEN = 0
    first, second = SurveyFactory(), SurveyFactory()
    open_one = InvitationFactory(survey=first, user=buyer, created_at=NOW - timedelta(days=1))

    assert selectors.why_not_invited(second, buyer, second, NOW) == selectors.OPEN_INVITATION
    open_one.dismissed_at = NOW
    open_one.save()
    assert services.invite_to(survey=second, user=buyer, subject=second, now=NOW) is not None


def test_an_expired_invitation_is_no_longer_open(settings, buyer):
    settings.SURVEYS_MIN_DAYS_BETWEEN = 0
    first, second = SurveyFactory(), SurveyFactory()
    InvitationFactory(survey=first, user=buyer, created_at=NOW - timedelta(days=15))

    assert selectors.why_not_invited(second, buyer, second, NOW) is None


def test_never_the_same_survey_twice_for_the_same_subject(settings, buyer):
    settings.SURVEYS_MIN_DAYS_BETWEEN = 0
    survey = SurveyFactory()
    InvitationFactory(
        survey=survey, user=buyer, created_at=NOW - timedelta(days=90), answered_at=NOW
    )

    assert selectors.why_not_invited(survey, buyer, survey, NOW) == selectors.ALREADY_ASKED
    assert services.invite_to(survey=survey, user=buyer, subject=survey, now=NOW) is None
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"is_active": False}, selectors.NOT_LIVE),
        ({"starts_at": NOW + timedelta(hours=1)}, selectors.NOT_LIVE),
        ({"ends_at": NOW}, selectors.NOT_LIVE),
    ],
)
def test_a_survey_that_is_off_or_outside_its_dates_asks_nobody(buyer, change, reason):
    survey = SurveyFactory(**change)

    assert selectors.why_not_invited(survey, buyer, survey, NOW) == reason
    assert services.invite(trigger=survey.trigger, user=buyer, subject=survey, now=NOW) is None


def test_office_staff_and_inactive_people_are_never_asked(db):
    survey = SurveyFactory()
    for person in (StaffFactory(), UserFactory(is_active=False)):
        assert selectors.why_not_invited(survey, person, survey, NOW) == selectors.NOT_ELIGIBLE


def test_invite_takes_the_first_survey_whose_audience_and_rules_allow(buyer, seller):
    for_sellers = SurveyFactory(trigger=Trigger.PERIODIC, audience=Audience.SELLERS, period_days=90)
    for_buyers = SurveyFactory(trigger=Trigger.PERIODIC, audience=Audience.BUYERS, period_days=90)

    mine = services.invite(trigger=Trigger.PERIODIC, user=buyer, subject=for_buyers, now=NOW)
    theirs = services.invite(trigger=Trigger.PERIODIC, user=seller, subject=for_buyers, now=NOW)

    assert (mine.survey, theirs.survey) == (for_buyers, for_sellers)


def test_an_unknown_trigger_is_a_programming_error(buyer):
    with pytest.raises(ValueError):
        services.invite(trigger="webinar_watched", user=buyer, subject=buyer, now=NOW)


# --- Periodic rounds -------------------------------------------------------------------------


def test_a_round_asks_people_active_in_the_period_of_its_audience(buyer, store, seller):
    survey = SurveyFactory(trigger=Trigger.PERIODIC, audience=Audience.BOTH, period_days=90)
    OrderFactory(buyer=buyer, store=store, placed_at=NOW - timedelta(days=10))
    idle = UserFactory()
    OrderFactory(buyer=idle, placed_at=NOW - timedelta(days=100))
    StaffFactory()

    assert services.run_periodic_rounds(now=NOW) == 2

    round_ = Round.objects.get()
    assert (round_.period_start, round_.period_end) == (NOW - timedelta(days=90), NOW)
    assert set(Invitation.objects.values_list("user", flat=True)) == {buyer.pk, seller.pk}
    assert {i.subject for i in Invitation.objects.all()} == {round_}
    assert set(Invitation.objects.values_list("survey", flat=True)) == {survey.pk}


def test_active_buyers_and_sellers(buyer, store, seller, agent, product):
    start, end = NOW - timedelta(days=30), timezone.now() + timedelta(minutes=1)
    writer = UserFactory()
    messaging.start_conversation(writer, store_id=store.pk, text="Do you deliver to Paarl?")
    quiet_store_owner = MembershipFactory(store=StoreFactory()).user

    buyers = selectors.active_people(start=start, end=end, audience=Audience.BUYERS)
    sellers = selectors.active_people(start=start, end=end, audience=Audience.SELLERS)

    assert buyers == [writer.pk]
    assert sellers == sorted([seller.pk, agent.pk])  # their store got a message
    assert quiet_store_owner.pk not in sellers


def test_the_next_round_waits_for_the_period(buyer, store):
    SurveyFactory(trigger=Trigger.PERIODIC, audience=Audience.BUYERS, period_days=30)
    OrderFactory(buyer=buyer, store=store, placed_at=NOW - timedelta(days=1))
    services.run_periodic_rounds(now=NOW)

    services.run_periodic_rounds(now=NOW + timedelta(days=29))
    assert Round.objects.count() == 1
    services.run_periodic_rounds(now=NOW + timedelta(days=30))
    assert Round.objects.count() == 2


def test_a_round_respects_the_sample(db, store):
    SurveyFactory(
        trigger=Trigger.PERIODIC, audience=Audience.BUYERS, period_days=30, sample_percent=20
    )
    buyers = [UserFactory() for _ in range(40)]
    for person in buyers:
        OrderFactory(buyer=person, store=store, placed_at=NOW - timedelta(days=2))

    asked = services.run_periodic_rounds(now=NOW)

    round_ = Round.objects.get()
    survey = round_.survey
    expected = {p.pk for p in buyers if selectors.is_sampled(survey, p.pk, round_)}
    assert set(Invitation.objects.values_list("user", flat=True)) == expected
    assert asked == len(expected) and 0 < asked < 20


# --- Answering -------------------------------------------------------------------------------


@pytest.fixture
def invitation(buyer):
    return InvitationFactory(user=buyer, created_at=NOW - timedelta(days=1))


def test_an_answer_is_recorded_once_and_its_comment_analysed_after_commit(
    invitation, buyer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = services.answer(
            invitation=invitation,
            user=buyer,
            score=2,
            comment="  The store took four days to answer and the reply was rude.  ",
            now=NOW,
        )

    response.refresh_from_db()
    invitation.refresh_from_db()
    assert (response.score, response.comment) == (
        2,
        "The store took four days to answer and the reply was rude.",
    )
    assert invitation.answered_at == NOW and invitation.shown_at == NOW
    assert response.sentiment == "negative"
    assert set(response.probabilities) == {"negative", "neutral", "positive"}
    assert response.analyzed_at is not None


def test_answering_twice_is_a_conflict_and_changes_nothing(invitation, buyer):
    services.answer(invitation=invitation, user=buyer, score=5, now=NOW)

    with pytest.raises(Conflict, match="already answered"):
        services.answer(invitation=invitation, user=buyer, score=1, now=NOW)

    assert list(Response.objects.values_list("score", flat=True)) == [5]


def test_an_expired_invitation_cannot_be_answered(invitation, buyer):
    with pytest.raises(InvitationClosed, match="closed on") as caught:
        services.answer(invitation=invitation, user=buyer, score=5, now=invitation.expires_at)

    assert caught.value.status == 410
    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_a_dismissed_invitation_cannot_be_answered(invitation, buyer):
    services.dismiss(invitation=invitation, user=buyer, now=NOW)
    services.dismiss(invitation=invitation, user=buyer, now=NOW + timedelta(hours=1))

    with pytest.raises(InvitationClosed):
        services.answer(invitation=invitation, user=buyer, score=5, now=NOW)
    invitation.refresh_from_db()
    assert invitation.dismissed_at == NOW


def test_someone_elses_invitation_is_not_found(invitation, seller):
    for write in (
        lambda: services.answer(invitation=invitation, user=seller, score=5, now=NOW),
        lambda: services.dismiss(invitation=invitation, user=seller, now=NOW),
    ):
        with pytest.raises(NotFound):
            write()
    assert not services.mark_shown(invitation_id=invitation.pk, user=seller, now=NOW)
    invitation.refresh_from_db()
    assert invitation.dismissed_at is None and invitation.shown_at is None
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("score", "comment", "field"),
    [
        (6, "", "score"),
        (0, "", "score"),
        (True, "", "score"),
        (4, "x" * 1001, "comment"),
    ],
)
def test_a_score_off_the_scale_or_a_long_comment_is_refused(
    invitation, buyer, score, comment, field
):
    with pytest.raises(ValidationFailed) as caught:
        services.answer(invitation=invitation, user=buyer, score=score, comment=comment, now=NOW)

    assert caught.value.details == {"field": field}
    assert Response.objects.count() == 0


def test_nps_takes_0_to_10_and_a_survey_without_prompt_takes_no_comment(buyer):
    survey = SurveyFactory(kind=Kind.NPS_11, comment_prompt="")
    invitation = InvitationFactory(survey=survey, user=buyer, created_at=NOW)

    with pytest.raises(ValidationFailed, match="no comment"):
        services.answer(invitation=invitation, user=buyer, score=0, comment="Meh", now=NOW)
    assert services.answer(invitation=invitation, user=buyer, score=0, now=NOW).score == 0


def test_mark_shown_only_once(invitation, buyer):
    assert services.mark_shown(invitation_id=invitation.pk, user=buyer, now=NOW)
    assert not services.mark_shown(invitation_id=invitation.pk, user=buyer, now=NOW + QUIET)
    invitation.refresh_from_db()
    assert invitation.shown_at == NOW


def test_the_card_is_forgotten_when_the_invitation_changes(
    invitation, buyer, django_capture_on_commit_callbacks
):
    assert selectors.card_for(buyer)["token"] == invitation.token
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(invitation=invitation, user=buyer, score=4)

    assert cache.get(selectors.card_cache_key(buyer.pk)) is None
    assert selectors.card_for(buyer) is None


def test_analysis_catch_up_fills_only_missing_sentiment(invitation, buyer):
    response = services.answer(
        invitation=invitation, user=buyer, score=5, comment="Quick, friendly and helpful!", now=NOW
    )
    assert Response.objects.get().sentiment == ""

    assert services.analyze_responses() == 1
    assert services.analyze_responses() == 0
    response.refresh_from_db()
    assert response.sentiment == "positive"


# --- The office's surveys --------------------------------------------------------------------


def survey_fields(**changes) -> SurveyFields:
    fields = SurveyFields(
        title="Messaging satisfaction",
        question="How satisfied are you with the store's answers?",
        kind=Kind.RATING_5,
        comment_prompt="What could they do better?",
        trigger=Trigger.CONVERSATION_CLOSED,
        audience=Audience.BUYERS,
        sample_percent=25,
        period_days=None,
        is_active=True,
        starts_at=NOW,
        ends_at=None,
    )
    return replace(fields, **changes)


def test_a_follow_up_survey_asks_every_seller_once_per_trigger(staff):
    follow_up = {
        "trigger": Trigger.WEBINAR_ATTENDED,
        "title": "After a webinar",
        "question": "How useful was the session?",
        "comment_prompt": "What would have made it more useful?",
    }
    survey = services.create_follow_up_survey(actor=staff, now=NOW, **follow_up)

    assert SurveyFields.of(survey) == SurveyFields(
        **follow_up,
        kind=Kind.RATING_5,
        audience=Audience.SELLERS,
        sample_percent=100,
        period_days=None,
        is_active=True,
        starts_at=NOW,
        ends_at=None,
    )
    services.update_survey(
        actor=staff, survey=survey, fields=replace(SurveyFields.of(survey), is_active=False)
    )
    assert services.create_follow_up_survey(actor=staff, now=NOW, **follow_up) is None
    with pytest.raises(PermissionDenied):
        services.create_follow_up_survey(
            actor=UserFactory(), now=NOW, **{**follow_up, "trigger": Trigger.CONSULTATION_HELD}
        )
    assert list(Survey.objects.values_list("trigger", "is_active")) == [
        (Trigger.WEBINAR_ATTENDED, False)
    ]


def test_staff_create_a_survey(staff):
    survey = services.create_survey(
        actor=staff, now=NOW, fields=survey_fields(title="  Messaging  ")
    )

    assert (survey.title, survey.created_by, survey.sample_percent) == ("Messaging", staff, 25)


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_only_office_staff_manage_surveys(request, who):
    with pytest.raises(PermissionDenied):
        services.create_survey(actor=request.getfixturevalue(who), fields=survey_fields())
    assert Survey.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"question": "x" * 201}, "question"),
        ({"sample_percent": 0}, "sample_percent"),
        ({"sample_percent": 101}, "sample_percent"),
        ({"kind": "stars"}, "kind"),
        ({"audience": Audience.SELLERS}, "audience"),
        ({"trigger": Trigger.PERIODIC, "period_days": None}, "period_days"),
        ({"trigger": Trigger.PERIODIC, "period_days": 3}, "period_days"),
        ({"ends_at": NOW}, "ends_at"),
    ],
)
def test_a_survey_is_validated(staff, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        services.create_survey(actor=staff, fields=survey_fields(**changes))

    assert caught.value.details == {"field": field}
    assert Survey.objects.count() == 0


def test_a_periodic_survey_keeps_its_period_and_others_drop_it(staff):
    periodic = services.create_survey(
        actor=staff, fields=survey_fields(trigger=Trigger.PERIODIC, period_days=90)
    )
    closed = services.create_survey(actor=staff, fields=survey_fields(period_days=90))

    assert (periodic.period_days, closed.period_days) == (90, None)


def test_once_asked_the_question_kind_and_trigger_stay(staff, buyer):
    survey = services.create_survey(actor=staff, fields=survey_fields())
    InvitationFactory(survey=survey, user=buyer)

    with pytest.raises(ValidationFailed, match="already asked"):
        services.update_survey(actor=staff, survey=survey, fields=survey_fields(kind=Kind.NPS_11))
    updated = services.update_survey(
        actor=staff, survey=survey, fields=survey_fields(sample_percent=50, is_active=False)
    )

    assert (updated.kind, updated.sample_percent, updated.is_active) == (Kind.RATING_5, 50, False)


# --- Satisfaction for the KPIs ---------------------------------------------------------------


def test_satisfaction_of_a_trigger_across_rating_and_nps_surveys(db):
    rating = SurveyFactory()
    nps = SurveyFactory(kind=Kind.NPS_11)
    other = SurveyFactory(trigger=Trigger.PERIODIC, period_days=90)
    for survey, scores in ((rating, [5, 4, 2, 3]), (nps, [10, 9, 6, 8]), (other, [1, 1])):
        for score in scores:
            invitation = InvitationFactory(survey=survey, user=UserFactory())
            Response.objects.create(
                invitation=invitation, survey=survey, score=score, created_at=NOW
            )
    InvitationFactory(survey=rating, user=UserFactory())  # not answered: not counted

    found = selectors.satisfaction(
        trigger=Trigger.CONVERSATION_CLOSED, start=NOW - QUIET, end=NOW + timedelta(seconds=1)
    )

    assert found == {
        "responses": 8,
        "satisfied": 4,
        "satisfied_share": 0.5,
        "average": 3.5,
        "nps": 25,  # 2 promoters, 1 detractor of 4
    }
    assert selectors.satisfaction(survey=other, start=NOW, end=NOW + QUIET)["satisfied"] == 0
    assert selectors.satisfaction(survey=other, start=NOW + QUIET, end=NOW + 2 * QUIET) == {
        "responses": 0,
        "satisfied": 0,
        "satisfied_share": None,
        "average": None,
        "nps": None,
    }
    with pytest.raises(ValueError):
        selectors.satisfaction(start=NOW, end=NOW)
