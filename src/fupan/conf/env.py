"""Reading deployment settings from the environment, with messages that say how to fix them."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def testing() -> bool:
    return os.environ.get("FUPAN_TESTING") == "1"


def get_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value. Set {name}=1 or {name}=0.")


def get_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a whole number. Set it to a number such as {default}."
        )
    return value


def get_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def var_dir() -> Path:
    """Where the embedded database, uploads and the generated secret key live (``./var``)."""
    path = Path(os.environ.get("FUPAN_VAR_DIR", "var")).resolve()
    if path.exists() and not path.is_dir():
        raise ImproperlyConfigured(
            f"FUPAN_VAR_DIR points at {path}, which is a file. Point it at a directory "
            "(it is created if missing), or unset it to use ./var."
        )
    return path


def secret_key(var: Path, *, debug: bool) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in ``var/secret_key``.

    Keeping the generated key on disk means a demo restarted tomorrow keeps its sessions.
    """
    key = os.environ.get("SECRET_KEY")
    if key is not None:
        if len(key) < 32 and not debug:
            raise ImproperlyConfigured(
                "SECRET_KEY is shorter than 32 characters. Generate one with\n"
                "  python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return key
    if testing():
        return "fupan-tests-" + "x" * 40
    path = var / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    try:
        var.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key + "\n")
        return key
    except FileExistsError:  # another process won the race
        return path.read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Cannot write a secret key to {path} ({exc.strerror}). Set SECRET_KEY in the "
            "environment, or make the directory writable (FUPAN_VAR_DIR chooses it)."
        ) from exc


def conn_max_age() -> int:
    """Seconds a database connection is kept for the next request (``FUPAN_CONN_MAX_AGE``)."""
    raw = os.environ.get("FUPAN_CONN_MAX_AGE", "600")
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ImproperlyConfigured(
            f"FUPAN_CONN_MAX_AGE={raw!r} is not a number of seconds. Set it to 600 (the default), "
            "or 0 to close the database connection after every request."
        )
    return value


def database(url: str | None, var: Path) -> dict[str, Any]:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": var / "fupan.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock
                # at BEGIN so two writers queue instead of failing with "database is locked".
                # Pages are read through a memory map (no read() per page) and up to 32 MB of
                # them kept per connection (SQLite's default is 2 MB: a site of millions of
                # posts went back to the file for the same index pages on every request).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA cache_size=-32768; PRAGMA mmap_size=268435456;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # One connection per worker thread, kept: no connect and PRAGMAs per request.
            "CONN_MAX_AGE": conn_max_age(),
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": os.environ.get("FUPAN_TEST_SQLITE") or None},
        }
    scheme = urlsplit(url).scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        import dj_database_url

        # Persistent connections (no TCP + auth handshake per request), checked before reuse so
        # a restarted database server costs one failed check, not one failed request.
        config = dj_database_url.parse(url, conn_max_age=conn_max_age(), conn_health_checks=True)
        # The pages' prepared queries (fupan.core.prepared) run as prepared statements of the
        # connection, parsed and planned once. psycopg prepares only what asks to be (Django
        # disables it with None, which refuses even that); Django's own queries bind their values
        # on the client and are never prepared.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("prepare_threshold", 2**31 - 1)
        # …and planned once for any values. PostgreSQL otherwise plans a statement anew at every
        # run while its plan for any values looks costlier than the ones for the values at hand
        # (a board's list, a floor by number: 0.5 ms of planning for 0.2 ms of work). Their
        # constants are written into the SQL (fupan.core.prepared), so partial indexes still
        # serve them. Only prepared statements are affected.
        if "plan_cache_mode" not in options.get("options", ""):
            options["options"] = (
                options.get("options", "") + " -c plan_cache_mode=force_generic_plan"
            ).strip()
        config.setdefault("TEST", {})
        return config
    if scheme in {"sqlite"}:
        import dj_database_url

        config = dj_database_url.parse(url)
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
        return config
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {scheme or '(none)'!r} is not supported. Use "
        "postgres://USER:PASSWORD@HOST:5432/NAME for PostgreSQL, or leave DATABASE_URL unset to "
        "use SQLite under ./var/. (A Discuz MySQL database is read by `fupan import-discuz "
        "--mysql …`, not served from.)"
    )


def cache(url: str | None) -> dict[str, Any]:
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fupan"}
    scheme = urlsplit(url).scheme.lower()
    if scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"REDIS_URL scheme {scheme or '(none)'!r} is not supported. Use "
            "redis://HOST:6379/DB (or rediss:// for TLS), or leave REDIS_URL unset for an "
            "in-process cache."
        )
    return {
        "BACKEND": "fupan.core.redis_cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": os.environ.get("FUPAN_CACHE_PREFIX", "fupan"),
    }
