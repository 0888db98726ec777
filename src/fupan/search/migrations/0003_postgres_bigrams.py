"""PostgreSQL: a second tsvector of CJK character pairs (bigrams). A two-character word is then one
lexeme — the GIN index answers it exactly, with no phrase check that reads every candidate row —
and longer words are phrases of bigrams, far more selective than phrases of single characters.
The index is rebuilt by ``fupan manage rebuild_search_index``."""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE search_entry ADD COLUMN body2 tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_entry_body2_gin ON search_entry USING gin (body2)",
]
POSTGRES_BACK = ["ALTER TABLE search_entry DROP COLUMN body2"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_sqlite_title_and_body_tables")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_BACK))]
