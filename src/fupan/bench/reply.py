"""``fupan bench reply``: the reply action, whole, as a member's request runs it.

Each reply is ``do_create_reply`` in its own transaction — lock the thread, allocate the floor,
write the post, update the thread, board and member counters and the credit ledger, commit — and
then the after-commit effects (the search index entry, the guest page cache's generations,
notifications), run in this process as django-tasks' immediate backend does. Timed per reply,
in the configured database (``DATABASE_URL``; the issue's target is PostgreSQL), into a thread of
a board of its own, left in place: run it in a database of its own, as the other benchmarks
(``createdb bench_reply && DATABASE_URL=…/bench_reply fupan bench reply``). Also prints the
queries one reply sends.
"""

from __future__ import annotations

import platform
import statistics
import time
from typing import IO

import django
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

BODIES = (
    "今天路过滨江路，看到施工围挡已经拆了，路面重新铺过，晚上散步方便多了。",
    "同意楼上。[b]建议[/b]在公交站旁边加几个座椅，老人等车太辛苦。",
    "小区停水通知贴出来了吗？我们楼还没看到，有知道的邻居说一声。",
    "周末带孩子去了新开的图书馆，环境很好，就是停车位少，建议坐公交。[img]https://example.com/a.jpg[/img]",
)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run(*, replies: int, out: IO[str]) -> int:
    from fupan.accounts.actions import do_register_user
    from fupan.forum.actions import do_create_reply, do_create_thread
    from fupan.forum.models import Board

    with transaction.atomic():
        category = Board.objects.create(name="bench reply", kind=Board.Kind.CATEGORY)
        board = Board.objects.create(name="bench reply board", parent=category)
    users = [
        do_register_user(username=f"br{i}_{int(time.time()) % 10**8}", password="bench-pw-12345")
        for i in range(4)
    ]
    thread = do_create_thread(board, acting_user=users[0], title="回帖测速", body="正文内容")
    for i in range(10):  # warm-up: caches, prepared plans, the connection
        do_create_reply(thread, acting_user=users[i % 4], body=BODIES[i % len(BODIES)])
    timings: list[float] = []
    for i in range(replies):
        body = BODIES[i % len(BODIES)] + f" #{i}"
        started = time.perf_counter()
        do_create_reply(thread, acting_user=users[i % 4], body=body)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        do_create_reply(thread, acting_user=users[1], body=BODIES[0])
    out.write(
        "\n| measurement | runs | p50 (ms) | p99 (ms) | queries |\n|---|---:|---:|---:|---:|\n"
        f"| do_create_reply, committed, after-commit effects included | {replies} | "
        f"{statistics.median(timings):.2f} | {_percentile(timings, 99):.2f} | {len(queries)} |\n"
    )
    out.write(
        f"\nDatabase {connection.vendor}; Python {platform.python_version()}, "
        f"Django {django.get_version()}, {platform.machine()}.\n"
    )
    return 0
