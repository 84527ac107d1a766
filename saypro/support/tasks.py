"""Background work of the support desk."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def auto_close_resolved_tickets() -> int:
    """Every 15 minutes: close the tickets resolved more than SUPPORT_AUTO_CLOSE_DAYS ago."""
    from saypro.support import services

    return services.auto_close_resolved()
