"""The Seller Academy: courses → modules → lessons, and each learner's way through them.

A lesson is text (Markdown), a video, resources to download, a quiz or a
practice exercise. Lessons have a ``key`` that stays the same when a course
is revised, and are never deleted once someone has started them: an
unwanted lesson is *retired* (``retired_at``), so learners keep their
progress and their certificates while the course changes under them.

A learner's ``Enrolment`` is complete when every required (not retired)
lesson of the course is complete; completing one issues a ``Certificate``
with a public verification code. Quiz and exercise attempts are kept, each
with its score; the lesson is complete at the first passing attempt.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

TITLE_MAX_LENGTH = 160
SUMMARY_MAX_LENGTH = 400
ANSWER_MAX_LENGTH = 3000


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Signal(models.TextChoices):
    """What in a seller's own data makes a course worth recommending to them (selectors)."""

    NEW_STORE = "new_store", "A store opened recently"
    LOW_COACH_SCORES = "low_coach_scores", "Weak coach results on a guideline it teaches"
    LATE_REVIEW_ANSWERS = "late_review_answers", "Reviews answered after 48 hours"
    UNANSWERED_NEGATIVE_REVIEWS = "unanswered_negative_reviews", "Negative reviews left unanswered"
    RISING_ISSUE_WITHOUT_PLAN = "rising_issue_without_plan", "A rising issue without a plan"
    FEW_PLANS_FROM_FEEDBACK = "few_plans_from_feedback", "Problems in reviews but no plans"
    SLOW_MESSAGE_REPLIES = "slow_message_replies", "Slow answers to buyers' messages"
    ABANDONED_CONVERSATIONS = "abandoned_conversations", "Buyers left without an answer"


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH)
    description = models.TextField(blank=True, help_text="Markdown.")
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.BEGINNER)
    topics = models.JSONField(default=list, blank=True, help_text="Topic names, for filtering.")
    estimated_minutes = models.PositiveIntegerField(default=0)
    required_for_new_stores = models.BooleanField(default=False)
    counts_for_target = models.BooleanField(
        default=False,
        help_text="Review-management or product-improvement education (the KPI's target).",
    )
    teaches = models.JSONField(
        default=list, blank=True, help_text="Response-coach guideline keys the course teaches."
    )
    signals = models.JSONField(
        default=list, blank=True, help_text="Signal values that make it recommended."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    position = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("academy:course", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Revision(models.Model):
    """A note the office left when it revised a published course ("Revised on …: …")."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="revisions")
    note = models.CharField(max_length=SUMMARY_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.note[:60]}"


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class PracticeReview(models.Model):
    """A realistic review a seller practises answering (the difficult ones included)."""

    class Difficulty(models.TextChoices):
        STANDARD = "standard", "Standard"
        HARD = "hard", "Hard"

    key = models.SlugField(max_length=80, unique=True)
    product = models.CharField(max_length=TITLE_MAX_LENGTH)
    category = models.CharField(max_length=80)
    rating = models.PositiveSmallIntegerField()
    reviewer = models.CharField(max_length=60)
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    text = models.TextField()
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    why_hard = models.TextField(blank=True)
    model_answer = models.TextField(help_text="An answer that passes; shown after a pass.")

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="academy_practice_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.product} ({self.key})"


class ProductSet(models.Model):
    """A product's reviews, for the exercise of finding its top issue and planning a fix."""

    key = models.SlugField(max_length=80, unique=True)
    product = models.CharField(max_length=TITLE_MAX_LENGTH)
    category = models.CharField(max_length=80)
    summary = models.TextField()
    reviews = models.JSONField(help_text="[{rating, text}]")
    acceptable_issues = models.JSONField(
        default=list, blank=True, help_text="Theme names that are a fair second answer."
    )
    good_plan = models.JSONField(default=list, help_text="What a good plan contains.")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.product


class MessageScenario(models.Model):
    """A buyer's question, with what a full answer must cover (the rubric)."""

    key = models.SlugField(max_length=80, unique=True)
    topic = models.CharField(max_length=20)
    product = models.CharField(max_length=TITLE_MAX_LENGTH)
    buyer = models.CharField(max_length=60)
    question = models.TextField()
    rubric = models.JSONField(help_text="[{label, phrases}]: any phrase meets the item.")
    model_answer = models.TextField()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.buyer} about {self.product} ({self.key})"


class Lesson(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Reading"
        VIDEO = "video", "Video"
        RESOURCES = "resources", "Resources"
        QUIZ = "quiz", "Quiz"
        EXERCISE = "exercise", "Practice exercise"

    class ExerciseType(models.TextChoices):
        REVIEW_ANSWER = "review_answer", "Answer a review (graded by the response coach)"
        ACTION_PLAN = "action_plan", "Find a product's top issue and plan the fix"
        MESSAGE_REPLY = "message_reply", "Answer a buyer's question in full"

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    key = models.SlugField(max_length=80, help_text="Stays the same when the course is revised.")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    body = models.TextField(blank=True, help_text="Markdown: the reading, or the instructions.")
    minutes = models.PositiveIntegerField(default=5)
    video_url = models.URLField(blank=True)
    video_file = models.FileField(upload_to="academy/videos/", blank=True)
    exercise_type = models.CharField(max_length=20, choices=ExerciseType.choices, blank=True)
    practice_reviews = models.ManyToManyField(PracticeReview, blank=True, related_name="lessons")
    product_set = models.ForeignKey(
        ProductSet, on_delete=models.PROTECT, null=True, blank=True, related_name="lessons"
    )
    message_scenarios = models.ManyToManyField(MessageScenario, blank=True, related_name="lessons")
    pass_score = models.PositiveSmallIntegerField(
        default=80, help_text="Quiz: per cent of questions right; exercise: its score of 100."
    )
    teaches = models.JSONField(default=list, blank=True)
    articles = models.JSONField(default=list, blank=True, help_text="Knowledge-base slugs.")
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["module__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["module", "key"], name="academy_lesson_key_in_module")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def course(self) -> Course:
        return self.module.course

    @property
    def is_graded(self) -> bool:
        return self.kind in (self.Kind.QUIZ, self.Kind.EXERCISE)


class Resource(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    file = models.FileField(upload_to="academy/resources/")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "One answer"
        MULTIPLE = "multiple", "Several answers"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=400)
    is_correct = models.BooleanField(default=False)
    explanation = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_at = models.DateTimeField(default=timezone.now)
    last_lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text="The last course reminder, after the last visit."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="academy_enrol_once")
        ]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self) -> str:
        return f"user {self.user_id} in {self.course_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="progress")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="academy_progress_once")
        ]

    def __str__(self) -> str:
        return f"lesson {self.lesson_id} for enrolment {self.enrolment_id}"


class Attempt(models.Model):
    """One submitted quiz or practice answer, with its grade (kept, never changed)."""

    progress = models.ForeignKey(LessonProgress, on_delete=models.CASCADE, related_name="history")
    practice_review = models.ForeignKey(
        PracticeReview, on_delete=models.PROTECT, null=True, blank=True, related_name="attempts"
    )
    message_scenario = models.ForeignKey(
        MessageScenario, on_delete=models.PROTECT, null=True, blank=True, related_name="attempts"
    )
    answers = models.JSONField(
        default=dict,
        blank=True,
        help_text="Quiz: {question id: [choice ids]}; action plan: {top_issue}.",
    )
    text = models.TextField(blank=True, help_text="Exercise: the seller's answer or plan.")
    grading = models.JSONField(
        default=dict, blank=True, help_text="Per question, the coach's findings, or per point."
    )
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"attempt {self.pk}: {self.score} ({'pass' if self.passed else 'fail'})"


class Certificate(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(max_length=20, unique=True)
    holder_name = models.CharField(max_length=160)
    course_title = models.CharField(max_length=TITLE_MAX_LENGTH)
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"certificate {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("academy:certificate", kwargs={"code": self.code})


class SuccessStory(models.Model):
    """A case study the office publishes: a store, and where available its measured plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    store = models.ForeignKey(
        "catalog.Store", on_delete=models.CASCADE, related_name="success_stories"
    )
    plan = models.ForeignKey(
        "improvements.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="success_stories",
        help_text="The improvement plan whose measured before/after the story shows.",
    )
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH)
    body = models.TextField(help_text="Markdown.")
    quote = models.TextField(blank=True)
    quote_author = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = "success stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("academy_stories:story", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
