"""A real Discuz! X3.5 database in MariaDB/MySQL for the importer's tests: the installer's SQL
(install.sql, install_data.sql, uc.sql with UCenter's ``uc_`` prefix renamed ``pre_ucenter_``) and
a small community inserted the way Discuz writes its rows."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import tempfile
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
        # The site's data/ folder: attachment/forum/… and avatar/… (see build_files_and_messages).
        self.files = Path(tempfile.mkdtemp(prefix="fupan-dz-files-"))
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
    settings = {
        "bbname": "遂宁生活网",
        "icp": "蜀ICP备12345678号-1",
        "maxchargespan": "72",
        "postperpage": "15",
        "topicperpage": "25",
        "floodctrl": "30",
        "creditsformula": "posts+digestposts*5+extcredits1*3+extcredits2",
        "extcredits": dumps(
            {
                1: {"title": "威望", "available": 1},
                2: {"title": "金币", "available": 1},
                3: {"title": "贡献", "available": 0},
                4: {"title": "好评", "available": 1},
            }
        ),
    }
    for skey, svalue in settings.items():
        db.execute("REPLACE INTO pre_common_setting (skey, svalue) VALUES (%s, %s)", [skey, svalue])
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


def small_png(color: str = "red", size: tuple[int, int] = (240, 160)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def small_zip() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "压缩包里的说明")
    return out.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def add_attachment(
    db: DiscuzDatabase, aid: int, tid: int, pid: int, uid: int, filename: str, path: str,
    *, data: bytes | None = None, isimage: int = 0, downloads: int = 0, **extra: Any,
) -> None:  # fmt: skip
    """An uploaded file as Discuz keeps it: the index row, the row in pre_forum_attachment_N
    (N = the tid's last digit) and the file under data/attachment/forum/ (``data`` None: the file
    is missing)."""
    table = int(str(tid)[-1])
    db.insert("forum_attachment", aid=aid, tid=tid, pid=pid, uid=uid, tableid=table,
              downloads=downloads)  # fmt: skip
    db.insert(
        f"forum_attachment_{table}", aid=aid, tid=tid, pid=pid, uid=uid, dateline=T0 + 10 * DAY,
        filename=filename, filesize=len(data or b"") or 1234, attachment=path,
        description=extra.pop("description", ""), isimage=isimage, **extra,
    )  # fmt: skip
    if data is not None:
        _write(db.files / "attachment" / "forum" / path, data)


def add_pm(
    db: DiscuzDatabase, plid: int, author: int, members: dict[int, int], *, pmtype: int = 1,
    subject: str = "", messages: list[tuple[int, int, str, int]], pair: tuple[int, int] = (0, 0),
) -> None:  # fmt: skip
    """A UCenter conversation: pm_lists, pm_members {uid: isnew}, and its messages (pmid,
    authorid, text, delstatus) in pm_messages_<plid % 10> with their pm_indexes rows."""
    uids = (sorted(pair) if any(pair) else sorted({author, *members})) if pmtype == 1 else []
    dateline = T0 + 20 * DAY + plid * 3600
    db.insert("ucenter_pm_lists", plid=plid, authorid=author, pmtype=pmtype, subject=subject,
              members=len(members), min_max="_".join(map(str, uids)), dateline=dateline,
              lastmessage="")  # fmt: skip
    last = dateline + 60 * len(messages)
    for uid, isnew in members.items():
        db.insert("ucenter_pm_members", plid=plid, uid=uid, isnew=isnew, pmnum=len(messages),
                  lastupdate=dateline if not isnew else 0, lastdateline=last)  # fmt: skip
    for i, (pmid, authorid, text, delstatus) in enumerate(messages):
        db.insert("ucenter_pm_indexes", pmid=pmid, plid=plid)
        db.insert(f"ucenter_pm_messages_{plid % 10}", pmid=pmid, plid=plid, authorid=authorid,
                  message=text, delstatus=delstatus, dateline=dateline + 60 * i)  # fmt: skip


SMILEY_IMG = "[img]http://bbs.example.com/static/image/smiley/default/smile.gif[/img]"


def build_files_and_messages(db: DiscuzDatabase) -> None:
    """Attachments (files in ``db.files/attachment/forum``), avatars (``db.files/avatar``),
    private messages across the ten message tables and IP bans."""
    # Attachments: an inline image and a listed zip in post 1 (thread 1 → table 1), a missing
    # file (table 2), a remote one (table 7), an image with a price (table 9), one of the orphan
    # post and an unbound upload (tableid 127, never imported).
    db.execute("UPDATE pre_forum_post SET message = CONCAT(message, '\n[attach]1[/attach]'),"
               " attachment = 2 WHERE pid = 1")  # fmt: skip
    db.execute("UPDATE pre_forum_post SET attachment = 1 WHERE pid IN (5, 10, 16)")
    db.execute("UPDATE pre_forum_thread SET attachment = 2 WHERE tid IN (1, 9)")
    db.execute("UPDATE pre_forum_thread SET attachment = 1 WHERE tid IN (2, 7)")
    add_attachment(db, 1, 1, 1, 2, "风景.png", "202401/11/120000abcdefghijklmnop.png",
                   data=small_png(), isimage=1, width=240, downloads=3, description="一张图")  # fmt: skip
    add_attachment(db, 2, 1, 1, 2, "资料.zip", "202401/11/120001abcdefghijklmnop.zip",
                   data=small_zip(), downloads=7, readperm=10)  # fmt: skip
    add_attachment(db, 3, 2, 5, 1, "丢失.rar", "202401/12/gonegonegonegone.rar")
    add_attachment(db, 4, 7, 10, 2, "远程.jpg", "202401/14/remoteremoteremot.jpg",
                   data=small_png("blue"), isimage=1, remote=1)  # fmt: skip
    add_attachment(db, 5, 9, 16, 5, "截图.png", "202401/15/shotshotshotshot.png",
                   data=small_png("green", (50, 40)), isimage=1, price=2)  # fmt: skip
    add_attachment(db, 6, 999, 18, 3, "孤儿.txt", "202401/16/orphanorphanorph.txt",
                   data=b"orphan")  # fmt: skip
    db.insert("forum_attachment", aid=7, tid=0, pid=0, uid=2, tableid=127)
    db.insert("forum_attachment_unused", aid=7, uid=2, dateline=T0, filename="未用.png",
              filesize=10, attachment="202401/17/unused.png")  # fmt: skip

    # Avatars: alice has one (only the big size on disk), Bob's is not an image.
    _write(db.files / "avatar" / "000" / "00" / "00" / "02_avatar_big.jpg", small_png("purple"))
    _write(db.files / "avatar" / "000" / "00" / "00" / "03_avatar_big.jpg", b"not a picture")

    # Private messages: conversation plid N keeps its messages in pm_messages_<N % 10>.
    # 1: alice ↔ Bob; Bob has not read it; alice (the founder) deleted the first message.
    add_pm(db, 1, 2, {2: 0, 3: 1}, messages=[
        (1, 2, "第一条，已被 alice 删除", 1),
        (2, 3, f"[b]收到[/b] {SMILEY_IMG}", 0),
        (3, 2, "好的", 0),
        (4, 3, "Bob 删掉的一条", 2),
        (5, 2, "最后一条", 0),
    ])  # fmt: skip
    # 2: a group chat by admin; 版主小王 has unread messages; one by a member who is gone.
    add_pm(db, 2, 1, {1: 0, 2: 0, 3: 0, 5: 1}, pmtype=2, subject="版务群聊", messages=[
        (6, 1, "大家好", 0), (7, 5, "收到", 0), (8, 555, "我已注销", 0),
    ])  # fmt: skip
    # 3: admin → alice; alice deleted the whole conversation (her pm_members row is gone).
    add_pm(db, 3, 1, {1: 0}, pair=(1, 2), messages=[(9, 1, "给 alice 的通知", 2)])
    # 4: with a member who was never imported: skipped, and so are its messages.
    add_pm(db, 4, 2, {2: 0, 555: 1}, messages=[(10, 2, "ghost 你好", 0)])
    # 5 … 10: one message each, so every message table holds some; 5 was written as HTML.
    add_pm(db, 5, 1, {1: 0, 5: 0}, messages=[(11, 1, "<b>旧版</b><br />HTML 消息", 0)])
    for plid, (a, b) in zip(range(6, 11), [(1, 6), (1, 8), (1, 9), (1, 10), (2, 5)], strict=True):
        add_pm(db, plid, a, {a: 0, b: 1 if plid == 10 else 0},
               messages=[(plid + 6, a, f"消息 {plid}", 0)])  # fmt: skip
    # A message whose conversation does not exist (table 9).
    db.insert("ucenter_pm_messages_9", pmid=99, plid=99, authorid=2, message="孤儿消息",
              delstatus=0, dateline=T0)  # fmt: skip

    # IP bans: an address, a wildcard range, a CIDR network, an expired one and a pattern that
    # is no network.
    far, past = T0 + 3650 * DAY, T0 + DAY
    for bid, ip, expiration in ((1, "10.1.2.3", 0), (2, "192.168.*.*", far),
                                (3, "172.16.0.0/12", 0), (4, "8.8.8.8", past),
                                (5, "1.*.3.4", 0)):  # fmt: skip
        db.insert("common_banned", id=bid, ip=ip, admin="admin", dateline=T0 + bid * DAY,
                  expiration=expiration)  # fmt: skip


def build_social(db: DiscuzDatabase) -> None:
    """Votes, 顶/踩, ratings, the credit log, favourites, notifications and reports, each with a
    row the importer must refuse."""
    t = T0 + 20 * DAY
    # 支持/反对: Bob's 沙发 (pid 2) 2 support + 1 against; the admin's reply (pid 3) 1 support,
    # though Discuz's count says 3. A vote on a missing post, one by a member who is gone.
    for tid, pid, uid, attitude in ((1, 2, 2, 1), (1, 2, 5, 1), (1, 2, 9, 0), (1, 3, 2, 1),
                                    (1, 999, 2, 1), (1, 3, 555, 0)):  # fmt: skip
        db.insert("forum_hotreply_member", tid=tid, pid=pid, uid=uid, attitude=attitude)
    for pid, support, against in ((2, 2, 1), (3, 3, 0), (999, 1, 0)):
        db.insert("forum_hotreply_number", pid=pid, tid=1, support=support, against=against,
                  total=support + against)  # fmt: skip
    # 顶/踩 on thread 1 (and on the draft, which is not imported), with the members' rows.
    db.execute("UPDATE pre_forum_thread SET recommend_add = 3, recommend_sub = 1, recommends = 2,"
               " favtimes = 5 WHERE tid = 1")  # fmt: skip
    db.execute("UPDATE pre_forum_thread SET recommend_add = 1 WHERE tid = 5")
    for uid in (2, 3, 5, 9):
        db.insert("forum_memberrecommend", tid=1, recommenduid=uid, dateline=t)
    # 评分: two ratings of Bob's 沙发, one of alice's post by a member who is gone; a post that
    # does not exist, an anonymous post (the rated member is unknown), an unused credit.
    for pid, uid, name, n, score, reason in (
        (2, 1, "admin", 1, 2, "好帖"), (2, 5, "版主小王", 2, 5, ""), (10, 555, "ghost", 2, -1, "灌水"),
        (999, 1, "admin", 2, 1, "?"), (13, 1, "admin", 2, 1, "匿名"), (1, 1, "admin", 5, 3, "x"),
    ):  # fmt: skip
        db.insert("forum_ratelog", pid=pid, uid=uid, username=name, extcredits=n,
                  dateline=t + pid, score=score, reason=reason)  # fmt: skip
    # Credit log: an administrator's reward with its reason, a rating (also in the rate log), a
    # bought thread, an unknown operation, a member who is gone, extcredits4 only.
    for logid, uid, op, related, credits in (
        (1, 2, "RPR", 0, (0, 10, 0, 0)), (2, 3, "PRC", 1, (2, 0, 0, 0)),
        (3, 2, "BTC", 2, (0, -3, 0, 0)), (4, 2, "ZZZ", 0, (0, 0, 1, 0)),
        (5, 555, "RPR", 0, (0, 1, 0, 0)), (6, 9, "RPR", 0, (0, 0, 0, 5)),
    ):  # fmt: skip
        values = {f"extcredits{i + 1}": v for i, v in enumerate(credits + (0,) * 4)}
        db.insert("common_credit_log", logid=logid, uid=uid, operation=op, relatedid=related,
                  dateline=t + logid * 60, **values)  # fmt: skip
    db.insert("common_credit_log_field", logid=1, title="奖励", text="<b>活跃</b>会员")
    # 收藏: two members keep thread 1, alice keeps 站务; a missing thread, a blog, a repeat.
    for favid, uid, target, idtype in ((1, 2, 1, "tid"), (2, 3, 1, "tid"), (3, 2, 3, "fid"),
                                       (4, 2, 999, "tid"), (5, 2, 7, "blogid"),
                                       (6, 2, 1, "tid")):  # fmt: skip
        db.insert("home_favorite", favid=favid, uid=uid, id=target, idtype=idtype,
                  title="收藏", description="好帖收藏" if favid == 1 else "",
                  dateline=t + favid)  # fmt: skip
    # 提醒 of alice: a reply (unread), an @mention (unread), a quote (read); a 点评, an unknown
    # type, one for a member who is gone, and a system notice of Bob's.
    reply = ('<a href="home.php?mod=space&uid=3">Bob</a> 回复了您的帖子 '
             '<a href="forum.php?mod=redirect&goto=findpost&pid=2&ptid=1" target="_blank">'
             "第一个主题</a> &nbsp; <a href=\"forum.php?mod=redirect&goto=findpost&pid=2&ptid=1\""
             ' target="_blank" class="lit">查看</a>')  # fmt: skip
    mention = ('<a href="home.php?mod=space&uid=5">版主小王</a> 在主题 <a href="forum.php?mod='
               'redirect&goto=findpost&ptid=7&pid=15">建议增加夜间模式</a> 中提到了您'
               ' <div class="quote"><blockquote>@alice 同意</blockquote></div>')  # fmt: skip
    quote = ('<a href="home.php?mod=space&uid=1">admin</a> 引用了您的帖子 <a href="forum.php?'
             'mod=redirect&goto=findpost&pid=3&ptid=1">第一个主题</a>')  # fmt: skip
    for nid, uid, kind, new, author, note, from_type in (
        (1, 2, "post", 1, BOB, reply, "post"), (2, 2, "at", 1, MOD, mention, "at"),
        (3, 2, "post", 0, ADMIN, quote, "quote"), (4, 2, "pcomment", 1, BOB, "点评了您的帖子", "pcomment"),
        (5, 2, "magic_gift", 1, ADMIN, "送您一个红包", "gift"), (6, 555, "post", 1, BOB, reply, "post"),
        (7, 3, "system", 1, ADMIN, "您的帖子被删除", ""),
    ):  # fmt: skip
        db.insert("home_notification", id=nid, uid=uid, type=kind, new=new, authorid=author[0],
                  author=author[1], note=note, dateline=t + nid * 60, from_id=1,
                  from_idtype=from_type, from_num=0)  # fmt: skip
    # 举报: a post reported twice (open), a thread (handled, ignored), a member (open), an
    # address that names nothing, a missing post, a post handled with a result.
    for rid, url, message, reporter, num, op in (
        (1, "forum.php?mod=redirect&goto=findpost&ptid=1&pid=2",
         "alice&nbsp;:&nbsp;广告垃圾 卖东西<br>Bob&nbsp;:&nbsp;也是广告", ALICE, 2, None),
        (2, "http://bbs.example.com/forum.php?mod=viewthread&tid=7", "Bob&nbsp;:&nbsp;其他",
         BOB, 1, (MOD, "ignore")),
        (3, "home.php?mod=space&uid=6", "alice&nbsp;:&nbsp;发广告的人", ALICE, 1, None),
        (4, "javascript:void(0)", "alice&nbsp;:&nbsp;???", ALICE, 1, None),
        (5, "forum.php?mod=redirect&goto=findpost&ptid=999&pid=998", "Bob&nbsp;:&nbsp;x", BOB, 1,
         None),
        (6, "forum.php?mod=redirect&goto=findpost&ptid=7&pid=10", "Bob&nbsp;:&nbsp;违规内容", BOB, 1,
         (ADMIN, "已警告作者")),
    ):  # fmt: skip
        db.insert("common_report", id=rid, urlkey="", url=url, message=message,
                  uid=reporter[0], username=reporter[1], dateline=t + rid * 60, num=num,
                  opuid=op[0][0] if op else 0, opname=op[0][1] if op else "",
                  optime=t + DAY if op else 0, opresult=op[1] if op else "", fid=2)  # fmt: skip


@contextmanager
def discuz_database(base_url: str, *, community: bool = True) -> Iterator[DiscuzDatabase]:
    db = DiscuzDatabase(base_url)
    try:
        db.load_schema()
        if community:
            build_community(db)
            build_files_and_messages(db)
            build_social(db)
        yield db
    finally:
        db.drop()
        shutil.rmtree(db.files, ignore_errors=True)
