"""Reads for the private message pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from markupsafe import Markup

from fupan.core.pagination import Pager, page_count
from fupan.markup import MarkupOptions, render_bbcode
from fupan.pm.models import Conversation, ConversationMember, Message

CONVERSATIONS_PER_PAGE = 20
MESSAGES_PER_PAGE = 20


@dataclass
class ConversationRow:
    membership: ConversationMember
    conversation: Conversation
    others: list[Any] = field(default_factory=list)  # the other members (users)

    @property
    def is_new(self) -> bool:
        return self.membership.is_new


@dataclass
class ConversationList:
    total: int
    rows: list[ConversationRow]
    pager: Pager


def fetch_conversations(user: Any, *, page: int, per_page: int | None = None) -> ConversationList:
    """The member's conversations, newest activity first, each with the other members: three
    queries (count, page, members)."""
    per_page = per_page or CONVERSATIONS_PER_PAGE
    qs = ConversationMember.objects.filter(user_id=user.pk, is_deleted=False)
    total = qs.count()
    pages = page_count(total, per_page)
    page = min(max(page, 1), pages)
    memberships = list(
        qs.select_related("conversation").order_by("-last_message_at", "-id")[
            (page - 1) * per_page : page * per_page
        ]
    )
    others: dict[int, list[Any]] = {m.conversation_id: [] for m in memberships}
    conversations = {m.conversation_id: m.conversation for m in memberships}
    if memberships:
        for other in (
            ConversationMember.objects.filter(conversation_id__in=list(others))
            .exclude(user_id=user.pk)
            .select_related("user")
            .order_by("conversation_id", "id")
        ):
            # A member who left a group is no longer shown in it.
            if other.is_deleted and conversations[other.conversation_id].is_group:
                continue
            others[other.conversation_id].append(other.user)
    rows = [
        ConversationRow(membership=m, conversation=m.conversation, others=others[m.conversation_id])
        for m in memberships
    ]
    return ConversationList(total=total, rows=rows, pager=Pager(page, pages))


@dataclass
class MessageView:
    message: Message
    html: Markup

    def __getattr__(self, name: str) -> Any:  # template convenience: mv.author_name, mv.pk …
        return getattr(self.message, name)


@dataclass
class ConversationPage:
    conversation: Conversation
    members: list[Any]  # users, the viewer included
    messages: list[MessageView]
    pager: Pager


def fetch_conversation_page(
    conversation: Conversation,
    *,
    page: int | None,
    no_images: bool = False,
    per_page: int | None = None,
) -> ConversationPage:
    """One page of the messages the viewer sees (oldest first; the last page when ``page`` is
    None) and the members: two queries. The page count comes from the viewer's own message count
    (Discuz ``pmnum``), so no count query."""
    per_page = per_page or MESSAGES_PER_PAGE
    membership: ConversationMember = conversation.membership  # type: ignore[attr-defined]
    pages = page_count(membership.message_count, per_page)
    page = pages if page is None else min(max(page, 1), pages)
    members = [
        m.user
        for m in ConversationMember.objects.filter(conversation_id=conversation.pk)
        .select_related("user")
        .order_by("id")
        if not (conversation.is_group and m.is_deleted)
    ]
    messages = list(
        Message.objects.filter(conversation_id=conversation.pk, id__gt=membership.cleared_through)
        .filter(Q(hidden_from__isnull=True) | ~Q(hidden_from=membership.user_id))
        .select_related("author")
        .order_by("id")[(page - 1) * per_page : page * per_page]
    )
    options = MarkupOptions(images=not no_images)
    return ConversationPage(
        conversation=conversation,
        members=members,
        messages=[MessageView(m, Markup(render_bbcode(m.body, options))) for m in messages],
        pager=Pager(page, pages),
    )


def fetch_blocked_ids(user: Any, user_ids: list[int]) -> set[int]:
    """Of ``user_ids``, those ``user`` has blocked (one query; none without ids)."""
    from fupan.accounts.models import Block

    if not user_ids:
        return set()
    return set(
        Block.objects.filter(user_id=user.pk, blocked_id__in=user_ids).values_list(
            "blocked_id", flat=True
        )
    )
