"""Prepared queries: a queryset's SQL compiled once, run with new numbers on every call.

Django builds the SQL of a queryset anew on every evaluation: cloning, resolving lookups,
compiling, choosing converters. On the pages read most (a thread page, a floor jump) that costs
five to ten times the query itself — about 1.2 ms for a page of posts whose SQL runs in 0.12 ms.
A ``Prepared`` query builds its queryset once per shape, with marker numbers where the values
go, keeps the SQL, where each marker sits among its parameters, and how rows become objects
(``select_related`` included), and afterwards only executes:

    page_of_posts = Prepared(
        lambda thread_id, low, high: Post.objects.filter(
            thread_id=thread_id, position__range=(low, high)
        ).select_related("author").order_by("position")[:20]
    )
    posts = page_of_posts(thread.pk, 1, 20)

The builder takes integers, aware datetimes or lists of integers (``id__in``; each list length is its own shape,
and an empty list gives ``[]`` without a query, as the ORM does). It must use every positional
argument as a query parameter, never in a slice or to choose a branch; what does change the SQL
(a LIMIT, a setting) is a keyword argument, each value of it a shape of its own:
``page_of_posts(tid, 1, 20, limit=20)``. A model queryset yields model
instances exactly as iterating it would; a ``values_list`` queryset yields tuples (or single
values when ``flat``). The SQL goes through the connection's execute wrappers (the request's
query count), and through Django's cursor whenever queries are logged (``DEBUG``,
``CaptureQueriesContext``), so every query is counted and logged as any other. On SQLite, without
logging, it runs on the sqlite3 connection with SQL converted once per plan (``_run_sqlite``); on
PostgreSQL it is a prepared statement of the connection, parsed and planned by the server once
(``_run_postgres``).
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeAlias

from django.conf import settings
from django.db import connections
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.expressions import Col
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    QuerySet,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.signals import post_init, pre_init
from django.utils.dateparse import parse_datetime

Arg: TypeAlias = int | datetime | Sequence[int]

# Marker values stand where the arguments go. They must be valid for every integer field (Django
# drops a comparison its field can never fail, e.g. ``>= -1`` on a positive field), so they are
# small; the query is built twice with two sets of markers, and the parameters that differ are
# the arguments — a constant that happens to equal a marker stays put.
_FIRST = (10_000, 20_000)


def _markers(args: Sequence[Arg], first: int) -> list[Any]:
    out: list[Any] = []
    for i, arg in enumerate(args):
        start = first + i * 400
        if isinstance(arg, datetime):
            out.append(datetime(first // 10, 1, 1, tzinfo=UTC) + timedelta(seconds=start))
        elif isinstance(arg, int):
            out.append(start)
        else:
            if len(arg) > 399:
                raise ValueError("Prepared query: a list of at most 399 values")
            out.append([start + 1 + j for j in range(len(arg))])
    return out


_PLACEHOLDER = re.compile(r"%%|%s")


def _inline_constants(
    sql: str, params: list[Any], slots: list[tuple[int, int, int]], *, vendor: str
) -> tuple[str, list[Any], list[tuple[int, int, int]]]:
    """The integer constants of the query written into its SQL, only the arguments left as
    parameters: a partial index can serve only a condition it can prove from literals
    (``support > 0`` for ``post_hot_idx``). With a parameter there, SQLite compiles the
    statement anew at every run — about 75 µs for a page's hot replies — and PostgreSQL's plan
    for a prepared statement (planned once, for any values) cannot use the index at all: it read
    a 100,000-floor thread's every post for its hot replies (66 ms)."""
    argument_at = {slot[0] for slot in slots}
    kept: list[Any] = []
    moved: dict[int, int] = {}
    index = -1

    def one(match: re.Match[str]) -> str:
        nonlocal index
        if match.group() == "%%":
            return "%%"
        index += 1
        value = params[index]
        if index not in argument_at and isinstance(value, bool):
            return ("1" if value else "0") if vendor == "sqlite" else ("true" if value else "false")
        if index not in argument_at and isinstance(value, int):  # psycopg's Int2/Int4 too
            return str(int(value)) if value >= 0 else f"({int(value)})"  # never "- -1"
        moved[index] = len(kept)
        kept.append(value)
        return "%s"

    inlined = _PLACEHOLDER.sub(one, sql)
    if index != len(params) - 1:  # the SQL's placeholders are not its parameters: leave it
        return sql, params, slots
    return inlined, kept, [(moved[i], arg, item) for i, arg, item in slots]


@dataclass(frozen=True)
class _Plan:
    alias: str
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int, int], ...]  # (param index, argument, item or -1 or -2: a time)
    kind: str  # "model", "tuple" or "flat"
    col_count: int
    trim: bool
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    model: Any = None
    init_list: tuple[str, ...] = ()
    model_start: int = 0
    model_end: int = 0
    populators: tuple[Any, ...] = ()
    annotations: tuple[tuple[str, int], ...] = ()
    qmark_sql: str = ""  # SQLite: the SQL as sqlite3 takes it, converted once
    server_prepared: bool = False  # PostgreSQL (psycopg 3): a prepared statement on the server


class Prepared:
    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self.build = build
        self._local = threading.local()

    def _plan(self, args: Sequence[Arg], consts: dict[str, Any]) -> _Plan:
        shape = (
            tuple(
                -2 if isinstance(a, datetime) else -1 if isinstance(a, int) else len(a)
                for a in args
            ),
            tuple(sorted(consts.items())) if consts else (),
        )
        plans: dict[Any, _Plan] | None = getattr(self._local, "plans", None)
        if plans is None:
            plans = self._local.plans = {}
        plan = plans.get(shape)
        if plan is None:
            plan = plans[shape] = self._compile(args, consts)
        return plan

    def _compile(self, args: Sequence[Arg], consts: dict[str, Any]) -> _Plan:
        if len(args) > 24:
            raise ValueError("Prepared query: at most 24 arguments")
        built = []
        for first in _FIRST:
            markers = _markers(args, first)
            qs = self.build(*markers, **consts)
            compiler = qs.query.get_compiler(using=qs.db)
            sql, params = compiler.as_sql()
            adapt = connections[qs.db].ops.adapt_datetimefield_value
            where: dict[Any, tuple[int, int]] = {}
            for i, marker in enumerate(markers):
                if isinstance(marker, datetime):
                    where[adapt(marker)] = (i, -2)
                    continue
                for j, value in enumerate(marker if isinstance(marker, list) else [marker]):
                    where[value] = (i, j if isinstance(marker, list) else -1)
            built.append((qs, compiler, sql, list(params), where))
        (qs, compiler, sql, params, where), (_, _, other_sql, other_params, _) = built
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("Prepared query: the SQL depends on the arguments' values")
        alias = qs.db
        slots = []
        used: set[int] = set()
        for index, (value, other) in enumerate(zip(params, other_params, strict=True)):
            if value != other:
                if value not in where:
                    raise ValueError("Prepared query: a parameter changed that is no argument")
                slots.append((index, *where[value]))
                used.add(where[value][0])
        missing = sorted(set(range(len(args))) - used)
        if missing:
            raise ValueError(
                f"Prepared query: arguments {missing} are not query parameters "
                "(used in a slice, a branch, or not at all)"
            )
        vendor = connections[alias].vendor
        server_prepared = vendor == "postgresql" and _psycopg3()
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        found = compiler.get_converters(fields)
        if vendor == "sqlite":
            sql, found = _read_by_sqlite(compiler, sql, found, connections[alias])
        if vendor == "sqlite" or server_prepared:
            sql, params, slots = _inline_constants(sql, params, slots, vendor=vendor)
        converters = tuple(
            (pos, tuple(_faster(conv, connections[alias]) for conv in convs), expression)
            for pos, (convs, expression) in found.items()
        )
        common: dict[str, Any] = {
            "qmark_sql": SQLiteCursorWrapper.convert_query(None, sql)  # type: ignore[arg-type]
            if connections[alias].vendor == "sqlite"
            else "",
            "server_prepared": server_prepared,
            "alias": alias,
            "sql": sql,
            "params": tuple(params),
            "slots": tuple(slots),
            "col_count": compiler.col_count,
            "trim": compiler.has_extra_select,
            "converters": converters,
        }
        iterable = qs._iterable_class
        if iterable is FlatValuesListIterable:
            return _Plan(kind="flat", **common)
        if iterable is ValuesListIterable:
            return _Plan(kind="tuple", **common)
        if iterable is not ModelIterable or qs._prefetch_related_lookups:
            raise ValueError("Prepared query: a model or values_list queryset without prefetch")
        select, klass_info = compiler.select, compiler.klass_info
        fields_at = klass_info["select_fields"]
        start, end = fields_at[0], fields_at[-1] + 1
        return _Plan(
            kind="model",
            model=klass_info["model"],
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            model_start=start,
            model_end=end,
            populators=tuple(get_related_populators(klass_info, select, alias)),
            annotations=tuple(compiler.annotation_col_map.items()),
            **common,
        )

    def __call__(self, *args: Arg, **consts: Any) -> list[Any]:
        if any(isinstance(a, list | tuple) and not a for a in args):
            return []  # an empty ``__in``: no row, no query (as the ORM)
        plan = self._plan(args, consts)
        connection = connections[plan.alias]
        params = list(plan.params)
        for index, arg, item in plan.slots:
            if item == -1:
                params[index] = args[arg]
            elif item == -2:
                params[index] = connection.ops.adapt_datetimefield_value(args[arg])
            else:
                params[index] = args[arg][item]  # type: ignore[index]
        rows: list[Any]
        if plan.qmark_sql and not connection.queries_logged:
            rows = _run_sqlite(connection, plan, params)
        elif plan.server_prepared and not connection.queries_logged:
            rows = _run_postgres(connection, plan, params)
        else:
            with connection.cursor() as cursor:
                cursor.execute(plan.sql, params)
                rows = cursor.fetchall()
        if plan.trim:
            rows = [row[: plan.col_count] for row in rows]
        if plan.converters:
            converted = []
            for row in rows:
                row = list(row)
                for pos, convs, expression in plan.converters:
                    value = row[pos]
                    for converter in convs:
                        value = converter(value, expression, connection)
                    row[pos] = value
                converted.append(row)
            rows = converted
        if plan.kind == "flat":
            return [row[0] for row in rows]
        if plan.kind == "tuple":
            return [tuple(row) for row in rows]
        objects = []
        model = plan.model
        from_db = _build(model) if _plain(model) else model.from_db
        for row in rows:
            obj = from_db(plan.alias, plan.init_list, row[plan.model_start : plan.model_end])
            for populator in plan.populators:
                _populate(populator, row, obj)
            for name, pos in plan.annotations:
                setattr(obj, name, row[pos])
            objects.append(obj)
        return objects


def _faster(converter: Any, connection: Any) -> Any:
    """SQLite's datetime converter without its per-value settings lookups: sqlite3 has parsed
    the value already (a naive UTC time), which becomes aware in the connection's zone, as
    ``convert_datetimefield_value`` makes it (with ``USE_TZ``, read when the plan is made)."""
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return converter
    if getattr(converter, "__func__", None) is not type(connection.ops).convert_datetimefield_value:
        return converter
    zone = connection.timezone

    def convert(value: Any, expression: Any, connection: Any) -> Any:
        if value is not None:
            if not isinstance(value, datetime):
                value = parse_datetime(value)
            if value.tzinfo is None:
                value = value.replace(tzinfo=zone)
        return value

    return convert


# SQLite: a column aliased ``"… [fupan_utc]"`` is read by this converter (sqlite3's
# ``PARSE_COLNAMES``, which Django's connection sets): the stored text (naive UTC, as Django writes
# it) straight to an aware datetime in one C call, where Django parses it to a naive datetime and
# then makes it aware with ``replace`` (about 1.4 µs a value; a board page reads forty).
UTC_COLUMN = "fupan_utc"


def _utc_datetime(value: bytes) -> datetime:
    text = value.decode()
    try:
        return datetime.fromisoformat(text + "+00:00")
    except ValueError:  # another form (an offset of its own, a date alone): as Django reads it
        parsed = parse_datetime(text)
        if parsed is None:
            raise
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


sqlite3.register_converter(UTC_COLUMN, _utc_datetime)


def _read_by_sqlite(
    compiler: Any, sql: str, found: dict[int, tuple[list[Any], Any]], connection: Any
) -> tuple[str, dict[int, tuple[list[Any], Any]]]:
    """The SQL and the converters left for Python, once sqlite3 reads what it can: a boolean
    column is a ``bool`` already (Django's ``bool`` converter on the column's declared type), and
    a datetime column becomes aware by ``_utc_datetime`` (its alias names it) — then Django's
    converter for either has nothing left to do. Only for plain columns of this query's own
    select list, rebuilt exactly as Django wrote it (else the SQL is left as it is), and only
    where Django stores UTC (``USE_TZ``, no ``TIME_ZONE`` of the database's own)."""
    if not settings.USE_TZ or connection.settings_dict["TIME_ZONE"] is not None:
        return sql, found
    ops = connection.ops
    select = compiler.select
    out = [
        s_sql if not alias else f"{s_sql} AS {ops.quote_name(alias)}"
        for _, (s_sql, _params), alias in select
    ]
    head = "SELECT " + ", ".join(out) + " FROM "
    if not sql.startswith(head) or compiler.query.distinct:
        return sql, found
    kind = type(ops)
    left = dict(found)
    for pos, (convs, expression) in found.items():
        if not isinstance(expression, Col) or len(convs) != 1 or pos >= len(select):
            continue
        method = getattr(convs[0], "__func__", None)
        if method is kind.convert_booleanfield_value:
            del left[pos]
        elif method is kind.convert_datetimefield_value:
            alias = select[pos][2]
            if alias and re.search(rf"(?<!\.){re.escape(ops.quote_name(alias))}", sql[len(head) :]):
                continue  # the alias is named after the select list (ORDER BY …): leave it
            out[pos] = f'{select[pos][1][0]} AS "c{pos} [{UTC_COLUMN}]"'
            del left[pos]
    return "SELECT " + ", ".join(out) + " FROM " + sql[len(head) :], left


def _run_sqlite(connection: Any, plan: _Plan, params: list[Any]) -> list[Any]:
    """The query on SQLite with the SQL converted once per plan: Django's SQLite cursor rewrites
    every query's placeholders with a regular expression at each run, and a page's SQL is 2–3 KB
    long."""
    sqlite = _checked(connection)

    def run() -> list[Any]:
        return sqlite.execute(plan.qmark_sql, params).fetchall()  # type: ignore[no-any-return]

    return _through_wrappers(connection, plan, params, run)


def _run_postgres(connection: Any, plan: _Plan, params: list[Any]) -> list[Any]:
    """The query on PostgreSQL as a prepared statement of the connection: parsed and planned by
    the server once, then only executed with new values. Django's cursor binds the values into the
    SQL text on the client, so PostgreSQL parses and plans a thread page's joins at every run —
    about half of each query's time on a page. Only these queries bind on the server (Django's
    own may hold several statements, which a prepared statement cannot); psycopg keeps the most
    recent statements per connection and deallocates the rest."""
    import psycopg

    pg = _checked(connection)

    def run() -> list[Any]:
        with psycopg.Cursor(pg) as cursor:
            cursor.execute(plan.sql, params, prepare=True)
            return cursor.fetchall()

    return _through_wrappers(connection, plan, params, run)


@functools.cache
def _psycopg3() -> bool:
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3)


def _checked(connection: Any) -> Any:
    """The database connection as Django's cursor would use it: health-checked, connected, not
    in a broken transaction."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    return connection.connection


def _through_wrappers(
    connection: Any, plan: _Plan, params: list[Any], run: Callable[[], list[Any]]
) -> list[Any]:
    """``run`` as Django's cursor runs a query: through the connection's execute wrappers (the
    request's query count), database errors wrapped. With queries logged (``DEBUG``,
    ``CaptureQueriesContext``) the ordinary cursor runs instead of these."""

    def execute(sql: str, params: Any, many: bool, context: dict[str, Any]) -> list[Any]:
        with connection.wrap_database_errors:
            return run()

    executor: Callable[..., list[Any]] = execute
    for wrapper in reversed(connection.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    return executor(plan.sql, params, False, {"connection": connection, "cursor": None})


_builders: dict[type, Callable[[str, Sequence[str], Sequence[Any]], Any]] = {}


_unoverridden: dict[type, bool] = {}


def _plain(model: Any) -> bool:
    """Whether ``Model.__init__`` and ``Model.from_db`` would do nothing more for ``model`` than
    ``_build`` does: neither is overridden, and no ``pre_init`` / ``post_init`` receiver listens
    (receivers come and go, so they are asked at every query; without any, that is two list
    checks)."""
    plain = _unoverridden.get(model)
    if plain is None:
        plain = _unoverridden[model] = (
            model.__init__ is Model.__init__ and model.from_db.__func__ is Model.from_db.__func__
        )
    if not plain:
        return False
    if not pre_init.receivers and not post_init.receivers:
        return True
    return not pre_init.has_listeners(model) and not post_init.has_listeners(model)


def _build(model: type) -> Callable[[str, Sequence[str], Sequence[Any]], Any]:
    """``model.from_db`` without ``Model.__init__``'s loop over every field: the loaded values go
    straight into the instance's ``__dict__`` (where ``__init__`` puts them too; a field left out
    stays deferred, loaded on first use). Only where ``_plain(model)`` — checked at every query,
    else ``from_db`` runs."""
    build = _builders.get(model)
    if build is None:
        new = model.__new__

        def build(db: str, init_list: Sequence[str], values: Sequence[Any]) -> Any:
            obj = new(model)
            state = ModelState()
            state.adding = False
            state.db = db
            attrs = obj.__dict__
            attrs["_state"] = state
            attrs.update(zip(init_list, values, strict=True))
            return obj

        _builders[model] = build
    return build


def _populate(populator: Any, row: Sequence[Any], from_obj: Any) -> None:
    """Django's ``RelatedPopulator.populate`` (``select_related``), building with ``_build``."""
    if populator.reorder_for_init:
        data = populator.reorder_for_init(row)
    else:
        data = row[populator.cols_start : populator.cols_end]
    model = populator.model_cls
    if data[populator.pk_idx] is None:
        obj = None
    else:
        obj = (_build(model) if _plain(model) else model.from_db)(
            populator.db, populator.init_list, data
        )
        for nested in populator.related_populators:
            _populate(nested, row, obj)
    populator.local_setter(from_obj, obj)
    if obj is not None:
        populator.remote_setter(obj, from_obj)
