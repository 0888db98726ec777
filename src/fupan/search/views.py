"""/search/ (the page) and /api/v1/search/ (JSON): the same parameters, the same results."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fupan.core import ratelimit
from fupan.core.http import client_ip
from fupan.core.pagination import parse_page
from fupan.core.site import get_site_settings
from fupan.core.timefmt import discuz_datetime
from fupan.permissions.search import can_search
from fupan.search.queries import (
    MAX_RESULTS,
    SINCE_DAYS,
    SearchPage,
    SearchParams,
    fetch_search_page,
    find_author_id,
    parse_days,
)
from fupan.search.text import MAX_QUERY_CHARS


class SearchRefused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _params(request: HttpRequest) -> tuple[SearchParams, str]:
    """The search parameters from the query string, and a note about any that could not be
    used (an unknown author)."""
    get = request.GET
    note = ""
    author_name = get.get("author", "").strip()[:32]
    author_id = None
    if author_name:
        author_id = find_author_id(author_name)
        if author_id is None:
            note = _("There is no member named “%(name)s”.") % {"name": author_name}
            author_id = -1  # nobody: no results
    try:
        board_id = int(get.get("board") or 0) or None
    except ValueError:
        board_id = None
    return (
        SearchParams(
            q=get.get("q", ""),
            scope="title" if get.get("scope") == "title" else "all",
            board_id=board_id,
            author_id=author_id,
            days=parse_days(get.get("days")),
            sort="time" if get.get("sort") == "time" else "relevance",
        ),
        note,
    )


def _check(request: HttpRequest) -> None:
    perms = request.perms  # type: ignore[attr-defined]
    if not can_search(perms):
        raise SearchRefused(_("Your user group may not search."), 403)
    limit = get_site_settings().search_per_minute
    keys = [f"ip:{client_ip(request)}"]
    if perms.is_authenticated:
        keys.append(f"user:{perms.user_id}")
    # Count the search against every key (the IP and the member), then decide.
    allowed = [ratelimit.hit("search", key, limit=limit, window=60) for key in keys]
    if not all(allowed):
        raise SearchRefused(
            _("You are searching too often. Please wait a minute and try again."), 429
        )


def _search(request: HttpRequest) -> tuple[SearchPage | None, SearchParams, str, int]:
    params, note = _params(request)
    if not request.GET.get("q", "").strip():
        return None, params, note, 200
    if params.query.is_empty:
        return None, params, _("Type at least one letter, digit or Chinese character."), 200
    try:
        _check(request)
    except SearchRefused as exc:
        return None, params, exc.message, exc.status
    page = fetch_search_page(
        request.perms,  # type: ignore[attr-defined]
        params,
        page=parse_page(request.GET.get("page")),
    )
    if len(request.GET.get("q", "")) > MAX_QUERY_CHARS:
        note = _("Only the first %(n)d characters of the query were used.") % {"n": MAX_QUERY_CHARS}
    return page, params, note, 200


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    from fupan.forum.queries import fetch_board_tree

    page, params, note, status = _search(request)
    perms = request.perms  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "page": page,
        "params": params,
        "note": note,
        "author": request.GET.get("author", "").strip()[:32],
        "since_days": SINCE_DAYS,
        "max_results": MAX_RESULTS,
        "pager": page.pager if page else None,
    }
    if not request.htmx:  # type: ignore[attr-defined]
        context["categories"] = fetch_board_tree(perms)
    template = "search/_results.jinja" if request.htmx else "search/search.jinja"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@require_GET
def search_api_view(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/search/?q=…`` with the page's parameters; results as JSON."""
    page, params, note, status = _search(request)
    if page is None:
        return JsonResponse(
            {"error": note or _("Type something to search for.")},
            status=status if status != 200 else 400,
        )
    return JsonResponse(
        {
            "query": params.query.raw,
            "total": page.total,
            "capped": page.capped,
            "page": page.pager.page,
            "pages": page.pager.pages,
            "note": note,
            "results": [
                {
                    "post_id": r.post.pk,
                    "thread_id": r.thread.pk,
                    "floor": r.post.position,
                    "is_first": r.post.is_first,
                    "title": r.thread.title,
                    "title_html": str(r.title),
                    "snippet_html": str(r.snippet),
                    "author": r.post.author_name,
                    "author_id": r.post.author_id,
                    "board_id": r.thread.board_id,
                    "board": r.thread.board.name,
                    "created": r.post.created_at.isoformat(),
                    "created_display": discuz_datetime(r.post.created_at),
                    "url": f"/p/{r.post.pk}/",
                }
                for r in page.results
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
