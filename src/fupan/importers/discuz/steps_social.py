"""What members did around the posts: 支持/反对 votes (``pre_forum_hotreply_*``), thread 顶/踩
counts, ratings (评分, ``pre_forum_ratelog``), the credit log (``pre_common_credit_log``),
favourites (``pre_home_favorite``), notifications (``pre_home_notification``) and reports
(``pre_common_report``). They run after the posts, whose ids they point at.

Credits: ratings and credit-log rows become ledger rows marked ``imported`` — the members'
imported balances already include them, so no balance changes; what the balances were after
each of them is unknown. Votes, favourites and notifications update their counters from the rows
(``synchronize_*``) inside each batch."""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.utils import timezone

from fupan.accounts.credits import REASON_ADMIN, REASON_BUY_ITEM, REASON_RATE
from fupan.accounts.models import CreditLedger, User
from fupan.forum.models import Board, Post, PostVote, Thread, ThreadRecommend
from fupan.forum.synchronize import synchronize_post_votes
from fupan.inbox.models import Favorite, Notification
from fupan.inbox.synchronize import synchronize_favorites, synchronize_notifications
from fupan.moderation.models import Report

from . import convert
from .framework import Batch, Context, Step, Upsert
from .links import Lookup, resolve_legacy


class GroupedStep(Step):
    """A table without a unique integer key, batched by a non-unique one (``pid``, ``tid``): a
    batch always holds every row of the keys it reaches, so ``key > last`` resumes exactly."""

    order = ""  # more ORDER BY columns within one key

    def fetch(self, ctx: Context, last_key: int, limit: int) -> list[dict[str, Any]]:
        conds, params = self._conditions(ctx, last_key)
        where = " AND ".join(conds)
        if limit:
            bound = ctx.source.query(
                f"SELECT {self.key} AS k {self._from(ctx, joins=False)} WHERE {where}"
                f" ORDER BY {self.key} LIMIT 1 OFFSET %s",
                [*params, limit - 1],
            )
            if bound:
                where += f" AND {self.key} <= %s"
                params.append(bound[0]["k"])
        order = f"{self.key}, {self.order}" if self.order else self.key
        return ctx.source.query(
            f"SELECT {self.key} AS _key, {self._fmt(ctx, self.columns)}"
            f" {self._from(ctx, joins=True)} WHERE {where} ORDER BY {order}",
            params,
        )


def _existing(model: Any, ids: Any) -> set[int]:
    wanted = {i for i in ids if i}
    if not wanted:
        return set()
    return set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))


def _note(ctx: Context, text: str) -> None:
    """A line for the report's notes (read by ``run_import``)."""
    notes: list[str] = ctx.cache.setdefault("notes", [])
    if text not in notes:
        notes.append(text)


# 支持/反对 --------------------------------------------------------------------------------------


class PostVotesStep(GroupedStep):
    name = "post_votes"
    title = "post votes"
    table = "forum_hotreply_member v"
    columns = "v.tid, v.pid, v.uid, v.attitude"
    key = "v.pid"
    order = "v.uid"

    def write(self, batch: Batch, ctx: Context) -> None:
        pids = {r["pid"] for r in batch.rows}
        posts = dict(Post.objects.filter(pk__in=pids).values_list("pk", "thread_id"))
        users = _existing(User, (r["uid"] for r in batch.rows))
        votes = []
        for row in batch.rows:
            pid, uid = row["pid"], row["uid"]
            key = f"{pid}:{uid}"
            if pid not in posts:
                batch.skip(key, f"post {pid} missing or not imported")
                continue
            if uid not in users:
                batch.skip(key, f"member {uid} not imported")
                continue
            if row["attitude"] not in (0, 1):
                batch.skip(key, f"unknown attitude {row['attitude']}")
                continue
            if row["tid"] != posts[pid]:
                batch.change(key, f"thread {row['tid']} is not the post's: thread {posts[pid]}")
            value = PostVote.Value.SUPPORT if row["attitude"] == 1 else PostVote.Value.OPPOSE
            votes.append((pid, uid, posts[pid], value))
        if "upsert_votes" not in ctx.cache:
            ctx.cache["upsert_votes"] = Upsert(
                PostVote, ["post_id", "user_id", "thread_id", "value"], key=("post_id", "user_id")
            )
        ctx.cache["upsert_votes"](votes)
        batch.imported = len(votes)
        # Every vote of these posts is in this batch: their counters are final.
        synchronize_post_votes(sorted(posts))


class PostVoteCountsStep(Step):
    """Discuz's own counts (``pre_forum_hotreply_number``) against the imported votes: the posts
    keep what the votes give; where Discuz said otherwise, the report says so."""

    name = "post_vote_counts"
    title = "post vote counts"
    table = "forum_hotreply_number n"
    columns = "n.pid, n.tid, n.support, n.against, n.total"
    key = "n.pid"

    def write(self, batch: Batch, ctx: Context) -> None:
        counts = {
            pk: (s, o)
            for pk, s, o in Post.objects.filter(pk__in={r["pid"] for r in batch.rows}).values_list(
                "pk", "support", "oppose"
            )
        }
        for row in batch.rows:
            pid = row["pid"]
            if pid not in counts:
                batch.skip(pid, f"post {pid} missing or not imported")
                continue
            batch.imported += 1
            ours = counts[pid]
            if ours != (row["support"], row["against"]):
                batch.change(
                    pid,
                    "vote counts differ from the votes: the votes' counts kept",
                    f"Discuz {row['support']} support / {row['against']} against, "
                    f"votes {ours[0]} / {ours[1]}",
                )


# 顶/踩 ------------------------------------------------------------------------------------------


class ThreadRecommendsStep(Step):
    """Thread ``recommend_add``/``recommend_sub`` → ``Thread.recommend_add/recommend_sub`` (who
    voted: MemberRecommendsStep)."""

    name = "thread_recommends"
    title = "thread 顶/踩"
    table = "forum_thread t"
    columns = "t.tid, t.recommend_add, t.recommend_sub"
    key = "t.tid"
    where = "(t.recommend_add > 0 OR t.recommend_sub > 0)"

    def write(self, batch: Batch, ctx: Context) -> None:
        existing = _existing(Thread, (r["tid"] for r in batch.rows))
        threads = []
        for row in batch.rows:
            if row["tid"] not in existing:
                batch.skip(row["tid"], f"thread {row['tid']} missing or not imported")
                continue
            threads.append(
                Thread(
                    pk=row["tid"],
                    recommend_add=max(0, row["recommend_add"] or 0),
                    recommend_sub=max(0, row["recommend_sub"] or 0),
                )
            )
        Thread.objects.bulk_update(threads, ["recommend_add", "recommend_sub"])
        batch.imported = len(threads)


class MemberRecommendsStep(GroupedStep):
    """Who 顶/踩'd a thread (``pre_forum_memberrecommend``): Discuz keeps only who, not which way,
    so each becomes a ThreadRecommend of value 0 — the member cannot vote on it again, and the
    counts stay Discuz's (ThreadRecommendsStep)."""

    name = "member_recommends"
    title = "thread 顶/踩 members"
    table = "forum_memberrecommend r"
    columns = "r.tid, r.recommenduid, r.dateline"
    key = "r.tid"
    order = "r.recommenduid"
    since = "r.dateline >= %s"

    def write(self, batch: Batch, ctx: Context) -> None:
        threads = _existing(Thread, (r["tid"] for r in batch.rows))
        users = _existing(User, (r["recommenduid"] for r in batch.rows))
        rows = []
        for row in batch.rows:
            tid, uid = row["tid"], row["recommenduid"]
            key = f"{tid}:{uid}"
            if tid not in threads:
                batch.skip(key, f"thread {tid} missing or not imported")
                continue
            if uid not in users:
                batch.skip(key, f"member {uid} not imported")
                continue
            rows.append(
                (tid, uid, ThreadRecommend.Value.IMPORTED,
                 convert.to_datetime(row["dateline"]) or timezone.now())
            )  # fmt: skip
        if "upsert_recommends" not in ctx.cache:
            # A vote cast in Fupan since (a --since run) is kept as it is.
            ctx.cache["upsert_recommends"] = Upsert(
                ThreadRecommend,
                ["thread_id", "user_id", "value", "created_at"],
                key=("thread_id", "user_id"),
                update=[],
            )
        ctx.cache["upsert_recommends"](rows)
        batch.imported = len(rows)


# Credits ----------------------------------------------------------------------------------------


def _signature(entry: CreditLedger) -> tuple[Any, ...]:
    return (
        entry.user_id,
        entry.reason,
        entry.created_at,
        entry.extcredits1,
        entry.extcredits2,
        entry.extcredits3,
        entry.post_id,
        entry.thread_id,
    )


def _new_entries(entries: list[CreditLedger], **lookup: Any) -> list[CreditLedger]:
    """The entries not imported already (a ``--since`` run reads rows again; the ledger has no
    Discuz id to update on)."""
    if not entries:
        return []
    have = Counter(
        _signature(e)
        for e in CreditLedger.objects.filter(
            imported=True, user_id__in={e.user_id for e in entries}, **lookup
        )
    )
    fresh = []
    for entry in entries:
        sig = _signature(entry)
        if have[sig]:
            have[sig] -= 1
        else:
            fresh.append(entry)
    return fresh


class RatingsStep(GroupedStep):
    """评分: one ledger row for the rated member per ``pre_forum_ratelog`` row (reason "rate", the
    rater as ``acting_user``, the rater's reason as text). No tid in the table: the post says."""

    name = "ratings"
    title = "ratings"
    table = "forum_ratelog r"
    columns = "r.pid, r.uid, r.username, r.extcredits, r.dateline, r.score, r.reason"
    key = "r.pid"
    order = "r.dateline, r.uid"
    since = "r.dateline >= %s"

    def write(self, batch: Batch, ctx: Context) -> None:
        pids = {r["pid"] for r in batch.rows}
        posts = {
            pk: (thread_id, author_id, board_id, created)
            for pk, thread_id, author_id, board_id, created in Post.objects.filter(
                pk__in=pids
            ).values_list("pk", "thread_id", "author_id", "thread__board_id", "created_at")
        }
        raters = _existing(User, (r["uid"] for r in batch.rows))
        entries = []
        for row in batch.rows:
            pid, uid = row["pid"], row["uid"]
            key = f"{pid}:{uid}:{row['dateline']}"
            n, score = row["extcredits"], row["score"] or 0
            if pid not in posts:
                batch.skip(key, f"post {pid} missing or not imported: the rated member is unknown")
                continue
            thread_id, author_id, board_id, created = posts[pid]
            if author_id is None:
                batch.skip(key, "the rated post has no member author (guest, anonymous or gone)")
                continue
            if n not in (1, 2, 3):
                batch.skip(key, f"extcredits{n}: Fupan keeps extcredits1-3 only")
                continue
            if not score:
                batch.skip(key, "a rating of 0")
                continue
            rater = uid if uid in raters else None
            if rater is None:
                batch.change(key, f"rater {uid} not imported: kept without them")
            reason = batch.text(row, "reason", key).strip()
            entries.append(
                CreditLedger(
                    user_id=author_id,
                    acting_user_id=rater,
                    **{f"extcredits{n}": score},
                    reason=REASON_RATE,
                    text=reason[:200],
                    thread_id=thread_id,
                    post_id=pid,
                    board_id=board_id,
                    created_at=convert.to_datetime(row["dateline"]) or created,
                    imported=True,
                )
            )
        fresh = _new_entries(entries, reason=REASON_RATE, post_id__in=pids)
        CreditLedger.objects.bulk_create(fresh)
        batch.imported = len(entries)


# pre_common_credit_log.operation → our ledger reason, where we have one.
CREDIT_LOG_REASONS = {"RPR": REASON_ADMIN, "RPZ": REASON_ADMIN, "BMC": REASON_BUY_ITEM}
# Discuz's own names (lang_spacecp logs_credit_update_*), kept as the row's text when the log has
# no title of its own.
CREDIT_LOG_NAMES = {
    "TRC": "任务奖励",
    "RTC": "发表悬赏主题",
    "RAC": "最佳答案",
    "MRC": "道具随机获取",
    "TFR": "积分转账转出",
    "RCV": "积分转账接收",
    "CEC": "积分兑换",
    "ECU": "UCenter积分兑换支出",
    "SAC": "出售附件",
    "BAC": "购买附件",
    "PRC": "帖子被评分",
    "RSC": "评分帖子",
    "STC": "出售主题",
    "BTC": "购买主题",
    "AFD": "购买积分",
    "UGP": "购买扩展用户组",
    "RPC": "举报奖惩",
    "ACC": "参与活动",
    "RCT": "回帖奖励",
    "RCA": "回帖中奖",
    "RCB": "返还回帖奖励积分",
    "CDC": "卡密充值",
    "RKC": "竞价排名",
    "BME": "购买勋章",
    "RPR": "后台积分奖惩",
    "RPZ": "后台积分奖惩清零",
    "FCP": "付费版块",
    "BGR": "创建群组",
    "BMC": "购买道具",
}
# Operations whose relatedid is a thread.
THREAD_OPERATIONS = {"RTC", "RAC", "STC", "BTC", "ACC", "RCT", "RCA", "RCB", "PRC", "RSC"}


class CreditLogStep(Step):
    name = "credit_log"
    title = "credit log"
    table = "common_credit_log c"
    columns = (
        "c.logid, c.uid, c.operation, c.relatedid, c.dateline, c.extcredits1, c.extcredits2,"
        " c.extcredits3, c.extcredits4, c.extcredits5, c.extcredits6, c.extcredits7,"
        " c.extcredits8,"
        " (SELECT f.title FROM {t.common_credit_log_field} f WHERE f.logid = c.logid LIMIT 1)"
        " AS field_title,"
        " (SELECT f.text FROM {t.common_credit_log_field} f WHERE f.logid = c.logid LIMIT 1)"
        " AS field_text"
    )
    key = "c.logid"
    since = "c.dateline >= %s"

    def required_tables(self) -> list[str]:
        return ["common_credit_log", "common_credit_log_field"]

    def prepare(self, ctx: Context) -> None:
        ctx.cache["ratings_imported"] = ctx.source.has_table("forum_ratelog")

    def write(self, batch: Batch, ctx: Context) -> None:
        users = _existing(User, (r["uid"] for r in batch.rows))
        threads = _existing(
            Thread,
            (
                r["relatedid"]
                for r in batch.rows
                if batch.text(r, "operation", r["logid"]).strip() in THREAD_OPERATIONS
            ),
        )
        entries = []
        for row in batch.rows:
            logid = row["logid"]
            op = batch.text(row, "operation", logid).strip()
            if op == "PRC" and ctx.cache["ratings_imported"]:
                batch.skip(logid, "a rating (PRC): imported from pre_forum_ratelog with its rater")
                continue
            if row["uid"] not in users:
                batch.skip(logid, f"member {row['uid']} not imported")
                continue
            deltas = {n: row[f"extcredits{n}"] or 0 for n in range(1, 9)}
            dropped = {n: v for n, v in deltas.items() if n > 3 and v}
            if not any(deltas[n] for n in (1, 2, 3)):
                if dropped:
                    batch.skip(logid, "changes extcredits4-8 only (not kept)")
                else:
                    batch.skip(logid, "changes nothing")
                continue
            if dropped:
                batch.change(
                    logid,
                    "extcredits4-8 part dropped",
                    ", ".join(f"extcredits{n} {v:+d}" for n, v in dropped.items()),
                )
            title = convert.strip_tags(batch.text(row, "field_title", logid))
            detail = convert.strip_tags(batch.text(row, "field_text", logid))
            text = ": ".join(t for t in (title, detail) if t) or CREDIT_LOG_NAMES.get(op, "")
            reason = CREDIT_LOG_REASONS.get(op, op or "discuz")
            if op not in CREDIT_LOG_REASONS and op not in CREDIT_LOG_NAMES:
                batch.change(logid, f"operation {op!r} has no Fupan reason: kept as its code")
            related = row["relatedid"] or None
            entries.append(
                CreditLedger(
                    user_id=row["uid"],
                    extcredits1=deltas[1],
                    extcredits2=deltas[2],
                    extcredits3=deltas[3],
                    reason=reason[:48],
                    text=text[:200],
                    thread_id=related if op in THREAD_OPERATIONS and related in threads else None,
                    created_at=convert.to_datetime(row["dateline"]) or timezone.now(),
                    imported=True,
                )
            )
        times = {e.created_at for e in entries}
        fresh = _new_entries(entries, created_at__in=times, post_id=None)
        CreditLedger.objects.bulk_create(fresh)
        batch.imported = len(entries)


# 收藏 -------------------------------------------------------------------------------------------

FAVORITE_TARGETS = {"tid": "thread", "fid": "board"}


class FavoritesStep(Step):
    name = "favorites"
    title = "favourites"
    table = "home_favorite f"
    columns = "f.favid, f.uid, f.id, f.idtype, f.title, f.description, f.dateline"
    key = "f.favid"
    since = "f.dateline >= %s"

    def write(self, batch: Batch, ctx: Context) -> None:
        rows = batch.rows
        kinds = {r["favid"]: batch.text(r, "idtype", r["favid"]).strip() for r in rows}
        users = _existing(User, (r["uid"] for r in rows))
        threads = _existing(Thread, (r["id"] for r in rows if kinds[r["favid"]] == "tid"))
        boards = _existing(Board, (r["id"] for r in rows if kinds[r["favid"]] == "fid"))
        taken = {
            (uid, "thread" if t else "board", t or b): pk
            for pk, uid, t, b in Favorite.objects.filter(user_id__in=users).values_list(
                "pk", "user_id", "thread_id", "board_id"
            )
        }
        favorites = []
        for row in rows:
            favid, uid, target = row["favid"], row["uid"], row["id"]
            kind = FAVORITE_TARGETS.get(kinds[favid])
            if kind is None:
                batch.skip(favid, f"a favourite {kinds[favid] or '(no type)'}: not applicable")
                continue
            if uid not in users:
                batch.skip(favid, f"member {uid} not imported")
                continue
            if target not in (threads if kind == "thread" else boards):
                batch.skip(favid, f"{kind} {target} missing or not imported")
                continue
            holder = taken.get((uid, kind, target))
            if holder is not None and holder != favid:
                batch.skip(favid, f"the member keeps this {kind} already (favourite {holder})")
                continue
            taken[(uid, kind, target)] = favid
            favorites.append(
                Favorite(
                    id=favid,
                    user_id=uid,
                    thread_id=target if kind == "thread" else None,
                    board_id=target if kind == "board" else None,
                    note=convert.strip_tags(batch.text(row, "description", favid))[:255],
                    created_at=convert.to_datetime(row["dateline"]) or timezone.now(),
                )
            )
        Favorite.objects.bulk_create(
            favorites,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["user", "thread", "board", "note", "created_at"],
        )
        batch.imported = len(favorites)
        synchronize_favorites(sorted({f.thread_id for f in favorites if f.thread_id}))


# 提醒 -------------------------------------------------------------------------------------------

_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']?([^"'\s>]+)""", re.I)
_BREAKS = re.compile(r"<br\s*/?>|</(?:p|div|blockquote)>", re.I)

# Why a Discuz notification type has no Fupan counterpart (those not named: "no counterpart").
NOTIFICATION_SKIPS = {
    "pcomment": "点评 (post comments): Fupan has no post comments",
    "system": "a system notice (free text): Fupan's system notices come from its moderation log",
    "report": "a notice to moderators about a report: Fupan's report queue replaces it",
    "friend": "friends: Fupan has no friends",
    "follow": "广播 following of members: Fupan has none",
    "wall": "a wall message (留言): Fupan has no walls",
    "blog": "blogs: Fupan has no blogs",
    "doing": "doings (记录): Fupan has none",
    "pic": "albums: Fupan has none",
    "sharenotice": "shares (分享): Fupan has none",
    "poke": "pokes (打招呼): Fupan has none",
}


def plain_text(note: str) -> str:
    """A notification's HTML as one line of text."""
    text = convert.strip_tags(_BREAKS.sub(" ", note or ""))
    return " ".join(text.replace("\xa0", " ").split())


def linked_ids(note: str) -> tuple[int | None, int | None]:
    """(tid, pid) named by the links of a note (the last link naming each wins)."""
    tid = pid = None
    for href in _HREF.findall(note or ""):
        target = _resolve(html.unescape(href))
        if isinstance(target, str):
            if m := re.match(r"/p/(\d+)/", target):
                pid = int(m[1])
            elif m := re.match(r"/t/(\d+)/", target):
                tid = int(m[1])
    return tid, pid


def _resolve(url: str) -> str | Lookup | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return resolve_legacy(parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))


class NotificationsStep(Step):
    """``post`` → reply (``from_idtype`` quote → quote), ``at`` → mention; other types have no
    counterpart and are reported as skipped with the reason."""

    name = "notifications"
    title = "notifications"
    table = "home_notification n"
    columns = (
        "n.id, n.uid, n.type, n.new, n.authorid, n.author, n.note, n.dateline, n.from_id,"
        " n.from_idtype, n.from_num"
    )
    key = "n.id"
    since = "n.dateline >= %s"

    def write(self, batch: Batch, ctx: Context) -> None:
        rows = batch.rows
        users = _existing(User, (v for r in rows for v in (r["uid"], r["authorid"])))
        parsed: dict[int, tuple[str, str, str]] = {}
        for row in rows:
            nid = row["id"]
            parsed[nid] = (
                batch.text(row, "type", nid).strip(),
                batch.text(row, "from_idtype", nid).strip(),
                batch.text(row, "note", nid),
            )
        links = {nid: linked_ids(note) for nid, (_t, _f, note) in parsed.items()}
        posts = dict(
            Post.objects.filter(pk__in={pid for _tid, pid in links.values() if pid}).values_list(
                "pk", "thread_id"
            )
        )
        tids = {tid for tid, _pid in links.values() if tid} | set(posts.values())
        tids |= {r["from_id"] for r in rows if parsed[r["id"]][1] in ("post", "quote")}
        titles = dict(Thread.objects.filter(pk__in=tids).values_list("pk", "title"))
        notes = []
        for row in rows:
            nid = row["id"]
            kind_name, from_type, note = parsed[nid]
            if kind_name == "post":
                kind = Notification.Kind.QUOTE if from_type == "quote" else Notification.Kind.REPLY
            elif kind_name == "at":
                kind = Notification.Kind.MENTION
            else:
                reason = NOTIFICATION_SKIPS.get(kind_name)
                batch.skip(
                    nid, f"type {kind_name!r}: " + (reason or "no counterpart in Fupan"), note[:200]
                )
                continue
            if row["uid"] not in users:
                batch.skip(nid, f"member {row['uid']} not imported")
                continue
            tid, pid = links[nid]
            if pid not in posts:
                pid = None
            if pid is not None:
                tid = posts[pid]
            if tid is None and from_type in ("post", "quote"):
                tid = row["from_id"] or None
            if tid not in titles:
                if tid is not None:
                    batch.change(nid, f"thread {tid} missing or not imported: kept without a link")
                tid = None
            actor = row["authorid"] if row["authorid"] in users else None
            notes.append(
                Notification(
                    id=nid,
                    user_id=row["uid"],
                    kind=kind,
                    actor_id=actor,
                    actor_name=batch.text(row, "author", nid)[:32],
                    count=max(1, row["from_num"] or 0),
                    thread_id=tid,
                    post_id=pid,
                    subject=titles.get(tid, "")[:255],
                    excerpt=plain_text(note)[:200],
                    is_new=bool(row["new"]),
                    created_at=convert.to_datetime(row["dateline"]) or timezone.now(),
                )
            )
        Notification.objects.bulk_create(
            notes,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[
                "user", "kind", "actor", "actor_name", "count", "thread_id", "post_id", "subject",
                "excerpt", "is_new", "created_at",
            ],
        )  # fmt: skip
        batch.imported = len(notes)
        synchronize_notifications(sorted({n.user_id for n in notes}))


# 举报 -------------------------------------------------------------------------------------------

# The reasons of Discuz's report dialog, found in the message.
REPORT_REASONS = {
    "广告垃圾": Report.Reason.SPAM,
    "违规内容": Report.Reason.RULE_BREAKING,
    "恶意灌水": Report.Reason.FLOODING,
    "重复发帖": Report.Reason.DUPLICATE,
    "其他": Report.Reason.OTHER,
}


def report_message(raw: str) -> str:
    """``"alice&nbsp;:&nbsp;广告<br>bob&nbsp;:&nbsp;…"`` → lines of text."""
    text = _BREAKS.sub("\n", raw or "")
    text = convert.strip_tags(text).replace("\xa0", " ")
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


class ReportsStep(Step):
    """A report's target comes from its address: a post (``goto=findpost``), a thread (its first
    post is reported) or a member (``home.php?mod=space``). Handled reports stay resolved, with
    the moderator and Discuz's result as the note."""

    name = "reports"
    title = "reports"
    table = "common_report r"
    columns = (
        "r.id, r.url, r.message, r.uid, r.username, r.dateline, r.num, r.opuid, r.opname,"
        " r.optime, r.opresult, r.fid"
    )
    key = "r.id"
    since = "GREATEST(r.dateline, r.optime) >= %s"  # new reports and reports handled since

    def write(self, batch: Batch, ctx: Context) -> None:
        rows = batch.rows
        targets: dict[int, str | Lookup | None] = {
            r["id"]: _resolve(batch.text(r, "url", r["id"])) for r in rows
        }
        pids, tids, uids, names = set(), set(), set(), set()
        for target in targets.values():
            if isinstance(target, Lookup) and target.kind == "username":
                names.add(str(target.key))
            elif isinstance(target, str):
                if m := re.match(r"/p/(\d+)/", target):
                    pids.add(int(m[1]))
                elif m := re.match(r"/t/(\d+)/", target):
                    tids.add(int(m[1]))
                elif m := re.match(r"/u/(\d+)/\Z", target):
                    uids.add(int(m[1]))
        posts = {
            pk: (thread_id, board_id)
            for pk, thread_id, board_id in Post.objects.filter(pk__in=pids).values_list(
                "pk", "thread_id", "thread__board_id"
            )
        }
        first_posts = {
            thread_id: (pk, board_id)
            for pk, thread_id, board_id in Post.objects.filter(
                thread_id__in=tids, is_first=True
            ).values_list("pk", "thread_id", "thread__board_id")
        }
        members = _existing(User, uids | {v for r in rows for v in (r["uid"], r["opuid"])})
        by_name = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        open_taken = {
            (reporter, kind, target): pk
            for pk, reporter, kind, post, member in Report.objects.filter(
                status=Report.Status.OPEN,
                reporter_id__in={r["uid"] for r in rows},
            ).values_list("pk", "reporter_id", "kind", "post_id", "member_id")
            for target in (post or member,)
        }
        reports = []
        for row in rows:
            rid = row["id"]
            url = batch.text(row, "url", rid).strip()
            target = targets[rid]
            fields: dict[str, Any] = {}
            if isinstance(target, str) and (m := re.match(r"/p/(\d+)/", target)):
                pid = int(m[1])
                if pid not in posts:
                    batch.skip(rid, f"post {pid} missing or not imported", url)
                    continue
                fields = {"kind": Report.Kind.POST, "post_id": pid, "thread_id": posts[pid][0]}
                fields["board_id"] = posts[pid][1]
            elif isinstance(target, str) and (m := re.match(r"/t/(\d+)/", target)):
                tid = int(m[1])
                if tid not in first_posts:
                    batch.skip(rid, f"thread {tid} missing or not imported", url)
                    continue
                pid, board_id = first_posts[tid]
                fields = {"kind": Report.Kind.POST, "post_id": pid, "thread_id": tid}
                fields["board_id"] = board_id
                batch.change(rid, "a thread report: kept as a report of its first post")
            elif isinstance(target, str) and (m := re.match(r"/u/(\d+)/\Z", target)):
                if int(m[1]) not in members:
                    batch.skip(rid, f"member {m[1]} not imported", url)
                    continue
                fields = {"kind": Report.Kind.MEMBER, "member_id": int(m[1])}
            elif isinstance(target, Lookup) and target.kind == "username":
                if target.key not in by_name:
                    batch.skip(rid, f"member {target.key!r} not imported", url)
                    continue
                fields = {"kind": Report.Kind.MEMBER, "member_id": by_name[str(target.key)]}
            else:
                batch.skip(rid, "the address names no post, thread or member in Fupan", url)
                continue
            reporter = row["uid"] if row["uid"] in members else None
            resolved = bool(row["opuid"] or row["optime"])
            if not resolved and reporter is not None:
                key = (reporter, fields["kind"], fields.get("post_id") or fields.get("member_id"))
                holder = open_taken.get(key)
                if holder is not None and holder != rid:
                    batch.skip(rid, f"the member reported this already (report {holder})", url)
                    continue
                open_taken[key] = rid
            message = report_message(batch.text(row, "message", rid))
            if (row["num"] or 1) > 1:
                batch.change(
                    rid, f"reported {row['num']} times: one report, every message in its text"
                )
            result = batch.text(row, "opresult", rid).strip()
            reports.append(
                Report(
                    id=rid,
                    url=url[:500],
                    reason=next((v for k, v in REPORT_REASONS.items() if k in message), ""),
                    message=message,
                    reporter_id=reporter,
                    reporter_name=batch.text(row, "username", rid)[:32],
                    created_at=convert.to_datetime(row["dateline"]) or timezone.now(),
                    status=Report.Status.RESOLVED if resolved else Report.Status.OPEN,
                    outcome=(
                        ""
                        if not resolved
                        else Report.Outcome.NO_ACTION
                        if result in ("", "ignore")
                        else Report.Outcome.HANDLED
                    ),
                    note="" if result == "ignore" else " ".join(result.split("\t")),
                    resolved_by_id=row["opuid"] if row["opuid"] in members else None,
                    resolved_by_name=batch.text(row, "opname", rid)[:32] if resolved else "",
                    resolved_at=convert.to_datetime(row["optime"]) if resolved else None,
                    **fields,
                )
            )
        Report.objects.bulk_create(
            reports,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[
                "kind", "post", "thread", "board", "member", "url", "reason", "message",
                "reporter", "reporter_name", "created_at", "status", "outcome", "note",
                "resolved_by", "resolved_by_name", "resolved_at",
            ],
        )  # fmt: skip
        batch.imported = len(reports)


def social_steps() -> list[Step]:
    """In dependency order, after the posts."""
    return [
        PostVotesStep(),
        PostVoteCountsStep(),
        ThreadRecommendsStep(),
        MemberRecommendsStep(),
        RatingsStep(),
        CreditLogStep(),
        FavoritesStep(),
        NotificationsStep(),
        ReportsStep(),
    ]
