"""The demo campaigns on the tiny demo marketplace: measured by the app's own code."""

from datetime import UTC, datetime, timedelta

import pytest

from saypro.campaigns import selectors
from saypro.campaigns.demo import ANSWERS, SEGMENT_NAME, load_demo_campaigns
from saypro.campaigns.models import Campaign
from saypro.catalog import demo as catalog_demo
from saypro.messaging.demo import load_demo_messaging
from saypro.messaging.models import Conversation, Wait

# A fixed moment: the tiny demo's audience follows the calendar, and on some days its few
# people give the campaign a negative lift, so "today" would make the test date-dependent.
NOW = datetime(2026, 11, 7, 12, tzinfo=UTC)

# Fresh ids too: sampling and groups hash the ids, and PostgreSQL's sequences do not roll
# back between tests, so the ids (and the answers) would follow the tests run before.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


@pytest.fixture
def loaded(db):
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    load_demo_messaging(seed=1, now=NOW)
    return load_demo_campaigns(seed=1, now=NOW)


def test_a_finished_campaign_with_a_measured_lift_and_a_draft(loaded):
    assert loaded.created and loaded.audience > 10
    finished = Campaign.objects.get(name="Ask before you buy")
    assert finished.status == Campaign.Status.SENT
    assert finished.sent_at == NOW - timedelta(days=30)
    assert finished.segment.name == SEGMENT_NAME
    results = selectors.results(finished, now=NOW)
    assert results.is_final
    assert results.lift.treated_n + results.lift.holdout_n == loaded.audience
    assert results.lift.difference > 0 and results.lift.ci_low is not None
    clicked = sum(group.clicked for group in results.groups)
    assert clicked == loaded.clicked
    draft = Campaign.objects.get(name="Reply faster with quick replies")
    assert draft.status == Campaign.Status.DRAFT and draft.variants.count() == 2


def test_the_follow_up_conversations_are_complete(loaded):
    finished = Campaign.objects.get(name="Ask before you buy")
    window = (finished.sent_at, finished.sent_at + timedelta(days=14))
    conversations = Conversation.objects.filter(  # the campaign's follow-ups, not other demos'
        created_at__range=window, message_count=2, messages__text__in=ANSWERS
    ).distinct()
    assert conversations.exists()
    for conversation in conversations:
        messages = list(conversation.messages.order_by("pk"))
        assert [message.side for message in messages] == ["buyer", "store"]
        assert conversation.last_message_id == messages[-1].pk
        assert conversation.last_message_at == messages[-1].created_at
        wait = conversation.waits.get()
        assert wait.outcome == Wait.Outcome.ANSWERED and wait.on_time
        assert conversation.participants.filter(unread=0).count() >= 2


def test_loading_twice_adds_nothing(loaded):
    count = Campaign.objects.count()
    assert load_demo_campaigns(seed=1, now=NOW).created is False
    assert Campaign.objects.count() == count
