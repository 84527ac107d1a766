import random

from django import forms

from saypro.academy.models import ANSWER_MAX_LENGTH, Lesson, Question
from saypro.academy.selectors import theme_names


class QuizForm(forms.Form):
    """One field per question: radio buttons for one answer, checkboxes for several.

    Each question's answers show in an order shuffled once for that question
    (seeded by its id, so the page is the same on every visit and after
    submitting): authors tend to write the right answer first, and learners
    should not pass by always picking the first.
    """

    def __init__(self, lesson: Lesson, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(lesson.questions.prefetch_related("choices"))
        for number, question in enumerate(self.questions, start=1):
            choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
            random.Random(question.pk).shuffle(choices)
            label = f"{number}. {question.text}"
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose an answer."},
                )
            else:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text="Choose every answer that applies.",
                    error_messages={"required": "Choose at least one answer."},
                )
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question: Question) -> str:
        return f"question_{question.pk}"

    def answers(self) -> dict[int, list[int]]:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data[self.field_name(question)]
            values = value if isinstance(value, list) else [value]
            answers[question.pk] = [int(pk) for pk in values]
        return answers


class _PickOneForm(forms.Form):
    """An answer to one of the exercise's items (a review or a buyer question), by key."""

    item = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=ANSWER_MAX_LENGTH,
        strip=True,
        error_messages={"required": "Write your answer first."},
    )

    def __init__(self, items, *args, chosen: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.chosen = chosen

    def selected(self):
        """The item being answered: the one posted, else the one asked for, else the first."""
        key = self.data.get("item") if self.is_bound else self.chosen
        found = next((item for item in self.items if item.key == key), None)
        return found or (self.items[0] if self.items else None)

    def clean_item(self):
        found = next((item for item in self.items if item.key == self.cleaned_data["item"]), None)
        if found is None:
            raise forms.ValidationError("Choose one of the exercise's items.")
        return found


class ReviewAnswerForm(_PickOneForm):
    def __init__(self, lesson: Lesson, *args, **kwargs):
        super().__init__(lesson.practice_reviews.order_by("key"), *args, **kwargs)
        self.fields["text"].label = "Your answer to the review"


class MessageReplyForm(_PickOneForm):
    def __init__(self, lesson: Lesson, *args, **kwargs):
        super().__init__(lesson.message_scenarios.order_by("key"), *args, **kwargs)
        self.fields["text"].label = "Your reply to the buyer"


class ActionPlanForm(forms.Form):
    issue = forms.ChoiceField(label="The top issue in these reviews")
    text = forms.CharField(
        label="Your plan, one step per line",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=ANSWER_MAX_LENGTH,
        strip=True,
        help_text="Say what you will change, how you will measure it and by when.",
        error_messages={"required": "Write your plan, one step per line."},
    )

    def __init__(self, lesson: Lesson, *args, chosen: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.product_set = lesson.product_set
        self.fields["issue"].choices = [("", "Choose a theme…")] + [
            (name, name) for name in theme_names()
        ]

    def selected(self):
        return self.product_set


EXERCISE_FORMS = {
    Lesson.ExerciseType.REVIEW_ANSWER: ReviewAnswerForm,
    Lesson.ExerciseType.MESSAGE_REPLY: MessageReplyForm,
    Lesson.ExerciseType.ACTION_PLAN: ActionPlanForm,
}
