"""``fupan bench http``: requests per second of the real server, against a bare view.

Starts the production server (``fupan serve``: gunicorn, ``--workers`` processes) on 127.0.0.1
against the configured database (``DATABASE_URL`` / ``FUPAN_VAR_DIR``), drives it from the same
machine with ``wrk`` when it is on PATH (Debian package ``wrk``), else with a small Python client,
and prints requests/s, p50 and p99 for the index, the seed thread's board (page 1 and page 5,000 —
or its last page when it has fewer), the seed thread, the biggest thread's first and last page
(a mega-thread after ``fupan bench seed``) and a floor jump into it (``/t/<tid>/<floor>/``, the
redirect itself); each as a guest with the guest page cache on and off (``FUPAN_GUEST_CACHE=0``)
and as a logged-in member (a session cookie). In the same runs it measures a bare view — a fixed
two-byte response through the same middleware and server settings, served at ``/_bench/bare/``
only when ``FUPAN_BENCH=1`` — and prints every figure as a ratio to it. Each page is measured in
``--rounds`` turns with the bare view, seconds apart, and its figure is the median of the rounds'
page ÷ bare (with their lowest and highest): one bare figure at the start of a run of many
minutes mixed the page's cost with the machine's drift.

``--save FILE`` keeps the figures as JSON; ``fupan bench http-plot A.json B.json --out PNG`` draws
page time against site size from two or more saved runs (matplotlib, ``pip install '.[bench]'``).
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

BARE_PATH = "/_bench/bare/"
DEEP_PAGE = 5000


@dataclass
class Result:
    key: str  # stable across site sizes: index, board-1, board-deep, seed, big-1, big-last, floor
    page: str
    viewer: str
    url: str
    rps: float
    p50: float  # ms
    p99: float  # ms
    errors: int
    queries: int | None
    ratio: float = 0.0
    app_ms: float | None = None  # p50 in-process (Django test client, no server, no load)
    # In-process, the bare view's p50 over the page's: requests alternate between the two, so
    # the machine's drift touches both alike (the same reading as ``ratio``, without the server).
    app_ratio: float | None = None
    # Under load, each round's page ÷ bare view (``ratio`` is their median).
    rounds: list[float] | None = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def targets() -> list[tuple[str, str, str]]:
    """(key, name, path) of the pages measured, found in the database."""
    from fupan.bench.pages import SEED_TITLE
    from fupan.core.site import get_site_settings
    from fupan.forum.models import Board, Post, Thread

    settings = get_site_settings()
    seed = Thread.objects.filter(title=SEED_TITLE).first()
    if seed is None:
        raise SystemExit(
            "fupan bench http: the seed thread is missing; run `fupan bench seed` or `fupan demo --no-serve` first."
        )
    board = Board.objects.get(pk=seed.board_id)
    board_pages = max(1, math.ceil(board.threads / settings.threads_per_page))
    deep = min(DEEP_PAGE, board_pages)
    mega = Thread.objects.filter(state=Thread.State.VISIBLE).order_by("-max_position", "pk").first()
    assert mega is not None
    last = max(1, math.ceil(mega.max_position / settings.posts_per_page))
    floor = (
        Post.objects.filter(
            thread=mega, state=Post.State.VISIBLE, position__gte=max(1, mega.max_position * 3 // 4)
        )
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    ) or 1
    return [
        ("index", "index", "/"),
        ("board-1", "board page 1", f"/f/{board.pk}/"),
        ("board-deep", f"board page {deep:,}", f"/f/{board.pk}/?page={deep}"),
        ("seed", "seed thread", f"/t/{seed.pk}/"),
        ("big-1", f"biggest thread ({mega.max_position:,} floors), page 1", f"/t/{mega.pk}/"),
        ("big-last", f"biggest thread, last page ({last:,})", f"/t/{mega.pk}/?page={last}"),
        ("floor", f"floor jump (floor {floor:,})", f"/t/{mega.pk}/{floor}/"),
    ]


def member_cookie() -> str:
    """The cookies of the bench member's browser (``fupan bench seed``'s member, created if
    missing): a logged-in session and a CSRF cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from fupan.accounts.models import User
    from fupan.bench.seed import MARK_PASSWORD, MARK_USERNAME, RANK_MEMBER

    user = User.objects.filter(username=MARK_USERNAME).first()
    if user is None:
        from fupan.accounts.actions import do_register_user

        user = do_register_user(
            username=MARK_USERNAME, password=MARK_PASSWORD, group_id=RANK_MEMBER
        )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "fupan.accounts.backends.UsernameOrEmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    # And the CSRF cookie a member's browser keeps after its first page (without it every
    # response would make a new secret and set the cookie again).
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    get_token(request)
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}"
    )


class Server:
    """``fupan serve`` in a child process, its output to a log file."""

    def __init__(
        self,
        *,
        port: int,
        workers: int,
        threads: int,
        guest_cache: bool,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = port
        env = dict(
            os.environ if env is None else env,
            FUPAN_BENCH="1",
            FUPAN_GUEST_CACHE="1" if guest_cache else "0",
        )
        # Kept open as long as the server runs; closed (and deleted) in stop().
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w+b", prefix="fupan-bench-http-", suffix=".log"
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from fupan.cli import main; sys.exit(main())",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}{BARE_PATH}", timeout=5
                ) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        self.log.seek(0)
        tail = self.log.read()[-3000:].decode("utf-8", "replace")
        self.stop()
        raise SystemExit(f"fupan bench http: the server did not start:\n{tail}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _probe(url: str, cookie: str | None) -> tuple[int, int | None]:
    """Status and the query count the page reports in its Server-Timing header."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        response = opener.open(request, timeout=30)
        status, headers = response.status, response.headers
        response.read()
    except urllib.error.HTTPError as error:
        status, headers = error.code, error.headers
    match = re.search(r"(\d+) queries", headers.get("Server-Timing", "") or "")
    return status, int(match.group(1)) if match else None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(
    url: str, cookie: str | None, *, seconds: int, connections: int
) -> tuple[float, float, float, int]:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> tuple[float, float, float, int]:
    """Requests/s, p50 and p99 (ms) and errors from ``wrk --latency`` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]

    def latency(pct: str) -> float:
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")

    errors = 0
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        m = re.search(pattern, output)
        if m:
            errors += sum(int(g) for g in m.groups())
    return rps, latency("50"), latency("99"), errors


def _python_client(
    url: str, cookie: str | None, *, seconds: int, connections: int
) -> tuple[float, float, float, int]:
    """The fallback load client: ``connections`` threads, one request at a time each."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": cookie} if cookie else {}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status >= 400:
                    bad += 1
            except OSError:
                bad += 1
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [float("nan")]
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return len(latencies) / elapsed, statistics.median(ordered), p99, errors[0]


def load(
    url: str, cookie: str | None, *, seconds: int, connections: int
) -> tuple[float, float, float, int]:
    if shutil.which("wrk"):
        return _wrk(url, cookie, seconds=seconds, connections=connections)
    return _python_client(url, cookie, seconds=seconds, connections=connections)


def site_size() -> dict[str, int]:
    from fupan.accounts.models import User
    from fupan.forum.models import Board

    boards = list(Board.objects.all())
    return {
        "posts": sum(b.posts for b in boards),
        "threads": sum(b.threads for b in boards),
        "members": User.objects.count(),
    }


def run(
    *,
    seconds: int,
    warmup: int,
    connections: int,
    workers: int,
    threads: int,
    label: str,
    save: str | None,
    modes: list[str],
    inprocess: int,
    out: IO[str],
    rounds: int = 3,
) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    from fupan.demo.loader import load_demo_if_empty

    load_demo_if_empty()  # an empty database measures at demo size
    pages = targets()
    cookie = member_cookie()
    size = site_size()
    tool = "wrk" if shutil.which("wrk") else "python client"
    vendor = connection.vendor
    cache = "redis" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else "locmem"
    # Page time without the server and the load: the same pages through the whole Django stack
    # in this process (less disturbed by other work on the machine than figures under load).
    app_ms: dict[tuple[str, str], float] = {}
    app_ratio: dict[tuple[str, str], float] = {}
    uncached = override_settings(FUPAN_GUEST_CACHE=False)
    uncached.enable()
    guest = Client()
    for viewer, client in (("guest", guest), ("member", Client(HTTP_COOKIE=cookie))):
        for key, _page, path in pages:
            for _ in range(5):
                client.get(path)
                guest.get(BARE_PATH)
            times, bare_times = [], []
            for _ in range(inprocess):
                started = time.perf_counter()
                guest.get(BARE_PATH)
                middle = time.perf_counter()
                client.get(path)
                bare_times.append((middle - started) * 1000)
                times.append((time.perf_counter() - middle) * 1000)
            if times:
                app_ms[key, viewer] = statistics.median(times)
                app_ratio[key, viewer] = statistics.median(bare_times) / app_ms[key, viewer]
    uncached.disable()
    connection.close()
    out.write(
        f"  site: {size['posts']:,} posts, {size['threads']:,} threads, {size['members']:,} members; "
        f"database {vendor}, cache {cache}; load: {tool}, {connections} connections, "
        f"{rounds} rounds of {seconds} s per figure, each beside the bare view's, after "
        f"{warmup} s warm-up; server: fupan serve --workers {workers} --threads {threads}\n"
    )
    out.write("  load average before: {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))
    from importlib.util import find_spec

    if find_spec("fupan.core.pagecache") is None and "guest-cached" in modes:
        out.write(
            "  no guest page cache in this build (fupan.core.pagecache): guests measured uncached\n"
        )
        modes = [m for m in modes if m != "guest-cached"]
    results: list[Result] = []
    runs = []
    if "guest-cached" in modes or "member" in modes:
        runs.append((True, [m for m in ("guest-cached", "member") if m in modes]))
    if "guest" in modes:
        runs.append((False, ["guest"]))
    for guest_cache, viewers in runs:
        port = _free_port()
        server = Server(port=port, workers=workers, threads=threads, guest_cache=guest_cache)
        try:
            server.wait_ready()
            base = f"http://127.0.0.1:{port}"
            load(base + BARE_PATH, None, seconds=warmup, connections=connections)
            # The bare view is measured again beside every page, in turns with it: a page's
            # figure is the median of its rounds' page ÷ bare, both taken within seconds of each
            # other, so the machine's drift over the run touches both alike.
            bare_runs: list[tuple[float, float, float, int]] = []
            page_results: list[Result] = []
            for viewer in viewers:
                who_cookie = cookie if viewer == "member" else None
                name = {
                    "guest": "guest, uncached",
                    "guest-cached": "guest, cached",
                    "member": "member",
                }[viewer]
                for key, page, path in pages:
                    # Each worker's first requests warm its caches (and a member's first visit
                    # of the day writes): report the count of a warm request.
                    probes = [_probe(base + path, who_cookie) for _ in range(2 * workers + 2)]
                    status = probes[-1][0]
                    queries = min((q for _s, q in probes if q is not None), default=None)
                    if status >= 400:
                        out.write(f"  {page}: HTTP {status}; skipped\n")
                        continue
                    load(base + path, who_cookie, seconds=warmup, connections=connections)
                    turns = []
                    for number in range(rounds):
                        got = {}
                        for which in ("bare", "page") if number % 2 == 0 else ("page", "bare"):
                            got[which] = load(
                                base + (BARE_PATH if which == "bare" else path),
                                None if which == "bare" else who_cookie,
                                seconds=seconds,
                                connections=connections,
                            )
                        bare_runs.append(got["bare"])
                        turns.append(got["page"] + (got["page"][0] / got["bare"][0],))
                    result = Result(
                        key,
                        page,
                        name,
                        path,
                        statistics.median(t[0] for t in turns),
                        statistics.median(t[1] for t in turns),
                        statistics.median(t[2] for t in turns),
                        sum(t[3] for t in turns),
                        queries,
                        statistics.median(t[4] for t in turns),
                        app_ms.get((key, "member" if viewer == "member" else "guest")),
                        app_ratio.get((key, "member" if viewer == "member" else "guest")),
                        [round(t[4], 4) for t in turns],
                    )
                    page_results.append(result)
                    out.write(
                        f"  {page:<44} {name:<14} {result.rps:8.0f} req/s  p50 {result.p50:6.2f} ms  "
                        f"p99 {result.p99:7.2f} ms  {result.ratio:6.1%} of bare "
                        f"({min(result.rounds):.1%}–{max(result.rounds):.1%})"
                        + (f"  ({result.errors} errors)" if result.errors else "")
                        + "\n"
                    )
                    out.flush()
            if bare_runs:
                bare = Result(
                    "bare",
                    "bare view",
                    f"cache {'on' if guest_cache else 'off'}",
                    BARE_PATH,
                    statistics.median(b[0] for b in bare_runs),
                    statistics.median(b[1] for b in bare_runs),
                    statistics.median(b[2] for b in bare_runs),
                    sum(b[3] for b in bare_runs),
                    0,
                    1.0,
                )
                out.write(
                    f"  {'bare view':<44} {'(cache ' + ('on' if guest_cache else 'off') + ')':<14} "
                    f"{bare.rps:8.0f} req/s  p50 {bare.p50:6.2f} ms  p99 {bare.p99:7.2f} ms "
                    f"(median of {len(bare_runs)})\n"
                )
                results.append(bare)
            results.extend(page_results)
        finally:
            server.stop()
    out.write(
        "\n| page | viewer | queries | req/s | p50 (ms) | p99 (ms) | of bare view (rounds) "
        "| in-process p50 (ms) | in-process, of bare |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    for r in results:
        spread = f" ({min(r.rounds):.0%}–{max(r.rounds):.0%})" if r.rounds else ""
        out.write(
            f"| {r.page} | {r.viewer} | {'' if r.queries is None else r.queries} | {r.rps:,.0f} | "
            f"{r.p50:.2f} | {r.p99:.2f} | {r.ratio:.0%}{spread} | "
            f"{'' if r.app_ms is None else f'{r.app_ms:.1f}'} | "
            f"{'' if r.app_ratio is None else f'{r.app_ratio:.0%}'} |\n"
        )
    out.write(
        f"\n{size['posts']:,} posts; {vendor}, cache {cache}; {tool} with {connections} connections, "
        f"medians of {rounds} rounds of {seconds} s per row, each beside a bare view's; Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores; load average at the end "
        + "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        + ".\n"
    )
    if save:
        Path(save).write_text(
            json.dumps(
                {
                    "label": label,
                    "size": size,
                    "database": vendor,
                    "cache": cache,
                    "results": [asdict(r) for r in results],
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        out.write(f"  saved to {save}\n")
    return 0


def plot(files: list[str], *, out_path: str, out: IO[str]) -> int:
    """Page time (p50) against site size, one line per page and viewer, from saved runs."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SystemExit(
            "fupan bench http-plot needs matplotlib: pip install 'fupan[bench]'"
        ) from None
    runs = [json.loads(Path(f).read_text(encoding="utf-8")) for f in files]
    runs.sort(key=lambda r: r["size"]["posts"])
    names = {
        "index": "index",
        "board-1": "board page 1",
        "board-deep": "board page 5,000 (or last)",
        "seed": "seed thread",
        "big-1": "biggest thread, page 1",
        "big-last": "biggest thread, last page",
        "floor": "floor jump",
    }
    viewers = [
        v
        for v in ("guest, uncached", "guest, cached", "member")
        if any(r["viewer"] == v for run_ in runs for r in run_["results"])
    ]
    fig, grid = plt.subplots(
        2, len(viewers), figsize=(5 * len(viewers), 9), dpi=110, sharey="row", squeeze=False
    )
    # Runs saved with the in-process share of the bare view plot page time in bare views (the
    # machine's speed drifts between runs; the alternating measurement does not see it).
    relative = all(
        r.get("app_ratio") for run_ in runs for r in run_["results"] if r["key"] != "bare"
    )
    # Runs measured in rounds beside the bare view plot the time per request under load in the
    # bare view's too: the median of the rounds' ratios, which the machine's drift spares.
    in_rounds = all(r.get("rounds") for run_ in runs for r in run_["results"] if r["key"] != "bare")
    for row, (field, ylabel) in enumerate(
        (
            ("load_units", "time per request under load ÷ bare view's (fupan serve + wrk)")
            if in_rounds
            else ("p50", "p50 under load, fupan serve + wrk (ms)"),
            ("bare_units", "in-process page time ÷ bare view time")
            if relative
            else ("app_ms", "p50 in-process, no server (ms)"),
        )
    ):
        for ax, viewer in zip(grid[row], viewers, strict=True):
            for key, label in names.items():
                points = [
                    (
                        run_["size"]["posts"],
                        1 / r["app_ratio"]
                        if field == "bare_units"
                        else 1 / r["ratio"]
                        if field == "load_units"
                        else r.get(field),
                    )
                    for run_ in runs
                    for r in run_["results"]
                    if r["key"] == key
                    and r["viewer"] == viewer
                    and r.get({"bare_units": "app_ratio", "load_units": "ratio"}.get(field, field))
                    is not None
                ]
                if points:
                    xs, ys = zip(*points, strict=True)
                    ax.plot(xs, ys, marker="o", label=label)
            bare = sorted(
                {
                    (run_["size"]["posts"], r["p50"])
                    for run_ in runs
                    for r in run_["results"]
                    if r["key"] == "bare"
                }
            )
            if bare and field == "p50":
                xs, ys = zip(*bare, strict=True)
                ax.plot(xs, ys, "k:", marker=".", label="bare view")
            ax.set_xscale("log")
            ax.set_title(viewer, fontsize=9)
            ax.set_xlabel("site size (posts)")
            ax.grid(True, which="both", alpha=0.3)
        grid[row][0].set_ylabel(ylabel)
    grid[0][-1].legend(fontsize=7)
    fig.suptitle(
        "fupan bench http — page time against site size ("
        + "; ".join(f"{r['label'] or r['database']}: {r['size']['posts']:,} posts" for r in runs)
        + ")",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(out_path)
    out.write(f"  wrote {out_path}\n")
    return 0
