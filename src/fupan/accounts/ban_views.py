"""Member actions for moderators: ban from posting or visiting (timed or permanent), lift a
ban, and IP bans."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fupan.accounts.bans import do_ban_ip, do_ban_user, do_lift_ip_ban, do_unban_user, running_ban
from fupan.accounts.models import Ban, User
from fupan.core.errors import FupanError
from fupan.core.http import parse_int
from fupan.permissions.accounts import (
    can_ban_user,
    check_ban_ip_permission,
    check_ban_user_permission,
)

DURATIONS = [
    (1, gettext_lazy("1 day")),
    (3, gettext_lazy("3 days")),
    (7, gettext_lazy("7 days")),
    (30, gettext_lazy("30 days")),
    (365, gettext_lazy("1 year")),
    (0, gettext_lazy("permanently")),
]


def _until(days: int | None) -> timezone.datetime | None:
    return timezone.now() + timedelta(days=days) if days else None


def _member(user_id: int) -> User:
    member = User.objects.filter(pk=user_id).first()
    if member is None:
        raise Http404(_("This member does not exist."))
    return member


@require_http_methods(["GET", "POST"])
def ban_user_view(request: HttpRequest, user_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    member = _member(user_id)
    check_ban_user_permission(perms, member, Ban.Kind.POST)
    kind = request.POST.get("kind", Ban.Kind.POST)
    reason = request.POST.get("reason", "")[:200]
    days = parse_int(request.POST.get("days")) if request.method == "POST" else 7
    error = ""
    if request.method == "POST":
        try:
            check_ban_user_permission(perms, member, kind)
            do_ban_user(
                member, acting_user=request.user, kind=kind, reason=reason, until=_until(days)
            )
        except FupanError as exc:
            error = exc.message
        else:
            messages.success(request, _("%(name)s is banned.") % {"name": member.username})
            return redirect(reverse("accounts:profile", args=[member.pk]))
    context = {
        "member": member,
        "kinds": [
            (k, label)
            for k, label in Ban.Kind.choices
            if k != Ban.Kind.IP and can_ban_user(perms, member, k)
        ],
        "durations": DURATIONS,
        "kind": kind,
        "reason": reason,
        "days": days or 0,
        "error": error,
        "running": running_ban(member),
    }
    return render(request, "accounts/ban.jinja", context, status=400 if error else 200)


@require_POST
def unban_user_view(request: HttpRequest, user_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    member = _member(user_id)
    check_ban_user_permission(perms, member, Ban.Kind.POST)
    do_unban_user(member, acting_user=request.user)
    messages.success(request, _("The ban on %(name)s is lifted.") % {"name": member.username})
    return redirect(reverse("accounts:profile", args=[member.pk]))


@require_http_methods(["GET", "POST"])
def ip_bans_view(request: HttpRequest) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    check_ban_ip_permission(perms)
    error = ""
    network = request.POST.get("network", "")[:64]
    reason = request.POST.get("reason", "")[:200]
    if request.method == "POST":
        try:
            do_ban_ip(
                network,
                acting_user=request.user,
                reason=reason,
                until=_until(parse_int(request.POST.get("days"))),
            )
        except FupanError as exc:
            error = exc.message
        else:
            messages.success(request, _("The IP address is banned."))
            return redirect(reverse("accounts:ip_bans"))
    bans = list(
        Ban.objects.filter(kind=Ban.Kind.IP, lifted_at__isnull=True).select_related("created_by")[
            :200
        ]
    )
    return render(
        request,
        "accounts/ip_bans.jinja",
        {
            "bans": bans,
            "error": error,
            "network": network,
            "reason": reason,
            "durations": DURATIONS,
        },
        status=400 if error else 200,
    )


@require_POST
def lift_ip_ban_view(request: HttpRequest, ban_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    check_ban_ip_permission(perms)
    ban = Ban.objects.filter(pk=ban_id, kind=Ban.Kind.IP).first()
    if ban is None:
        raise Http404(_("This ban does not exist."))
    do_lift_ip_ban(ban, acting_user=request.user)
    messages.success(request, _("The IP ban is lifted."))
    return redirect(reverse("accounts:ip_bans"))
