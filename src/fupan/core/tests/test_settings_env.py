"""Deployment settings from the environment, and clear messages for bad values."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from fupan.conf import env


def test_default_database_is_sqlite_in_wal_mode_under_var(tmp_path):
    config = env.database(None, tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "fupan.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    # A page cache bigger than SQLite's 2 MB default, and pages read through a memory map.
    assert "cache_size=-32768" in config["OPTIONS"]["init_command"]
    assert "mmap_size=268435456" in config["OPTIONS"]["init_command"]


def test_postgres_url_gives_persistent_health_checked_connections(tmp_path):
    config = env.database("postgres://fupan:pw@db.example:5432/forum", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "forum" and config["HOST"] == "db.example"
    assert config["CONN_MAX_AGE"] == 600 and config["CONN_HEALTH_CHECKS"] is True


def test_postgres_prepares_only_the_pages_queries_and_plans_them_once(tmp_path):
    config = env.database("postgres://fupan:pw@db.example:5432/forum", tmp_path)
    # psycopg prepares only what asks (fupan.core.prepared), planned once for any values.
    assert config["OPTIONS"]["prepare_threshold"] >= 2**31 - 1
    assert config["OPTIONS"]["options"] == "-c plan_cache_mode=force_generic_plan"
    own = env.database(
        "postgres://fupan:pw@db.example:5432/forum?options=-c%20statement_timeout%3D5000", tmp_path
    )
    assert own["OPTIONS"]["options"] == (
        "-c statement_timeout=5000 -c plan_cache_mode=force_generic_plan"
    )


def test_unsupported_database_url_says_how_to_fix_it(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        env.database("oracle://x/y", tmp_path)


def test_redis_url_selects_the_redis_cache_and_junk_is_refused():
    assert env.cache("redis://127.0.0.1:6379/1")["BACKEND"].endswith("RedisCache")
    assert env.cache(None)["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        env.cache("memcached://x")


def test_boolean_settings_refuse_junk(monkeypatch):
    monkeypatch.setenv("FUPAN_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FUPAN_DEBUG=1"):
        env.get_bool("FUPAN_DEBUG", default=False)


def test_generated_secret_key_is_kept_between_starts(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FUPAN_TESTING", "0")
    first = env.secret_key(tmp_path, debug=False)
    assert env.secret_key(tmp_path, debug=False) == first and len(first) > 40
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_short_secret_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="32"):
        env.secret_key(tmp_path, debug=False)


def test_the_fupan_command_prints_a_message_not_a_traceback_for_bad_config(tmp_path):
    environ = {
        k: v for k, v in os.environ.items() if k not in {"FUPAN_TESTING", "DJANGO_SETTINGS_MODULE"}
    }
    environ.update({"DATABASE_URL": "mongodb://nope", "FUPAN_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-m", "fupan.cli", "manage", "check"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.django_db
def test_the_sqlite_connection_runs_with_its_pragmas() -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -32768
