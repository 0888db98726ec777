"""Private messages (短消息): Discuz/UCenter ``uc_pm_lists`` (conversations), ``uc_pm_members``
(who is in one, with their unread flag and count) and ``uc_pm_messages_N`` (the messages).

Primary keys are Discuz's ``plid`` and ``pmid`` so an importer can keep them. Every counter here
and ``User.new_messages`` are owned by ``fupan.pm.actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Conversation(models.Model):
    """One conversation (Discuz ``uc_pm_lists``): private between two members (``pmtype`` 1),
    continued whenever one writes to the other again, or a group chat (``pmtype`` 2)."""

    class Kind(models.IntegerChoices):
        PRIVATE = 1, _("private")
        GROUP = 2, _("group")

    id = models.AutoField(primary_key=True)  # plid
    kind = models.PositiveSmallIntegerField(_("kind"), choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    subject = models.CharField(_("subject"), max_length=80, blank=True)
    # Discuz ``min_max``: "<lower uid>_<higher uid>" for a private conversation, so the same two
    # members always meet in the same one; empty (NULL) for groups.
    pair_key = models.CharField(max_length=23, null=True, blank=True, unique=True, editable=False)
    members_count = models.PositiveSmallIntegerField(pgettext_lazy("pm", "members"), default=0)
    messages_count = models.PositiveIntegerField(_("messages"), default=0)
    created_at = models.DateTimeField(_("started"), default=timezone.now)  # dateline
    # Discuz ``lastmessage``: who wrote last and what, for the list without a query per row.
    last_message_id = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    last_author_id = models.PositiveIntegerField(null=True, blank=True)
    last_author_name = models.CharField(max_length=32, blank=True)
    last_excerpt = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP


class ConversationMember(models.Model):
    """One member of a conversation (Discuz ``uc_pm_members``): unread flag (``isnew``), the
    number of messages they see (``pmnum``), when they last read it and whether they removed it
    from their list. A removed private conversation comes back with the next message, showing
    only what follows (``cleared_through``); a member who left a group is no longer in it."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_new = models.BooleanField(_("unread"), default=False)
    message_count = models.PositiveIntegerField(_("messages"), default=0)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)  # lastupdate
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)  # lastdateline
    is_deleted = models.BooleanField(_("removed from the list"), default=False)
    # Messages with an id up to this one were removed by this member and are not shown to them.
    cleared_through = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("conversation member")
        verbose_name_plural = _("conversation members")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="pm_member_unique"),
        ]
        indexes = [
            models.Index(
                fields=["user", "is_deleted", "-last_message_at"], name="pm_member_list_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in #{self.conversation_id}"


class Message(models.Model):
    """One message (Discuz ``uc_pm_messages_N``; the table split by plid is not needed here).
    The body is Discuz code, rendered when shown."""

    id = models.AutoField(primary_key=True)  # pmid
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=32)
    body = models.TextField(pgettext_lazy("pm", "message"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)  # dateline
    # The member of a private conversation who deleted this one message (UCenter ``delstatus``
    # 1/2): hidden from them only, the other member still sees it.
    hidden_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    class Meta:
        verbose_name = _("private message")
        verbose_name_plural = _("private messages")
        indexes = [models.Index(fields=["conversation", "id"], name="pm_message_conv_idx")]

    def __str__(self) -> str:
        return f"{self.author_name} → #{self.conversation_id}"
