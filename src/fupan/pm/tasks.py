"""Private message emails, sent in the background (django-tasks: at once by default, by a worker
in production) after the sending transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from fupan.pm.models import Message

EMAIL_EXCERPT = 500


@task()
def email_new_message(message_id: int, recipient_ids: list[int]) -> int:
    """Email each recipient who chose "message" in their settings (and has an address): who wrote,
    the start of the message and a link to the conversation. Returns how many emails went out."""
    from fupan.core.site import get_site_settings
    from fupan.pm.actions import excerpt_of

    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        return 0
    site = get_site_settings()
    base = (site.site_url or "").rstrip("/")
    link = base + reverse("pm:conversation", args=[message.conversation_id])
    members = (
        get_user_model().objects.filter(pk__in=recipient_ids, is_active=True).exclude(email="")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(name)s sent you a message") % {"name": message.author_name}
        text = "\n".join(
            [
                subject,
                "",
                excerpt_of(message.body, EMAIL_EXCERPT),
                "",
                _("Read and reply: %(url)s") % {"url": link},
                "",
                _("You receive this because you chose it in your settings: %(url)s")
                % {"url": base + reverse("accounts:settings") + "#notify"},
            ]
        )
        for user in members:
            if "message" not in (user.email_notify or []):
                continue
            send_mail(f"[{site.site_name}] {subject}"[:200], text, None, [user.email])
            sent += 1
    return sent
