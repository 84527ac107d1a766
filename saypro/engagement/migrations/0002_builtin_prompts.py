"""The built-in prompts (staff edit their wording, cap and dates, or switch them off)."""

from django.db import migrations


def install(apps, schema_editor):
    from saypro.engagement.services import install_builtin_prompts

    install_builtin_prompts(apps.get_model("engagement", "Prompt"))


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
