"""Background work for insights. Tasks call a service and are safe to retry."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from saypro.insights import services


@db_task(retries=3, retry_delay=30)
def analyze_review(review_id: int) -> int:
    """Analyse one review after the write that published or edited it commits."""
    return services.analyze_reviews([review_id])


@db_periodic_task(crontab(minute="5-59/10"))
def analyze_stale() -> int:
    """Every 10 minutes: catch up on reviews a failed task or a model change left stale."""
    return services.analyze_stale()


@db_periodic_task(crontab(minute="20", hour="*/6"))
def detect_rising_issues() -> int:
    """Four times a day: look for themes and topics rising on each product."""
    return len(services.detect_rising_issues())
