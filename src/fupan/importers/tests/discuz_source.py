"""A real Discuz! X3.5 database in MariaDB/MySQL for the importer's tests: the installer's SQL
(install.sql, install_data.sql, uc.sql with UCenter's ``uc_`` prefix renamed ``pre_ucenter_``) and
a small community inserted the way Discuz writes its rows."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pymysql
from pymysql.constants import CLIENT

from fupan.importers.discuz.php import dumps

ENV = "DISCUZ_TEST_MYSQL"
SQL_DIR = Path(
    os.environ.get("DISCUZ_SQL_DIR") or Path(__file__).resolve().parents[5] / "shared" / "discuz"
)

# 2024-01-01 .. 2024-03 (Unix times): old enough to be before any --since in the tests.
T0 = 1704067200
DAY = 86400

# php.net's password_verify() example: password_hash('rasmuslerdorf', PASSWORD_BCRYPT).
BCRYPT_PASSWORD = "rasmuslerdorf"
BCRYPT_HASH = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a"


def md5_legacy(password: str, salt: str) -> str:
    inner = hashlib.md5(password.encode()).hexdigest()
    return hashlib.md5((inner + salt).encode()).hexdigest()


def _connect(url: str, database: str | None = None) -> pymysql.Connection:
    parts = urlsplit(url)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        database=database,
        charset="utf8mb4",
        autocommit=True,
        client_flag=CLIENT.MULTI_STATEMENTS,
    )


def _run_script(cur: Any, sql: str) -> None:
    cur.execute(sql)
    while cur.nextset():
        pass


class DiscuzDatabase:
    """One throw-away database; ``url`` is what ``--mysql`` takes."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.name = f"fupan_dz_test_{secrets.token_hex(4)}"
        parts = urlsplit(base_url)
        self.url = urlunsplit((parts.scheme, parts.netloc, "/" + self.name, "", ""))
        admin = _connect(base_url)
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{self.name}` CHARACTER SET utf8mb4")
        admin.close()
        self.conn = _connect(base_url, self.name)
        self.execute("SET SESSION sql_mode = ''")  # as Discuz's installer does

    def load_schema(self) -> None:
        with self.conn.cursor() as cur:
            for name in ("install.sql", "install_data.sql", "uc.sql"):
                sql = (SQL_DIR / name).read_text(encoding="utf-8")
                if name == "uc.sql":
                    sql = re.sub(r"\buc_", "pre_ucenter_", sql)
                _run_script(cur, sql)

    def execute(self, sql: str, params: Any = None) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)

    def insert(self, table: str, **values: Any) -> None:
        cols = ", ".join(f"`{c}`" for c in values)
        marks = ", ".join(["%s"] * len(values))
        self.execute(f"INSERT INTO pre_{table} ({cols}) VALUES ({marks})", list(values.values()))

    def drop(self) -> None:
        self.conn.close()
        admin = _connect(self.base_url)
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{self.name}`")
        admin.close()

    # Discuz's writes ------------------------------------------------------------------------

    def add_member(
        self,
        uid: int,
        username: str,
        *,
        email: str = "",
        groupid: int = 10,
        adminid: int = 0,
        password: str | None = "secret",
        bcrypt: bool = False,
        regdate: int = T0,
        extcredits: tuple[int, ...] = (0, 5, 0, 0, 0, 0, 0, 0),
        sightml: str = "",
        groupterms: bytes = b"",
        groupexpiry: int = 0,
        status: int = 0,
        regip: str = "10.0.0.1",
    ) -> None:
        """A registration as uc_user_register + member.php do it: the UCenter account and the
        six pre_common_member* rows."""
        self.insert(
            "common_member", uid=uid, username=username, email=email, groupid=groupid,
            adminid=adminid, regdate=regdate, password=hashlib.md5(os.urandom(8)).hexdigest(),
            timeoffset="9999", groupexpiry=groupexpiry, status=status,
        )  # fmt: skip
        counts = {f"extcredits{i + 1}": v for i, v in enumerate(extcredits)}
        self.insert("common_member_count", uid=uid, posts=0, threads=0, **counts)
        self.insert(
            "common_member_status", uid=uid, regip=regip, lastip=regip, lastvisit=regdate + DAY
        )
        self.insert("common_member_field_forum", uid=uid, sightml=sightml, groupterms=groupterms)
        self.insert("common_member_field_home", uid=uid)
        self.insert("common_member_profile", uid=uid)
        if password is not None:
            if bcrypt:
                pw, salt = BCRYPT_HASH, ""
            else:
                salt = secrets.token_hex(3)
                pw = md5_legacy(password, salt)
            self.insert(
                "ucenter_members", uid=uid, username=username, password=pw, salt=salt,
                email=email, regip=regip, regdate=regdate,
            )  # fmt: skip

    def add_forum(
        self,
        fid: int,
        fup: int,
        kind: str,
        name: str,
        *,
        status: int = 1,
        order: int = 0,
        **field: Any,
    ) -> None:
        self.insert(
            "forum_forum", fid=fid, fup=fup, type=kind, name=name, status=status,
            displayorder=order, allowsmilies=1, allowbbcode=1, allowimgcode=1,
        )  # fmt: skip
        self.insert("forum_forumfield", fid=fid, **field)

    def add_thread(
        self,
        tid: int,
        fid: int,
        author: tuple[int, str],
        subject: str,
        *,
        dateline: int,
        displayorder: int = 0,
        **extra: Any,
    ) -> None:
        self.insert(
            "forum_thread", tid=tid, fid=fid, author=author[1], authorid=author[0],
            subject=subject, dateline=dateline, lastpost=dateline, lastposter=author[1],
            displayorder=displayorder, **extra,
        )  # fmt: skip

    def add_post(
        self,
        pid: int,
        tid: int,
        position: int,
        author: tuple[int, str],
        message: str,
        *,
        dateline: int,
        fid: int = 2,
        **extra: Any,
    ) -> None:
        self.insert("forum_post_tableid", pid=pid)
        self.insert(
            "forum_post", pid=pid, fid=fid, tid=tid, first=1 if position == 1 else 0,
            author=author[1], authorid=author[0], dateline=dateline, message=message,
            useip=f"192.168.1.{pid % 250}", position=position, **extra,
        )  # fmt: skip


ADMIN = (1, "admin")
ALICE = (2, "alice")
BOB = (3, "Bob")
MOD = (5, "版主小王")
SPAMMER = (6, "spammer")


def build_community(db: DiscuzDatabase) -> None:
    """A small, realistic community with every state the importer has to handle."""
    db.add_member(1, "admin", email="admin@example.com", groupid=1, adminid=1, bcrypt=True)
    db.add_member(2, "alice", email="alice@example.com", password="alice-pw")
    db.add_member(3, "Bob", email="bob@example.com", groupid=11, bcrypt=True,
                  sightml='<strong>Bob</strong> 的签名<br /><a href="https://bob.example/" target="_blank">主页</a>')  # fmt: skip
    db.add_member(4, "ＢＯＢ", email="bob2@example.com", password="bob2-pw")  # same name as Bob
    db.add_member(5, "版主小王", email="mod@example.com", groupid=3, adminid=3, password="mod-pw")
    db.add_member(
        6, "spammer", email="spam@example.com", groupid=4, adminid=-1, password="spam-pw",
        groupterms=dumps({"main": {"time": 0, "adminid": 0, "groupid": 11}}),
    )  # fmt: skip
    db.insert("common_member_crime", uid=6, operatorid=1, operator="admin",
              action=4, reason="发广告", dateline=T0 + 5 * DAY)  # fmt: skip
    db.add_member(7, "noaccount", email="", password=None, regdate=0)
    db.add_member(
        8, "dupemail", email="alice@example.com", password="dup-pw", regip="Manual Acting"
    )
    db.add_member(9, "超版", email="smod@example.com", groupid=2, adminid=2, password="smod-pw",
                  extcredits=(1, 2, 3, 40, 0, 0, 0, 0))  # fmt: skip
    db.add_member(10, "badmail", email="not an email", password="x", bcrypt=False)
    # A signature saved by an old GBK-era plugin: bytes that are not UTF-8.
    db.execute("ALTER TABLE pre_common_member_field_forum MODIFY sightml blob NOT NULL")
    db.execute(
        "UPDATE pre_common_member_field_forum SET sightml = %s WHERE uid = 10", [b"\xff\xfe!"]
    )

    # Boards: fid 1 (category) and 2 (默认版块) come with install_data.sql.
    types = dumps(
        {"status": 1, "required": 1, "listable": 1, "prefix": 1,
         "types": {1: "建言献策", 2: "灌水"}, "icons": {}, "moderators": {1: 0, 2: 0}}
    )  # fmt: skip
    db.add_forum(3, 1, "forum", "站务", order=2, description="站务讨论", rules="请遵守版规",
                 threadtypes=types, viewperm="\t1\t2\t3\t10\t11\t")  # fmt: skip
    db.add_forum(4, 3, "sub", "<font color=red>公告</font>", postperm="\t1\t2\t3\t",
                 replyperm="\t1\t2\t3\t10\t")  # fmt: skip
    db.add_forum(5, 1, "forum", "隐藏版块", status=0)
    # Broken serialized array: a string length that is wrong for any encoding.
    db.add_forum(6, 1, "forum", "坏设置", threadtypes=b'a:1:{s:6:"status";i:1;s:99:"x";')
    db.add_forum(7, 0, "forum", "某群组", status=3)
    db.add_forum(9, 10, "forum", "子在父前")  # a child whose category has a higher fid
    db.add_forum(10, 0, "group", "第二分区", order=5)
    db.execute("UPDATE pre_forum_forum SET jammer = 1, modnewposts = 2 WHERE fid = 9")
    db.insert("forum_threadclass", typeid=1, fid=3, name="建言献策", displayorder=1)
    db.insert("forum_threadclass", typeid=2, fid=3, name="灌水", displayorder=2)
    db.insert("forum_threadclass", typeid=3, fid=99, name="孤儿分类", displayorder=1)
    db.insert("forum_moderator", uid=5, fid=2, displayorder=0, inherited=0)
    db.insert("forum_moderator", uid=5, fid=3, displayorder=1, inherited=0)
    db.insert("forum_moderator", uid=999, fid=2, displayorder=0, inherited=0)

    t = T0 + 10 * DAY
    # 1: a normal thread; replies from the web, from the Android app and one 屏蔽 by a moderator.
    db.add_thread(1, 2, ALICE, "第一个主题", dateline=t, replies=3, views=42)
    db.add_post(1, 1, 1, ALICE, "[b]你好[/b] 大家好 :)", dateline=t)
    db.add_post(2, 1, 2, BOB, "沙发", dateline=t + 60, status=8 | (2 << 7))
    db.add_post(3, 1, 3, ADMIN, "板凳 from mobile web", dateline=t + 120, status=8)
    db.add_post(4, 1, 4, ALICE, "这条被屏蔽", dateline=t + 180, status=1)
    # 2: global sticky, digest 2, bold red highlight, closed.
    db.add_thread(2, 2, ADMIN, "置顶公告", dateline=t + DAY, displayorder=3, digest=2,
                  highlight=41, closed=1)  # fmt: skip
    db.add_post(5, 2, 1, ADMIN, "公告内容", dateline=t + DAY)
    # 3: in the recycle bin; 4: awaiting review; 5: a draft; 6: in a 群组 forum.
    db.add_thread(3, 2, BOB, "回收站里的主题", dateline=t + 2 * DAY, displayorder=-1)
    db.add_post(6, 3, 1, BOB, "已删除", dateline=t + 2 * DAY, invisible=-1)
    db.add_thread(4, 2, BOB, "待审核主题", dateline=t + 3 * DAY, displayorder=-2)
    db.add_post(7, 4, 1, BOB, "等待审核", dateline=t + 3 * DAY, invisible=-2)
    db.add_thread(5, 2, BOB, "草稿", dateline=t + 3 * DAY, displayorder=-4)
    db.add_post(8, 5, 1, BOB, "草稿内容", dateline=t + 3 * DAY, invisible=-3)
    db.add_thread(6, 7, ALICE, "群组主题", dateline=t + 3 * DAY)
    db.add_post(9, 6, 1, ALICE, "群组内容", dateline=t + 3 * DAY, fid=7)
    # 7: typed thread in 站务 with a pending reply, a deleted reply, an anonymous reply, a reply
    # by a member who no longer exists and one with no date.
    db.add_thread(7, 3, ALICE, "建议增加夜间模式", dateline=t + 4 * DAY, typeid=1)
    db.add_post(10, 7, 1, ALICE, "如题", dateline=t + 4 * DAY, fid=3)
    db.add_post(11, 7, 2, BOB, "待审核回复", dateline=t + 4 * DAY + 60, fid=3, invisible=-2)
    db.add_post(12, 7, 3, BOB, "删除的回复", dateline=t + 4 * DAY + 120, fid=3, invisible=-5)
    db.add_post(13, 7, 4, (2, ""), "匿名回复", dateline=t + 4 * DAY + 180, fid=3, anonymous=1)
    db.add_post(14, 7, 5, (555, "ghost"), "已注销用户的回复", dateline=t + 4 * DAY + 240, fid=3)
    db.add_post(15, 7, 6, MOD, "[quote]如题[/quote]\n同意", dateline=0, fid=3)
    # 8: a moved thread's stub (closed = new tid); 9: highlight with a style only; 10: special.
    db.add_thread(8, 2, ALICE, "已移动", dateline=t + 5 * DAY, closed=7)
    db.add_thread(9, 2, MOD, "只加粗", dateline=t + 5 * DAY, highlight=40)
    db.add_post(16, 9, 1, MOD, "加粗标题", dateline=t + 5 * DAY, smileyoff=1, bbcodeoff=1)
    db.add_thread(10, 2, ALICE, "投票", dateline=t + 6 * DAY, special=1)
    db.add_post(17, 10, 1, ALICE, "投票内容\x00\x00\x00plugin-data", dateline=t + 6 * DAY)
    # An orphan post (its thread is gone) and a spammer's post.
    db.add_post(18, 999, 1, BOB, "孤儿帖", dateline=t + 6 * DAY)
    db.add_thread(11, 2, SPAMMER, "广告", dateline=t + 7 * DAY, displayorder=-1)
    db.add_post(19, 11, 1, SPAMMER, "买买买", dateline=t + 7 * DAY, invisible=-1)


@contextmanager
def discuz_database(base_url: str, *, community: bool = True) -> Iterator[DiscuzDatabase]:
    db = DiscuzDatabase(base_url)
    try:
        db.load_schema()
        if community:
            build_community(db)
        yield db
    finally:
        db.drop()
