from django import forms

from saypro.academy.models import ANSWER_MAX_LENGTH, Lesson, PracticeReview, Question


class QuizForm(forms.Form):
    """One field per question: radio buttons for one answer, checkboxes for several."""

    def __init__(self, lesson: Lesson, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(lesson.questions.prefetch_related("choices"))
        for number, question in enumerate(self.questions, start=1):
            choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
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


class ExerciseForm(forms.Form):
    """The seller's answer to one of the exercise's practice reviews."""

    review = forms.ModelChoiceField(
        queryset=PracticeReview.objects.none(),
        to_field_name="key",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose one of the exercise's reviews."},
    )
    text = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=ANSWER_MAX_LENGTH,
        strip=True,
        error_messages={"required": "Write your answer to the review first."},
    )

    def __init__(self, lesson: Lesson, *args, review_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviews = list(lesson.practice_reviews.order_by("key"))
        self.fields["review"].queryset = lesson.practice_reviews.all()
        self.review_key = review_key

    def selected_review(self) -> PracticeReview | None:
        """The review being answered: the one posted, else the one asked for, else the first."""
        key = self.data.get("review") if self.is_bound else self.review_key
        chosen = next((review for review in self.reviews if review.key == key), None)
        return chosen or (self.reviews[0] if self.reviews else None)
