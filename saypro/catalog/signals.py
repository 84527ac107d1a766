"""Signals the catalog sends for writes that Django's model signals do not see."""

from django.dispatch import Signal

# Sent with ``user_ids`` after store memberships were created in bulk (``bulk_create`` sends
# no ``post_save``), in the writer's transaction.
memberships_created = Signal()
