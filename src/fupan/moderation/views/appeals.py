"""用户申诉: a banned member, or a member whose post someone else deleted, asks for a review;
moderators decide. Both sides write on the appeal's page while it is open.

Members banned from visiting reach these pages too (``fupan.moderation.middleware``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fupan.core.errors import ErrorCode, FupanError
from fupan.core.http import parse_int
from fupan.core.pagination import parse_page
from fupan.moderation.actions import do_add_appeal_message, do_decide_appeal, do_file_appeal
from fupan.moderation.forms import AppealForm, AppealMessageForm, DecideForm, attach_error
from fupan.moderation.models import Appeal
from fupan.moderation.queries import (
    fetch_appeal_messages,
    fetch_appeal_queue,
    fetch_appealable_posts,
    fetch_my_appeals,
    prepare_appeal,
)
from fupan.moderation.views.common import done, to_login
from fupan.permissions.moderation import (
    BANNED_GROUPS,
    access_appeal_by_id,
    access_own_post_by_id,
    can_decide_appeal,
    can_write_in_appeal,
    check_decide_appeal_permission,
    check_file_appeal_permission,
    check_see_appeal_queue_permission,
    check_write_in_appeal_permission,
)

# The member's side -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def appeals_view(request: HttpRequest) -> HttpResponse:
    """The member's appeals and the form to file one: against their ban, or against the deletion
    of one of their posts (chosen from a list)."""
    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated:
        return to_login(request)
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _appeals_page(request, form)
    try:
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        subject = form.cleaned_data["subject"]
        post_id = parse_int(subject)
        if subject != "ban" and post_id is None:
            raise FupanError(
                ErrorCode.BAD_REQUEST, _("Please choose what you appeal."), field="subject"
            )
        post = None if subject == "ban" else access_own_post_by_id(perms, post_id)
        check_file_appeal_permission(perms, post)
        appeal = do_file_appeal(request.user, post=post, statement=form.cleaned_data["statement"])
    except FupanError as exc:
        return _appeals_page(request, form, status=attach_error(form, exc))
    return done(
        request,
        reverse("moderation:appeal", args=[appeal.pk]),
        _("Your appeal has been filed; a moderator will answer here."),
    )


def _appeals_page(request: HttpRequest, form: AppealForm, *, status: int = 200) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    context = {
        "form": form,
        "banned": request.user.group_id in BANNED_GROUPS,  # type: ignore[union-attr]
        "group": perms.group,
        "posts": fetch_appealable_posts(perms),
        "appeals": fetch_my_appeals(request.user),
    }
    template = (
        "moderation/_appeal_form.jinja"
        if request.htmx  # type: ignore[attr-defined]
        else "moderation/appeals.jinja"
    )
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def appeal_view(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """The whole exchange; POST adds a message (the member or a deciding moderator)."""
    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated:
        return to_login(request)
    appeal = prepare_appeal(access_appeal_by_id(perms, appeal_id))
    form = AppealMessageForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _appeal_page(request, appeal, message_form=form)
    try:
        check_write_in_appeal_permission(perms, appeal)
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        do_add_appeal_message(
            appeal,
            acting_user=request.user,
            body=form.cleaned_data["body"],
            from_moderator=can_decide_appeal(perms, appeal),
        )
    except (FupanError, PermissionDenied) as exc:
        status = attach_error(form, exc)
        if isinstance(exc, FupanError) and exc.code == ErrorCode.ALREADY_DECIDED:
            appeal.refresh_from_db()
        return _appeal_page(request, appeal, message_form=form, status=status, part="exchange")
    if request.htmx:  # type: ignore[attr-defined]
        return _appeal_page(request, appeal, message_form=AppealMessageForm(), part="exchange")
    return done(request, _back(request, appeal), _("Your message has been added."))


def _back(request: HttpRequest, appeal: Appeal) -> str:
    """Back to the page the message was written on (the member's or the moderator's)."""
    mod_url = reverse("moderation:mod_appeal", args=[appeal.pk])
    if request.POST.get("next") == mod_url:
        return mod_url + "#messages"
    return reverse("moderation:appeal", args=[appeal.pk]) + "#messages"


def _appeal_page(
    request: HttpRequest,
    appeal: Appeal,
    *,
    message_form: AppealMessageForm | None = None,
    decide_form: DecideForm | None = None,
    mod_view: bool = False,
    status: int = 200,
    part: str = "",
) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "appeal": appeal,
        "messages_list": fetch_appeal_messages(appeal),
        "message_form": message_form or AppealMessageForm(),
        "decide_form": decide_form or DecideForm(),
        "can_write": can_write_in_appeal(perms, appeal),
        "can_decide": can_decide_appeal(perms, appeal),
        "mod_view": mod_view,
    }
    if request.htmx and part:  # type: ignore[attr-defined]
        return render(request, f"moderation/_appeal_{part}.jinja", context, status=status)
    return render(request, "moderation/appeal.jinja", context, status=status)


# The moderators' side --------------------------------------------------------------------------


@require_GET
def appeal_queue_view(request: HttpRequest) -> HttpResponse:
    """Appeals the moderator may decide: open ones first come, first served; decided ones."""
    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated:
        return to_login(request)
    check_see_appeal_queue_permission(perms)
    status = "decided" if request.GET.get("status") == "decided" else "open"
    data = fetch_appeal_queue(perms, status=status, page=parse_page(request.GET.get("page")))
    template = (
        "moderation/_appeal_queue.jinja"
        if request.htmx  # type: ignore[attr-defined]
        else "moderation/appeal_queue.jinja"
    )
    return render(request, template, {"data": data, "status": status})


@require_http_methods(["GET", "POST"])
def mod_appeal_view(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """GET: the appeal with the decision form. POST: accept (restores the post or lifts the ban)
    or reject, with a reply."""
    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated:
        return to_login(request)
    appeal = prepare_appeal(access_appeal_by_id(perms, appeal_id))
    check_decide_appeal_permission(perms, appeal)
    form = DecideForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _appeal_page(request, appeal, decide_form=form, mod_view=True)
    try:
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        decision = form.cleaned_data["decision"]
        if decision not in ("accept", "reject"):
            raise FupanError(
                ErrorCode.BAD_REQUEST, _("Please accept or reject the appeal."), field="decision"
            )
        do_decide_appeal(
            appeal,
            acting_user=request.user,
            accept=decision == "accept",
            reply=form.cleaned_data["reply"],
        )
    except FupanError as exc:
        status = attach_error(form, exc)
        if exc.code == ErrorCode.ALREADY_DECIDED:
            appeal.refresh_from_db()
        return _appeal_page(
            request, appeal, decide_form=form, mod_view=True, status=status, part="decision"
        )
    if request.htmx:  # type: ignore[attr-defined]
        return _appeal_page(request, appeal, mod_view=True, part="decision")
    message = (
        _("The appeal has been accepted.")
        if appeal.status == Appeal.Status.ACCEPTED
        else _("The appeal has been rejected.")
    )
    return done(request, reverse("moderation:appeal_queue"), message)
