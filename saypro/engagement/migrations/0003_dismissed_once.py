from django.db import migrations, models


def keep_each_persons_first_dismissal(apps, schema_editor):
    """Earlier demos (and racing requests) could dismiss a prompt twice; the first one stands."""
    PromptEvent = apps.get_model("engagement", "PromptEvent")
    dismissals = PromptEvent.objects.filter(kind="dismissed").order_by("at", "pk")
    seen, extra = set(), []
    for pk, prompt_id, user_id in dismissals.values_list("pk", "prompt_id", "user_id").iterator():
        if (prompt_id, user_id) in seen:
            extra.append(pk)
        seen.add((prompt_id, user_id))
    PromptEvent.objects.filter(pk__in=extra).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0002_builtin_prompts"),
    ]

    operations = [
        migrations.RunPython(keep_each_persons_first_dismissal, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="promptevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "dismissed")),
                fields=("prompt", "user"),
                name="prompt_dismissed_once",
            ),
        ),
    ]
