"""SQLite: post texts also as CJK character pairs (bigrams), as on PostgreSQL: a two-character word
is one token and a longer word a phrase of pairs, whose doclists are far shorter than those of
single characters — what keeps multi-word queries fast at a million posts. The index is rebuilt
by ``fupan manage rebuild_search_index``."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_body2 USING fts5("
    "body2, board_id UNINDEXED, author_id UNINDEXED, created UNINDEXED,"
    " tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACK = ["DROP TABLE IF EXISTS search_body2"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_postgres_bigrams")]

    operations = [migrations.RunPython(_run(SQLITE), _run(SQLITE_BACK))]
