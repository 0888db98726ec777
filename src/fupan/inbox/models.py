"""Notifications (提醒, Discuz ``pre_home_notification``) and favourites and follows (收藏,
Discuz ``pre_home_favorite``): what the forum keeps for one member."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something a member should know about. Unread ones (``is_new``) are counted in
    ``User.new_notifications`` for the header badge. Repeated replies to the same thread (and
    votes on the same post) fold into the unread row: "甲 and 3 others replied"."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("replies to my threads")
        QUOTE = "quote", _("quotes of my posts")
        MENTION = "mention", _("@mentions")
        VOTE = "vote", _("votes on my posts")
        FOLLOW = "follow", _("replies in threads I follow")
        MODERATION = "moderation", _("moderation of my posts and account")
        REPORT = "report", _("outcomes of my reports")

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # What exactly: the moderation action's code, "support"/"oppose" for votes.
    verb = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=32, blank=True)
    # How many events this row stands for (folded replies and votes).
    count = models.PositiveIntegerField(default=1)
    thread_id = models.PositiveIntegerField(null=True, blank=True)
    post_id = models.PositiveIntegerField(null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    excerpt = models.CharField(_("excerpt"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    is_new = models.BooleanField(_("unread"), default=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(
                fields=["user", "kind", "thread_id", "is_new"], name="notification_fold_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"


class Favorite(models.Model):
    """A thread or board a member keeps (收藏). Discuz ``pre_home_favorite`` (favid kept)."""

    id = models.AutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    board = models.ForeignKey(
        "forum.Board", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="favorite_thread_unique"),
            models.UniqueConstraint(fields=["user", "board"], name="favorite_board_unique"),
            models.CheckConstraint(
                condition=models.Q(thread__isnull=False, board__isnull=True)
                | models.Q(thread__isnull=True, board__isnull=False),
                name="favorite_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.thread_id or self.board_id}"


class ThreadFollow(models.Model):
    """A member who follows a thread is notified of its new replies (关注)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("followed"), default=timezone.now)

    class Meta:
        verbose_name = _("followed thread")
        verbose_name_plural = _("followed threads")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="threadfollow_unique"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="threadfollow_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.thread_id}"
