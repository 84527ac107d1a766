"""Background work for notifications. Tasks load rows by id, call a service, and are safe
to retry: an email row is claimed before sending, so a retry never sends it twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from saypro.notifications.models import DigestFrequency

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


@db_periodic_task(crontab(minute="0", hour="6"))
def send_daily_digests() -> int:
    """06:00 UTC every day: the digest of people who chose a daily one."""
    from saypro.notifications import services

    return services.send_digests(frequency=DigestFrequency.DAILY)


@db_periodic_task(crontab(minute="0", hour="6", day_of_week="1"))
def send_weekly_digests() -> int:
    """06:00 UTC on Mondays: the digest of people who chose a weekly one."""
    from saypro.notifications import services

    return services.send_digests(frequency=DigestFrequency.WEEKLY)
