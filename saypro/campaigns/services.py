"""Every write of campaigns: segments, campaigns and their variants, sending, and tracking.

Office staff build segments and campaigns (``PermissionDenied`` for anyone
else). Sending freezes the audience: ``deliver_campaign`` claims the campaign
with a conditional update (scheduled or, for "send now", draft → sending), so
two workers, a retried task and a double click never send it twice; inside
the same transaction it writes one ``CampaignMember`` per person matching the
segment then, with their group (``assignment``), and delivers on the channel:

- in-app banner: delivered at once; shown on every page until dismissed or
  clicked (``context_processors.banner``), "opened" the first time it shows;
- notification: ``notifications.services.notify_many`` with
  ``NotificationType.CAMPAIGN_MESSAGE``, one call per member, as each link is
  the member's own click redirect (their channel preference decides in-app,
  pop-up, email, digest or nothing); delivered when a notification was written;
- email: after commit, ``tasks.send_campaign_emails`` mails each treated
  member whose preference for campaign messages is an email channel (email
  or digest), with the notifications app's one-click unsubscribe link;
  delivered when the email went out, each member claimed before sending.

Tracking (``record_open``, ``record_click``, ``dismiss_banner``) only ever
sets a timestamp that is still empty, so repeats count once.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.models import User
from saypro.campaigns import assignment, banners, emails, segments, selectors, tasks
from saypro.campaigns.models import (
    HOLDOUT_PERCENT_MAX,
    Campaign,
    CampaignMember,
    Segment,
    Variant,
)
from saypro.campaigns.tokens import make_tracking_token
from saypro.core.effects import enqueue_on_commit
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.core.markdown import is_site_path
from saypro.notifications import selectors as notification_selectors
from saypro.notifications import services as notifications
from saypro.notifications.models import EMAIL_CHANNELS, NotificationType

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = 120
TITLE_MAX_LENGTH = 120
BODY_MAX_LENGTH = 5000
CTA_LABEL_MAX_LENGTH = 40
CTA_PATH_MAX_LENGTH = 300


def _require_office(user: User) -> None:
    if not user.is_office_staff:
        raise PermissionDenied("Campaigns are for the marketplace office.")


def _clean_name(name: str, field: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed("Give it a name.", details={"field": field})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationFailed(
            f"Keep the name under {NAME_MAX_LENGTH} characters.", details={"field": field}
        )
    return name


# --- Segments --------------------------------------------------------------------------------


@transaction.atomic
def create_segment(*, staff: User, name: str, rules: dict, now: datetime | None = None) -> Segment:
    """A new segment; ``rules`` are validated (``segments.clean_rules``) and stored cleaned."""
    _require_office(staff)
    now = now or timezone.now()
    return Segment.objects.create(
        name=_clean_name(name),
        rules=segments.clean_rules(rules),
        created_by=staff,
        created_at=now,
        updated_at=now,
    )


@transaction.atomic
def update_segment(
    *, staff: User, segment: Segment, name: str, rules: dict, now: datetime | None = None
) -> Segment:
    """Change a segment. Sent campaigns keep the audience frozen when they were sent."""
    _require_office(staff)
    segment.name = _clean_name(name)
    segment.rules = segments.clean_rules(rules)
    segment.updated_at = now or timezone.now()
    segment.save(update_fields=["name", "rules", "updated_at"])
    return segment


# --- Campaigns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantInput:
    title: str
    body: str
    cta_label: str
    cta_path: str
    weight: int = 100


@dataclass(frozen=True)
class CampaignInput:
    name: str
    segment: Segment
    channel: str
    holdout_percent: int
    variants: list[VariantInput]


def _clean_variants(variants: list[VariantInput]) -> list[VariantInput]:
    if not 1 <= len(variants) <= 2:
        raise ValidationFailed(
            "A campaign has one message, or two for an A/B test.", details={"field": "variants"}
        )
    cleaned = []
    for label, variant in zip("AB", variants, strict=False):
        prefix = label.lower()
        title = " ".join((variant.title or "").split())
        body = (variant.body or "").strip()
        cta_label = " ".join((variant.cta_label or "").split())
        cta_path = (variant.cta_path or "").strip()
        checks = (
            (title, TITLE_MAX_LENGTH, "title", "a title"),
            (body, BODY_MAX_LENGTH, "body", "a message"),
            (cta_label, CTA_LABEL_MAX_LENGTH, "cta_label", "a button label"),
        )
        for value, limit, field, what in checks:
            if not value:
                raise ValidationFailed(
                    f"Variant {label} needs {what}.", details={"field": f"{prefix}_{field}"}
                )
            if len(value) > limit:
                raise ValidationFailed(
                    f"Variant {label}: keep it under {limit} characters.",
                    details={"field": f"{prefix}_{field}"},
                )
        if not is_site_path(cta_path) or len(cta_path) > CTA_PATH_MAX_LENGTH:
            raise ValidationFailed(
                f"Variant {label}: the button leads to a page of this site, e.g. /seller/.",
                details={"field": f"{prefix}_cta_path"},
            )
        weight = 100 if len(variants) == 1 else variant.weight
        if not 1 <= weight <= 99 and len(variants) == 2:
            raise ValidationFailed(
                "Split the A/B test between 1 and 99 % for variant A.",
                details={"field": "a_weight"},
            )
        cleaned.append(VariantInput(title, body, cta_label, cta_path, weight))
    if sum(variant.weight for variant in cleaned) != 100:
        raise ValidationFailed(
            "The variants' shares must add up to 100 %.", details={"field": "a_weight"}
        )
    return cleaned


def _check(data: CampaignInput) -> list[VariantInput]:
    if data.channel not in Campaign.Channel.values:
        raise ValidationFailed(
            f"Choose a channel: {', '.join(Campaign.Channel.labels)}.",
            details={"field": "channel"},
        )
    if not 0 <= data.holdout_percent <= HOLDOUT_PERCENT_MAX:
        raise ValidationFailed(
            f"The holdout is between 0 and {HOLDOUT_PERCENT_MAX} % of the audience.",
            details={"field": "holdout_percent"},
        )
    if data.segment is None or data.segment.pk is None:
        raise ValidationFailed("Choose a segment.", details={"field": "segment"})
    return _clean_variants(data.variants)


def _write_variants(campaign: Campaign, variants: list[VariantInput]) -> None:
    campaign.variants.all().delete()
    Variant.objects.bulk_create(
        Variant(
            campaign=campaign,
            label=label,
            title=variant.title,
            body=variant.body,
            cta_label=variant.cta_label,
            cta_path=variant.cta_path,
            weight=variant.weight,
        )
        for label, variant in zip("AB", variants, strict=False)
    )


@transaction.atomic
def create_campaign(*, staff: User, data: CampaignInput, now: datetime | None = None) -> Campaign:
    """A draft campaign with its variants."""
    _require_office(staff)
    now = now or timezone.now()
    variants = _check(data)
    campaign = Campaign.objects.create(
        name=_clean_name(data.name),
        segment=data.segment,
        channel=data.channel,
        holdout_percent=data.holdout_percent,
        created_by=staff,
        created_at=now,
        updated_at=now,
    )
    _write_variants(campaign, variants)
    return campaign


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def update_campaign(
    *, staff: User, campaign: Campaign, data: CampaignInput, now: datetime | None = None
) -> Campaign:
    """Change a draft or scheduled campaign (a sent one is history: ``Conflict``)."""
    _require_office(staff)
    campaign = _locked(campaign)
    if not campaign.is_editable:
        raise Conflict(f"This campaign is {campaign.get_status_display().lower()}; it is final.")
    variants = _check(data)
    campaign.name = _clean_name(data.name)
    campaign.segment = data.segment
    campaign.channel = data.channel
    campaign.holdout_percent = data.holdout_percent
    campaign.updated_at = now or timezone.now()
    campaign.save(update_fields=["name", "segment", "channel", "holdout_percent", "updated_at"])
    _write_variants(campaign, variants)
    return campaign


@transaction.atomic
def schedule_campaign(
    *, staff: User, campaign: Campaign, send_at: datetime, now: datetime | None = None
) -> Campaign:
    """Send it at ``send_at`` (the periodic task picks it up within a minute)."""
    _require_office(staff)
    now = now or timezone.now()
    campaign = _locked(campaign)
    if not campaign.is_editable:
        raise Conflict(f"This campaign is {campaign.get_status_display().lower()}; it is final.")
    if send_at is None or send_at <= now:
        raise ValidationFailed(
            "Schedule it in the future, or use “Send now”.", details={"field": "send_at"}
        )
    campaign.status, campaign.send_at, campaign.updated_at = Campaign.Status.SCHEDULED, send_at, now
    campaign.save(update_fields=["status", "send_at", "updated_at"])
    return campaign


@transaction.atomic
def cancel_campaign(*, staff: User, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Cancel a draft or scheduled campaign; nothing is sent."""
    _require_office(staff)
    campaign = _locked(campaign)
    if not campaign.is_editable:
        raise Conflict(f"This campaign is {campaign.get_status_display().lower()}; it is final.")
    campaign.status, campaign.updated_at = Campaign.Status.CANCELLED, now or timezone.now()
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


def send_campaign_now(*, staff: User, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Send a draft or scheduled campaign at once."""
    _require_office(staff)
    sent = deliver_campaign(
        campaign_id=campaign.pk,
        from_statuses=[Campaign.Status.DRAFT, Campaign.Status.SCHEDULED],
        now=now,
    )
    if sent is None:
        campaign.refresh_from_db(fields=["status"])
        raise Conflict(
            f"This campaign is {campaign.get_status_display().lower()}; it cannot be sent again."
        )
    return sent


def send_due_campaigns(*, now: datetime | None = None) -> int:
    """Send every scheduled campaign whose time has come; how many were sent by this call.

    Also mails the members of recent email campaigns whose quiet hours have
    ended since (``send_campaign_emails`` left them pending).
    """
    now = now or timezone.now()
    sent = 0
    for campaign_id in selectors.due_campaign_ids(now=now):
        if deliver_campaign(campaign_id=campaign_id, now=now) is not None:
            sent += 1
    for campaign_id in selectors.recent_email_campaign_ids(now=now):
        send_campaign_emails(campaign_id=campaign_id, now=now)
    return sent


@transaction.atomic
def deliver_campaign(
    *,
    campaign_id: int,
    from_statuses: list[str] | None = None,
    now: datetime | None = None,
) -> Campaign | None:
    """Claim, freeze the audience, deliver; the sent campaign, or None when it was not ours.

    Claimed from ``from_statuses`` (default: scheduled and due) to "sending"
    with a conditional update, so exactly one caller proceeds; the rest of the
    transaction writes the members and deliveries and marks it sent.
    """
    now = now or timezone.now()
    claim = Campaign.objects.filter(pk=campaign_id)
    if from_statuses is None:
        claim = claim.filter(status=Campaign.Status.SCHEDULED, send_at__lte=now)
    else:
        claim = claim.filter(status__in=from_statuses)
    if not claim.update(status=Campaign.Status.SENDING, updated_at=now):
        return None
    campaign = Campaign.objects.select_related("segment").get(pk=campaign_id)
    variants = {variant.label: variant for variant in campaign.variants.all()}
    weights = {label: variant.weight for label, variant in variants.items()}
    rules = segments.clean_rules(campaign.segment.rules)
    user_ids = list(selectors.audience(rules, now=now).values_list("pk", flat=True))
    groups = {
        user_id: assignment.group_of(
            campaign.pk,
            user_id,
            holdout_percent=campaign.holdout_percent,
            variant_weights=weights,
        )
        for user_id in user_ids
    }
    banner_delivered_at = now if campaign.channel == Campaign.Channel.BANNER else None
    members = CampaignMember.objects.bulk_create(
        [
            CampaignMember(
                campaign=campaign,
                user_id=user_id,
                group=group,
                delivered_at=(
                    None if group == CampaignMember.Group.HOLDOUT else banner_delivered_at
                ),
            )
            for user_id, group in groups.items()
        ],
        batch_size=1000,
    )
    if campaign.channel == Campaign.Channel.NOTIFICATION:
        _notify_members(campaign, members, variants, now)
    campaign.status, campaign.sent_at, campaign.updated_at = Campaign.Status.SENT, now, now
    campaign.save(update_fields=["status", "sent_at", "updated_at"])
    if campaign.channel == Campaign.Channel.EMAIL:
        enqueue_on_commit(tasks.send_campaign_emails, campaign.pk)
    if campaign.channel == Campaign.Channel.BANNER:
        transaction.on_commit(banners.invalidate)
    return campaign


def click_path(member: CampaignMember) -> str:
    return reverse("campaigns:click", args=[make_tracking_token(member.pk)])


def _notify_members(
    campaign: Campaign,
    members: list[CampaignMember],
    variants: dict[str, Variant],
    now: datetime,
) -> None:
    delivered = []
    for member in members:
        if member.group == CampaignMember.Group.HOLDOUT:
            continue
        written = notifications.notify_many(
            [member.user_id],
            NotificationType.CAMPAIGN_MESSAGE,
            subject=campaign,
            text=variants[member.group].title,
            link=click_path(member),
            now=now,
        )
        if written:
            delivered.append(member.pk)
    CampaignMember.objects.filter(pk__in=delivered).update(delivered_at=now)


def send_campaign_emails(*, campaign_id: int, now: datetime | None = None) -> int:
    """Email each treated member not emailed yet whose preference allows email; how many sent.

    Each member is claimed (``delivered_at`` set where still empty) before
    the send and released if it fails, so a retry sends the rest and never
    one twice. Members who chose in-app only or off are left undelivered;
    members in their quiet hours are left pending for the minute task.
    """
    now = now or timezone.now()
    campaign = Campaign.objects.filter(
        pk=campaign_id, channel=Campaign.Channel.EMAIL, status=Campaign.Status.SENT
    ).first()
    if campaign is None:
        return 0
    variants = {variant.label: variant for variant in campaign.variants.all()}
    pending = list(selectors.pending_email_members(campaign))
    user_ids = [member.user_id for member in pending]
    channels = notification_selectors.channels_for(user_ids, NotificationType.CAMPAIGN_MESSAGE)
    settings_of = notification_selectors.settings_by_user(user_ids)
    sent = 0
    for member in pending:
        if channels[member.user_id] not in EMAIL_CHANNELS:
            continue
        if notifications.quiet_until(settings_of[member.user_id], now) is not None:
            continue
        rows = CampaignMember.objects.filter(pk=member.pk, delivered_at__isnull=True)
        if not rows.update(delivered_at=now):
            continue
        message = emails.build(member, variants[member.group])
        if message is None:
            CampaignMember.objects.filter(pk=member.pk).update(delivered_at=None)
            continue
        try:
            message.send()
        except Exception:
            CampaignMember.objects.filter(pk=member.pk).update(delivered_at=None)
            raise
        sent += 1
    return sent


# --- Tracking --------------------------------------------------------------------------------


def _member(member_id: int) -> CampaignMember:
    member = selectors.member_by_id(member_id)
    if member is None or member.group == CampaignMember.Group.HOLDOUT:
        raise NotFound("This link is not valid any more.")
    return member


@transaction.atomic
def record_open(*, member_id: int, now: datetime | None = None) -> bool:
    """The banner was shown or the email opened; True the first time."""
    member = _member(member_id)
    return bool(
        CampaignMember.objects.filter(
            pk=member.pk, opened_at__isnull=True, delivered_at__isnull=False
        ).update(opened_at=now or timezone.now())
    )


@transaction.atomic
def record_click(*, member_id: int, now: datetime | None = None) -> str:
    """Count the member's first click (an open too); the site path their button leads to."""
    now = now or timezone.now()
    member = _member(member_id)
    variant = selectors.variant_of(member)
    if variant is None or not is_site_path(variant.cta_path):
        raise NotFound("This link is not valid any more.")
    rows = CampaignMember.objects.filter(pk=member.pk)
    rows.filter(opened_at__isnull=True).update(opened_at=now)
    rows.filter(clicked_at__isnull=True).update(clicked_at=now)
    return variant.cta_path


@transaction.atomic
def dismiss_banner(*, user: User, member_id: int, now: datetime | None = None) -> None:
    """Hide the person's banner for good (only their own)."""
    member = selectors.member_by_id(member_id)
    if member is None or member.user_id != user.pk:
        raise NotFound("No such banner.")
    CampaignMember.objects.filter(pk=member.pk, dismissed_at__isnull=True).update(
        dismissed_at=now or timezone.now()
    )
