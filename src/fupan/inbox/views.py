"""The inbox pages: notifications (提醒), favourites (收藏) and followed threads (关注), and the
buttons that keep a thread or a board. Each answers htmx with a fragment and plain requests with
a page or a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fupan.core.errors import FupanError
from fupan.core.pagination import parse_page
from fupan.inbox.actions import (
    do_add_favorite,
    do_delete_notification,
    do_follow_thread,
    do_mark_notifications_read,
    do_remove_favorite,
    do_unfollow_thread,
)
from fupan.inbox.models import Favorite, ThreadFollow
from fupan.inbox.queries import (
    KIND_GROUPS,
    board_kept,
    fetch_favorites,
    fetch_followed,
    fetch_notifications,
    thread_keeping,
)
from fupan.permissions import access_board_by_id, access_thread_by_id
from fupan.permissions.inbox import check_keep_favorites_permission

PER_PAGE = 20


def _login_first(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = default
    return redirect(target or default)


@require_GET
def notifications_view(request: HttpRequest) -> HttpResponse:
    """提醒: newest first, in tabs; what was unread is marked, then everything counts as read."""
    if not request.user.is_authenticated:
        return _login_first(request)
    group = request.GET.get("kind", "")
    if group not in KIND_GROUPS:
        group = ""
    rows, pager, total = fetch_notifications(
        request.user, group=group, page=parse_page(request.GET.get("page")), per_page=PER_PAGE
    )
    if request.user.new_notifications or any(r.n.is_new for r in rows):
        do_mark_notifications_read(request.user)
    return render(
        request,
        "inbox/notifications.jinja",
        {"rows": rows, "pager": pager, "total": total, "group": group},
    )


@require_POST
def delete_notification_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_first(request)
    do_delete_notification(request.user, notification_id)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")
    return _back(request, reverse("inbox:notifications"))


def _thread_buttons(request: HttpRequest, thread: object) -> HttpResponse:
    kept, followed = thread_keeping(request.user.pk, thread.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "inbox/_thread_buttons.jinja",
        {"thread": thread, "kept": kept, "followed": followed},
    )


@require_POST
def favorite_thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    """收藏 / 取消收藏 a thread ("remove" in the form takes it out)."""
    perms = request.perms  # type: ignore[attr-defined]
    thread = access_thread_by_id(perms, thread_id)
    check_keep_favorites_permission(perms)
    try:
        if "remove" in request.POST:
            do_remove_favorite(request.user, thread=thread)
            note = _("Removed from your favourites.")
        else:
            do_add_favorite(request.user, thread=thread)
            note = _("Added to your favourites.")
    except FupanError as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(exc.message, status=exc.status)
        messages.error(request, exc.message)
        return _back(request, reverse("forum:thread", args=[thread.pk]))
    if request.htmx:  # type: ignore[attr-defined]
        thread.refresh_from_db(fields=["favorites"])
        return _thread_buttons(request, thread)
    messages.success(request, note)
    return _back(request, reverse("forum:thread", args=[thread.pk]))


@require_POST
def follow_thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    """关注 / 取消关注: follow a thread to be notified of its replies."""
    perms = request.perms  # type: ignore[attr-defined]
    thread = access_thread_by_id(perms, thread_id)
    check_keep_favorites_permission(perms)
    if "remove" in request.POST:
        do_unfollow_thread(request.user, thread)
        note = _("You no longer follow this thread.")
    else:
        do_follow_thread(request.user, thread)
        note = _("You follow this thread: its new replies will be in your notifications.")
    if request.htmx:  # type: ignore[attr-defined]
        return _thread_buttons(request, thread)
    messages.success(request, note)
    return _back(request, reverse("forum:thread", args=[thread.pk]))


@require_POST
def unfollow_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Stop following from the followed-threads page: works for a thread the member can no longer
    read too (it only removes the member's own follow)."""
    if not request.user.is_authenticated:
        return _login_first(request)
    follow = ThreadFollow.objects.filter(user_id=request.user.pk, thread_id=thread_id).first()
    if follow is not None:
        do_unfollow_thread(request.user, follow.thread)
        messages.success(request, _("You no longer follow this thread."))
    return redirect(reverse("inbox:following"))


@require_POST
def favorite_board_view(request: HttpRequest, board_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    board = access_board_by_id(perms, board_id)
    check_keep_favorites_permission(perms)
    try:
        if "remove" in request.POST:
            do_remove_favorite(request.user, board=board)
            note = _("Removed from your favourites.")
        else:
            do_add_favorite(request.user, board=board)
            note = _("Added to your favourites.")
    except FupanError as exc:
        messages.error(request, exc.message)
        return _back(request, reverse("forum:board", args=[board.pk]))
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "inbox/_board_button.jinja",
            {"board": board, "kept": board_kept(request.user.pk, board.pk)},
        )
    messages.success(request, note)
    return _back(request, reverse("forum:board", args=[board.pk]))


@require_GET
def favorites_view(request: HttpRequest) -> HttpResponse:
    """我的收藏: threads, or boards (``?type=board``)."""
    if not request.user.is_authenticated:
        return _login_first(request)
    kind = "board" if request.GET.get("type") == "board" else "thread"
    favorites, pager, total = fetch_favorites(
        request.perms,  # type: ignore[attr-defined]
        kind=kind,
        page=parse_page(request.GET.get("page")),
        per_page=PER_PAGE,
    )
    return render(
        request,
        "inbox/favorites.jinja",
        {"favorites": favorites, "pager": pager, "total": total, "kind": kind},
    )


@require_POST
def delete_favorite_view(request: HttpRequest, favorite_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_first(request)
    favorite = Favorite.objects.filter(pk=favorite_id, user_id=request.user.pk).first()
    if favorite is not None:
        if favorite.thread_id:
            do_remove_favorite(request.user, thread=favorite.thread)
        else:
            do_remove_favorite(request.user, board=favorite.board)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")
    return _back(request, reverse("inbox:favorites"))


@require_GET
def following_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_first(request)
    follows, pager, total = fetch_followed(
        request.perms,  # type: ignore[attr-defined]
        page=parse_page(request.GET.get("page")),
        per_page=PER_PAGE,
    )
    return render(
        request,
        "inbox/following.jinja",
        {"follows": follows, "pager": pager, "total": total},
    )
