"""管理日志: the moderation log, for moderators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fupan.core.pagination import Pager, page_count, parse_page
from fupan.moderation.queries import fetch_mod_log

PER_PAGE = 50


@require_GET
def mod_log_view(request: HttpRequest) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated or not (perms.is_super_moderator or perms.moderated_board_ids):
        raise PermissionDenied(_("Only moderators may see the moderation log."))
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "").strip()[:32]
    page = parse_page(request.GET.get("page"))
    total, entries, actions = fetch_mod_log(
        perms, action=action, actor=actor, page=page, per_page=PER_PAGE
    )
    pages = page_count(total, PER_PAGE)
    return render(
        request,
        "moderation/mod_log.jinja",
        {
            "entries": entries,
            "total": total,
            "pager": Pager(min(page, pages), pages),
            "actions": actions,
            "action": action,
            "actor": actor,
        },
    )
