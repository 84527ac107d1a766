"""The built-in earning rules and badges; the office edits their numbers afterwards."""

from django.db import migrations

from saypro.rewards.builtins import BADGES, RULES, install_built_ins


def add_built_ins(apps, schema_editor):
    install_built_ins(apps.get_model("rewards", "EarningRule"), apps.get_model("rewards", "Badge"))


def remove_built_ins(apps, schema_editor):
    apps.get_model("rewards", "Badge").objects.filter(code__in=[b["code"] for b in BADGES]).delete()
    apps.get_model("rewards", "EarningRule").objects.filter(
        code__in=[r["code"] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_initial")]

    operations = [migrations.RunPython(add_built_ins, remove_built_ins)]
