"""``fupan bench search``: Chinese search at a million posts.

Generates a corpus of realistic local-forum Chinese (words drawn, Zipf-like, from a vocabulary cut
out of the demo forum's and the seed thread's texts plus everyday words; sentences of 5–25 words
with Chinese punctuation and a little English and digits), bulk-inserts it as threads and posts in
a board of its own (once: later runs reuse it), builds the search index with the same code as
``rebuild_search_index`` (indexing throughput, index size), then times searches of 1-, 2-, 3- and
4-character queries and multi-word phrases, as a guest, through ``fetch_search_page`` — the whole
search: ranking tiers, permissions, the page's posts and highlighted snippets — with the result
cache bypassed.

Run it in a database of its own: ``FUPAN_VAR_DIR=/tmp/bench-search fupan bench search`` (SQLite)
or ``DATABASE_URL=postgres://…/fupan_bench_search fupan bench search``.
"""

from __future__ import annotations

import platform
import random
import re
import statistics
import time
from datetime import timedelta
from typing import IO

import django
from django.db import connection, transaction
from django.utils import timezone

SEED = 2026
BOARD_NAME = "搜索基准"
POSTS_PER_THREAD = 20
EVERYDAY = [
    "我们",
    "你们",
    "他们",
    "今天",
    "明天",
    "昨天",
    "现在",
    "已经",
    "还是",
    "可以",
    "没有",
    "什么",
    "怎么",
    "为什么",
    "因为",
    "所以",
    "但是",
    "如果",
    "大家",
    "自己",
    "小区",
    "物业",
    "业主",
    "停水",
    "停电",
    "通知",
    "社区",
    "街道",
    "医院",
    "学校",
    "老师",
    "孩子",
    "家长",
    "公交",
    "地铁",
    "车站",
    "高速",
    "修路",
    "堵车",
    "停车",
    "菜市场",
    "超市",
    "房价",
    "租房",
    "装修",
    "工资",
    "上班",
    "下班",
    "周末",
    "天气",
    "下雨",
    "出太阳",
    "空气",
    "环境",
    "垃圾",
    "分类",
    "噪音",
    "投诉",
    "建议",
    "政府",
    "领导",
    "会议",
    "发展",
    "项目",
    "建设",
    "一体化",
    "川渝",
    "遂宁",
    "潼南",
    "涪江",
    "大桥",
    "河东",
    "新区",
    "老城",
    "步行街",
    "公园",
    "广场",
    "美食",
    "火锅",
    "串串",
    "小吃",
    "面馆",
    "奶茶",
    "外卖",
    "快递",
    "网购",
    "手机",
    "电脑",
    "网络",
    "信号",
    "宽带",
    "微信",
    "视频",
    "照片",
    "新闻",
    "消息",
    "支持",
    "反对",
    "谢谢",
    "辛苦",
    "点赞",
    "顶",
    "同意",
    "希望",
    "解决",
    "问题",
    "情况",
    "反映",
    "部门",
    "电话",
    "热线",
    "回复",
    "处理",
    "结果",
    "进展",
]
PUNCT = "，，，，。。！？、；："
LATIN = ("iPhone", "5G", "WiFi", "APP", "2024年", "3号线", "12345", "PM2.5", "KTV", "VIP")
QUERIES_PER_CLASS = 40
RUNS_PER_QUERY = 5


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def vocabulary() -> list[str]:
    """Everyday words plus 2–4 character pieces of the demo and seed texts (local flavour)."""
    import json
    from pathlib import Path

    from fupan.bench.words import demo_corpus

    texts = [demo_corpus()]
    seed = Path(__file__).resolve().parent.parent / "demo" / "seed_thread.json"
    if seed.exists():
        texts.append(json.dumps(json.loads(seed.read_text("utf-8")), ensure_ascii=False))
    rng = random.Random(SEED)
    words = list(EVERYDAY)
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", "\n".join(texts)):
        i = 0
        while i < len(run) - 1:
            n = rng.choice((2, 2, 2, 3, 4))
            words.append(run[i : i + n])
            i += n
    return list(dict.fromkeys(w for w in words if len(w) >= 1))


class Corpus:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary()
        # Zipf-like weights: the i-th word is drawn in proportion to 1/(i+1)^0.9.
        order = self.words[:]
        self.rng.shuffle(order)
        self.words = order
        self.cum: list[float] = []
        total = 0.0
        for i in range(len(self.words)):
            total += 1.0 / (i + 1) ** 0.9
            self.cum.append(total)

    def word(self) -> str:
        import bisect

        return self.words[bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])]

    def sentence(self) -> str:
        out = []
        for _ in range(self.rng.randint(5, 25)):
            out.append(self.word())
            if self.rng.random() < 0.02:
                out.append(self.rng.choice(LATIN))
            if self.rng.random() < 0.12:
                out.append(self.rng.choice(PUNCT[:6]))
        return "".join(out) + self.rng.choice("。。。！？")

    def post(self) -> str:
        return "".join(self.sentence() for _ in range(self.rng.randint(1, 6)))

    def title(self) -> str:
        return "".join(self.word() for _ in range(self.rng.randint(3, 7)))[:40]


def ensure_corpus(posts: int, out: IO[str]) -> tuple[int, float]:
    """The bench board with ``posts`` posts (created once). Returns (posts, seconds spent)."""
    from fupan.accounts.models import User, UserGroup
    from fupan.forum.models import Board, Post, Thread

    board = Board.objects.filter(name=BOARD_NAME).first()
    if board is not None:
        have = Post.objects.filter(thread__board=board).count()
        if have >= posts:
            return have, 0.0
        out.write(f"  the bench board has {have:,} posts; generating again\n")
        Post.objects.filter(thread__board=board).delete()
        Thread.objects.filter(board=board).delete()
    else:
        category = Board.objects.create(name="基准测试", kind=Board.Kind.CATEGORY)
        board = Board.objects.create(name=BOARD_NAME, parent=category, kind=Board.Kind.BOARD)
    authors = []
    for i in range(200):
        user = User.objects.filter(username=f"搜索测试{i}").first()
        if user is None:
            user = User.objects.create_user(
                f"搜索测试{i}", password=None, group_id=UserGroup.NEWBIE
            )
        authors.append(user)
    corpus = Corpus()
    started = time.perf_counter()
    start_time = timezone.now() - timedelta(days=1000)
    threads_needed = (posts + POSTS_PER_THREAD - 1) // POSTS_PER_THREAD
    made = 0
    batch_threads = 500
    for t0 in range(0, threads_needed, batch_threads):
        with transaction.atomic():
            threads = []
            for t in range(t0, min(threads_needed, t0 + batch_threads)):
                when = start_time + timedelta(seconds=t * 86400 * 1000 / threads_needed)
                author = authors[t % len(authors)]
                threads.append(
                    Thread(
                        board=board,
                        title=corpus.title(),
                        author=author,
                        author_name=author.username,
                        created_at=when,
                        last_post_at=when,
                        last_poster=author,
                        last_poster_name=author.username,
                        max_position=POSTS_PER_THREAD,
                        replies=POSTS_PER_THREAD - 1,
                    )
                )
            Thread.objects.bulk_create(threads, batch_size=500)
            if connection.vendor == "sqlite" and threads[0].pk is None:
                # Older SQLite backends do not return ids: read them back by creation time.
                threads = list(Thread.objects.filter(board=board).order_by("-id")[: len(threads)])[
                    ::-1
                ]
            rows = []
            for thread in threads:
                for position in range(1, POSTS_PER_THREAD + 1):
                    if made >= posts:
                        break
                    author = authors[(thread.pk + position) % len(authors)]
                    rows.append(
                        Post(
                            thread=thread,
                            position=position,
                            is_first=position == 1,
                            author=author,
                            author_name=author.username,
                            body=corpus.post(),
                            created_at=thread.created_at + timedelta(minutes=position),
                        )
                    )
                    made += 1
            Post.objects.bulk_create(rows, batch_size=2000)
        if t0 % (batch_threads * 20) == 0:
            out.write(f"  generated {made:,}/{posts:,} posts\n")
            out.flush()
    board.threads, board.posts = threads_needed, made
    Board.objects.filter(pk=board.pk).update(threads=threads_needed, posts=made)
    return made, time.perf_counter() - started


def pick_queries(rng: random.Random) -> dict[str, list[str]]:
    """Queries a member would type: the corpus's own words, drawn as often as they are used —
    single characters, 2-, 3- and 4-character words (4: also two 2-character words run together,
    e.g. 停水通知), two words with a space, and character pairs that never occur."""
    corpus = Corpus(seed=SEED + 1)
    classes: dict[str, list[str]] = {}

    def words_of(length: int) -> list[str]:
        picked: list[str] = []
        tries = 0
        while len(picked) < QUERIES_PER_CLASS:
            word = corpus.word()
            tries += 1
            if length == 1:
                word = rng.choice(word)
            elif len(word) != length and length == 4 and len(word) == 2 and tries % 2:
                word += corpus.word()
            if len(word) == length and re.fullmatch(r"[\u4e00-\u9fff]+", word):
                picked.append(word)
        return picked

    for length in (1, 2, 3, 4):
        classes[f"{length} character{'s' if length > 1 else ''}"] = words_of(length)
    classes["two words"] = [f"{corpus.word()} {corpus.word()}" for _ in range(QUERIES_PER_CLASS)]
    rare = "鑫垚淼犇骉焱燚靐龘䲜"
    classes["rare 2 characters"] = [
        rng.choice(rare) + rng.choice("的是在了") for _ in range(QUERIES_PER_CLASS)
    ]
    return classes


def run(*, posts: int, out: IO[str], reindex: bool = False) -> int:
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache

    from fupan.core.site import get_site_settings
    from fupan.permissions import resolve_perms
    from fupan.search.backends import get_backend
    from fupan.search.indexing import GENERATION_KEY, rebuild
    from fupan.search.queries import MAX_RESULTS, SearchParams, fetch_search_page

    get_site_settings()
    db = connection.vendor
    out.write(f"fupan bench search: {posts:,} posts on {db}\n")
    made, gen_seconds = ensure_corpus(posts, out)
    if gen_seconds:
        out.write(f"  generated {made:,} posts in {gen_seconds:.0f} s\n")
    backend = get_backend()
    index_seconds = None
    if reindex or backend.count() < made:
        out.write("  building the search index …\n")
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done % 100_000 < 2000:
                out.write(f"  indexed {done:,}/{total:,}\n")
                out.flush()

        rebuild(progress, chunk=5000)
        index_seconds = time.perf_counter() - started
        if db == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_entry")
    indexed = backend.count()
    size = backend.size_bytes()
    perms = resolve_perms(AnonymousUser())
    rng = random.Random(SEED)
    rows = []
    for name, queries in pick_queries(rng).items():
        for sort in ("relevance", "time"):
            timings = []
            totals = []
            for q in queries:
                for _ in range(RUNS_PER_QUERY):
                    cache.set(GENERATION_KEY, rng.randrange(1 << 30), timeout=None)
                    started = time.perf_counter()
                    page = fetch_search_page(perms, SearchParams(q=q, sort=sort), page=1)
                    timings.append((time.perf_counter() - started) * 1000)
                totals.append(page.total)
            rows.append((name, sort, queries[:3], timings, statistics.median(totals)))
            out.write(
                f"  {name:<18} {sort:<9} p50 {statistics.median(timings):7.2f} ms  "
                f"p99 {_percentile(timings, 99):7.2f} ms  median hits {statistics.median(totals):,.0f}\n"
            )
            out.flush()
    out.write(
        "\n| query class | sort | examples | p50 (ms) | p99 (ms) | median results |\n"
        "|---|---|---|---:|---:|---:|\n"
    )
    for name, sort, examples, timings, hits in rows:
        out.write(
            f"| {name} | {sort} | {' / '.join(examples)} | {statistics.median(timings):.2f} | "
            f"{_percentile(timings, 99):.2f} | {hits:,.0f} |\n"
        )
    out.write(f"\nIndex: {indexed:,} posts, {size / 1048576:,.0f} MB")
    if index_seconds:
        out.write(f"; built in {index_seconds:,.0f} s ({indexed / index_seconds:,.0f} posts/s)")
    out.write(
        f".\n{QUERIES_PER_CLASS} queries per class × {RUNS_PER_QUERY} runs, result cache bypassed, "
        f"results capped at {MAX_RESULTS:,}; database {db}; Python {platform.python_version()}, "
        f"Django {django.get_version()}, {platform.machine()}.\n"
    )
    return 0
