"""``fupan bench http-pair``: two sites of different sizes, measured in turns.

``fupan bench http`` measures one site. Two of its runs taken minutes apart mix the sites'
difference with the machine's drift: another process, the CPU's clock, PostgreSQL's background
work. This benchmark serves both sites at once (``fupan serve`` for each, the same settings) and
measures each page on one site, then on the other, in short turns (``--rounds``, the order
swapped every round), so that both see the same machine. It prints each page's requests/s on
both sites and the large site's time per request over the small site's: the median over the
rounds, with the lowest and highest. The bare view, measured the same way, shows the noise of
the method: its ratio should read 1.00.

Each site is described by environment variables, ``NAME=VALUE`` (``DATABASE_URL``,
``REDIS_URL``, ``FUPAN_VAR_DIR``; the caller's own of these are not passed on)::

    fupan bench http-pair \\
        --small DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_demo_pg \\
        --small REDIS_URL=redis://127.0.0.1:6379/5 \\
        --large DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_2m_pg \\
        --large REDIS_URL=redis://127.0.0.1:6379/7
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from fupan.bench.http import BARE_PATH, Server, _free_port, _probe, load

SIDES = ("small", "large")
# What says which site a server serves; the caller's own are not passed on.
SITE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "FUPAN_VAR_DIR")
_MARK = "FUPAN-BENCH-SITE "
_VIEWER_NAMES = {"guest": "guest, uncached", "guest-cached": "guest, cached", "member": "member"}


@dataclass
class PairResult:
    key: str
    page: str  # as named on the large site
    viewer: str
    small_rps: float  # medians over the rounds
    large_rps: float
    ratio: float  # large ÷ small, time per request: median over the rounds
    lowest: float
    highest: float
    rounds: list[tuple[float, float]]  # (small, large) requests/s of each round
    queries: tuple[int | None, int | None] = (None, None)


def parse_env(pairs: list[str], side: str) -> dict[str, str]:
    """``NAME=VALUE`` arguments as a dictionary; a clear error for anything else."""
    if not pairs:
        # Without any, the site would be whatever the defaults find (./var): never what was meant.
        raise SystemExit(
            f"fupan bench http-pair: name the {side} site, e.g. "
            f"--{side} DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_demo_pg "
            f"or --{side} FUPAN_VAR_DIR=/path/to/var"
        )
    variables: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Z_][A-Z0-9_]*", name):
            raise SystemExit(
                f"fupan bench http-pair: --{side} {pair!r} is not NAME=VALUE; "
                f"e.g. --{side} DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_demo_pg"
            )
        variables[name] = value
    return variables


def site_env(variables: dict[str, str], base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of one site's processes: the caller's, without its site variables, with
    this site's."""
    env = dict(os.environ if base is None else base)
    for name in SITE_VARIABLES:
        env.pop(name, None)
    env.update(variables)
    return env


def describe() -> dict[str, Any]:
    """The pages measured, the bench member's cookie and the size of the configured site (run
    in a process of that site)."""
    from django.conf import settings
    from django.db import connection

    from fupan.bench.http import member_cookie, site_size, targets
    from fupan.demo.loader import load_demo_if_empty

    load_demo_if_empty()  # an empty database measures at demo size, as in `bench http`
    return {
        "targets": targets(),
        "cookie": member_cookie(),
        "size": site_size(),
        "database": connection.vendor,
        "cache": "redis" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else "locmem",
    }


def _describe_site(env: dict[str, str], side: str) -> dict[str, Any]:
    code = (
        "import json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fupan.conf.settings'); "
        "import django; django.setup(); from fupan.bench.pair import describe; "
        f"print({_MARK!r} + json.dumps(describe(), ensure_ascii=False))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(_MARK):
            return json.loads(line[len(_MARK) :])  # type: ignore[no-any-return]
    raise SystemExit(
        f"fupan bench http-pair: could not read the {side} site "
        "(is its database there and migrated? `fupan manage migrate` with the same variables):\n"
        + (done.stderr or done.stdout)[-2000:]
    )


def summarize(
    key: str, page: str, viewer: str, rounds: list[tuple[float, float]], queries: Any = (None, None)
) -> PairResult:
    """Each round's ratio is the small site's requests/s over the large site's (the large
    site's time per request over the small site's); the figure is their median."""
    ratios = [small / large for small, large in rounds]
    return PairResult(
        key=key,
        page=page,
        viewer=viewer,
        small_rps=statistics.median(s for s, _l in rounds),
        large_rps=statistics.median(lg for _s, lg in rounds),
        ratio=statistics.median(ratios),
        lowest=min(ratios),
        highest=max(ratios),
        rounds=rounds,
        queries=tuple(queries),  # type: ignore[arg-type]
    )


def run(
    *,
    small: list[str],
    large: list[str],
    seconds: int,
    warmup: int,
    rounds: int,
    connections: int,
    workers: int,
    threads: int,
    modes: list[str],
    pages: list[str] | None,
    save: str | None,
    out: IO[str],
) -> int:
    envs = {
        "small": site_env(parse_env(small, "small")),
        "large": site_env(parse_env(large, "large")),
    }
    sites = {side: _describe_site(envs[side], side) for side in SIDES}
    paths = {side: {k: p for k, _n, p in sites[side]["targets"]} for side in SIDES}
    names = {k: n for k, n, _p in sites["large"]["targets"]}
    keys = [k for k, _n, _p in sites["small"]["targets"] if pages is None or k in pages]
    tool = "wrk" if shutil.which("wrk") else "python client"
    for side in SIDES:
        size = sites[side]["size"]
        out.write(
            f"  {side}: {size['posts']:,} posts, {size['threads']:,} threads, "
            f"{size['members']:,} members; database {sites[side]['database']}, "
            f"cache {sites[side]['cache']}\n"
        )
    out.write(
        f"  load: {tool}, {connections} connections, {rounds} rounds of {seconds} s per site "
        f"after {warmup} s warm-up; servers: fupan serve --workers {workers} --threads {threads}\n"
    )
    groups: list[tuple[bool, list[str]]] = []
    if "guest" in modes:
        groups.append((False, ["guest"]))
    if "guest-cached" in modes or "member" in modes:
        groups.append((True, [m for m in ("guest-cached", "member") if m in modes]))
    results: list[PairResult] = []
    for guest_cache, viewers in groups:
        servers = {
            side: Server(
                port=_free_port(),
                workers=workers,
                threads=threads,
                guest_cache=guest_cache,
                env=envs[side],
            )
            for side in SIDES
        }
        try:
            for server in servers.values():
                server.wait_ready()
            base = {side: f"http://127.0.0.1:{servers[side].port}" for side in SIDES}
            measured = [("bare", "bare view", "guest")] + [
                (key, names[key], viewer) for viewer in viewers for key in keys
            ]
            for key, page, viewer in measured:
                urls = {
                    side: base[side] + (BARE_PATH if key == "bare" else paths[side][key])
                    for side in SIDES
                }
                cookies = {
                    side: sites[side]["cookie"] if viewer == "member" else None for side in SIDES
                }
                queries = []
                for side in SIDES:
                    probes = [_probe(urls[side], cookies[side]) for _ in range(2 * workers + 2)]
                    queries.append(min((q for _s, q in probes if q is not None), default=None))
                    load(urls[side], cookies[side], seconds=warmup, connections=connections)
                turns: list[tuple[float, float]] = []
                for number in range(rounds):
                    got: dict[str, float] = {}
                    for side in SIDES if number % 2 == 0 else SIDES[::-1]:
                        got[side] = load(
                            urls[side], cookies[side], seconds=seconds, connections=connections
                        )[0]
                    turns.append((got["small"], got["large"]))
                name = (
                    _VIEWER_NAMES[viewer]
                    if key != "bare"
                    else f"cache {'on' if guest_cache else 'off'}"
                )
                result = summarize(key, page, name, turns, queries)
                results.append(result)
                out.write(
                    f"  {page:<44} {name:<16} {result.small_rps:7.0f} / {result.large_rps:7.0f} req/s"
                    f"  large ÷ small {result.ratio:5.2f} ({result.lowest:.2f}–{result.highest:.2f})\n"
                )
                out.flush()
        finally:
            for server in servers.values():
                server.stop()
    small_size, large_size = (sites[side]["size"]["posts"] for side in SIDES)
    out.write(
        "\n| page | viewer | queries (small / large) | small req/s | large req/s "
        "| large ÷ small, time per request | lowest–highest |\n"
        "|---|---|---|---:|---:|---:|---|\n"
    )
    for r in results:
        q = " / ".join("" if v is None else str(v) for v in r.queries)
        out.write(
            f"| {r.page} | {r.viewer} | {q} | {r.small_rps:,.0f} | {r.large_rps:,.0f} "
            f"| {r.ratio:.2f} | {r.lowest:.2f}–{r.highest:.2f} |\n"
        )
    out.write(
        f"\nSmall site {small_size:,} posts, large site {large_size:,} posts; "
        f"{sites['large']['database']}, cache {sites['large']['cache']}; {tool} with "
        f"{connections} connections; medians of {rounds} rounds of {seconds} s, the sites' order "
        f"swapped each round; Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores.\n"
    )
    if save:
        Path(save).write_text(
            json.dumps(
                {
                    "sizes": {side: sites[side]["size"] for side in SIDES},
                    "database": sites["large"]["database"],
                    "results": [asdict(r) for r in results],
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        out.write(f"  saved to {save}\n")
    return 0
