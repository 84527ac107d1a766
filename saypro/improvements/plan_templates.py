"""The five plan templates: a problem statement, a goal and concrete steps for one product.

A template turns what the reviews say (the subject — a theme, an emerging
topic or a suggestion — and the numbers behind it) into a first draft the
seller edits. Every sentence is written out for the product; nothing is left
as a placeholder. Pure Python: the caller passes the figures in.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from math import floor

from saypro.improvements.models import Plan

Template = Plan.Template
Metric = Plan.Metric

GOAL_HORIZON = timedelta(days=90)
STEP_SPACING = timedelta(days=7)
RATING_TARGET_GAIN = 0.3
DEFAULT_RATING_TARGET = 4.5

# Which template fits a theme of the taxonomy best (slugs of insights.Theme).
TEMPLATE_FOR_THEME = {
    "fit_size": Template.CHANGE_SIZING,
    "delivery": Template.PACKAGING_DELIVERY,
    "packaging": Template.PACKAGING_DELIVERY,
    "accuracy": Template.CLARIFY_LISTING,
    "appearance": Template.CLARIFY_LISTING,
    "value": Template.CLARIFY_LISTING,
}


@dataclass(frozen=True)
class IssueFigures:
    """A rising issue's own test, as its card shows it: ``recent`` of ``recent_total``
    reviews from ``first_day`` to ``last_day`` complain, against ``baseline`` of
    ``baseline_total`` in the weeks before."""

    recent: int
    recent_total: int
    baseline: int
    baseline_total: int
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Evidence:
    """What the reviews say about the subject, over the last ``window_days``.

    ``negative`` of ``total`` published reviews of the product speak badly of
    it; ``requests`` reviews ask for it (suggestions). Shares are 0–100 %.
    """

    window_days: int
    total: int
    negative: int = 0
    requests: int = 0
    average_rating: float | None = None
    issue: IssueFigures | None = None  # the plan answers a rising issue

    @property
    def negative_share(self) -> float | None:
        return round(100 * self.negative / self.total, 1) if self.total else None


@dataclass(frozen=True)
class StepDraft:
    text: str
    due_date: date


@dataclass(frozen=True)
class Draft:
    """A pre-filled plan, as the form and the API show it before the seller saves it."""

    template: str
    title: str
    problem: str
    goal_metric: str
    goal_current: float | None
    goal_target: float
    goal_due: date
    steps: list[StepDraft] = field(default_factory=list)


def template_for(*, theme_slug: str | None, is_suggestion: bool) -> str:
    """The template that fits the source best; the seller may pick another."""
    if is_suggestion and not theme_slug:
        return Template.REQUESTED_FEATURE
    return TEMPLATE_FOR_THEME.get(theme_slug or "", Template.RECURRING_DEFECT)


def _share(evidence: Evidence) -> str:
    share = evidence.negative_share
    return f"{share:.0f} %" if share is not None else "an unknown share"


def _reviews(n: int) -> str:
    return f"{n} review{'' if n == 1 else 's'}"


def _situation(
    product: str, subject: str, evidence: Evidence, *, is_suggestion: bool, is_feedback: bool
) -> str:
    """The first sentence of every problem statement: what the reviews say, with numbers."""
    days = evidence.window_days
    if not is_feedback:
        if evidence.average_rating is None:
            return f"{product} has no published reviews in the last {days} days."
        return (
            f"{product} averages {evidence.average_rating:.1f} stars over its "
            f"{_reviews(evidence.total)} of the last {days} days."
        )
    if is_suggestion:
        verb = "asks" if evidence.requests == 1 else "ask"
        return (
            f"{_reviews(evidence.requests)} of {product} in the last {days} days {verb} for "
            f"“{subject}”."
        )
    if evidence.total:
        if evidence.issue is not None:
            return (
                f"{_issue_sentence(evidence.issue)} Over the last {days} days, the figure the "
                f"goal starts from: {evidence.negative} of {_reviews(evidence.total)} "
                f"({_share(evidence)})."
            )
        return (
            f"{evidence.negative} of the {_reviews(evidence.total)} of {product} published in "
            f"the last {days} days complain about {subject.lower()} ({_share(evidence)})."
        )
    return f"Buyers of {product} complain about {subject.lower()}."


def _issue_sentence(issue: IssueFigures) -> str:
    """The rising issue's figures in the words of its card, so the plan and the card agree."""
    first, last = f"{issue.first_day:%-d %b}", f"{issue.last_day:%-d %b}"
    return (
        f"The rising issue: {issue.recent} of {_reviews(issue.recent_total)} from {first} to "
        f"{last} complain ({_percent(issue.recent, issue.recent_total)}), against "
        f"{issue.baseline} of {issue.baseline_total} in the weeks before "
        f"({_percent(issue.baseline, issue.baseline_total)})."
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "none"


def _steps(template: str, product: str, subject: str, evidence: Evidence) -> list[str]:
    count = evidence.negative or evidence.requests
    steps = {
        Template.RECURRING_DEFECT: [
            f"Read the {_reviews(count)} behind this issue and list the exact defect each "
            f"describes: which part of {product} fails, and after how long.",
            f"Inspect the {product} units in stock for that defect and set the faulty ones aside.",
            f"Agree the fix with the supplier or workshop, and a quality check of every new "
            f"batch of {product} before it is listed.",
            f"Sell the corrected batch of {product} and record the date the first fixed units "
            f"shipped.",
            "Answer the reviews that reported the defect: explain the fix and offer a replacement.",
        ],
        Template.CLARIFY_LISTING: [
            f"Compare the title, photos and description of {product} with what reviewers say "
            f"about {subject.lower()}.",
            f"Rewrite the description of {product} so it states the facts buyers missed: exact "
            f"measurements, materials and colour in daylight.",
            f"Replace or add photos that show {product} as it arrives, in natural light, next to "
            f"an object for scale.",
            f"Add the three questions buyers ask most about {product} to the description, with "
            f"their answers.",
        ],
        Template.CHANGE_SIZING: [
            f"Measure three pieces of {product} in every size and compare them with the size "
            f"chart.",
            f"Update the size chart of {product} with the measured dimensions in centimetres and "
            f"a how-to-measure note.",
            f"Add a fit note to the {product} listing (for example “runs small — order one size "
            f"up”) based on what reviewers said.",
            f"Ask the supplier to correct the pattern of {product} for the sizes reviewers "
            f"mention most.",
            "Answer the fit complaints in the reviews with the new size advice.",
        ],
        Template.PACKAGING_DELIVERY: [
            f"Pack a {product} order the way it is packed today, photograph it and note what "
            f"could break, bend or get wet.",
            f"Switch to packaging sized for {product}: a box insert or padded mailer, sealed "
            f"against rain.",
            f"Compare the dispatch and courier times of {product} orders over the last "
            f"{evidence.window_days} days and choose the faster option.",
            f"State the real delivery time on the {product} listing.",
            "Answer the delivery and packaging complaints in the reviews with what changed.",
        ],
        Template.REQUESTED_FEATURE: [
            f"Collect the {_reviews(count)} asking for “{subject}” and write down exactly what "
            f"buyers of {product} want.",
            f"Ask the supplier what adding “{subject}” to {product} costs and how soon it can be "
            f"made.",
            f"Produce a first batch of {product} with the change and check it against the "
            f"requests.",
            f"Describe the new feature on the {product} listing and thank the reviewers who "
            f"asked for it in your answers.",
        ],
    }
    return steps[Template(template)]


def _problem(template: str, product: str, subject: str, evidence: Evidence, situation: str) -> str:
    consequence = {
        Template.RECURRING_DEFECT: (
            f"The same defect keeps coming back, so buyers return {product} and rate it low."
        ),
        Template.CLARIFY_LISTING: (
            f"The listing of {product} sets the wrong expectations: buyers are surprised by what "
            f"arrives."
        ),
        Template.CHANGE_SIZING: (
            f"{product} does not fit as the size chart promises, which leads to returns and "
            f"exchanges."
        ),
        Template.PACKAGING_DELIVERY: (
            f"How {product} is packed and delivered spoils an otherwise good purchase."
        ),
        Template.REQUESTED_FEATURE: (
            f"Buyers like {product} but miss this; adding it answers a demand they put in writing."
        ),
    }[Template(template)]
    return f"{situation} {consequence}"


def _title(template: str, product: str, subject: str) -> str:
    return {
        Template.RECURRING_DEFECT: f"Fix {subject.lower()} problems of {product}",
        Template.CLARIFY_LISTING: f"Clarify the {product} listing ({subject.lower()})",
        Template.CHANGE_SIZING: f"Fix the sizing of {product}",
        Template.PACKAGING_DELIVERY: f"Improve packing and delivery of {product}",
        Template.REQUESTED_FEATURE: f"Add “{subject}” to {product}",
    }[Template(template)][:160]


def goal_for(*, has_theme: bool, evidence: Evidence) -> tuple[str, float | None, float]:
    """(metric, current value, target): halve the complaints (rounded down to 0.1 %), or lift
    the rating by 0.3 ★ (at most 5)."""
    if has_theme:
        current = evidence.negative_share
        target = floor(current * 5) / 10 if current is not None else 5.0
        return Metric.NEGATIVE_SHARE, current, target
    current = evidence.average_rating
    if current is None:
        return Metric.AVERAGE_RATING, None, DEFAULT_RATING_TARGET
    return Metric.AVERAGE_RATING, current, round(min(5.0, current + RATING_TARGET_GAIN), 1)


def draft(
    *,
    template: str,
    product: str,
    subject: str,
    evidence: Evidence,
    has_theme: bool,
    is_suggestion: bool,
    today: date,
    is_feedback: bool = True,
) -> Draft:
    """The pre-filled plan for ``product`` from ``template``.

    ``subject`` is the theme's name, the emerging topic or the suggestion key;
    ``has_theme`` decides the goal metric (a theme's negative share can be
    measured; otherwise the product's average rating). Without feedback
    (``is_feedback`` false) the problem starts from the product's rating.
    """
    situation = _situation(
        product, subject, evidence, is_suggestion=is_suggestion, is_feedback=is_feedback
    )
    metric, current, target = goal_for(has_theme=has_theme, evidence=evidence)
    steps = _steps(template, product, subject, evidence)
    return Draft(
        template=template,
        title=_title(template, product, subject),
        problem=_problem(template, product, subject, evidence, situation),
        goal_metric=metric,
        goal_current=current,
        goal_target=target,
        goal_due=today + GOAL_HORIZON,
        steps=[
            StepDraft(text=text, due_date=today + STEP_SPACING * (index + 1))
            for index, text in enumerate(steps)
        ],
    )
