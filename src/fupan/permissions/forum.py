"""Rules for boards, threads and posts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.core.prepared import Prepared
from fupan.core.site import get_site_settings
from fupan.forum.models import Board, Post, Thread
from fupan.permissions.core import UserPerms

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence


class LoginRequired(PermissionDenied):
    """Raised instead of PermissionDenied when logging in would help; views offer the login."""


# Boards ---------------------------------------------------------------------------------------


def can_view_board(perms: UserPerms, board: Board) -> bool:
    if perms.is_admin:
        return True
    if not perms.group.allow_visit or not board.is_visible:
        return False
    return perms.board_allows(board.pk, "can_view", True)


def filter_boards(perms: UserPerms, boards: Iterable[Board]) -> list[Board]:
    return [board for board in boards if can_view_board(perms, board)]


def can_moderate_board(perms: UserPerms, board: Board | int) -> bool:
    board_id = board if isinstance(board, int) else board.pk
    return perms.is_authenticated and perms.moderates(board_id)


def check_moderate_board_permission(perms: UserPerms, board: Board | int) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in first."))
    if not can_moderate_board(perms, board):
        raise PermissionDenied(_("Only this board's moderators may do this."))


def can_start_thread(perms: UserPerms, board: Board) -> bool:
    return (
        perms.is_authenticated
        and perms.user.is_active
        and perms.board_allows(board.pk, "can_post", perms.group.allow_post)
        and not board.is_category
        and can_view_board(perms, board)
    )


def check_start_thread_permission(perms: UserPerms, board: Board) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can post."))
    if board.is_category:
        raise PermissionDenied(_("Threads are started in a board, not in a category."))
    if not can_start_thread(perms, board):
        raise PermissionDenied(
            _("Your user group (%(group)s) may not start threads in this board.")
            % {"group": perms.group.title}
        )


_board_by_id = Prepared(lambda pk: Board.objects.select_related("parent").filter(pk=pk)[:1])


def access_board_by_id(perms: UserPerms, board_id: int | str) -> Board:
    try:
        pk = int(board_id)
        found = _board_by_id(pk) if 0 < pk < 2**63 else []
    except (ValueError, TypeError, OverflowError):
        found = []
    if not found:
        raise Http404(_("This board does not exist."))
    board = found[0]
    if not can_view_board(perms, board):
        raise Http404(_("This board does not exist."))
    return board


# Threads --------------------------------------------------------------------------------------


def _is_author(perms: UserPerms, author_id: int | None) -> bool:
    return perms.is_authenticated and author_id is not None and author_id == perms.user_id


def can_read_thread(perms: UserPerms, thread: Thread) -> bool:
    if not can_view_board(perms, thread.board):
        return False
    if not perms.is_admin and not perms.board_allows(thread.board_id, "can_read", True):
        return False
    if thread.state == Thread.State.VISIBLE:
        return True
    if thread.state == Thread.State.PENDING and _is_author(perms, thread.author_id):
        return True
    return can_moderate_board(perms, thread.board_id)


def pending_threads_shown(perms: UserPerms, board: Board) -> str:
    """Which threads awaiting review a board's list shows the viewer: ``"all"`` (the board's
    moderators), ``"own"`` (a member: their own) or ``""`` (none: guests)."""
    if can_moderate_board(perms, board):
        return "all"
    return "own" if perms.is_authenticated else ""


def filter_threads_queryset(
    perms: UserPerms, qs: QuerySet[Thread], board: Board
) -> QuerySet[Thread]:
    """Threads of ``board`` the viewer may see in its list."""
    shown = pending_threads_shown(perms, board)
    if shown == "all":
        return qs.filter(state__in=[Thread.State.VISIBLE, Thread.State.PENDING])
    if shown == "own":
        return qs.filter(
            Q(state=Thread.State.VISIBLE) | Q(state=Thread.State.PENDING, author_id=perms.user_id)
        )
    return qs.filter(state=Thread.State.VISIBLE)


# The thread's row: every thread page starts here, so its SQL is prepared once
# (fupan.core.prepared); its board, the board's parent (breadcrumb) and its type come from memory
# (with_board).
def thread_row(pk: int) -> QuerySet[Thread]:
    """The thread's row as its pages read it; ``with_board`` adds its board and type."""
    return Thread.objects.filter(pk=pk)


def with_board(thread: Thread) -> Thread:
    """The thread with its board, the board's parent and its type, from the boards' settings and
    types kept in the process (``board_with_parent``, ``thread_type``) — a thread page reads one
    row, no joins; from the database for a board or type this process does not know."""
    from fupan.forum.caching import board_with_parent, thread_type
    from fupan.forum.models import ThreadType

    board = board_with_parent(thread.board_id)
    if board is None:
        board = Board.objects.select_related("parent").get(pk=thread.board_id)
    thread.board = board
    if thread.type_id is not None:
        thread.type = (
            thread_type(thread.type_id) or ThreadType.objects.filter(pk=thread.type_id).first()
        )
    return thread


_thread_by_id = Prepared(lambda pk: thread_row(pk)[:1])


def access_thread_by_id(
    perms: UserPerms,
    thread_id: int | str,
    *,
    load: Callable[[int], Sequence[Thread]] | None = None,
) -> Thread:
    """The thread, if this viewer may read it (else 404). ``load`` reads the row another way —
    ``thread_row`` with more of the viewer's data annotated, in the same query — under the same
    rule."""
    try:
        pk = int(thread_id)
        found = (load or _thread_by_id)(pk) if 0 < pk < 2**63 else []
    except (ValueError, TypeError, OverflowError):
        found = []
    if not found:
        raise Http404(_("This thread does not exist or has been deleted."))
    thread = with_board(found[0])
    if not can_read_thread(perms, thread):
        raise Http404(_("This thread does not exist or has been deleted."))
    return thread


def can_reply_thread(perms: UserPerms, thread: Thread) -> bool:
    if not (perms.is_authenticated and perms.user.is_active):
        return False
    if not perms.board_allows(thread.board_id, "can_reply", perms.group.allow_reply):
        return False
    if not can_read_thread(perms, thread) or thread.state != Thread.State.VISIBLE:
        return False
    return not thread.closed or can_moderate_board(perms, thread.board_id)


def check_reply_thread_permission(perms: UserPerms, thread: Thread) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can reply."))
    if thread.closed and not can_moderate_board(perms, thread.board_id):
        raise PermissionDenied(_("This thread is closed; it accepts no new replies."))
    if thread.state != Thread.State.VISIBLE:
        raise PermissionDenied(_("This thread is not open for replies."))
    if not can_reply_thread(perms, thread):
        raise PermissionDenied(
            _("Your user group (%(group)s) may not reply in this board.")
            % {"group": perms.group.title}
        )


def needs_review(perms: UserPerms, board: Board, *, new_thread: bool) -> bool:
    """Whether a post by this member in this board waits in the review queue: the board reviews
    new threads (or everything), or the member has fewer posts than the site reviews. Moderators'
    posts never wait."""
    if can_moderate_board(perms, board):
        return False
    review = board.review_posts
    if review == Board.Review.ALL or (review == Board.Review.THREADS and new_thread):
        return True
    first = get_site_settings().review_first_posts
    return bool(first) and perms.is_authenticated and perms.user.posts < first


# Posts ----------------------------------------------------------------------------------------


def can_see_post(perms: UserPerms, post: Post) -> bool:
    if post.state == Post.State.VISIBLE:
        return True
    if post.state == Post.State.PENDING and _is_author(perms, post.author_id):
        return True
    return can_moderate_board(perms, post.thread.board_id)


def access_post_by_id(perms: UserPerms, post_id: int | str) -> Post:
    try:
        post = Post.objects.select_related("thread", "thread__board", "thread__type").get(
            pk=int(post_id)
        )
    except (Post.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("This post does not exist or has been deleted.")) from None
    if not can_read_thread(perms, post.thread) or not can_see_post(perms, post):
        raise Http404(_("This post does not exist or has been deleted."))
    return post


def can_vote_post(perms: UserPerms, post: Post) -> bool:
    return _may_vote(perms) and _votable(post, _me(perms))


def _me(perms: UserPerms) -> int | None:
    return perms.user_id if perms.is_authenticated else None


def _may_vote(perms: UserPerms) -> bool:
    """支持/反对 at all: a signed-in, active member of a group that votes, on a site with votes."""
    return bool(
        perms.is_authenticated
        and perms.user.is_active
        and perms.group.allow_vote
        and get_site_settings().votes_enabled
    )


def _votable(post: Post, me: int | None) -> bool:
    """A post one may vote on: a visible reply, not one's own."""
    return (
        not post.is_first
        and post.state == Post.State.VISIBLE
        and not (me is not None and post.author_id == me)
    )


def can_recommend_thread(perms: UserPerms, thread: Thread) -> bool:
    """顶/踩 a thread (Discuz ``recommendthread``, the same switch as 支持/反对; not one's own
    thread, Discuz's ``ownthread`` 0)."""
    return (
        perms.is_authenticated
        and perms.user.is_active
        and perms.group.allow_vote
        and get_site_settings().votes_enabled
        and thread.state == Thread.State.VISIBLE
        and not _is_author(perms, thread.author_id)
    )


def check_recommend_thread_permission(perms: UserPerms, thread: Thread) -> None:
    from fupan.core.errors import ErrorCode, FupanError

    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can vote."))
    if not get_site_settings().votes_enabled:
        raise FupanError(ErrorCode.VOTES_DISABLED, _("Voting is turned off on this site."))
    if _is_author(perms, thread.author_id):
        raise FupanError(ErrorCode.VOTE_OWN_POST, _("You cannot rate your own thread."))
    if not can_recommend_thread(perms, thread):
        raise PermissionDenied(_("You may not rate this thread."))


def check_vote_post_permission(perms: UserPerms, post: Post) -> None:
    from fupan.core.errors import ErrorCode, FupanError

    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can vote."))
    if not get_site_settings().votes_enabled:
        raise FupanError(
            ErrorCode.VOTES_DISABLED, _("Voting on replies is turned off on this site.")
        )
    if post.is_first:
        raise FupanError(
            ErrorCode.VOTE_FIRST_POST, _("The first post of a thread cannot be voted on.")
        )
    if _is_author(perms, post.author_id):
        raise FupanError(ErrorCode.VOTE_OWN_POST, _("You cannot vote on your own post."))
    if not can_vote_post(perms, post):
        raise PermissionDenied(_("You may not vote on this post."))


def can_edit_post(perms: UserPerms, post: Post) -> bool:
    if not perms.is_authenticated or not perms.user.is_active:
        return False
    return _editable(
        post,
        post.thread,
        moderator=can_moderate_board(perms, post.thread.board_id),
        me=perms.user_id,
        earliest=_edit_earliest(perms, timezone.now()),
    )


def _edit_earliest(perms: UserPerms, now: datetime) -> datetime | None:
    """The oldest post time a member's group may still edit (None: no time limit)."""
    limit = perms.group.edit_time_limit
    return now - timedelta(minutes=limit) if limit else None


def _editable(
    post: Post, thread: Thread, *, moderator: bool, me: int | None, earliest: datetime | None
) -> bool:
    """For a signed-in, active member: a moderator edits any post of their board, an author
    their own while it is not deleted, the thread open and the group's time limit not past."""
    if moderator:
        return True
    return (
        me is not None
        and post.author_id == me
        and post.state != Post.State.DELETED
        and not thread.closed
        and (earliest is None or post.created_at >= earliest)
    )


def check_edit_post_permission(perms: UserPerms, post: Post) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can edit."))
    if not can_edit_post(perms, post):
        if _is_author(perms, post.author_id) and post.thread.closed:
            raise PermissionDenied(_("This thread is closed; its posts can no longer be edited."))
        if _is_author(perms, post.author_id):
            raise PermissionDenied(_("The time allowed for editing this post has passed."))
        raise PermissionDenied(_("You may only edit your own posts."))


def can_delete_post(perms: UserPerms, post: Post) -> bool:
    return _deletable(post, moderator=can_moderate_board(perms, post.thread.board_id))


def _deletable(post: Post, *, moderator: bool) -> bool:
    return moderator and post.state != Post.State.DELETED


def post_controls(
    perms: UserPerms, thread: Thread, *, now: datetime | None = None
) -> Callable[[Post], tuple[bool, bool, bool]]:
    """``(can_vote_post, can_edit_post, can_delete_post)`` for the posts of ``thread`` (a thread
    page's floors): the same rules, with what the posts share — the viewer, their group, the
    board's moderators, the thread — worked out once instead of per floor."""
    signed_in = perms.is_authenticated and perms.user.is_active
    may_vote = _may_vote(perms)
    moderator = can_moderate_board(perms, thread.board_id)
    me = _me(perms)
    earliest = _edit_earliest(perms, now or timezone.now()) if signed_in else None

    def controls(post: Post) -> tuple[bool, bool, bool]:
        return (
            may_vote and _votable(post, me),
            signed_in and _editable(post, thread, moderator=moderator, me=me, earliest=earliest),
            _deletable(post, moderator=moderator),
        )

    return controls


def check_delete_post_permission(perms: UserPerms, post: Post) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in first."))
    if not can_delete_post(perms, post):
        raise PermissionDenied(_("Only the board's moderators may delete posts."))


# Attachments ----------------------------------------------------------------------------------


def can_view_images(perms: UserPerms, board: Board) -> bool:
    """Full-size images (Discuz allowgetimage), per group and board."""
    return perms.board_allows(
        board.pk, "can_view_images", perms.group.allow_get_image
    ) and can_view_board(perms, board)


def can_download_attachments(perms: UserPerms, board: Board) -> bool:
    """Files other than images (Discuz allowgetattach), per group and board."""
    return perms.board_allows(
        board.pk, "can_download", perms.group.allow_get_attach
    ) and can_view_board(perms, board)


def can_upload_attachments(perms: UserPerms, board: Board) -> bool:
    return (
        perms.is_authenticated
        and perms.user.is_active
        and perms.board_allows(board.pk, "can_upload", perms.group.allow_post_attach)
        and can_view_board(perms, board)
    )


def check_upload_attachments_permission(perms: UserPerms, board: Board) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can upload."))
    if not can_upload_attachments(perms, board):
        raise PermissionDenied(
            _("Your user group (%(group)s) may not upload attachments in this board.")
            % {"group": perms.group.title}
        )


def can_use_thread_types(perms: UserPerms, board: Board) -> bool:
    """Whether the member may choose a thread type (主题分类) when posting in this board."""
    return can_moderate_board(perms, board) or perms.board_allows(board.pk, "can_use_types", True)
