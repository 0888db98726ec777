"""A member's own settings (个人设置): avatar, signature, email notifications."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fupan.accounts.actions import EMAIL_NOTIFY_KINDS, do_update_email_notify, do_update_signature
from fupan.core.errors import FupanError
from fupan.markup import MarkupOptions, render_bbcode

SIGNATURE_OPTIONS = MarkupOptions(images=False)


def render_signature(text: str) -> str:
    """Signatures: Discuz code without images (Discuz allows [img] only to a few groups)."""
    return render_bbcode(text, SIGNATURE_OPTIONS) if text else ""


def email_notify_choices() -> list[tuple[str, str]]:
    from fupan.inbox.models import Notification

    labels = {"message": _("private messages"), **dict(Notification.Kind.choices)}
    return [(kind, str(labels[kind])) for kind in EMAIL_NOTIFY_KINDS]


@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={reverse('accounts:settings')}")
    perms = request.perms  # type: ignore[attr-defined]
    signature = request.POST.get("signature", request.user.signature)[:5000]
    error = ""
    preview = ""
    if request.method == "POST" and request.POST.get("form") == "avatar":
        from fupan.accounts.avatars import MAX_UPLOAD, do_remove_avatar, do_set_avatar

        try:
            if "remove" in request.POST:
                do_remove_avatar(request.user)
                messages.success(request, _("Your avatar has been removed."))
            else:
                upload = request.FILES.get("avatar")
                do_set_avatar(request.user, data=upload.read(MAX_UPLOAD + 1) if upload else b"")
                messages.success(request, _("Your new avatar is saved."))
            return redirect(reverse("accounts:settings"))
        except FupanError as exc:
            error = exc.message
    elif request.method == "POST" and request.POST.get("form") == "notify":
        do_update_email_notify(request.user, request.POST.getlist("email_notify"))
        messages.success(request, _("Your email notification settings are saved."))
        return redirect(reverse("accounts:settings") + "#notify")
    elif request.method == "POST":
        if "preview" in request.POST:
            preview = render_signature(signature)
        else:
            try:
                do_update_signature(request.user, signature=signature, group=perms.group)
            except FupanError as exc:
                error = exc.message
            else:
                messages.success(request, _("Your signature has been saved."))
                return redirect(reverse("accounts:settings"))
    return render(
        request,
        "accounts/settings.jinja",
        {
            "signature": signature,
            "error": error,
            "preview": preview,
            "limit": perms.group.max_sig_size,
            "current": render_signature(request.user.signature),
            "notify_choices": email_notify_choices(),
        },
        status=400 if error else 200,
    )
