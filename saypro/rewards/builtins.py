"""The built-in earning rules and badges, written by migration 0002 (the office edits their
numbers afterwards) and put back by test set-ups after a flush."""

from decimal import Decimal

from saypro.rewards.models import Badge, EarningRule

RULES = [
    {
        "code": "first_question_answered",
        "name": "First question answered",
        "description": "A store answered the first question you asked it (once per store).",
        "audience": "buyer",
        "points": 10,
        "daily_cap": 30,
    },
    {
        "code": "verified_review",
        "name": "Verified review",
        "description": "You reviewed a product you bought and the review was published.",
        "audience": "buyer",
        "points": 25,
        "daily_cap": 75,
    },
    {
        "code": "on_time_answer",
        "name": "On-time answer",
        "description": "You answered a waiting buyer within the response goal.",
        "audience": "seller",
        "points": 5,
        "daily_cap": 100,
    },
    {
        "code": "review_answered_in_48h",
        "name": "Review answered within 48 hours",
        "description": "You answered a review of your store within 48 hours.",
        "audience": "seller",
        "points": 10,
        "daily_cap": 100,
    },
]

BADGES = [
    {
        "code": "fast_responder",
        "name": "Fast Responder",
        "description": "Answers buyers' messages quickly.",
        "audience": "store",
        "kind": "fast_responder",
        "min_rate": Decimal("0.950"),
        "min_count": 20,
        "window_days": 30,
        "icon": "⚡",
        "colour": "gold",
    },
    {
        "code": "review_champion",
        "name": "Review Champion",
        "description": "Answers its reviews within 48 hours.",
        "audience": "store",
        "kind": "review_champion",
        "min_rate": Decimal("0.950"),
        "min_count": 10,
        "window_days": 90,
        "icon": "🏆",
        "colour": "teal",
    },
    {
        "code": "helpful_reviewer",
        "name": "Helpful Reviewer",
        "description": "Writes reviews other buyers find helpful.",
        "audience": "buyer",
        "kind": "helpful_reviewer",
        "min_rate": None,
        "min_count": 10,
        "window_days": 180,
        "icon": "👍",
        "colour": "green",
    },
    {
        "code": "academy_graduate",
        "name": "Academy Graduate",
        "description": "Completed the Seller Academy's core courses.",
        "audience": "seller",
        "kind": "academy_graduate",
        "min_rate": None,
        "min_count": 3,
        "window_days": 730,
        "icon": "🎓",
        "colour": "plum",
    },
]


def install_built_ins(
    rule_model=EarningRule, badge_model=Badge, *, badge_codes: tuple[str, ...] | None = None
) -> None:
    """Create the built-in rules and badges that are missing; existing ones are left as edited.

    The models are the historical ones when a migration calls it, with the
    ``badge_codes`` that migration adds (all of them when None).
    """
    for rule in RULES:
        rule_model.objects.get_or_create(code=rule["code"], defaults=rule)
    for badge in BADGES:
        if badge_codes is None or badge["code"] in badge_codes:
            badge_model.objects.get_or_create(code=badge["code"], defaults=badge)
