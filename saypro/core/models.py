"""The event log: what each person's live clients are told, in the order it happened.

A service that changes something a person should see live appends one
``Event`` per recipient in the same transaction as the change
(``saypro.core.events.record``); the socket push happens after commit. A
client that connects or reconnects sends the last event id it has and gets
every later event from this table, then live ones, so nothing is lost when a
push is (Redis down, a process killed, a socket dropped).

Ids come from one sequence, so they are unique across people, but ids alone are
allocated at insert time, not at commit. To make each person's events arrive
in commit order, ``record`` locks the recipient's ``Mailbox`` row before it
inserts: two transactions writing to the same person queue on that lock, so
the later one gets the larger id and commits later. ``previous_id`` chains a
person's events, so a live receiver that sees a link it does not have knows it
missed one and reads the gap from the table.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Mailbox(models.Model):
    """One row per person who has received an event: their lock and last event id."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_event_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"mailbox of user {self.user_id} (last event {self.last_event_id})"


class Event(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    type = models.CharField(max_length=40)
    data = models.JSONField()
    previous_id = models.BigIntegerField(
        default=0, help_text="The recipient's event before this one (0: none)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "id"], name="core_event_user_id")]

    def __str__(self) -> str:
        return f"event {self.pk} {self.type} for user {self.user_id}"

    def frame(self) -> dict:
        """The JSON frame sent to clients (socket and ``GET /api/v1/events``)."""
        return {"id": self.pk, "type": self.type, "data": self.data}
