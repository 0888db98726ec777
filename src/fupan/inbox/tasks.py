"""Notification emails, sent in the background (django-tasks: at once by default, by a worker in
production) after the notifying transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from fupan.inbox.models import Notification


@task()
def email_notifications(user_ids: list[int], kind: str) -> int:
    """Email each member who chose this kind of notification (and has an address) their newest
    one of that kind. Returns how many emails went out."""
    from fupan.core.site import get_site_settings
    from fupan.inbox.queries import describe, link_of

    site = get_site_settings()
    base = (site.site_url or "").rstrip("/")
    sent = 0
    members = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    with translation.override(settings.LANGUAGE_CODE):
        for user in members:
            if kind not in (user.email_notify or []):
                continue
            notification = (
                Notification.objects.filter(user_id=user.pk, kind=kind).order_by("-id").first()
            )
            if notification is None:
                continue
            text = describe(notification)
            lines = [text]
            if notification.excerpt:
                lines += ["", notification.excerpt]
            if notification.reason:
                lines += ["", _("Reason") + ": " + notification.reason]
            link = link_of(notification)
            if link:
                lines += ["", base + link]
            lines += [
                "",
                _("You receive this because you chose it in your settings: %(url)s")
                % {"url": base + "/settings/#notify"},
            ]
            send_mail(f"[{site.site_name}] {text}"[:200], "\n".join(lines), None, [user.email])
            sent += 1
    return sent
