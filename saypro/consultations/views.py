"""Consultation pages: sellers book under /academy/consultations/, experts work under
/office/consultations/.

Times are shown in the viewer's zone (their notification setting), named on
the page. Seller pages never load the expert's private notes (the selectors
defer them); office pages answer 404 to anyone but office staff.
"""

from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.consultations import selectors, services
from saypro.consultations.calendar import booking_ics
from saypro.consultations.forms import (
    BookingForm,
    CancelForm,
    CloseForm,
    ExpertForm,
    RescheduleForm,
    SlotForm,
    WeeklyForm,
)
from saypro.consultations.models import Booking
from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error


def _zone_context(request) -> dict:
    zone = selectors.viewer_zone(request.user)
    return {"zone": zone, "zone_name": str(zone).replace("_", " ")}


@require_GET
def topics(request):
    return render(
        request,
        "consultations/pages/topics.html",
        {"topics": selectors.active_topics(), "is_seller": services.is_seller(request.user)},
    )


@require_http_methods(["GET", "POST"])
def topic(request, slug: str):
    """The free slots by day and the booking form; POST books and opens the confirmation."""
    topic = selectors.topic_for(slug)
    if topic is None:
        raise Http404("No such topic.")
    zone = selectors.viewer_zone(request.user)
    slots = selectors.free_slots(topic=topic)
    stores = selectors.seller_stores(request.user)
    form = BookingForm(request.POST or None, stores=stores)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if form.is_valid():
            store = next(store for store in stores if store.pk == form.cleaned_data["store"])
            slot = selectors.slot_for_booking(form.cleaned_data["slot"])
            if slot is None:
                raise Http404("No such time.")
            try:
                booking = services.book_consultation(
                    seller=request.user,
                    slot=slot,
                    topic=topic,
                    store=store,
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as error:
                add_service_error(form, error)
                # The slot list changed under the seller (someone booked): show it afresh.
                slots = selectors.free_slots(topic=topic)
                status = error.status
            else:
                messages.success(request, "Booked. The details are below and in your email.")
                return redirect(booking)
        else:
            status = 400
    return render(
        request,
        "consultations/pages/topic.html",
        {
            "topic": topic,
            "days": selectors.slots_by_day(slots, zone),
            "form": form,
            "stores": stores,
            "is_seller": services.is_seller(request.user),
            **_zone_context(request),
        },
        status=status,
    )


@login_required
@require_GET
def mine(request):
    return render(
        request,
        "consultations/pages/mine.html",
        {
            "consultations": selectors.my_consultations(request.user),
            "notice_hours": services.change_notice().total_seconds() // 3600,
            **_zone_context(request),
        },
    )


def _own_booking(request, pk: int) -> Booking:
    booking = selectors.booking_for_seller(request.user, pk)
    if booking is None:
        raise Http404("No such consultation of yours.")
    return booking


def _booking_page(request, booking: Booking, *, status: int = 200):
    """The seller's booking page; also the answer to a refused cancel (with its status)."""
    return render(
        request,
        "consultations/pages/booking.html",
        {
            "booking": booking,
            "can_change": selectors.can_change(booking),
            "notice_hours": services.change_notice().total_seconds() // 3600,
            "cancel_form": CancelForm(),
            **_zone_context(request),
        },
        status=status,
    )


@login_required
@require_GET
def booking(request, pk: int):
    """The confirmation: when, with whom, the meeting link, and what to read first."""
    return _booking_page(request, _own_booking(request, pk))


@login_required
@require_GET
def calendar(request, pk: int):
    booking = _own_booking(request, pk)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{booking.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request, pk: int):
    booking = _own_booking(request, pk)
    slots = [
        slot
        for slot in selectors.free_slots(topic=booking.topic, expert=booking.slot.expert)
        if slot.pk != booking.slot_id
    ]
    form = RescheduleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            slot = selectors.slot_for_booking(form.cleaned_data["slot"])
            if slot is None:
                raise Http404("No such time.")
            try:
                moved = services.reschedule_consultation(
                    actor=request.user, booking=booking, new_slot=slot
                )
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status
            else:
                messages.success(request, "Moved. The expert has been told.")
                return redirect(moved)
        else:
            status = 400
    return render(
        request,
        "consultations/pages/reschedule.html",
        {
            "booking": booking,
            "form": form,
            "days": selectors.slots_by_day(slots, selectors.viewer_zone(request.user)),
            "can_change": selectors.can_change(booking),
            "notice_hours": services.change_notice().total_seconds() // 3600,
            **_zone_context(request),
        },
        status=status,
    )


@login_required
@require_POST
def cancel(request, pk: int):
    """Cancel one's own consultation, then back to it (post/redirect/get).

    Bad input (400) or a refusal (e.g. 409 within the notice period) shows the
    booking page as it stands, with the reason, and changes nothing.
    """
    booking = _own_booking(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return _booking_page(request, booking, status=400)
    try:
        services.cancel_consultation(
            actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return _booking_page(request, _own_booking(request, pk), status=error.status)
    messages.success(request, "Cancelled. The expert has been told.")
    return redirect("consultations:booking", pk=booking.pk)


# --- Office ----------------------------------------------------------------------------------


def _expert_or_404(request):
    require_office(request)
    expert = selectors.expert_of(request.user)
    if expert is None:
        raise Http404("Set up your expert profile first.")
    return expert


def _profile_form(request, expert, data=None) -> ExpertForm:
    initial = {"time_zone": selectors.viewer_zone(request.user).key}
    if expert is not None:
        initial = {
            "bio": expert.bio,
            "topics": list(expert.topics.all()),
            "time_zone": expert.time_zone,
            "meeting_link": expert.meeting_link,
        }
    return ExpertForm(data, initial=initial)


def _availability_page(
    request,
    expert,
    *,
    profile_form: ExpertForm | None = None,
    weekly_form: WeeklyForm | None = None,
    slot_form: SlotForm | None = None,
    status: int = 200,
):
    """The availability page; a refused form comes back bound, with its errors and status."""
    context = {
        "expert": expert,
        "profile_form": profile_form or _profile_form(request, expert),
        "weekly_form": weekly_form or WeeklyForm(),
        "slot_form": slot_form or SlotForm(),
        "topics": selectors.all_topics(),
        **_zone_context(request),
    }
    if expert is not None:
        context["availability"] = selectors.availability(expert)
        context["expert_zone"] = expert.zone
    return render(request, "consultations/pages/office_availability.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def office_availability(request):
    """The expert's profile, weekly windows, one-off slots and coming slots."""
    require_office(request)
    expert = selectors.expert_of(request.user)
    profile_form = _profile_form(request, expert, request.POST or None)
    status = 200
    if request.method == "POST":
        if profile_form.is_valid():
            try:
                services.save_expert(
                    actor=request.user, user=request.user, **profile_form.cleaned_data
                )
            except ApplicationError as error:
                add_service_error(profile_form, error)
                status = error.status
            else:
                messages.success(request, "Profile saved.")
                return redirect("office_consultations:availability")
        else:
            status = 400
    return _availability_page(request, expert, profile_form=profile_form, status=status)


@login_required
@require_POST
def office_add_weekly(request):
    """Add a weekly window; bad input or a refusal shows the form again with its 4xx."""
    expert = _expert_or_404(request)
    form = WeeklyForm(request.POST)
    if not form.is_valid():
        return _availability_page(request, expert, weekly_form=form, status=400)
    try:
        services.add_weekly_availability(actor=request.user, expert=expert, **form.cleaned_data)
    except ApplicationError as error:
        add_service_error(form, error)
        return _availability_page(request, expert, weekly_form=form, status=error.status)
    messages.success(request, "Weekly time added; its slots are open for booking.")
    return redirect("office_consultations:availability")


@login_required
@require_POST
def office_remove_weekly(request, pk: int):
    expert = _expert_or_404(request)
    pattern = expert.weekly.filter(pk=pk).first()
    if pattern is None:
        raise Http404("No such weekly time.")
    removed = services.remove_weekly_availability(actor=request.user, pattern=pattern)
    messages.success(request, f"Weekly time removed, with {removed} free slot(s).")
    return redirect("office_consultations:availability")


@login_required
@require_POST
def office_add_slot(request):
    """Add a one-off slot; bad input or a refusal shows the form again with its 4xx."""
    expert = _expert_or_404(request)
    form = SlotForm(request.POST)
    if not form.is_valid():
        return _availability_page(request, expert, slot_form=form, status=400)
    starts_at = datetime.combine(
        form.cleaned_data["day"], form.cleaned_data["start_time"], tzinfo=expert.zone
    )
    try:
        services.add_slot(
            actor=request.user,
            expert=expert,
            starts_at=starts_at,
            minutes=form.cleaned_data["minutes"],
        )
    except ApplicationError as error:
        add_service_error(form, error)
        return _availability_page(request, expert, slot_form=form, status=error.status)
    messages.success(request, "Slot added.")
    return redirect("office_consultations:availability")


@login_required
@require_POST
def office_remove_slot(request, pk: int):
    """Remove a free slot; a refusal (it was booked meanwhile) shows the page with its 4xx."""
    expert = _expert_or_404(request)
    slot = expert.slots.filter(pk=pk).first()
    if slot is None:
        raise Http404("No such slot.")
    try:
        services.remove_slot(actor=request.user, slot=slot)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _availability_page(request, expert, status=error.status)
    messages.success(request, "Slot removed.")
    return redirect("office_consultations:availability")


@login_required
@require_GET
def office_bookings(request):
    require_office(request)
    expert = selectors.expert_of(request.user)
    return render(
        request,
        "consultations/pages/office_bookings.html",
        {
            "expert": expert,
            "bookings": selectors.expert_bookings(expert) if expert else None,
            **_zone_context(request),
        },
    )


def _office_booking(request, pk: int) -> Booking:
    require_office(request)
    booking = selectors.booking_for_office(request.user, pk)
    if booking is None:
        raise Http404("No such consultation.")
    return booking


def _office_booking_page(
    request, booking: Booking, *, notes_form: CloseForm | None = None, status: int = 200
):
    """The office booking page; refused notes come back as typed, with the reason and status."""
    return render(
        request,
        "consultations/pages/office_booking.html",
        {
            "booking": booking,
            "is_expert": booking.slot.expert.user_id == request.user.pk,
            "has_started": timezone.now() >= booking.slot.starts_at,
            "notes_form": notes_form or CloseForm(initial={"private_notes": booking.private_notes}),
            "cancel_form": CancelForm(),
            **_zone_context(request),
        },
        status=status,
    )


@login_required
@require_GET
def office_booking(request, pk: int):
    return _office_booking_page(request, _office_booking(request, pk))


@login_required
@require_POST
def office_notes(request, pk: int):
    """Save the expert's notes, or close the consultation as held / no-show.

    Bad input (400) or a refusal (not the expert, not started yet) shows the
    booking page with the notes as typed and the reason; nothing is saved.
    """
    booking = _office_booking(request, pk)
    form = CloseForm(request.POST)
    outcome = request.POST.get("outcome", "")
    if not form.is_valid():
        messages.error(request, "Keep the notes shorter.")
        return _office_booking_page(request, booking, notes_form=form, status=400)
    notes = form.cleaned_data["private_notes"]
    try:
        if outcome in ("held", "no_show"):
            services.close_consultation(
                actor=request.user, booking=booking, held=outcome == "held", private_notes=notes
            )
        else:
            services.save_private_notes(actor=request.user, booking=booking, private_notes=notes)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _office_booking_page(
            request, _office_booking(request, pk), notes_form=form, status=error.status
        )
    if outcome in ("held", "no_show"):
        messages.success(request, "Marked held." if outcome == "held" else "Marked a no-show.")
    else:
        messages.success(request, "Notes saved.")
    return redirect("office_consultations:booking", pk=booking.pk)


@login_required
@require_POST
def office_cancel(request, pk: int):
    """Cancel with a reason for the seller; bad input or a refusal shows the page with its 4xx."""
    booking = _office_booking(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return _office_booking_page(request, booking, status=400)
    try:
        services.cancel_consultation(
            actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return _office_booking_page(request, _office_booking(request, pk), status=error.status)
    messages.success(request, "Cancelled; the seller has been told why.")
    return redirect("office_consultations:booking", pk=booking.pk)


@login_required
@require_POST
def office_topic_active(request, pk: int):
    """Switch a topic off (no new bookings) or back on."""
    require_office(request)
    topic = selectors.topic_by_pk(pk)
    if topic is None:
        raise Http404("No such topic.")
    active = request.POST.get("active") == "on"
    services.set_topic_active(actor=request.user, topic=topic, active=active)
    messages.success(request, f"“{topic.title}” is {'open' if active else 'closed'} for booking.")
    return redirect("office_consultations:availability")
