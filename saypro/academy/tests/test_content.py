"""The shipped Academy content: it loads, meets the minimums, and agrees with the coach.

No database and no installed app: the loader is pure, the coach is pure, and
the insights analysis reads the shipped model from the package.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from saypro.academy.content import (
    COACH_GUIDELINE_KEYS,
    THEME_NAMES,
    Content,
    ContentError,
    load_content,
)
from saypro.coaching.coach import GUIDELINES, ReviewInput, coach
from saypro.insights.analysis import analyze
from saypro.insights.themes import DEFAULT_THEMES

PUBLISHED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANSWERED_AT = PUBLISHED_AT + timedelta(hours=1)  # well inside the 48-hour goal
CORE_COURSES = ("responding-to-reviews", "feedback-to-better-products", "messaging-that-converts")


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def words(text: str) -> int:
    return len(text.split())


def test_the_key_lists_match_the_coach_and_the_taxonomy():
    assert tuple(GUIDELINES) == COACH_GUIDELINE_KEYS
    assert tuple(theme.name for theme in DEFAULT_THEMES) == THEME_NAMES


def test_the_three_core_courses_have_enough_substance(content):
    assert tuple(course.slug for course in content.courses) == tuple(sorted(CORE_COURSES))
    for course in content.courses:
        texts = [lesson for lesson in course.lessons if lesson.kind == "text"]
        assert len(texts) >= 5, course.slug
        for lesson in texts:
            assert 400 <= words(lesson.body) <= 950, (course.slug, lesson.slug, words(lesson.body))
        quizzes = [lesson.quiz for lesson in course.lessons if lesson.quiz]
        assert len(quizzes) == 1 and len(quizzes[0].questions) >= 8, course.slug
        kinds = {question.kind for question in quizzes[0].questions}
        assert kinds == {"single", "multiple"}, course.slug
    assert [c.slug for c in content.courses if c.required_for_new_stores] == [
        "responding-to-reviews"
    ]


def test_each_course_estimate_matches_its_lessons(content):
    for course in content.courses:
        lesson_minutes = sum(lesson.minutes for lesson in course.lessons)
        assert abs(course.estimated_minutes - lesson_minutes) <= 10, (course.slug, lesson_minutes)


def test_each_course_has_its_exercises(content):
    def exercises(slug: str) -> list:
        return [lesson.exercise for lesson in content.course(slug).lessons if lesson.exercise]

    review_exercises = exercises("responding-to-reviews")
    assert len(review_exercises) >= 3
    assert {e.exercise_type for e in review_exercises} == {"review_answer"}
    answered = {slug for exercise in review_exercises for slug in exercise.reviews}
    # The difficult ones: an angry one-star, a mixed three-star, an unfair claim, a flawed five.
    assert {
        "linen-dress-angry-one-star",
        "bluetooth-speaker-mixed-three-star",
        "air-fryer-unfair-claim",
        "face-serum-five-star-with-flaw",
    } <= answered
    assert "action_plan" in {e.exercise_type for e in exercises("feedback-to-better-products")}
    assert "message_reply" in {e.exercise_type for e in exercises("messaging-that-converts")}


def test_the_review_course_teaches_every_coach_guideline(content):
    lessons = content.course("responding-to-reviews").lessons
    assert {key for lesson in lessons for key in lesson.teaches} == set(GUIDELINES)


def test_each_review_lesson_shows_good_and_bad_answers_with_reasons(content):
    for lesson in content.course("responding-to-reviews").lessons:
        if lesson.kind == "text":
            lines = lesson.body.splitlines()
            good = sum(line.startswith("**Good") for line in lines)
            bad = sum(line.startswith("**Bad") for line in lines)
            reasons = sum(line.startswith("*Why") for line in lines)
            assert good >= 2 and bad >= 2 and reasons >= good + bad, lesson.slug


def test_every_quiz_question_is_well_formed(content):
    for course in content.courses:
        for lesson in course.lessons:
            for question in lesson.quiz.questions if lesson.quiz else ():
                correct = sum(choice.correct for choice in question.choices)
                assert correct == 1 if question.kind == "single" else correct >= 1, question.text
                assert all(choice.explanation for choice in question.choices), question.text


def test_every_reference_resolves(content):
    articles = {article.slug for article in content.articles}
    reviews = {review.slug for review in content.practice_reviews}
    sets = {product_set.slug for product_set in content.product_sets}
    messages = {scenario.slug for scenario in content.message_scenarios}
    for course in content.courses:
        assert set(course.recommend_when.coach_guidelines) <= set(GUIDELINES)
        for lesson in course.lessons:
            assert set(lesson.articles) <= articles, lesson.slug
            assert set(lesson.teaches) <= set(GUIDELINES), lesson.slug
            if lesson.exercise:
                assert set(lesson.exercise.reviews) <= reviews
                assert set(lesson.exercise.messages) <= messages
                assert lesson.exercise.product_set in sets | {""}
    for article in content.articles:
        assert set(article.related) <= articles - {article.slug}, article.slug
    for topic in content.consultation_topics:
        assert set(topic.articles) <= articles, topic.slug


def test_the_knowledge_base_covers_every_subject(content):
    assert len(content.articles) >= 28
    categories = {category.slug for category in content.categories}
    for article in content.articles:
        assert article.category in categories, article.slug
        assert 250 <= article.word_count <= 800, (article.slug, article.word_count)
        assert article.updated.year == 2026, article.slug
        assert article.related, article.slug
    assert {article.kind for article in content.articles} == {
        "guide",
        "faq",
        "best_practice",
        "examples",
    }
    assert all(any(a.category == c for a in content.articles) for c in categories)


def test_every_coach_guideline_has_an_article(content):
    for key in GUIDELINES:
        article = content.article_for_guideline(key)
        assert article is not None, key
        assert GUIDELINES[key].label in article.title, key


def test_the_extras_meet_their_minimums(content):
    assert len(content.webinars) >= 6
    assert all(len(webinar.agenda) >= 3 for webinar in content.webinars)
    assert {webinar.recurring_monthly for webinar in content.webinars} == {True, False}
    assert len(content.canned_replies) >= 8
    assert len({reply.category for reply in content.canned_replies}) >= 4
    assert len(content.consultation_topics) >= 5


def test_the_practice_bank_spans_categories_and_difficulties(content):
    reviews = content.practice_reviews
    assert len(reviews) >= 12
    assert len({review.category for review in reviews}) >= 6
    assert {review.difficulty for review in reviews} == {"standard", "hard"}
    assert {review.rating for review in reviews} >= {1, 2, 3, 4, 5}


def coached(review, answer: str):
    return coach(
        ReviewInput(
            text=review.text,
            rating=review.rating,
            product=review.product,
            reviewer=review.reviewer,
            title=review.title,
            published_at=PUBLISHED_AT,
        ),
        answer,
        now=ANSWERED_AT,
    )


def pass_scores(content: Content) -> dict[str, int]:
    """The highest pass score of any exercise that uses each practice review."""
    scores: dict[str, int] = {}
    for course in content.courses:
        for lesson in course.lessons:
            for slug in lesson.exercise.reviews if lesson.exercise else ():
                scores[slug] = max(scores.get(slug, 0), lesson.exercise.pass_score)
    return scores


def test_the_coach_passes_every_model_answer_and_fails_every_weak_one(content):
    scores = pass_scores(content)
    for review in content.practice_reviews:
        pass_score = scores.get(review.slug, 80)
        model = coached(review, review.model_answer)
        failing = [f.guideline for f in model.findings if f.verdict == "fail"]
        assert model.score >= pass_score and not failing, (review.slug, model.score, failing)
        weak = coached(review, review.weak_answer)
        assert weak.score < pass_score, (review.slug, weak.score)


def test_every_practice_review_is_used_by_an_exercise(content):
    assert set(pass_scores(content)) == {review.slug for review in content.practice_reviews}


def test_the_message_rubrics_tell_a_full_answer_from_a_weak_one(content):
    exercises = [
        lesson.exercise
        for course in content.courses
        for lesson in course.lessons
        if lesson.exercise and lesson.exercise.exercise_type == "message_reply"
    ]
    used = {slug: e.pass_score for e in exercises for slug in e.messages}
    assert set(used) == {scenario.slug for scenario in content.message_scenarios}
    for scenario in content.message_scenarios:
        assert all(scenario.rubric_met(scenario.model_answer)), scenario.slug
        weak = scenario.rubric_met(scenario.weak_answer)
        assert 100 * sum(weak) / len(weak) < used[scenario.slug], (scenario.slug, weak)
        assert sum(weak) <= len(weak) - 2, scenario.slug


def test_the_product_sets_point_at_their_expected_issue(content):
    """The insights analysis agrees: the most negatively mentioned theme is the expected one."""
    names = {theme.slug: theme.name for theme in DEFAULT_THEMES}
    assert len(content.product_sets) >= 2
    for product_set in content.product_sets:
        assert 15 <= len(product_set.reviews) <= 30
        analyses = analyze([review.text for review in product_set.reviews], with_key_phrases=False)
        negative = Counter(
            names[theme]
            for analysis in analyses
            for theme, sentiment in analysis.themes.items()
            if sentiment == "negative"
        )
        top, _ = negative.most_common(1)[0]
        assert top == product_set.expected_top_issue, negative


# Broken content: the loader names the file and the field.

COURSE = """
slug = "tiny"
title = "Tiny"
summary = "A tiny course."
description = "Tiny."
level = "beginner"
estimated_minutes = 5

[[modules]]
title = "One"
summary = "The only module."
lessons = ["lesson"]
"""
LESSON = """+++
title = "Lesson"
kind = "text"
minutes = 3
summary = "A lesson."
{extra}
+++
Body.
"""
ARTICLE = """+++
title = "An article"
category = "{category}"
kind = "guide"
summary = "About something."
updated = 2026-02-01
related = []
+++
Body.
"""
QUIZ = """
pass_mark = 80
[[questions]]
text = "Which?"
kind = "{kind}"
[[questions.choices]]
text = "A"
correct = {first}
explanation = "Because."
[[questions.choices]]
text = "B"
correct = {second}
explanation = "Because."
"""
REVIEW = """
[[reviews]]
slug = "{slug}"
category = "home"
product = "Lamp"
reviewer = "Sam"
rating = 2
text = "Broke."
difficulty = "standard"
model_answer = "Sorry."
weak_answer = "No."
notes = "Notes."
"""


def write_tree(root: Path, *, lesson_extra: str = "", category: str = "guides", reviews=("one",)):
    """A minimal valid content tree, with the given tweaks."""
    files = {
        "courses/tiny/course.toml": COURSE,
        "courses/tiny/lesson.md": LESSON.format(extra=lesson_extra),
        "practice/reviews.toml": "".join(REVIEW.format(slug=slug) for slug in reviews),
        "practice/product_sets.toml": "sets = []",
        "practice/messages.toml": "messages = []",
        "knowledge/categories.toml": (
            '[[categories]]\nslug = "guides"\ntitle = "Guides"\ndescription = "All."\norder = 1\n'
        ),
        "knowledge/an-article.md": ARTICLE.format(category=category),
        "events/webinars.toml": "events = []",
        "support/canned_replies.toml": "replies = []",
        "consultations/topics.toml": "topics = []",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_minimal_tree_loads(tmp_path):
    write_tree(tmp_path)
    content = load_content(tmp_path)
    assert content.course("tiny").lessons[0].body == "Body.\n"
    assert content.article("an-article").updated.isoformat() == "2026-02-01"
    with pytest.raises(KeyError):
        content.course("no-such-course")


def raises(tmp_path: Path, file: str, field: str) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path)
    assert caught.value.path == tmp_path / file
    assert caught.value.field == field
    assert str(tmp_path / file) in str(caught.value)
    return caught.value


def test_an_unknown_lesson_kind_is_refused(tmp_path):
    write_tree(tmp_path)
    lesson = tmp_path / "courses/tiny/lesson.md"
    lesson.write_text(lesson.read_text().replace('kind = "text"', 'kind = "video"'))
    error = raises(tmp_path, "courses/tiny/lesson.md", "kind")
    assert "'video'" in error.message


def test_a_missing_field_is_named(tmp_path):
    write_tree(tmp_path)
    lesson = tmp_path / "courses/tiny/lesson.md"
    lesson.write_text(lesson.read_text().replace("minutes = 3\n", ""))
    assert raises(tmp_path, "courses/tiny/lesson.md", "minutes").message == "missing"


def test_an_unknown_article_reference_is_refused(tmp_path):
    write_tree(tmp_path, lesson_extra='articles = ["no-such-article"]')
    raises(tmp_path, "courses/tiny/lesson.md", "articles[0]")


def test_an_unknown_coach_guideline_is_refused(tmp_path):
    write_tree(tmp_path, lesson_extra='teaches = ["politeness"]')
    raises(tmp_path, "courses/tiny/lesson.md", "teaches[0]")


def test_a_missing_lesson_file_is_named(tmp_path):
    write_tree(tmp_path)
    (tmp_path / "courses/tiny/lesson.md").unlink()
    raises(tmp_path, "courses/tiny/lesson.md", "")


def test_an_unknown_practice_review_is_refused(tmp_path):
    write_tree(
        tmp_path,
        lesson_extra='exercise_type = "review_answer"\npass_score = 80\nreviews = ["two"]',
    )
    lesson = tmp_path / "courses/tiny/lesson.md"
    lesson.write_text(lesson.read_text().replace('kind = "text"', 'kind = "exercise"'))
    raises(tmp_path, "courses/tiny/lesson.md", "reviews[0]")


def write_quiz(tmp_path: Path, *, kind: str, first: str, second: str) -> None:
    write_tree(tmp_path, lesson_extra=QUIZ.format(kind=kind, first=first, second=second))
    lesson = tmp_path / "courses/tiny/lesson.md"
    lesson.write_text(lesson.read_text().replace('kind = "text"', 'kind = "quiz"'))


def test_a_question_without_a_correct_choice_is_refused(tmp_path):
    write_quiz(tmp_path, kind="multiple", first="false", second="false")
    raises(tmp_path, "courses/tiny/lesson.md", "questions[0].choices")


def test_a_single_choice_question_with_two_correct_choices_is_refused(tmp_path):
    write_quiz(tmp_path, kind="single", first="true", second="true")
    raises(tmp_path, "courses/tiny/lesson.md", "questions[0].choices")


def test_a_multiple_choice_question_may_have_two_correct_choices(tmp_path):
    write_quiz(tmp_path, kind="multiple", first="true", second="true")
    quiz = load_content(tmp_path).course("tiny").lessons[0].quiz
    assert [choice.correct for choice in quiz.questions[0].choices] == [True, True]


def test_a_duplicate_slug_is_refused(tmp_path):
    write_tree(tmp_path, reviews=("one", "one"))
    error = raises(tmp_path, "practice/reviews.toml", "reviews.slug")
    assert "duplicate" in error.message


def test_an_unknown_category_is_refused(tmp_path):
    write_tree(tmp_path, category="recipes")
    raises(tmp_path, "knowledge/an-article.md", "category")


def test_a_wrong_type_is_refused(tmp_path):
    write_tree(tmp_path)
    lesson = tmp_path / "courses/tiny/lesson.md"
    lesson.write_text(lesson.read_text().replace("minutes = 3", 'minutes = "three"'))
    assert "expected int" in raises(tmp_path, "courses/tiny/lesson.md", "minutes").message


def test_invalid_toml_names_the_file(tmp_path):
    write_tree(tmp_path)
    (tmp_path / "events/webinars.toml").write_text("events = [", encoding="utf-8")
    raises(tmp_path, "events/webinars.toml", "")


def test_a_misspelt_field_is_refused(tmp_path):
    write_tree(tmp_path, lesson_extra='artciles = ["an-article"]')
    assert raises(tmp_path, "courses/tiny/lesson.md", "artciles").message == "unknown field"


def test_a_missing_field_in_a_nested_table_is_named_with_its_path(tmp_path):
    write_quiz(tmp_path, kind="single", first="true", second="false")
    lesson = tmp_path / "courses/tiny/lesson.md"
    lesson.write_text(lesson.read_text().replace('explanation = "Because."', 'explain = "X"', 1))
    raises(tmp_path, "courses/tiny/lesson.md", "questions[0].choices[0].explanation")


def test_the_courses_ship_a_diagram_and_downloads(content):
    [diagram] = [
        image for course in content.courses for lesson in course.lessons for image in lesson.images
    ]
    downloads = [
        resource
        for course in content.courses
        for lesson in course.lessons
        if lesson.kind == "resources"
        for resource in lesson.resources
    ]

    assert diagram.reference == "images/anatomy-of-a-good-answer.svg"
    assert diagram.path.read_text(encoding="utf-8").startswith("<svg")
    assert [resource.path.name for resource in downloads] == [
        "action-plan-template.md",
        "action-plan-tracker.csv",
    ]
    assert all(resource.path.read_text(encoding="utf-8").strip() for resource in downloads)


IMAGE = "![A diagram of the parts]({target})"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (IMAGE.format(target="images/missing.svg"), "'images/missing.svg': file not found"),
        (
            IMAGE.format(target="../../secret.png"),
            "'../../secret.png' must be a file of the course's directory",
        ),
        (
            IMAGE.format(target="images/diagram.gif"),
            "'images/diagram.gif': expected one of .svg, .png, .jpg, .jpeg files",
        ),
        ("![](images/diagram.svg)", "the image 'images/diagram.svg' needs alt text"),
    ],
)
def test_a_lesson_image_must_be_a_described_file_of_the_course(tmp_path, body, message):
    write_tree(tmp_path)
    (tmp_path / "secret.png").write_bytes(b"x")
    (tmp_path / "courses/tiny/images").mkdir()
    (tmp_path / "courses/tiny/images/diagram.svg").write_text("<svg/>")
    (tmp_path / "courses/tiny/images/diagram.gif").write_text("GIF89a")
    lesson = tmp_path / "courses/tiny/lesson.md"
    lesson.write_text(lesson.read_text().replace("Body.", f"Body.\n\n{body}"))

    assert raises(tmp_path, "courses/tiny/lesson.md", "body").message == message


def test_a_web_image_and_a_course_image_load(tmp_path):
    write_tree(tmp_path)
    (tmp_path / "courses/tiny/images").mkdir()
    (tmp_path / "courses/tiny/images/diagram.svg").write_text("<svg/>")
    lesson = tmp_path / "courses/tiny/lesson.md"
    lesson.write_text(
        lesson.read_text().replace(
            "Body.",
            "![Web](https://example.test/a.png)\n\n" + IMAGE.format(target="images/diagram.svg"),
        )
    )

    [image] = load_content(tmp_path).course("tiny").lessons[0].images

    assert image.path == (tmp_path / "courses/tiny/images/diagram.svg").resolve()


def test_a_resources_lesson_needs_its_files_and_only_it_takes_them(tmp_path):
    write_tree(tmp_path)
    (tmp_path / "courses/tiny/files").mkdir()
    (tmp_path / "courses/tiny/files/plan.md").write_text("# Plan\n")
    lesson = tmp_path / "courses/tiny/lesson.md"
    text = lesson.read_text()
    resource = '[[resources]]\ntitle = "The plan"\nfile = "files/plan.md"'

    lesson.write_text(text.replace('kind = "text"', 'kind = "resources"'))
    assert raises(tmp_path, "courses/tiny/lesson.md", "resources").message == "missing"
    lesson.write_text(text.replace("{extra}", "").replace("+++\nBody", f"{resource}\n+++\nBody"))
    assert raises(tmp_path, "courses/tiny/lesson.md", "resources").message == "unknown field"
    lesson.write_text(
        text.replace('kind = "text"', 'kind = "resources"').replace(
            "+++\nBody", f"{resource.replace('plan.md', 'plan.exe')}\n+++\nBody"
        )
    )
    assert (
        "expected one of .md"
        in raises(tmp_path, "courses/tiny/lesson.md", "resources[0].file").message
    )
    lesson.write_text(
        text.replace('kind = "text"', 'kind = "resources"').replace(
            "+++\nBody", f"{resource}\n+++\nBody"
        )
    )
    [download] = load_content(tmp_path).course("tiny").lessons[0].resources
    assert (download.title, download.reference) == ("The plan", "files/plan.md")
