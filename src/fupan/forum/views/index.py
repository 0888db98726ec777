from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fupan.core.pagecache import guest_cache
from fupan.forum.caching import index_generations
from fupan.forum.queries import fetch_index


@guest_cache(index_generations)
@require_GET
def index_view(request: HttpRequest) -> HttpResponse:
    page = fetch_index(request.perms)  # type: ignore[attr-defined]
    return render(request, "forum/index.jinja", {"index": page})
