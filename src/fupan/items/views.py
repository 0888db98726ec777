"""The item shop, using an item on a thread, and a board's credit rules (本版积分规则).

Each view parses, loads through ``access_*``, checks, calls one action and renders; the same URL
answers htmx with a fragment (or an ``HX-Redirect``) and plain requests with a page (or a
redirect)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from fupan.accounts.credits import (
    credit_names,
    describe_cycle,
    format_delta,
    formula_text,
    rules_for_board,
)
from fupan.core.errors import FupanError
from fupan.core.http import parse_int
from fupan.core.pagecache import guest_cache
from fupan.forum.presenters import login_url_for
from fupan.forum.views.thread import thread_url
from fupan.items.actions import (
    MAX_QUANTITY,
    check_quantity,
    do_buy_item,
    do_use_item,
    highlight_color_choices,
)
from fupan.items.queries import fetch_shop, fetch_usable_items
from fupan.permissions import access_board_by_id, access_thread_by_id
from fupan.permissions.items import (
    access_item_by_id,
    can_buy_items,
    check_buy_items_permission,
    check_use_item_on_thread_permission,
)


def _to_login(request: HttpRequest, next_url: str) -> HttpResponse:
    url = login_url_for(next_url)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _refusal(exc: FupanError | PermissionDenied) -> tuple[str, int]:
    if isinstance(exc, FupanError):
        return exc.message, exc.status
    return str(exc) or _("You may not do this."), 403


# Shop -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def shop_view(request: HttpRequest) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    shop_url = reverse("items:shop")
    error = notice = ""
    status = 200
    if request.method == "POST":
        if not perms.is_authenticated:
            return _to_login(request, shop_url)
        try:
            check_buy_items_permission(perms)
            item = access_item_by_id(perms, request.POST.get("item"))
            quantity = check_quantity(parse_int(request.POST.get("quantity")))
            held = do_buy_item(item, acting_user=request.user, quantity=quantity)
        except (FupanError, PermissionDenied) as exc:
            error, status = _refusal(exc)
        else:
            notice = _("You bought %(n)d × %(item)s and now hold %(held)d.") % {
                "n": quantity,
                "item": item.name,
                "held": held.quantity,
            }
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, notice)
                return redirect(shop_url)
    context: dict[str, Any] = {
        "shop": fetch_shop(perms),
        "can_buy": can_buy_items(perms),
        "credit_names": credit_names(),
        "max_quantity": MAX_QUANTITY,
        "login_url": login_url_for(shop_url),
        "error": error,
        "notice": notice,
    }
    template = "items/_shop.jinja" if request.htmx else "items/shop.jinja"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


# Using an item --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def use_item_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    thread = access_thread_by_id(perms, thread_id)
    if not perms.is_authenticated:
        return _to_login(request, request.get_full_path())
    check_use_item_on_thread_permission(perms, thread)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            item = access_item_by_id(perms, request.POST.get("item"))
            do_use_item(
                item, acting_user=request.user, thread=thread, color=request.POST.get("color")
            )
        except FupanError as exc:
            error, status = _refusal(exc)
        else:
            messages.success(
                request,
                _("%(item)s used on “%(title)s”.") % {"item": item.name, "title": thread.title},
            )
            url = thread_url(thread)
            if request.htmx:  # type: ignore[attr-defined]
                return HttpResponseClientRedirect(url)
            return redirect(url)
    context: dict[str, Any] = {
        "thread": thread,
        "board": thread.board,
        "usable": fetch_usable_items(request.user),
        "colors": highlight_color_choices(),
        "chosen_item": parse_int(request.POST.get("item")) if request.method == "POST" else None,
        "chosen_color": request.POST.get("color", "") if request.method == "POST" else "",
        "error": error,
    }
    template = "items/_use.jinja" if request.htmx else "items/use.jinja"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


# Board credit rules (本版积分规则) --------------------------------------------------------------


@guest_cache()
@require_GET
def board_credits_view(request: HttpRequest, board_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    board = access_board_by_id(perms, board_id)
    names = credit_names()
    rows = [
        {
            "name": rule.name,
            "cycle": describe_cycle(rule),
            "changes": [format_delta(number, deltas[number]) for number in names],
            "override": rule.board_override,  # type: ignore[attr-defined]
        }
        for rule, deltas in rules_for_board(board)
        if any(deltas.values())
    ]
    context = {
        "board": board,
        "rows": rows,
        "credit_names": names,
        "formula": formula_text(),
    }
    template = "items/_board_credits.jinja" if request.htmx else "items/board_credits.jinja"  # type: ignore[attr-defined]
    return render(request, template, context)
