"""Demo notifications: what the demo people would have been told this past month.

The periodic services run at the demo's ``now`` as the worker would have run
them (review answer deadlines, buyers waiting for an answer); the last month's
messages and review answers raise theirs through the services that send them, so
each person's preferences decide the channel. The demo accounts get settings
that show the options: the owner takes new reviews in the daily digest, the
agent has quiet hours and a weekly digest, the buyer gets answers by email.
Notifications older than two days are read, as people would have read them.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import F

from saypro.accounts.models import User
from saypro.catalog.demo import ACCOUNTS
from saypro.catalog.models import StoreMembership
from saypro.messaging import services as messaging
from saypro.messaging.models import Conversation, Message, Side
from saypro.notifications.models import (
    Channel,
    DigestFrequency,
    Notification,
    NotificationSettings,
    NotificationType,
    Preference,
)
from saypro.reviews import services as reviews
from saypro.reviews.models import Answer

RECENT = timedelta(days=30)
READ_AFTER = timedelta(days=2)


@dataclass(frozen=True)
class NotificationsReport:
    notifications: int
    unread: int
    people: int


def load_demo_notifications(*, now: datetime) -> NotificationsReport:
    """Notify the demo people about their last month (once, after the demo conversations)."""
    people = {key: User.objects.filter(email=ACCOUNTS[key].email).first() for key in ACCOUNTS}
    _set_preferences(people)
    store_ids = set(
        StoreMembership.objects.filter(user__in=[p for p in people.values() if p]).values_list(
            "store_id", flat=True
        )
    )
    since = now - RECENT
    for message in _last_messages(store_ids, people.get("buyer"), since):
        messaging.notify_new_message(message)
    for answer in Answer.objects.filter(
        review__author=people.get("buyer"), published_at__gte=since
    ).select_related("review__product", "review__store", "review__author"):
        reviews.notify_answered(answer)
    reviews.flag_response_deadlines(now=now)
    messaging.remind_waiting(now=now)
    Notification.objects.filter(created_at__lt=now - READ_AFTER).update(read_at=F("updated_at"))
    return NotificationsReport(
        Notification.objects.count(),
        Notification.objects.filter(read_at__isnull=True).count(),
        Notification.objects.values("recipient").distinct().count(),
    )


def _set_preferences(people: dict[str, User | None]) -> None:
    owner, agent, buyer = people.get("owner"), people.get("agent"), people.get("buyer")
    if owner:
        Preference.objects.create(
            user=owner, type=NotificationType.REVIEW_NEW, channel=Channel.DIGEST
        )
    if agent:
        NotificationSettings.objects.create(
            user=agent,
            quiet_hours_start=time(22),
            quiet_hours_end=time(7),
            digest_frequency=DigestFrequency.WEEKLY,
        )
    if buyer:
        Preference.objects.create(
            user=buyer, type=NotificationType.REVIEW_ANSWERED, channel=Channel.EMAIL
        )


def _last_messages(store_ids: set[int], buyer: User | None, since: datetime):
    """The last message of each demo person's conversations of the month, by the other side."""
    recent = Conversation.objects.filter(last_message_at__gte=since)
    waiting_for = {  # sender side -> conversations where its message is news to a demo person
        Side.BUYER: set(recent.filter(store_id__in=store_ids).values_list("pk", flat=True)),
        Side.STORE: set(recent.filter(buyer=buyer).values_list("pk", flat=True))
        if buyer
        else set(),
    }
    latest = (
        Message.objects.filter(
            conversation_id__in=waiting_for[Side.BUYER] | waiting_for[Side.STORE]
        )
        .order_by("conversation_id", "-created_at", "-pk")
        .select_related("conversation__store", "conversation__buyer", "sender")
    )
    seen: set[int] = set()
    for message in latest:
        if message.conversation_id not in seen:
            seen.add(message.conversation_id)
            if message.conversation_id in waiting_for[message.side]:
                yield message
