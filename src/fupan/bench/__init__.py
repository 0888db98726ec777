"""``fupan bench …``: measurements written to BENCHMARKS.md (never timed pass/fail tests)."""

from __future__ import annotations

import argparse
import sys


def _load_arguments(parser: argparse.ArgumentParser) -> None:
    """How `bench http` and `bench http-pair` load the server, and what they measure."""
    parser.add_argument(
        "--seconds", type=int, default=4, help="seconds per round and figure (default 4)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds per page, measured in turns; figures are medians (default 3)",
    )
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds first (default 2)")
    parser.add_argument(
        "--connections", type=int, default=4, help="concurrent connections (default 4)"
    )
    parser.add_argument("--workers", type=int, default=2, help="server workers (default 2)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (default 1: sync workers)"
    )
    parser.add_argument(
        "--modes",
        default="guest,guest-cached,member",
        help="comma-separated: guest (cache off), guest-cached, member (default all three)",
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="fupan bench", description="Fupan benchmarks")
    sub = parser.add_subparsers(dest="what", metavar="BENCHMARK")
    pages = sub.add_parser(
        "pages", help="queries and in-process render time of the demo's main pages"
    )
    pages.add_argument("--requests", type=int, default=500, help="requests per page (default 500)")
    pages.add_argument(
        "--warmup", type=int, default=20, help="unmeasured requests first (default 20)"
    )
    words = sub.add_parser(
        "words",
        help="the sensitive-word filter with 12,000 words: build, scan, import, do_create_reply",
    )
    words.add_argument("--seed", type=int, default=2024, help="word list seed (default 2024)")
    search = sub.add_parser(
        "search",
        help="Chinese search at 1,000,000 posts: corpus, indexing, 1–4 character queries",
    )
    search.add_argument(
        "--posts", type=int, default=1_000_000, help="posts in the corpus (default 1,000,000)"
    )
    search.add_argument(
        "--reindex", action="store_true", help="build the search index again even if it is full"
    )
    seed = sub.add_parser(
        "seed",
        help="build a big realistic site in bulk (members, threads, posts, mega-threads, votes)",
    )
    seed.add_argument("--users", type=int, default=100_000, help="members (default 100,000)")
    seed.add_argument("--threads", type=int, default=200_000, help="threads (default 200,000)")
    seed.add_argument(
        "--posts", type=int, default=2_000_000, help="posts incl. first posts (default 2,000,000)"
    )
    seed.add_argument("--mega", type=int, default=3, help="mega-threads (default 3)")
    seed.add_argument(
        "--mega-replies",
        type=int,
        default=100_000,
        help="replies per mega-thread (default 100,000)",
    )
    seed.add_argument(
        "--search-index",
        action="store_true",
        help="also build the search index (slow: ~1,000 posts/s); skipped by default",
    )
    http = sub.add_parser(
        "http",
        help="requests/s of the real server (gunicorn) per page, guest/member, vs a bare view",
    )
    _load_arguments(http)
    http.add_argument("--label", default="", help="a name for this site size in --save")
    http.add_argument("--save", help="also write the figures to this JSON file")
    http.add_argument(
        "--inprocess",
        type=int,
        default=50,
        help="requests per page timed in-process, without the server (default 50)",
    )
    http_plot = sub.add_parser(
        "http-plot", help="plot page time against site size from `bench http --save` files"
    )
    http_plot.add_argument("files", nargs="+", help="JSON files written by `bench http --save`")
    http_plot.add_argument("--out", default="docs/bench-http.png", help="the PNG to write")
    pair = sub.add_parser(
        "http-pair",
        help="two sites (say demo size and 2M posts) served at once, each page measured in turns",
    )
    pair.add_argument(
        "--small",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="the small site's DATABASE_URL / REDIS_URL / FUPAN_VAR_DIR (repeat for each)",
    )
    pair.add_argument(
        "--large",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="the large site's DATABASE_URL / REDIS_URL / FUPAN_VAR_DIR (repeat for each)",
    )
    _load_arguments(pair)
    pair.add_argument(
        "--pages",
        default="",
        help="comma-separated page keys (index, board-1, board-deep, seed, big-1, big-last, "
        "floor; default all)",
    )
    pair.add_argument("--save", help="also write the figures to this JSON file")
    reply = sub.add_parser(
        "reply", help="do_create_reply per reply, committed, after-commit effects included"
    )
    reply.add_argument("--replies", type=int, default=300, help="replies timed (default 300)")
    imports = sub.add_parser(
        "import",
        help="a generated Discuz! X3.5 site (2,000,000 posts) imported: rows/s, time, memory",
    )
    from fupan.bench.imports import add_arguments

    add_arguments(imports)
    args = parser.parse_args(argv)
    if args.what == "pages":
        from fupan.bench.pages import run

        return run(requests=args.requests, warmup=args.warmup, out=sys.stdout)
    if args.what == "words":
        from fupan.bench.words import run as run_words

        return run_words(seed=args.seed, out=sys.stdout)
    if args.what == "search":
        from fupan.bench.search import run as run_search

        return run_search(posts=args.posts, out=sys.stdout, reindex=args.reindex)
    if args.what == "reply":
        from fupan.bench.reply import run as run_reply

        return run_reply(replies=args.replies, out=sys.stdout)
    if args.what == "seed":
        from fupan.bench.seed import run as run_seed

        return run_seed(
            users=args.users,
            threads=args.threads,
            posts=args.posts,
            mega=args.mega,
            mega_replies=args.mega_replies,
            search_index=args.search_index,
            out=sys.stdout,
        )
    if args.what == "http":
        from fupan.bench.http import run as run_http

        return run_http(
            seconds=args.seconds,
            warmup=args.warmup,
            connections=args.connections,
            workers=args.workers,
            threads=args.threads,
            label=args.label,
            save=args.save,
            modes=[m.strip() for m in args.modes.split(",") if m.strip()],
            inprocess=args.inprocess,
            rounds=args.rounds,
            out=sys.stdout,
        )
    if args.what == "http-pair":
        from fupan.bench.pair import run as run_pair

        return run_pair(
            small=args.small,
            large=args.large,
            seconds=args.seconds,
            warmup=args.warmup,
            rounds=args.rounds,
            connections=args.connections,
            workers=args.workers,
            threads=args.threads,
            modes=[m.strip() for m in args.modes.split(",") if m.strip()],
            pages=[p.strip() for p in args.pages.split(",") if p.strip()] or None,
            save=args.save,
            out=sys.stdout,
        )
    if args.what == "http-plot":
        from fupan.bench.http import plot

        return plot(args.files, out_path=args.out, out=sys.stdout)
    if args.what == "import":
        from fupan.bench.imports import options_from
        from fupan.bench.imports import run as run_import

        return run_import(options_from(args), out=sys.stdout)
    parser.print_help()
    return 1
