"""Reads for the inbox pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fupan.core.pagination import Pager, page_count
from fupan.core.prepared import Prepared
from fupan.inbox.models import Favorite, Notification, ThreadFollow

Kind = Notification.Kind

# The tabs of the notifications page (Discuz's 我的帖子 / 坛友互动 / 系统提醒 / 管理工作).
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "posts": (Kind.REPLY, Kind.QUOTE, Kind.FOLLOW),
    "interactions": (Kind.MENTION, Kind.VOTE),
    "system": (Kind.MODERATION, Kind.REPORT),
}


def describe(n: Notification) -> str:
    """The sentence a notification shows, in the reader's language."""
    from fupan.moderation.models import ModAction

    actor = n.actor_name or _("system")
    others = n.count - 1
    subject = n.subject
    if n.kind == Kind.REPLY:
        if others:
            return ngettext(
                "%(actor)s and %(n)d other replied to your thread “%(subject)s”",
                "%(actor)s and %(n)d others replied to your thread “%(subject)s”",
                others,
            ) % {"actor": actor, "n": others, "subject": subject}
        return _("%(actor)s replied to your thread “%(subject)s”") % {
            "actor": actor,
            "subject": subject,
        }
    if n.kind == Kind.FOLLOW:
        if others:
            return ngettext(
                "%(actor)s and %(n)d other replied in “%(subject)s”, a thread you follow",
                "%(actor)s and %(n)d others replied in “%(subject)s”, a thread you follow",
                others,
            ) % {"actor": actor, "n": others, "subject": subject}
        return _("%(actor)s replied in “%(subject)s”, a thread you follow") % {
            "actor": actor,
            "subject": subject,
        }
    if n.kind == Kind.QUOTE:
        return _("%(actor)s quoted your post in “%(subject)s”") % {
            "actor": actor,
            "subject": subject,
        }
    if n.kind == Kind.MENTION:
        return _("%(actor)s mentioned you in “%(subject)s”") % {"actor": actor, "subject": subject}
    if n.kind == Kind.VOTE:
        if others:
            return ngettext(
                "%(actor)s and %(n)d other voted on your reply in “%(subject)s”",
                "%(actor)s and %(n)d others voted on your reply in “%(subject)s”",
                others,
            ) % {"actor": actor, "n": others, "subject": subject}
        if n.verb == "oppose":
            return _("%(actor)s opposed your reply in “%(subject)s”") % {
                "actor": actor,
                "subject": subject,
            }
        return _("%(actor)s supported your reply in “%(subject)s”") % {
            "actor": actor,
            "subject": subject,
        }
    if n.kind == Kind.REPORT:
        from fupan.moderation.models import Report

        outcome = dict(Report.Outcome.choices).get(n.verb, n.verb)
        if subject:
            return _("Your report about “%(subject)s” was resolved by %(actor)s: %(outcome)s") % {
                "subject": subject,
                "actor": actor,
                "outcome": outcome,
            }
        return _("Your report was resolved by %(actor)s: %(outcome)s") % {
            "actor": actor,
            "outcome": outcome,
        }
    # Moderation: the log's own words for the action.
    action = dict(ModAction.Action.choices).get(n.verb, n.verb)
    if subject:
        return _("Moderator %(actor)s: %(action)s — “%(subject)s”") % {
            "actor": actor,
            "action": action,
            "subject": subject,
        }
    return _("Moderator %(actor)s: %(action)s — your account") % {
        "actor": actor,
        "action": action,
    }


def link_of(n: Notification) -> str:
    from django.urls import reverse

    if n.post_id:
        return reverse("forum:post", args=[n.post_id])
    if n.thread_id:
        return reverse("forum:thread", args=[n.thread_id])
    if n.kind == Kind.MODERATION:
        return reverse("moderation:appeals")
    return ""


@dataclass
class NotificationRow:
    notification: Notification
    text: str
    link: str

    @property
    def n(self) -> Notification:
        return self.notification


def fetch_notifications(
    user: Any, *, group: str, page: int, per_page: int
) -> tuple[list[NotificationRow], Pager, int]:
    """One page of a member's notifications, newest first (two queries: count and page)."""
    qs = Notification.objects.filter(user_id=user.pk)
    if group in KIND_GROUPS:
        qs = qs.filter(kind__in=KIND_GROUPS[group])
    total = qs.count()
    pages = page_count(total, per_page)
    page = min(page, pages)
    rows = [
        NotificationRow(n, describe(n), link_of(n))
        for n in qs.order_by("-created_at", "-id")[(page - 1) * per_page : page * per_page]
    ]
    return rows, Pager(page, pages), total


def thread_keeping(user_id: int | None, thread_id: int) -> tuple[bool, bool]:
    """Whether the member keeps the thread in their favourites, and follows it (one query)."""
    if user_id is None:
        return False, False
    rows = _keeping(user_id, thread_id)
    return (bool(rows[0][0]), bool(rows[0][1])) if rows else (False, False)


def _build_keeping(user_id: int, thread_id: int) -> Any:
    from fupan.forum.models import Thread

    return (
        Thread.objects.filter(pk=thread_id)
        .annotate(
            kept=Exists(Favorite.objects.filter(user_id=user_id, thread_id=OuterRef("pk"))),
            followed=Exists(ThreadFollow.objects.filter(user_id=user_id, thread_id=OuterRef("pk"))),
        )
        .values_list("kept", "followed")[:1]
    )


# On every member's thread page: prepared once (fupan.core.prepared).
_keeping = Prepared(_build_keeping)


def board_kept(user_id: int | None, board_id: int) -> bool:
    if user_id is None:
        return False
    return bool(_board_kept(user_id, board_id))


# On every member's board page: prepared once (fupan.core.prepared).
_board_kept = Prepared(
    lambda user_id, board_id: Favorite.objects.filter(
        user_id=user_id, board_id=board_id
    ).values_list("id", flat=True)[:1]
)


def fetch_favorites(
    perms: Any, *, kind: str, page: int, per_page: int
) -> tuple[list[Favorite], Pager, int]:
    """A member's favourite threads (kind "thread") or boards ("board"), newest first; threads and
    boards the member can no longer read are listed without a link (two queries)."""
    from fupan.permissions import can_read_thread, can_view_board

    qs = Favorite.objects.filter(user_id=perms.user_id)
    if kind == "board":
        qs = qs.filter(board__isnull=False).select_related("board")
    else:
        qs = qs.filter(thread__isnull=False).select_related("thread", "thread__board")
    total = qs.count()
    pages = page_count(total, per_page)
    page = min(page, pages)
    favorites = list(qs[(page - 1) * per_page : page * per_page])
    for f in favorites:
        if f.thread_id:
            f.readable = can_read_thread(perms, f.thread)  # type: ignore[attr-defined]
        else:
            f.readable = can_view_board(perms, f.board)  # type: ignore[attr-defined]
    return favorites, Pager(page, pages), total


def fetch_followed(perms: Any, *, page: int, per_page: int) -> tuple[list[Any], Pager, int]:
    """The threads a member follows, newest follow first (two queries)."""
    from fupan.permissions import can_read_thread

    qs = ThreadFollow.objects.filter(user_id=perms.user_id).select_related(
        "thread", "thread__board"
    )
    total = qs.count()
    pages = page_count(total, per_page)
    page = min(page, pages)
    follows = list(qs.order_by("-created_at", "-id")[(page - 1) * per_page : page * per_page])
    for f in follows:
        f.readable = can_read_thread(perms, f.thread)
    return follows, Pager(page, pages), total
