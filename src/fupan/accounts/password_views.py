"""Password change (logged in) and password reset by email (Django's tokens, our pages).

Reset requests are rate-limited per IP and per account and never tell whether an account exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fupan.accounts.models import User, username_key
from fupan.core import ratelimit
from fupan.core.http import client_ip
from fupan.core.site import get_site_settings

RESETS_PER_HOUR_PER_IP = 10
RESETS_PER_DAY_PER_ACCOUNT = 3


@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={reverse('accounts:password_change')}")
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # stay logged in here, logged out elsewhere
        messages.success(request, _("Your password has been changed."))
        return redirect(reverse("accounts:profile", args=[user.pk]))
    return render(
        request,
        "accounts/password_change.jinja",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _find_account(login: str) -> User | None:
    login = login.strip()
    if not login:
        return None
    user = User.objects.filter(username_key=username_key(login), is_active=True).first()
    if user is None and "@" in login:
        matches = list(User.objects.filter(email__iexact=login, is_active=True)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


@require_http_methods(["GET", "POST"])
def password_reset_view(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link by username or email. The answer is the same whether or not such an
    account exists (no way to probe who is registered)."""
    sent = False
    error = ""
    login = request.POST.get("login", "")[:254]
    if request.method == "POST":
        ip = client_ip(request) or "-"
        if not ratelimit.hit("reset-ip", ip, limit=RESETS_PER_HOUR_PER_IP, window=3600):
            error = _("Too many reset requests from your network; please try again in an hour.")
        else:
            user = _find_account(login)
            wanted = user is not None and user.email and user.has_usable_password()
            limit = RESETS_PER_DAY_PER_ACCOUNT
            if wanted and ratelimit.hit("reset-account", str(user.pk), limit=limit, window=86400):
                _send_reset_email(request, user)
            sent = True
    return render(
        request,
        "accounts/password_reset.jinja",
        {"sent": sent, "error": error, "login": login},
        status=429 if error else 200,
    )


def _send_reset_email(request: HttpRequest, user: User) -> None:
    site = get_site_settings()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("accounts:password_reset_confirm", args=[uid, token]))
    subject = _("Reset your password at %(site)s") % {"site": site.site_name}
    body = _(
        "Hello %(name)s,\n\nSomeone (we hope you) asked to reset the password of your account at %(site)s.\n"
        "Open this link within three days to choose a new password:\n\n%(link)s\n\n"
        "If you did not ask for this, ignore this email; your password stays as it is."
    ) % {"name": user.username, "site": site.site_name, "link": link}
    send_mail(subject, body, None, [user.email])


@require_http_methods(["GET", "POST"])
def password_reset_confirm_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.filter(
            pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True
        ).first()
    except (TypeError, ValueError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(
            request, "accounts/password_reset_confirm.jinja", {"valid": False}, status=400
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your new password is set. You can log in with it now."))
        return redirect(reverse("accounts:login"))
    return render(
        request,
        "accounts/password_reset_confirm.jinja",
        {"valid": True, "form": form},
        status=400 if form.errors else 200,
    )
