"""Reads for the forum pages, each in a fixed number of queries (budgets asserted in tests).

Prefetch steps load everything a page shows — authors, attachments, hot replies, the viewer's
votes — so that templates never query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from fupan.attachments.models import Attachment
from fupan.core.pagination import Pager, page_count
from fupan.core.site import get_site_settings
from fupan.forum.models import Board, Post, PostVote, Thread, ThreadType
from fupan.permissions import UserPerms, can_view_board, filter_threads_queryset

# Index ----------------------------------------------------------------------------------------


@dataclass
class IndexPage:
    categories: list[Board]
    total_threads: int
    total_posts: int
    today_posts: int
    yesterday_posts: int
    members: int
    newest_member: Any


def board_today_posts(board: Board, today: date | None = None) -> int:
    return board.today_posts if board.today_date == (today or timezone.localdate()) else 0


def fetch_board_tree(perms: UserPerms) -> list[Board]:
    """Categories with ``.boards`` (and each board with ``.subs``): one query."""
    today = timezone.localdate()
    boards = [b for b in Board.objects.all() if can_view_board(perms, b)]
    by_parent: dict[int | None, list[Board]] = {}
    for board in boards:
        board.today = board_today_posts(board, today)  # type: ignore[attr-defined]
        by_parent.setdefault(board.parent_id, []).append(board)
    for board in boards:
        board.subs = by_parent.get(board.pk, [])  # type: ignore[attr-defined]
        board.boards = board.subs  # type: ignore[attr-defined]
    return [b for b in by_parent.get(None, []) if b.is_category]


def fetch_index(perms: UserPerms) -> IndexPage:
    categories = fetch_board_tree(perms)
    all_boards = [b for c in categories for b in c.boards for b in [b, *b.subs]]  # type: ignore[attr-defined]
    user_model = get_user_model()
    newest = (
        user_model.objects.filter(is_active=True)
        .order_by("-date_joined", "-pk")
        .only("id", "username")
        .first()
    )
    return IndexPage(
        categories=categories,
        total_threads=sum(b.threads for b in all_boards),
        total_posts=sum(b.posts for b in all_boards),
        today_posts=sum(b.today for b in all_boards),  # type: ignore[attr-defined]
        yesterday_posts=0,
        members=user_model.objects.filter(is_active=True).count(),
        newest_member=newest,
    )


# Board ----------------------------------------------------------------------------------------

BOARD_ORDERS = {
    "lastpost": ("-last_post_at", "-id"),
    "dateline": ("-created_at", "-id"),
    "replies": ("-replies", "-last_post_at"),
    "views": ("-views", "-last_post_at"),
}


def _still_sticky(now: Any) -> Q:
    return Q(sticky_until__isnull=True) | Q(sticky_until__gt=now)


@dataclass
class BoardPage:
    board: Board
    subs: list[Board]
    types: list[ThreadType]
    sticky: list[Thread]
    threads: list[Thread]
    pager: Pager
    type_filter: ThreadType | None
    digest_only: bool
    order: str


def fetch_board_page(
    perms: UserPerms,
    board: Board,
    *,
    page: int,
    type_id: int | None = None,
    digest_only: bool = False,
    order: str = "lastpost",
) -> BoardPage:
    settings = get_site_settings()
    per_page = settings.threads_per_page
    subs = [b for b in Board.objects.filter(parent=board) if can_view_board(perms, b)]
    types = list(ThreadType.objects.filter(board=board)) if board.thread_types_enabled else []
    type_filter = next((t for t in types if t.pk == type_id), None)
    order = order if order in BOARD_ORDERS else "lastpost"

    now = timezone.now()
    base = filter_threads_queryset(perms, Thread.objects.filter(board=board), board)
    if type_filter is not None:
        base = base.filter(type=type_filter)
    if digest_only:
        base = base.filter(digest__gt=0)
    filtered = type_filter is not None or digest_only

    sticky: list[Thread] = []
    if page == 1 and not filtered:
        wide = Q(sticky=Thread.Sticky.GLOBAL)
        if board.parent_id:
            wide |= Q(sticky=Thread.Sticky.CATEGORY, board__parent_id=board.parent_id)
        sticky = list(
            Thread.objects.filter(Q(board=board, sticky__gt=0) | wide, state=Thread.State.VISIBLE)
            .filter(_still_sticky(now))
            .select_related("type", "board")
            .order_by("-sticky", "-last_post_at")
        )
    # A thread whose item-sticky ran out lists with the others again.
    normal = base.filter(Q(sticky=0) | Q(sticky_until__lte=now)) if not filtered else base
    if filtered or perms.is_authenticated:
        total = normal.count()
    else:
        # The board's counter already counts its visible threads: no COUNT(*) for guests.
        own_sticky = Thread.objects.filter(
            board=board, state=Thread.State.VISIBLE, sticky__gt=0
        ).filter(_still_sticky(now))
        total = max(
            0,
            board.threads
            - (
                sum(1 for t in sticky if t.board_id == board.pk)
                if page == 1
                else own_sticky.count()
            ),
        )
    pages = page_count(total, per_page)
    page = min(page, pages)
    start = (page - 1) * per_page
    threads = list(
        normal.select_related("type").order_by(*BOARD_ORDERS[order])[start : start + per_page]
    )
    return BoardPage(
        board=board,
        subs=subs,
        types=types,
        sticky=sticky,
        threads=threads,
        pager=Pager(page, pages),
        type_filter=type_filter,
        digest_only=digest_only,
        order=order,
    )


# Thread ---------------------------------------------------------------------------------------


@dataclass
class ThreadPage:
    thread: Thread
    posts: list[Post]  # in display order; hot replies follow the first post on page 1
    pager: Pager
    author_id: int | None
    reverse: bool
    hot_ids: set[int] = field(default_factory=set)
    my_votes: dict[int, int] = field(default_factory=dict)


def floor_label(position: int, labels: list[str]) -> str:
    return labels[position - 1] if 0 < position <= len(labels) else f"{position}#"


def floor_page(thread: Thread, position: int, per_page: int) -> int:
    """The page a floor is on in the default (oldest first) order."""
    return max(1, (position - 1) // per_page + 1)


def _post_qs(thread: Thread) -> Any:
    return Post.objects.filter(thread=thread).select_related("author")


def fetch_thread_page(
    perms: UserPerms,
    thread: Thread,
    *,
    page: int,
    author_id: int | None = None,
    reverse: bool = False,
) -> ThreadPage:
    """One page of floors. Pages are position ranges (floor numbers never change), so a deep page
    is one index range scan, not an OFFSET; a deleted floor shows as a gap marker."""
    settings = get_site_settings()
    per_page = settings.posts_per_page
    if author_id is not None:
        qs = _post_qs(thread).filter(author_id=author_id, state=Post.State.VISIBLE)
        total = qs.count()
        pages = page_count(total, per_page)
        page = min(page, pages)
        ordering = "-position" if reverse else "position"
        posts = list(qs.order_by(ordering)[(page - 1) * per_page : page * per_page])
    else:
        top = thread.max_position
        pages = page_count(top, per_page)
        page = min(page, pages)
        if not reverse:
            low, high = (page - 1) * per_page + 1, page * per_page
            posts = list(_post_qs(thread).filter(position__range=(low, high)).order_by("position"))
        else:
            # Newest first, the first post still opens page 1 (Discuz's 倒序浏览).
            high = top - (page - 1) * per_page + (0 if page == 1 else 1)
            low = max(2, top - page * per_page + 2)
            cond = Q(position__range=(low, high))
            if page == 1:
                cond |= Q(position=1)
            posts = sorted(
                _post_qs(thread).filter(cond), key=lambda p: (not p.is_first, -p.position)
            )

    hot_ids: set[int] = set()
    if page == 1 and author_id is None and settings.hot_replies and settings.votes_enabled:
        hot = list(
            _post_qs(thread)
            .filter(Q(support__gt=0) | Q(oppose__gt=0), state=Post.State.VISIBLE, is_first=False)
            .annotate(vote_total=F("support") + F("oppose"))
            .filter(vote_total__gte=settings.hot_reply_min_votes)
            .order_by("-vote_total", "position")[: settings.hot_replies]
        )
        if hot:
            hot_ids = {p.pk for p in hot}
            rest = [p for p in posts if p.pk not in hot_ids]
            first = [p for p in rest if p.is_first]
            others = [p for p in rest if not p.is_first]
            posts = first + hot + others

    prefetch_attachments(posts)
    my_votes: dict[int, int] = {}
    if perms.is_authenticated and settings.votes_enabled:
        voteable = [p.pk for p in posts if not p.is_first]
        if voteable:
            my_votes = dict(
                PostVote.objects.filter(user_id=perms.user_id, post_id__in=voteable).values_list(
                    "post_id", "value"
                )
            )
    return ThreadPage(
        thread=thread,
        posts=posts,
        pager=Pager(page, pages),
        author_id=author_id,
        reverse=reverse,
        hot_ids=hot_ids,
        my_votes=my_votes,
    )


def prefetch_attachments(posts: list[Post]) -> None:
    """Set ``post.attachment_list`` on each post with one query (none when no post has files)."""
    ids = [p.pk for p in posts if p.has_attachments]
    by_post: dict[int, list[Attachment]] = {}
    if ids:
        for attachment in Attachment.objects.filter(post_id__in=ids).order_by("id"):
            by_post.setdefault(attachment.post_id, []).append(attachment)  # type: ignore[arg-type]
    for post in posts:
        post.attachment_list = by_post.get(post.pk, [])  # type: ignore[attr-defined]


def fetch_first_post(thread: Thread) -> Post | None:
    post = _post_qs(thread).filter(position=1).first()
    if post is not None:
        prefetch_attachments([post])
    return post


def find_floor(thread: Thread, position: int) -> Post | None:
    return (
        Post.objects.filter(thread=thread, position=position)
        .only("id", "position", "thread_id")
        .first()
    )


def fetch_review_queue(perms: UserPerms, *, page: int, per_page: int) -> tuple[int, list[Post]]:
    """Posts waiting for review in the boards the viewer moderates (all boards for super
    moderators), oldest first: two queries."""
    qs = Post.objects.filter(state=Post.State.PENDING)
    if not perms.is_super_moderator:
        qs = qs.filter(thread__board_id__in=perms.moderated_board_ids)
    total = qs.count()
    start = (max(page, 1) - 1) * per_page
    posts = list(
        qs.select_related("thread", "thread__board", "author").order_by("created_at", "id")[
            start : start + per_page
        ]
    )
    return total, posts
