"""Badges held by each seller (not a store), and the built-in Academy Graduate badge."""

from django.db import migrations, models

from saypro.rewards.builtins import install_built_ins


def add_academy_graduate(apps, schema_editor):
    install_built_ins(
        apps.get_model("rewards", "EarningRule"),
        apps.get_model("rewards", "Badge"),
        badge_codes=("academy_graduate",),
    )


def remove_academy_graduate(apps, schema_editor):
    apps.get_model("rewards", "Badge").objects.filter(code="academy_graduate").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rewards", "0002_built_in_rules_and_badges"),
        ("academy", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="badge",
            name="audience",
            field=models.CharField(
                choices=[
                    ("store", "Stores"),
                    ("buyer", "Buyers"),
                    ("seller", "Sellers (each person)"),
                ],
                max_length=6,
            ),
        ),
        migrations.RunPython(add_academy_graduate, remove_academy_graduate),
    ]
