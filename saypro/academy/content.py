"""The Seller Academy's content, read from TOML and Markdown files into frozen dataclasses.

Pure standard library (no Django), so the content can be checked in a plain
test run and loaded by the app as fixtures. ``load_content()`` reads every
file under ``CONTENT_DIR`` (the format is in ``content/README.md``) and either
returns a complete, cross-checked :class:`Content` or raises
:class:`ContentError` naming the file and the field at fault. Markdown bodies
are kept as text; the app renders them safely.
"""

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).resolve().parent / "content"

# The response coach's guideline keys (saypro.coaching.coach.GUIDELINES; a test keeps them equal).
COACH_GUIDELINE_KEYS = (
    "empathy",
    "professionalism",
    "personalisation",
    "thanks",
    "no_defensiveness",
    "next_step",
    "timeliness",
    "clarity",
)
# The default theme names of the insights taxonomy (saypro.insights.themes.DEFAULT_THEMES).
THEME_NAMES = (
    "Fit & size",
    "Quality & durability",
    "Material",
    "Colour & appearance",
    "Comfort",
    "Price & value",
    "Delivery",
    "Packaging",
    "Customer service",
    "Description accuracy",
    "Ease of use",
)
# What the app may measure to recommend a course (course.toml `recommend_when.signals`).
SIGNALS = (
    "new_store",
    "late_review_answers",
    "unanswered_negative_reviews",
    "low_coach_scores",
    "rising_issue_without_plan",
    "few_plans_from_feedback",
    "slow_message_replies",
    "abandoned_conversations",
)
LESSON_KINDS = ("text", "exercise", "quiz", "resources")
# Files a course ships beside its lessons: images the Markdown shows, files a resources
# lesson offers for download (the app copies both into its media storage).
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
RESOURCE_SUFFIXES = (".md", ".txt", ".csv", ".pdf", ".png", ".jpg", ".jpeg")
# A Markdown image: ![alt text](target); a target without a scheme or leading "/" is a file
# of the course's directory.
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXERCISE_TYPES = ("review_answer", "action_plan", "message_reply")
QUESTION_KINDS = ("single", "multiple")
ARTICLE_KINDS = ("guide", "faq", "best_practice", "examples")
COURSE_LEVELS = ("beginner", "intermediate", "advanced")
DIFFICULTIES = ("standard", "hard")
EVENT_FORMATS = ("webinar", "workshop")
QUICK_REPLY_TOPICS = ("availability", "sizing", "delivery", "returns", "other")
SLUG_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


class ContentError(Exception):
    """Invalid content: ``path`` is the file, ``field`` the setting at fault (dotted)."""

    def __init__(self, path: Path, field: str, message: str) -> None:
        self.path = path
        self.field = field
        self.message = message
        super().__init__(f"{path}: {field}: {message}" if field else f"{path}: {message}")


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # "single" (exactly one correct choice) or "multiple" (one or more)
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Quiz:
    pass_mark: int  # percent of the questions answered fully right
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Exercise:
    exercise_type: str  # "review_answer" | "action_plan" | "message_reply"
    pass_score: int  # 0-100: the coach's score, or the share of plan/rubric points met
    reviews: tuple[str, ...] = ()  # practice review slugs (review_answer)
    product_set: str = ""  # product set slug (action_plan)
    messages: tuple[str, ...] = ()  # message scenario slugs (message_reply)


@dataclass(frozen=True)
class Asset:
    """A file shipped in a course's directory: a lesson's image or a download."""

    reference: str  # as written in the content, relative to the course's directory
    path: Path  # the file itself
    title: str = ""  # a download's title (images have their alt text in the Markdown)


@dataclass(frozen=True)
class Lesson:
    slug: str  # the file stem, unique within its course
    course: str
    title: str
    kind: str  # "text" | "exercise" | "quiz" | "resources"
    minutes: int
    summary: str
    articles: tuple[str, ...]
    teaches: tuple[str, ...]  # coach guideline keys
    body: str  # Markdown
    exercise: Exercise | None = None
    quiz: Quiz | None = None
    images: tuple[Asset, ...] = ()  # the course's files the body shows, in order
    resources: tuple[Asset, ...] = ()  # files to download (resources lessons)


@dataclass(frozen=True)
class Module:
    title: str
    summary: str
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True)
class RecommendWhen:
    coach_guidelines: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    summary: str
    description: str  # Markdown
    level: str
    estimated_minutes: int
    required_for_new_stores: bool
    recommend_when: RecommendWhen
    modules: tuple[Module, ...]
    topics: tuple[str, ...] = ()  # catalog filter labels, e.g. "Reviews"

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(lesson for module in self.modules for lesson in module.lessons)


@dataclass(frozen=True)
class PracticeReview:
    slug: str
    category: str  # product category ("clothing", "electronics", ...)
    product: str
    reviewer: str
    rating: int
    title: str
    text: str
    difficulty: str  # "standard" | "hard"
    model_answer: str
    weak_answer: str
    notes: str  # what makes it hard and what a good answer does


@dataclass(frozen=True)
class SetReview:
    rating: int
    text: str


@dataclass(frozen=True)
class ProductSet:
    slug: str
    product: str
    category: str
    summary: str
    expected_top_issue: str  # a theme name of the insights taxonomy
    acceptable_issues: tuple[str, ...]  # other theme names accepted as the top issue
    good_plan: tuple[str, ...]  # what a good plan contains, one point each
    reviews: tuple[SetReview, ...]


@dataclass(frozen=True)
class RubricItem:
    label: str  # what a full answer must cover ("Says when it will arrive")
    phrases: tuple[str, ...]  # any one of these (case-insensitive) meets the item


@dataclass(frozen=True)
class MessageScenario:
    slug: str
    topic: str  # a quick-reply topic: availability, sizing, delivery, returns, other
    product: str
    buyer: str
    question: str
    rubric: tuple[RubricItem, ...]
    model_answer: str
    weak_answer: str

    def rubric_met(self, answer: str) -> tuple[bool, ...]:
        """One flag per rubric item: does ``answer`` contain one of the item's phrases?"""
        folded = " ".join(answer.casefold().replace("\u2019", "'").split())
        return tuple(
            any(phrase.casefold() in folded for phrase in item.phrases) for item in self.rubric
        )


@dataclass(frozen=True)
class ArticleCategory:
    slug: str
    title: str
    description: str
    order: int


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    category: str
    kind: str  # "guide" | "faq" | "best_practice" | "examples"
    summary: str
    updated: date
    related: tuple[str, ...]
    tags: tuple[str, ...]
    coach_guideline: str  # "" unless the article explains one coach guideline
    body: str  # Markdown

    @property
    def word_count(self) -> int:
        return len(self.body.split())


@dataclass(frozen=True)
class Webinar:
    slug: str
    title: str
    format: str  # "webinar" | "workshop"
    host: str
    host_role: str
    summary: str
    agenda: tuple[str, ...]
    duration_minutes: int
    capacity: int
    recurring_monthly: bool


@dataclass(frozen=True)
class CannedReply:
    slug: str
    category: str
    title: str
    body: str


@dataclass(frozen=True)
class ConsultationTopic:
    slug: str
    title: str
    description: str
    duration_minutes: int
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    courses: tuple[Course, ...]
    practice_reviews: tuple[PracticeReview, ...]
    product_sets: tuple[ProductSet, ...]
    message_scenarios: tuple[MessageScenario, ...]
    categories: tuple[ArticleCategory, ...]
    articles: tuple[Article, ...]
    webinars: tuple[Webinar, ...]
    canned_replies: tuple[CannedReply, ...]
    consultation_topics: tuple[ConsultationTopic, ...]

    def course(self, slug: str) -> Course:
        """The course ``slug``; KeyError if there is none."""
        for course in self.courses:
            if course.slug == slug:
                return course
        raise KeyError(slug)

    def article(self, slug: str) -> Article:
        """The article ``slug``; KeyError if there is none."""
        for article in self.articles:
            if article.slug == slug:
                return article
        raise KeyError(slug)

    def article_for_guideline(self, key: str) -> Article | None:
        """The article a coach warning on guideline ``key`` links to."""
        return next((a for a in self.articles if a.coach_guideline == key), None)


class _Table:
    """One TOML table being read: typed getters that name the file and the field on error.

    Every key read is remembered, so ``check_fields()`` can refuse the ones nobody read
    (a misspelt optional field would otherwise be ignored without a word).
    """

    def __init__(self, data: dict[str, Any], path: Path, prefix: str = "") -> None:
        self.data = data
        self.path = path
        self.prefix = prefix
        self.read: set[str] = set()
        self.children: list[_Table] = []

    def error(self, key: str, message: str) -> ContentError:
        return ContentError(self.path, f"{self.prefix}{key}", message)

    def check_fields(self) -> None:
        """Raise for the first field of this table, or of a table read from it, never read."""
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise self.error(unknown[0], "unknown field")
        for child in self.children:
            child.check_fields()

    def _get(self, key: str, kind: type, default: Any) -> Any:
        self.read.add(key)
        if key not in self.data:
            if default is None:
                raise self.error(key, "missing")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(key, f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        value = self._get(key, str, default).strip()
        if not value and default is None:
            raise self.error(key, "must not be empty")
        return value

    def number(self, key: str, low: int, high: int) -> int:
        value = self._get(key, int, None)
        if not low <= value <= high:
            raise self.error(key, f"must be between {low} and {high}, not {value}")
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        return self._get(key, bool, default)

    def day(self, key: str) -> date:
        return self._get(key, date, None)

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(key, default)
        if value not in allowed and value != default:
            raise self.error(key, f"unknown value {value!r} (expected one of {', '.join(allowed)})")
        return value

    def texts(self, key: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
        values = self._get(key, list, [])
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                raise self.error(f"{key}[{index}]", "expected a non-empty string")
            if allowed is not None and value not in allowed:
                raise self.error(f"{key}[{index}]", f"unknown value {value!r}")
        return tuple(values)

    def references(self, key: str, known: set[str]) -> tuple[str, ...]:
        """A list of slugs, each of which must be in ``known``."""
        values = self.texts(key)
        for index, value in enumerate(values):
            if value not in known:
                raise self.error(f"{key}[{index}]", f"unknown reference {value!r}")
        return values

    def tables(self, key: str, minimum: int = 0, required: bool = False) -> list["_Table"]:
        values = self._get(key, list, None if minimum or required else [])
        if len(values) < minimum:
            raise self.error(key, f"needs at least {minimum} entries, has {len(values)}")
        tables = []
        for index, value in enumerate(values):
            if not isinstance(value, dict):
                raise self.error(f"{key}[{index}]", "expected a table")
            tables.append(_Table(value, self.path, f"{self.prefix}{key}[{index}]."))
        self.children.extend(tables)
        return tables

    def table(self, key: str) -> "_Table":
        table = _Table(self._get(key, dict, {}), self.path, f"{self.prefix}{key}.")
        self.children.append(table)
        return table

    def slug(self, key: str = "slug") -> str:
        value = self.text(key)
        if not set(value) <= SLUG_CHARACTERS:
            raise self.error(key, f"{value!r} is not a slug (a-z, 0-9 and hyphens)")
        return value


def _read_toml(path: Path) -> _Table:
    try:
        return _Table(tomllib.loads(path.read_text(encoding="utf-8")), path)
    except FileNotFoundError:
        raise ContentError(path, "", "file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, "", f"invalid TOML: {error}") from None


def _read_markdown(path: Path) -> tuple[_Table, str]:
    front, body = read_markdown(path)
    return _Table(front, path), body


def read_markdown(path: Path) -> tuple[dict[str, Any], str]:
    """Split a Markdown file into its TOML front matter (between ``+++`` lines) and body."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, "", "file not found") from None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "+++":
        raise ContentError(path, "", "must start with a '+++' front matter line")
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "+++"), None)
    if closing is None:
        raise ContentError(path, "", "front matter has no closing '+++' line")
    try:
        front = tomllib.loads("".join(lines[1:closing]))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, "", f"invalid TOML front matter: {error}") from None
    body = "".join(lines[closing + 1 :]).strip()
    if not body:
        raise ContentError(path, "body", "must not be empty")
    return front, body + "\n"


def _entries(path: Path, key: str) -> tuple[_Table, list[_Table]]:
    """A file holding one array of tables under ``key``: the file and its entries."""
    file = _read_toml(path)
    return file, file.tables(key, required=True)


def _unique(path: Path, field: str, slugs: list[str]) -> None:
    seen: set[str] = set()
    for slug in slugs:
        if slug in seen:
            raise ContentError(path, field, f"duplicate slug {slug!r}")
        seen.add(slug)


@dataclass(frozen=True)
class _References:
    """The slugs lessons may point at."""

    articles: set[str]
    reviews: set[str]
    product_sets: set[str]
    messages: set[str]


def load_content(root: Path = CONTENT_DIR) -> Content:
    """Read and cross-check all content under ``root``; raise ContentError on the first fault."""
    practice_reviews = _load_practice_reviews(root / "practice" / "reviews.toml")
    product_sets = _load_product_sets(root / "practice" / "product_sets.toml")
    message_scenarios = _load_message_scenarios(root / "practice" / "messages.toml")
    categories = _load_categories(root / "knowledge" / "categories.toml")
    articles = _load_articles(root / "knowledge", {category.slug for category in categories})
    article_slugs = {article.slug for article in articles}
    references = _References(
        articles=article_slugs,
        reviews={review.slug for review in practice_reviews},
        product_sets={product_set.slug for product_set in product_sets},
        messages={scenario.slug for scenario in message_scenarios},
    )
    courses_dir = root / "courses"
    if not courses_dir.is_dir():
        raise ContentError(courses_dir, "", "directory not found")
    courses = tuple(
        _load_course(directory, references)
        for directory in sorted(courses_dir.iterdir())
        if directory.is_dir()
    )
    return Content(
        courses=courses,
        practice_reviews=practice_reviews,
        product_sets=product_sets,
        message_scenarios=message_scenarios,
        categories=categories,
        articles=articles,
        webinars=_load_webinars(root / "events" / "webinars.toml"),
        canned_replies=_load_canned_replies(root / "support" / "canned_replies.toml"),
        consultation_topics=_load_consultation_topics(
            root / "consultations" / "topics.toml", article_slugs
        ),
    )


def _load_course(directory: Path, references: _References) -> Course:
    """``<slug>/course.toml`` and its lessons; the slug must be the directory's name."""
    path = directory / "course.toml"
    table = _read_toml(path)
    slug = table.slug()
    if slug != directory.name:
        raise table.error("slug", f"{slug!r} must match the directory name {directory.name!r}")
    recommend = table.table("recommend_when")
    modules = []
    stems: list[str] = []
    for module in table.tables("modules", minimum=1):
        lesson_stems = module.texts("lessons")
        if not lesson_stems:
            raise module.error("lessons", "needs at least one lesson")
        stems.extend(lesson_stems)
        lessons = tuple(
            _load_lesson(directory / f"{stem}.md", slug, references) for stem in lesson_stems
        )
        modules.append(Module(module.text("title"), module.text("summary"), lessons))
    _unique(path, "modules.lessons", stems)
    course = Course(
        slug=slug,
        title=table.text("title"),
        summary=table.text("summary"),
        description=table.text("description"),
        level=table.choice("level", COURSE_LEVELS),
        estimated_minutes=table.number("estimated_minutes", 1, 6000),
        required_for_new_stores=table.flag("required_for_new_stores", False),
        recommend_when=RecommendWhen(
            coach_guidelines=recommend.texts("coach_guidelines", COACH_GUIDELINE_KEYS),
            signals=recommend.texts("signals", SIGNALS),
        ),
        modules=tuple(modules),
        topics=table.texts("topics"),
    )
    table.check_fields()
    return course


def _load_lesson(path: Path, course: str, references: _References) -> Lesson:
    """A lesson file; the exercise or quiz fields are read only for that kind of lesson."""
    table, body = _read_markdown(path)
    kind = table.choice("kind", LESSON_KINDS)
    lesson = Lesson(
        slug=path.stem,
        course=course,
        title=table.text("title"),
        kind=kind,
        minutes=table.number("minutes", 1, 600),
        summary=table.text("summary"),
        articles=table.references("articles", references.articles),
        teaches=table.texts("teaches", COACH_GUIDELINE_KEYS),
        body=body,
        exercise=_load_exercise(table, references) if kind == "exercise" else None,
        quiz=_load_quiz(table) if kind == "quiz" else None,
        images=_load_images(path, body),
        resources=_load_resources(table, path.parent) if kind == "resources" else (),
    )
    table.check_fields()
    return lesson


def _course_file(path: Path, field: str, reference: str, suffixes: tuple[str, ...]) -> Path:
    """The file ``reference`` (relative, e.g. ``images/x.svg``) in the directory of ``path``."""
    directory = path.parent
    target = (directory / reference).resolve()
    if reference.startswith("/") or not target.is_relative_to(directory.resolve()):
        raise ContentError(path, field, f"{reference!r} must be a file of the course's directory")
    if target.suffix.lower() not in suffixes:
        raise ContentError(
            path, field, f"{reference!r}: expected one of {', '.join(suffixes)} files"
        )
    if not target.is_file():
        raise ContentError(path, field, f"{reference!r}: file not found")
    return target


def _load_images(path: Path, body: str) -> tuple[Asset, ...]:
    """The course's own image files the Markdown shows (web addresses are left alone);
    each needs alt text, for people who cannot see it."""
    images = []
    for match in MARKDOWN_IMAGE.finditer(body):
        reference = match["target"]
        if reference.startswith(("http://", "https://", "/")):
            continue
        if not match["alt"].strip():
            raise ContentError(path, "body", f"the image {reference!r} needs alt text")
        images.append(Asset(reference, _course_file(path, "body", reference, IMAGE_SUFFIXES)))
    return tuple(images)


def _load_resources(table: _Table, directory: Path) -> tuple[Asset, ...]:
    """A resources lesson's ``[[resources]]``: ``title`` and ``file`` (in the course's
    directory); at least one."""
    resources = tuple(
        Asset(
            entry.text("file"),
            _course_file(table.path, f"{entry.prefix}file", entry.text("file"), RESOURCE_SUFFIXES),
            title=entry.text("title"),
        )
        for entry in table.tables("resources", minimum=1)
    )
    return resources


def _load_exercise(table: _Table, references: _References) -> Exercise:
    exercise_type = table.choice("exercise_type", EXERCISE_TYPES)
    exercise = Exercise(
        exercise_type=exercise_type,
        pass_score=table.number("pass_score", 1, 100),
        reviews=table.references("reviews", references.reviews),
        product_set=table.text("product_set", ""),
        messages=table.references("messages", references.messages),
    )
    if exercise.product_set and exercise.product_set not in references.product_sets:
        raise table.error("product_set", f"unknown reference {exercise.product_set!r}")
    needed = {"review_answer": "reviews", "action_plan": "product_set", "message_reply": "messages"}
    if not getattr(exercise, needed[exercise_type]):
        raise table.error(needed[exercise_type], f"required for a {exercise_type} exercise")
    return exercise


def _load_quiz(table: _Table) -> Quiz:
    questions = []
    for question in table.tables("questions", minimum=1):
        kind = question.choice("kind", QUESTION_KINDS)
        choices = tuple(
            Choice(choice.text("text"), choice.flag("correct"), choice.text("explanation"))
            for choice in question.tables("choices", minimum=2)
        )
        correct = sum(choice.correct for choice in choices)
        if correct == 0:
            raise question.error("choices", "no choice is marked correct")
        if kind == "single" and correct > 1:
            raise question.error("choices", f"a single-choice question has {correct} correct")
        questions.append(Question(question.text("text"), kind, choices))
    return Quiz(pass_mark=table.number("pass_mark", 1, 100), questions=tuple(questions))


def _load_practice_reviews(path: Path) -> tuple[PracticeReview, ...]:
    file, entries = _entries(path, "reviews")
    reviews = tuple(
        PracticeReview(
            slug=entry.slug(),
            category=entry.text("category"),
            product=entry.text("product"),
            reviewer=entry.text("reviewer"),
            rating=entry.number("rating", 1, 5),
            title=entry.text("title", ""),
            text=entry.text("text"),
            difficulty=entry.choice("difficulty", DIFFICULTIES),
            model_answer=entry.text("model_answer"),
            weak_answer=entry.text("weak_answer"),
            notes=entry.text("notes"),
        )
        for entry in entries
    )
    file.check_fields()
    _unique(path, "reviews.slug", [review.slug for review in reviews])
    return reviews


def _load_product_sets(path: Path) -> tuple[ProductSet, ...]:
    file, entries = _entries(path, "sets")
    sets = []
    for entry in entries:
        reviews = tuple(
            SetReview(review.number("rating", 1, 5), review.text("text"))
            for review in entry.tables("reviews", minimum=15)
        )
        if len(reviews) > 30:
            raise entry.error("reviews", f"at most 30 reviews, has {len(reviews)}")
        good_plan = entry.texts("good_plan")
        if not good_plan:
            raise entry.error("good_plan", "needs at least one point")
        sets.append(
            ProductSet(
                slug=entry.slug(),
                product=entry.text("product"),
                category=entry.text("category"),
                summary=entry.text("summary"),
                expected_top_issue=entry.choice("expected_top_issue", THEME_NAMES),
                acceptable_issues=entry.texts("acceptable_issues", THEME_NAMES),
                good_plan=good_plan,
                reviews=reviews,
            )
        )
    file.check_fields()
    _unique(path, "sets.slug", [product_set.slug for product_set in sets])
    return tuple(sets)


def _load_message_scenarios(path: Path) -> tuple[MessageScenario, ...]:
    file, entries = _entries(path, "messages")
    scenarios = []
    for entry in entries:
        rubric = []
        for item in entry.tables("rubric", minimum=1):
            phrases = item.texts("phrases")
            if not phrases:
                raise item.error("phrases", "needs at least one phrase")
            rubric.append(RubricItem(item.text("label"), phrases))
        scenarios.append(
            MessageScenario(
                slug=entry.slug(),
                topic=entry.choice("topic", QUICK_REPLY_TOPICS),
                product=entry.text("product"),
                buyer=entry.text("buyer"),
                question=entry.text("question"),
                rubric=tuple(rubric),
                model_answer=entry.text("model_answer"),
                weak_answer=entry.text("weak_answer"),
            )
        )
    file.check_fields()
    _unique(path, "messages.slug", [scenario.slug for scenario in scenarios])
    return tuple(scenarios)


def _load_categories(path: Path) -> tuple[ArticleCategory, ...]:
    file, entries = _entries(path, "categories")
    categories = [
        ArticleCategory(
            slug=entry.slug(),
            title=entry.text("title"),
            description=entry.text("description"),
            order=entry.number("order", 0, 1000),
        )
        for entry in entries
    ]
    file.check_fields()
    _unique(path, "categories.slug", [category.slug for category in categories])
    return tuple(sorted(categories, key=lambda category: category.order))


def _load_articles(directory: Path, categories: set[str]) -> tuple[Article, ...]:
    """Every ``*.md`` in ``directory``; at most one article per coach guideline."""
    articles = []
    tables = []
    guideline_articles: dict[str, Path] = {}
    for path in sorted(directory.glob("*.md")):
        if not set(path.stem) <= SLUG_CHARACTERS:
            raise ContentError(path, "", f"{path.stem!r} is not a slug (a-z, 0-9 and hyphens)")
        table, body = _read_markdown(path)
        category = table.text("category")
        if category not in categories:
            raise table.error("category", f"unknown category {category!r}")
        guideline = table.choice("coach_guideline", COACH_GUIDELINE_KEYS, default="")
        if guideline in guideline_articles:
            raise table.error(
                "coach_guideline", f"{guideline!r} already has {guideline_articles[guideline]}"
            )
        if guideline:
            guideline_articles[guideline] = path
        articles.append(
            Article(
                slug=path.stem,
                title=table.text("title"),
                category=category,
                kind=table.choice("kind", ARTICLE_KINDS),
                summary=table.text("summary"),
                updated=table.day("updated"),
                related=table.texts("related"),
                tags=table.texts("tags"),
                coach_guideline=guideline,
                body=body,
            )
        )
        table.check_fields()
        tables.append(table)
    slugs = {article.slug for article in articles}
    for article, table in zip(articles, tables, strict=True):
        table.references("related", slugs - {article.slug})
    return tuple(articles)


def _load_webinars(path: Path) -> tuple[Webinar, ...]:
    file, entries = _entries(path, "events")
    webinars = tuple(
        Webinar(
            slug=entry.slug(),
            title=entry.text("title"),
            format=entry.choice("format", EVENT_FORMATS),
            host=entry.text("host"),
            host_role=entry.text("host_role"),
            summary=entry.text("summary"),
            agenda=entry.texts("agenda"),
            duration_minutes=entry.number("duration_minutes", 15, 480),
            capacity=entry.number("capacity", 1, 10000),
            recurring_monthly=entry.flag("recurring_monthly"),
        )
        for entry in entries
    )
    file.check_fields()
    _unique(path, "events.slug", [webinar.slug for webinar in webinars])
    return webinars


def _load_canned_replies(path: Path) -> tuple[CannedReply, ...]:
    file, entries = _entries(path, "replies")
    replies = tuple(
        CannedReply(
            slug=entry.slug(),
            category=entry.text("category"),
            title=entry.text("title"),
            body=entry.text("body"),
        )
        for entry in entries
    )
    file.check_fields()
    _unique(path, "replies.slug", [reply.slug for reply in replies])
    return replies


def _load_consultation_topics(path: Path, articles: set[str]) -> tuple[ConsultationTopic, ...]:
    file, entries = _entries(path, "topics")
    topics = tuple(
        ConsultationTopic(
            slug=entry.slug(),
            title=entry.text("title"),
            description=entry.text("description"),
            duration_minutes=entry.number("duration_minutes", 15, 240),
            articles=entry.references("articles", articles),
        )
        for entry in entries
    )
    file.check_fields()
    _unique(path, "topics.slug", [topic.slug for topic in topics])
    return topics
