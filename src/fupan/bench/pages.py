"""In-process page benchmark: the demo's index, a board and the seed thread, as a guest (from the
guest page cache, and rendered with the cache off) and as a member with 30 unread notifications,
and that member's notifications page. For each page: SQL queries per request and p50/p99 of the time to answer a request
through the whole Django stack (middleware, view, template), without a network in between."""

from __future__ import annotations

import platform
import re
import statistics
import time
from typing import IO, Any

import django
from django.conf import settings
from django.test import Client

SEED_TITLE = "遂潼川渝毗邻地区一体化发展先行区建设领导小组第三次会议暨工作推进会召开"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def _member_client() -> Client:
    from fupan.accounts.models import User, UserGroup

    user = User.objects.filter(username="bench_member").first()
    if user is None:
        from fupan.accounts.actions import do_register_user

        user = do_register_user(
            username="bench_member", password="bench-password-1", group_id=UserGroup.NEWBIE
        )
    _give_notifications(user)
    client = Client()
    client.force_login(user, backend="fupan.accounts.backends.UsernameOrEmailBackend")
    return client


def _give_notifications(user: Any, count: int = 30) -> None:
    """The bench member has an inbox like a regular's: ``count`` notifications (mentions, quotes,
    votes, moderation), unread, so the header shows its badge on every page measured."""
    from fupan.forum.models import Post, Thread
    from fupan.inbox.actions import notify
    from fupan.inbox.models import Notification

    if Notification.objects.filter(user_id=user.pk).exists():
        return
    seed = Thread.objects.filter(title=SEED_TITLE).first()
    posts = list(Post.objects.filter(thread=seed).select_related("author").order_by("position"))
    kinds = ["mention", "quote", "moderation", "report"]
    for i in range(count):
        post = posts[i % len(posts)]
        notify(
            [user.pk],
            kinds[i % len(kinds)],
            actor=post.author,
            thread=seed,
            post=post,
            verb="close" if kinds[i % len(kinds)] == "moderation" else "handled",
            excerpt=(post.body or "")[:100],
        )


def _targets() -> list[tuple[str, str]]:
    from fupan.forum.models import Board, Thread

    seed = Thread.objects.filter(title=SEED_TITLE).first()
    if seed is None:
        raise SystemExit(
            "fupan bench: the seed thread is missing; run `fupan demo --no-serve` first."
        )
    board = Board.objects.get(pk=seed.board_id)
    return [
        ("index", "/"),
        (f"board ({board.name})", f"/f/{board.pk}/"),
        ("seed thread", f"/t/{seed.pk}/"),
        ("notifications", "/notifications/"),
    ]


def measure(client: Client, url: str, *, requests: int, warmup: int) -> dict[str, Any]:
    for _ in range(warmup):
        client.get(url)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # The count the page itself reports (RequestStatsMiddleware), as in its footer.
    queries = int(re.search(r"(\d+) queries", response["Server-Timing"]).group(1))
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "queries": queries,
        "p50": statistics.median(timings),
        "p99": _percentile(timings, 99),
        "bytes": len(response.content),
    }


def run(*, requests: int, warmup: int, out: IO[str]) -> int:
    from fupan.demo.loader import load_demo_if_empty

    load_demo_if_empty()
    from django.test import override_settings

    # A guest twice: pages from the guest page cache, and rendered every time (cache off).
    clients = {"guest": Client(), "guest, uncached": Client(), "member": _member_client()}
    rows = []
    for name, url in _targets():
        for who, client in clients.items():
            if url == "/notifications/" and who != "member":
                continue  # a member's own page
            with override_settings(FUPAN_GUEST_CACHE=who != "guest, uncached"):
                result = measure(client, url, requests=requests, warmup=warmup)
            rows.append((name, who, url, result))
            out.write(
                f"  {name:<24} {who:<15} {result['queries']:>3} queries  p50 {result['p50']:6.2f} ms  p99 {result['p99']:6.2f} ms\n"
            )
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    out.write(
        "\n| page | viewer | queries | p50 (ms) | p99 (ms) | HTML (KB) |\n|---|---|---:|---:|---:|---:|\n"
    )
    for name, who, _url, r in rows:
        out.write(
            f"| {name} | {who} | {r['queries']} | {r['p50']:.2f} | {r['p99']:.2f} | {r['bytes'] / 1024:.1f} |\n"
        )
    out.write(
        f"\n{requests} requests per row after {warmup} warm-up requests; database {db}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, {platform.machine()}.\n"
    )
    return 0
