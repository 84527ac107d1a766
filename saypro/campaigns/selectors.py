"""Reads: segments and their audiences, campaigns for the office, results, the member's banner.

Office reads take the acting person and return nothing to anyone who is not
office staff (the views answer 403 before that). Counts are computed from
``CampaignMember`` rows; the lift from the members' messages, never stored.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from saypro.accounts.models import User
from saypro.campaigns import lift as lift_module
from saypro.campaigns import segments
from saypro.campaigns.models import LIFT_WINDOW, Campaign, CampaignMember, Segment, Variant
from saypro.messaging.models import Message
from saypro.notifications.models import Notification

BANNER_SHOWN_FOR = timedelta(days=14)


def audience(rules: dict, *, now: datetime) -> QuerySet[User]:
    """Active people matching every rule (already cleaned), as of ``now``."""
    return segments.narrow(User.objects.filter(is_active=True), rules, now).order_by("pk")


def audience_count(rules: dict, *, now: datetime) -> int:
    return audience(rules, now=now).count()


def segments_for(user: User) -> QuerySet[Segment]:
    if not user.is_office_staff:
        return Segment.objects.none()
    return (
        Segment.objects.select_related("created_by")
        .annotate(campaign_count=Count("campaigns"))
        .order_by("name", "pk")
    )


def segment_for(user: User, pk: int) -> Segment | None:
    return segments_for(user).filter(pk=pk).first()


def campaigns_for(user: User, *, status: str | None = None) -> QuerySet[Campaign]:
    if not user.is_office_staff:
        return Campaign.objects.none()
    rows = (
        Campaign.objects.select_related("segment", "created_by")
        .prefetch_related(Prefetch("variants", queryset=Variant.objects.order_by("label")))
        .annotate(
            member_count=Count("members"),
            delivered_count=Count("members", filter=Q(members__delivered_at__isnull=False)),
            clicked_count=Count("members", filter=Q(members__clicked_at__isnull=False)),
        )
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def campaign_for(user: User, pk: int) -> Campaign | None:
    return campaigns_for(user).filter(pk=pk).first()


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCounts:
    group: str
    label: str
    members: int
    delivered: int
    opened: int
    clicked: int

    def rate(self, count: int) -> float | None:
        return count / self.delivered if self.delivered else None

    @property
    def open_rate(self) -> float | None:
        return self.rate(self.opened)

    @property
    def click_rate(self) -> float | None:
        return self.rate(self.clicked)


def _notification_opens(campaign: Campaign) -> QuerySet:
    """Recipients who read the campaign's notification (the notification channel's "opened")."""
    return Notification.objects.filter(
        subject_type=ContentType.objects.get_for_model(Campaign),
        subject_id=campaign.pk,
        read_at__isnull=False,
    ).values("recipient_id")


def group_counts(campaign: Campaign) -> list[GroupCounts]:
    """Members, delivered, opened and clicked per group (variants first, then the holdout).

    Opened: the banner was shown, the email's pixel loaded, or the
    notification read; a click counts as an open too (images can be blocked).
    """
    delivered = Q(delivered_at__isnull=False)
    opened = Q(opened_at__isnull=False) | Q(clicked_at__isnull=False)
    if campaign.channel == Campaign.Channel.NOTIFICATION:
        opened |= Q(user_id__in=_notification_opens(campaign))
    rows = (
        CampaignMember.objects.filter(campaign=campaign)
        .values("group")
        .annotate(
            member_count=Count("pk"),
            delivered_count=Count("pk", filter=delivered),
            opened_count=Count("pk", filter=opened & delivered),
            clicked_count=Count("pk", filter=Q(clicked_at__isnull=False)),
        )
        .order_by()
    )
    found = {row["group"]: row for row in rows}
    labels = list(campaign.variants.values_list("label", flat=True))
    result = []
    for group in [*labels, CampaignMember.Group.HOLDOUT]:
        row = found.get(group, {})
        result.append(
            GroupCounts(
                group=group,
                label=CampaignMember.Group(group).label,
                members=row.get("member_count", 0),
                delivered=row.get("delivered_count", 0),
                opened=row.get("opened_count", 0),
                clicked=row.get("clicked_count", 0),
            )
        )
    return result


def messages_after_send(campaign: Campaign, *, now: datetime) -> dict[str, list[int]]:
    """``{group: [messages sent by each member]}`` from sending to 14 days later (or ``now``)."""
    if campaign.sent_at is None:
        return {}
    end = min(campaign.sent_at + LIFT_WINDOW, now)
    members = list(campaign.members.values_list("user_id", "group"))
    sent = dict(
        Message.objects.filter(
            sender_id__in=[user_id for user_id, _ in members],
            created_at__gte=campaign.sent_at,
            created_at__lt=end,
        )
        .values("sender_id")
        .annotate(total=Count("pk"))
        .values_list("sender_id", "total")
    )
    by_group: dict[str, list[int]] = {}
    for user_id, group in members:
        by_group.setdefault(group, []).append(sent.get(user_id, 0))
    return by_group


@dataclass(frozen=True)
class Results:
    groups: list[GroupCounts]
    lift: lift_module.Lift | None
    variant_lifts: list[tuple[str, lift_module.Lift]]
    is_final: bool
    final_on: datetime | None


def results(campaign: Campaign, *, now: datetime) -> Results:
    """What the results page shows; the lift is measured until 14 days after sending."""
    groups = group_counts(campaign)
    if campaign.sent_at is None:
        return Results(groups, None, [], is_final=False, final_on=None)
    counts = messages_after_send(campaign, now=now)
    holdout = counts.get(CampaignMember.Group.HOLDOUT, [])
    variants = [group.group for group in groups if group.group != CampaignMember.Group.HOLDOUT]
    treated = [value for label in variants for value in counts.get(label, [])]
    variant_lifts = (
        [
            (f"Variant {label}", lift_module.measure(counts.get(label, []), holdout))
            for label in variants
        ]
        if len(variants) > 1
        else []
    )
    return Results(
        groups=groups,
        lift=lift_module.measure(treated, holdout),
        variant_lifts=variant_lifts,
        is_final=now >= campaign.measured_until,
        final_on=campaign.measured_until,
    )


# --- The member's banner ---------------------------------------------------------------------


def banner_for(user: User, *, now: datetime) -> CampaignMember | None:
    """The newest in-app banner the person was sent and has neither dismissed nor clicked."""
    if not user.is_authenticated:
        return None
    return (
        CampaignMember.objects.filter(
            user=user,
            campaign__channel=Campaign.Channel.BANNER,
            campaign__status=Campaign.Status.SENT,
            campaign__sent_at__gte=now - BANNER_SHOWN_FOR,
            delivered_at__isnull=False,
            dismissed_at__isnull=True,
            clicked_at__isnull=True,
        )
        .exclude(group=CampaignMember.Group.HOLDOUT)
        .select_related("campaign")
        .order_by("-campaign__sent_at", "-pk")
        .first()
    )


def variant_of(member: CampaignMember) -> Variant | None:
    return Variant.objects.filter(campaign_id=member.campaign_id, label=member.group).first()


def member_by_id(member_id: int) -> CampaignMember | None:
    """A member by id, with their campaign (tracking links: the signed token is the permission)."""
    return CampaignMember.objects.select_related("campaign").filter(pk=member_id).first()


def pending_email_members(campaign: Campaign) -> QuerySet[CampaignMember]:
    """Treated members of an email campaign whose email has not gone out yet."""
    return (
        campaign.members.exclude(group=CampaignMember.Group.HOLDOUT)
        .filter(delivered_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )


EMAIL_CATCH_UP = timedelta(days=1)  # quiet hours never last longer


def recent_email_campaign_ids(*, now: datetime) -> list[int]:
    """Email campaigns sent in the last day that still have members not mailed."""
    return list(
        Campaign.objects.filter(
            channel=Campaign.Channel.EMAIL,
            status=Campaign.Status.SENT,
            sent_at__gte=now - EMAIL_CATCH_UP,
            members__delivered_at__isnull=True,
            members__group__in=[CampaignMember.Group.A, CampaignMember.Group.B],
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def due_campaign_ids(*, now: datetime) -> list[int]:
    return list(
        Campaign.objects.filter(status=Campaign.Status.SCHEDULED, send_at__lte=now)
        .order_by("send_at", "pk")
        .values_list("pk", flat=True)
    )
