"""The built-in theme taxonomy (staff edit it afterwards in the office)."""

from django.db import migrations


def install(apps, schema_editor):
    from saypro.insights.services import install_default_themes

    install_default_themes(apps.get_model("insights", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
