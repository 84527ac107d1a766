"""Campaign pages found in browser QA: results before there are any, a lift without an
interval, and a stale form posted to a campaign that is already final."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.campaigns import lift
from saypro.campaigns.models import Campaign, Variant
from saypro.campaigns.tests.factories import (
    CampaignFactory,
    MemberFactory,
    SegmentFactory,
    VariantFactory,
)
from saypro.messaging.tests.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(staff):
    campaign = CampaignFactory(segment=SegmentFactory(created_by=staff), name="Answer faster week")
    VariantFactory(campaign=campaign)
    return campaign


def detail_url(campaign) -> str:
    return reverse("office_campaigns:detail", args=[campaign.pk])


# --- Results before there are any -----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "send_at", "says"),
    [
        ("draft", None, "No results yet: send or schedule the campaign"),
        ("scheduled", timedelta(days=2), "No results yet: they start when it is sent on"),
        ("cancelled", None, "No results: the campaign was cancelled before it was sent"),
    ],
)
def test_a_campaign_not_sent_says_it_has_no_results(client, staff, campaign, status, send_at, says):
    campaign.status = status
    campaign.send_at = timezone.now() + send_at if send_at else None
    campaign.save()
    client.force_login(staff)
    response = client.get(detail_url(campaign))
    assert response.status_code == 200
    assert says in response.content.decode()
    assert response.context["rows"] == [] and response.context["chart"] is None


def test_a_campaign_sent_to_nobody_has_a_results_page_without_numbers(client, staff, campaign):
    campaign.status, campaign.sent_at = Campaign.Status.SENT, timezone.now()
    campaign.save()
    client.force_login(staff)
    response = client.get(detail_url(campaign))
    assert response.status_code == 200
    assert "Not enough members on each side yet to measure a lift." in response.content.decode()
    assert response.context["chart"] is None
    assert response.context["rows"][0]["treated"] == "–"


# --- A lift without an interval -------------------------------------------------------------


def test_no_spread_is_not_called_too_few_members():
    """Right after sending nobody has written yet: many members, all zeros, no interval."""
    result = lift.measure([0] * 30, [0] * 10)
    assert result.ci_low is None
    assert lift.summary(result) == (
        "No interval yet: every member on each side sent the same number of messages "
        "so far, so the lift cannot be judged."
    )


def test_a_row_without_an_interval_shows_no_test_result():
    row = lift.table_row("All treated members", lift.measure([3], [1]))
    assert row == {
        "name": "All treated members",
        "treated": "3.00 (1 member)",
        "holdout": "1.00 (1 member)",
        "difference": "+2.00",
        "interval": "–",
        "relative": "+200 %",
        "p": "–",
        "significant": "–",
    }


def test_the_page_shows_no_relative_lift_without_an_interval(client, staff, campaign):
    """Two members a side who each sent 2 and 1 messages: no spread, so no verdict at all."""
    sent_at = timezone.now() - timedelta(days=20)
    campaign.status, campaign.sent_at = Campaign.Status.SENT, sent_at
    campaign.save()
    for group in ("A", "A", "holdout", "holdout"):
        person = UserFactory()
        MemberFactory(campaign=campaign, user=person, group=group, delivered_at=sent_at)
        conversation = ConversationFactory(buyer=person)
        for day in range(2 if group == "A" else 1):
            MessageFactory(conversation=conversation, created_at=sent_at + timedelta(days=day + 1))
    client.force_login(staff)
    response = client.get(detail_url(campaign))
    assert response.context["results"].lift.relative == 1.0  # measured, but not judged
    page = response.content.decode()
    assert "No interval yet" in page
    assert "Relative lift:" not in page


# --- A stale form posted to a final campaign ------------------------------------------------


def test_a_stale_edit_of_a_sent_campaign_is_a_409_and_changes_nothing(client, staff, campaign):
    campaign.status, campaign.sent_at = Campaign.Status.SENT, timezone.now()
    campaign.save()
    client.force_login(staff)
    response = client.post(
        reverse("office_campaigns:edit", args=[campaign.pk]),
        {
            "name": "Renamed after sending",
            "segment": campaign.segment_id,
            "channel": "email",
            "holdout_percent": "10",
            "a_title": "New title",
            "a_body": "New body",
            "a_cta_label": "Go",
            "a_cta_path": "/seller/",
            "action": "save",
        },
    )
    assert response.status_code == 409
    assert "This campaign was sent or cancelled; it can no longer change." in (
        response.content.decode()
    )
    campaign.refresh_from_db()
    assert (campaign.name, campaign.channel) == ("Answer faster week", "in_app_banner")
    assert list(Variant.objects.values_list("title", flat=True)) == ["Answer faster this week"]


def test_scheduling_a_sent_campaign_is_a_409_that_says_why(client, staff, campaign):
    sent_at = timezone.now() - timedelta(days=1)
    campaign.status, campaign.sent_at = Campaign.Status.SENT, sent_at
    campaign.save()
    client.force_login(staff)
    response = client.post(
        reverse("office_campaigns:schedule", args=[campaign.pk]), {"send_at": "2031-01-01T09:00"}
    )
    assert response.status_code == 409
    assert "This campaign is sent; it is final." in response.content.decode()
    campaign.refresh_from_db()
    assert (campaign.status, campaign.send_at, campaign.sent_at) == ("sent", None, sent_at)


# --- The preview for screen-reader users ----------------------------------------------------


def test_the_preview_reads_out_the_button_label(client, staff, campaign):
    client.force_login(staff)
    page = client.get(detail_url(campaign)).content.decode()
    assert 'aria-hidden="true">Open your inbox' not in page
    assert '<span class="visually-hidden">Button: </span>Open your inbox</span>' in page
