"""Every authorisation rule of Fupan lives in this package.

- ``request.perms`` (a ``UserPerms``) is resolved once per request by the middleware.
- ``can_<verb>_<object>(perms, obj) -> bool`` for templates and lists.
- ``check_<verb>_<object>_permission(perms, obj)`` raises ``PermissionDenied`` (or ``Http404``).
- ``access_<object>_by_id(perms, id)`` is the only way to turn an untrusted id into an object;
  missing and invisible objects both answer 404.
"""

from fupan.permissions.core import UserPerms, resolve_perms
from fupan.permissions.forum import (
    access_board_by_id,
    access_post_by_id,
    access_thread_by_id,
    can_delete_post,
    can_download_attachments,
    can_edit_post,
    can_moderate_board,
    can_read_thread,
    can_reply_thread,
    can_see_post,
    can_start_thread,
    can_upload_attachments,
    can_use_thread_types,
    can_view_board,
    can_view_images,
    can_vote_post,
    check_delete_post_permission,
    check_edit_post_permission,
    check_moderate_board_permission,
    check_reply_thread_permission,
    check_start_thread_permission,
    check_upload_attachments_permission,
    check_vote_post_permission,
    filter_boards,
    filter_threads_queryset,
    needs_review,
    post_controls,
)
from fupan.permissions.pm import (
    access_conversation_by_id,
    can_send_message,
    can_use_messages,
    check_send_message_permission,
)

__all__ = [
    "UserPerms",
    "access_board_by_id",
    "access_conversation_by_id",
    "access_post_by_id",
    "access_thread_by_id",
    "can_delete_post",
    "can_download_attachments",
    "can_edit_post",
    "can_moderate_board",
    "can_read_thread",
    "can_reply_thread",
    "can_see_post",
    "can_send_message",
    "can_start_thread",
    "can_upload_attachments",
    "can_use_messages",
    "can_use_thread_types",
    "can_view_board",
    "can_view_images",
    "can_vote_post",
    "check_delete_post_permission",
    "check_edit_post_permission",
    "check_moderate_board_permission",
    "check_reply_thread_permission",
    "check_send_message_permission",
    "check_start_thread_permission",
    "check_upload_attachments_permission",
    "check_vote_post_permission",
    "filter_boards",
    "filter_threads_queryset",
    "needs_review",
    "post_controls",
    "resolve_perms",
]
