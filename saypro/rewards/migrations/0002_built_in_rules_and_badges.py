"""The built-in earning rules and badges; the office edits their numbers afterwards."""

from decimal import Decimal

from django.db import migrations

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
]


def add_built_ins(apps, schema_editor):
    EarningRule = apps.get_model("rewards", "EarningRule")
    Badge = apps.get_model("rewards", "Badge")
    for rule in RULES:
        EarningRule.objects.update_or_create(code=rule["code"], defaults=rule)
    for badge in BADGES:
        Badge.objects.update_or_create(code=badge["code"], defaults=badge)


def remove_built_ins(apps, schema_editor):
    apps.get_model("rewards", "Badge").objects.filter(code__in=[b["code"] for b in BADGES]).delete()
    apps.get_model("rewards", "EarningRule").objects.filter(
        code__in=[r["code"] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_initial")]

    operations = [migrations.RunPython(add_built_ins, remove_built_ins)]
