"""A small published course for tests: a reading, a quiz and a practice exercise."""

from dataclasses import dataclass

from saypro.academy.models import Choice, Course, Lesson, Module, PracticeReview, Question

ZIP_REVIEW = (
    "The dress arrived two weeks late and the zip broke the first time I wore it. "
    "Really disappointed."
)
GOOD_ANSWER = (
    "Naledi, thank you for telling us, and I'm so sorry the zip on your wrap linen dress "
    "broke the first time you wore it, and that it arrived two weeks late. That is not the "
    "quality we promise. Please message us through your order and we will send a free "
    "replacement or a full refund, whichever you prefer."
)
WEAK_ANSWER = "This never happens. You probably pulled the zip too hard. Read the care label."


@dataclass
class CourseWorld:
    course: Course
    reading: Lesson
    quiz: Lesson
    exercise: Lesson
    single: Question
    multiple: Question
    review: PracticeReview

    def right_answers(self) -> dict[int, list[int]]:
        return {
            question.pk: [choice.pk for choice in question.choices.filter(is_correct=True)]
            for question in (self.single, self.multiple)
        }


def build_course(*, slug: str = "responding-to-reviews", status=Course.Status.PUBLISHED):
    course = Course.objects.create(
        slug=slug,
        title="Responding to reviews",
        summary="Answer every review quickly and well.",
        description="Why answers matter, with **examples**.",
        topics=["Reviews"],
        estimated_minutes=45,
        status=status,
        teaches=["empathy", "next_step"],
        signals=["low_coach_scores"],
    )
    module = Module.objects.create(course=course, title="The basics", position=1)
    reading = Lesson.objects.create(
        module=module,
        key="why-answers-matter",
        title="Why answers matter",
        kind=Lesson.Kind.TEXT,
        body="Buyers read answers. <script>alert(1)</script>",
        position=1,
    )
    quiz = Lesson.objects.create(
        module=module, key="quiz", title="Check yourself", kind=Lesson.Kind.QUIZ, position=2
    )
    single = Question.objects.create(lesson=quiz, text="How long is the answer goal?", position=1)
    for position, (text, correct) in enumerate((("48 hours", True), ("A week", False))):
        Choice.objects.create(
            question=single,
            text=text,
            is_correct=correct,
            explanation="The marketplace's goal is 48 hours.",
            position=position,
        )
    multiple = Question.objects.create(
        lesson=quiz, text="What belongs in an answer?", kind=Question.Kind.MULTIPLE, position=2
    )
    for position, (text, correct) in enumerate(
        (("Thanks", True), ("A next step", True), ("Blame", False))
    ):
        Choice.objects.create(
            question=multiple,
            text=text,
            is_correct=correct,
            explanation="Thank, help, never blame.",
            position=position,
        )
    exercise = Lesson.objects.create(
        module=module,
        key="practice",
        title="Answer an angry review",
        kind=Lesson.Kind.EXERCISE,
        exercise_type=Lesson.ExerciseType.REVIEW_ANSWER,
        position=3,
    )
    review = PracticeReview.objects.create(
        key=f"zip-broke-{slug}",
        product="Wrap linen dress",
        category="Clothing",
        rating=1,
        reviewer="Naledi",
        title="Zip broke",
        text=ZIP_REVIEW,
        difficulty=PracticeReview.Difficulty.HARD,
        why_hard="Two problems at once, and an angry tone.",
        model_answer=GOOD_ANSWER,
    )
    exercise.practice_reviews.add(review)
    return CourseWorld(course, reading, quiz, exercise, single, multiple, review)
