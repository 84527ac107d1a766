"""Notification services: preferences, coalescing, quiet hours, viewing, email, digests."""

from datetime import UTC, datetime, time, timedelta

import pytest
from asgiref.sync import async_to_sync
from django.core import mail
from django.test import Client, TestCase, override_settings

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.errors import NotFound, ValidationFailed
from saypro.core.models import Event
from saypro.messaging import presence
from saypro.messaging import services as messaging
from saypro.notifications import selectors, services
from saypro.notifications.models import (
    Channel,
    DefaultPreference,
    DigestFrequency,
    EmailDelivery,
    Notification,
    NotificationSettings,
    NotificationType,
    Preference,
)
from saypro.notifications.tokens import make_unsubscribe_token
from saypro.reviews.schemas import public_name

NEW = NotificationType.MESSAGE_NEW
ANSWERED = NotificationType.REVIEW_ANSWERED
NOON = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # 12:00 in Johannesburg


@pytest.fixture
def person(db):
    return UserFactory(email="lerato@example.test", first_name="Lerato")


def notify(person, type=NEW, key=None, text="Naledi: Is it in stock?", now=NOON):
    """``services.notify`` with its after-commit work (email tasks) run, as in production."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.notify(
            person, type, subject=person, text=text, link="/messages/1/", coalesce_key=key, now=now
        )


def prefer(person, type, channel):
    Preference.objects.create(user=person, type=type, channel=channel)


# --- Preferences ---------------------------------------------------------------------------


def test_built_in_defaults_apply_and_the_event_carries_the_unread_total(person):
    notification = notify(person)
    assert notification.channel == Channel.TOAST and notification.count == 1
    event = Event.objects.get(user=person)
    assert event.type == "notification.created"
    assert event.data["unread_total"] == 1
    assert event.data["notification"]["toast"] is True
    assert event.data["notification"]["text"] == "Naledi: Is it in stock?"


def test_off_writes_nothing(person):
    prefer(person, NEW, Channel.OFF)
    assert notify(person) is None
    assert not Notification.objects.exists() and not Event.objects.exists()


def test_the_offices_default_beats_the_built_in_one_and_a_person_beats_both(person):
    DefaultPreference.objects.create(type=NEW, channel=Channel.IN_APP)
    assert notify(person, key="a").channel == Channel.IN_APP
    prefer(person, NEW, Channel.EMAIL)
    assert notify(person, key="b").channel == Channel.EMAIL


def test_set_preferences_refuses_unknown_types_and_channels_and_changes_nothing(person):
    with pytest.raises(ValidationFailed):
        services.set_preferences(user=person, channels={NEW: "fax"})
    with pytest.raises(ValidationFailed):
        services.set_preferences(user=person, channels={"nope": Channel.OFF})
    assert not Preference.objects.exists()
    grid = services.set_preferences(user=person, channels={NEW: Channel.DIGEST})
    row = next(row for row in grid if row["type"] == NEW)
    assert row == {
        "type": NEW,
        "label": "New message",
        "channel": Channel.DIGEST,
        "default": Channel.TOAST,
        "is_default": False,
    }
    # A buyer's grid: no answer deadlines, rising issues, academy or support reminders.
    assert [row["type"] for row in grid] == [
        "message.new",
        "review.answered",
        "engagement.badge_earned",
        "engagement.campaign",
        "order.status",
    ]
    # Order updates were emailed before they were notifications: by default they still are.
    assert grid[-1] == {
        "type": "order.status",
        "label": "Order updates",
        "channel": Channel.EMAIL,
        "default": Channel.EMAIL,
        "is_default": True,
    }
    MembershipFactory(user=person)
    assert len(selectors.preference_grid(person)) == len(NotificationType.values)


def test_set_settings_validates_time_zone_and_quiet_hours(person):
    def settings(**changes):
        values = {
            "time_zone": "Europe/Berlin",
            "quiet_hours_start": time(22),
            "quiet_hours_end": time(7),
            "digest_frequency": "weekly",
        }
        return services.set_settings(user=person, **{**values, **changes})

    for bad in [
        {"time_zone": "Mars/Olympus"},
        {"quiet_hours_end": None},
        {"quiet_hours_end": time(22)},
        {"digest_frequency": "hourly"},
    ]:
        with pytest.raises(ValidationFailed):
            settings(**bad)
    assert not NotificationSettings.objects.exists()
    row = settings()
    assert (row.time_zone, row.digest_frequency) == ("Europe/Berlin", "weekly")


# --- Coalescing ----------------------------------------------------------------------------


def test_an_unread_one_with_the_same_key_within_ten_minutes_is_updated(person):
    first = notify(person, key="conversation:1", text="one")
    second = notify(person, key="conversation:1", text="two", now=NOON + timedelta(minutes=9))
    assert second.pk == first.pk and Notification.objects.count() == 1
    second.refresh_from_db()
    assert (second.count, second.text, second.created_at) == (2, "two", NOON)
    assert second.updated_at == NOON + timedelta(minutes=9)
    updated = Event.objects.filter(type="notification.updated").get()
    assert updated.data["notification"]["count"] == 2 and updated.data["unread_total"] == 1


def test_after_ten_minutes_or_once_read_a_new_one_starts(person):
    first = notify(person, key="k")
    late = notify(person, key="k", now=NOON + timedelta(minutes=11))
    assert late.pk != first.pk
    services.mark_read(user=person, notification=late)
    again = notify(person, key="k", now=NOON + timedelta(minutes=12))
    assert again.pk not in {first.pk, late.pk}
    assert notify(person, key="other", now=NOON + timedelta(minutes=12)).pk != again.pk


def test_coalescing_updates_each_persons_row_on_their_own_current_channel(person):
    toast, changed, other = UserFactory(), UserFactory(), UserFactory()
    prefer(toast, NEW, Channel.TOAST)
    prefer(changed, NEW, Channel.TOAST)
    prefer(other, NEW, Channel.IN_APP)
    ids = [toast.pk, changed.pk, other.pk]
    first = services.notify_many(
        ids, NEW, subject=person, text="one", link="/m/", coalesce_key="k", now=NOON
    )
    Preference.objects.filter(user=changed).update(channel=Channel.IN_APP)
    later = NOON + timedelta(minutes=1)
    second = services.notify_many(
        ids, NEW, subject=person, text="two", link="/n/", coalesce_key="k", now=later
    )

    assert {user_id: row.pk for user_id, row in second.items()} == {
        user_id: row.pk for user_id, row in first.items()
    }
    rows = {row.recipient_id: row for row in Notification.objects.all()}
    assert {user_id: row.channel for user_id, row in rows.items()} == {
        toast.pk: Channel.TOAST,
        changed.pk: Channel.IN_APP,
        other.pk: Channel.IN_APP,
    }
    for user_id, row in rows.items():
        assert (row.count, row.text, row.link) == (2, "two", "/n/")
        assert (row.created_at, row.updated_at) == (NOON, later)
        assert second[user_id].count == 2 and second[user_id].channel == row.channel
        event = Event.objects.filter(user_id=user_id, type="notification.updated").get()
        assert event.data["notification"]["channel"] == row.channel
        assert event.data["notification"]["count"] == 2 and event.data["unread_total"] == 1


# --- Read state ----------------------------------------------------------------------------


def test_mark_read_and_mark_all_read_record_the_new_unread_total(person):
    one, two = notify(person, key="1"), notify(person, key="2")
    notify(person, key="3")
    services.mark_read(user=person, notification=one)
    services.mark_read(user=person, notification=one)  # idempotent: no second event
    reads = Event.objects.filter(type="notification.read")
    assert [e.data for e in reads] == [{"ids": [one.pk], "unread_total": 2}]
    assert services.mark_all_read(user=person) == 2
    assert reads.last().data == {"ids": [], "unread_total": 0}
    assert selectors.unread_count(person) == 0 and two.pk


def test_someone_elses_notification_cannot_be_marked(person):
    other = UserFactory()
    notification = notify(other)
    with pytest.raises(NotFound):
        services.mark_read(user=person, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None


# --- Quiet hours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "end", "now", "until"),
    [
        # 23:30 in Johannesburg (UTC+2), quiet 22:00–07:00: until 07:00 local = 05:00 UTC.
        ("Africa/Johannesburg", 22, 7, datetime(2026, 3, 2, 21, 30, tzinfo=UTC),
         datetime(2026, 3, 3, 5, 0, tzinfo=UTC)),
        # 02:00 local after midnight: the same morning.
        ("Africa/Johannesburg", 22, 7, datetime(2026, 3, 3, 0, 0, tzinfo=UTC),
         datetime(2026, 3, 3, 5, 0, tzinfo=UTC)),
        # 12:00 local: not quiet.
        ("Africa/Johannesburg", 22, 7, NOON, None),
        # New York (UTC-5 in March before DST): 21:30 UTC is 16:30 local, quiet 13:00–17:00.
        ("America/New_York", 13, 17, datetime(2026, 3, 2, 21, 30, tzinfo=UTC),
         datetime(2026, 3, 2, 22, 0, tzinfo=UTC)),
        # The end itself is no longer quiet.
        ("Africa/Johannesburg", 22, 7, datetime(2026, 3, 3, 5, 0, tzinfo=UTC), None),
    ],
)  # fmt: skip
def test_quiet_until_follows_the_persons_time_zone(zone, start, end, now, until):
    settings = NotificationSettings(
        time_zone=zone, quiet_hours_start=time(start), quiet_hours_end=time(end)
    )
    assert services.quiet_until(settings, now) == until


def test_email_waits_for_the_end_of_quiet_hours_while_in_app_lands(person):
    prefer(person, ANSWERED, Channel.EMAIL)
    NotificationSettings.objects.create(
        user=person, quiet_hours_start=time(22), quiet_hours_end=time(7)
    )
    night = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 23:30 local
    notify(person, ANSWERED, now=night)
    delivery = EmailDelivery.objects.get()
    assert delivery.status == "pending" and delivery.send_after == datetime(
        2026, 3, 3, 5, 0, tzinfo=UTC
    )
    assert mail.outbox == [] and Notification.objects.count() == 1
    assert services.send_due_emails(now=night + timedelta(hours=1)) == 0  # still quiet
    assert services.send_due_emails(now=datetime(2026, 3, 3, 5, 1, tzinfo=UTC)) == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mail.outbox) == 1


# --- Email ---------------------------------------------------------------------------------


@override_settings(SITE_URL="https://shop.example")
def test_an_email_has_one_click_unsubscribe_headers_and_links(person):
    prefer(person, ANSWERED, Channel.EMAIL)
    notify(person, ANSWERED, text="Cape Linen Co answered your review", now=None)
    [message] = mail.outbox
    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert message.to == ["lerato@example.test"]
    assert message.subject == "Cape Linen Co answered your review"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://shop.example/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe[1:-1]
    assert url in message.body and "https://shop.example/messages/1/" in message.body
    html = message.alternatives[0][0]
    assert url in html and "Open on SayPro" in html

    # No login, no CSRF: the GET page asks, the one-click POST unsubscribes.
    anonymous = Client(enforce_csrf_checks=True)
    path = url.removeprefix("https://shop.example")
    page = anonymous.get(path)
    assert page.status_code == 200 and b"Unsubscribe from these emails?" in page.content
    assert not Preference.objects.filter(channel=Channel.IN_APP).exists()  # GET changes nothing
    done = anonymous.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and b"You are unsubscribed" in done.content
    assert Preference.objects.get(user=person, type=ANSWERED).channel == Channel.IN_APP
    assert anonymous.post(path).status_code == 200  # idempotent


def test_a_forged_or_altered_token_changes_nothing(person, client):
    token = make_unsubscribe_token(person.pk, ANSWERED)
    for bad in [token[:-2] + "xx", "nonsense", make_unsubscribe_token(person.pk, "nope")]:
        assert client.post(f"/notifications/unsubscribe/{bad}").status_code == 404
    assert client.get("/notifications/unsubscribe/nonsense").status_code == 404
    assert not Preference.objects.exists()


class FailingBackend:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


@override_settings(EMAIL_BACKEND="saypro.notifications.tests.test_services.FailingBackend")
def test_a_failed_send_is_recorded_retried_and_finally_marked_failed(person, caplog):
    prefer(person, ANSWERED, Channel.EMAIL)
    notify(person, ANSWERED, now=None)  # the task ran (immediate mode), failed, was logged
    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error == "ConnectionRefusedError: SMTP server down"
    for attempt in range(2, services.MAX_ATTEMPTS + 1):
        with pytest.raises(ConnectionRefusedError):
            services.deliver_email(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
    assert delivery.status == "failed"
    assert "failed" in caplog.text
    assert services.deliver_email(delivery_id=delivery.pk) is None  # never sent again


def test_the_sweep_retries_a_failed_email_after_a_while_and_sends_it_once(person):
    prefer(person, ANSWERED, Channel.EMAIL)
    with override_settings(EMAIL_BACKEND="saypro.notifications.tests.test_services.FailingBackend"):
        notify(person, ANSWERED, now=None)
    delivery = EmailDelivery.objects.get()
    assert services.send_due_emails() == 0  # Huey's own retry comes first
    later = delivery.last_attempt_at + services.RETRY_SWEEP_AFTER + timedelta(seconds=1)
    assert services.send_due_emails(now=later) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(mail.outbox)) == ("sent", 2, 1)


# --- Digests -------------------------------------------------------------------------------


def test_digest_collects_unread_digest_notifications_once_per_local_morning(person):
    prefer(person, NEW, Channel.DIGEST)
    notify(person, key="1", text="Naledi: first")
    notify(person, key="2", text="Sipho: second")
    read = notify(person, key="3", text="Read already")
    services.mark_read(user=person, notification=read)
    assert mail.outbox == []  # nothing is emailed at once

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.send_digests(now=NOON + timedelta(hours=1)) == 1  # none made yet
    [message] = mail.outbox
    assert message.to == ["lerato@example.test"]
    assert message.subject == "Your SayPro digest: 2 updates"
    assert "Naledi: first" in message.body and "Sipho: second" in message.body
    assert "Read already" not in message.body
    assert "List-Unsubscribe" in message.extra_headers

    notify(person, key="4", text="Thabo: third", now=NOON + timedelta(hours=2))
    assert services.send_digests(now=NOON + timedelta(hours=3)) == 0  # one per day
    next_morning = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)  # 06:00 in Johannesburg
    assert services.send_digests(now=next_morning - timedelta(minutes=1)) == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.send_digests(now=next_morning) == 1
    assert "Thabo: third" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("time_zone", "frequency", "now", "due_since"),
    [
        # 06:00 local, in the person's own zone, not the marketplace's.
        ("Africa/Johannesburg", "daily", "2026-03-02T04:00", "2026-03-02T04:00"),
        ("Africa/Johannesburg", "daily", "2026-03-02T03:59", "2026-03-01T04:00"),
        ("America/New_York", "daily", "2026-03-02T10:59", "2026-03-01T11:00"),
        ("America/New_York", "daily", "2026-03-02T11:00", "2026-03-02T11:00"),
        ("Asia/Tokyo", "daily", "2026-03-01T21:00", "2026-03-01T21:00"),
        # Daylight saving: New York moves to UTC−4 on 2026-03-08.
        ("America/New_York", "daily", "2026-03-09T12:00", "2026-03-09T10:00"),
        # Weekly digests: the latest Monday 06:00 (2026-03-02 is a Monday).
        ("Africa/Johannesburg", "weekly", "2026-03-02T03:00", "2026-02-23T04:00"),
        ("Africa/Johannesburg", "weekly", "2026-03-02T04:00", "2026-03-02T04:00"),
        ("Africa/Johannesburg", "weekly", "2026-03-08T23:00", "2026-03-02T04:00"),
    ],
)
def test_a_digest_is_due_after_the_persons_local_morning(time_zone, frequency, now, due_since):
    settings = NotificationSettings(time_zone=time_zone, digest_frequency=frequency)
    at = datetime.fromisoformat(now).replace(tzinfo=UTC)
    expected = datetime.fromisoformat(due_since).replace(tzinfo=UTC)
    assert services.digest_due_since(settings, at) == expected


def test_weekly_digest_waits_for_monday_and_a_missed_run_catches_up(person):
    NotificationSettings.objects.create(user=person, digest_frequency=DigestFrequency.WEEKLY)
    prefer(person, NEW, Channel.DIGEST)
    monday = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # Monday 06:00 in Johannesburg
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.send_digests(now=monday) == 0  # nothing waiting
        notify(person, key="1", text="Naledi: first", now=monday + timedelta(hours=1))
        assert services.send_digests(now=monday + timedelta(hours=2)) == 1  # none made yet
        notify(person, key="2", text="Sipho: second", now=monday + timedelta(days=1))
        assert services.send_digests(now=monday + timedelta(days=6)) == 0  # Sunday
        # The worker was down on Monday morning: Tuesday's run sends the week's digest.
        assert services.send_digests(now=monday + timedelta(days=8)) == 1
    assert [len(message.to) for message in mail.outbox] == [1, 1]
    assert "Sipho: second" in mail.outbox[-1].body


def test_unsubscribing_from_a_digest_moves_every_digest_type_to_in_app(person):
    prefer(person, NEW, Channel.DIGEST)
    prefer(person, ANSWERED, Channel.DIGEST)
    from saypro.notifications.tokens import DIGEST

    _, types = services.unsubscribe(token=make_unsubscribe_token(person.pk, DIGEST))
    assert set(types) >= {NEW, ANSWERED}
    channels = dict(Preference.objects.filter(user=person).values_list("type", "channel"))
    assert channels[NEW] == channels[ANSWERED] == Channel.IN_APP


# --- Hooks: messaging ----------------------------------------------------------------------


def start(buyer, store, text="Is this in stock?"):
    conversation, message, _ = messaging.start_conversation(buyer, store_id=store.pk, text=text)
    return conversation, message


def test_a_message_notifies_the_other_side_coalesced_per_conversation(buyer, store, seller, agent):
    conversation, _ = start(buyer, store)
    messaging.send_message(buyer, conversation, text="Also, in blue?")
    for member in (seller, agent):
        notification = Notification.objects.get(recipient=member)
        assert (notification.type, notification.count) == (NEW, 2)
        assert notification.text == f"{public_name(buyer)}: Also, in blue?"
        assert notification.link == f"/messages/{conversation.pk}/"
        assert notification.subject == conversation
    assert not Notification.objects.filter(recipient=buyer).exists()

    messaging.send_message(seller, conversation, text="Yes, both.")
    to_buyer = Notification.objects.get(recipient=buyer)
    assert to_buyer.text == "Cape Linen Co: Yes, both."
    # Replying marks the replier's own notifications of the conversation read.
    assert Notification.objects.get(recipient=seller).read_at is not None
    assert Notification.objects.get(recipient=agent).read_at is None


def test_a_person_viewing_the_conversation_or_who_muted_it_gets_none(buyer, store, seller, agent):
    conversation, _ = start(buyer, store)
    Notification.objects.all().delete()
    async_to_sync(presence.set_viewing)(seller.pk, conversation.pk)
    messaging.set_muted(agent, conversation, True)
    messaging.send_message(buyer, conversation, text="Hello?")
    assert not Notification.objects.exists()
    async_to_sync(presence.set_viewing)(seller.pk, None)  # the tab was hidden
    messaging.send_message(buyer, conversation, text="Anyone?")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [seller.pk]


def test_viewing_another_conversation_does_not_suppress(buyer, store, seller):
    conversation, _ = start(buyer, store)
    async_to_sync(presence.set_viewing)(seller.pk, conversation.pk + 1)
    messaging.send_message(buyer, conversation, text="Hello?")
    assert Notification.objects.get(recipient=seller).count == 2


def test_reading_the_conversation_reads_its_notifications(buyer, store, seller):
    conversation, _ = start(buyer, store)
    messaging.mark_read(seller, conversation)
    assert Notification.objects.get(recipient=seller).read_at is not None
    assert Event.objects.filter(user=seller, type="notification.read").count() == 1
