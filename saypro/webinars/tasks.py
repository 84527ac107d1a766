"""Background work of webinars: reminders, series top-ups, and the survey after attending."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from saypro.surveys import services as surveys
from saypro.surveys.models import Trigger
from saypro.webinars.models import Registration


@db_task()
def attendance_marked(registration_id: int) -> None:
    """The ``webinar_attended`` survey about the session, if one asks (after the commit)."""
    registration = Registration.objects.select_related("user", "session").get(pk=registration_id)
    if registration.attended:
        surveys.invite(
            trigger=Trigger.WEBINAR_ATTENDED,
            user=registration.user,
            subject=registration.session,
            now=registration.attendance_marked_at,
        )


@db_periodic_task(crontab(minute="*/5"))
def send_webinar_reminders() -> int:
    """Every 5 minutes: the 24-hour and 1-hour reminders that are due (each sent once)."""
    from saypro.webinars import services

    return services.send_reminders()


@db_periodic_task(crontab(minute="40", hour="3"))
def extend_webinar_series() -> int:
    """03:40 UTC daily: keep every monthly series scheduled its months ahead."""
    from saypro.webinars import services

    return services.extend_all_series()
