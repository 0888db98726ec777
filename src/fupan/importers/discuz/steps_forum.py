"""Boards (with their permissions and thread-type settings), thread types, moderators, threads
and posts (``pre_forum_*``)."""

from __future__ import annotations

from typing import Any

from fupan.accounts.models import User, UserGroup
from fupan.forum.models import Board, BoardModerator, BoardPermission, Post, Thread, ThreadType
from fupan.forum.rendering import markup_options, render_body
from fupan.markup import RENDERER_VERSION

from . import convert, php
from .framework import Batch, Context, Step, Upsert

BOARD_KINDS = {"group": Board.Kind.CATEGORY, "forum": Board.Kind.BOARD, "sub": Board.Kind.SUB}

# forumfield permission list -> our BoardPermission fields
PERMISSION_LISTS = {
    "viewperm": ("can_view", "can_read"),
    "postperm": ("can_post",),
    "replyperm": ("can_reply",),
    "getattachperm": ("can_download", "can_view_images"),
    "postattachperm": ("can_upload",),
}


class BoardsStep(Step):
    name = "boards"
    title = "boards"
    table = "forum_forum f"
    joins = "LEFT JOIN {t.forum_forumfield} ff ON ff.fid = f.fid"
    columns = (
        "f.fid, f.fup, f.type, f.name, f.status, f.displayorder, f.allowsmilies, f.allowbbcode,"
        " f.allowimgcode, f.modnewposts, f.jammer, ff.fid AS field_fid, ff.description, ff.rules,"
        " ff.threadtypes, ff.password, ff.redirect, ff.viewperm, ff.postperm, ff.replyperm,"
        " ff.getattachperm, ff.postattachperm, ff.postimageperm"
    )
    key = "f.fid"
    batch_size = 0  # the whole tree at once: parents may have higher ids than their children

    def required_tables(self) -> list[str]:
        return ["forum_forum", "forum_forumfield"]

    def write(self, batch: Batch, ctx: Context) -> None:
        rows = []
        for row in batch.rows:
            if row["status"] == 3:
                batch.skip(row["fid"], "a 群组 (member group) forum: groups are not imported")
                continue
            kind = row["type"].decode() if isinstance(row["type"], bytes) else row["type"]
            if kind not in BOARD_KINDS:
                batch.skip(row["fid"], f"unknown forum type {kind!r}")
                continue
            rows.append(row)
        fids = {row["fid"] for row in rows}
        boards = []
        for row in rows:
            fid = row["fid"]
            parent = row["fup"] or None
            if parent is not None and parent not in fids:
                batch.change(fid, f"parent forum {parent} is missing: placed at the top")
                parent = None
            if row.get("field_fid") is None:
                batch.change(fid, "no pre_forum_forumfield row: description and permissions empty")
            if batch.text(row, "password", fid):
                batch.change(fid, "password-protected board imported without its password")
            if batch.text(row, "redirect", fid):
                batch.change(fid, "redirect board (link to another site) imported as a board")
            name = convert.strip_tags(batch.text(row, "name", fid))[:80] or f"#{fid}"
            board = Board(
                id=fid,
                parent_id=parent,
                kind=BOARD_KINDS[row["type"].decode()],
                name=name,
                description=batch.text(row, "description", fid),
                rules=batch.text(row, "rules", fid),
                display_order=max(-32768, min(32767, row["displayorder"] or 0)),
                is_visible=row["status"] == 1,
                jammer=bool(row["jammer"]),
                review_posts=row["modnewposts"] if row["modnewposts"] in (0, 1, 2) else 0,
                allow_smilies=bool(row["allowsmilies"]),
                allow_bbcode=bool(row["allowbbcode"]),
                allow_images=bool(row["allowimgcode"]),
            )
            self._thread_type_settings(board, batch, row)
            boards.append(board)
        Board.objects.bulk_create(
            boards,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[
                "parent", "kind", "name", "description", "rules", "display_order", "is_visible",
                "jammer", "review_posts", "allow_smilies", "allow_bbcode", "allow_images",
                "thread_types_enabled", "thread_types_required", "thread_types_listable",
                "thread_types_prefix",
            ],
        )  # fmt: skip
        batch.imported = len(boards)
        self._permissions(batch, rows)

    def _thread_type_settings(self, board: Board, batch: Batch, row: dict[str, Any]) -> None:
        raw = row.get("threadtypes")
        if not raw:
            return
        try:
            value, repaired = php.loads_reporting(raw, lenient=True)
        except php.PHPSerializeError as exc:
            batch.change(
                board.pk, "broken threadtypes setting (serialized PHP): types off", str(exc)
            )
            return
        if repaired:
            batch.change(board.pk, "threadtypes setting repaired (wrong string lengths)")
        if not isinstance(value, dict):
            return
        board.thread_types_enabled = bool(value.get("status"))
        board.thread_types_required = bool(value.get("required"))
        board.thread_types_listable = bool(value.get("listable"))
        prefix = value.get("prefix", 1)
        board.thread_types_prefix = prefix if prefix in (0, 1, 2) else 1

    def _permissions(self, batch: Batch, rows: list[dict[str, Any]]) -> None:
        group_ids = sorted(UserGroup.objects.values_list("id", flat=True))
        BoardPermission.objects.filter(board_id__in=[r["fid"] for r in rows]).delete()
        perms = []
        for row in rows:
            fid = row["fid"]
            lists = {
                c: convert.permission_groups(batch.text(row, c, fid)) for c in PERMISSION_LISTS
            }
            images = convert.permission_groups(batch.text(row, "postimageperm", fid))
            if lists["postattachperm"] is None and images is not None:
                lists["postattachperm"] = images  # one upload permission covers files and images
            if all(v is None for v in lists.values()):
                continue
            unknown = set().union(*(v for v in lists.values() if v)) - set(group_ids)
            if unknown:
                batch.change(fid, f"permissions name missing groups {sorted(unknown)}: ignored")
            for gid in group_ids:
                values: dict[str, bool | None] = {}
                for column, fields in PERMISSION_LISTS.items():
                    allowed = lists[column]
                    for f in fields:
                        values[f] = None if allowed is None else gid in allowed
                perms.append(BoardPermission(board_id=fid, group_id=gid, **values))
        BoardPermission.objects.bulk_create(perms)

    def finish(self, ctx: Context) -> None:
        from fupan.permissions.core import purge_board_overrides

        purge_board_overrides()


class ThreadTypesStep(Step):
    name = "thread_types"
    title = "thread types"
    table = "forum_threadclass c"
    columns = "c.typeid, c.fid, c.name, c.displayorder, c.moderators"
    key = "c.typeid"

    def write(self, batch: Batch, ctx: Context) -> None:
        boards = set(
            Board.objects.filter(pk__in={r["fid"] for r in batch.rows}).values_list("pk", flat=True)
        )
        types = []
        for row in batch.rows:
            if row["fid"] not in boards:
                batch.skip(row["typeid"], f"board {row['fid']} not imported")
                continue
            types.append(
                ThreadType(
                    id=row["typeid"],
                    board_id=row["fid"],
                    name=convert.strip_tags(batch.text(row, "name", row["typeid"]))[:40]
                    or f"#{row['typeid']}",
                    display_order=max(-32768, min(32767, row["displayorder"] or 0)),
                    moderators_only=bool(row["moderators"]),
                )
            )
        ThreadType.objects.bulk_create(
            types,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["board", "name", "display_order", "moderators_only"],
        )
        batch.imported = len(types)


class ModeratorsStep(Step):
    name = "moderators"
    title = "moderators"
    table = "forum_moderator m"
    columns = "m.uid, m.fid, m.displayorder"
    key = "(m.fid * 16777216 + m.uid)"  # (fid, uid) is the key; uids are mediumint
    batch_size = 0

    def write(self, batch: Batch, ctx: Context) -> None:
        boards = set(Board.objects.values_list("pk", flat=True))
        users = set(
            User.objects.filter(pk__in={r["uid"] for r in batch.rows}).values_list("pk", flat=True)
        )
        links = []
        for row in batch.rows:
            key = f"{row['fid']}:{row['uid']}"
            if row["fid"] not in boards:
                batch.skip(key, f"board {row['fid']} not imported")
            elif row["uid"] not in users:
                batch.skip(key, f"member {row['uid']} not imported")
            else:
                links.append(
                    BoardModerator(
                        board_id=row["fid"],
                        user_id=row["uid"],
                        display_order=max(-32768, min(32767, row["displayorder"] or 0)),
                    )
                )
        BoardModerator.objects.bulk_create(
            links,
            update_conflicts=True,
            unique_fields=["board", "user"],
            update_fields=["display_order"],
        )
        batch.imported = len(links)


THREAD_COLUMNS = [
    "id", "board_id", "type_id", "title", "author_id", "author_name", "created_at", "state",
    "sticky", "digest", "highlight", "closed", "redirect_to_id", "has_attachments", "has_images",
    "replies", "views", "max_position", "last_post_at", "last_poster_name",
]  # fmt: skip
THREAD_STATES = {-1: Thread.State.RECYCLED, -2: Thread.State.PENDING, -3: Thread.State.PENDING}


class ThreadsStep(Step):
    name = "threads"
    title = "threads"
    table = "forum_thread t"
    columns = (
        "t.tid, t.fid, t.typeid, t.author, t.authorid, t.subject, t.dateline, t.lastpost,"
        " t.lastposter, t.views, t.replies, t.displayorder, t.highlight, t.digest, t.closed,"
        " t.attachment, t.special, t.maxposition"
    )
    key = "t.tid"
    since = "t.lastpost >= %s"  # new threads and threads with new replies

    def prepare(self, ctx: Context) -> None:
        ctx.cache["board_ids"] = set(Board.objects.values_list("pk", flat=True))
        ctx.cache["type_ids"] = dict(ThreadType.objects.values_list("pk", "board_id"))

    def write(self, batch: Batch, ctx: Context) -> None:
        boards: set[int] = ctx.cache["board_ids"]
        types: dict[int, int] = ctx.cache["type_ids"]
        authors = _existing_users(r["authorid"] for r in batch.rows)
        threads = []
        for row in batch.rows:
            tid = row["tid"]
            order = row["displayorder"]
            if row["fid"] not in boards:
                batch.skip(tid, f"board {row['fid']} not imported")
                continue
            if order == -4:
                batch.skip(tid, "a draft (never published)")
                continue
            if order < -4:
                batch.skip(tid, f"unknown displayorder {order}")
                continue
            type_id = row["typeid"] or None
            if type_id is not None and types.get(type_id) != row["fid"]:
                batch.change(tid, f"thread type {type_id} is not one of its board's: none")
                type_id = None
            title = batch.text(row, "subject", tid).strip()
            if not title:
                batch.change(tid, "empty title")
                title = "-"
            color, styled = convert.highlight_color(row["highlight"])
            if styled:
                batch.change(tid, "highlight bold/italic/underline not kept (colour only)")
            if row["special"]:
                batch.change(
                    tid, f"special thread (kind {row['special']}): imported as a plain thread"
                )
            created = convert.to_datetime(row["dateline"])
            if created is None:
                batch.change(tid, "no date: set to the last post's date or 1970")
                created = convert.to_datetime(row["lastpost"]) or convert.to_datetime(1)
            author_id = row["authorid"] if row["authorid"] in authors else None
            author_name = batch.text(row, "author", tid)
            if not author_name and row["authorid"]:
                author_name, author_id = convert.ANONYMOUS_NAME, None
            threads.append(
                (
                    tid, row["fid"], type_id, title[:255], author_id, (author_name or "guest")[:32],
                    created, THREAD_STATES.get(order, Thread.State.VISIBLE),
                    min(order, 3) if order > 0 else 0, max(0, min(3, row["digest"] or 0)), color,
                    bool(row["closed"]), row["closed"] if row["closed"] > 1 else None,
                    bool(row["attachment"]), row["attachment"] == 2, row["replies"] or 0,
                    row["views"] or 0, row["maxposition"] or 0,
                    convert.to_datetime(row["lastpost"]) or created,
                    batch.text(row, "lastposter", tid)[:32],
                )
            )  # fmt: skip
        if "upsert_threads" not in ctx.cache:
            ctx.cache["upsert_threads"] = Upsert(Thread, THREAD_COLUMNS)
        ctx.cache["upsert_threads"](threads)
        batch.imported = len(threads)


POST_STATES = {
    0: Post.State.VISIBLE,
    -1: Post.State.VISIBLE,  # its thread is in the recycle bin: the thread's state says so
    -2: Post.State.PENDING,
    -3: Post.State.PENDING,  # ignored by a moderator / reply to a draft: still not public
    -5: Post.State.DELETED,
}


PARALLEL_MIN_POSTS = 20_000  # below this, a worker process costs more than it saves
POST_COLUMNS = [
    "id", "thread_id", "position", "is_first", "author_id", "author_name", "body", "html",
    "html_version", "created_at", "edited_at", "client", "ip", "state", "hidden", "warned",
    "smilies_off", "bbcode_off", "has_attachments",
]  # fmt: skip


class PostsStep(Step):
    """``pre_forum_post`` or one of its split tables ``pre_forum_post_N``."""

    title = "posts"
    columns = (
        "p.pid, p.tid, p.first, p.author, p.authorid, p.dateline, p.lastupdate, p.message,"
        " p.useip, p.invisible, p.anonymous, p.htmlon, p.bbcodeoff, p.smileyoff, p.attachment,"
        " p.status, p.position"
    )
    key = "p.pid"
    since = "p.dateline >= %s"

    def __init__(self, table: str = "forum_post") -> None:
        self.table = f"{table} p"
        self.name = "posts" if table == "forum_post" else f"posts_{table.rsplit('_', 1)[1]}"
        self.title = "posts" if table == "forum_post" else f"posts ({table})"

    def prepare(self, ctx: Context) -> None:
        if "boards" not in ctx.cache:
            ctx.cache["boards"] = {b.pk: b for b in Board.objects.all()}
        self.pool = None
        if ctx.parallel and self.count(ctx) >= PARALLEL_MIN_POSTS:
            self.pool = ctx.worker_pool()

    def ahead(self, rows: list[dict[str, Any]], ctx: Context) -> Any:
        """Bodies rendered by the worker process while the previous batch is written."""
        if getattr(self, "pool", None) is None:
            return None
        from .workers import render_many

        boards: dict[int, Board] = ctx.cache["boards"]
        thread_boards = dict(
            Thread.objects.filter(pk__in={r["tid"] for r in rows}).values_list("pk", "board_id")
        )
        pids, items = [], []
        for row in rows:
            board_id = thread_boards.get(row["tid"])
            if board_id is None:
                continue
            body = convert.strip_special_data(convert.decode_text(row.get("message"))[0])
            options = markup_options(
                boards[board_id],
                bbcode_off=row["bbcodeoff"] == 1,
                smilies_off=bool(row["smileyoff"]),
            )
            pids.append(row["pid"])
            items.append((body, options))
        return pids, self.pool.submit(render_many, items)

    def write(self, batch: Batch, ctx: Context) -> None:
        boards: dict[int, Board] = ctx.cache["boards"]
        rendered: dict[int, str] = {}
        if batch.ahead is not None:
            pids, future = batch.ahead
            rendered = dict(zip(pids, future.result(), strict=True))
        tids = {r["tid"] for r in batch.rows}
        threads = {
            t[0]: t
            for t in Thread.objects.filter(pk__in=tids).values_list("pk", "board_id", "created_at")
        }
        authors = _existing_users(r["authorid"] for r in batch.rows)
        ids = [r["pid"] for r in batch.rows]
        floors = {
            (t, pos): pk
            for pk, t, pos in Post.objects.filter(
                thread_id__in=tids, position__in={r["position"] for r in batch.rows}
            ).values_list("pk", "thread_id", "position")
        }
        posts = []
        for row in batch.rows:
            pid, tid = row["pid"], row["tid"]
            if tid not in threads:
                batch.skip(pid, f"thread {tid} missing or not imported (orphan post)")
                continue
            position = row["position"]
            if not position:
                batch.skip(pid, "no floor number (position 0)")
                continue
            holder = floors.get((tid, position))
            if holder is not None and holder != pid:
                batch.skip(pid, f"floor {position} of thread {tid} already taken by post {holder}")
                continue
            floors[(tid, position)] = pid
            invisible = row["invisible"]
            if invisible not in POST_STATES:
                batch.change(pid, f"unknown invisible value {invisible}: imported as visible")
            body = convert.strip_special_data(batch.text(row, "message", pid))
            created = convert.to_datetime(row["dateline"])
            if created is None:
                batch.change(pid, "no date: set to its thread's date")
                created = threads[tid][2]
            edited = convert.to_datetime(row["lastupdate"])
            author_id = row["authorid"] if row["authorid"] in authors else None
            author_name = batch.text(row, "author", pid)
            if row["anonymous"] or (not author_name and row["authorid"]):
                author_name, author_id = convert.ANONYMOUS_NAME, None
            if row["htmlon"]:
                batch.change(pid, "HTML post: shown as Discuz code")
            board = boards[threads[tid][1]]
            bbcode_off, smilies_off = bool(row["bbcodeoff"] == 1), bool(row["smileyoff"])
            status = row["status"] or 0
            posts.append(
                (
                    pid, tid, position, bool(row["first"]), author_id,
                    (author_name or "guest")[:32], body,
                    rendered.get(pid)
                    or render_body(body, board, bbcode_off=bbcode_off, smilies_off=smilies_off),
                    RENDERER_VERSION, created, edited if edited and edited > created else None,
                    convert.post_client(status), convert.clean_ip(batch.text(row, "useip", pid)),
                    POST_STATES.get(invisible, Post.State.VISIBLE), bool(status & 1),
                    bool(status & 2), smilies_off, bbcode_off, bool(row["attachment"]),
                )
            )  # fmt: skip
        del ids
        if "upsert_posts" not in ctx.cache:
            ctx.cache["upsert_posts"] = Upsert(Post, POST_COLUMNS)
        ctx.cache["upsert_posts"](posts)
        batch.imported = len(posts)


def _existing_users(ids: Any) -> set[int]:
    wanted = {i for i in ids if i}
    if not wanted:
        return set()
    return set(User.objects.filter(pk__in=wanted).values_list("pk", flat=True))


def post_tables(ctx: Context) -> list[str]:
    """``forum_post`` and the split tables ``forum_post_1`` … that exist."""
    split = sorted(
        (t for t in ctx.source.tables() if t.startswith("forum_post_") and t[11:].isdigit()),
        key=lambda t: int(t[11:]),
    )
    return ["forum_post", *split]
