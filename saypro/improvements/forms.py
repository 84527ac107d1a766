from django import forms

from saypro.improvements.models import (
    MAX_STEPS,
    PROBLEM_MAX_LENGTH,
    STEP_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Plan,
)
from saypro.improvements.services import PlanChanges, StepInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.email


class TemplateChoiceForm(forms.Form):
    """Pick another template: the page reloads with its draft (GET)."""

    template = forms.ChoiceField(choices=Plan.Template.choices, label="Template")


class PlanForm(forms.Form):
    """A plan's text and goal, pre-filled from a template's draft."""

    template = forms.ChoiceField(
        choices=Plan.Template.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a template from the list above.",
            "invalid_choice": "That template is not offered: choose one from the list above.",
        },
    )
    title = forms.CharField(max_length=TITLE_MAX_LENGTH, label="Title")
    problem = forms.CharField(
        max_length=PROBLEM_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Problem statement",
        help_text="What buyers report, how often, and what it costs you. The reviews behind it "
        "are linked below.",
    )
    goal_metric = forms.ChoiceField(choices=Plan.Metric.choices, label="Goal metric")
    goal_current = forms.FloatField(
        required=False, min_value=0, max_value=100, label="Current value"
    )
    goal_target = forms.FloatField(min_value=0, max_value=100, label="Target")
    goal_due = forms.DateField(widget=DATE, label="Reach the target by")

    def __init__(self, *args, has_theme: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_theme:
            self.fields["goal_metric"].choices = [
                choice for choice in Plan.Metric.choices if choice[0] != Plan.Metric.NEGATIVE_SHARE
            ]

    def clean(self):
        """The template is a hidden field, and a hidden field shows no errors of its own: a
        refused template (a value changed in the page) is said above the form instead."""
        for error in self.errors.pop("template", []):
            self.add_error(None, error)
        return super().clean()


class PlanEditForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_LENGTH, label="Title")
    problem = forms.CharField(
        max_length=PROBLEM_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}), label="Problem"
    )
    goal_current = forms.FloatField(
        required=False, min_value=0, max_value=100, label="Current value"
    )
    goal_target = forms.FloatField(min_value=0, max_value=100, label="Target")
    goal_due = forms.DateField(widget=DATE, label="Reach the target by")
    shipped_at = forms.DateTimeField(
        required=False,
        widget=DATETIME,
        label="Shipped at",
        help_text="When the change reached buyers (your local time). Reviews published from "
        "then on count as “after”.",
    )

    def __init__(self, *args, is_shipped: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_shipped:
            del self.fields["shipped_at"]

    def to_changes(self) -> PlanChanges:
        data = self.cleaned_data
        return PlanChanges(
            title=data["title"],
            problem=data["problem"],
            goal_current=data["goal_current"],
            goal_target=data["goal_target"],
            goal_due=data["goal_due"],
            shipped_at=data.get("shipped_at"),
        )


class StepForm(forms.Form):
    text = forms.CharField(
        max_length=STEP_MAX_LENGTH, label="Step", widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = MemberChoiceField(queryset=None, label="Owner", empty_label=None)
    due_date = forms.DateField(widget=DATE, label="Due")

    def __init__(self, *args, members=None, former_owner=None, **kwargs):
        """``former_owner``: the step's owner who has since left the team, so is no choice;
        the list then starts empty rather than quietly handing the step to its first name."""
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        if former_owner is not None:
            name = former_owner.get_full_name() or former_owner.email
            self.fields["owner"].empty_label = "Choose a new owner…"
            self.fields["owner"].help_text = f"{name} has left the team: choose who takes it on."

    def to_input(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(text=data["text"], owner=data["owner"], due_date=data["due_date"])


class BaseStepFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this step"


StepFormSet = forms.formset_factory(
    StepForm,
    formset=BaseStepFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_STEPS,
    validate_max=True,
)


class ShipForm(forms.Form):
    shipped_at = forms.DateTimeField(
        required=False, widget=DATETIME, label="Shipped at", help_text="Leave empty for now."
    )
