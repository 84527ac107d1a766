"""The built-in earning rules and badges; the office edits their numbers afterwards."""

from django.db import migrations

from saypro.rewards.builtins import RULES, install_built_ins

FIRST_BADGES = ("fast_responder", "review_champion", "helpful_reviewer")


def add_built_ins(apps, schema_editor):
    install_built_ins(
        apps.get_model("rewards", "EarningRule"),
        apps.get_model("rewards", "Badge"),
        badge_codes=FIRST_BADGES,
    )


def remove_built_ins(apps, schema_editor):
    apps.get_model("rewards", "Badge").objects.filter(code__in=FIRST_BADGES).delete()
    apps.get_model("rewards", "EarningRule").objects.filter(
        code__in=[r["code"] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_initial")]

    operations = [migrations.RunPython(add_built_ins, remove_built_ins)]
