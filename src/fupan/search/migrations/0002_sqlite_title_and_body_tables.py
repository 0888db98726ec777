"""SQLite: titles and post texts in two FTS5 tables. A title-only lookup then reads the small
titles index instead of walking the posts' doclists (a character's doclist covers every column),
which kept title searches slow at a million posts. The index is rebuilt by
``fupan manage rebuild_search_index``."""

from django.db import migrations

SQLITE = [
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_title USING fts5("
    "title, board_id UNINDEXED, author_id UNINDEXED, created UNINDEXED,"
    " tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_body USING fts5("
    "body, board_id UNINDEXED, author_id UNINDEXED, created UNINDEXED,"
    " tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACK = [
    "DROP TABLE IF EXISTS search_title",
    "DROP TABLE IF EXISTS search_body",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, board_id UNINDEXED, thread_id UNINDEXED, author_id UNINDEXED, created UNINDEXED,"
    " tokenize = 'unicode61 remove_diacritics 2')",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(SQLITE), _run(SQLITE_BACK))]
