"""Background work of consultations: reminders, the rolling slot window, the follow-up survey."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from saypro.consultations.models import Booking
from saypro.surveys import services as surveys
from saypro.surveys.models import Trigger


@db_task()
def consultation_held(booking_id: int) -> None:
    """The follow-up survey, once the expert marked the consultation held (after commit)."""
    booking = Booking.objects.select_related("seller", "topic").get(pk=booking_id)
    surveys.invite(
        trigger=Trigger.CONSULTATION_HELD,
        user=booking.seller,
        subject=booking,
        now=booking.closed_at,
    )


@db_periodic_task(crontab(minute="*/5"))
def remind_upcoming() -> int:
    """Every 5 minutes: the reminders 24 hours and 1 hour before (each sent once)."""
    from saypro.consultations import services

    return services.send_reminders()


@db_periodic_task(crontab(minute="30", hour="0"))
def extend_availability() -> int:
    """00:30 UTC daily: weekly availability becomes slots for the coming weeks."""
    from saypro.consultations import services

    return services.extend_all_availability()
