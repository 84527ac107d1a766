from datetime import timedelta

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.surveys.models import Audience, Invitation, Kind, Response, Survey, Trigger


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Survey {n}")
    question = "How satisfied are you with the store's answers?"
    kind = Kind.RATING_5
    comment_prompt = "What could the store do better?"
    trigger = Trigger.CONVERSATION_CLOSED
    audience = Audience.BUYERS
    sample_percent = 100
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=400))


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation about the survey itself as the subject (any model does)."""

    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    user = factory.SubFactory(UserFactory)
    subject_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Survey))
    subject_id = factory.SelfAttribute("survey.pk")
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(days=14))


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    invitation = factory.SubFactory(
        InvitationFactory, answered_at=factory.SelfAttribute("..created_at")
    )
    survey = factory.SelfAttribute("invitation.survey")
    score = 4
    created_at = factory.LazyFunction(timezone.now)
