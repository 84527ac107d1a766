"""Background work for notifications. Tasks load rows by id, call a service, and are safe
to retry: an email row is claimed before sending, so a retry never sends it twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

EMAIL_RETRIES = 3
EMAIL_RETRY_DELAY_SECONDS = 60


@db_task(retries=EMAIL_RETRIES, retry_delay=EMAIL_RETRY_DELAY_SECONDS)
def send_email(delivery_id: int) -> str | None:
    """Send one notification or digest email; a failure is recorded, then retried."""
    from saypro.notifications import services

    return services.deliver_email(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="*/5"))
def send_due_emails() -> int:
    """Every 5 minutes: emails whose quiet hours ended, and retries a worker lost."""
    from saypro.notifications import services

    return services.send_due_emails()


@db_periodic_task(crontab(minute="2"))
def send_digests() -> int:
    """Hourly: the digests of people whose local 06:00 (daily, or Monday for weekly) passed."""
    from saypro.notifications import services

    return services.send_digests()
