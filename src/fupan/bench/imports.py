"""``fupan bench import``: a generated Discuz! X3.5 site (100,000 members, 200,000 threads,
2,000,000 posts by default) imported into the Fupan database in use.

The source is generated in MariaDB/MySQL by :mod:`fupan.bench.discuz_source` in a process of its
own (``--keep`` reuses it), then imported here with the code of ``fupan import-discuz``: rows/s
per step, the time of the import (steps + counters), then the search index built apart and timed
apart, the peak memory of this process (the import runs in it; the generator's is shown
separately), and a check that no row was lost: every step imported every source row, and the
tables of both sides hold as many rows.

Run it in an empty database of its own: ``FUPAN_VAR_DIR=$(mktemp -d) fupan bench import`` (SQLite)
or ``DATABASE_URL=postgres://…/empty fupan bench import``.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from fupan.bench.discuz_source import (
    DEFAULT_SQL_DIR,
    Sizes,
    database_url,
    exists,
    generate,
    source_counts,
)

DEFAULT_MYSQL = "mysql://root@127.0.0.1:3306/"


@dataclass
class Options:
    mysql: str = DEFAULT_MYSQL
    database: str = "discuz_bench"
    sizes: Sizes | None = None
    keep: bool = False
    batch: int = 1000
    seed: int = 2026
    files: Path | None = None
    sql_dir: Path = DEFAULT_SQL_DIR
    search_index: bool = True


@dataclass
class Check:
    what: str
    source: int
    imported: int

    @property
    def ok(self) -> bool:
        return self.source == self.imported


def _mb(kilobytes: int) -> float:
    return kilobytes / 1024  # ru_maxrss is in KiB on Linux


def default_files(database: str) -> Path:
    """Beside the generated database, whatever Fupan database the run imports into."""
    return Path(tempfile.gettempdir()) / f"fupan-{database}-files" / "attachment" / "forum"


def compare(base_url: str, database: str) -> list[Check]:
    """Rows on both sides, table by table."""
    from django.db.models import Sum

    from fupan.accounts.credits import REASON_RATE
    from fupan.accounts.models import CreditLedger, User
    from fupan.attachments.models import Attachment
    from fupan.forum.models import Board, Post, PostVote, Thread, ThreadType
    from fupan.inbox.models import Favorite, Notification
    from fupan.moderation.models import Report
    from fupan.pm.models import Conversation, Message

    attachments = [f"forum_attachment_{n}" for n in range(10)]
    messages = [f"ucenter_pm_messages_{n}" for n in range(10)]
    src = source_counts(
        base_url,
        database,
        ["common_member", "forum_forum", "forum_threadclass", "forum_thread", "forum_post",
         "forum_post_1", *attachments, "forum_hotreply_member", "forum_ratelog",
         "common_credit_log", "home_favorite", "home_notification", "common_report",
         "ucenter_pm_lists", *messages],
    )  # fmt: skip
    from fupan.bench.discuz_source import connect

    conn = connect(base_url, database)
    with conn.cursor() as cur:
        cur.execute("SELECT SUM(recommend_add), SUM(recommend_sub) FROM pre_forum_thread")
        rec_add, rec_sub = (int(v or 0) for v in cur.fetchone())
    conn.close()
    ours = Thread.objects.aggregate(a=Sum("recommend_add"), s=Sum("recommend_sub"))
    ledger = CreditLedger.objects.filter(imported=True)
    return [
        Check("members", src["common_member"], User.objects.count()),
        Check("boards", src["forum_forum"], Board.objects.count()),
        Check("thread types", src["forum_threadclass"], ThreadType.objects.count()),
        Check("threads", src["forum_thread"], Thread.objects.count()),
        Check("posts", src["forum_post"] + src["forum_post_1"], Post.objects.count()),
        Check("attachments", sum(src[t] for t in attachments), Attachment.objects.count()),
        Check("支持/反对 votes", src["forum_hotreply_member"], PostVote.objects.count()),
        Check("顶 (recommend_add)", rec_add, ours["a"] or 0),
        Check("踩 (recommend_sub)", rec_sub, ours["s"] or 0),
        Check("ratings", src["forum_ratelog"], ledger.filter(reason=REASON_RATE).count()),
        Check("credit log", src["common_credit_log"], ledger.exclude(reason=REASON_RATE).count()),
        Check("favourites", src["home_favorite"], Favorite.objects.count()),
        Check("notifications", src["home_notification"], Notification.objects.count()),
        Check("reports", src["common_report"], Report.objects.count()),
        Check("PM conversations", src["ucenter_pm_lists"], Conversation.objects.count()),
        Check("PM messages", sum(src[t] for t in messages), Message.objects.count()),
    ]


def run(options: Options, *, out: IO[str]) -> int:
    from django.db import connection

    from fupan.forum.models import Post
    from fupan.importers.discuz.importer import run_import
    from fupan.importers.discuz.source import SourceConfig
    from fupan.importers.models import Checkpoint
    from fupan.search.indexing import rebuild

    sizes = options.sizes or Sizes()
    files = Path(options.files or default_files(options.database))
    url = database_url(options.mysql, options.database)
    config = SourceConfig.from_url(url)
    db = connection.vendor
    if Post.objects.exists() or Checkpoint.objects.filter(source=config.key).exists():
        out.write(
            "fupan bench import: the Fupan database is not empty. Run it in one of its own:\n"
            "  FUPAN_VAR_DIR=$(mktemp -d) fupan bench import   (SQLite)\n"
            "  DATABASE_URL=postgres://…/an_empty_database fupan bench import\n"
        )
        return 2
    out.write(f"fupan bench import: Discuz! X3.5 at {url} into {db}\n")
    if options.keep and exists(options.mysql, options.database):
        out.write("  --keep: the generated source is reused\n")
    else:
        out.write(
            f"  generating {sizes.members:,} members, {sizes.threads:,} threads, "
            f"{sizes.posts:,} posts (a process of its own) …\n"
        )
        out.flush()
        files.mkdir(parents=True, exist_ok=True)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            made = pool.submit(
                generate,
                options.mysql,
                options.database,
                sizes,
                files=files,
                sql_dir=options.sql_dir,
                seed=options.seed,
            ).result()
        rows = sum(made.rows.values())
        out.write(f"  generated {rows:,} rows in {made.seconds:,.0f} s\n")
    generator_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # 0 with --keep
    out.flush()

    report = Path(tempfile.gettempdir()) / f"fupan-bench-import-{os.getpid()}.txt"
    started = time.perf_counter()
    result = run_import(
        config,
        batch_size=options.batch,
        attachments=str(files),
        report_path=report,
        out=out,
        search_index=False,
    )
    import_seconds = time.perf_counter() - started
    import_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    index_seconds = 0.0
    indexed = 0
    if options.search_index:
        out.write("  building the search index (timed apart) …\n")
        out.flush()
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done % 200_000 < 2000:
                out.write(f"  indexed {done:,}/{total:,}\n")
                out.flush()

        indexed = rebuild(progress, chunk=5000)
        index_seconds = time.perf_counter() - started
    total_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    checks = compare(options.mysql, options.database)
    step_losses = [
        s for s in result.steps
        if not s.missing and (s.imported_total != s.source_rows or s.skipped_total)
    ]  # fmt: skip
    lost = [c for c in checks if not c.ok]

    out.write("\n| step | source rows | imported | skipped | rows/s |\n|---|---:|---:|---:|---:|\n")
    for s in result.steps:
        if s.missing or not s.source_rows:
            continue
        out.write(
            f"| {s.title} | {s.source_rows:,} | {s.imported_total:,} | {s.skipped_total:,} | "
            f"{s.rate:,.0f} |\n"
        )
    steps_seconds = import_seconds - sum(result.phases.values())
    posts = next((c.imported for c in checks if c.what == "posts"), 0)
    out.write(
        "\n| phase | time |\n|---|---:|\n"
        f"| steps (reading, converting, writing every row) | {steps_seconds:,.0f} s |\n"
        f"| counters (synchronize_*) | {result.phases.get('counters', 0):,.0f} s |\n"
        f"| id sequences | {result.phases.get('sequences', 0):,.1f} s |\n"
        f"| **import total** | **{import_seconds:,.0f} s** "
        f"({import_seconds / 60:,.1f} min; {posts / import_seconds if import_seconds else 0:,.0f}"
        " posts/s) |\n"
    )
    if options.search_index:
        rate = indexed / index_seconds if index_seconds else 0
        out.write(
            f"| search index (rebuild, apart) | {index_seconds:,.0f} s ({indexed:,} posts, "
            f"{rate:,.0f} posts/s) |\n"
            f"| **import + search index** | **{import_seconds + index_seconds:,.0f} s** "
            f"({(import_seconds + index_seconds) / 60:,.1f} min) |\n"
        )
    out.write(
        f"\nPeak memory (ru_maxrss): import {_mb(import_peak):,.0f} MB"
        + (f", with the search index {_mb(total_peak):,.0f} MB" if options.search_index else "")
        + " (this process)"
        + (
            f"; its rendering worker process {_mb(result.worker_peak_kib):,.0f} MB"
            if result.worker_peak_kib
            else ""
        )
        + (f"; the generator's process {_mb(generator_peak):,.0f} MB" if generator_peak else "")
        + ".\n"
    )
    out.write("\n| rows | Discuz | Fupan | |\n|---|---:|---:|---|\n")
    for c in checks:
        out.write(f"| {c.what} | {c.source:,} | {c.imported:,} | {'ok' if c.ok else 'LOST'} |\n")
    if lost or step_losses:
        out.write("\nROWS LOST: " + ", ".join(c.what for c in lost))
        for s in step_losses:
            out.write(f"\n  {s.title}: {s.source_rows:,} rows, imported {s.imported_total:,}, "
                      f"skipped {s.skipped_total:,}")  # fmt: skip
        out.write(f"\n  (see the report {result.report_path})\n")
    else:
        out.write("\nZero rows lost: every source row imported, every table's count matches.\n")
    out.write(
        f"Database {db}; Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{platform.machine()}; batch {options.batch}; report {result.report_path}.\n"
    )
    out.flush()
    return 1 if lost or step_losses else 0


def add_arguments(parser: Any) -> None:
    sizes = Sizes()
    parser.add_argument("--members", type=int, default=sizes.members)
    parser.add_argument("--threads", type=int, default=sizes.threads)
    parser.add_argument("--posts", type=int, default=sizes.posts)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the generated source if it is there"
    )
    parser.add_argument(
        "--mysql", default=DEFAULT_MYSQL, help=f"the MySQL/MariaDB server (default {DEFAULT_MYSQL})"
    )
    parser.add_argument(
        "--database", default="discuz_bench", help="the generated database (default discuz_bench)"
    )
    parser.add_argument("--batch", type=int, default=1000, help="import batch (default 1000)")
    parser.add_argument(
        "--files",
        type=Path,
        help="where the generated attachment files go (default <tmp>/fupan-<database>-files/…)",
    )
    parser.add_argument("--no-search-index", action="store_true", help="leave the search index out")
    parser.add_argument(
        "--sql-dir",
        type=Path,
        default=Path(os.environ.get("DISCUZ_SQL_DIR") or DEFAULT_SQL_DIR),
        help="where Discuz's install.sql, install_data.sql and uc.sql are",
    )


def options_from(args: Any) -> Options:
    return Options(
        mysql=args.mysql,
        database=args.database,
        sizes=Sizes(members=args.members, threads=args.threads, posts=args.posts),
        keep=args.keep,
        batch=args.batch,
        files=args.files,
        sql_dir=args.sql_dir,
        search_index=not args.no_search_index,
    )
