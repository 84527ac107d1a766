"""The built-in theme taxonomy (staff edit it afterwards in the office)."""

from django.db import migrations


def install(apps, schema_editor):
    from saypro.insights.themes import DEFAULT_THEMES

    Theme = apps.get_model("insights", "Theme")
    existing = set(Theme.objects.values_list("slug", flat=True))
    Theme.objects.bulk_create(
        Theme(
            slug=spec.slug,
            name=spec.name,
            description=spec.description,
            phrases=list(spec.phrases),
            position=position,
        )
        for position, spec in enumerate(DEFAULT_THEMES)
        if spec.slug not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
