"""A shipped screencast's static path on an article (``Article.video_file``).

On SQLite, adding a column rebuilds ``knowledge_article``, which drops the
triggers that keep the full-text table of 0002 in step; the search table and
its triggers are made again (and the index rebuilt) after the change, and
again after undoing it.
"""

from importlib import import_module

from django.db import migrations, models

search = import_module("saypro.knowledge.migrations.0002_article_search")


def restore_search(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in search.SQLITE_BACKWARD + search.SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_article_search"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_search),
        migrations.AddField(
            model_name="article",
            name="video_file",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text=(
                    "A shipped screencast's static path (WebM); its captions (.vtt) sit next to it."
                ),
                max_length=200,
            ),
        ),
        migrations.RunPython(restore_search, migrations.RunPython.noop),
    ]
