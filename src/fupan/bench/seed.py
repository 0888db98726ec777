"""``fupan bench seed``: a realistic big site, fast — for ``fupan bench http`` and load tests.

On top of the demo forum (loaded first if the database is empty, so the seed thread is there) it
writes, in bulk (``executemany`` on SQLite, ``COPY`` on PostgreSQL — never one ORM save per row):

- members (Chinese names, registration dates over three years, a few moderators' ranks by credits);
- threads in the demo's boards, three quarters of them in the seed thread's board (遂潼一体化), so
  its list runs to thousands of pages; thread types where the board has them, digest, closed and
  highlighted threads; views;
- replies whose number per thread follows a long tail (most threads a few, some hundreds), and a
  few mega-threads of ``--mega-replies`` floors in which the starter answers every 20th floor;
  bodies from the corpus of ``fupan bench search`` (realistic local-forum Chinese, ~150
  characters), stored with their rendered HTML as the posting action stores it; some from mobile;
  a few deleted floors (gaps);
- 支持/反对 votes on ~2% of replies (PostVote rows and the posts' counts) and attachment rows
  (images, ~3% of posts; no files on disk — the pages only link them).

Then every counter is rebuilt by the project's own ``synchronize_all`` (threads, boards, members,
member totals), so the counters are exactly what the actions would keep, and the database is
analysed for the query planner. The search index is not built (``--search-index`` builds it with
``rebuild_search_index``: ~1,000 posts/s, about half an hour at 2,000,000 posts).

Re-running on a seeded database does nothing. Use a database of its own:
``FUPAN_VAR_DIR=/tmp/bench-seed-sqlite fupan bench seed`` or
``DATABASE_URL=postgres://…/bench_seed fupan bench seed``.
"""

from __future__ import annotations

import bisect
import json
import random
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from django.db import connection, transaction

SEED = 7007
MARK_USERNAME = (
    "基准会员"  # the member `fupan bench http` logs in as; its presence marks a seeded site
)
MARK_PASSWORD = "bench-member-pass"
BODY_POOL = 20_000
RANK_MEMBER = 11  # 注册会员 (Discuz's default member rank after 新手上路)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国峰波宇浩凯健俊帆帅旭宁龙林欣晨阳雪梅琳晶颖婷倩莉蓉川渝涪遂潼"
NICK = ["遂宁", "潼南", "涪江", "小", "老", "阿", "大", "川渝", "河东", "船山", "安居", "射洪"]


class _Table:
    """Rows into one table in bulk: the model's columns, defaults for those not given."""

    def __init__(self, model: Any, given: Sequence[str]) -> None:
        self.model = model
        self.table = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        by_attname = {f.attname: f for f in fields}
        self.columns = [by_attname[name].column for name in given]
        self.defaults = []
        for field in fields:
            if field.attname in given or field.primary_key:  # a key not given: the database's
                continue
            default = field.get_default()
            if field.get_internal_type() == "JSONField":
                default = json.dumps(default)
            self.columns.append(field.column)
            self.defaults.append(default)
        self.given = list(given)
        self.sqlite = connection.vendor == "sqlite"

    def _convert(self, value: Any) -> Any:
        if self.sqlite and isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        return value

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        count = 0
        defaults = tuple(self.defaults)
        if self.sqlite:
            sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
                self.table,
                ", ".join(f'"{c}"' for c in self.columns),
                ", ".join("?" for _ in self.columns),
            )
            convert = self._convert
            raw = connection.connection.cursor()
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(tuple(convert(v) for v in row) + defaults)
                if len(batch) >= 5000:
                    raw.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                raw.executemany(sql, batch)
                count += len(batch)
            return count
        sql = 'COPY "{}" ({}) FROM STDIN'.format(
            self.table, ", ".join(f'"{c}"' for c in self.columns)
        )
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(row) + defaults)
                count += 1
        return count


def _next_id(model: Any) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class _Weighted:
    """Draw an index 0…n-1 with Zipf-like weights (a few very active members)."""

    def __init__(self, rng: random.Random, n: int, exponent: float = 0.8) -> None:
        self.rng = rng
        total = 0.0
        self.cum = []
        for i in range(n):
            total += 1.0 / (i + 1) ** exponent
            self.cum.append(total)

    def draw(self) -> int:
        return bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])


def _reply_counts(rng: random.Random, threads: int, replies: int) -> list[int]:
    """Replies per thread: a long tail (most a few, some hundreds) summing to ``replies``."""
    weights = [min(rng.paretovariate(1.3) - 1.0, 400.0) for _ in range(threads)]
    scale = replies / (sum(weights) or 1.0)
    counts = [int(w * scale) for w in weights]
    short = replies - sum(counts)
    for i in rng.sample(range(threads), min(threads, max(0, short))) if short > 0 else []:
        counts[i] += 1
    short = replies - sum(counts)
    i = 0
    while short > 0:  # more than one per thread short (tiny sites)
        counts[i % threads] += 1
        short -= 1
        i += 1
    return counts


def run(
    *,
    users: int,
    threads: int,
    posts: int,
    mega: int,
    mega_replies: int,
    search_index: bool,
    out: IO[str],
) -> int:
    from django.contrib.auth.hashers import make_password

    from fupan.accounts.actions import do_register_user
    from fupan.accounts.models import User, UserGroup, username_key
    from fupan.attachments.models import Attachment
    from fupan.bench.search import Corpus
    from fupan.demo import content
    from fupan.demo.loader import load_demo_if_empty
    from fupan.forum.models import Board, Post, PostVote, Thread, ThreadType
    from fupan.forum.synchronize import synchronize_all
    from fupan.markup import RENDERER_VERSION, render_bbcode

    started = time.perf_counter()

    def say(text: str) -> None:
        out.write(f"  [{time.perf_counter() - started:7.1f} s] {text}\n")
        out.flush()

    if load_demo_if_empty(stdout=None):
        say("demo forum loaded")
    if User.objects.filter(username=MARK_USERNAME).exists():
        say(f"already seeded ({MARK_USERNAME} exists); nothing to do")
        return 0
    mega = mega if posts >= threads + mega * mega_replies * 2 else 0
    replies_total = posts - threads - mega * mega_replies
    if replies_total < 0:
        raise SystemExit("fupan bench seed: --posts must be at least --threads")
    rng = random.Random(SEED)
    vendor = connection.vendor
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=3 * 365)
    span = (now - start).total_seconds()

    # Members ---------------------------------------------------------------------------------
    do_register_user(username=MARK_USERNAME, password=MARK_PASSWORD, group_id=RANK_MEMBER)
    first_uid = _next_id(User)
    unusable = make_password(None)
    names: list[str] = []
    seen: set[str] = set(User.objects.values_list("username_key", flat=True))
    for n in range(users):
        while True:
            style = rng.random()
            if style < 0.5:
                name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
            elif style < 0.8:
                name = rng.choice(NICK) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
            else:
                name = rng.choice(NICK) + rng.choice(GIVEN)
            name += str(rng.randint(1, 9999)) if rng.random() < 0.7 else ""
            if username_key(name) not in seen:
                break
            name += str(n)
            if username_key(name) not in seen:
                break
        seen.add(username_key(name))
        names.append(name)
    joined = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(users))
    group_of = (UserGroup.NEWBIE, UserGroup.NEWBIE, RANK_MEMBER, RANK_MEMBER)
    with transaction.atomic():
        written = _Table(
            User,
            ["id", "username", "username_key", "password", "group_id", "date_joined", "last_visit"],
        ).write(
            (
                first_uid + i,
                name,
                username_key(name),
                unusable,
                rng.choice(group_of),
                joined[i],
                joined[i] + timedelta(days=rng.random() * 30),
            )
            for i, name in enumerate(names)
        )
    say(f"{written:,} members")
    uids = list(range(first_uid, first_uid + users))
    member_pick = _Weighted(rng, users)

    # Threads ---------------------------------------------------------------------------------
    boards = {b.name: b for b in Board.objects.exclude(kind=Board.Kind.CATEGORY)}
    seed_board_name = next(s.name for s in content.BOARDS if s.key == content.SEED_BOARD)
    main = boards[seed_board_name]
    others = [b for b in boards.values() if b.pk != main.pk]
    types: dict[int, list[int]] = {}
    for t in ThreadType.objects.all():
        types.setdefault(t.board_id, []).append(t.pk)
    mega_at = set(rng.sample(range(threads // 2, threads), mega)) if mega else set()
    ordinary = iter(_reply_counts(rng, threads - len(mega_at), replies_total))
    counts = [mega_replies if i in mega_at else next(ordinary) for i in range(threads)]
    first_tid = _next_id(Thread)
    corpus = Corpus(seed=SEED)
    say("writing the corpus of bodies")
    bodies = [corpus.post() for _ in range(BODY_POOL)]
    htmls = [render_bbcode(b) for b in bodies]
    titles = [corpus.title() for _ in range(BODY_POOL)]
    thread_rows = []
    plans = []  # (tid, author, created, count, board_id)
    for i in range(threads):
        tid = first_tid + i
        board = main if rng.random() < 0.75 or i in mega_at else rng.choice(others)
        created = start + timedelta(seconds=span * (i + rng.random()) / threads)
        author = uids[member_pick.draw()]
        type_ids = types.get(board.pk)
        thread_rows.append(
            (
                tid,
                board.pk,
                rng.choice(type_ids) if type_ids and rng.random() < 0.7 else None,
                ("【热议】" if i in mega_at else "") + titles[i % BODY_POOL],
                author,
                names[author - first_uid],
                created,
                1 if rng.random() < 0.01 else 0,  # digest
                rng.random() < 0.02,  # closed
                "#EE1B2E" if rng.random() < 0.005 else "",
                counts[i] * rng.randint(5, 30) + rng.randint(10, 300),  # views
                created,  # last_post_at (synchronize sets it)
            )
        )
        plans.append((tid, author, created, counts[i], board.pk))
    with transaction.atomic():
        _Table(
            Thread,
            [
                "id",
                "board_id",
                "type_id",
                "title",
                "author_id",
                "author_name",
                "created_at",
                "digest",
                "closed",
                "highlight",
                "views",
                "last_post_at",
            ],
        ).write(thread_rows)
    del thread_rows
    say(f"{threads:,} threads ({len(mega_at)} mega-threads of {mega_replies:,} replies)")

    # Posts, votes, attachments ---------------------------------------------------------------
    next_pid = _next_id(Post)
    first_aid = _next_id(Attachment)
    votes: list[tuple[Any, ...]] = []
    attachments: list[tuple[Any, ...]] = []
    voted_threads: set[int] = set()
    attached_threads: set[int] = set()
    post_table = _Table(
        Post,
        [
            "id",
            "thread_id",
            "position",
            "is_first",
            "author_id",
            "author_name",
            "body",
            "html",
            "html_version",
            "created_at",
            "client",
            "state",
            "has_attachments",
            "support",
            "oppose",
        ],
    )
    written_posts = 0
    pid_box = [next_pid]

    def post_rows(batch: list[tuple[int, int, datetime, int, int]]) -> Iterable[tuple[Any, ...]]:
        nonlocal written_posts
        for tid, author, created, count, _board in batch:
            gap = (now - created).total_seconds() / (count + 2)
            when = created
            for position in range(1, count + 2):
                pid = pid_box[0]
                pid_box[0] += 1
                if position == 1:
                    who = author
                else:
                    if count >= 1000 and position % 20 == 0:
                        who = author  # the starter answers in the mega-thread
                    else:
                        who = uids[member_pick.draw()]
                    when = when + timedelta(seconds=rng.random() * 2 * gap)
                    if when > now:
                        when = now
                support = oppose = 0
                if position > 1 and rng.random() < 0.02:
                    voters = rng.sample(uids, rng.randint(1, 5))
                    for voter in voters:
                        value = 1 if rng.random() < 0.8 else -1
                        votes.append((pid, voter, tid, value, when))
                        if value > 0:
                            support += 1
                        else:
                            oppose += 1
                    voted_threads.add(tid)
                has_files = rng.random() < 0.03
                if has_files:
                    for _ in range(rng.randint(1, 3)):
                        aid = first_aid + len(attachments)
                        width, height = rng.choice(((1080, 1440), (1920, 1080), (800, 600)))
                        attachments.append(
                            (
                                aid,
                                pid,
                                who,
                                f"forum/bench/{aid}.jpg",
                                f"forum/thumbs/bench/{aid}.jpg",
                                f"IMG_{aid}.jpg",
                                rng.randint(80_000, 900_000),
                                True,
                                "jpeg",
                                width,
                                height,
                                when,
                            )
                        )
                    attached_threads.add(tid)
                k = rng.randrange(BODY_POOL)
                written_posts += 1
                yield (
                    pid,
                    tid,
                    position,
                    position == 1,
                    who,
                    names[who - first_uid],
                    bodies[k],
                    htmls[k],
                    RENDERER_VERSION,
                    when,
                    1 if rng.random() < 0.3 else 0,
                    Post.State.DELETED if position > 1 and rng.random() < 0.005 else 0,
                    has_files,
                    support,
                    oppose,
                )

    chunk = 5000
    report_every = max(1, posts // 10)
    reported = 0
    for i in range(0, len(plans), chunk):
        with transaction.atomic():
            post_table.write(post_rows(plans[i : i + chunk]))
        if written_posts - reported >= report_every:
            reported = written_posts
            say(f"{written_posts:,} posts")
    say(f"{written_posts:,} posts")
    with transaction.atomic():
        _Table(PostVote, ["post_id", "user_id", "thread_id", "value", "created_at"]).write(votes)
        _Table(
            Attachment,
            [
                "id",
                "post_id",
                "uploader_id",
                "file",
                "thumbnail",
                "filename",
                "size",
                "is_image",
                "image_format",
                "width",
                "height",
                "created_at",
            ],
        ).write(attachments)
        Thread.objects.filter(pk__in=list(attached_threads)).update(
            has_images=True, has_attachments=True
        )
    say(f"{len(votes):,} votes on {len(voted_threads):,} threads, {len(attachments):,} attachments")

    if vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [User, Thread, Post, PostVote, Attachment]
            ):
                cursor.execute(sql)
    with connection.cursor() as cursor:  # fresh statistics, so the recount is planned well
        cursor.execute("ANALYZE")
    say("rebuilding every counter (synchronize_all)")
    synchronize_all()
    from fupan.accounts.credits import synchronize_credits

    synchronize_credits()
    say("analysing the database for the query planner")
    with connection.cursor() as cursor:
        # On PostgreSQL the recount left a dead version of every thread and member row: vacuumed
        # now, as autovacuum would do soon after (else it does so in the middle of a benchmark,
        # and until then a board list's index scan visits twice the rows).
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    if search_index:
        from django.core.management import call_command

        say("building the search index (rebuild_search_index)")
        call_command("rebuild_search_index")
    total = time.perf_counter() - started
    say(
        f"done: {users:,} members, {threads:,} threads, {written_posts:,} posts in "
        f"{total / 60:.1f} minutes ({vendor}); search index "
        + ("built" if search_index else "not built (--search-index builds it)")
    )
    out.write(f"  log in as {MARK_USERNAME} / {MARK_PASSWORD}\n")
    return 0
