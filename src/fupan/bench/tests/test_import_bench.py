"""``fupan bench import`` at a tiny size against the real MariaDB/MySQL of the importer's tests
(``DISCUZ_TEST_MYSQL``): it generates a Discuz! site, imports it and finds every row."""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path

import pytest

from fupan.bench.discuz_source import Sizes, drop, source_counts
from fupan.bench.imports import Options, run
from fupan.importers.tests.discuz_source import ENV, SQL_DIR


@pytest.fixture
def mysql() -> str:
    base = os.environ.get(ENV)
    if not base:
        pytest.skip(f"{ENV} is not set (e.g. {ENV}=mysql://root@127.0.0.1:3306/)")
    if not (SQL_DIR / "install.sql").exists():
        pytest.skip(f"Discuz's install.sql is not in {SQL_DIR} (set DISCUZ_SQL_DIR)")
    return base


@pytest.mark.django_db
def test_the_import_bench_imports_every_generated_row(
    mysql: str, tmp_path: Path, site: object
) -> None:
    from fupan.attachments.models import Attachment
    from fupan.forum.models import Post, Thread
    from fupan.pm.models import Message

    database = f"fupan_bench_test_{secrets.token_hex(4)}"
    out = io.StringIO()
    try:
        code = run(
            Options(
                mysql=mysql,
                database=database,
                sizes=Sizes(members=50, threads=20, posts=100),
                files=tmp_path / "attachment" / "forum",
                sql_dir=SQL_DIR,
            ),
            out=out,
        )
        counts = source_counts(
            mysql, database, ["forum_post", "forum_post_1", "forum_thread", "forum_attachment"]
        )
    finally:
        drop(mysql, database)
    text = out.getvalue()
    assert code == 0, text
    assert "Zero rows lost" in text and "LOST" not in text
    assert counts["forum_post"] + counts["forum_post_1"] == 100 == Post.objects.count()
    assert counts["forum_post_1"] > 0  # the older threads' posts sit in the split table
    assert counts["forum_thread"] == 20 == Thread.objects.count()
    assert counts["forum_attachment"] == Attachment.objects.count() >= 1
    assert Message.objects.exists()
    assert "| **import total** |" in text and "search index (rebuild, apart)" in text
    assert "Peak memory (ru_maxrss): import" in text


@pytest.mark.django_db
def test_the_import_bench_refuses_a_database_that_is_not_empty(
    mysql: str, thread_factory: object, board: object
) -> None:
    thread_factory(board)  # type: ignore[operator]
    out = io.StringIO()
    code = run(Options(mysql=mysql, database="fupan_bench_never_made"), out=out)
    assert code == 2 and "not empty" in out.getvalue()
