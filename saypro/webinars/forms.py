"""Office forms for sessions and series; times are entered in the office person's zone."""

from datetime import datetime

from django import forms
from django.utils import timezone

from saypro.accounts.models import User
from saypro.core.timezones import time_zone_choices
from saypro.webinars.models import DURATION_MINUTES, Format
from saypro.webinars.services import CAPACITY_MAX, Details


class DetailsForm(forms.Form):
    title = forms.CharField(max_length=200)
    format = forms.ChoiceField(choices=Format.choices)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    agenda = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One item per line.",
    )
    host = forms.ModelChoiceField(queryset=User.objects.none(), help_text="Office staff.")
    host_name = forms.CharField(
        max_length=120, required=False, help_text="The presenter's name, if not the host's own."
    )
    host_role = forms.CharField(max_length=160, required=False)
    duration_minutes = forms.IntegerField(
        min_value=DURATION_MINUTES[0], max_value=DURATION_MINUTES[1]
    )
    capacity = forms.IntegerField(min_value=1, max_value=CAPACITY_MAX)
    join_url = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="Shown to the registered from 15 minutes before.",
    )
    description_slug = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = User.objects.filter(is_staff=True, is_active=True).order_by(
            "email"
        )

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            title=data["title"],
            summary=data["summary"],
            host=data["host"],
            duration_minutes=data["duration_minutes"],
            capacity=data["capacity"],
            format=data["format"],
            agenda=data["agenda"].splitlines(),
            host_name=data["host_name"],
            host_role=data["host_role"],
            join_url=data["join_url"],
            description_slug=data["description_slug"],
        )


class SessionForm(DetailsForm):
    starts_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone.",
    )

    field_order = ["title", "format", "starts_at"]


WEEKS = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]
WEEKDAYS = list(
    enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
)


class SeriesForm(DetailsForm):
    week_of_month = forms.TypedChoiceField(choices=WEEKS, coerce=int, label="Week of the month")
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="Day")
    local_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label="Time")
    time_zone = forms.ChoiceField(
        choices=(), help_text="Sessions keep this wall-clock time across DST."
    )

    field_order = ["title", "format", "week_of_month", "weekday", "local_time", "time_zone"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()


def local_input(value: datetime) -> str:
    """A stored UTC time as the datetime-local field shows it (in the active zone)."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
