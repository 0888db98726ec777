"""Register, log in, log out, profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fupan.accounts.actions import do_record_visit, do_register_user
from fupan.accounts.forms import LoginForm, register_form
from fupan.accounts.groups import get_group
from fupan.accounts.models import User, UserGroup, username_key
from fupan.accounts.queries import fetch_profile_activity
from fupan.core import ratelimit
from fupan.core.errors import FupanError
from fupan.core.http import client_ip, safe_next
from fupan.core.site import get_site_settings

LOGIN_FAILURES = 5  # Discuz: 5 failed logins in 15 minutes
LOGIN_WINDOW = 15 * 60
REGISTRATIONS_PER_HOUR = 10


@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, reverse("forum:index"))
    if request.user.is_authenticated:
        return redirect(next_url)
    if not get_site_settings().registration_open:
        return render(
            request,
            "core/message.jinja",
            {
                "title": _("Registration closed"),
                "message": _("This site does not accept new members at the moment."),
            },
            status=403,
        )
    site = get_site_settings()
    form = register_form(
        request.POST or None,
        captcha=site.captcha_on_register,
        email_required=site.registration_email_required,
    )
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request) or "-"
        if not ratelimit.hit("register", ip, limit=REGISTRATIONS_PER_HOUR, window=3600):
            form.add_error(
                None, _("Too many registrations from your network; please try again in an hour.")
            )
        else:
            try:
                user = do_register_user(
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    email=form.cleaned_data.get("email") or "",
                    ip=client_ip(request),
                    email_required=site.registration_email_required,
                )
            except FupanError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                login(request, user, backend="fupan.accounts.backends.UsernameOrEmailBackend")
                messages.success(
                    request,
                    _("Welcome, %(name)s! You are registered and logged in.")
                    % {"name": user.username},
                )
                return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    if site.captcha_on_register:
        form.with_captcha()  # a fresh challenge: the last one was used up by the check
    return render(
        request, "accounts/register.jinja", {"form": form, "next": next_url}, status=status
    )


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, reverse("forum:index"))
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request) or "-"
        who = username_key(form.cleaned_data["login"])
        if ratelimit.exceeded(
            "login-ip", ip, limit=LOGIN_FAILURES * 4, window=LOGIN_WINDOW
        ) or ratelimit.exceeded("login-account", who, limit=LOGIN_FAILURES, window=LOGIN_WINDOW):
            form.add_error(None, _("Too many failed logins; please wait 15 minutes and try again."))
        else:
            user = authenticate(
                request, username=form.cleaned_data["login"], password=form.cleaned_data["password"]
            )
            if user is None:
                ratelimit.hit("login-ip", ip, limit=LOGIN_FAILURES * 4, window=LOGIN_WINDOW)
                ratelimit.hit("login-account", who, limit=LOGIN_FAILURES, window=LOGIN_WINDOW)
                form.add_error(None, _("The username or password is wrong."))
            else:
                login(request, user)
                if not form.cleaned_data.get("remember"):
                    request.session.set_expiry(0)
                do_record_visit(user, ip=client_ip(request))
                return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/login.jinja", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(safe_next(request, reverse("forum:index")))


@require_GET
def profile_view(request: HttpRequest, user_id: int) -> HttpResponse:
    member = User.objects.filter(pk=user_id, is_active=True).first()
    if member is None:
        raise Http404(_("This member does not exist."))
    activity = fetch_profile_activity(member)
    perms = request.perms  # type: ignore[attr-defined]
    from fupan.permissions.accounts import can_ban_user

    may_ban = can_ban_user(perms, member)
    ban = None
    if member.group_id in (UserGroup.BANNED_POST, UserGroup.BANNED_VISIT):
        from fupan.accounts.bans import running_ban

        ban = running_ban(member)
    # 发消息 and 黑名单 buttons for another member (one query: is the member blocked?).
    from fupan.accounts.queries import is_blocked
    from fupan.permissions.pm import can_send_message, can_use_messages

    others_profile = can_use_messages(perms) and perms.user_id != member.pk
    blocked = others_profile and is_blocked(member.pk, by_user_id=perms.user_id)
    return render(
        request,
        "accounts/profile.jinja",
        {
            "member": member,
            "group": get_group(member.group_id),
            "may_ban": may_ban,
            "ban": ban,
            "may_message": others_profile and can_send_message(perms),
            "may_block": others_profile,
            "blocked": blocked,
            **activity,
        },
    )


@require_GET
def credit_log_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """A member's credits: balances, the total and the ledger (the member and admins only)."""
    from fupan.accounts.credits import credit_names, formula_text
    from fupan.accounts.queries import fetch_credit_log
    from fupan.core.pagination import parse_page
    from fupan.forum.presenters import login_url_for
    from fupan.permissions.credits import check_view_credit_log_permission

    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated:
        return redirect(login_url_for(request.get_full_path()))
    # Your own history needs no lookup: the session already loaded you.
    member = (
        request.user
        if perms.user_id == user_id
        else User.objects.filter(pk=user_id, is_active=True).first()
    )
    if member is None:
        raise Http404(_("This member does not exist."))
    check_view_credit_log_permission(perms, member)
    entries, pager = fetch_credit_log(member, page=parse_page(request.GET.get("page")))
    template = "accounts/_credit_log.jinja" if request.htmx else "accounts/credit_log.jinja"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "member": member,
            "entries": entries,
            "pager": pager,
            "credit_names": credit_names(),
            "formula": formula_text(),
        },
    )


@require_GET
def avatar_view(request: HttpRequest, user_id: int, size: str) -> HttpResponse:
    """A member's avatar (public, cached; the URL carries the version so a new one shows at once),
    or the default picture."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse, HttpResponseRedirect
    from django.templatetags.static import static

    from fupan.accounts.avatars import SIZES, avatar_path

    if size not in SIZES:
        raise Http404(_("Unknown avatar size."))
    path = avatar_path(user_id, size)
    if not default_storage.exists(path):
        return HttpResponseRedirect(static("fupan/avatar.svg"))
    response = FileResponse(default_storage.open(path, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=604800"
    return response


@require_GET
def member_posts_view(request: HttpRequest, user_id: int, kind: str) -> HttpResponse:
    """我的主题 / 我的回复: a member's threads or replies, newest first, 20 a page."""
    from fupan.accounts.queries import fetch_member_posts
    from fupan.core.pagination import Pager, page_count, parse_page

    if kind not in ("threads", "replies"):
        raise Http404(_("This page does not exist."))
    member = User.objects.filter(pk=user_id, is_active=True).first()
    if member is None:
        raise Http404(_("This member does not exist."))
    page = parse_page(request.GET.get("page"))
    total, items = fetch_member_posts(member, kind=kind, page=page)
    pages = page_count(total, 20)
    return render(
        request,
        "accounts/member_posts.jinja",
        {
            "member": member,
            "kind": kind,
            "items": items,
            "total": total,
            "pager": Pager(min(page, pages), pages),
        },
    )
