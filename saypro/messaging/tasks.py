"""Background work for messaging. Tasks call a service and are safe to retry."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from saypro.messaging import services


@db_periodic_task(crontab(minute="17"))
def discard_stale_uploads() -> int:
    """Hourly: delete attachments uploaded more than a day ago and never sent."""
    return services.discard_stale_uploads()
