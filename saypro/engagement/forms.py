"""Forms of the engagement pages: the office's period and prompt editor, and the POSTs
of prompt clicks, dismissals and tutorial progress."""

from django import forms

from saypro.engagement.models import Prompt
from saypro.engagement.services import EDITABLE_FIELDS, TUTORIAL_ACTIONS

PERIODS = [(7, "Last 7 days"), (30, "Last 30 days"), (90, "Last 90 days")]
DEFAULT_DAYS = 30
MAX_ID = 2**63 - 1


class PeriodForm(forms.Form):
    """The period of the office's figures; a missing or unknown one is the default."""

    mark_optional = False

    days = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=DEFAULT_DAYS, choices=PERIODS, label="Period"
    )

    def days_or_default(self) -> int:
        return self.cleaned_data["days"] if self.is_valid() else DEFAULT_DAYS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class PromptForm(forms.ModelForm):
    """Create or edit a prompt. The service checks every rule (dates, cap, link, placeholders)."""

    class Meta:
        model = Prompt
        fields = list(EDITABLE_FIELDS)
        labels = {
            "joined_within_days": "Only accounts created within (days)",
            "only_never_messaged": "Only people who have never sent a message",
            "only_with_buyers_waiting": "Only stores with buyers waiting for an answer",
            "max_shows": "Show at most (times per person)",
            "per_days": "…within (days)",
            "starts_at": "Starts",
            "ends_at": "Ends",
        }
        help_texts = {
            "title": "Placeholders such as {store} or {first_name}: see the list beside the form.",
            "cta_link": "A path on this site, e.g. /seller/{store_slug}/inbox/quick-replies/.",
            "joined_within_days": "Empty: accounts of any age.",
            "only_never_messaged": "",
            "only_with_buyers_waiting": "Seller Center placements only.",
            "max_shows": "Once someone dismisses it, it never shows to them again.",
            "starts_at": "Empty: from now. Times are in the marketplace time zone.",
            "ends_at": "Empty: until it is switched off.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_built_in:
            self.fields["placement"].disabled = True
            self.fields["placement"].help_text = "A built-in prompt keeps its placement."
        for name in ("max_shows", "per_days", "priority", "joined_within_days"):
            self.fields[name].widget.attrs["min"] = 1 if name != "priority" else 0

    def _post_clean(self):
        """Leave model validation to the service, which reports each rule on its field."""

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EventForm(forms.Form):
    """What page a click or dismissal came from (both optional)."""

    store_id = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    product_id = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class TutorialForm(forms.Form):
    action = forms.ChoiceField(choices=[(action, action) for action in TUTORIAL_ACTIONS])
    step = forms.IntegerField(required=False)  # the service checks it against the tour's steps

    def step_or_first(self) -> int:
        step = self.cleaned_data["step"]
        return 1 if step is None else step
