"""Forms of the survey pages: the office's survey editor and results filters, the answer."""

import dataclasses
from datetime import date, timedelta

from django import forms
from django.utils import timezone

from saypro.insights.models import Sentiment
from saypro.insights.selectors import local_day_start
from saypro.surveys.models import (
    COMMENT_MAX_LENGTH,
    PROMPT_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Audience,
    Kind,
    Survey,
    Trigger,
)
from saypro.surveys.services import PERIOD_DAYS, SurveyFields

DEFAULT_RESULTS_DAYS = 182
# The days a results period may cover: a date far outside overflows the time zone arithmetic
# (a 500) and a period of decades draws thousands of chart bars.
FIRST_RESULTS_DAY = date(2000, 1, 1)
LAST_RESULTS_DAY = date(2099, 12, 31)
MAX_RESULTS_DAYS = 3660  # ten years
SCALE_ENDS = {
    Kind.RATING_5: ("Very dissatisfied", "Very satisfied"),
    Kind.NPS_11: ("Not at all likely", "Extremely likely"),
}


class SurveyForm(forms.Form):
    """A survey as the office edits it; the service checks the rules across fields."""

    title = forms.CharField(max_length=TITLE_MAX_LENGTH, help_text="For the office only.")
    question = forms.CharField(
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What people are asked, e.g. “How satisfied are you with the store’s answers?”",
    )
    kind = forms.ChoiceField(
        choices=Kind.choices, initial=Kind.RATING_5, label="Answer", widget=forms.RadioSelect
    )
    comment_prompt = forms.CharField(
        required=False,
        max_length=PROMPT_MAX_LENGTH,
        label="Comment prompt",
        help_text="Invites an optional comment, e.g. “What could the store do better?”. "
        "Leave it empty for no comment box.",
    )
    trigger = forms.ChoiceField(choices=Trigger.choices, label="Ask")
    audience = forms.ChoiceField(
        choices=Audience.choices,
        help_text="After a conversation closes, the buyer is asked.",
    )
    sample_percent = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=100,
        label="Sample (%)",
        help_text="The share of eligible people who are asked; the same people every time.",
    )
    period_days = forms.IntegerField(
        required=False,
        min_value=PERIOD_DAYS[0],
        max_value=PERIOD_DAYS[1],
        label="Every (days)",
        help_text="Periodic surveys only: a round every this many days, asking people active "
        "in the days before it.",
    )
    starts_at = forms.DateTimeField(
        label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        required=False,
        label="Ends",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Empty: until you switch it off.",
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if locked:
            for name in ("question", "kind", "trigger"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "People were already asked: this stays as it is."

    @staticmethod
    def initial_for(survey: Survey) -> dict:
        initial = dataclasses.asdict(SurveyFields.of(survey))
        for name in ("starts_at", "ends_at"):
            if initial[name] is not None:
                initial[name] = timezone.localtime(initial[name]).strftime("%Y-%m-%dT%H:%M")
        return initial

    def survey_fields(self) -> SurveyFields:
        return SurveyFields(
            **{
                field.name: self.cleaned_data[field.name]
                for field in dataclasses.fields(SurveyFields)
            }
        )


class AnswerForm(forms.Form):
    """The answer: a score as a radio group (buttons), and a comment when the survey asks."""

    score = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [(score, str(score)) for score in survey.scores]
        self.fields["score"].label = survey.question
        self.fields["score"].error_messages["required"] = "Choose a score."
        if survey.comment_prompt:
            self.fields["comment"].label = survey.comment_prompt
        else:
            del self.fields["comment"]


class ResultsForm(forms.Form):
    """The results' period (days in the site time zone, ``until`` included), grouping and
    the comments' sentiment. Missing or invalid values fall back to the defaults."""

    mark_optional = False

    since = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))
    bucket = forms.ChoiceField(
        required=False,
        label="Group by",
        choices=[("week", "Week"), ("month", "Month")],
    )
    sentiment = forms.ChoiceField(
        required=False,
        label="Comments",
        choices=[("", "Any sentiment"), *Sentiment.choices],
    )

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            day = data.get(name)
            if day and not FIRST_RESULTS_DAY <= day <= LAST_RESULTS_DAY:
                self.add_error(
                    name,
                    f"Choose a day from {FIRST_RESULTS_DAY:%-d %b %Y} to "
                    f"{LAST_RESULTS_DAY:%-d %b %Y}.",
                )
        since, until = data.get("since"), data.get("until")
        if since and "until" not in self.errors:
            until = until or timezone.localdate()
            if until < since and data.get("until"):
                self.add_error("until", "The last day comes before the first.")
            elif until < since:
                self.add_error("since", "The first day is after today: choose the last day too.")
            elif (until - since).days >= MAX_RESULTS_DAYS:
                self.add_error(
                    "since", f"Choose a period of at most {MAX_RESULTS_DAYS // 366} years."
                )
        return data

    @classmethod
    def showing(cls, filters: dict) -> "ResultsForm":
        """The filters form with the values a page used (``filters()``), defaults filled in."""
        return cls(
            initial={
                "since": filters["since"],
                "until": filters["until"],
                "bucket": filters["bucket"],
                "sentiment": filters["sentiment"] or "",
            }
        )

    def filters(self) -> dict:
        """``start``, ``end`` (exclusive), ``bucket`` and ``sentiment`` for the selectors."""
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate()
        until = data.get("until") or today
        since = data.get("since") or until - timedelta(days=DEFAULT_RESULTS_DAYS - 1)
        return {
            "start": local_day_start(since),
            "end": local_day_start(until + timedelta(days=1)),
            "since": since,
            "until": until,
            "bucket": data.get("bucket") or "week",
            "sentiment": data.get("sentiment") or None,
        }
