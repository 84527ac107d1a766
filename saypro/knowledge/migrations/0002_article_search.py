"""Full-text search over articles on SQLite: an FTS5 table kept in step by triggers.

External content (``knowledge_article`` holds the text; FTS5 holds only the
index), columns title, summary, search_text, tags (``selectors.search``
weighs them in that order) and the Porter stemmer, so "reply" finds
"replies". PostgreSQL needs nothing here: a few hundred articles are ranked
with ``to_tsvector`` computed per query (``selectors.search``).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE knowledge_article_fts USING fts5("
    "title, summary, search_text, tags, content='knowledge_article', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER knowledge_article_fts_insert AFTER INSERT ON knowledge_article BEGIN "
    "INSERT INTO knowledge_article_fts(rowid, title, summary, search_text, tags) "
    "VALUES (new.id, new.title, new.summary, new.search_text, new.tags); END",
    "CREATE TRIGGER knowledge_article_fts_delete AFTER DELETE ON knowledge_article BEGIN "
    "INSERT INTO knowledge_article_fts(knowledge_article_fts, rowid, title, summary, "
    "search_text, tags) VALUES ('delete', old.id, old.title, old.summary, old.search_text, "
    "old.tags); END",
    "CREATE TRIGGER knowledge_article_fts_update AFTER UPDATE OF title, summary, search_text, "
    "tags ON knowledge_article BEGIN "
    "INSERT INTO knowledge_article_fts(knowledge_article_fts, rowid, title, summary, "
    "search_text, tags) VALUES ('delete', old.id, old.title, old.summary, old.search_text, "
    "old.tags); "
    "INSERT INTO knowledge_article_fts(rowid, title, summary, search_text, tags) "
    "VALUES (new.id, new.title, new.summary, new.search_text, new.tags); END",
    "INSERT INTO knowledge_article_fts(knowledge_article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS knowledge_article_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_update",
    "DROP TABLE IF EXISTS knowledge_article_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_FORWARD}), _run({"sqlite": SQLITE_BACKWARD}))
    ]
