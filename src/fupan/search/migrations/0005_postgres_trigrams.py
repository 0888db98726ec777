"""PostgreSQL: a third tsvector of CJK character triples, so that a three-character word is one
lexeme (answered exactly by the GIN index) and a longer one an AND of triples; and the tsvectors
kept out of line (``toast_tuple_target``), so the rows an index lookup visits stay small. An
index built before this has no triples: a small one is rebuilt here; a big one (or if that fails)
by ``fupan manage rebuild_search_index``, as the migration says."""

from django.db import migrations, transaction

INLINE_LIMIT = 50_000  # a bigger index is left to `fupan manage rebuild_search_index`

POSTGRES = [
    "ALTER TABLE search_entry ADD COLUMN body3 tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_entry_body3_gin ON search_entry USING gin (body3)",
    "ALTER TABLE search_entry SET (toast_tuple_target = 128)",
]
POSTGRES_BACK = [
    "ALTER TABLE search_entry RESET (toast_tuple_target)",
    "ALTER TABLE search_entry DROP COLUMN body3",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


def _reindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM search_entry LIMIT {INLINE_LIMIT + 1}) s"
        )
        indexed = cursor.fetchone()[0]
    if not indexed:
        return
    if indexed > INLINE_LIMIT:
        # Rebuilding a big index here would hold up the upgrade for a long time.
        print(
            "\n  Search: words of three or more characters need the index rebuilt —"
            " run `fupan manage rebuild_search_index` (the site stays up meanwhile)."
        )
        return
    from fupan.search.indexing import rebuild

    try:
        with transaction.atomic():
            rebuild()
    except Exception as exc:  # noqa: BLE001 — the old index stays; the message says how to fix it
        print(f"\n  Search index not rebuilt ({exc}): run `fupan manage rebuild_search_index`.")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_sqlite_bigrams")]

    operations = [
        migrations.RunPython(_run(POSTGRES), _run(POSTGRES_BACK)),
        migrations.RunPython(_reindex, migrations.RunPython.noop),
    ]
