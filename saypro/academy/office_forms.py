"""The office's authoring forms: they shape input for ``authoring`` (which enforces the rules)."""

from django import forms
from django.urls import reverse

from saypro.academy.authoring import MAX_CHOICES, ChoiceInput, CourseInput, LessonInput, StoryInput
from saypro.academy.models import (
    Course,
    Lesson,
    Level,
    MessageScenario,
    PracticeReview,
    ProductSet,
    Question,
    Signal,
    SuccessStory,
)
from saypro.catalog.models import Store
from saypro.coaching.guidelines.base import GUIDELINES
from saypro.improvements.models import Plan

CHOICE_ROWS = 4
# The fields only some kinds of lesson have (the rest is shared).
KIND_FIELDS = {
    "video_url": {Lesson.Kind.VIDEO},
    "video_file": {Lesson.Kind.VIDEO},
    "exercise_type": {Lesson.Kind.EXERCISE},
    "pass_score": {Lesson.Kind.QUIZ, Lesson.Kind.EXERCISE},
}


def _markdown_preview(field: forms.Field, name: str) -> None:
    """Render the field's Markdown below it as the author types (htmx; the form works without)."""
    field.widget.attrs.update(
        {
            "hx-post": reverse("office_academy:preview") + f"?field={name}",
            "hx-trigger": "input changed delay:500ms",
            "hx-target": f"#{name}-preview",
            "hx-params": name,
        }
    )


class CourseForm(forms.Form):
    title = forms.CharField(max_length=160)
    slug = forms.SlugField(
        max_length=80,
        required=False,
        help_text="The course's address (/academy/courses/…/); made from the title when empty. "
        "It cannot change once the course is published.",
    )
    summary = forms.CharField(max_length=400, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown."
    )
    level = forms.ChoiceField(choices=Level.choices)
    topics = forms.CharField(
        required=False, help_text="Comma-separated, e.g. “Reviews, Customer service”."
    )
    estimated_minutes = forms.IntegerField(min_value=0, max_value=10000, initial=30)
    required_for_new_stores = forms.BooleanField(required=False)
    counts_for_target = forms.BooleanField(
        required=False,
        label="Review-management or product-improvement education",
        help_text="Counts for the target: 80 % of active sellers take part.",
    )
    teaches = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Coach guidelines it teaches",
        help_text="Recommended to stores whose answers often miss these.",
    )
    signals = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Signal.choices,
        label="Recommend when",
    )

    def __init__(self, *args, course: Course | None = None, **kwargs):
        if course is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": course.title,
                "slug": course.slug,
                "summary": course.summary,
                "description": course.description,
                "level": course.level,
                "topics": ", ".join(course.topics),
                "estimated_minutes": course.estimated_minutes,
                "required_for_new_stores": course.required_for_new_stores,
                "counts_for_target": course.counts_for_target,
                "teaches": course.teaches,
                "signals": course.signals,
            }
        super().__init__(*args, **kwargs)
        self.fields["teaches"].choices = [(key, rule.label) for key, rule in GUIDELINES.items()]
        _markdown_preview(self.fields["description"], "description")

    def to_input(self) -> CourseInput:
        data = self.cleaned_data
        return CourseInput(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            description=data["description"],
            level=data["level"],
            topics=[topic for topic in data["topics"].split(",") if topic.strip()],
            estimated_minutes=data["estimated_minutes"],
            required_for_new_stores=data["required_for_new_stores"],
            counts_for_target=data["counts_for_target"],
            teaches=data["teaches"],
            signals=data["signals"],
        )


class ModuleForm(forms.Form):
    title = forms.CharField(
        max_length=160,
        error_messages={
            "required": "A module needs a title.",
            "max_length": "A module's title takes at most %(limit_value)d characters "
            "(it has %(show_value)d).",
        },
    )
    summary = forms.CharField(
        max_length=400,
        required=False,
        error_messages={
            "max_length": "A module's summary takes at most %(limit_value)d characters "
            "(it has %(show_value)d).",
        },
    )


class LessonForm(forms.Form):
    title = forms.CharField(max_length=160)
    kind = forms.ChoiceField(choices=Lesson.Kind.choices)
    summary = forms.CharField(max_length=400, required=False)
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        label="Text",
        help_text="Markdown: the reading, or the instructions above a video, files, quiz or "
        "exercise. Images: ![what it shows](https://…).",
    )
    minutes = forms.IntegerField(min_value=1, max_value=600, initial=5)
    video_url = forms.URLField(
        assume_scheme="https",
        required=False,
        label="Video address",
        help_text="Video lessons: a YouTube or Vimeo link, shown as an embedded player.",
    )
    video_file = forms.FileField(
        required=False,
        label="Or upload the video",
        help_text="MP4, WebM or Ogg, up to 200 MB.",
        widget=forms.FileInput(attrs={"accept": "video/mp4,video/webm,video/ogg"}),
    )
    exercise_type = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *Lesson.ExerciseType.choices],
        label="Exercise",
        help_text="Practice exercises: what the seller does.",
    )
    pass_score = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=80,
        required=False,
        label="Pass mark",
        help_text="Quiz: per cent of questions right; exercise: its score of 100.",
    )

    def __init__(self, *args, lesson: Lesson | None = None, **kwargs):
        if lesson is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(lesson, name)
                for name in (
                    "title",
                    "kind",
                    "summary",
                    "body",
                    "minutes",
                    "video_url",
                    "exercise_type",
                    "pass_score",
                )
            }
        super().__init__(*args, **kwargs)
        self.lesson = lesson
        _markdown_preview(self.fields["body"], "body")
        if lesson is not None:
            self._only_fields_of(lesson)

    def _only_fields_of(self, lesson: Lesson) -> None:
        """An existing lesson's editor shows the fields of its kind (the one posted, when
        the kind is being changed); a started lesson's kind is fixed."""
        if lesson.progress.exists():
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = "Learners started this lesson, so its kind stays."
        kind = self.data.get("kind", lesson.kind) if self.is_bound else lesson.kind
        if self.fields["kind"].disabled:
            kind = lesson.kind
        for name, kinds in KIND_FIELDS.items():
            if kind not in kinds:
                del self.fields[name]

    def to_input(self) -> LessonInput:
        data = self.cleaned_data
        lesson = self.lesson
        return LessonInput(
            title=data["title"],
            kind=data["kind"],
            summary=data["summary"],
            body=data["body"],
            minutes=data["minutes"],
            video_url=data.get("video_url", ""),
            exercise_type=data.get("exercise_type", lesson.exercise_type if lesson else ""),
            pass_score=data.get("pass_score") or (lesson.pass_score if lesson else 80),
        )


class NewLessonForm(LessonForm):
    """Adding a lesson: the details first; videos, files, questions and items on its page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["video_file"]


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=160, label="File title")
    file = forms.FileField(help_text="PDF, PNG or JPEG, office document or plain text; 20 MB.")


class QuestionForm(forms.Form):
    mark_optional = False  # answers past the second are optional: their fieldset says so
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(choices=Question.Kind.choices, label="Answers")

    def __init__(self, *args, question: Question | None = None, **kwargs):
        choices = list(question.choices.all()) if question is not None else []
        rows = max(CHOICE_ROWS, min(len(choices) + 1, MAX_CHOICES))
        if question is not None and "initial" not in kwargs:
            initial = {"text": question.text, "kind": question.kind}
            for number, choice in enumerate(choices, start=1):
                initial[f"choice_{number}"] = choice.text
                initial[f"correct_{number}"] = choice.is_correct
                initial[f"explanation_{number}"] = choice.explanation
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.rows = rows
        for number in range(1, rows + 1):
            self.fields[f"choice_{number}"] = forms.CharField(
                max_length=400, required=False, label=f"Answer {number}"
            )
            self.fields[f"correct_{number}"] = forms.BooleanField(
                required=False, label=f"Answer {number} is correct"
            )
            self.fields[f"explanation_{number}"] = forms.CharField(
                required=False,
                label=f"Why answer {number} is right or wrong",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def choice_rows(self):
        return [
            (self[f"choice_{n}"], self[f"correct_{n}"], self[f"explanation_{n}"])
            for n in range(1, self.rows + 1)
        ]

    def choices(self) -> list[ChoiceInput]:
        data = self.cleaned_data
        return [
            ChoiceInput(
                text=data[f"choice_{n}"],
                is_correct=data[f"correct_{n}"],
                explanation=data[f"explanation_{n}"],
            )
            for n in range(1, self.rows + 1)
        ]


class PracticeItemsForm(forms.Form):
    reviews = forms.ModelMultipleChoiceField(
        queryset=PracticeReview.objects.order_by("key"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Reviews to answer",
    )
    scenarios = forms.ModelMultipleChoiceField(
        queryset=MessageScenario.objects.order_by("key"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Buyer questions to answer",
    )
    product_set = forms.ModelChoiceField(
        queryset=ProductSet.objects.order_by("key"),
        required=False,
        label="Product and its reviews",
    )

    def __init__(self, *args, lesson: Lesson, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "reviews": list(lesson.practice_reviews.all()),
                "scenarios": list(lesson.message_scenarios.all()),
                "product_set": lesson.product_set,
            }
        super().__init__(*args, **kwargs)
        keep = {
            Lesson.ExerciseType.REVIEW_ANSWER: "reviews",
            Lesson.ExerciseType.MESSAGE_REPLY: "scenarios",
            Lesson.ExerciseType.ACTION_PLAN: "product_set",
        }.get(lesson.exercise_type)
        for name in list(self.fields):
            if name != keep:
                del self.fields[name]


class RevisionForm(forms.Form):
    note = forms.CharField(
        max_length=400,
        error_messages={
            "required": "Write what changed.",
            "max_length": "The note takes at most %(limit_value)d characters "
            "(it has %(show_value)d).",
        },
        label="What changed",
        help_text="Shown on the course page as “Revised on …: …”.",
    )


class StoryForm(forms.Form):
    title = forms.CharField(max_length=160)
    slug = forms.SlugField(
        max_length=80, required=False, help_text="Made from the title when empty."
    )
    store = forms.ModelChoiceField(queryset=Store.objects.order_by("name"))
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.filter(status=Plan.Status.MEASURED)
        .select_related("store")
        .order_by("store__name", "-measured_at"),
        required=False,
        label="Measured improvement plan",
        help_text="Its before/after figures and chart appear in the story. Must be the store's.",
    )
    summary = forms.CharField(max_length=400, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}), label="Story", help_text="Markdown."
    )
    quote = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    quote_author = forms.CharField(max_length=120, required=False, label="Who said it")
    featured = forms.BooleanField(
        required=False, help_text="The latest featured story shows on sellers' dashboards."
    )

    def __init__(self, *args, story: SuccessStory | None = None, **kwargs):
        if story is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": story.title,
                "slug": story.slug,
                "store": story.store,
                "plan": story.plan,
                "summary": story.summary,
                "body": story.body,
                "quote": story.quote,
                "quote_author": story.quote_author,
                "featured": story.featured,
            }
        super().__init__(*args, **kwargs)
        self.fields["plan"].label_from_instance = lambda plan: f"{plan.store.name}: {plan.title}"
        if story is not None:
            self.fields["slug"].disabled = True
        _markdown_preview(self.fields["body"], "body")

    def to_input(self) -> StoryInput:
        data = self.cleaned_data
        return StoryInput(
            title=data["title"],
            slug=data.get("slug") or "",
            store=data["store"],
            plan=data["plan"],
            summary=data["summary"],
            body=data["body"],
            quote=data["quote"],
            quote_author=data["quote_author"],
            featured=data["featured"],
        )
