from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.catalog.tests.factories import MembershipFactory
from saypro.surveys.models import Audience, Invitation, Trigger
from saypro.surveys.tests.factories import SurveyFactory
from saypro.webinars import tasks
from saypro.webinars.models import Registration
from saypro.webinars.tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_the_reminder_task_sends_what_is_due_once():
    session = SessionFactory(starts_at=timezone.now() + timedelta(minutes=30))
    RegistrationFactory(session=session, user=MembershipFactory().user)
    assert tasks.send_webinar_reminders.call_local() == 1
    assert tasks.send_webinar_reminders.call_local() == 0
    assert Registration.objects.get().reminded_hour_at is not None


def test_the_survey_task_asks_only_people_still_marked_present():
    SurveyFactory(trigger=Trigger.WEBINAR_ATTENDED, audience=Audience.SELLERS)
    session = SessionFactory(starts_at=timezone.now() - timedelta(hours=1))
    present = RegistrationFactory(
        session=session,
        user=MembershipFactory().user,
        attended=True,
        attendance_marked_at=timezone.now(),
    )
    unmarked = RegistrationFactory(session=session, user=MembershipFactory().user, attended=False)
    tasks.attendance_marked.call_local(present.pk)
    tasks.attendance_marked.call_local(unmarked.pk)
    assert list(Invitation.objects.values_list("user_id", flat=True)) == [present.user_id]
