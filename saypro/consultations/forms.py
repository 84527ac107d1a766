"""Forms of the consultation pages: they parse input; the services decide."""

from django import forms

from saypro.consultations.models import (
    NOTE_MAX_LENGTH,
    PRIVATE_NOTES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Topic,
    Weekday,
)
from saypro.core.timezones import time_zone_choices

SLOT_LENGTHS = [(30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"), (90, "1½ hours")]


class BookingForm(forms.Form):
    # The template lists the free slots as radio buttons; a slot taken since the page
    # loaded still reaches the service, which says so clearly.
    slot = forms.IntegerField(label="Time", error_messages={"required": "Pick a time."})
    store = forms.TypedChoiceField(coerce=int, label="For the store")
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Note for the expert",
        help_text="What you would like to cover, with a product or order if it helps. "
        f"Up to {NOTE_MAX_LENGTH} characters.",
    )

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [(store.pk, store.name) for store in stores]


class RescheduleForm(forms.Form):
    slot = forms.IntegerField(label="New time", error_messages={"required": "Pick a time."})


class CancelForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        label="Reason",
        error_messages={
            "max_length": "Keep the reason to %(limit_value)d characters (it has %(show_value)d)."
        },
    )

    def error_text(self) -> str:
        """The refusal as one sentence, for a flash message (the form is not shown again)."""
        return " ".join(error for errors in self.errors.values() for error in errors)


class ExpertForm(forms.Form):
    bio = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Two or three sentences sellers read before booking.",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        label="Topics you take",
    )
    time_zone = forms.ChoiceField(label="Your time zone")
    meeting_link = forms.URLField(
        assume_scheme="https",
        label="Meeting link",
        help_text="Your video room, e.g. https://meet.example/your-name",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(self.initial.get("time_zone"))


class WeeklyForm(forms.Form):
    weekday = forms.TypedChoiceField(coerce=int, choices=Weekday.choices, label="Day")
    start_time = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="To", widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.TypedChoiceField(
        coerce=int, choices=SLOT_LENGTHS, initial=60, label="Slot length"
    )


class SlotForm(forms.Form):
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="At", widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.TypedChoiceField(coerce=int, choices=SLOT_LENGTHS, initial=60, label="Length")

    def __init__(self, *args, **kwargs):
        """Shown on the page of the weekly form, whose ``start_time`` has Django's usual id."""
        kwargs.setdefault("auto_id", "id_once_%s")
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    mark_optional = False  # notes are optional by nature; the label need not say so

    private_notes = forms.CharField(
        required=False,
        max_length=PRIVATE_NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Private notes",
        help_text="Only you and other office staff read these; the seller never does.",
    )
