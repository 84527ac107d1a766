"""The office's measurements: counts per prompt over a period, the "followed by a
message" window, the rates, and the tours' completions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.engagement import selectors
from saypro.engagement.models import Prompt, PromptEvent, TutorialProgress
from saypro.engagement.tests.factories import PromptEventFactory, PromptFactory
from saypro.messaging.tests.factories import MessageFactory

NOW = timezone.now().replace(microsecond=0)
SINCE, UNTIL = NOW - timedelta(days=30), NOW
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_test_prompts():
    Prompt.objects.filter(code__isnull=False).delete()


def stats(user):
    return {
        row["prompt"].name: row for row in selectors.prompt_stats(user, since=SINCE, until=UNTIL)
    }


def test_counts_and_rates_per_prompt_over_the_period(staff):
    prompt = PromptFactory(name="Tip")
    PromptFactory(name="Unseen")
    people = UserFactory.create_batch(4)
    for person in people:
        PromptEventFactory(prompt=prompt, user=person, at=NOW - timedelta(days=2))
    PromptEventFactory(prompt=prompt, user=people[0], kind="clicked", at=NOW - timedelta(days=2))
    PromptEventFactory(prompt=prompt, user=people[1], kind="dismissed", at=NOW - timedelta(days=1))
    PromptEventFactory(prompt=prompt, user=people[2], at=NOW - timedelta(days=31))  # before
    PromptEventFactory(prompt=prompt, user=people[2], at=NOW)  # the period's end is excluded
    rows = stats(staff)
    tip = rows["Tip"]
    assert (tip["shown"], tip["clicked"], tip["dismissed"], tip["followed"]) == (4, 1, 1, 0)
    assert (tip["click_rate"], tip["follow_rate"]) == (0.25, 0.0)
    unseen = rows["Unseen"]
    assert (unseen["shown"], unseen["click_rate"], unseen["follow_rate"]) == (0, None, None)


def test_a_click_is_followed_by_a_message_from_the_clicker_within_24_hours(staff):
    prompt = PromptFactory(name="Ask")
    clicked_at = NOW - timedelta(days=5)
    within, too_late, before, someone_else = UserFactory.create_batch(4)
    for person in (within, too_late, before, someone_else):
        PromptEventFactory(prompt=prompt, user=person, kind="clicked", at=clicked_at)
    MessageFactory(conversation__buyer=within, created_at=clicked_at + timedelta(hours=23))
    MessageFactory(conversation__buyer=too_late, created_at=clicked_at + timedelta(hours=25))
    MessageFactory(conversation__buyer=before, created_at=clicked_at - timedelta(minutes=1))
    MessageFactory(created_at=clicked_at + timedelta(hours=1))  # by another person
    row = stats(staff)["Ask"]
    assert (row["clicked"], row["followed"], row["follow_rate"]) == (4, 1, 0.25)


def test_only_staff_read_the_figures(buyer, seller):
    PromptFactory(name="Tip")
    assert selectors.prompt_stats(buyer, since=SINCE, until=UNTIL) == []
    assert selectors.tutorial_stats(seller, since=SINCE, until=UNTIL) == []
    assert list(selectors.office_prompts(seller)) == []


def test_tour_completions_over_the_period(staff):
    inside = NOW - timedelta(days=3)
    for done in (True, True, False):
        TutorialProgress.objects.create(
            user=UserFactory(),
            tutorial="buyer_messages",
            started_at=inside,
            completed_at=inside if done else None,
            skipped_at=None if done else inside,
            replays=2 if done else 0,
        )
    TutorialProgress.objects.create(
        user=UserFactory(), tutorial="buyer_messages", started_at=NOW - timedelta(days=40)
    )
    rows = {
        row["tutorial"].code: row
        for row in selectors.tutorial_stats(staff, since=SINCE, until=UNTIL)
    }
    messages = rows["buyer_messages"]
    assert (messages["started"], messages["completed"], messages["skipped"]) == (3, 2, 1)
    assert (messages["replays"], messages["completion_rate"]) == (4, 2 / 3)
    inbox = rows["seller_inbox"]
    assert (inbox["started"], inbox["completion_rate"], inbox["replays"]) == (0, None, 0)


def test_shown_events_are_not_confused_between_people(buyer, product):
    prompt = PromptFactory(max_shows=1)
    PromptEventFactory(prompt=prompt, user=UserFactory(), at=NOW)
    assert [
        item.prompt
        for item in selectors.prompts_for(
            buyer, "product_page", selectors.PageSubject(product=product), now=NOW
        )
    ] == [prompt]
    assert PromptEvent.objects.count() == 1
