from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from .discuz_source import ENV, SQL_DIR, DiscuzDatabase, discuz_database


@pytest.fixture(scope="session")
def discuz_db() -> Iterator[DiscuzDatabase]:
    """A fresh Discuz! X3.5 database with the test community, dropped at the end."""
    base = os.environ.get(ENV)
    if not base:
        pytest.skip(f"{ENV} is not set (e.g. {ENV}=mysql://root@127.0.0.1:3306/): no MySQL to read")
    if not (SQL_DIR / "install.sql").exists():
        pytest.skip(f"Discuz's install.sql is not in {SQL_DIR} (set DISCUZ_SQL_DIR)")
    with discuz_database(base) as db:
        yield db


@pytest.fixture
def run_discuz_import(discuz_db: DiscuzDatabase, db: Any, site: Any, tmp_path: Any) -> Any:
    """Import the test community with the real management command; returns its output."""
    from io import StringIO

    from django.core.management import call_command

    def run(*args: str) -> str:
        out = StringIO()
        call_command(
            "import_discuz",
            "--mysql",
            discuz_db.url,
            "--report",
            str(tmp_path / "report.txt"),
            *args,
            stdout=out,
        )
        return out.getvalue()

    return run
