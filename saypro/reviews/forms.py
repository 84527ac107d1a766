from django import forms

from saypro.reviews.models import ANSWER_MAX_LENGTH, BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Report
from saypro.reviews.selectors import REVIEW_SORTS

SORT_LABELS = {
    "newest": "Newest",
    "helpful": "Most helpful",
    "highest": "Highest rated",
    "lowest": "Lowest rated",
}
STAR_CHOICES = [(stars, f"{stars} star{'s' if stars > 1 else ''}") for stars in range(5, 0, -1)]
YES_NO = [("", "All"), ("yes", "Yes"), ("no", "No")]


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ReviewFilterForm(forms.Form):
    """Sort and filters of a product's review list (all optional)."""

    mark_optional = False

    sort = forms.ChoiceField(
        required=False, choices=[(key, SORT_LABELS[key]) for key in REVIEW_SORTS], label="Sort by"
    )
    stars = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", "All ratings"), *STAR_CHOICES]
    )
    verified = forms.ChoiceField(required=False, choices=YES_NO, label="Verified purchase")
    answered = forms.ChoiceField(required=False, choices=YES_NO, label="Store answered")

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "sort": data.get("sort") or "newest",
            "stars": data.get("stars"),
            "verified": yes_no(data.get("verified", "")),
            "answered": yes_no(data.get("answered", "")),
        }


CHOOSE_STARS = "Choose a star rating from 1 to 5."


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=STAR_CHOICES,
        widget=forms.RadioSelect,
        label="Your rating",
        error_messages={"required": CHOOSE_STARS, "invalid_choice": CHOOSE_STARS},
    )
    title = forms.CharField(
        required=False, max_length=TITLE_MAX_LENGTH, label="Title", help_text="Sum it up in a line."
    )
    body = forms.CharField(
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7}),
        label="Your review",
        help_text="What did you like or not? Other buyers read this; the store can answer.",
    )


class ReportForm(forms.Form):
    mark_optional = False  # the note is needed for "Something else": its help says when

    reason = forms.ChoiceField(choices=Report.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything our moderators should know?",
        help_text="Needed when the reason is “Something else”.",
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Your answer",
        help_text="Shown publicly under the review, with your store's name.",
    )


class ModerationForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        help_text="Shown to the review's author.",
    )


class QueueFilterForm(forms.Form):
    """Filters of the Seller Center review queue."""

    mark_optional = False

    status = forms.ChoiceField(
        required=False,
        choices=[
            ("unanswered", "Unanswered"),
            ("overdue", "Overdue"),
            ("answered", "Answered"),
            ("all", "All"),
        ],
        label="Show",
    )
    rating = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", "All ratings"), *STAR_CHOICES]
    )
    product = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Product")

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [
            ("", "All products"),
            *((p.pk, p.title) for p in products),
        ]
