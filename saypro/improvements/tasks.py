"""Background work for improvement plans. Tasks call a service and are safe to retry."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from saypro.improvements import services


@db_periodic_task(crontab(minute="15", hour="3"))
def measure_shipped_plans() -> dict[str, int]:
    """Daily at 03:15 UTC: measure shipped plans that now have enough reviews before and after."""
    return services.measure_shipped_plans()
