"""Demo notifications: ``saypro.notifications.demo`` and its part of ``saypro demo``."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import resolve

from saypro.accounts.models import User
from saypro.catalog import demo as catalog_demo
from saypro.messaging import demo as messaging_demo
from saypro.messaging.models import Conversation, Side
from saypro.notifications import demo
from saypro.notifications.models import (
    Channel,
    Notification,
    NotificationSettings,
    NotificationType,
    Preference,
)
from saypro.reviews import demo as reviews_demo
from saypro.reviews.models import Review

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)


@pytest.fixture
def loaded(db) -> demo.NotificationsReport:
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    reviews_demo.load_demo_reviews(seed=1, now=NOW)
    messaging_demo.load_demo_messaging(seed=1, now=NOW)
    return demo.load_demo_notifications(now=NOW)


def account(key: str) -> User:
    return User.objects.get(email=catalog_demo.ACCOUNTS[key].email)


def test_the_owner_is_told_of_each_unmuted_conversation_the_buyer_wrote_last_this_month(loaded):
    owner = account("owner")
    store = owner.stores.get()
    expected = set()
    for conversation in Conversation.objects.filter(
        store=store, last_message_at__gte=NOW - demo.RECENT
    ).exclude(participants__user=owner, participants__muted=True):
        if conversation.messages.order_by("-created_at", "-pk").first().side == Side.BUYER:
            expected.add(conversation.pk)

    told = Notification.objects.filter(recipient=owner, type=NotificationType.MESSAGE_NEW)

    assert expected and set(told.values_list("subject_id", flat=True)) == expected
    assert all(resolve(row.link.split("#")[0]) for row in told)


def test_deadline_and_waiting_reminders_come_from_the_periodic_services(loaded):
    overdue_stores = set(
        Review.objects.filter(deadline_flag=Review.DeadlineFlag.OVERDUE).values_list(
            "store_id", flat=True
        )
    )
    notified = Notification.objects.filter(type=NotificationType.REVIEW_OVERDUE)

    assert overdue_stores
    assert {row.recipient.memberships.get().store_id for row in notified} == overdue_stores


def test_the_demo_accounts_show_the_preferences_and_history(loaded):
    owner, agent, buyer = account("owner"), account("agent"), account("buyer")

    assert Preference.objects.get(user=owner, type=NotificationType.REVIEW_NEW).channel == (
        Channel.DIGEST
    )
    assert NotificationSettings.objects.get(user=agent).digest_frequency == "weekly"
    assert Preference.objects.get(user=buyer, type=NotificationType.REVIEW_ANSWERED).channel == (
        Channel.EMAIL
    )
    old = Notification.objects.filter(created_at__lt=NOW - demo.READ_AFTER)
    assert old.exists() and not old.filter(read_at__isnull=True).exists()
    recent = Notification.objects.filter(created_at__gte=NOW - demo.READ_AFTER)
    assert recent.filter(read_at__isnull=True).count() == recent.count() > 0
    assert loaded.notifications == Notification.objects.count()
    assert loaded.unread == recent.count()


@pytest.mark.django_db
def test_the_command_creates_notifications_once():
    first, second = StringIO(), StringIO()
    call_command("demo", "--scale", "tiny", stdout=first, stderr=StringIO())
    count = Notification.objects.count()

    call_command("demo", "--scale", "tiny", stdout=second, stderr=StringIO())

    assert "Demo notifications created" in first.getvalue() and count > 0
    assert "Demo notifications created" not in second.getvalue()
    assert Notification.objects.count() == count
    assert timedelta(0) < demo.READ_AFTER < demo.RECENT
