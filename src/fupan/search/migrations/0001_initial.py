"""The search index table, in the form the database engine searches fastest (see backends/)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, board_id UNINDEXED, thread_id UNINDEXED, author_id UNINDEXED, created UNINDEXED,"
    " tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES = [
    "CREATE TABLE search_entry ("
    " post_id integer PRIMARY KEY, thread_id integer NOT NULL, board_id integer NOT NULL,"
    " author_id integer NULL, created timestamp with time zone NOT NULL,"
    " title tsvector NOT NULL, body tsvector NOT NULL)",
    "CREATE INDEX search_entry_title_gin ON search_entry USING gin (title)",
    "CREATE INDEX search_entry_body_gin ON search_entry USING gin (body)",
    "CREATE INDEX search_entry_board ON search_entry (board_id, post_id)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_entry"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
