"""Full-text search over message text: FTS5 on SQLite, a GIN index on PostgreSQL.

SQLite keeps an external-content FTS5 table in step with ``messaging_message``
through triggers; PostgreSQL indexes ``to_tsvector('simple', text)``, the
expression ``selectors.search_messages`` queries. The ``simple`` configuration
(no stemming, no stop words) suits short, multilingual marketplace messages.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE messaging_message_fts USING fts5("
    "text, content='messaging_message', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER messaging_message_fts_insert AFTER INSERT ON messaging_message BEGIN "
    "INSERT INTO messaging_message_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER messaging_message_fts_delete AFTER DELETE ON messaging_message BEGIN "
    "INSERT INTO messaging_message_fts(messaging_message_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER messaging_message_fts_update AFTER UPDATE OF text ON messaging_message BEGIN "
    "INSERT INTO messaging_message_fts(messaging_message_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO messaging_message_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO messaging_message_fts(messaging_message_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS messaging_message_fts_insert",
    "DROP TRIGGER IF EXISTS messaging_message_fts_delete",
    "DROP TRIGGER IF EXISTS messaging_message_fts_update",
    "DROP TABLE IF EXISTS messaging_message_fts",
]
POSTGRESQL_FORWARD = [
    "CREATE INDEX messaging_message_search ON messaging_message "
    "USING gin (to_tsvector('simple', text))",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS messaging_message_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
