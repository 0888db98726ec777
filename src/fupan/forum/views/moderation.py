"""Moderators' controls on a thread and its posts (管理): one endpoint per object, the action
named in the form. Plain forms redirect back with a message; htmx gets a client redirect."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from fupan.core.errors import ErrorCode, FupanError
from fupan.core.http import parse_int
from fupan.forum import actions
from fupan.forum.actions.moderation import HIGHLIGHT_COLOURS
from fupan.forum.models import Board, Post, Thread
from fupan.forum.views.thread import post_url, thread_url
from fupan.permissions import (
    access_board_by_id,
    access_post_by_id,
    access_thread_by_id,
    can_moderate_board,
    check_moderate_board_permission,
    filter_boards,
)

THREAD_ACTIONS = (
    "close",
    "open",
    "stick",
    "digest",
    "highlight",
    "move",
    "merge",
    "delete",
    "restore",
)
POST_ACTIONS = ("hide", "unhide", "warn", "unwarn", "delete", "restore")


def moderation_context(perms: Any, thread: Thread) -> dict[str, Any]:
    """What the thread page's 管理 panel needs (one query: the boards to move to)."""
    boards = [
        b
        for b in filter_boards(perms, Board.objects.exclude(kind=Board.Kind.CATEGORY))
        if can_moderate_board(perms, b)
    ]
    return {"mod_boards": boards, "highlight_colours": HIGHLIGHT_COLOURS}


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _refused(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.error(request, message)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


@require_POST
def moderate_thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    thread = _access_thread_for_moderation(perms, thread_id)
    check_moderate_board_permission(perms, thread.board)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")[:200]
    back = thread_url(thread)
    user = request.user
    try:
        if action not in THREAD_ACTIONS:
            raise FupanError(ErrorCode.BAD_REQUEST, _("Unknown moderation action."))
        if action in ("close", "open"):
            actions.do_close_thread(
                thread, acting_user=user, closed=action == "close", reason=reason
            )
            return _done(
                request,
                back,
                _("The thread is closed.") if action == "close" else _("The thread is open again."),
            )
        if action == "stick":
            level = parse_int(request.POST.get("level")) or 0
            hours = parse_int(request.POST.get("hours"))
            until = timezone.now() + timedelta(hours=hours) if hours else None
            actions.do_stick_thread(
                thread,
                acting_user=user,
                level=level if level <= 3 else -1,
                until=until,
                reason=reason,
            )
            return _done(request, back, _("Sticky level set."))
        if action == "digest":
            level = parse_int(request.POST.get("level")) or 0
            actions.do_digest_thread(
                thread, acting_user=user, level=level if level <= 3 else -1, reason=reason
            )
            return _done(request, back, _("Digest level set."))
        if action == "highlight":
            actions.do_highlight_thread(
                thread, acting_user=user, colour=request.POST.get("colour", ""), reason=reason
            )
            return _done(request, back, _("Highlight set."))
        if action == "move":
            target = access_board_by_id(perms, parse_int(request.POST.get("board")) or 0)
            check_moderate_board_permission(perms, target)
            actions.do_move_thread(thread, acting_user=user, board=target, reason=reason)
            return _done(
                request, back, _("The thread has moved to %(board)s.") % {"board": target.name}
            )
        if action == "merge":
            target_id = parse_int(request.POST.get("target"))
            if not target_id:
                raise FupanError(
                    ErrorCode.BAD_REQUEST, _("Enter the number of the thread to merge into.")
                )
            target = access_thread_by_id(perms, target_id)
            check_moderate_board_permission(perms, target.board)
            actions.do_merge_threads(thread, target, acting_user=user, reason=reason)
            return _done(request, thread_url(target), _("The threads have been merged."))
        if action == "delete":
            actions.do_delete_thread(thread, acting_user=user, reason=reason)
            return _done(
                request,
                f"/f/{thread.board_id}/",
                _("The thread has been moved to the recycle bin."),
            )
        actions.do_restore_thread(thread, acting_user=user)
        return _done(request, back, _("The thread has been restored."))
    except FupanError as exc:
        return _refused(request, back, exc.message)


def _access_thread_for_moderation(perms: Any, thread_id: int) -> Thread:
    # Moderators see recycled threads (to restore them); access_thread_by_id already allows that.
    return access_thread_by_id(perms, thread_id)


@require_POST
def moderate_post_view(request: HttpRequest, post_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    post = access_post_by_id(perms, post_id)
    check_moderate_board_permission(perms, post.thread.board)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")[:200]
    back = post_url(post)
    user = request.user
    try:
        if action not in POST_ACTIONS:
            raise FupanError(ErrorCode.BAD_REQUEST, _("Unknown moderation action."))
        if action in ("hide", "unhide"):
            actions.do_hide_post(post, acting_user=user, hidden=action == "hide", reason=reason)
            return _done(
                request,
                back,
                _("The post is hidden from readers.")
                if action == "hide"
                else _("The post is shown again."),
            )
        if action in ("warn", "unwarn"):
            actions.do_warn_post(post, acting_user=user, warned=action == "warn", reason=reason)
            return _done(
                request,
                back,
                _("The post carries a warning.")
                if action == "warn"
                else _("The warning is lifted."),
            )
        if action == "delete":
            actions.do_delete_post(post, acting_user=user, reason=reason)
            return _done(request, thread_url(post.thread), _("The post has been deleted."))
        actions.do_restore_post(post, acting_user=user)
        return _done(request, back, _("The post has been restored."))
    except FupanError as exc:
        return _refused(request, back, exc.message)


@require_http_methods(["GET", "POST"])
def split_thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Choose replies and a title; they become a new thread in the same board."""
    perms = request.perms  # type: ignore[attr-defined]
    thread = access_thread_by_id(perms, thread_id)
    check_moderate_board_permission(perms, thread.board)
    replies = list(
        Post.objects.filter(thread=thread, is_first=False)
        .exclude(state=Post.State.DELETED)
        .order_by("position")[:500]
    )
    error = ""
    if request.method == "POST":
        chosen_ids = {parse_int(v) for v in request.POST.getlist("posts")}
        chosen = [p for p in replies if p.pk in chosen_ids]
        try:
            new = actions.do_split_thread(
                thread, chosen, acting_user=request.user, title=request.POST.get("title", "")
            )
        except FupanError as exc:
            error = exc.message
        else:
            return _done(request, thread_url(new), _("The replies now form a new thread."))
    return render(
        request,
        "forum/split.jinja",
        {
            "thread": thread,
            "board": thread.board,
            "replies": replies,
            "error": error,
            "title": request.POST.get("title", ""),
        },
        status=400 if error else 200,
    )


# Review queue ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
def review_queue_view(request: HttpRequest) -> HttpResponse:
    """审核: posts and threads waiting for a moderator, oldest first, in the boards I moderate."""
    from fupan.core.pagination import Pager, page_count, parse_page
    from fupan.forum.queries import fetch_review_queue

    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated or not (perms.is_super_moderator or perms.moderated_board_ids):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only moderators may see the review queue."))
    per_page = 30
    total, posts = fetch_review_queue(
        perms, page=parse_page(request.GET.get("page")), per_page=per_page
    )
    pager = Pager(
        min(parse_page(request.GET.get("page")), page_count(total, per_page)),
        page_count(total, per_page),
    )
    return render(
        request, "forum/review_queue.jinja", {"posts": posts, "total": total, "pager": pager}
    )


@require_POST
def review_post_view(request: HttpRequest, post_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    post = access_post_by_id(perms, post_id)
    check_moderate_board_permission(perms, post.thread.board)
    decision = request.POST.get("decision")
    back = request.POST.get("next") or "/mod/review/"
    if not back.startswith("/") or back.startswith("//"):
        back = "/mod/review/"
    try:
        if decision == "approve":
            actions.do_approve_post(post, acting_user=request.user)
            return _done(request, back, _("Approved: the post is now public."))
        if decision == "reject":
            actions.do_reject_post(
                post, acting_user=request.user, reason=request.POST.get("reason", "")[:200]
            )
            return _done(request, back, _("Rejected: the post has been deleted."))
        raise FupanError(ErrorCode.BAD_REQUEST, _("Choose approve or reject."))
    except FupanError as exc:
        return _refused(request, back, exc.message)


# The moderator's hub and the recycle bin --------------------------------------------------------


def _check_any_moderator(perms: Any) -> None:
    if not perms.is_authenticated or not (perms.is_super_moderator or perms.moderated_board_ids):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only moderators may see this page."))


@require_http_methods(["GET"])
def mod_hub_view(request: HttpRequest) -> HttpResponse:
    """管理: what waits for this moderator — posts to review, open reports, open appeals — and the
    tools (recycle bin, IP bans, the log)."""
    from fupan.moderation.models import Appeal, Report
    from fupan.permissions.moderation import filter_appeals_queryset, filter_reports_queryset

    perms = request.perms  # type: ignore[attr-defined]
    _check_any_moderator(perms)
    pending = Post.objects.filter(state=Post.State.PENDING)
    recycled = Thread.objects.filter(state=Thread.State.RECYCLED, redirect_to__isnull=True)
    if not perms.is_super_moderator:
        pending = pending.filter(thread__board_id__in=perms.moderated_board_ids)
        recycled = recycled.filter(board_id__in=perms.moderated_board_ids)
    counts = {
        "review": pending.count(),
        "reports": filter_reports_queryset(
            perms, Report.objects.filter(status=Report.Status.OPEN)
        ).count(),
        "appeals": filter_appeals_queryset(
            perms, Appeal.objects.filter(status=Appeal.Status.OPEN)
        ).count(),
        "recycled": recycled.count(),
    }
    return render(request, "forum/mod_hub.jinja", {"counts": counts})


@require_http_methods(["GET"])
def recycle_bin_view(request: HttpRequest) -> HttpResponse:
    """回收站: threads deleted by moderators, newest first, to look at or restore."""
    from fupan.core.pagination import Pager, page_count, parse_page

    perms = request.perms  # type: ignore[attr-defined]
    _check_any_moderator(perms)
    qs = Thread.objects.filter(
        state=Thread.State.RECYCLED, redirect_to__isnull=True
    ).select_related("board")
    if not perms.is_super_moderator:
        qs = qs.filter(board_id__in=perms.moderated_board_ids)
    per_page = 30
    total = qs.count()
    pages = page_count(total, per_page)
    page = min(parse_page(request.GET.get("page")), pages)
    threads = list(qs.order_by("-last_post_at", "-id")[(page - 1) * per_page : page * per_page])
    return render(
        request,
        "forum/recycle_bin.jinja",
        {"threads": threads, "total": total, "pager": Pager(page, pages)},
    )
