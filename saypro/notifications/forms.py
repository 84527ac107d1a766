from django import forms

from saypro.core.timezones import time_zone_choices
from saypro.notifications.models import Channel, DigestFrequency


class SettingsForm(forms.Form):
    """The settings page: a channel per type, quiet hours, time zone, digest frequency."""

    time_zone = forms.ChoiceField(label="Your time zone")
    quiet_hours_start = forms.TimeField(
        required=False, label="Quiet hours from", widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_hours_end = forms.TimeField(
        required=False, label="until", widget=forms.TimeInput(attrs={"type": "time"})
    )
    digest_frequency = forms.ChoiceField(
        choices=DigestFrequency.choices, label="Send my digest", widget=forms.RadioSelect
    )

    def __init__(self, *args, grid: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(self.initial.get("time_zone"))
        self.grid = grid
        for row in grid:
            self.fields[f"channel:{row['type']}"] = forms.ChoiceField(
                choices=Channel.choices,
                label=row["label"],
                initial=row["channel"],
                required=False,  # left out: unchanged
            )

    def channel_fields(self):
        return [(row, self[f"channel:{row['type']}"]) for row in self.grid]

    def channels(self) -> dict[str, str]:
        """The channel chosen for each type shown (a type left out stays as it is)."""
        chosen = {row["type"]: self.cleaned_data[f"channel:{row['type']}"] for row in self.grid}
        return {value: channel for value, channel in chosen.items() if channel}
