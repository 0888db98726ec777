"""Writes to boards, threads, posts and votes (see ``posting`` for the rules every action keeps).

- ``posting``: threads, replies, edits, deletion and restoring, votes, views.
- ``moderation``: close, stick, digest, highlight, move, merge, split, hide and warn.
"""

from fupan.forum.actions.moderation import (
    do_approve_post,
    do_close_thread,
    do_digest_thread,
    do_hide_post,
    do_highlight_thread,
    do_merge_threads,
    do_move_thread,
    do_reject_post,
    do_split_thread,
    do_stick_thread,
    do_warn_post,
)
from fupan.forum.actions.posting import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    check_body,
    check_thread_type,
    check_title,
    do_count_thread_view,
    do_create_reply,
    do_create_thread,
    do_delete_post,
    do_delete_thread,
    do_edit_post,
    do_restore_post,
    do_restore_thread,
    do_vote_post,
)

__all__ = [
    "BODY_MAX_LENGTH",
    "TITLE_MAX_LENGTH",
    "check_body",
    "check_thread_type",
    "check_title",
    "do_approve_post",
    "do_close_thread",
    "do_count_thread_view",
    "do_create_reply",
    "do_create_thread",
    "do_delete_post",
    "do_delete_thread",
    "do_digest_thread",
    "do_edit_post",
    "do_hide_post",
    "do_highlight_thread",
    "do_merge_threads",
    "do_move_thread",
    "do_reject_post",
    "do_restore_post",
    "do_restore_thread",
    "do_split_thread",
    "do_stick_thread",
    "do_vote_post",
    "do_warn_post",
]
