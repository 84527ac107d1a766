"""Background work for messaging. Tasks call a service and are safe to retry."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from saypro.messaging import services


@db_periodic_task(crontab(minute="17"))
def discard_stale_uploads() -> int:
    """Hourly: delete attachments uploaded more than a day ago and never sent."""
    return services.discard_stale_uploads()


@db_periodic_task(crontab(minute="*/10"))
def remind_waiting() -> int:
    """Every 10 minutes: remind stores of buyers whose answer is due within 4 hours."""
    return services.remind_waiting()
