"""Notification pages: the centre (full page and the header menu), mark read, settings,
and the one-click unsubscribe page that works without logging in.

Reads go through ``selectors``, writes through ``services``. The header bell
is rendered on every page by ``context_processors.bell``; the static module
``js/notifications.js`` keeps its count live over the shared socket.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error
from saypro.core.pagination import paginate
from saypro.notifications import selectors, services
from saypro.notifications.forms import SettingsForm
from saypro.notifications.models import Channel, NotificationType

CENTRE_PAGE = 30


def _notification(request, pk: int):
    notification = selectors.notification_for(request.user, pk)
    if notification is None:
        raise Http404("Notification not found.")
    return notification


@login_required
@require_GET
def centre(request):
    unread_only = request.GET.get("show") == "unread"
    context = paginate(
        request,
        selectors.notifications_for(request.user, unread_only=unread_only),
        per_page=CENTRE_PAGE,
    )
    context["unread_only"] = unread_only
    return render(request, "notifications/pages/centre.html", context)


@login_required
@require_GET
def menu(request):
    """The header menu's list (htmx); opened directly, the full page."""
    if not request.htmx:
        return redirect("notifications:centre")
    return render(
        request,
        "notifications/partials/menu.html",
        {"notifications": selectors.latest_for(request.user)},
    )


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def read(request, pk: int):
    services.mark_read(user=request.user, notification=_notification(request, pk))
    return redirect(_back(request, reverse("notifications:centre")))


@login_required
@require_GET
def open_notification(request, pk: int):
    """Follow a notification to its subject, marking it read on the way."""
    notification = _notification(request, pk)
    services.mark_read(user=request.user, notification=notification)
    return redirect(notification.link)


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, "All caught up." if count else "There was nothing unread.")
    return redirect(_back(request, reverse("notifications:centre")))


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    grid = selectors.preference_grid(request.user)
    current = selectors.settings_for(request.user)
    initial = {
        "time_zone": current.time_zone,
        "quiet_hours_start": current.quiet_hours_start,
        "quiet_hours_end": current.quiet_hours_end,
        "digest_frequency": current.digest_frequency,
    }
    form = SettingsForm(request.POST or None, initial=initial, grid=grid)
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        try:
            with transaction.atomic():  # both or neither
                services.set_settings(
                    user=request.user,
                    time_zone=form.cleaned_data["time_zone"],
                    quiet_hours_start=form.cleaned_data["quiet_hours_start"],
                    quiet_hours_end=form.cleaned_data["quiet_hours_end"],
                    digest_frequency=form.cleaned_data["digest_frequency"],
                )
                services.set_preferences(user=request.user, channels=form.channels())
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/pages/settings.html",
        {"form": form, "channels": Channel.choices},
        status=status,
    )


@csrf_exempt  # RFC 8058: mail clients POST here with no cookie and no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: a page with one button (link scanners must not unsubscribe anyone);
    POST: the one-click unsubscribe, from that button or a mail client. No login."""
    if request.method == "GET":
        valid = selectors.unsubscribe_target(token) is not None
        return render(
            request,
            "notifications/pages/unsubscribe.html",
            {"token": token, "valid": valid, "done": False},
            status=200 if valid else 404,
        )
    try:
        _, types = services.unsubscribe(token=token)
    except ApplicationError as error:
        return render(
            request,
            "notifications/pages/unsubscribe.html",
            {"token": token, "valid": False, "done": False, "error": error.message},
            status=error.status,
        )
    labels = [label for value, label in NotificationType.choices if value in types]
    return render(
        request,
        "notifications/pages/unsubscribe.html",
        {"token": token, "valid": True, "done": True, "labels": labels},
    )
