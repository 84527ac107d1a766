"""The registry of KPIs: what each one measures, exactly, and how it is summed and forecast.

A ``Kpi`` is computed from the rollup counters (``source="rollup"``) — a
``count`` (one counter summed), a ``ratio`` (numerator ÷ denominator, ×100 for
percents), a ``mean`` (sum ÷ count) or a ``percentile`` of the first-response
histogram — or live from the small education tables (``source="education"``).
docs/kpis.md explains each one in words; keep the two in step.
"""

from dataclasses import dataclass, field

PERCENT, COUNT, HOURS, RATING, SCORE = "percent", "count", "hours", "rating", "score"
UP, DOWN = "up", "down"
CHANGE, LEVEL = "change", "level"

COUNT_FORECAST = (
    "Run rate: the quarter-to-date count divided by the share of last quarter's total that "
    "had happened by the same day (its weekly pattern), ±1.96 √(what is left) for the interval."
)
RATE_FORECAST = (
    "The quarter-to-date rate, with a 95 % Wilson interval widened by the share of the "
    "quarter still to come."
)
MEAN_FORECAST = (
    "The quarter-to-date average, with a 95 % normal interval (from the spread of the "
    "values) widened by the share of the quarter still to come."
)
PERCENTILE_FORECAST = (
    "The quarter-to-date value, with a 95 % interval from the ranks around it in the "
    "histogram, widened by the share of the quarter still to come."
)


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: str
    better: str
    definition: str
    timestamp: str
    sources: tuple[str, ...]
    kind: str  # count / ratio / mean / percentile / education
    numerator: str = ""
    denominator: str = ""
    square: str = ""  # for means: the sum of squares (the interval's spread)
    share: float = 0.0  # for percentiles
    target_kind: str = LEVEL
    default_target: float | None = None
    exclusions: str = ""
    group: str = "messaging"
    forecast_method: str = field(default="")

    @property
    def source(self) -> str:
        return "education" if self.kind == "education" else "rollup"

    @property
    def method(self) -> str:
        if self.forecast_method:
            return self.forecast_method
        return {
            "count": COUNT_FORECAST,
            "ratio": RATE_FORECAST,
            "mean": MEAN_FORECAST,
            "percentile": PERCENTILE_FORECAST,
            "education": RATE_FORECAST,
        }[self.kind]


_MESSAGES = ("messaging_message", "messaging_conversation")
_WAITS = ("messaging_wait", "messaging_conversation")
_REVIEWS = ("reviews_review", "reviews_answer")
_NO_RESPONSE = 'Waits ended with "no response needed" are left out.'

KPIS: tuple[Kpi, ...] = (
    Kpi(
        key="messaging_interactions",
        label="Messaging interactions",
        unit=COUNT,
        better=UP,
        kind="count",
        numerator="messages",
        target_kind=CHANGE,
        default_target=25.0,
        definition="Messages sent by buyers or store members in buyer–store conversations.",
        timestamp="the message's sent time (created_at)",
        exclusions="Messages flagged as spam.",
        sources=_MESSAGES,
    ),
    Kpi(
        key="response_within_24h",
        label="Replies within 24 h",
        unit=PERCENT,
        better=UP,
        kind="ratio",
        numerator="waits_within_24h",
        denominator="waits_decided_24h",
        definition=(
            "Share of buyer messages that started or re-opened a wait and got a store reply "
            "within 24 hours."
        ),
        timestamp="the start of the wait (the buyer message that started it)",
        exclusions=_NO_RESPONSE + " Open waits younger than 24 h are not decided yet.",
        sources=_WAITS,
    ),
    Kpi(
        key="first_response_median",
        label="Median first response",
        unit=HOURS,
        better=DOWN,
        kind="percentile",
        share=0.5,
        definition="Median time from a wait's buyer message to the store's first reply.",
        timestamp="the start of the wait",
        exclusions=_NO_RESPONSE + " Waits not answered yet.",
        sources=_WAITS,
    ),
    Kpi(
        key="first_response_p90",
        label="90th percentile first response",
        unit=HOURS,
        better=DOWN,
        kind="percentile",
        share=0.9,
        definition="The time within which 90 % of answered waits got the store's first reply.",
        timestamp="the start of the wait",
        exclusions=_NO_RESPONSE + " Waits not answered yet.",
        sources=_WAITS,
    ),
    Kpi(
        key="abandoned_conversations",
        label="Abandoned inquiries",
        unit=PERCENT,
        better=DOWN,
        kind="ratio",
        numerator="waits_abandoned",
        denominator="waits_decided_48h",
        definition="Share of buyer inquiries (waits) with no store reply after 48 hours.",
        timestamp="the start of the wait",
        exclusions=_NO_RESPONSE + " Open waits younger than 48 h are not decided yet.",
        sources=_WAITS,
    ),
    Kpi(
        key="message_to_purchase",
        label="Message → purchase",
        unit=PERCENT,
        better=UP,
        kind="ratio",
        numerator="conversations_purchased",
        denominator="conversations",
        definition=(
            "Share of conversations followed by an order from that buyer to that store within "
            "7 days of the conversation's start."
        ),
        timestamp="the conversation's start (created_at)",
        exclusions="Imported orders (they carry imported reviews, not sales).",
        sources=("messaging_conversation", "catalog_order"),
    ),
    Kpi(
        key="messages_per_conversation",
        label="Messages per conversation",
        unit=COUNT,
        better=UP,
        kind="ratio",
        numerator="conversation_messages",
        denominator="conversations",
        definition=(
            "Messages (all time) in the conversations started in the period, per conversation."
        ),
        timestamp="the conversation's start",
        exclusions="Messages flagged as spam.",
        sources=_MESSAGES,
    ),
    Kpi(
        key="buyer_started_share",
        label="Conversations started by buyers",
        unit=PERCENT,
        better=UP,
        kind="ratio",
        numerator="conversations_by_buyer",
        denominator="conversations",
        definition="Share of conversations whose first message came from the buyer.",
        timestamp="the conversation's start",
        sources=("messaging_conversation",),
    ),
    Kpi(
        key="card_conversations",
        label="Conversations with a product card",
        unit=COUNT,
        better=UP,
        kind="count",
        numerator="card_conversations",
        definition="Conversations in which a store member recommended a product (a card).",
        timestamp="the conversation's start",
        sources=("messaging_conversation", "messaging_productcard"),
    ),
    Kpi(
        key="card_conversion",
        label="Product-card conversion",
        unit=PERCENT,
        better=UP,
        kind="ratio",
        numerator="card_conversations_purchased",
        denominator="card_conversations",
        definition=(
            "Share of conversations with a product card followed by an order from that buyer "
            "to that store within 7 days of the conversation's start."
        ),
        timestamp="the conversation's start",
        exclusions="Imported orders.",
        sources=("messaging_conversation", "messaging_productcard", "catalog_order"),
    ),
    Kpi(
        key="review_response_48h",
        label="Reviews answered within 48 h",
        unit=PERCENT,
        better=UP,
        kind="ratio",
        numerator="reviews_answered_48h",
        denominator="reviews_due",
        default_target=95.0,
        group="reviews",
        definition="Share of published reviews the store answered within 48 hours of publication.",
        timestamp="the review's publication (published_at)",
        exclusions=(
            "Held and hidden reviews; reviews younger than 48 h and not answered yet; a "
            "withdrawn answer counts as no answer. Editing a review does not restart the clock."
        ),
        sources=_REVIEWS,
    ),
    Kpi(
        key="negative_review_response_48h",
        label="Negative reviews answered within 48 h",
        unit=PERCENT,
        better=UP,
        kind="ratio",
        numerator="negative_reviews_answered_48h",
        denominator="negative_reviews_due",
        default_target=90.0,
        group="reviews",
        definition=("The same, for reviews rated 1–2 stars (their rating now, after any edit)."),
        timestamp="the review's publication",
        exclusions="As for all reviews.",
        sources=_REVIEWS,
    ),
    Kpi(
        key="review_volume",
        label="Reviews published",
        unit=COUNT,
        better=UP,
        kind="count",
        numerator="reviews",
        group="reviews",
        definition="Published reviews.",
        timestamp="the review's publication",
        exclusions="Held and hidden reviews.",
        sources=("reviews_review",),
    ),
    Kpi(
        key="average_rating",
        label="Average rating",
        unit=RATING,
        better=UP,
        kind="mean",
        numerator="rating_sum",
        denominator="reviews",
        square="rating_square_sum",
        group="reviews",
        definition="Mean star rating (1–5) of the published reviews, as rated now.",
        timestamp="the review's publication",
        exclusions="Held and hidden reviews.",
        sources=("reviews_review",),
    ),
    Kpi(
        key="negative_review_share",
        label="Negative reviews",
        unit=PERCENT,
        better=DOWN,
        kind="ratio",
        numerator="reviews_negative",
        denominator="reviews",
        group="reviews",
        definition="Share of published reviews rated 1–2 stars.",
        timestamp="the review's publication",
        exclusions="Held and hidden reviews.",
        sources=("reviews_review",),
    ),
    Kpi(
        key="coach_score_average",
        label="Response-coach score",
        unit=SCORE,
        better=UP,
        kind="mean",
        numerator="coach_score_sum",
        denominator="coach_answers",
        square="coach_score_square_sum",
        group="reviews",
        definition="Mean response-coach score (0–100) of the review answers posted.",
        timestamp="the answer's publication",
        exclusions="Withdrawn answers and answers without a coach score.",
        sources=("reviews_answer",),
    ),
    Kpi(
        key="improvements_from_feedback",
        label="Improvements from feedback",
        unit=COUNT,
        better=UP,
        kind="count",
        numerator="plans_from_feedback_shipped",
        target_kind=CHANGE,
        default_target=15.0,
        group="improvements",
        definition=(
            "Improvement plans completed (shipped) that are linked to customer feedback: a "
            "theme, a rising issue, a suggestion or evidence reviews."
        ),
        timestamp="when the plan shipped (shipped_at)",
        sources=("improvements_plan", "improvements_plan_evidence"),
    ),
    Kpi(
        key="plans_started",
        label="Improvement plans started",
        unit=COUNT,
        better=UP,
        kind="count",
        numerator="plans_started",
        group="improvements",
        definition="Improvement plans created.",
        timestamp="the plan's creation",
        sources=("improvements_plan",),
    ),
    Kpi(
        key="plans_shipped",
        label="Improvement plans shipped",
        unit=COUNT,
        better=UP,
        kind="count",
        numerator="plans_shipped",
        group="improvements",
        definition="Improvement plans whose change reached buyers.",
        timestamp="when the plan shipped",
        sources=("improvements_plan",),
    ),
    Kpi(
        key="plans_measured_positive",
        label="Plans measured as helping",
        unit=COUNT,
        better=UP,
        kind="count",
        numerator="plans_measured_positive",
        group="improvements",
        definition='Improvement plans whose measurement found they helped (verdict "helped").',
        timestamp="when the plan was measured (measured_at)",
        sources=("improvements_plan",),
    ),
    Kpi(
        key="training_participation",
        label="Training participation",
        unit=PERCENT,
        better=UP,
        kind="education",
        default_target=80.0,
        group="education",
        definition=(
            "Share of active sellers (a member of a store that sold something or got a buyer "
            "message in the quarter) enrolled, by the quarter's end, in a course that counts for "
            "the target (the review-management courses)."
        ),
        timestamp="the quarter of the activity; enrolments up to the quarter's end",
        exclusions="Office staff and inactive accounts.",
        sources=(
            "catalog_storemembership",
            "catalog_order",
            "messaging_message",
            "academy_enrolment",
        ),
    ),
    Kpi(
        key="training_completion",
        label="Training completion",
        unit=PERCENT,
        better=UP,
        kind="education",
        group="education",
        definition=(
            "Of the active sellers enrolled in a course that counts for the target, the share "
            "who completed one by the quarter's end."
        ),
        timestamp="as training participation; completions up to the quarter's end",
        exclusions="Office staff and inactive accounts.",
        sources=("academy_enrolment",),
    ),
    Kpi(
        key="satisfaction_education",
        label="Satisfaction with education",
        unit=PERCENT,
        better=UP,
        kind="education",
        default_target=90.0,
        group="education",
        definition=(
            "Share of answers to the course, webinar and consultation surveys rating 4–5 of 5 "
            "(or 9–10 of 10)."
        ),
        timestamp="when the survey was answered",
        sources=("surveys_response",),
    ),
    Kpi(
        key="resource_engagement",
        label="Resource engagement",
        unit=COUNT,
        better=UP,
        kind="education",
        group="education",
        definition=(
            "Sellers who used an education resource in the quarter: read the knowledge base, "
            "attended a webinar or held a consultation (each seller counted once, whatever "
            "they used)."
        ),
        timestamp=("the day of the article view; the session's or consultation's start"),
        exclusions="Anonymous readers, people not in a store, cancelled sessions, no-shows.",
        sources=(
            "knowledge_articleview",
            "webinars_registration",
            "consultations_booking",
        ),
        forecast_method=(
            "The quarter-to-date count stretched to the whole quarter by the days elapsed "
            "(distinct people have no weekly pattern to add up), ±1.96 √(what is left)."
        ),
    ),
)

REGISTRY: dict[str, Kpi] = {kpi.key: kpi for kpi in KPIS}


def get(key: str) -> Kpi:
    try:
        return REGISTRY[key]
    except KeyError:
        raise KeyError(f"No KPI {key!r}; known: {', '.join(REGISTRY)}.") from None
