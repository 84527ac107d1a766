"""Notification selectors: the written-out reads of the send path against their definitions."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.accounts.tests.factories import UserFactory
from saypro.notifications import selectors
from saypro.notifications.models import (
    BUILT_IN_DEFAULTS,
    Channel,
    DefaultPreference,
    Notification,
    NotificationType,
    Preference,
)
from saypro.notifications.tests.factories import NotificationFactory

NOON = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CHANNELS = st.sampled_from(Channel.values)
MAYBE_CHANNEL = st.none() | CHANNELS


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    notification_type=st.sampled_from(NotificationType.values),
    office_default=MAYBE_CHANNEL,
    # Per person: their choice for the type, and for another type (which must not count).
    choices=st.lists(st.tuples(MAYBE_CHANNEL, MAYBE_CHANNEL), min_size=1, max_size=4),
)
def test_channels_for_is_the_persons_choice_else_the_offices_else_the_built_in(
    notification_type, office_default, choices
):
    DefaultPreference.objects.all().delete()
    if office_default is not None:
        DefaultPreference.objects.create(type=notification_type, channel=office_default)
    other_type = next(t for t in NotificationType.values if t != notification_type)
    DefaultPreference.objects.create(type=other_type, channel=Channel.OFF)
    people = [UserFactory() for _ in choices]
    for person, (channel, other) in zip(people, choices, strict=True):
        if channel is not None:
            Preference.objects.create(user=person, type=notification_type, channel=channel)
        if other is not None:
            Preference.objects.create(user=person, type=other_type, channel=other)

    expected = {
        person.pk: channel or office_default or BUILT_IN_DEFAULTS[notification_type]
        for person, (channel, _) in zip(people, choices, strict=True)
    }
    ids = [person.pk for person in people]
    assert selectors.channels_for(ids, notification_type) == expected
    assert selectors.channels_for(ids, NotificationType(notification_type)) == expected


def test_channels_for_nobody_is_empty(db):
    assert selectors.channels_for([], NotificationType.MESSAGE_NEW) == {}


def test_unread_totals_count_each_persons_unread_notifications(db):
    busy, quiet, other = UserFactory(), UserFactory(), UserFactory()
    NotificationFactory.create_batch(3, recipient=busy)
    NotificationFactory(recipient=busy, read_at=NOON)
    NotificationFactory(recipient=quiet, read_at=NOON)
    NotificationFactory(recipient=other)
    assert selectors.unread_totals([busy.pk, quiet.pk]) == {busy.pk: 3, quiet.pk: 0}
    for person in (busy, quiet, other):
        unread = Notification.objects.filter(recipient=person, read_at__isnull=True).count()
        assert selectors.unread_totals([person.pk])[person.pk] == unread
        assert selectors.unread_count(person) == unread
    assert selectors.unread_totals([]) == {}


def test_open_to_coalesce_is_the_unread_recent_rows_with_the_key_oldest_first(db):
    person, other = UserFactory(), UserFactory()
    since = NOON - timedelta(minutes=10)
    newer = NotificationFactory(recipient=person, coalesce_key="k", created_at=NOON)
    older = NotificationFactory(recipient=person, coalesce_key="k", created_at=since)
    others = NotificationFactory(recipient=other, coalesce_key="k", created_at=NOON)
    NotificationFactory(recipient=person, coalesce_key="k", created_at=since - timedelta(seconds=1))
    NotificationFactory(recipient=person, coalesce_key="k", created_at=NOON, read_at=NOON)
    NotificationFactory(recipient=person, coalesce_key="other", created_at=NOON)

    rows = selectors.open_to_coalesce([person.pk], "k", since=since)
    assert [row.pk for row in rows] == [older.pk, newer.pk]
    assert rows[1].text == newer.text and rows[1].created_at == NOON
    both = selectors.open_to_coalesce([person.pk, other.pk], "k", since=NOON)
    assert sorted(row.pk for row in both) == sorted([newer.pk, others.pk])


def test_unread_about_is_the_persons_unread_notifications_of_that_subject(db):
    person, subject, other_subject = UserFactory(), UserFactory(), UserFactory()
    about = NotificationFactory(recipient=person, subject=subject)
    NotificationFactory(recipient=person, subject=subject, read_at=NOON)
    NotificationFactory(recipient=person, subject=other_subject)
    NotificationFactory(recipient=subject, subject=subject)
    user_type = ContentType.objects.get_for_model(subject)
    assert selectors.unread_about(person, user_type.pk, subject.pk) == [about.pk]
