"""Campaign writes: validation, permissions, sending on each channel, idempotency, tracking."""

from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.campaigns import assignment, selectors, services, tasks
from saypro.campaigns.models import Campaign, CampaignMember, Segment, Variant
from saypro.campaigns.services import CampaignInput, VariantInput
from saypro.campaigns.tests.factories import CampaignFactory, SegmentFactory, VariantFactory
from saypro.campaigns.tokens import make_tracking_token, read_tracking_token
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.notifications.models import (
    Notification,
    NotificationSettings,
    NotificationType,
    Preference,
)

NOW = timezone.now()
MESSAGE = VariantInput("Answer faster", "Buyers *love* quick answers.", "Open inbox", "/messages/")


def campaign_input(segment, **changes) -> CampaignInput:
    values = {
        "name": "Spring push",
        "segment": segment,
        "channel": Campaign.Channel.BANNER,
        "holdout_percent": 10,
        "variants": [MESSAGE],
    }
    values.update(changes)
    return CampaignInput(**values)


@pytest.fixture
def segment(staff):
    return SegmentFactory(created_by=staff)


@pytest.fixture
def people(db):
    return UserFactory.create_batch(40)


def sent_campaign(staff, segment, *, channel=Campaign.Channel.BANNER, holdout=25, variants=None):
    campaign = services.create_campaign(
        staff=staff,
        data=campaign_input(
            segment, channel=channel, holdout_percent=holdout, variants=variants or [MESSAGE]
        ),
        now=NOW,
    )
    return services.send_campaign_now(staff=staff, campaign=campaign, now=NOW)


# --- Segments and campaigns: validation and permissions -----------------------------------------


def test_office_staff_create_a_segment_with_cleaned_rules(staff):
    segment = services.create_segment(
        staff=staff, name="  Sellers  ", rules={"role": {"role": "seller"}, "activity": {}}
    )
    assert (segment.name, segment.rules) == ("Sellers", {"role": {"role": "seller"}})


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_only_office_staff_write(request, who, segment):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.create_segment(staff=person, name="Mine", rules={})
    with pytest.raises(PermissionDenied):
        services.create_campaign(staff=person, data=campaign_input(segment))
    assert Segment.objects.count() == 1 and Campaign.objects.count() == 0


def test_a_draft_keeps_its_variants(staff, segment):
    b = VariantInput("Be quick", "Answer **today**.", "Go", "/seller/", weight=40)
    campaign = services.create_campaign(
        staff=staff,
        data=campaign_input(
            segment,
            variants=[VariantInput("Answer faster", "Body", "Open", "/messages/", weight=60), b],
        ),
    )
    assert list(campaign.variants.values_list("label", "weight", "cta_path")) == [
        ("A", 60, "/messages/"),
        ("B", 40, "/seller/"),
    ]
    assert campaign.status == Campaign.Status.DRAFT


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"holdout_percent": 51}, "holdout_percent"),
        ({"channel": "sms"}, "channel"),
        ({"name": "  "}, "name"),
        ({"variants": []}, "variants"),
        ({"variants": [VariantInput("T", "B", "Go", "https://evil.example/")]}, "a_cta_path"),
        ({"variants": [VariantInput("T", "B", "Go", "//evil.example/")]}, "a_cta_path"),
        ({"variants": [VariantInput("T", "B", "Go", "javascript:alert(1)")]}, "a_cta_path"),
        ({"variants": [VariantInput("", "B", "Go", "/")]}, "a_title"),
        (
            {
                "variants": [
                    VariantInput("T", "B", "Go", "/", weight=70),
                    VariantInput("U", "C", "Go", "/", weight=20),
                ]
            },
            "a_weight",
        ),
    ],
)
def test_bad_campaigns_are_refused_and_nothing_is_written(staff, segment, changes, field):
    with pytest.raises(ValidationFailed) as error:
        services.create_campaign(staff=staff, data=campaign_input(segment, **changes))
    assert error.value.details["field"] == field
    assert Campaign.objects.count() == 0 and Variant.objects.count() == 0


def test_schedule_in_the_future_then_cancel(staff, segment):
    campaign = services.create_campaign(staff=staff, data=campaign_input(segment))
    with pytest.raises(ValidationFailed):
        services.schedule_campaign(
            staff=staff, campaign=campaign, send_at=NOW - timedelta(minutes=1), now=NOW
        )
    services.schedule_campaign(
        staff=staff, campaign=campaign, send_at=NOW + timedelta(hours=1), now=NOW
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    services.cancel_campaign(staff=staff, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    with pytest.raises(Conflict):
        services.send_campaign_now(staff=staff, campaign=campaign)
    assert CampaignMember.objects.count() == 0


# --- Assignment ------------------------------------------------------------------------------


def test_assignment_is_deterministic_and_close_to_the_shares():
    def groups():
        return [
            assignment.group_of(7, user_id, holdout_percent=10, variant_weights={"A": 70, "B": 30})
            for user_id in range(1, 20_001)
        ]

    first = groups()
    assert first == groups()
    shares = {group: count / 20_000 for group, count in Counter(first).items()}
    assert shares["holdout"] == pytest.approx(0.10, abs=0.01)
    assert shares["A"] == pytest.approx(0.63, abs=0.015)
    assert shares["B"] == pytest.approx(0.27, abs=0.015)
    # Another campaign shuffles people differently.
    other = [
        assignment.group_of(8, user_id, holdout_percent=10, variant_weights={"A": 70, "B": 30})
        for user_id in range(1, 20_001)
    ]
    assert other != first


def test_no_holdout_means_everyone_is_treated():
    assert {
        assignment.group_of(3, user_id, holdout_percent=0, variant_weights={"A": 100})
        for user_id in range(1, 2000)
    } == {"A"}


# --- Sending ---------------------------------------------------------------------------------


def test_sending_freezes_the_audience_once(staff, segment, people):
    campaign = sent_campaign(staff, segment)
    members = list(campaign.members.values_list("user_id", "group"))
    assert len(members) == 41  # the 40 people and the office person
    assert {group for _, group in members} == {"A", "holdout"}
    for user_id, group in members:
        assert group == assignment.group_of(
            campaign.pk, user_id, holdout_percent=25, variant_weights={"A": 100}
        )
    UserFactory()  # joins after sending: not in the frozen audience
    assert services.send_due_campaigns(now=NOW + timedelta(days=1)) == 0
    with pytest.raises(Conflict):
        services.send_campaign_now(staff=staff, campaign=campaign)
    assert campaign.members.count() == 41
    campaign.refresh_from_db()
    assert (campaign.status, campaign.sent_at) == (Campaign.Status.SENT, NOW)


def test_the_periodic_task_sends_due_campaigns_only(staff, segment, people):
    due = services.create_campaign(staff=staff, data=campaign_input(segment))
    later = services.create_campaign(staff=staff, data=campaign_input(segment))
    services.schedule_campaign(
        staff=staff, campaign=due, send_at=NOW + timedelta(minutes=5), now=NOW
    )
    services.schedule_campaign(
        staff=staff, campaign=later, send_at=NOW + timedelta(days=1), now=NOW
    )
    assert services.send_due_campaigns(now=NOW + timedelta(minutes=6)) == 1
    assert services.send_due_campaigns(now=NOW + timedelta(minutes=7)) == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (Campaign.Status.SENT, Campaign.Status.SCHEDULED)
    assert later.members.count() == 0


def test_banner_delivered_to_the_treated_shown_then_clicked(staff, segment, people):
    campaign = sent_campaign(staff, segment)
    treated = campaign.members.exclude(group="holdout")
    holdout = campaign.members.filter(group="holdout")
    assert treated.filter(delivered_at=NOW).count() == treated.count()
    assert holdout.filter(delivered_at__isnull=True).count() == holdout.count()

    member = treated.select_related("user").first()
    assert selectors.banner_for(member.user, now=NOW) == member
    assert selectors.banner_for(holdout.first().user, now=NOW) is None
    assert services.record_open(member_id=member.pk) is True
    assert services.record_open(member_id=member.pk) is False
    assert services.record_click(member_id=member.pk) == "/messages/"
    member.refresh_from_db()
    first_click = member.clicked_at
    services.record_click(member_id=member.pk)
    member.refresh_from_db()
    assert member.clicked_at == first_click
    assert selectors.banner_for(member.user, now=NOW) is None  # clicked: gone
    a_counts = selectors.group_counts(campaign)[0]
    assert (a_counts.delivered, a_counts.opened, a_counts.clicked) == (treated.count(), 1, 1)


def test_a_dismissed_banner_stays_hidden_and_only_its_owner_dismisses_it(staff, segment, people):
    campaign = sent_campaign(staff, segment)
    member = (
        campaign.members.exclude(group="holdout").exclude(user=staff).select_related("user").first()
    )
    with pytest.raises(NotFound):
        services.dismiss_banner(user=staff, member_id=member.pk)
    services.dismiss_banner(user=member.user, member_id=member.pk)
    assert selectors.banner_for(member.user, now=NOW) is None


def test_holdout_members_have_no_click_to_count(staff, segment, people):
    campaign = sent_campaign(staff, segment)
    member = campaign.members.filter(group="holdout").first()
    with pytest.raises(NotFound):
        services.record_click(member_id=member.pk)
    member.refresh_from_db()
    assert member.clicked_at is None


def test_notification_channel_respects_preferences(staff, segment, people):
    quiet = people[0]
    Preference.objects.create(user=quiet, type=NotificationType.CAMPAIGN_MESSAGE, channel="off")
    campaign = sent_campaign(staff, segment, channel=Campaign.Channel.NOTIFICATION, holdout=0)
    notifications = Notification.objects.filter(type=NotificationType.CAMPAIGN_MESSAGE)
    assert notifications.count() == 40
    assert not notifications.filter(recipient=quiet).exists()
    member = campaign.members.get(user=people[1])
    notification = notifications.get(recipient=people[1])
    assert notification.text == "Answer faster"
    assert notification.link == services.click_path(member)
    assert read_tracking_token(notification.link.split("/")[2]) == member.pk
    assert campaign.members.filter(delivered_at__isnull=False).count() == 40
    assert campaign.members.get(user=quiet).delivered_at is None
    notification.read_at = NOW
    notification.save()
    assert selectors.group_counts(campaign)[0].opened == 1


def test_email_channel_mails_people_who_take_campaign_emails_once(
    staff, segment, people, django_capture_on_commit_callbacks
):
    in_app_only = people[0]
    Preference.objects.create(
        user=in_app_only, type=NotificationType.CAMPAIGN_MESSAGE, channel="in_app"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        campaign = sent_campaign(staff, segment, channel=Campaign.Channel.EMAIL, holdout=0)
    assert len(mail.outbox) == 40  # immediate mode: the task ran after commit
    assert in_app_only.email not in {message.to[0] for message in mail.outbox}
    message = mail.outbox[0]
    assert message.subject == "Answer faster"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    html = message.alternatives[0][0]
    assert "<em>love</em>" in html and "/c/" in html and "open.gif" in html
    # True whether the person takes campaign messages by email or in the digest.
    reason = "“Marketplace news and campaigns” reaches you by email."
    assert reason in html and reason.replace("“", '"').replace("”", '"') in message.body
    assert services.send_campaign_emails(campaign_id=campaign.pk) == 0  # a retry sends none twice
    assert len(mail.outbox) == 40
    assert campaign.members.filter(delivered_at__isnull=False).count() == 40


def test_email_open_pixel_counts_once(staff, segment, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        campaign = sent_campaign(staff, segment, channel=Campaign.Channel.EMAIL, holdout=0)
    member = campaign.members.first()
    assert services.record_open(member_id=member.pk) is True
    assert services.record_open(member_id=member.pk) is False


def test_tokens_are_signed():
    token = make_tracking_token(12)
    assert read_tracking_token(token) == 12
    assert read_tracking_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert read_tracking_token("12") is None


def test_a_variant_split_sends_each_member_their_own_message(staff, segment, people):
    b = VariantInput("Try quick replies", "Save time.", "Quick replies", "/seller/", weight=50)
    a = VariantInput("Answer faster", "Be quick.", "Open inbox", "/messages/", weight=50)
    campaign = sent_campaign(staff, segment, variants=[a, b], holdout=10)
    paths = {
        member.group: services.record_click(member_id=member.pk)
        for member in campaign.members.exclude(group="holdout")
    }
    assert paths == {"A": "/messages/", "B": "/seller/"}


def test_editing_a_sent_campaign_is_refused(staff, segment, people):
    campaign = sent_campaign(staff, segment)
    with pytest.raises(Conflict):
        services.update_campaign(staff=staff, campaign=campaign, data=campaign_input(segment))
    assert campaign.variants.get().title == "Answer faster"


def test_factories_build_a_sendable_campaign(staff):
    campaign = CampaignFactory(segment__created_by=staff)
    VariantFactory(campaign=campaign)
    sent = services.send_campaign_now(staff=staff, campaign=campaign, now=NOW)
    assert sent.status == Campaign.Status.SENT


def test_the_minute_task_sends_what_is_due(staff, segment, people):
    campaign = services.create_campaign(staff=staff, data=campaign_input(segment))
    services.schedule_campaign(
        staff=staff, campaign=campaign, send_at=timezone.now() + timedelta(seconds=1)
    )
    Campaign.objects.filter(pk=campaign.pk).update(send_at=timezone.now() - timedelta(seconds=1))
    assert tasks.send_due_campaigns.call_local() == 1
    assert tasks.send_due_campaigns.call_local() == 0
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_campaign_emails_wait_for_the_end_of_quiet_hours(staff, segment, people):
    sleeper = people[0]
    NotificationSettings.objects.create(
        user=sleeper,
        time_zone="UTC",
        quiet_hours_start=time(22, 0),
        quiet_hours_end=time(7, 0),
    )
    night = datetime(2026, 6, 1, 23, 0, tzinfo=UTC)
    mail.outbox.clear()
    campaign = services.create_campaign(
        staff=staff,
        data=campaign_input(segment, channel=Campaign.Channel.EMAIL, holdout_percent=0),
    )
    services.deliver_campaign(campaign_id=campaign.pk, from_statuses=["draft"], now=night)
    assert services.send_campaign_emails(campaign_id=campaign.pk, now=night) == 40
    assert len(mail.outbox) == 40 and sleeper.email not in {m.to[0] for m in mail.outbox}
    services.send_due_campaigns(now=night + timedelta(hours=2))  # still night: nothing
    assert len(mail.outbox) == 40
    services.send_due_campaigns(now=night + timedelta(hours=8, minutes=1))
    assert len(mail.outbox) == 41 and mail.outbox[-1].to == [sleeper.email]
    services.send_due_campaigns(now=night + timedelta(hours=8, minutes=2))
    assert len(mail.outbox) == 41
