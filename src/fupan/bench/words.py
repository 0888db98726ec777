"""In-process benchmark of the sensitive-word filter (词语过滤) at the size of a real list: 12,000
Chinese words and phrases (generated from a list of common characters, seeded, plus typical spam
phrases), 85% replace, 10% review, 5% block.

Measures building the filter (in memory, and from the database as ``get_word_filter`` does after
a change), importing the list, scanning posts of 200, 2,000 and 20,000 characters (made of the demo
forum's texts with a few listed words planted in them), the same scan done the naive way (one
regular expression per word, for comparison), and what the filter adds to ``do_create_reply``.

The database work happens in the configured database inside one transaction that is rolled back
at the end, so nothing stays behind; the cached filter version is bumped afterwards so that
running workers rebuild from the real list.
"""

from __future__ import annotations

import platform
import random
import re
import statistics
import time
from collections.abc import Callable
from typing import IO, Any

import django
from django.conf import settings
from django.db import transaction

SEED = 2024
WORDS = 12_000
SIZES = (200, 2_000, 20_000)
SCAN_RUNS = {200: 5_000, 2_000: 1_000, 20_000: 200}

# About 600 of the most used characters: what generated words are made of.
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原"
    "又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革"
    "位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强"
    "放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交"
    "受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八"
    "离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布"
    "复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精"
    "值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照"
    "参红细引听该铁价严龙飞钱赌博彩票贷款枪药毒黄色情骗假冒盗窃黑客刷粉删帖代孕卖肾裸聊约炮私服外挂套现"
)
# Phrases of the kind every Chinese site's list starts with.
TYPICAL = (
    "代开发票",
    "发票代开",
    "办证",
    "办理学历",
    "六合彩",
    "时时彩",
    "网络赌博",
    "博彩",
    "刷单",
    "兼职日结",
    "私服",
    "外挂",
    "高利贷",
    "信用卡套现",
    "贷款秒批",
    "无抵押贷款",
    "考试答案",
    "窃听器",
    "迷药",
    "假币",
    "代孕",
    "卖肾",
    "黑客接单",
    "删帖",
    "刷粉",
    "裸聊",
)
ACTION_WEIGHTS = (("replace", 85), ("review", 10), ("block", 5))
LENGTH_WEIGHTS = ((2, 35), (3, 30), (4, 20), (5, 10), (6, 5))


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def _timed(fn: Callable[[], Any], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _timed_each(fn: Callable[[str], Any], inputs: list[str], runs: int) -> list[float]:
    """``fn`` over ``inputs`` in turn, ``runs`` times in all."""
    timings = []
    for n in range(runs):
        text = inputs[n % len(inputs)]
        start = time.perf_counter()
        fn(text)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def demo_corpus() -> str:
    """The demo forum's threads and replies: real local-forum Chinese, with its Discuz code."""
    from fupan.demo.content import THREADS

    texts = []
    for thread in THREADS:
        texts.append(thread.title)
        texts.append(thread.body)
        texts.extend(reply.body for reply in thread.replies)
    return "\n".join(texts)


def make_words(count: int, *, seed: int, corpus: str) -> list[tuple[str, str]]:
    """``count`` distinct (word, action) pairs. Generated words never occur in ``corpus``: a real
    list does not block the everyday phrases of the posts it is tested against."""
    rng = random.Random(seed)
    taken = {corpus[i : i + n] for n in range(2, 7) for i in range(len(corpus) - n + 1)}
    words: dict[str, str] = {}
    actions = [a for a, _w in ACTION_WEIGHTS]
    action_weights = [w for _a, w in ACTION_WEIGHTS]
    lengths = [n for n, _w in LENGTH_WEIGHTS]
    length_weights = [w for _n, w in LENGTH_WEIGHTS]
    for word in TYPICAL:
        words[word] = rng.choices(actions, action_weights)[0]
    while len(words) < count:
        if rng.random() < 0.03:  # a few Latin-letter ones: "qq群123", "vx"-style contact spam
            word = rng.choice(("qq", "vx", "wx", "tg")) + str(rng.randint(100, 99999))
        else:
            length = rng.choices(lengths, length_weights)[0]
            word = "".join(rng.choice(COMMON) for _ in range(length))
        if word in words or word in taken:
            continue
        words[word] = rng.choices(actions, action_weights)[0]
    return list(words.items())


def make_posts(corpus: str, planted: list[str], *, size: int, count: int, seed: int) -> list[str]:
    """``count`` posts of ``size`` characters: slices of the corpus, one listed word planted in
    about every 500 characters (at least one)."""
    rng = random.Random(seed + size)
    posts = []
    for _ in range(count):
        parts: list[str] = []
        length = 0
        while length < size:
            start = rng.randrange(0, len(corpus) - 200)
            piece = corpus[start : start + rng.randint(40, 200)]
            parts.append(piece)
            length += len(piece)
        text = "".join(parts)[:size]
        for _hit in range(max(1, size // 500)):
            at = rng.randrange(0, len(text))
            word = rng.choice(planted)
            text = text[:at] + word + text[at + len(word) :]
        posts.append(text[:size])
    return posts


def run(*, seed: int = SEED, out: IO[str]) -> int:
    from fupan.moderation.queries import get_word_filter, purge_word_filter
    from fupan.moderation.wordfilter import WordAction, WordFilter, WordRule

    corpus = demo_corpus()
    pairs = make_words(WORDS, seed=seed, corpus=corpus)
    rules = [WordRule(find=w, action=WordAction(a)) for w, a in pairs]
    replace_words = [w for w, a in pairs if a == "replace"]
    rows: list[tuple[str, str, int, float, float]] = []

    def row(name: str, text: str, timings: list[float]) -> None:
        rows.append(
            (name, text, len(timings), statistics.median(timings), _percentile(timings, 99))
        )
        out.write(f"  {name:<48} {text:>7}  p50 {rows[-1][3]:9.3f} ms  p99 {rows[-1][4]:9.3f} ms\n")
        out.flush()

    built: list[WordFilter] = []
    row("build the filter (in memory)", "", _timed(lambda: built.append(WordFilter(rules)), 5))
    word_filter = built[-1]
    assert word_filter.size == WORDS, word_filter.size

    for size in SIZES:
        posts = make_posts(corpus, replace_words, size=size, count=50, seed=seed)
        for post in posts[:5]:
            word_filter.scan(post)  # warm up
        row(
            f"scan a post ({WORDS:,} words)",
            f"{size:,}",
            _timed_each(word_filter.scan, posts, SCAN_RUNS[size]),
        )

    # The naive way, for comparison: one regular expression per word.
    start = time.perf_counter()
    patterns = [re.compile(re.escape(w)) for w, _a in pairs]
    compile_ms = (time.perf_counter() - start) * 1000
    naive_posts = make_posts(corpus, replace_words, size=2_000, count=20, seed=seed)
    row(
        "one regex per word (naive, for comparison)",
        "2,000",
        _timed_each(lambda text: [p.search(text) for p in patterns], naive_posts, 20),
    )

    _database_rows(pairs, corpus, replace_words, row, seed=seed)
    purge_word_filter()  # workers rebuild from the real list, untouched by the rollback
    get_word_filter()

    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    out.write(
        "\n| measurement | text (chars) | runs | p50 (ms) | p99 (ms) |\n|---|---:|---:|---:|---:|\n"
    )
    for name, text, runs, p50, p99 in rows:
        out.write(f"| {name} | {text} | {runs} | {p50:.3f} | {p99:.3f} |\n")
    out.write(
        f"\n{WORDS:,} words (seed {seed}); compiling the {WORDS:,} regular expressions of the "
        f"naive way took {compile_ms:.0f} ms. Database {db}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, {platform.machine()}.\n"
    )
    return 0


def _database_rows(
    pairs: list[tuple[str, str]],
    corpus: str,
    replace_words: list[str],
    row: Callable[[str, str, list[float]], None],
    *,
    seed: int,
) -> None:
    """Import, rebuild and ``do_create_reply`` with and without the list, in a transaction that
    is rolled back."""
    from fupan.accounts.actions import do_register_user
    from fupan.forum.actions import do_create_reply, do_create_thread
    from fupan.forum.models import Board
    from fupan.moderation.actions import do_add_censor_words
    from fupan.moderation.models import CensorWord
    from fupan.moderation.queries import get_word_filter, purge_word_filter
    from fupan.moderation.wordfilter import WordAction, WordFilter, WordRule

    full_list = WordFilter(WordRule(find=w, action=WordAction(a)) for w, a in pairs)
    with transaction.atomic():
        CensorWord.objects.all().delete()  # the site's own list: back after the rollback
        purge_word_filter()
        category = Board.objects.create(name="bench", kind=Board.Kind.CATEGORY)
        board = Board.objects.create(name="bench words", parent=category)
        user = do_register_user(username="bench_words", password="bench-password-1")
        thread = do_create_thread(board, acting_user=user, title="词语过滤测速", body="正文")

        def replies(size: int, runs: int, label: str) -> None:
            # Posts the list lets through at once (a block word would refuse one, a review word
            # would hold it and skip the counters), so both runs write the same rows.
            bodies = []
            for body in make_posts(corpus, replace_words, size=size, count=80, seed=seed + 1):
                found = full_list.scan(body)
                if not (found.blocked or found.review):
                    bodies.append(body)

            def reply(body: str) -> None:
                do_create_reply(thread, acting_user=user, body=body)

            for body in bodies[:5]:
                reply(body)
            row(f"do_create_reply, {label}", f"{size:,}", _timed_each(reply, bodies, runs))

        replies(200, 300, "no words listed")
        replies(2_000, 300, "no words listed")

        lines = [
            w if a == "replace" else f"{w}={{{'BANNED' if a == 'block' else 'MOD'}}}"
            for w, a in pairs
        ]
        row(
            "import the list (do_add_censor_words)",
            "",
            _timed(lambda: do_add_censor_words(lines, acting_user=user), 1),
        )
        assert CensorWord.objects.count() == len(pairs)

        def rebuild() -> None:
            purge_word_filter()
            get_word_filter()

        row("load from the database and build (after a change)", "", _timed(rebuild, 5))
        row("get_word_filter() on a warm cache", "", _timed(get_word_filter, 10_000))

        replies(200, 300, f"{len(pairs):,} words listed")
        replies(2_000, 300, f"{len(pairs):,} words listed")
        transaction.set_rollback(True)
