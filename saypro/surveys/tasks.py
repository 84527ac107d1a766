"""Background work for surveys. Tasks load rows by id, call a service, and are safe to retry."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=30)
def analyze_response(response_id: int) -> int:
    """The sentiment of one new comment, after the answer that wrote it commits."""
    from saypro.surveys import services

    return services.analyze_responses([response_id])


@db_periodic_task(crontab(minute="25-59/30"))
def analyze_pending() -> int:
    """Every 30 minutes: comments a failed or lost task left without a sentiment."""
    from saypro.surveys import services

    return services.analyze_responses()


@db_periodic_task(crontab(minute="*/15"))
def invite_after_closed_conversations() -> int:
    """Every 15 minutes: ask buyers of the conversations that closed since the last run."""
    from saypro.surveys import services

    return services.invite_after_closed_conversations()


@db_periodic_task(crontab(minute="40", hour="7"))
def run_periodic_rounds() -> int:
    """07:40 UTC daily: start the rounds of periodic surveys that are due."""
    from saypro.surveys import services

    return services.run_periodic_rounds()
