"""``fupan bench …``: measurements written to BENCHMARKS.md (never timed pass/fail tests)."""

from __future__ import annotations

import argparse
import sys


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
    parser.print_help()
    return 1
