"""Indexes on the raw tables' deciding time stamps, for ``rollups.compute_day``.

Rebuilding the rollups reads each marketplace-local day's messages,
conversations, waits, reviews and answers by the time stamp that decides the
day. Without these indexes every day was a scan of the whole tables (4.5 s a
day at 1 million messages, see docs/performance.md, "KPI dashboards"); with
them a day reads only its own rows. The indexes live here, not in the owning
apps' models, because only the KPI rollups need them; the SQL is the same on
SQLite and PostgreSQL.
"""

from django.db import migrations

INDEXES = {
    "analytics_raw_message_created": ("messaging_message", "created_at"),
    "analytics_raw_conversation_created": ("messaging_conversation", "created_at"),
    "analytics_raw_wait_started": ("messaging_wait", "started_at"),
    "analytics_raw_review_published": ("reviews_review", "published_at"),
    "analytics_raw_answer_published": ("reviews_answer", "published_at"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_reportemail"),
        ("messaging", "0001_initial"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
            f'DROP INDEX IF EXISTS "{name}"',
        )
        for name, (table, column) in INDEXES.items()
    ]
