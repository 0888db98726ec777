from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fupan.core.http import parse_int
from fupan.core.pagecache import expire_at, guest_cache
from fupan.core.pagination import parse_page
from fupan.forum.caching import board_generations
from fupan.forum.queries import fetch_board_page
from fupan.inbox.queries import board_kept
from fupan.permissions import access_board_by_id, can_start_thread


@guest_cache(board_generations, params=("page", "type", "filter", "order"))
@require_GET
def board_view(request: HttpRequest, board_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    board = access_board_by_id(perms, board_id)
    page = fetch_board_page(
        perms,
        board,
        page=parse_page(request.GET.get("page")),
        type_id=parse_int(request.GET.get("type")),
        digest_only=request.GET.get("filter") == "digest",
        order=request.GET.get("order", "lastpost"),
    )
    # An item's highlight or stick runs out by itself: a cached copy of the list ends with it.
    expire_at(
        request,
        [t.highlight_until for t in (*page.sticky, *page.threads)]
        + [t.sticky_until for t in (*page.sticky, *page.threads)],
    )
    template = "forum/_thread_list.jinja" if request.htmx else "forum/board.jinja"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "board": board,
            "page": page,
            "can_start_thread": can_start_thread(perms, board),
            "kept": board_kept(perms.user_id, board.pk),
        },
    )
