"""Reports (举报, 信息举报) and appeals (用户申诉).

Written only by ``fupan.moderation.actions``; read through ``fupan.moderation.queries``.
A report or an appeal is never deleted by the site: the record of who asked and who decided stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def is_deleted_post(post: Any) -> bool:
    """Deleted as its author sees it: a deleted floor, or a first post whose thread went to the
    recycle bin (deleting a first post deletes its thread). ``post.thread`` must be loaded."""
    from fupan.forum.models import Post, Thread

    return post.state == Post.State.DELETED or (
        post.is_first and post.thread.state == Thread.State.RECYCLED
    )


class Report(models.Model):
    """A member's report of a post or of a member (Discuz ``pre_common_report``), or anyone's
    report of illegal content on the site (信息举报, guests too)."""

    class Kind(models.TextChoices):
        POST = "post", _("post")
        MEMBER = "member", _("member")
        SITE = "site", _("site content")

    class Reason(models.TextChoices):
        # Discuz's list, in its order: 广告垃圾, 违规内容, 恶意灌水, 重复发帖, 其他.
        SPAM = "spam", _("Advertising or spam")
        RULE_BREAKING = "rules", _("Illegal or rule-breaking content")
        FLOODING = "flooding", _("Flooding")
        DUPLICATE = "duplicate", _("Duplicate post")
        OTHER = "other", _("Other")

    class Category(models.TextChoices):
        # 信息举报: 违法违规, 色情低俗, 侵权, 诈骗, 其他.
        ILLEGAL = "illegal", _("Illegal activity")
        VULGAR = "vulgar", _("Pornographic or vulgar content")
        INFRINGEMENT = "infringement", _("Infringement of rights")
        FRAUD = "fraud", _("Fraud")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    class Outcome(models.TextChoices):
        HANDLED = "handled", _("Handled")
        NO_ACTION = "no_action", _("No action needed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # What is reported. Post reports keep their thread and board so that the board's moderators
    # see them even after the post is deleted or moved.
    post = models.ForeignKey(
        "forum.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post"),
    )
    thread = models.ForeignKey(
        "forum.Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thread"),
    )
    board = models.ForeignKey(
        "forum.Board",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("board"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported member"),
    )
    url = models.CharField(_("address"), max_length=500, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    message = models.TextField(_("message"), blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)

    # Who reported: a member, or a guest (no reporter; the contact is how to reach them).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporter"),
    )
    reporter_name = models.CharField(_("reporter"), max_length=32, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("moderator's note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_by_name = models.CharField(_("resolved by"), max_length=32, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # One open report per member per post, and per member per reported member.
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(status="open", kind="post"),
                name="report_one_open_per_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "member"],
                condition=Q(status="open", kind="member"),
                name="report_one_open_per_member",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="report_queue_idx"),
            models.Index(fields=["board", "status", "-created_at"], name="report_board_queue_idx"),
            models.Index(fields=["reporter", "-created_at"], name="report_reporter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Appeal(models.Model):
    """用户申诉: a banned member asks for the ban to be lifted, or a member asks for a post that
    someone else deleted to be restored. Moderators decide; both sides may write while it is open."""

    class Kind(models.TextChoices):
        BAN = "ban", _("ban")
        POST = "post", _("deleted post")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    # The ban appealed: the group the member was in when appealing (禁止发言 or 禁止访问).
    banned_group = models.ForeignKey(
        "accounts.UserGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ban"),
    )
    post = models.ForeignKey(
        "forum.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post"),
    )
    board = models.ForeignKey(
        "forum.Board",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("board"),
    )
    statement = models.TextField(_("statement"))
    created_at = models.DateTimeField(_("filed"), default=timezone.now)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reply = models.TextField(_("moderator's reply"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_by_name = models.CharField(_("decided by"), max_length=32, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            # One open appeal per sanction: per ban, and per deleted post.
            models.UniqueConstraint(
                fields=["appellant"],
                condition=Q(status="open", kind="ban"),
                name="appeal_one_open_per_ban",
            ),
            models.UniqueConstraint(
                fields=["appellant", "post"],
                condition=Q(status="open", kind="post"),
                name="appeal_one_open_per_post",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="appeal_queue_idx"),
            models.Index(fields=["appellant", "-created_at"], name="appeal_appellant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AppealMessage(models.Model):
    """One message of an appeal's exchange, from the member or from a moderator."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author"), max_length=32)
    from_moderator = models.BooleanField(_("from a moderator"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("appeal message")
        verbose_name_plural = _("appeal messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.appeal_id} {self.author_name}"


class CensorWord(models.Model):
    """词语过滤: a sensitive word (or a ``{n}`` / ``/regex/`` pattern) and what happens to a title,
    post, signature or username that contains it (Discuz ``pre_common_word``).

    Written only by ``fupan.moderation.actions`` (one by one in the admin, or thousands at once by
    import); read as one cached ``WordFilter`` through ``fupan.moderation.queries``."""

    class Action(models.TextChoices):
        # The values are ``fupan.moderation.wordfilter.WordAction``'s.
        REPLACE = "replace", _("replace")
        REVIEW = "review", _("send to review")
        BLOCK = "block", _("block")

    find = models.CharField(_("word or pattern"), max_length=255, unique=True)
    action = models.CharField(
        _("action"), max_length=10, choices=Action.choices, default=Action.REPLACE
    )
    replacement = models.CharField(_("replacement"), max_length=255, blank=True, default="**")
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["find"]

    def __str__(self) -> str:
        return self.find


class ModAction(models.Model):
    """The moderation log (管理日志): who did what to which thread, post or member, when and why."""

    class Action(models.TextChoices):
        CLOSE = "close", _("closed the thread")
        OPEN = "open", _("opened the thread")
        STICK = "stick", _("set sticky")
        DIGEST = "digest", _("set digest")
        HIGHLIGHT = "highlight", _("set highlight")
        MOVE = "move", _("moved the thread")
        MERGE = "merge", _("merged the thread")
        SPLIT = "split", _("split replies off")
        DELETE_THREAD = "delete_thread", _("deleted the thread")
        RESTORE_THREAD = "restore_thread", _("restored the thread")
        DELETE_POST = "delete_post", _("deleted a post")
        RESTORE_POST = "restore_post", _("restored a post")
        HIDE = "hide", _("hid a post")
        UNHIDE = "unhide", _("unhid a post")
        WARN = "warn", _("warned a post")
        UNWARN = "unwarn", _("lifted a warning")
        APPROVE = "approve", _("approved a post")
        REJECT = "reject", _("rejected a post")
        BAN = "ban", _("banned a member")
        UNBAN = "unban", _("lifted a ban")
        BAN_IP = "ban_ip", _("banned an IP address")
        UNBAN_IP = "unban_ip", _("lifted an IP ban")
        RESOLVE_REPORT = "resolve_report", _("resolved a report")
        DECIDE_APPEAL = "decide_appeal", _("decided an appeal")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("moderator"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    board = models.ForeignKey(
        "forum.Board",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    thread = models.ForeignKey(
        "forum.Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    post = models.ForeignKey(
        "forum.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("about"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at"], name="modaction_time_idx"),
            models.Index(fields=["board", "-created_at"], name="modaction_board_idx"),
            models.Index(fields=["actor", "-created_at"], name="modaction_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.subject}"
