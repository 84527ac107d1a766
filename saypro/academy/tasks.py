"""Background work of the Academy: what follows a completed course, after its commit."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from saypro.academy.models import Enrolment
from saypro.rewards import services as rewards
from saypro.surveys import services as surveys
from saypro.surveys.models import Trigger


@db_task()
def course_completed(enrolment_id: int) -> None:
    """The learner's badges (Academy Graduate), then the course survey if one asks them."""
    enrolment = Enrolment.objects.select_related("user", "course").get(pk=enrolment_id)
    rewards.evaluate_badges(user_ids=[enrolment.user_id])
    surveys.invite(
        trigger=Trigger.COURSE_COMPLETED,
        user=enrolment.user,
        subject=enrolment,
        now=enrolment.completed_at,
    )


@db_periodic_task(crontab(minute="15", hour="9"))
def remind_idle_learners() -> int:
    """09:15 UTC daily: a reminder for each learner idle in an unfinished course for a week."""
    from saypro.academy import services

    return services.remind_idle_learners()
