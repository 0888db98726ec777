"""``fupan import-discuz``: run every step in order, rebuild counters, the search index and the
id sequences, and write the report."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from django.db import connection, transaction
from django.utils import timezone

from fupan.importers.models import Checkpoint, Issue

from .framework import Context, Progress, Step, StepResult, run_step
from .source import Source, SourceConfig
from .steps_accounts import GroupsStep, IpBansStep, MembersStep
from .steps_files import ATTACHMENT_TABLES, AttachmentsStep, AvatarsStep
from .steps_forum import (
    BoardsStep,
    ModeratorsStep,
    PostsStep,
    ThreadsStep,
    ThreadTypesStep,
    post_tables,
)
from .steps_pm import (
    PM_TABLES,
    ConversationsStep,
    MessagesStep,
    synchronize_imported_conversations,
)
from .steps_site import SiteSettingsStep
from .steps_social import social_steps

FINALIZE_STEP = "_finalized"


def build_steps(ctx: Context) -> list[Step]:
    """The steps in dependency order (attachments after posts; avatars, IP bans and private
    messages after members). A new table is one more Step here."""
    return [
        SiteSettingsStep(),
        GroupsStep(),
        MembersStep(),
        BoardsStep(),
        ThreadTypesStep(),
        ModeratorsStep(),
        ThreadsStep(),
        *(PostsStep(table) for table in post_tables(ctx)),
        # Files are copied only when their folder is given (a later run with it brings them).
        *((AttachmentsStep(n) for n in ATTACHMENT_TABLES) if ctx.attachments else ()),
        *((AvatarsStep(),) if ctx.avatars else ()),
        IpBansStep(),
        ConversationsStep(),
        *(MessagesStep(n) for n in PM_TABLES),
        # Votes, 顶/踩, ratings, credit log, favourites, notifications, reports.
        *social_steps(),
    ]


@dataclass
class ImportResult:
    source: str
    steps: list[StepResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    report_text: str = ""
    report_path: Path | None = None
    # Seconds spent after the steps: counters, sequences, search index (when run).
    phases: dict[str, float] = field(default_factory=dict)
    worker_peak_kib: int = 0  # the rendering worker process's peak memory, if one ran

    @property
    def imported_now(self) -> int:
        return sum(s.imported_now for s in self.steps)

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.step == name)


def run_import(
    config: SourceConfig,
    *,
    since: datetime | None = None,
    batch_size: int = 1000,
    attachments: str | None = None,
    avatars: str | None = None,
    report_path: str | Path | None = None,
    out: TextIO | None = None,
    on_batch: Callable[[str, int], None] | None = None,
    search_index: bool = True,
    parallel: bool = True,
) -> ImportResult:
    """Import everything new in the source. ``search_index`` False leaves the search index
    to ``fupan manage rebuild_search_index`` (the report says so)."""
    source = Source(config)
    progress = Progress(out)
    write = progress.out.write
    ctx = Context(
        source=source,
        since=since,
        batch_size=max(1, batch_size),
        attachments=attachments,
        avatars=avatars,
        on_batch=on_batch,
        parallel=parallel,
    )
    result = ImportResult(source=config.key)
    try:
        _tune_for_bulk_writes()
        write(
            f"Importing Discuz! from {config.key}"
            + (f" since {since:%Y-%m-%d}" if since else "")
            + "\n"
        )
        for step in build_steps(ctx):
            result.steps.append(run_step(step, ctx, progress))
        result.worker_peak_kib = ctx.close_workers()
        dropped = ctx.cache.get("dropped_credits", {})
        for n, (members, total) in sorted(dropped.items()):
            if members:
                result.notes.append(
                    f"extcredits{n}: {members} members hold {total} in total; Fupan keeps "
                    "extcredits1-3 only, so these were not imported"
                )
        result.notes.extend(ctx.cache.get("notes", []))
        if not attachments:
            result.notes.append(
                "attachments not imported: give --attachments (Discuz's data/attachment/forum)"
            )
        if not avatars:
            result.notes.append("avatars not imported: give --avatars (UCenter's data/avatar)")
        if not search_index:
            result.notes.append("search index not rebuilt: run `fupan manage rebuild_search_index`")
        finalize(result, progress, search_index=search_index)
    finally:
        _untune()
        ctx.close_workers()
        source.close()
        from fupan.core.pagecache import bump_site

        bump_site()  # imported rows may show on any page
    result.report_text = format_report(result)
    path = Path(report_path) if report_path else default_report_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(result.report_text, encoding="utf-8")
    result.report_path = path
    write("\n" + format_report(result, examples=10) + f"\nReport written to {path}\n")
    return result


# SQLite's page cache during an import (KiB): the posts' indexes are updated out of order, and
# with the default 2 MB each batch read and rewrote the same index pages from disk (45 GB
# written for 2,000,000 posts). Checkpoints of the write-ahead log are less frequent too.
IMPORT_CACHE_KIB = 256 * 1024
IMPORT_CHECKPOINT_PAGES = 16_000


_TUNED = ("cache_size", "wal_autocheckpoint")
_before_tuning: dict[str, object] = {}


def _tune_for_bulk_writes() -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for pragma in _TUNED:
            cursor.execute(f"PRAGMA {pragma}")
            _before_tuning[pragma] = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {IMPORT_CHECKPOINT_PAGES}")


def _untune() -> None:
    """The connection's own settings again (it may serve requests after a test's import)."""
    if connection.vendor != "sqlite" or connection.connection is None or not _before_tuning:
        return
    with connection.cursor() as cursor:
        for pragma, value in _before_tuning.items():
            cursor.execute(f"PRAGMA {pragma} = {int(value)}")  # type: ignore[call-overload]
    _before_tuning.clear()


def default_report_path() -> Path:
    from django.conf import settings

    base = Path(getattr(settings, "VAR_DIR", None) or "var")
    return base / f"import-report-{timezone.localtime():%Y%m%d-%H%M%S}.txt"


def finalize(result: ImportResult, progress: Progress, *, search_index: bool = True) -> None:
    """Counters, search index and sequences, when anything changed since the last time."""
    total = sum(
        Checkpoint.objects.filter(source=result.source)
        .exclude(step=FINALIZE_STEP)
        .values_list("imported", flat=True)
    )
    mark, _ = Checkpoint.objects.get_or_create(source=result.source, step=FINALIZE_STEP)
    if mark.imported == total and not result.imported_now:
        progress.out.write("  nothing new: counters and search index left as they are\n")
        return
    from fupan.accounts.credits import synchronize_credits
    from fupan.forum.synchronize import synchronize_all
    from fupan.search.indexing import rebuild

    started = time.monotonic()
    progress.start("counters", 1)
    if connection.vendor == "postgresql":
        # The tables were empty when last analysed: without fresh statistics PostgreSQL plans the
        # recounts' correlated subqueries as scans (minutes for 10,000 members).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    synchronize_all()
    synchronize_credits()
    synchronize_imported_conversations()
    progress.add(1)
    progress.finish()
    result.phases["counters"] = time.monotonic() - started
    started = time.monotonic()
    reset_sequences()
    result.phases["sequences"] = time.monotonic() - started
    if not search_index:
        Checkpoint.objects.filter(pk=mark.pk).update(imported=total)
        return
    started = time.monotonic()
    progress.start("search index", 0)
    last = [0]

    def tick(done: int, total: int) -> None:
        progress.total = total
        progress.add(done - last[0])
        last[0] = done

    rebuild(tick)
    progress.finish()
    result.phases["search index"] = time.monotonic() - started
    Checkpoint.objects.filter(pk=mark.pk).update(imported=total)


def reset_sequences() -> None:
    """Move PostgreSQL's id sequences past the imported ids (SQLite does this by itself)."""
    from django.apps import apps
    from django.core.management.color import no_style

    models = [
        apps.get_model(label)
        for label in (
            "accounts.UserGroup",
            "accounts.User",
            "accounts.Ban",
            "forum.Board",
            "forum.BoardPermission",
            "forum.BoardModerator",
            "forum.ThreadType",
            "forum.Thread",
            "forum.Post",
            "attachments.Attachment",
            "pm.Conversation",
            "pm.Message",
            "inbox.Favorite",
            "inbox.Notification",
            "moderation.Report",
        )
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def format_report(result: ImportResult, *, examples: int | None = None) -> str:
    """The report; ``examples`` limits the rows listed per reason (the file lists them all)."""
    lines = [
        f"Discuz! import report — {result.source}",
        f"Written {timezone.localtime():%Y-%m-%d %H:%M:%S}",
        "",
        f"{'kind':<24}{'source rows':>12}{'imported':>12}{'skipped':>10}{'this run':>10}{'rows/s':>10}",
    ]
    for s in result.steps:
        if s.missing:
            lines.append(f"{s.title:<24}{'(no table)':>12}")
            continue
        lines.append(
            f"{s.title:<24}{s.source_rows:>12,}{s.imported_total:>12,}{s.skipped_total:>10,}"
            f"{s.imported_now:>10,}{s.rate:>10,.0f}"
        )
    issues = Issue.objects.filter(source=result.source).order_by("step", "kind", "reason", "id")
    grouped: dict[tuple[str, str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        grouped[(issue.step, issue.kind, issue.reason)].append(issue)
    if grouped:
        lines += ["", "Skipped rows and rows imported with a change, by reason:"]
        by_step = Counter(step for step, _k, _r in grouped)
        for step in by_step:
            lines.append(f"  [{step}]")
            for (s, kind, reason), items in grouped.items():
                if s != step:
                    continue
                lines.append(f"    {kind}: {reason} — {len(items)}")
                for item in items[:examples]:
                    detail = f" ({item.detail})" if item.detail else ""
                    lines.append(f"      {item.source_key}{detail}")
                if examples is not None and len(items) > examples:
                    lines.append(f"      … and {len(items) - examples} more (see the report file)")
    if result.notes:
        lines += ["", "Notes:"] + [f"  {note}" for note in result.notes]
    return "\n".join(lines) + "\n"
