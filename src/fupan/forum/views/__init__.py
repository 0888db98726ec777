"""Forum pages. Each view parses, loads through ``access_*``, calls one action, renders; the same
endpoint answers htmx (a fragment) and plain requests (a full page or a redirect)."""

from fupan.forum.views.board import board_view
from fupan.forum.views.index import index_view
from fupan.forum.views.posting import (
    delete_post_view,
    edit_post_view,
    new_thread_view,
    preview_view,
    recommend_thread_view,
    reply_view,
    vote_post_view,
)
from fupan.forum.views.thread import (
    floor_redirect_view,
    post_redirect_view,
    reading_view,
    thread_view,
)

__all__ = [
    "board_view",
    "delete_post_view",
    "edit_post_view",
    "floor_redirect_view",
    "index_view",
    "new_thread_view",
    "post_redirect_view",
    "preview_view",
    "reading_view",
    "recommend_thread_view",
    "reply_view",
    "thread_view",
    "vote_post_view",
]
