"""举报 (a post or a member), 信息举报 (anyone, about the site's content) and 我的举报.

The report form loads into the page with htmx (the 举报 link fills a slot under the post) and
submits in place: the answer is the same box with a thank-you, or with the form and the reason it
was refused. Without JavaScript it is a page of its own that redirects back with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fupan.core.errors import ErrorCode, FupanError
from fupan.core.http import client_ip
from fupan.core.pagination import parse_page
from fupan.forum.views.thread import post_url
from fupan.moderation.actions import do_report_member, do_report_post, do_report_site_content
from fupan.moderation.forms import ReportForm, SiteReportForm, attach_error
from fupan.moderation.queries import excerpt, fetch_my_reports
from fupan.moderation.views.common import to_login
from fupan.permissions import access_post_by_id, can_moderate_board
from fupan.permissions.moderation import (
    access_member_by_id,
    check_report_member_permission,
    check_report_post_permission,
)

# Report a post or a member ---------------------------------------------------------------------


def _report(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    target: Any,
    check: Callable[[Any, Any], None],
    report: Callable[..., Any],
) -> HttpResponse:
    """The shared body of the post and member report views."""
    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated:
        # A plain GET comes back to this form after logging in; a post or an htmx click to the
        # page the member was reading.
        plain_get = request.method == "GET" and not request.htmx  # type: ignore[attr-defined]
        return to_login(request, None if plain_get else context["back"])
    form = ReportForm(request.POST if request.method == "POST" else None)
    context["form"] = form
    try:
        check(perms, target)
    except (FupanError, PermissionDenied) as exc:
        context["refused"] = exc.message if isinstance(exc, FupanError) else str(exc)
        return _report_box(request, context, status=getattr(exc, "status", 403))
    if request.method == "GET":
        return _report_box(request, context)
    try:
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        report(
            target,
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
            message=form.cleaned_data["message"],
            ip=client_ip(request),
        )
    except FupanError as exc:
        return _report_box(request, context, status=attach_error(form, exc))
    thanks = _("Thank you for your report; a moderator will look at it.")
    if request.htmx:  # type: ignore[attr-defined]
        context["thanks"] = thanks
        return _report_box(request, context)
    messages.success(request, thanks)
    return redirect(context["back"])


def _report_box(
    request: HttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context.setdefault("refused", None)
    context.setdefault("thanks", None)
    context["reasons"] = ReportForm.reasons
    template = (
        "moderation/_report_box.jinja"
        if request.htmx  # type: ignore[attr-defined]
        else "moderation/report.jinja"
    )
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def report_post_view(request: HttpRequest, post_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    post = access_post_by_id(perms, post_id)
    context: dict[str, Any] = {
        "kind": "post",
        "post": post,
        "thread": post.thread,
        # A post a moderator hid is not quoted back to readers.
        "excerpt": ""
        if post.hidden and not can_moderate_board(perms, post.thread.board_id)
        else excerpt(post.body),
        "action": reverse("moderation:report_post", args=[post.pk]),
        "box_id": f"report-post-{post.pk}",
        "back": post_url(post),
    }
    return _report(
        request, context, target=post, check=check_report_post_permission, report=do_report_post
    )


@require_http_methods(["GET", "POST"])
def report_member_view(request: HttpRequest, user_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    member = access_member_by_id(perms, user_id)
    context: dict[str, Any] = {
        "kind": "member",
        "member": member,
        "action": reverse("moderation:report_member", args=[member.pk]),
        "box_id": f"report-member-{member.pk}",
        "back": reverse("accounts:profile", args=[member.pk]),
    }
    return _report(
        request,
        context,
        target=member,
        check=check_report_member_permission,
        report=do_report_member,
    )


# 信息举报 ---------------------------------------------------------------------------------------


def _same_site(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    )


def _prefilled_url(request: HttpRequest) -> str:
    """The page being reported: ?url= or the page the visitor came from, when it is this site's."""
    own = reverse("moderation:report_site")
    for candidate in (request.GET.get("url", ""), request.headers.get("Referer", "")):
        candidate = candidate.strip()[:500]
        if _same_site(request, candidate) and not candidate.split("?")[0].endswith(own):
            return candidate
    return ""


@require_http_methods(["GET", "POST"])
def site_report_view(request: HttpRequest) -> HttpResponse:
    """信息举报: anyone, guests included, reports illegal content on the site."""
    if request.method == "GET":
        form = SiteReportForm(initial={"url": _prefilled_url(request)})
        return _site_report_page(request, form)
    form = SiteReportForm(request.POST)
    try:
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        do_report_site_content(
            acting_user=request.user if request.user.is_authenticated else None,
            category=form.cleaned_data["category"],
            description=form.cleaned_data["description"],
            url=form.cleaned_data["url"],
            contact=form.cleaned_data["contact"],
            ip=client_ip(request),
        )
    except FupanError as exc:
        return _site_report_page(request, form, status=attach_error(form, exc))
    thanks = _("Thank you; the site's administrators will look at your report.")
    if request.htmx:  # type: ignore[attr-defined]
        return _site_report_page(request, form, thanks=thanks)
    messages.success(request, thanks)
    return redirect("moderation:report_site")


def _site_report_page(
    request: HttpRequest, form: SiteReportForm, *, status: int = 200, thanks: str | None = None
) -> HttpResponse:
    template = (
        "moderation/_site_report_form.jinja"
        if request.htmx  # type: ignore[attr-defined]
        else "moderation/site_report.jinja"
    )
    context = {"form": form, "categories": SiteReportForm.categories, "thanks": thanks}
    return render(request, template, context, status=status)


# 我的举报 ---------------------------------------------------------------------------------------


@require_GET
def my_reports_view(request: HttpRequest) -> HttpResponse:
    """A member's own reports, with the moderators' outcome and note once resolved."""
    if not request.user.is_authenticated:
        return to_login(request)
    data = fetch_my_reports(request.user, page=parse_page(request.GET.get("page")))
    template = (
        "moderation/_my_reports.jinja"
        if request.htmx  # type: ignore[attr-defined]
        else "moderation/my_reports.jinja"
    )
    return render(request, template, {"data": data})
