from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input_lazy
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fupan.core.http import parse_int
from fupan.core.pagecache import guest_cache
from fupan.core.pagination import parse_page
from fupan.core.routes import url as route
from fupan.core.site import get_site_settings
from fupan.core.submissions import new_token
from fupan.forum.actions import do_count_thread_view
from fupan.forum.caching import thread_generations
from fupan.forum.frame import frame_parts
from fupan.forum.models import Post, Thread
from fupan.forum.presenters import (
    attachment_viewer,
    floors_page,
    login_url_for,
    page_floors,
    present_post,
    thread_frame,
)
from fupan.forum.queries import (
    fetch_first_post,
    fetch_thread_page,
    find_floor,
    floor_page,
    marked_thread_loader,
)
from fupan.forum.viewcounts import count_thread_view
from fupan.permissions import (
    access_post_by_id,
    access_thread_by_id,
    can_moderate_board,
    can_reply_thread,
)
from fupan.permissions.forum import can_recommend_thread


def thread_url(thread: Thread | int, *, page: int = 1, anchor: int | None = None) -> str:
    tid = thread if isinstance(thread, int) else thread.pk
    url = route("forum:thread", tid)
    if page > 1:
        url += f"?page={page}"
    if anchor:
        url += f"#pid{anchor}"
    return url


def post_url(post: Post, *, per_page: int | None = None) -> str:
    per_page = per_page or get_site_settings().posts_per_page
    return thread_url(
        post.thread_id, page=floor_page(post.thread, post.position, per_page), anchor=post.pk
    )


def _count_view_of_cached_page(request: HttpRequest, thread_id: int) -> None:
    # The cached page printed its count when it was drawn.
    count_thread_view(thread_id, shown=False)


@guest_cache(
    thread_generations, params=("page", "author", "order"), on_hit=_count_view_of_cached_page
)
@require_GET
def thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    site = get_site_settings()
    # A member's marks on the thread (favourite, followed, 顶/踩) come with it in one query.
    load = marked_thread_loader(perms.user_id) if perms.is_authenticated else None
    try:
        thread = access_thread_by_id(perms, thread_id, load=load)
    except Http404:
        # A merged thread's old address leads to the thread it became part of.
        target = (
            Thread.objects.filter(pk=thread_id, redirect_to__isnull=False)
            .values_list("redirect_to", flat=True)
            .first()
        )
        if target:
            return redirect(thread_url(target), permanent=True)
        raise
    if thread.redirect_to_id:
        return redirect(thread_url(thread.redirect_to_id), permanent=True)
    author_id = parse_int(request.GET.get("author"))
    reverse_order = request.GET.get("order") == "desc"
    data = fetch_thread_page(
        perms,
        thread,
        page=parse_page(request.GET.get("page")),
        author_id=author_id,
        reverse=reverse_order,
    )
    do_count_thread_view(thread)
    moderator = can_moderate_board(perms, thread.board_id)
    # Posts waiting for review show only to their author and the moderators.
    shown = [
        p
        for p in data.posts
        if p.state != Post.State.PENDING
        or moderator
        or (p.author_id and p.author_id == perms.user_id)
    ]
    login_url = login_url_for(request.get_full_path())
    viewer = attachment_viewer(perms, thread.board, site, login_url, no_images=request.no_images)
    page = floors_page(
        request,
        site=site,
        thread=thread,
        viewer=viewer,
        is_moderator=moderator,
        author_filter=bool(data.author_id),
        reverse=data.reverse,
        can_recommend=can_recommend_thread(perms, thread),
        # Their own 顶/踩, read with the thread (marked_thread_loader); None: not voted.
        my_recommend=getattr(thread, "my_recommend", None),
    )
    can_reply = can_reply_thread(perms, thread)
    board = thread.board
    frame = thread_frame(
        request,
        site=site,
        thread=thread,
        perms=perms,
        page=page,
        pager=data.pager,
        can_reply=can_reply,
        # The quick reply may append the new floor in place only on the last page, oldest first.
        append_ok=not reverse_order and author_id is None and data.pager.page == data.pager.pages,
        is_moderator=moderator,
    )
    mod_panel = ""
    if moderator:
        from fupan.forum.views.moderation import moderation_context

        mod_panel = render_to_string(
            "forum/_mod_panel.jinja",
            {"thread": thread, "board": board, **moderation_context(perms, thread)},
            request,
        )
    token = new_token() if can_reply else ""
    floors = page_floors(
        shown,
        thread=thread,
        perms=perms,
        site=site,
        viewer=viewer,
        page=page,
        hot_ids=data.hot_ids,
        my_votes=data.my_votes,
        now=timezone.now(),
    )
    context = {
        "parts": frame_parts(
            frame,
            views=thread.views,
            csrf_input=csrf_input_lazy(request),
            token=token,
            mod_panel=mod_panel,
        ),
        "reply_token": token,
        "thread": thread,
        "board": board,
        "data": data,
        "replies": thread.replies,
        "floors": floors,
        # A jammer board's noise is new at every view: its floors are drawn, never kept.
        "keep_floors": not board.jammer,
        "viewer": viewer,
        "login_url": login_url,
        "can_reply": can_reply,
        "is_moderator": moderator,
        "canonical": frame.canonical,
    }
    _noise_is_per_view(request, thread)
    return render(request, "forum/thread.jinja", context)


def _noise_is_per_view(request: HttpRequest, thread: Thread) -> None:
    """A jammer board's anti-copy noise is drawn anew for every view: never a cached copy."""
    if thread.board.jammer:
        request.page_cache = False  # type: ignore[attr-defined]


@guest_cache(thread_generations)
@require_GET
def reading_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    """阅读模式: the first post alone, in a quiet layout."""
    perms = request.perms  # type: ignore[attr-defined]
    site = get_site_settings()
    thread = access_thread_by_id(perms, thread_id)
    post = fetch_first_post(thread)
    if post is None:
        raise Http404(_("This thread does not exist or has been deleted."))
    login_url = login_url_for(request.get_full_path())
    viewer = attachment_viewer(perms, thread.board, site, login_url, no_images=request.no_images)
    pv = present_post(post, thread=thread, perms=perms, site=site, viewer=viewer)
    _noise_is_per_view(request, thread)
    return render(
        request,
        "forum/reading.jinja",
        {"thread": thread, "board": thread.board, "pv": pv, "viewer": viewer},
    )


@guest_cache(thread_generations)
@require_GET
def floor_redirect_view(request: HttpRequest, thread_id: int, floor: int) -> HttpResponse:
    """``/t/<tid>/<floor>/``: the page and anchor of one floor, found with one index lookup."""
    perms = request.perms  # type: ignore[attr-defined]
    thread = access_thread_by_id(perms, thread_id)
    post = find_floor(thread, floor)
    if post is None:
        raise Http404(_("Floor %(floor)d of this thread does not exist.") % {"floor": floor})
    page = floor_page(thread, post.position, get_site_settings().posts_per_page)
    return redirect(thread_url(thread, page=page, anchor=post.pk))


@require_GET
def post_redirect_view(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access_post_by_id(request.perms, post_id)  # type: ignore[attr-defined]
    return redirect(post_url(post))
