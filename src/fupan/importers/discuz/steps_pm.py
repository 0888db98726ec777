"""Private messages from UCenter: ``pre_ucenter_pm_lists`` (conversations) with their
``pre_ucenter_pm_members``, and the messages in ``pre_ucenter_pm_messages_0..9`` (the table is
``plid % 10``; ``pre_ucenter_pm_indexes`` only maps pmid → plid and is not needed).

UCenter keeps a deleted private message until both members deleted it: ``delstatus`` 1 = the
conversation's founder (``pm_lists.authorid``) deleted it, 2 = the other member did; a member who
deleted the whole conversation also loses their ``pm_members`` row. Our
:class:`~fupan.pm.models.ConversationMember` hides a member's messages up to ``cleared_through``,
so the deleted messages at the start of a conversation stay hidden for them; a single message
deleted further on is hidden from that member only (``Message.hidden_from``)."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Max

from fupan.accounts.models import User
from fupan.pm.models import Conversation, ConversationMember, Message

from . import convert
from .framework import Batch, Context, Step

PM_TABLES = range(10)
_PAIR_RE = re.compile(r"^([0-9]+)_([0-9]+)$")
_HTML_RE = re.compile(r"<(?:br|a|img|b|strong|i|em|u|font|p|div|span)\b", re.IGNORECASE)
_SMILEY_IMG_RE = re.compile(
    r"\[img\]\s*[^\[\]]*?static/image/smiley/([A-Za-z0-9_-]+)/([A-Za-z0-9_.-]+)\s*\[/img\]",
    re.IGNORECASE,
)


def _pm_table(ctx: Context, plid: int) -> str:
    return ctx.source.table(f"ucenter_pm_messages_{plid % 10}")


def _deleted_state(ctx: Context, plids: list[int]) -> dict[int, dict[str, Any]]:
    """Per conversation: the highest pmid, the first pmid each side still sees (founder:
    delstatus ≠ 1, other: ≠ 2) and the pmids each side deleted."""
    state: dict[int, dict[str, Any]] = {}
    by_table: dict[int, list[int]] = {}
    for plid in plids:
        by_table.setdefault(plid % 10, []).append(plid)
    for n, ids in by_table.items():
        table = ctx.source.table(f"ucenter_pm_messages_{n}")
        if not ctx.source.has_table(f"ucenter_pm_messages_{n}"):
            continue
        marks = ", ".join(["%s"] * len(ids))
        for row in ctx.source.query(
            f"SELECT plid, MAX(pmid) AS last, MIN(CASE WHEN delstatus <> 1 THEN pmid END) AS"
            f" founder_first, MIN(CASE WHEN delstatus <> 2 THEN pmid END) AS other_first"
            f" FROM {table} WHERE plid IN ({marks}) GROUP BY plid",
            ids,
        ):
            state[row["plid"]] = {**row, 1: [], 2: []}
        for row in ctx.source.query(
            f"SELECT plid, pmid, delstatus FROM {table} WHERE plid IN ({marks})"
            " AND delstatus IN (1, 2)",
            ids,
        ):
            state[row["plid"]][row["delstatus"]].append(row["pmid"])
    return state


class ConversationsStep(Step):
    """``pm_lists`` and, for each conversation, its ``pm_members`` rows."""

    name = "pm_conversations"
    title = "PM conversations"
    table = "ucenter_pm_lists l"
    columns = "l.plid, l.authorid, l.pmtype, l.subject, l.min_max, l.dateline"
    key = "l.plid"
    since = "l.dateline >= %s"

    def required_tables(self) -> list[str]:
        return ["ucenter_pm_lists", "ucenter_pm_members"]

    def write(self, batch: Batch, ctx: Context) -> None:
        plids = [r["plid"] for r in batch.rows]
        marks = ", ".join(["%s"] * len(plids))
        members: dict[int, list[dict[str, Any]]] = {}
        for m in ctx.source.query(
            "SELECT plid, uid, isnew, pmnum, lastupdate, lastdateline"
            f" FROM {ctx.source.table('ucenter_pm_members')} WHERE plid IN ({marks})"
            " ORDER BY plid, uid",
            plids,
        ):
            members.setdefault(m["plid"], []).append(m)
        pairs: dict[int, tuple[int, int]] = {}
        for row in batch.rows:
            match = _PAIR_RE.match(batch.text(row, "min_max", row["plid"]).strip())
            if match:
                pairs[row["plid"]] = (int(match[1]), int(match[2]))
        wanted = {r["authorid"] for r in batch.rows}
        wanted |= {m["uid"] for rows in members.values() for m in rows}
        wanted |= {uid for pair in pairs.values() for uid in pair}
        users = set(User.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        taken = dict(
            Conversation.objects.filter(
                pair_key__in={f"{a}_{b}" for a, b in pairs.values()}
            ).values_list("pair_key", "pk")
        )
        deleted = _deleted_state(ctx, plids)
        conversations: list[Conversation] = []
        memberships: list[ConversationMember] = []
        for row in batch.rows:
            plid = row["plid"]
            kind = row["pmtype"]
            pair = pairs.get(plid)
            if kind not in (1, 2):
                kind = 1 if pair else 2
                batch.change(plid, f"unknown pmtype {row['pmtype']}: taken from min_max")
            pair_key = None
            if kind == 1:
                if pair is None:
                    batch.skip(plid, "private conversation without its two members (min_max)")
                    continue
                if pair[0] not in users or pair[1] not in users:
                    batch.skip(plid, "a member of the private conversation is not imported",
                               f"{pair[0]}_{pair[1]}")  # fmt: skip
                    continue
                pair_key = f"{pair[0]}_{pair[1]}"
                if taken.get(pair_key, plid) != plid:
                    batch.change(
                        plid,
                        "second conversation of the same two members: new messages go to the first",
                        f"conversation {taken[pair_key]}",
                    )
                    pair_key = None
                else:
                    taken[pair_key] = plid
            created = convert.to_datetime(row["dateline"]) or convert.to_datetime(1)
            author = row["authorid"] if row["authorid"] in users else None
            conversations.append(
                Conversation(
                    id=plid,
                    kind=kind,
                    author_id=author,
                    subject=convert.strip_tags(batch.text(row, "subject", plid))[:80],
                    pair_key=pair_key,
                    created_at=created,
                    last_message_at=created,
                )
            )
            rows = {m["uid"]: m for m in members.get(plid, [])}
            state = deleted.get(plid)
            mine: list[ConversationMember] = []
            for uid, m in rows.items():
                if uid not in users:
                    batch.change(plid, f"member {uid} not imported: left out of the conversation")
                    continue
                mine.append(
                    ConversationMember(
                        conversation_id=plid,
                        user_id=uid,
                        is_new=bool(m["isnew"]),
                        last_read_at=convert.to_datetime(m["lastupdate"]),
                        last_message_at=convert.to_datetime(m["lastdateline"]) or created,
                    )
                )
            if kind == 1 and pair is not None:
                for uid in pair:
                    if uid not in rows:
                        # They deleted the whole conversation: it comes back with a new message.
                        mine.append(
                            ConversationMember(
                                conversation_id=plid,
                                user_id=uid,
                                is_deleted=True,
                                last_message_at=created,
                            )
                        )
                if state is not None:
                    for membership in mine:
                        self._clear(batch, membership, row["authorid"], state)
            memberships.extend(mine)
        Conversation.objects.bulk_create(
            conversations,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["kind", "author", "subject", "pair_key", "created_at"],
        )
        ConversationMember.objects.filter(
            conversation_id__in=[c.pk for c in conversations]
        ).delete()
        ConversationMember.objects.bulk_create(memberships)
        batch.imported = len(conversations)

    @staticmethod
    def _clear(
        batch: Batch, membership: ConversationMember, founder: int, state: dict[str, Any]
    ) -> None:
        side = 1 if membership.user_id == founder else 2
        first = state["founder_first" if side == 1 else "other_first"]
        if membership.is_deleted or first is None:
            membership.cleared_through = state["last"] or 0
            return
        # Messages deleted singly further on are hidden from them by the messages step.
        membership.cleared_through = first - 1


def pm_body(message: str, smilies: dict[tuple[str, str], str]) -> tuple[str, bool]:
    """A UCenter message as Discuz code: Discuz wrote smilies as ``[img]…/static/image/smiley/
    dir/file.gif[/img]`` (back to their codes); messages sent as HTML (by plugins, old
    versions) are turned into Discuz code. Returns the body and whether it was HTML."""
    was_html = bool(_HTML_RE.search(message))
    if was_html:
        message = convert.signature_code(message)

    def smiley(match: re.Match[str]) -> str:
        return smilies.get((match[1].lower(), match[2].lower()), match[0])

    return _SMILEY_IMG_RE.sub(smiley, message).strip(), was_html


def _smiley_files(ctx: Context) -> dict[tuple[str, str], str]:
    """(folder, file) → code, from the site's own smiley tables."""
    if not (ctx.source.has_table("common_smiley") and ctx.source.has_table("forum_imagetype")):
        return {}
    rows = ctx.source.query(
        f"SELECT s.code, s.url, t.directory FROM {ctx.source.table('common_smiley')} s"
        f" JOIN {ctx.source.table('forum_imagetype')} t ON t.typeid = s.typeid"
        " WHERE s.type = 'smiley'"
    )
    return {
        (
            convert.decode_text(r["directory"])[0].lower(),
            convert.decode_text(r["url"])[0].lower(),
        ): (convert.decode_text(r["code"])[0])
        for r in rows
    }


class MessagesStep(Step):
    """One of ``pm_messages_0..9``."""

    columns = "m.pmid, m.plid, m.authorid, m.message, m.delstatus, m.dateline"
    key = "m.pmid"
    since = "m.dateline >= %s"

    def __init__(self, n: int) -> None:
        self.table = f"ucenter_pm_messages_{n} m"
        self.name = f"pm_messages_{n}"
        self.title = f"PM messages ({n})"

    def prepare(self, ctx: Context) -> None:
        if "smiley_files" not in ctx.cache:
            ctx.cache["smiley_files"] = _smiley_files(ctx)

    def write(self, batch: Batch, ctx: Context) -> None:
        plids = {r["plid"] for r in batch.rows}
        conversations = {
            pk: (kind, author)
            for pk, kind, author in Conversation.objects.filter(pk__in=plids).values_list(
                "pk", "kind", "author_id"
            )
        }
        deleted = {r["plid"] for r in batch.rows if r["delstatus"] in (1, 2)}
        members: dict[int, list[int]] = {}
        for plid, uid in ConversationMember.objects.filter(
            conversation_id__in=deleted & conversations.keys()
        ).values_list("conversation_id", "user_id"):
            members.setdefault(plid, []).append(uid)
        names = dict(
            User.objects.filter(pk__in={r["authorid"] for r in batch.rows}).values_list(
                "pk", "username"
            )
        )
        messages = []
        for row in batch.rows:
            pmid = row["pmid"]
            if row["plid"] not in conversations:
                batch.skip(pmid, "conversation missing or not imported", f"plid {row['plid']}")
                continue
            author = row["authorid"] if row["authorid"] in names else None
            if author is None:
                batch.change(pmid, "author not imported: shown without a name link",
                             f"uid {row['authorid']}")  # fmt: skip
            body, was_html = pm_body(batch.text(row, "message", pmid), ctx.cache["smiley_files"])
            if was_html:
                batch.change(pmid, "HTML message turned into Discuz code")
            hidden_from = None
            if row["delstatus"] in (1, 2):
                hidden_from = self._deleted_by(batch, row, *conversations[row["plid"]],
                                               members.get(row["plid"], []))  # fmt: skip
            messages.append(
                Message(
                    id=pmid,
                    conversation_id=row["plid"],
                    author_id=author,
                    author_name=(names.get(author) or f"#{row['authorid']}")[:32],  # type: ignore[arg-type]
                    body=body or "-",
                    created_at=convert.to_datetime(row["dateline"]) or convert.to_datetime(1),
                    hidden_from_id=hidden_from,
                )
            )
        Message.objects.bulk_create(
            messages,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[
                "conversation", "author", "author_name", "body", "created_at", "hidden_from",
            ],
        )  # fmt: skip
        batch.imported = len(messages)

    @staticmethod
    def _deleted_by(
        batch: Batch, row: dict[str, Any], kind: int, founder: int | None, members: list[int]
    ) -> int | None:
        """Who deleted this one message: ``delstatus`` 1 is the founder of the private
        conversation (``pm_lists.authorid``), 2 the other member."""
        if kind != Conversation.Kind.PRIVATE:
            batch.change(row["pmid"], "deleted by one member of a group chat: shown to all")
            return None
        if row["delstatus"] == 1:
            return founder
        others = [uid for uid in members if uid != founder]
        return others[0] if len(others) == 1 else None


def synchronize_imported_conversations(chunk: int = 1000) -> None:
    """Each conversation's last message (the list shows it without a query per row), then the
    pm app's counters and every member's unread badge."""
    from fupan.pm.actions import excerpt_of, synchronize_messages

    last_id = 0
    while True:
        latest = list(
            Message.objects.filter(conversation_id__gt=last_id)
            .values("conversation_id")
            .annotate(top=Max("id"))
            .order_by("conversation_id")[:chunk]
        )
        if not latest:
            break
        last_id = latest[-1]["conversation_id"]
        messages = Message.objects.in_bulk([r["top"] for r in latest])
        conversations = Conversation.objects.in_bulk([r["conversation_id"] for r in latest])
        changed = []
        for row in latest:
            message, conversation = messages[row["top"]], conversations[row["conversation_id"]]
            conversation.last_message_id = message.pk
            conversation.last_message_at = message.created_at
            conversation.last_author_id = message.author_id
            conversation.last_author_name = message.author_name
            conversation.last_excerpt = excerpt_of(message.body)
            changed.append(conversation)
        Conversation.objects.bulk_update(
            changed,
            ["last_message_id", "last_message_at", "last_author_id", "last_author_name",
             "last_excerpt"],
        )  # fmt: skip
    synchronize_messages()
