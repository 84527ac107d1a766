"""Background work for reviews. Tasks call a service and are safe to retry."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from saypro.reviews import services


@db_periodic_task(crontab(minute="*/10"))
def flag_response_deadlines() -> dict[str, int]:
    """Every 10 minutes: flag reviews with 12 hours or less left to answer, and overdue ones."""
    return services.flag_response_deadlines()
