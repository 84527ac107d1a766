"""Campaign pages: the office's segments, campaigns and results; the member's banner and
the tracking links (click redirect, email pixel).

Office pages are for office staff only: anonymous people are sent to log in,
anyone else gets 403. Reads go through ``selectors``, writes through
``services``; a service's refusal is shown next to its field (or as a
message) with a 4xx status, and nothing is changed.
"""

import base64
from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.campaigns import emails, lift, segments, selectors, services
from saypro.campaigns.forms import CampaignForm, ScheduleForm, SegmentForm
from saypro.campaigns.models import Campaign
from saypro.campaigns.tokens import read_tracking_token
from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError, ValidationFailed
from saypro.core.forms import add_service_error
from saypro.core.markdown import render_markdown
from saypro.core.pagination import paginate

LIST_PAGE = 25
# A transparent 1×1 GIF: the email open pixel.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _campaign(request, pk: int) -> Campaign:
    require_office(request)
    campaign = selectors.campaign_for(request.user, pk)
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


# --- Segments --------------------------------------------------------------------------------


def _builder(request, segment=None, *, status=200, name_form=None, criteria=None, count=None):
    if criteria is None:
        criteria = segments.unbound_forms(segment.rules if segment else None)
    if count is None and segment is not None:
        count = selectors.audience_count(segment.rules, now=timezone.now())
    context = {
        "segment": segment,
        "name_form": name_form or SegmentForm(initial={"name": segment.name} if segment else None),
        "criteria": [(segments.CRITERIA[key], form) for key, form in criteria.items()],
        "count": count,
    }
    return render(request, "campaigns/pages/segment_builder.html", context, status=status)


@login_required
@require_GET
def segment_list(request):
    require_office(request)
    return render(
        request,
        "campaigns/pages/segments.html",
        paginate(request, selectors.segments_for(request.user), per_page=LIST_PAGE),
    )


@login_required
@require_http_methods(["GET", "POST"])
def segment_builder(request, pk: int | None = None):
    """Build or change a segment; "Count" shows the audience without saving (no JS needed)."""
    require_office(request)
    segment = None
    if pk is not None:
        segment = selectors.segment_for(request.user, pk)
        if segment is None:
            raise Http404("No such segment.")
    if request.method == "GET":
        return _builder(request, segment)
    name_form = SegmentForm(request.POST)
    try:
        rules, criteria = segments.rules_from_form_data(request.POST)
    except ValidationFailed:
        name_form.is_valid()
        criteria = segments.bind(request.POST)
        return _builder(request, segment, status=400, name_form=name_form, criteria=criteria)
    count = selectors.audience_count(rules, now=timezone.now())
    if request.POST.get("action") == "count":
        return _builder(request, segment, name_form=name_form, criteria=criteria, count=count)
    if not name_form.is_valid():
        return _builder(
            request, segment, status=400, name_form=name_form, criteria=criteria, count=count
        )
    try:
        if segment is None:
            segment = services.create_segment(
                staff=request.user, name=name_form.cleaned_data["name"], rules=rules
            )
        else:
            segment = services.update_segment(
                staff=request.user,
                segment=segment,
                name=name_form.cleaned_data["name"],
                rules=rules,
            )
    except ApplicationError as error:
        add_service_error(name_form, error)
        return _builder(
            request, segment, status=error.status, name_form=name_form, criteria=criteria
        )
    matches = "1 person matches" if count == 1 else f"{count:,} people match"
    messages.success(request, f"Segment “{segment.name}” saved: {matches} it now.")
    return redirect("office_campaigns:segments")


@login_required
@require_GET
def segment_count(request):
    """The live count: the builder's fields in the query string → ``{"count": n}`` or 400."""
    require_office(request)
    try:
        rules, _ = segments.rules_from_form_data(request.GET)
    except ValidationFailed as error:
        return JsonResponse(
            {"error": {"code": error.code, "message": error.message, "details": error.details}},
            status=400,
        )
    count = selectors.audience_count(rules, now=timezone.now())
    return JsonResponse({"count": count, "rules": segments.describe(rules)})


# --- Campaigns -------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request):
    require_office(request)
    status = request.GET.get("status", "")
    if status not in Campaign.Status.values:
        status = ""
    context = paginate(
        request, selectors.campaigns_for(request.user, status=status or None), per_page=LIST_PAGE
    )
    context.update(status=status, statuses=Campaign.Status.choices)
    return render(request, "campaigns/pages/campaigns.html", context)


def _previews(form: CampaignForm) -> list[dict]:
    """Each filled-in variant as it will look (the Markdown rendered and sanitised)."""
    data = form.cleaned_data if form.is_bound else form.initial  # bound forms were validated
    previews = []
    for label in ("a", "b"):
        if label == "b" and not data.get("with_b"):
            continue
        if data.get(f"{label}_title") or data.get(f"{label}_body"):
            previews.append(
                {
                    "label": label.upper(),
                    "title": data.get(f"{label}_title", ""),
                    "body": render_markdown(data.get(f"{label}_body", "")),
                    "cta_label": data.get(f"{label}_cta_label", ""),
                }
            )
    return previews


def _editor(request, form, campaign=None, *, status=200, show_preview=False):
    context = {
        "form": form,
        "campaign": campaign,
        "previews": _previews(form) if show_preview or campaign else [],
        "has_segments": selectors.segments_for(request.user).exists(),
    }
    return render(request, "campaigns/pages/campaign_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int | None = None):
    """Create or change a draft; "Preview" renders the messages without saving."""
    require_office(request)
    campaign = _campaign(request, pk) if pk is not None else None
    if campaign is not None and not campaign.is_editable:
        messages.error(request, "This campaign was sent or cancelled; it can no longer change.")
        if request.method == "POST":  # a stale form: refuse it, change nothing
            return _detail(request, campaign, status=409)
        return redirect("office_campaigns:detail", pk=campaign.pk)
    if request.method == "GET":
        initial = CampaignForm.initial_for(campaign) if campaign else None
        return _editor(request, CampaignForm(initial=initial), campaign)
    form = CampaignForm(request.POST)
    if not form.is_valid():
        return _editor(request, form, campaign, status=400)
    if request.POST.get("action") == "preview":
        return _editor(request, form, campaign, show_preview=True)
    try:
        if campaign is None:
            campaign = services.create_campaign(staff=request.user, data=form.to_input())
        else:
            campaign = services.update_campaign(
                staff=request.user, campaign=campaign, data=form.to_input()
            )
    except ApplicationError as error:
        add_service_error(form, error)
        return _editor(request, form, campaign, status=error.status)
    messages.success(request, f"Campaign “{campaign.name}” saved as a draft.")
    return redirect("office_campaigns:detail", pk=campaign.pk)


def _detail(request, campaign: Campaign, *, status: int = 200, schedule_form=None):
    now = timezone.now()
    results = selectors.results(campaign, now=now)
    rows = []
    if results.lift is not None:
        rows = [lift.table_row("All treated members", results.lift)]
        rows += [lift.table_row(name, value) for name, value in results.variant_lifts]
    context = {
        "campaign": campaign,
        "variants": [
            {"variant": variant, "body": render_markdown(variant.body)}
            for variant in campaign.variants.all()
        ],
        "rules": segments.describe(campaign.segment.rules),
        "results": results,
        "chart": lift.chart(results.lift) if results.lift else None,
        "summary": lift.summary(results.lift) if results.lift else "",
        "rows": rows,
        "schedule_form": schedule_form or ScheduleForm(),
    }
    return render(request, "campaigns/pages/campaign_detail.html", context, status=status)


@login_required
@require_GET
def campaign_detail(request, pk: int):
    """The campaign and its results: counts per variant and the measured lift."""
    return _detail(request, _campaign(request, pk))


@login_required
@require_GET
def campaign_email(request, pk: int, label: str):
    """Variant ``label`` of an email campaign as the email itself (subject, HTML and text
    versions, the footer), as the staff member would get it, with nothing tracked."""
    campaign = _campaign(request, pk)
    if campaign.channel != Campaign.Channel.EMAIL:
        raise Http404("This campaign is not sent by email.")
    variant = campaign.variants.filter(label=label.upper()).first()
    if variant is None:
        raise Http404("No such variant.")
    context = {
        "campaign": campaign,
        "variant": variant,
        "two_variants": campaign.variants.count() == 2,
        "email": emails.preview(variant, request.user),
        "from_email": settings.DEFAULT_FROM_EMAIL,
    }
    return render(request, "campaigns/pages/campaign_email.html", context)


def _act(request, pk: int, action, success: str):
    campaign = _campaign(request, pk)
    try:
        action(campaign)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _detail(request, _campaign(request, pk), status=error.status)
    messages.success(request, success.format(name=campaign.name))
    return redirect("office_campaigns:detail", pk=pk)


@login_required
@require_POST
def campaign_send(request, pk: int):
    return _act(
        request,
        pk,
        lambda campaign: services.send_campaign_now(staff=request.user, campaign=campaign),
        "“{name}” was sent.",
    )


@login_required
@require_POST
def campaign_cancel(request, pk: int):
    return _act(
        request,
        pk,
        lambda campaign: services.cancel_campaign(staff=request.user, campaign=campaign),
        "“{name}” was cancelled; nothing was sent.",
    )


@login_required
@require_POST
def campaign_schedule(request, pk: int):
    campaign = _campaign(request, pk)
    form = ScheduleForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.schedule_campaign(
                staff=request.user, campaign=campaign, send_at=form.cleaned_data["send_at"]
            )
        except ApplicationError as error:
            if campaign.is_editable:
                add_service_error(form, error)
            else:  # sent or cancelled: the page has no schedule form to show it next to
                messages.error(request, error.message)
            status = error.status
        else:
            messages.success(request, f"“{campaign.name}” is scheduled.")
            return redirect("office_campaigns:detail", pk=pk)
    return _detail(request, campaign, status=status, schedule_form=form)


# --- Members: banner, tracking ---------------------------------------------------------------


@login_required
@require_POST
def dismiss_banner(request, pk: int):
    try:
        services.dismiss_banner(user=request.user, member_id=pk)
    except ApplicationError as error:
        raise Http404(error.message) from error
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return redirect(target)


@require_GET
def click(request, token: str):
    """Count the first click and go to the variant's button target (a site path, never a URL)."""
    member_id = read_tracking_token(token)
    if member_id is None:
        raise Http404("This link is not valid.")
    try:
        path = services.record_click(member_id=member_id)
    except ApplicationError as error:
        raise Http404(error.message) from error
    return redirect(path)


@require_GET
def pixel(request, token: str):
    """The email's open pixel: counts the first open; always the same tiny image."""
    member_id = read_tracking_token(token)
    if member_id is not None:
        with suppress(ApplicationError):  # a stale token still gets the image, counts nothing
            services.record_open(member_id=member_id)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response
