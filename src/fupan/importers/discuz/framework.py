"""The import machinery: a :class:`Step` per source table, run in keyset batches, each batch
written with its :class:`~fupan.importers.models.Checkpoint` and issues in one transaction.

Adding a table (attachments, private messages, votes …) is one more ``Step`` subclass: say which
rows to read (``select``/``key``, optionally ``since``) and write them in ``write``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from django.db import connection, models, transaction

from fupan.importers.models import Checkpoint, Issue

from .convert import decode_text
from .source import Source


@dataclass
class Context:
    """What every step can use: the source, the run's options and caches shared by steps."""

    source: Source
    since: datetime | None = None
    batch_size: int = 1000
    attachments: str | None = None
    avatars: str | None = None
    cache: dict[str, Any] = field(default_factory=dict)
    # Whether big steps may use a second process; the pool once started (None: none yet).
    parallel: bool = False
    workers: Any = None

    def worker_pool(self) -> Any:
        """One spawned worker process, started on first use (closed by ``close_workers``)."""
        if self.workers is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.workers = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return self.workers

    def close_workers(self) -> int:
        """Stop the worker; returns its peak memory in KiB (0 when there was none)."""
        if self.workers is None:
            return 0
        from .workers import peak_memory_kib

        try:
            peak = int(self.workers.submit(peak_memory_kib).result())
        finally:
            self.workers.shutdown()
            self.workers = None
        return peak

    # Called after each committed batch (tests raise here to simulate a crash).
    on_batch: Callable[[str, int], None] | None = None

    @property
    def since_timestamp(self) -> int | None:
        return int(self.since.timestamp()) if self.since else None

    @property
    def source_key(self) -> str:
        return self.source.config.key


class Batch:
    """The rows of one batch and what happened to them."""

    def __init__(self, rows: list[dict[str, Any]], ahead: Any = None) -> None:
        self.rows = rows
        self.ahead = ahead  # what Step.ahead started for these rows
        self.imported = 0
        self.issues: list[tuple[str, str, str, str]] = []  # kind, key, reason, detail

    def skip(self, key: object, reason: str, detail: str = "") -> None:
        self.issues.append((Issue.Kind.SKIPPED, str(key), reason, detail[:2000]))

    def change(self, key: object, reason: str, detail: str = "") -> None:
        self.issues.append((Issue.Kind.CHANGED, str(key), reason, detail[:2000]))

    def text(self, row: dict[str, Any], column: str, key: object) -> str:
        """A text column, decoded; invalid UTF-8 is repaired and reported."""
        value, problem = decode_text(row.get(column))
        if problem:
            self.change(key, f"{column}: {problem}")
        return value

    @property
    def skipped(self) -> int:
        return len({k for kind, k, _r, _d in self.issues if kind == Issue.Kind.SKIPPED})


class Step:
    """One source table (or a join around one). Subclasses set:

    - ``name``: the checkpoint and report name; ``title``: what the operator reads;
    - ``table``: the main table (without prefix) and its alias, e.g. ``"forum_post p"``;
    - ``columns``: the SELECT list; ``joins``: JOIN clauses (``{t}`` formats to a table name);
    - ``key``: a unique, increasing integer expression (``"p.pid"``);
    - ``since``: a condition on the main table taking one timestamp (``"p.dateline >= %s"``), or
      None when the table has no date (then a ``--since`` run reads it all again);
    - ``batch_size``: None for the run's ``--batch``, else a fixed size (0 = the whole table).
    """

    name = ""
    title = ""
    table = ""
    columns = "*"
    joins = ""
    key = ""
    since: str | None = None
    where: str | None = None
    batch_size: int | None = None
    # Skips that a later run tries again (rows behind the checkpoint are read again by key): an
    # attachment whose file was missing is imported once the owner has copied the file over.
    retry_reasons: tuple[str, ...] = ()

    def required_tables(self) -> list[str]:
        return [self.table.split()[0]]

    def _fmt(self, ctx: Context, sql: str) -> str:
        return sql.format(t=_TableNames(ctx.source))

    def _conditions(self, ctx: Context, last_key: int | None) -> tuple[list[str], list[Any]]:
        conds: list[str] = []
        params: list[Any] = []
        if last_key is not None:
            conds.append(f"{self.key} > %s")
            params.append(last_key)
        if self.where:
            conds.append(self._fmt(ctx, self.where))
        if ctx.since is not None and self.since:
            conds.append(self.since)
            params.append(ctx.since_timestamp)
        return conds, params

    def _from(self, ctx: Context, *, joins: bool) -> str:
        name, _, alias = self.table.partition(" ")
        sql = f"FROM {ctx.source.table(name)} {alias}"
        if joins and self.joins:
            sql += " " + self._fmt(ctx, self.joins)
        return sql

    def count(self, ctx: Context, last_key: int | None = None) -> int:
        conds, params = self._conditions(ctx, last_key)
        where = f" WHERE {' AND '.join(conds)}" if conds else ""
        return int(
            ctx.source.scalar(f"SELECT COUNT(*) {self._from(ctx, joins=False)}{where}", params)
        )

    def fetch(self, ctx: Context, last_key: int, limit: int) -> list[dict[str, Any]]:
        conds, params = self._conditions(ctx, last_key)
        sql = (
            f"SELECT {self.key} AS _key, {self._fmt(ctx, self.columns)} {self._from(ctx, joins=True)}"
            f" WHERE {' AND '.join(conds)} ORDER BY {self.key}"
        )
        if limit:
            sql += " LIMIT %s"
            params.append(limit)
        return ctx.source.query(sql, params)

    def fetch_keys(self, ctx: Context, keys: list[int]) -> list[dict[str, Any]]:
        """The rows with these keys (rows skipped before, read again)."""
        marks = ", ".join(["%s"] * len(keys))
        return ctx.source.query(
            f"SELECT {self.key} AS _key, {self._fmt(ctx, self.columns)} {self._from(ctx, joins=True)}"
            f" WHERE {self.key} IN ({marks}) ORDER BY {self.key}",
            keys,
        )

    def prepare(self, ctx: Context) -> None:
        """Before the first batch of this run (load caches)."""

    def ahead(self, rows: list[dict[str, Any]], ctx: Context) -> Any:
        """Called for a batch as soon as it is read, before the previous batch is written: start
        work elsewhere (a worker process) and return its handle; ``write`` finds it in
        ``batch.ahead``."""
        return None

    def write(self, batch: Batch, ctx: Context) -> None:
        """Write the batch's rows (inside the batch's transaction); set ``batch.imported`` and
        record skips and changes."""
        raise NotImplementedError

    def finish(self, ctx: Context) -> None:
        """After the last batch of this run."""


def _default(f: models.Field) -> Any:  # type: ignore[type-arg]
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        from django.utils import timezone

        return timezone.now()
    return f.get_default()


class Upsert:
    """``INSERT … ON CONFLICT (key) DO UPDATE`` of many rows as plain tuples, for the big tables
    (posts, votes, messages …): ``bulk_create`` spends most of an import building model instances
    and preparing each value; this adapts only the values that need it (dates, IP addresses) and
    hands the rows to the driver's ``executemany``. Columns not given get the field's default.
    Works on SQLite and PostgreSQL alike."""

    def __init__(
        self,
        model: type[models.Model],
        columns: list[str],
        *,
        key: tuple[str, ...] = ("id",),
        update: list[str] | None = None,
    ) -> None:
        opts = model._meta
        fields = {f.attname: f for f in opts.concrete_fields}
        self.columns = columns
        given = [fields[name] for name in columns]
        defaults = [
            f for f in opts.concrete_fields if f.attname not in columns and not f.primary_key
        ]
        self.defaults = tuple(f.get_db_prep_save(_default(f), connection) for f in defaults)
        qn = connection.ops.quote_name
        names = [qn(f.column) for f in given + defaults]
        conflict = ", ".join(qn(fields[k].column) for k in key)
        changes = [name for name in (update if update is not None else columns) if name not in key]
        sql = (
            f"INSERT INTO {qn(opts.db_table)} ({', '.join(names)})"
            f" VALUES ({', '.join(['%s'] * len(names))}) ON CONFLICT ({conflict})"
        )
        if changes:
            sets = ", ".join(
                f"{qn(fields[c].column)} = EXCLUDED.{qn(fields[c].column)}" for c in changes
            )
            sql += f" DO UPDATE SET {sets}"
        else:
            sql += " DO NOTHING"
        self.sql = sql
        ops = connection.ops
        adapters: dict[int, Callable[[Any], Any]] = {}
        for i, f in enumerate(given):
            kind = f.get_internal_type()
            if kind == "DateTimeField":
                adapters[i] = ops.adapt_datetimefield_value
            elif kind == "GenericIPAddressField":
                adapters[i] = ops.adapt_ipaddressfield_value
            elif kind == "DateField":
                adapters[i] = ops.adapt_datefield_value
            elif kind == "JSONField":
                adapters[i] = lambda v, f=f: f.get_db_prep_save(v, connection)
        self.adapters = sorted(adapters.items())

    def __call__(self, rows: list[tuple[Any, ...]]) -> int:
        if not rows:
            return 0
        adapters, defaults = self.adapters, self.defaults
        params = []
        for row in rows:
            values = list(row)
            for i, adapt in adapters:
                if values[i] is not None:
                    values[i] = adapt(values[i])
            params.append((*values, *defaults))
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, params)
        return len(rows)


class _TableNames:
    def __init__(self, source: Source) -> None:
        self.source = source

    def __getattr__(self, name: str) -> str:
        return self.source.table(name)


# Progress ----------------------------------------------------------------------------------


class Progress:
    """One line per step: done/total, rows per second and the time left."""

    def __init__(self, out: TextIO | None = None, *, interval: float = 1.0) -> None:
        self.out = out or sys.stdout
        self.tty = hasattr(self.out, "isatty") and self.out.isatty()
        self.interval = interval

    def start(self, title: str, total: int) -> None:
        self.title, self.total, self.done = title, total, 0
        self.started = self.last_shown = time.monotonic()
        self._show(force=True)

    def add(self, n: int) -> None:
        self.done += n
        self._show()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def _line(self) -> str:
        rate = self.rate()
        total = max(self.total, self.done)
        pct = f"{self.done * 100 // total:3d}%" if total else "100%"
        width = 24
        filled = width * self.done // total if total else width
        bar = "#" * filled + "." * (width - filled)
        left = (total - self.done) / rate if rate > 0 else 0
        eta = time.strftime("%H:%M:%S", time.gmtime(left)) if rate > 0 else "--:--:--"
        return (
            f"  {self.title:<22} [{bar}] {pct} {self.done:>10,}/{total:<10,} "
            f"{rate:>9,.0f} rows/s  ETA {eta}"
        )

    def _show(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_shown < self.interval:
            return
        self.last_shown = now
        if self.tty:
            self.out.write("\r" + self._line())
        elif self.done and not force:  # a log file: a line now and then, no start line
            self.out.write(self._line() + "\n")
        self.out.flush()

    def finish(self) -> float:
        rate = self.rate()
        elapsed = time.monotonic() - self.started
        line = self._line().replace("ETA --:--:--", "").rstrip()
        line = line.rsplit("ETA", 1)[0].rstrip() + f"  in {elapsed:.1f}s"
        self.out.write(("\r" if self.tty else "") + line + "\n")
        self.out.flush()
        return rate


# Running steps -----------------------------------------------------------------------------


@dataclass
class StepResult:
    step: str
    title: str
    source_rows: int = 0
    imported_total: int = 0
    skipped_total: int = 0
    imported_now: int = 0
    skipped_now: int = 0
    rate: float = 0.0
    missing: bool = False


def checkpoint_name(step: Step, ctx: Context) -> str:
    if ctx.since is not None:
        return f"{step.name}@since={ctx.since:%Y-%m-%d}"
    return step.name


def run_step(step: Step, ctx: Context, progress: Progress) -> StepResult:
    result = StepResult(step=step.name, title=step.title or step.name)
    missing = [t for t in step.required_tables() if not ctx.source.has_table(t)]
    if missing:
        result.missing = True
        progress.out.write(f"  {result.title:<22} (no table {', '.join(missing)}: nothing to do)\n")
        return result
    name = checkpoint_name(step, ctx)
    cp, _ = Checkpoint.objects.get_or_create(source=ctx.source_key, step=name)
    result.source_rows = step.count(ctx)
    progress.start(result.title, step.count(ctx, cp.last_key))
    step.prepare(ctx)
    size = ctx.batch_size if step.batch_size is None else step.batch_size
    if step.retry_reasons:
        retried, recovered = _retry(step, ctx, cp, size or 1000)
        result.imported_now += retried
        result.skipped_now -= recovered
    last_key = cp.last_key
    batches = 0
    rows = step.fetch(ctx, last_key, size)
    ahead = step.ahead(rows, ctx) if rows else None
    while rows:
        # The next batch is read (and its ahead work started) before this one is written.
        following = step.fetch(ctx, int(rows[-1]["_key"]), size) if size else []
        following_ahead = step.ahead(following, ctx) if following else None
        batch = Batch(rows, ahead)
        with transaction.atomic():
            step.write(batch, ctx)
            _save_issues(ctx.source_key, step.name, batch)
            last_key = int(rows[-1]["_key"])
            skipped = batch.skipped
            Checkpoint.objects.filter(pk=cp.pk).update(
                last_key=last_key,
                imported=cp.imported + result.imported_now + batch.imported,
                skipped=cp.skipped + result.skipped_now + skipped,
            )
        result.imported_now += batch.imported
        result.skipped_now += skipped
        batches += 1
        progress.add(len(rows))
        if ctx.on_batch is not None:
            ctx.on_batch(step.name, batches)
        rows, ahead = following, following_ahead
    step.finish(ctx)
    result.rate = progress.finish()
    result.imported_total = cp.imported + result.imported_now
    result.skipped_total = cp.skipped + result.skipped_now
    return result


def _retry(step: Step, ctx: Context, cp: Checkpoint, size: int) -> tuple[int, int]:
    """Read again the rows skipped before for one of ``step.retry_reasons``; those that import
    now lose their issue. Returns (imported, no longer skipped)."""
    keys = sorted(
        int(k)
        for k in Issue.objects.filter(
            source=ctx.source_key,
            step=step.name,
            kind=Issue.Kind.SKIPPED,
            reason__in=step.retry_reasons,
        ).values_list("source_key", flat=True)
        if k.isdigit()
    )
    imported = recovered = 0
    for start in range(0, len(keys), size):
        rows = step.fetch_keys(ctx, keys[start : start + size])
        if not rows:
            continue
        batch = Batch(rows)
        with transaction.atomic():
            step.write(batch, ctx)
            read = {str(r["_key"]) for r in rows}
            # What was said of these rows before is replaced by what is said now.
            Issue.objects.filter(
                source=ctx.source_key, step=step.name, source_key__in=read
            ).delete()
            _save_issues(ctx.source_key, step.name, batch)
            gone = len(read) - batch.skipped
            Checkpoint.objects.filter(pk=cp.pk).update(
                imported=cp.imported + imported + batch.imported,
                skipped=max(0, cp.skipped - recovered - gone),
            )
        imported += batch.imported
        recovered += gone
    # ``cp`` keeps the counts from before: run_step adds what this run did, retries included.
    return imported, recovered


def _save_issues(source: str, step: str, batch: Batch) -> None:
    if not batch.issues:
        return
    keys = {key for _k, key, _r, _d in batch.issues}
    # A row read again (a --since run) replaces what was said about it before.
    Issue.objects.filter(source=source, step=step, source_key__in=keys).delete()
    Issue.objects.bulk_create(
        Issue(source=source, step=step, kind=kind, source_key=key, reason=reason, detail=detail)
        for kind, key, reason, detail in batch.issues
    )
