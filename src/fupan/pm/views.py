"""短消息 pages: the member's conversations, compose, one conversation with its reply box, and the
block list (黑名单). Each URL answers htmx (a fragment, or a client redirect after a change) and
plain requests (the page, or a redirect with a message), so everything works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from fupan.accounts.actions import do_block_user, do_unblock_user
from fupan.accounts.models import username_key
from fupan.accounts.queries import fetch_blocked
from fupan.core.errors import ErrorCode, FupanError
from fupan.core.http import parse_int, safe_next
from fupan.core.pagination import parse_page
from fupan.forum.presenters import login_url_for
from fupan.permissions.pm import (
    access_conversation_by_id,
    can_send_message,
    can_use_messages,
    check_send_message_permission,
)
from fupan.pm.actions import (
    MESSAGE_MAX,
    do_leave_conversation,
    do_mark_conversation_read,
    do_reply_message,
    do_send_message,
)
from fupan.pm.forms import BlockForm, ComposeForm, ReplyForm, attach_error
from fupan.pm.models import Conversation
from fupan.pm.queries import fetch_blocked_ids, fetch_conversation_page, fetch_conversations


def _htmx(request: HttpRequest) -> bool:
    return bool(request.htmx)  # type: ignore[attr-defined]


def _to_login(request: HttpRequest) -> HttpResponse:
    url = login_url_for(request.get_full_path() if request.method == "GET" else reverse("pm:list"))
    return HttpResponseClientRedirect(url) if _htmx(request) else redirect(url)


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseClientRedirect(url) if _htmx(request) else redirect(url)


def conversation_url(conversation_id: int) -> str:
    return reverse("pm:conversation", args=[conversation_id]) + "#pm-last"


# The list ------------------------------------------------------------------------------------


@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    """The member's conversations, newest activity first, unread ones marked."""
    perms = request.perms  # type: ignore[attr-defined]
    if not can_use_messages(perms):
        return _to_login(request)
    data = fetch_conversations(request.user, page=parse_page(request.GET.get("page")))
    template = "pm/_list.jinja" if _htmx(request) else "pm/list.jinja"
    return render(
        request, template, {"data": data, "can_send": can_send_message(perms), "tab": "list"}
    )


# Compose -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def new_view(request: HttpRequest) -> HttpResponse:
    """发送短消息: to one member (their private conversation) or several (a group)."""
    perms = request.perms  # type: ignore[attr-defined]
    if not can_use_messages(perms):
        return _to_login(request)
    check_send_message_permission(perms)
    if request.method == "GET":
        to = ""
        uid = parse_int(request.GET.get("to"))
        if uid is not None and uid != perms.user_id:
            to = (
                get_user_model()
                .objects.filter(pk=uid, is_active=True)
                .values_list("username", flat=True)
                .first()
                or ""
            )
        return _compose(request, ComposeForm(initial={"to": to}))
    form = ComposeForm(request.POST)
    try:
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        message = do_send_message(
            request.user, to=form.cleaned_data["to"], body=form.cleaned_data["body"]
        )
    except FupanError as exc:
        return _compose(request, form, status=attach_error(form, exc))
    return _done(
        request, conversation_url(message.conversation_id), _("Your message has been sent.")
    )


def _compose(request: HttpRequest, form: ComposeForm, *, status: int = 200) -> HttpResponse:
    template = "pm/_compose_form.jinja" if _htmx(request) else "pm/new.jinja"
    context = {"form": form, "body_max": MESSAGE_MAX, "tab": "new"}
    return render(request, template, context, status=status)


# One conversation ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def conversation_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The messages, oldest first (the last page unless ``?page=``), and the reply box. Viewing
    marks the conversation read; POST replies."""
    perms = request.perms  # type: ignore[attr-defined]
    if not can_use_messages(perms):
        return _to_login(request)
    conversation = access_conversation_by_id(perms, conversation_id)
    if request.method == "GET":
        if conversation.membership.is_new:  # type: ignore[attr-defined]
            do_mark_conversation_read(conversation, acting_user=request.user)
        raw_page = request.GET.get("page")
        return _conversation_page(
            request,
            conversation,
            ReplyForm(),
            page=parse_page(raw_page) if raw_page else None,
            part="messages" if _htmx(request) else "",
        )
    form = ReplyForm(request.POST)
    try:
        check_send_message_permission(perms)
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        message = do_reply_message(
            conversation, acting_user=request.user, body=form.cleaned_data["body"]
        )
    except (FupanError, PermissionDenied) as exc:
        status = attach_error(form, exc)
        return _conversation_page(
            request, conversation, form, status=status, part="reply" if _htmx(request) else ""
        )
    return _done(
        request, conversation_url(message.conversation_id), _("Your message has been sent.")
    )


def _conversation_page(
    request: HttpRequest,
    conversation: Conversation,
    form: ReplyForm,
    *,
    page: int | None = None,
    status: int = 200,
    part: str = "",
) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "conversation": conversation,
        "form": form,
        "body_max": MESSAGE_MAX,
        "can_send": can_send_message(perms),
    }
    if part == "reply":
        return render(request, "pm/_reply_form.jinja", context, status=status)
    data = fetch_conversation_page(
        conversation,
        page=page,
        no_images=bool(getattr(request, "no_images", False)),
    )
    others = [user for user in data.members if user.pk != perms.user_id]
    context.update(
        {
            "data": data,
            "others": others,
            "blocked_ids": fetch_blocked_ids(request.user, [user.pk for user in others]),
        }
    )
    template = "pm/_messages.jinja" if part == "messages" else "pm/conversation.jinja"
    return render(request, template, context, status=status)


@require_POST
def leave_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """删除: the conversation leaves the member's list (a private one comes back with the next
    message)."""
    perms = request.perms  # type: ignore[attr-defined]
    if not can_use_messages(perms):
        return _to_login(request)
    conversation = access_conversation_by_id(perms, conversation_id)
    do_leave_conversation(conversation, acting_user=request.user)
    return _done(
        request, reverse("pm:list"), _("The conversation has been removed from your list.")
    )


# 黑名单 ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def blocked_view(request: HttpRequest) -> HttpResponse:
    """The member's block list: blocked members cannot send them messages. POST ``op=add`` with a
    username, or ``op=remove`` with a ``uid``; ``next`` returns to the page the button was on."""
    perms = request.perms  # type: ignore[attr-defined]
    if not can_use_messages(perms):
        return _to_login(request)
    form = BlockForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _blocked_page(request, form)
    users = get_user_model().objects
    try:
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        if request.POST.get("op") == "remove":
            member = users.filter(pk=parse_int(request.POST.get("uid")) or 0).first()
            if member is None:
                raise FupanError(ErrorCode.NOT_FOUND, _("This member does not exist."), status=404)
            do_unblock_user(request.user, member)
            note = _("%(name)s is no longer blocked.") % {"name": member.username}
        else:
            name = form.cleaned_data["username"].strip()
            uid = parse_int(request.POST.get("uid"))
            if name:
                member = users.filter(username_key=username_key(name), is_active=True).first()
            elif uid is not None:  # the button on a profile or a conversation
                member = users.filter(pk=uid, is_active=True).first()
            else:
                member = None
            if member is None:
                raise FupanError(
                    ErrorCode.RECIPIENT_INVALID,
                    _("There is no member named %(names)s.") % {"names": name}
                    if name
                    else _("Enter the username of the member to block."),
                    field="username",
                )
            do_block_user(request.user, member)
            note = _("%(name)s is blocked: they can no longer send you messages.") % {
                "name": member.username
            }
    except FupanError as exc:
        return _blocked_page(request, form, status=attach_error(form, exc))
    return _done(request, safe_next(request, reverse("pm:blocked")), note)


def _blocked_page(request: HttpRequest, form: BlockForm, *, status: int = 200) -> HttpResponse:
    template = "pm/_blocked.jinja" if _htmx(request) else "pm/blocked.jinja"
    context = {
        "form": form,
        "blocks": fetch_blocked(request.user),
        "can_send": can_send_message(request.perms),  # type: ignore[attr-defined]
        "tab": "blocked",
    }
    return render(request, template, context, status=status)
