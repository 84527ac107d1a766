"""Consultation test data: a topic, an expert who takes it, and slots at given times."""

from datetime import datetime, timedelta

from saypro.accounts.tests.factories import StaffFactory
from saypro.consultations.models import Expert, Slot, Topic


def make_topic(*, slug: str = "insights-walkthrough", minutes: int = 45) -> Topic:
    return Topic.objects.create(
        slug=slug,
        title="Walk through your Insights",
        description="Go through your Insights page together.",
        duration_minutes=minutes,
        articles=[{"slug": "seller-insights-page", "title": "Your Insights page"}],
    )


def make_expert(*, topics=(), user=None, time_zone: str = "Africa/Johannesburg") -> Expert:
    user = user or StaffFactory(first_name="Annelie", last_name="Botha")
    expert = Expert.objects.create(
        user=user,
        bio="Seller success coach.",
        time_zone=time_zone,
        meeting_link="https://meet.example/annelie",
    )
    expert.topics.set(topics)
    return expert


def make_slot(expert: Expert, starts_at: datetime, *, minutes: int = 60) -> Slot:
    return Slot.objects.create(
        expert=expert,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        created_at=starts_at - timedelta(days=30),
    )
