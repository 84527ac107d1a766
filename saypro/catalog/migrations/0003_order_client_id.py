from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_order_is_imported"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="client_id",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.UniqueConstraint(
                fields=("buyer", "client_id"), name="catalog_one_order_per_client_id"
            ),
        ),
    ]
