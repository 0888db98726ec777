"""Rules for private messages (短消息) and the block list (黑名单).

- Only members send and read messages; guests are asked to log in.
- Members banned from posting or visiting, banned IPs and members awaiting verification may not
  send (Discuz: ``allowsendpm`` and the ban groups); they may still read what they received.
- A conversation is seen only by its members; for anyone else it does not exist (404), exactly as
  for a missing one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from fupan.accounts.models import UserGroup
from fupan.permissions.core import UserPerms
from fupan.permissions.forum import LoginRequired
from fupan.pm.models import Conversation, ConversationMember

# Groups that may not send private messages.
NO_MESSAGE_GROUPS = frozenset(
    {
        UserGroup.BANNED_POST,
        UserGroup.BANNED_VISIT,
        UserGroup.BANNED_IP,
        UserGroup.GUEST,
        UserGroup.AWAITING_VERIFICATION,
    }
)


def can_use_messages(perms: UserPerms) -> bool:
    """Read one's conversations and keep a block list: any active member."""
    return perms.is_authenticated and perms.user.is_active


def check_use_messages_permission(perms: UserPerms) -> None:
    if not can_use_messages(perms):
        raise LoginRequired(_("You need to log in to read and send messages."))


def can_send_message(perms: UserPerms) -> bool:
    if not can_use_messages(perms):
        return False
    if perms.is_admin:
        return True
    return perms.group.pk not in NO_MESSAGE_GROUPS and perms.group.allow_visit


def check_send_message_permission(perms: UserPerms) -> None:
    check_use_messages_permission(perms)
    if not can_send_message(perms):
        raise PermissionDenied(
            _("Your user group (%(group)s) may not send messages.") % {"group": perms.group.title}
        )


def access_conversation_by_id(perms: UserPerms, conversation_id: int | str) -> Conversation:
    """The conversation with the viewer's own membership as ``.membership``. Missing, not a member
    and removed from one's list all answer 404."""
    check_use_messages_permission(perms)
    try:
        membership = ConversationMember.objects.select_related("conversation").get(
            conversation_id=int(conversation_id), user_id=perms.user_id, is_deleted=False
        )
    except (ConversationMember.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("This conversation does not exist.")) from None
    conversation = membership.conversation
    conversation.membership = membership  # type: ignore[attr-defined]
    return conversation
