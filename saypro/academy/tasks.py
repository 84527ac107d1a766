"""Background work of the Academy: what follows a completed course, after its commit."""

from huey.contrib.djhuey import db_task

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
