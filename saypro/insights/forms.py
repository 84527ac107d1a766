"""Forms of the insights pages: the period, drill-down filters, issue status, theme editor."""

from datetime import date, timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from saypro.insights.models import RisingIssue, Sentiment, Theme
from saypro.insights.selectors import active_themes, local_day_start

PERIODS = [(30, "Last 30 days"), (90, "Last 90 days"), (365, "Last 12 months")]
DEFAULT_DAYS = 90
SENTIMENT_CHOICES = [("", "Any sentiment"), *Sentiment.choices]
# The days a drill-down may name: every review falls between them, and their midnights (and
# the day after the last) stay within what dates and the database can hold.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
DAY_RANGE = f"Choose a day from {FIRST_DAY:%-d %b %Y} to {LAST_DAY:%-d %b %Y}."
DAY_VALIDATORS = [
    MinValueValidator(FIRST_DAY, message=DAY_RANGE),
    MaxValueValidator(LAST_DAY, message=DAY_RANGE),
]


class PeriodForm(forms.Form):
    """The period of the theme table, suggestions and products of an insights page.

    Unbound, the menu selects ``DEFAULT_DAYS``. A missing or unknown ``days``
    falls back to the default, so the page renders ``PeriodForm.showing`` of
    the period it used rather than the bound form, whose menu would show its
    first option instead.
    """

    mark_optional = False

    days = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=DEFAULT_DAYS,
        choices=PERIODS,
        initial=DEFAULT_DAYS,
        label="Period",
    )

    def days_or_default(self) -> int:
        return self.cleaned_data["days"] if self.is_valid() else DEFAULT_DAYS

    @classmethod
    def showing(cls, days: int) -> "PeriodForm":
        """The menu with ``days`` selected: the period the page actually shows."""
        return cls(initial={"days": days})


class DrillDownForm(forms.Form):
    """Which reviews are behind a number: every field narrows the list (all optional).

    ``since`` and ``until`` are days in the site time zone; ``until`` is the
    last day included.
    """

    mark_optional = False

    product = forms.ModelChoiceField(queryset=None, required=False, empty_label="All products")
    theme = forms.ModelChoiceField(
        queryset=None, required=False, to_field_name="slug", empty_label="Any theme"
    )
    sentiment = forms.ChoiceField(required=False, choices=SENTIMENT_CHOICES)
    suggestion = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    topic = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    issue = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    since = forms.DateField(
        required=False,
        label="From",
        validators=DAY_VALIDATORS,
        widget=forms.DateInput({"type": "date", "min": FIRST_DAY, "max": LAST_DAY}),
    )
    until = forms.DateField(
        required=False,
        label="To",
        validators=DAY_VALIDATORS,
        widget=forms.DateInput({"type": "date", "min": FIRST_DAY, "max": LAST_DAY}),
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["theme"].queryset = active_themes()

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day comes before the first.")
        return data

    def period(self) -> dict:
        """``since`` and ``until`` as aware datetimes (``until`` exclusive), for the selector."""
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        return {
            "since": local_day_start(since) if since else None,
            "until": local_day_start(until + timedelta(days=1)) if until else None,
        }


class IssueStatusForm(forms.Form):
    status = forms.ChoiceField(choices=RisingIssue.Status.choices)


class ReviewInsightFilterForm(forms.Form):
    """The theme and sentiment filters of the Seller Center review queue (reviews app).

    With a theme, the sentiment is how the review speaks of that theme;
    without, the review's overall sentiment.
    """

    mark_optional = False

    theme = forms.ChoiceField(required=False, label="Theme")
    sentiment = forms.ChoiceField(required=False, choices=SENTIMENT_CHOICES, label="Sentiment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [
            ("", "Any theme"),
            *active_themes().values_list("slug", "name"),
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"theme": data.get("theme") or None, "sentiment": data.get("sentiment") or None}


class ThemeForm(forms.Form):
    """A theme of the taxonomy; the phrases are matched as written, one per line."""

    name = forms.CharField(max_length=60)
    description = forms.CharField(
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What buyers talk about under this theme; sellers see it.",
    )
    phrases = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="One example phrase per line, as buyers write it (“runs small”, “too tight”).",
    )

    def clean_phrases(self) -> list[str]:
        """One phrase per line, blank lines dropped; the service judges each phrase."""
        lines = (line.strip() for line in self.cleaned_data["phrases"].splitlines())
        return [line for line in lines if line]

    @staticmethod
    def initial_for(theme: Theme) -> dict:
        return {
            "name": theme.name,
            "description": theme.description,
            "phrases": "\n".join(theme.phrases),
        }
