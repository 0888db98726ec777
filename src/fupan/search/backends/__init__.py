"""Search backends: one interface (base.SearchBackend), one implementation per database engine,
chosen by the database in use."""

from __future__ import annotations

from functools import cache

from fupan.search.backends.base import Doc, SearchBackend


@cache
def _backend_for(vendor: str) -> SearchBackend:
    if vendor == "postgresql":
        from fupan.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    if vendor == "sqlite":
        from fupan.search.backends.sqlite import SqliteBackend

        return SqliteBackend()
    raise NotImplementedError(f"no search backend for the {vendor} database")


def get_backend() -> SearchBackend:
    from django.db import connection

    return _backend_for(connection.vendor)


__all__ = ["Doc", "SearchBackend", "get_backend"]
