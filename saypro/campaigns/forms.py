"""Web forms of the office campaign pages. Business rules live in ``services``; a form only
parses what was typed. The segment builder's criteria are ``segments.CRITERIA`` forms."""

from django import forms
from django.utils import timezone

from saypro.campaigns.models import HOLDOUT_PERCENT_DEFAULT, HOLDOUT_PERCENT_MAX, Campaign, Segment
from saypro.campaigns.services import CampaignInput, VariantInput


class SegmentForm(forms.Form):
    name = forms.CharField(max_length=120, label="Segment name")


VARIANT_FIELDS = ("title", "body", "cta_label", "cta_path")


def _variant_fields(label: str, *, required: bool) -> dict[str, forms.Field]:
    return {
        "title": forms.CharField(
            max_length=120, required=required, label=f"Variant {label}: title"
        ),
        "body": forms.CharField(
            max_length=5000,
            required=required,
            label=f"Variant {label}: message",
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text="Markdown: **bold**, *italic*, [links](/path/), lists. No HTML.",
        ),
        "cta_label": forms.CharField(
            max_length=40, required=required, label=f"Variant {label}: button label"
        ),
        "cta_path": forms.CharField(
            max_length=300,
            required=required,
            label=f"Variant {label}: button leads to",
            help_text="A page of this site, e.g. /seller/ or /messages/.",
        ),
    }


class CampaignForm(forms.Form):
    name = forms.CharField(max_length=120, label="Campaign name")
    segment = forms.ModelChoiceField(queryset=Segment.objects.order_by("name"), label="Audience")
    channel = forms.ChoiceField(
        choices=Campaign.Channel.choices, widget=forms.RadioSelect, label="Channel"
    )
    holdout_percent = forms.IntegerField(
        min_value=0,
        max_value=HOLDOUT_PERCENT_MAX,
        initial=HOLDOUT_PERCENT_DEFAULT,
        label="Holdout (% of the audience)",
        help_text="They get nothing; the lift is measured against them.",
    )
    with_b = forms.BooleanField(required=False, label="A/B test: add variant B")
    a_weight = forms.IntegerField(
        min_value=1,
        max_value=99,
        initial=50,
        required=False,
        label="Variant A's share of the A/B test (%)",
        help_text="Variant B gets the rest.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for label, required in (("A", True), ("B", False)):
            for name, field in _variant_fields(label, required=required).items():
                self.fields[f"{label.lower()}_{name}"] = field
        self.order_fields([*self.GENERAL_FIELDS, *self.MESSAGE_FIELDS, *self.TEST_FIELDS])

    GENERAL_FIELDS = ("name", "segment", "channel", "holdout_percent")
    MESSAGE_FIELDS = tuple(f"a_{name}" for name in VARIANT_FIELDS)
    TEST_FIELDS = ("with_b", "a_weight", *(f"b_{name}" for name in VARIANT_FIELDS))

    def general_fields(self):
        return [self[name] for name in self.GENERAL_FIELDS]

    def message_fields(self):
        """Variant A: the message itself when there is no A/B test."""
        return [self[name] for name in self.MESSAGE_FIELDS]

    def test_fields(self):
        return [self[name] for name in self.TEST_FIELDS]

    def clean(self):
        data = super().clean()
        if data.get("with_b"):
            for name in VARIANT_FIELDS:
                if not data.get(f"b_{name}") and f"b_{name}" not in self.errors:
                    self.add_error(
                        f"b_{name}", "Fill this in for variant B, or untick the A/B test."
                    )
            if data.get("a_weight") is None and "a_weight" not in self.errors:
                self.add_error("a_weight", "Give variant A's share of the test.")
        return data

    def to_input(self) -> CampaignInput:
        data = self.cleaned_data
        with_b = data.get("with_b")
        variants = [
            VariantInput(
                *(data[f"a_{name}"] for name in VARIANT_FIELDS),
                weight=data["a_weight"] if with_b else 100,
            )
        ]
        if with_b:
            variants.append(
                VariantInput(
                    *(data[f"b_{name}"] for name in VARIANT_FIELDS), weight=100 - data["a_weight"]
                )
            )
        return CampaignInput(
            name=data["name"],
            segment=data["segment"],
            channel=data["channel"],
            holdout_percent=data["holdout_percent"],
            variants=variants,
        )

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        initial = {
            "name": campaign.name,
            "segment": campaign.segment_id,
            "channel": campaign.channel,
            "holdout_percent": campaign.holdout_percent,
        }
        variants = list(campaign.variants.all())
        for variant in variants:
            for name in VARIANT_FIELDS:
                initial[f"{variant.label.lower()}_{name}"] = getattr(variant, name)
        if len(variants) == 2:
            initial["with_b"] = True
            initial["a_weight"] = variants[0].weight
        return initial


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Send at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=f"Time zone: {timezone.get_default_timezone_name()}.",
    )
