"""A generated Discuz! X3.5 database for ``fupan bench import``.

The installer's own SQL (``install.sql``, ``install_data.sql``, ``uc.sql`` with UCenter's ``uc_``
prefix renamed ``pre_ucenter_``) and then a community written the way Discuz writes its rows:
members with both password formats (UCenter ``md5(md5(pw)+salt)`` and X3.5's bcrypt), boards
with thread types, threads and posts (Chinese from the search bench's corpus; the older threads'
posts in the split table ``pre_forum_post_1``), 支持/反对 votes, thread 顶/踩, ratings, the credit
log (with bought attachments), attachments (files on disk), favourites, notifications, reports
and private messages across the ten UCenter message tables.

Rows are streamed to tab-separated files and loaded with ``LOAD DATA LOCAL INFILE``, a few
hundred thousand at a time. No Django here: it runs in a process of its own, so the import's
peak memory is measured without it.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import random
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

DEFAULT_SQL_DIR = Path(__file__).resolve().parents[4] / "shared" / "discuz"
# password_hash('rasmuslerdorf', PASSWORD_BCRYPT) (php.net's example): bcrypt is slow on purpose,
# so every bcrypt member shares it.
BCRYPT_HASH = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a"
YEAR = 365 * 86400
CHUNK_ROWS = 100_000
TYPE_NAMES = ("求助", "爆料", "吐槽", "活动", "二手", "招聘", "美食", "交通")
BOARD_NAMES = (
    "遂宁新闻", "潼南生活", "涪江两岸", "房产家居", "求职招聘", "美食天地", "教育亲子",
    "汽车交通", "二手市场", "摄影天地", "情感驿站", "健康医疗", "数码科技", "旅游户外",
    "婚嫁", "宠物", "体育健身", "民生投诉", "便民信息", "站务公告",
)  # fmt: skip
CATEGORIES = ("本地资讯", "生活服务", "兴趣交流")


@dataclass
class Sizes:
    members: int = 100_000
    threads: int = 200_000
    posts: int = 2_000_000

    def __post_init__(self) -> None:
        self.members = max(10, self.members)
        self.threads = max(1, self.threads)
        self.posts = max(self.threads, self.posts)


@dataclass
class Generated:
    """Rows written per table (without the prefix), and the seconds it took."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def connect(base_url: str, database: str | None = None, **extra: Any) -> Any:
    import pymysql
    from pymysql.constants import CLIENT

    parts = urlsplit(base_url)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        database=database,
        charset="utf8mb4",
        autocommit=True,
        client_flag=CLIENT.MULTI_STATEMENTS,
        local_infile=True,
        **extra,
    )


def database_url(base_url: str, database: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/{database}"


def _escape(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    text = str(value)
    if any(c in text for c in "\\\t\n\r\0"):
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\0", "\\0")
        )
    return text


class Loader:
    """Rows of one table, written to a file and loaded every ``CHUNK_ROWS`` rows."""

    def __init__(self, conn: Any, folder: Path, table: str, columns: str) -> None:
        self.conn, self.table, self.columns = conn, table, columns
        self.path = folder / f"{table}.tsv"
        self.file: IO[str] = open(self.path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self.pending = 0
        self.total = 0

    def add(self, *values: Any) -> None:
        self.file.write("\t".join(map(_escape, values)) + "\n")
        self.pending += 1
        self.total += 1
        if self.pending >= CHUNK_ROWS:
            self.load()

    def load(self) -> None:
        self.file.close()
        if self.pending:
            with self.conn.cursor() as cur:
                cur.execute(
                    f"LOAD DATA LOCAL INFILE %s INTO TABLE pre_{self.table} CHARACTER SET utf8mb4"
                    f" ({self.columns})",
                    [str(self.path)],
                )
        self.pending = 0
        self.file = open(self.path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115

    def close(self) -> None:
        self.load()
        self.file.close()
        self.path.unlink(missing_ok=True)


def load_schema(conn: Any, sql_dir: Path) -> None:
    with conn.cursor() as cur:
        for name in ("install.sql", "install_data.sql", "uc.sql"):
            sql = (sql_dir / name).read_text(encoding="utf-8")
            if name == "uc.sql":
                sql = re.sub(r"\buc_", "pre_ucenter_", sql)
            cur.execute(sql)
            while cur.nextset():
                pass
        cur.execute("CREATE TABLE pre_forum_post_1 LIKE pre_forum_post")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _php_types(types: dict[int, str]) -> bytes:
    from fupan.importers.discuz.php import dumps

    return dumps(
        {"status": 1, "required": 0, "listable": 1, "prefix": 1, "types": types, "icons": {},
         "moderators": dict.fromkeys(types, 0)}
    )  # fmt: skip


def _png(color: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def _zip(text: str) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("说明.txt", text)
    return out.getvalue()


class Community:
    """Draws the community: who posts (a few members write most posts), how long threads get
    (most are short, a few run to thousands of floors), what the texts say."""

    def __init__(self, sizes: Sizes, seed: int) -> None:
        from fupan.bench.search import Corpus

        self.sizes = sizes
        self.rng = random.Random(seed)
        self.corpus = Corpus(seed)
        self.sentences = [self.corpus.sentence() for _ in range(20_000)]
        self.words = self.corpus.words
        weights = [1.0 / (i + 1) ** 0.8 for i in range(sizes.members)]
        self.rng.shuffle(weights)
        self.member_cum = list(itertools.accumulate(weights))
        self.now = int(time.time())
        self.start = self.now - 6 * YEAR

    def member(self) -> int:
        return self.rng.choices(range(1, self.sizes.members + 1), cum_weights=self.member_cum)[0]

    def members(self, k: int) -> list[int]:
        return list(
            set(
                self.rng.choices(range(1, self.sizes.members + 1), cum_weights=self.member_cum, k=k)
            )
        )

    def name(self, uid: int) -> str:
        word = self.words[(uid * 2654435761) % len(self.words)][:4]
        return f"{word}_{uid}"

    def body(self, *, reply: bool) -> str:
        rng = self.rng
        paragraphs = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            paragraphs.append("".join(rng.choice(self.sentences) for _ in range(rng.randint(1, 3))))
        text = "\r\n".join(paragraphs)
        roll = rng.random()
        if reply and roll < 0.12:
            text = f"[quote]{rng.choice(self.sentences)}[/quote]\r\n{text}"
        elif roll < 0.17:
            text = f"[b]{rng.choice(self.sentences)}[/b]\r\n{text}"
        elif roll < 0.2:
            text += " :)"
        elif roll < 0.22:
            text += (
                f"\r\n[url=https://www.example.com/news/{rng.randrange(10**6)}.html]原文链接[/url]"
            )
        elif roll < 0.23:
            text += f"\r\n[img]https://img.example.com/{rng.randrange(10**6)}.jpg[/img]"
        elif roll < 0.235:
            text += f"\r\n[color=Red]{rng.choice(self.sentences)}[/color]"
        return text


def generate(
    base_url: str,
    database: str,
    sizes: Sizes,
    *,
    files: Path,
    sql_dir: Path = DEFAULT_SQL_DIR,
    seed: int = 2026,
    out: IO[str] | None = None,
) -> Generated:
    """Create ``database`` (dropped first if it exists) and fill it; attachment files go to
    ``files`` (Discuz's ``data/attachment/forum``)."""
    started = time.perf_counter()
    write = out.write if out else (lambda _s: 0)
    admin = connect(base_url)
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
        cur.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
    admin.close()
    conn = connect(base_url, database)
    with conn.cursor() as cur:
        cur.execute("SET SESSION sql_mode = '', unique_checks = 0, foreign_key_checks = 0")
    load_schema(conn, sql_dir)
    c = Community(sizes, seed)
    rng = c.rng
    result = Generated()
    with tempfile.TemporaryDirectory(prefix="fupan-bench-dz-") as tmp:
        folder = Path(tmp)
        loaders: dict[str, Loader] = {}

        def table(name: str, columns: str) -> Loader:
            loaders[name] = Loader(conn, folder, name, columns)
            return loaders[name]

        # Boards: three categories with boards (half with thread types) and a few sub-boards.
        boards: list[tuple[int, list[int]]] = []  # (fid, type ids)
        forum = table("forum_forum", "fid, fup, type, name, status, displayorder, allowsmilies,"
                      " allowbbcode, allowimgcode, threads, posts")  # fmt: skip
        fields = table("forum_forumfield", "fid, description, rules, threadtypes")
        classes = table("forum_threadclass", "typeid, fid, name, displayorder")
        fid = 10
        typeid = 0
        board_rows: list[list[Any]] = []
        for ci, category in enumerate(CATEGORIES):
            cat_fid = fid
            board_rows.append([cat_fid, 0, "group", category, ci + 1])
            fields.add(cat_fid, "", "", "")
            fid += 1
            for bi, name in enumerate(BOARD_NAMES[ci::3]):
                board_rows.append([fid, cat_fid, "forum", name, bi + 1])
                types: dict[int, str] = {}
                if bi % 2 == 0:
                    for ti, tname in enumerate(rng.sample(TYPE_NAMES, 4)):
                        typeid += 1
                        types[typeid] = tname
                        classes.add(typeid, fid, tname, ti + 1)
                fields.add(fid, f"{name}：{rng.choice(c.sentences)}", "请文明发言，遵守版规。",
                           _php_types(types) if types else "")  # fmt: skip
                boards.append((fid, list(types)))
                parent = fid
                fid += 1
                if bi == 0:
                    board_rows.append([fid, parent, "sub", f"{name}·问答", 1])
                    fields.add(fid, "", "", "")
                    boards.append((fid, []))
                    fid += 1
        board_weights = [rng.paretovariate(1.2) for _ in boards]
        board_counts = {b[0]: [0, 0] for b in boards}

        # Threads: how many posts each gets, when it starts, who starts it.
        n_threads, n_posts = sizes.threads, sizes.posts
        lengths = [1] * n_threads
        thread_weights = [rng.paretovariate(1.5) for _ in range(n_threads)]
        for t in rng.choices(range(n_threads), weights=thread_weights, k=n_posts - n_threads):
            lengths[t] += 1
        del thread_weights
        span = 6 * YEAR - 30 * 86400
        threads: list[list[Any]] = []
        keys: list[int] = []
        for t in range(n_threads):
            tid = t + 1
            b = rng.choices(range(len(boards)), weights=board_weights)[0]
            bfid, types = boards[b]
            begin = c.start + span * t // n_threads + rng.randrange(3600)
            n = lengths[t]
            gap = max(1, min(rng.randint(60, 7200), (c.now - begin - 60) // max(1, n)))
            author = c.member()
            threads.append([tid, bfid, rng.choice(types) if types else 0, author, begin, gap, n,
                            author, 1 if t < n_threads // 4 else 0, 0])  # fmt: skip
            board_counts[bfid][0] += 1
            board_counts[bfid][1] += n
            for pos in range(1, n + 1):
                keys.append(((begin + (pos - 1) * gap) << 42) | (tid << 21) | pos)
        del lengths
        keys.sort()
        write(f"  planned {n_threads:,} threads and {len(keys):,} posts\n")

        for row in board_rows:
            counts = board_counts.get(row[0], [0, 0])
            forum.add(*row[:2], row[2], row[3], 1, row[4], 1, 1, 1, *counts)

        # Posts, in the order Discuz wrote them (pids by time), with what hangs off them.
        post_cols = (
            "pid, fid, tid, first, author, authorid, subject, dateline, message, useip,"
            " invisible, anonymous, usesig, htmlon, bbcodeoff, smileyoff, parseurloff,"
            " attachment, status, position"
        )
        posts_main = table("forum_post", post_cols)
        posts_split = table("forum_post_1", post_cols)
        post_ids = table("forum_post_tableid", "pid")
        votes = table("forum_hotreply_member", "tid, pid, uid, attitude")
        vote_counts = table("forum_hotreply_number", "pid, tid, support, against, total")
        ratings = table("forum_ratelog", "pid, uid, username, extcredits, dateline, score, reason")
        notes = table("home_notification", "uid, type, new, authorid, author, note, dateline,"
                      " from_id, from_idtype, from_num")  # fmt: skip
        att_index = table("forum_attachment", "aid, tid, pid, uid, tableid, downloads")
        att_tables = [
            table(f"forum_attachment_{n}", "aid, tid, pid, uid, dateline, filename, filesize,"
                  " attachment, remote, description, readperm, price, isimage, width, height")
            for n in range(10)
        ]  # fmt: skip
        credit_log = table("common_credit_log", "uid, operation, relatedid, dateline,"
                           " extcredits1, extcredits2, extcredits3, extcredits4, extcredits5,"
                           " extcredits6, extcredits7, extcredits8")  # fmt: skip
        member_posts = [0] * (sizes.members + 1)
        member_threads = [0] * (sizes.members + 1)
        titles: dict[int, str] = {}
        every_attach = max(1, n_posts // max(1, n_posts // 1000))
        images = [
            _png((rng.randrange(256), rng.randrange(256), rng.randrange(256)), (320, 240))
            for _ in range(8)
        ]
        aid = 0
        for i, key in enumerate(keys):
            pid = i + 1
            tid, pos = (key >> 21) & ((1 << 21) - 1), key & ((1 << 21) - 1)
            when = key >> 42
            th = threads[tid - 1]
            first = pos == 1
            uid = th[3] if first else c.member()
            if first:
                titles[tid] = c.corpus.title()
                member_threads[uid] += 1
            member_posts[uid] += 1
            th[7] = uid  # the last poster so far
            message = c.body(reply=not first)
            attach = 0
            if pid % every_attach == every_attach // 2:
                aid += 1
                is_image = aid % 3 != 0
                attach = 2 if is_image else 1
                th[9] = max(th[9], attach)
                n = tid % 10
                month = time.strftime("%Y%m/%d", time.gmtime(when))
                path = f"{month}/{when % 86400:05d}{_md5(str(aid))[:16]}.{'png' if is_image else 'zip'}"
                data = images[aid % len(images)] if is_image else _zip(rng.choice(c.sentences))
                target = files / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                readperm = rng.choice((0, 0, 0, 0, 20, 50)) if aid % 7 == 0 else 0
                price = rng.randint(1, 5) if aid % 11 == 0 else 0
                att_index.add(aid, tid, pid, uid, n, rng.randrange(200))
                att_tables[n].add(
                    aid, tid, pid, uid, when, f"{'现场照片' if is_image else '资料'}{aid}."
                    + ("png" if is_image else "zip"), len(data), path, 0,
                    rng.choice(("", "", "图片说明")), readperm, price, int(is_image),
                    320 if is_image else 0, 240 if is_image else 0,
                )  # fmt: skip
                if is_image:
                    message += f"\r\n[attach]{aid}[/attach]"
                if price:
                    # Two members bought it: Discuz logs BAC for the buyer, SAC for the seller.
                    for k, buyer in enumerate(c.members(2)):
                        if buyer == uid:
                            continue
                        paid = when + 3600 * (k + 1)
                        credit_log.add(buyer, "BAC", aid, paid, 0, -price, *[0] * 6)
                        credit_log.add(uid, "SAC", aid, paid, 0, price, *[0] * 6)
            status = 8 | (2 << 7) if rng.random() < 0.15 else 0  # 来自手机 (Android)
            (posts_split if th[8] else posts_main).add(
                pid, th[1], tid, int(first), c.name(uid), uid, titles[tid] if first else "",
                when, message, f"171.{pid % 250}.{uid % 250}.{tid % 250}", 0, 0, 1, 0, 0, 0,
                0, attach, status, pos,
            )  # fmt: skip
            post_ids.add(pid)
            if not first and rng.random() < 0.05:
                voters = c.members(rng.randint(1, 6))
                support = 0
                for voter in voters:
                    attitude = 1 if rng.random() < 0.75 else 0
                    support += attitude
                    votes.add(tid, pid, voter, attitude)
                vote_counts.add(pid, tid, support, len(voters) - support, len(voters))
            if rng.random() < 0.01:
                rater = c.member()
                ratings.add(pid, rater, c.name(rater), rng.choice((1, 2, 2, 3)), when + 600,
                            rng.choice((1, 2, 3, 5, -1)), rng.choice(("好帖", "支持", "", "有用")))  # fmt: skip
            if not first and uid != th[3] and rng.random() < 0.05:
                notes.add(
                    th[3], "post", int(rng.random() < 0.2), uid, c.name(uid),
                    f'<a href="home.php?mod=space&uid={uid}">{c.name(uid)}</a> 回复了您的帖子 '
                    f'<a href="forum.php?mod=redirect&goto=findpost&pid={pid}&ptid={tid}"'
                    f' target="_blank">{titles[tid]}</a>', when, tid, "post", 1,
                )  # fmt: skip
        del keys

        thread_table = table(
            "forum_thread",
            "tid, fid, posttableid, typeid, author, authorid, subject, dateline, lastpost,"
            " lastposter, views, replies, displayorder, highlight, digest, attachment, closed,"
            " recommends, recommend_add, recommend_sub, maxposition",
        )
        recommends = table("forum_memberrecommend", "tid, recommenduid, dateline")
        for th in threads:
            tid, tfid, ttype, author, begin, gap, n, last, split, attach = th
            roll = rng.random()
            order = 1 if roll < 0.005 else 2 if roll < 0.006 else 3 if roll < 0.0065 else 0
            add = sub = 0
            if rng.random() < 0.05:
                voters = c.members(rng.randint(1, 8))
                add = sum(1 for _ in voters if rng.random() < 0.8)
                sub = len(voters) - add
                for voter in voters:
                    recommends.add(tid, voter, begin + 600)
            thread_table.add(
                tid, tfid, split, ttype, c.name(author), author, titles[tid], begin,
                begin + (n - 1) * gap, c.name(last), n * rng.randint(3, 40), n - 1, order,
                rng.choice((41, 2, 3)) if rng.random() < 0.01 else 0,
                1 if rng.random() < 0.01 else 0, attach, 1 if rng.random() < 0.01 else 0,
                add - sub, add, sub, n,
            )  # fmt: skip

        # Members: half with UCenter's salted md5, half with X3.5's bcrypt.
        member = table("common_member", "uid, email, username, password, status, adminid,"
                       " groupid, regdate, credits, timeoffset")  # fmt: skip
        counts = table("common_member_count", "uid, extcredits1, extcredits2, extcredits3,"
                       " posts, threads, digestposts")  # fmt: skip
        status_t = table("common_member_status", "uid, regip, lastip, lastvisit, lastactivity,"
                         " lastpost")  # fmt: skip
        field_forum = table("common_member_field_forum", "uid, sightml")
        ucenter = table("ucenter_members", "uid, username, password, email, regip, regdate, salt")
        for uid in range(1, sizes.members + 1):
            name = c.name(uid)
            joined = c.start - YEAR + uid * (7 * YEAR) // sizes.members
            posts = member_posts[uid]
            credits = posts + 3 * member_threads[uid]
            group = (1 if uid == 1 else 2 if uid <= 3 else 3 if uid <= 30 else
                     4 if uid % 997 == 0 else
                     10 if credits < 50 else 11 if credits < 200 else 12 if credits < 500 else
                     13 if credits < 1000 else 14 if credits < 3000 else 15)  # fmt: skip
            admin_id = group if group <= 3 else -1 if group == 4 else 0
            member.add(uid, f"u{uid}@example.com", name, _md5(f"x{uid}"), 0, admin_id, group,
                       joined, credits, "9999")  # fmt: skip
            counts.add(uid, rng.randint(0, 20), credits * 2, rng.randint(0, 5), posts,
                       member_threads[uid], 0)  # fmt: skip
            ip = f"10.{uid % 250}.{(uid // 250) % 250}.{uid % 7 + 1}"
            status_t.add(uid, ip, ip, joined + 86400, joined + 86400, joined + 86400)
            field_forum.add(uid, f"[b]{name}[/b] 的签名" if uid % 10 == 0 else "")
            if uid % 2:
                salt = _md5(str(uid))[:6]
                ucenter.add(uid, name, _md5(_md5(f"pw{uid}") + salt), f"u{uid}@example.com", ip,
                            joined, salt)  # fmt: skip
            else:
                ucenter.add(uid, name, BCRYPT_HASH, f"u{uid}@example.com", ip, joined, "")
        del member_posts, member_threads

        # Favourites, a few reports, credit-log rewards.
        favorites = table(
            "home_favorite", "uid, id, idtype, spaceuid, title, description, dateline"
        )
        seen: set[tuple[int, int]] = set()
        for _ in range(sizes.members // 2):
            uid, tid = c.member(), rng.randint(1, n_threads)
            if (uid, tid) in seen:
                continue
            seen.add((uid, tid))
            favorites.add(uid, tid, "tid", 0, titles[tid], "", threads[tid - 1][4] + 86400)
        del seen
        reports = table("common_report", "url, message, uid, username, dateline, num, fid")
        reported: set[tuple[int, int]] = set()
        for _ in range(max(1, n_threads // 1000)):
            uid, tid = c.member(), rng.randint(1, n_threads)
            if (uid, tid) in reported:
                continue  # Discuz adds a second report of the same thing to the first
            reported.add((uid, tid))
            reports.add(f"forum.php?mod=viewthread&tid={tid}",
                        f"{c.name(uid)}&nbsp;:&nbsp;广告垃圾", uid, c.name(uid),
                        threads[tid - 1][4] + 7200, 1, threads[tid - 1][1])  # fmt: skip
        for _ in range(sizes.members // 10):
            uid = c.member()
            credit_log.add(uid, "RPR", 0, c.start + rng.randrange(6 * YEAR), 0,
                           rng.choice((5, 10, 20, -5)), *[0] * 6)  # fmt: skip

        # Private messages: 1:1 conversations (a few group chats), messages in table plid % 10;
        # now and then a member deleted one message (delstatus 1 = the founder, 2 = the other).
        pm_lists = table("ucenter_pm_lists", "plid, authorid, pmtype, subject, members, min_max,"
                         " dateline, lastmessage")  # fmt: skip
        pm_members = table("ucenter_pm_members", "plid, uid, isnew, pmnum, lastupdate,"
                           " lastdateline")  # fmt: skip
        pm_index = table("ucenter_pm_indexes", "pmid, plid")
        pm_tables = [
            table(f"ucenter_pm_messages_{n}", "pmid, plid, authorid, message, delstatus, dateline")
            for n in range(10)
        ]
        pairs: set[tuple[int, int]] = set()
        pmid = 0
        plid = 0
        for _ in range(sizes.members // 5):
            a = c.member()
            group = rng.random() < 0.02
            others = [x for x in c.members(rng.randint(2, 5) if group else 1) if x != a]
            if not others:
                continue
            if not group:
                pair = (min(a, others[0]), max(a, others[0]))
                if pair in pairs:
                    continue
                pairs.add(pair)
            plid += 1
            everyone = [a, *others]
            begin = c.start + rng.randrange(6 * YEAR - 86400)
            n = rng.randint(1, 9)
            last = begin + 600 * (n - 1)
            pm_lists.add(plid, a, 2 if group else 1, "聊聊" if group else "",
                         len(everyone), "" if group else f"{pair[0]}_{pair[1]}", begin, "")  # fmt: skip
            for uid in everyone:
                pm_members.add(plid, uid, int(uid != a and rng.random() < 0.3), n, last, last)
            for k in range(n):
                pmid += 1
                author = everyone[k % len(everyone)] if k else a
                deleted = 0 if group or k == 0 or rng.random() > 0.03 else rng.choice((1, 2))
                pm_index.add(pmid, plid)
                pm_tables[plid % 10].add(pmid, plid, author, rng.choice(c.sentences), deleted,
                                         begin + 600 * k)  # fmt: skip
        for loader in loaders.values():
            loader.close()
        result.rows = {name: loader.total for name, loader in loaders.items()}
    conn.close()
    result.seconds = time.perf_counter() - started
    return result


def source_counts(base_url: str, database: str, tables: Iterable[str]) -> dict[str, int]:
    conn = connect(base_url, database)
    counts = {}
    with conn.cursor() as cur:
        for name in tables:
            cur.execute(f"SELECT COUNT(*) FROM pre_{name}")
            counts[name] = int(cur.fetchone()[0])
    conn.close()
    return counts


def exists(base_url: str, database: str) -> bool:
    conn = connect(base_url)
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = %s"
                    " AND table_name = 'pre_forum_post'", [database])  # fmt: skip
        found = bool(cur.fetchone()[0])
    conn.close()
    return found


def drop(base_url: str, database: str) -> None:
    conn = connect(base_url)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
    conn.close()


__all__ = ["Generated", "Sizes", "database_url", "drop", "exists", "generate", "source_counts"]
