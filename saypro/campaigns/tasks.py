"""Background work for campaigns. Tasks load by id, call a service, and are safe to retry:
a campaign is claimed before it is sent and each email member before it is mailed."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

EMAIL_RETRIES = 3
EMAIL_RETRY_DELAY_SECONDS = 60


@db_periodic_task(crontab(minute="*"))
def send_due_campaigns() -> int:
    """Every minute: send the scheduled campaigns whose time has come."""
    from saypro.campaigns import services

    return services.send_due_campaigns()


@db_task(retries=EMAIL_RETRIES, retry_delay=EMAIL_RETRY_DELAY_SECONDS)
def send_campaign_emails(campaign_id: int) -> int:
    """Email an email campaign's treated members; a failure is retried for the rest."""
    from saypro.campaigns import services

    return services.send_campaign_emails(campaign_id=campaign_id)
