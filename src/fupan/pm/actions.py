"""Writes for private messages (短消息): send, reply, mark read, leave; and the counter rebuild.

Permission checks belong to the caller (``fupan.permissions.pm``); each action validates its
input, owns its transaction and keeps every counter: the conversation's and each member's
message counts and ``User.new_messages``, the header badge — the number of the member's
conversations with unread messages. It goes up only when a membership turns from read to
unread and down when it is read or removed. Rows are locked conversation → memberships → members.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.accounts.models import username_key
from fupan.accounts.queries import blocked_among
from fupan.core import ratelimit
from fupan.core.errors import ErrorCode, FupanError
from fupan.pm.models import Conversation, ConversationMember, Message

MESSAGE_MAX = 10_000
MAX_RECIPIENTS = 10
# Sending is limited per member (Discuz ``sendpmmaxnum``-like): messages per hour.
SEND_WINDOW = 3600
MESSAGES_PER_HOUR = 30
EXCERPT = 100

_SEPARATORS = re.compile(r"[\s,，、;；]+")


def excerpt_of(body: str, limit: int = EXCERPT) -> str:
    from fupan.markup import plain_text

    text = " ".join(plain_text(body).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"  # at most ``limit`` long


# Checks --------------------------------------------------------------------------------------


def parse_usernames(raw: str | Iterable[str] | None) -> list[str]:
    """Recipient names as typed: separated by commas or spaces (usernames hold neither)."""
    parts = _SEPARATORS.split(raw) if isinstance(raw, str) else list(raw or [])
    names: list[str] = []
    seen: set[str] = set()
    for name in parts:
        name = name.strip()
        if name and username_key(name) not in seen:
            seen.add(username_key(name))
            names.append(name)
    return names


def check_message_body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise FupanError(ErrorCode.BODY_EMPTY, _("Please write a message."), field="body")
    if len(body) > MESSAGE_MAX:
        raise FupanError(
            ErrorCode.BODY_TOO_LONG,
            _("The message is %(n)d characters long; at most %(max)d are allowed.")
            % {"n": len(body), "max": MESSAGE_MAX},
            field="body",
        )
    return body


def check_recipients(sender: Any, raw: str | Iterable[str] | None) -> list[Any]:
    """The active members named in ``raw``, in the order typed. Refuses no name, too many names,
    unknown names and the sender's own name."""
    names = parse_usernames(raw)
    if not names:
        raise FupanError(
            ErrorCode.RECIPIENT_INVALID, _("Enter the recipient's username."), field="to"
        )
    if len(names) > MAX_RECIPIENTS:
        raise FupanError(
            ErrorCode.RECIPIENT_INVALID,
            _("A message can go to at most %(max)d members at once.") % {"max": MAX_RECIPIENTS},
            field="to",
        )
    keys = [username_key(name) for name in names]
    found = {
        user.username_key: user
        for user in get_user_model().objects.filter(username_key__in=keys, is_active=True)
    }
    unknown = [name for name, key in zip(names, keys, strict=True) if key not in found]
    if unknown:
        raise FupanError(
            ErrorCode.RECIPIENT_INVALID,
            _("There is no member named %(names)s.") % {"names": ", ".join(unknown)},
            field="to",
        )
    recipients = [found[key] for key in keys]
    if any(user.pk == sender.pk for user in recipients):
        raise FupanError(
            ErrorCode.RECIPIENT_INVALID, _("You cannot send a message to yourself."), field="to"
        )
    return recipients


def _refuse_blocked(names: list[str], field: str) -> FupanError:
    return FupanError(
        ErrorCode.BLOCKED,
        _("%(names)s does not accept messages from you; your message was not sent.")
        % {"names": ", ".join(names)},
        field=field,
        status=403,
    )


def filter_message_words(body: str) -> str:
    """The sensitive-word list on a message: replace words are replaced; a block word refuses it,
    and so does a review word (a message cannot wait for a moderator)."""
    from fupan.moderation.queries import apply_word_filter, format_word_list, get_word_filter

    try:
        body, review = apply_word_filter(body, what="message")
    except FupanError as exc:
        words = get_word_filter().scan(body).blocked
        raise FupanError(
            exc.code,
            _("The message contains words that are not allowed: %(words)s.")
            % {"words": format_word_list(words)},
            field="body",
        ) from None
    if review:
        words = get_word_filter().scan(body).review
        raise FupanError(
            ErrorCode.WORD_BLOCKED,
            _(
                "The message contains words that a moderator would have to review: %(words)s. "
                "A message cannot wait for review; please remove them."
            )
            % {"words": format_word_list(words)},
            field="body",
        )
    return body


def _check_rate(sender: Any) -> None:
    if not ratelimit.hit("pm", str(sender.pk), limit=MESSAGES_PER_HOUR, window=SEND_WINDOW):
        raise FupanError(
            ErrorCode.RATE_LIMITED,
            _("You have sent too many messages; please try again in an hour."),
            status=429,
        )


# Sending -------------------------------------------------------------------------------------


def do_send_message(
    acting_user: Any, *, to: str | Iterable[str], body: str, now: datetime | None = None
) -> Message:
    """Send ``body`` to the members named in ``to`` (Discuz 发送短消息). One recipient: the
    private conversation of the two members, created the first time and continued afterwards
    (and back in both lists if one had removed it). Several (up to ``MAX_RECIPIENTS``): a new
    group conversation. Precondition: ``check_send_message_permission``. Refuses unknown names,
    oneself, a recipient who blocked the sender, an empty, too long or filtered body and senders
    over the hourly limit — nothing is written then. Recipients who chose it are emailed after
    commit."""
    body = check_message_body(body)
    recipients = check_recipients(acting_user, to)
    blockers = blocked_among([user.pk for user in recipients], sender_id=acting_user.pk)
    if blockers:
        raise _refuse_blocked([u.username for u in recipients if u.pk in blockers], "to")
    body = filter_message_words(body)
    _check_rate(acting_user)
    now = now or timezone.now()
    with transaction.atomic():
        if len(recipients) == 1:
            conversation = _private_conversation(acting_user, recipients[0], body=body, now=now)
        else:
            conversation = Conversation.objects.create(
                kind=Conversation.Kind.GROUP,
                author=acting_user,
                subject=excerpt_of(body, 80),
                members_count=len(recipients) + 1,
                created_at=now,
                last_message_at=now,
            )
            ConversationMember.objects.bulk_create(
                ConversationMember(conversation=conversation, user_id=uid, last_message_at=now)
                for uid in [acting_user.pk, *(user.pk for user in recipients)]
            )
        return _deliver(conversation.pk, acting_user, body=body, now=now)


def _private_conversation(sender: Any, recipient: Any, *, body: str, now: datetime) -> Conversation:
    low, high = sorted((sender.pk, recipient.pk))
    key = f"{low}_{high}"
    conversation = Conversation.objects.filter(pair_key=key).first()
    if conversation is not None:
        return conversation
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                kind=Conversation.Kind.PRIVATE,
                author=sender,
                pair_key=key,
                subject=excerpt_of(body, 80),
                members_count=2,
                created_at=now,
                last_message_at=now,
            )
            ConversationMember.objects.bulk_create(
                ConversationMember(conversation=conversation, user_id=uid, last_message_at=now)
                for uid in (low, high)
            )
    except IntegrityError:  # the other member started it a moment ago
        conversation = Conversation.objects.get(pair_key=key)
    return conversation


def do_reply_message(
    conversation: Conversation, *, acting_user: Any, body: str, now: datetime | None = None
) -> Message:
    """Add a message to a conversation the sender is in (Discuz 回复短消息). Precondition:
    ``access_conversation_by_id`` and ``check_send_message_permission``. In a private
    conversation a recipient who blocked the sender refuses it; in a group, members who blocked
    the sender are simply not told (no unread mark, no email)."""
    body = check_message_body(body)
    if not conversation.is_group:
        other_ids = list(
            ConversationMember.objects.filter(conversation_id=conversation.pk)
            .exclude(user_id=acting_user.pk)
            .values_list("user_id", flat=True)
        )
        if blocked_among(other_ids, sender_id=acting_user.pk):
            names = list(
                get_user_model().objects.filter(pk__in=other_ids).values_list("username", flat=True)
            )
            raise _refuse_blocked(names, "body")
    body = filter_message_words(body)
    _check_rate(acting_user)
    with transaction.atomic():
        return _deliver(conversation.pk, acting_user, body=body, now=now or timezone.now())


def _deliver(conversation_id: int, sender: Any, *, body: str, now: datetime) -> Message:
    """Write the message and every counter; inside the caller's transaction."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
    memberships = list(
        ConversationMember.objects.select_for_update()
        .filter(conversation_id=conversation.pk)
        .order_by("user_id")
    )
    mine = next((m for m in memberships if m.user_id == sender.pk), None)
    if mine is None or (conversation.is_group and mine.is_deleted):
        raise FupanError(
            ErrorCode.NOT_FOUND, _("You are no longer in this conversation."), status=404
        )
    # A member who left a group is out of it; a removed private conversation comes back.
    others = [
        m
        for m in memberships
        if m.user_id != sender.pk and not (conversation.is_group and m.is_deleted)
    ]
    muted = blocked_among([m.user_id for m in others], sender_id=sender.pk) if others else set()
    told = [m for m in others if m.user_id not in muted]
    message = Message.objects.create(
        conversation=conversation,
        author=sender,
        author_name=sender.username,
        body=body,
        created_at=now,
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        messages_count=F("messages_count") + 1,
        last_message_id=message.pk,
        last_message_at=now,
        last_author_id=sender.pk,
        last_author_name=sender.username,
        last_excerpt=excerpt_of(body),
    )
    ConversationMember.objects.filter(pk=mine.pk).update(
        message_count=F("message_count") + 1,
        last_message_at=now,
        last_read_at=now,
        is_new=False,
        is_deleted=False,
    )
    if mine.is_new:  # writing in it means reading it
        _uncount(sender)
    if told:
        ConversationMember.objects.filter(pk__in=[m.pk for m in told]).update(
            message_count=F("message_count") + 1,
            last_message_at=now,
            is_new=True,
            is_deleted=False,
        )
        newly_unread = [m.user_id for m in told if not m.is_new or m.is_deleted]
        if newly_unread:
            get_user_model().objects.filter(pk__in=newly_unread).update(
                new_messages=F("new_messages") + 1
            )
    if muted:
        ConversationMember.objects.filter(
            pk__in=[m.pk for m in others if m.user_id in muted]
        ).update(message_count=F("message_count") + 1, last_message_at=now)
    recipient_ids = [m.user_id for m in told]
    if recipient_ids:
        from fupan.pm.tasks import email_new_message

        transaction.on_commit(lambda: email_new_message.enqueue(message.pk, recipient_ids))
    return message


def _uncount(user: Any) -> None:
    """One unread conversation fewer for ``user`` (and on the object the page renders with)."""
    get_user_model().objects.filter(pk=user.pk, new_messages__gt=0).update(
        new_messages=F("new_messages") - 1
    )
    if getattr(user, "new_messages", 0):
        user.new_messages -= 1


# Reading and leaving -------------------------------------------------------------------------


def do_mark_conversation_read(
    conversation: Conversation, *, acting_user: Any, now: datetime | None = None
) -> bool:
    """The member read the conversation: its unread mark goes and the badge counts one fewer.
    True if it was unread. A conversation already read costs no write."""
    with transaction.atomic():
        updated = ConversationMember.objects.filter(
            conversation_id=conversation.pk, user_id=acting_user.pk, is_new=True
        ).update(is_new=False, last_read_at=now or timezone.now())
        if updated:
            _uncount(acting_user)
    membership = getattr(conversation, "membership", None)
    if membership is not None:
        membership.is_new = False
    return bool(updated)


def do_leave_conversation(conversation: Conversation, *, acting_user: Any) -> None:
    """Remove a conversation from the member's list (Discuz 删除). A private one comes back when
    a new message arrives, without the messages before; from a group the member is gone."""
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        membership = (
            ConversationMember.objects.select_for_update()
            .filter(conversation_id=locked.pk, user_id=acting_user.pk, is_deleted=False)
            .first()
        )
        if membership is None:
            return
        ConversationMember.objects.filter(pk=membership.pk).update(
            is_deleted=True, is_new=False, message_count=0, cleared_through=locked.last_message_id
        )
        if membership.is_new:
            _uncount(acting_user)
        if locked.is_group:
            Conversation.objects.filter(pk=locked.pk).update(members_count=F("members_count") - 1)


# Counters ------------------------------------------------------------------------------------


def synchronize_messages(user_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Rebuild the counters from the rows: each membership's message count, each conversation's
    message and member counts and every member's unread badge. Returns how many rows changed."""
    visible = (
        Message.objects.filter(
            conversation_id=OuterRef("conversation_id"), id__gt=OuterRef("cleared_through")
        )
        .filter(Q(hidden_from__isnull=True) | ~Q(hidden_from=OuterRef("user_id")))
        .order_by()
        .values("conversation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    members = ConversationMember.objects.all()
    if user_ids is not None:
        members = members.filter(user_id__in=list(user_ids))
    n_members = members.filter(is_deleted=False).update(
        message_count=Coalesce(Subquery(visible), Value(0))
    )
    total = (
        Message.objects.filter(conversation_id=OuterRef("pk"))
        .order_by()
        .values("conversation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    in_it = (
        ConversationMember.objects.filter(conversation_id=OuterRef("pk"))
        .filter(Q(is_deleted=False) | Q(conversation__kind=Conversation.Kind.PRIVATE))
        .order_by()
        .values("conversation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    n_conversations = Conversation.objects.update(
        messages_count=Coalesce(Subquery(total), Value(0)),
        members_count=Coalesce(Subquery(in_it), Value(0)),
    )
    unread = (
        ConversationMember.objects.filter(user_id=OuterRef("pk"), is_new=True, is_deleted=False)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = get_user_model().objects.all()
    if user_ids is not None:
        users = users.filter(pk__in=list(user_ids))
    n_users = users.update(new_messages=Coalesce(Subquery(unread), Value(0)))
    return {"members": n_members, "conversations": n_conversations, "users": n_users}
