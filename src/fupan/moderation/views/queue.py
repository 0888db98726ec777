"""The moderators' report queue (举报处理): post, member and site reports together."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fupan.core.errors import ErrorCode, FupanError
from fupan.core.pagination import parse_page
from fupan.moderation.actions import do_resolve_report
from fupan.moderation.forms import ResolveForm, attach_error
from fupan.moderation.queries import fetch_report_queue, prepare_report
from fupan.moderation.views.common import done, to_login
from fupan.permissions.moderation import (
    access_report_by_id,
    check_resolve_report_permission,
    check_see_report_queue_permission,
)


def _status(request: HttpRequest) -> str:
    return "resolved" if request.GET.get("status") == "resolved" else "open"


@require_GET
def report_queue_view(request: HttpRequest) -> HttpResponse:
    """Newest first, open or resolved, a page at a time: the board moderators' post reports, and
    everything (member and site reports too) for super moderators and administrators."""
    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated:
        return to_login(request)
    check_see_report_queue_permission(perms)
    status = _status(request)
    data = fetch_report_queue(perms, status=status, page=parse_page(request.GET.get("page")))
    template = (
        "moderation/_report_queue.jinja"
        if request.htmx  # type: ignore[attr-defined]
        else "moderation/report_queue.jinja"
    )
    return render(request, template, {"data": data, "status": status})


@require_http_methods(["GET", "POST"])
def report_detail_view(request: HttpRequest, report_id: int) -> HttpResponse:
    """GET: the report and what it is about. POST: resolve it with an outcome and a note."""
    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated:
        return to_login(request)
    report = prepare_report(access_report_by_id(perms, report_id))
    form = ResolveForm(request.POST if request.method == "POST" else None)
    context = {"report": report, "form": form, "outcomes": ResolveForm.outcomes}
    if request.method == "GET":
        return render(request, "moderation/report_detail.jinja", context)
    try:
        check_resolve_report_permission(perms, report)
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        do_resolve_report(
            report,
            acting_user=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except (FupanError, PermissionDenied) as exc:
        status = attach_error(form, exc)
        if isinstance(exc, FupanError) and exc.code == ErrorCode.ALREADY_DECIDED:
            report.refresh_from_db()
        return _resolution(request, context, status=status)
    if request.htmx:  # type: ignore[attr-defined]
        return _resolution(request, context)
    return done(request, reverse("moderation:report_queue"), _("The report has been resolved."))


def _resolution(request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    template = (
        "moderation/_report_resolution.jinja"
        if request.htmx  # type: ignore[attr-defined]
        else "moderation/report_detail.jinja"
    )
    return render(request, template, context, status=status)
