"""Community settings stored in the database and edited by administrators."""

from __future__ import annotations

import functools

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_FLOOR_LABELS = "楼主,沙发,板凳,地板"
DEFAULT_GUEST_BANNER = "马上注册，结交更多好友，享用更多功能，让你轻松玩转社区。"


class SiteSettings(models.Model):
    """One row (pk=1). Read through ``fupan.core.site.get_site_settings()``, which caches it;
    write through ``fupan.core.actions.do_update_site_settings()``, which purges the cache."""

    site_name = models.CharField(_("site name"), max_length=80, default="Fupan 社区")
    site_url = models.URLField(
        _("site URL"),
        blank=True,
        help_text=_(
            "Canonical address, e.g. https://bbs.example.com. Empty: taken from the request."
        ),
    )
    icp = models.CharField(_("ICP filing number"), max_length=80, blank=True)
    icp_url = models.URLField(_("ICP filing link"), default="https://beian.miit.gov.cn/")
    guest_banner = models.CharField(
        _("guest banner"), max_length=255, default=DEFAULT_GUEST_BANNER, blank=True
    )
    post_footer_notice = models.CharField(
        _("post footer notice"), max_length=255, blank=True, help_text=_("Shown under every post.")
    )
    about_text = models.TextField(_("about page"), blank=True, help_text=_("Discuz code."))
    show_debug_info = models.BooleanField(
        _("show processing time and query count in the footer"), default=True
    )
    posts_per_page = models.PositiveSmallIntegerField(_("floors per page"), default=10)
    threads_per_page = models.PositiveSmallIntegerField(_("threads per page"), default=20)
    floor_labels = models.CharField(
        _("floor labels"),
        max_length=120,
        default=DEFAULT_FLOOR_LABELS,
        help_text=_("Comma-separated names for the first floors; later floors show N#."),
    )
    votes_enabled = models.BooleanField(_("support/oppose votes on replies"), default=True)
    hot_replies = models.PositiveSmallIntegerField(
        _("hot replies lifted to page 1"), default=10, help_text=_("0 turns hot replies off.")
    )
    hot_reply_min_votes = models.PositiveSmallIntegerField(
        _("votes a reply needs to be lifted"), default=1
    )
    guest_view_thumb = models.BooleanField(
        _("guests see small thumbnails of images"),
        default=True,
        help_text=_("Otherwise guests see only the login prompt."),
    )
    guest_thumb_size = models.PositiveSmallIntegerField(_("guest thumbnail size (px)"), default=100)
    show_signatures = models.BooleanField(_("show signatures under posts"), default=True)
    relative_times = models.BooleanField(_("show recent times as '3 小时前'"), default=True)
    review_first_posts = models.PositiveSmallIntegerField(
        _("a new member's first posts wait for review"),
        default=0,
        help_text=_(
            "How many of a member's first posts a moderator approves before they show; 0: none."
        ),
    )
    search_per_minute = models.PositiveSmallIntegerField(
        _("searches per minute per member or IP"),
        default=20,
        help_text=_("0 turns the limit off."),
    )
    post_interval = models.PositiveSmallIntegerField(
        _("seconds between two posts by one member"),
        default=15,
        help_text=_("Flood control; 0 turns it off."),
    )
    # Credits (积分): Discuz's extcredits1..3, their names, and the total formula's weights
    # (Discuz ``creditsformula``: posts + digest×5 + 威望×2 + 金钱 + 贡献).
    credit1_name = models.CharField(_("credit 1 name"), max_length=20, default="威望")
    credit2_name = models.CharField(_("credit 2 name"), max_length=20, default="金钱")
    credit3_name = models.CharField(_("credit 3 name"), max_length=20, default="贡献")
    credit1_enabled = models.BooleanField(_("credit 1 in use"), default=True)
    credit2_enabled = models.BooleanField(_("credit 2 in use"), default=True)
    credit3_enabled = models.BooleanField(_("credit 3 in use"), default=True)
    formula_posts = models.SmallIntegerField(_("total: weight of posts"), default=1)
    formula_threads = models.SmallIntegerField(_("total: weight of threads"), default=0)
    formula_digest = models.SmallIntegerField(_("total: weight of digest threads"), default=5)
    formula_credit1 = models.SmallIntegerField(_("total: weight of credit 1"), default=2)
    formula_credit2 = models.SmallIntegerField(_("total: weight of credit 2"), default=1)
    formula_credit3 = models.SmallIntegerField(_("total: weight of credit 3"), default=1)
    max_charge_hours = models.PositiveIntegerField(
        _("hours an attachment may be sold"),
        default=0,
        help_text=_(
            "After this many hours from upload a priced attachment is free to everyone "
            "(Discuz 最高出售时限); 0: no limit."
        ),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    registration_email_required = models.BooleanField(
        _("an email address is required to register"), default=False
    )
    captcha_on_register = models.BooleanField(_("captcha on registration"), default=True)
    captcha_on_guest_forms = models.BooleanField(
        _("captcha on guests' forms (reports)"), default=True
    )
    captcha_use_questions = models.BooleanField(
        _("ask a question instead of showing an image"),
        default=False,
        help_text=_("Uses the captcha questions below; the image is used while there are none."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return str(self.site_name)

    FORMULA_FIELDS = (
        "formula_posts",
        "formula_threads",
        "formula_digest",
        "formula_credit1",
        "formula_credit2",
        "formula_credit3",
    )

    @property
    def credit_name_map(self) -> dict[int, str]:
        """The credits in use, by number."""
        names = {1: self.credit1_name, 2: self.credit2_name, 3: self.credit3_name}
        enabled = {1: self.credit1_enabled, 2: self.credit2_enabled, 3: self.credit3_enabled}
        return {n: names[n] for n in (1, 2, 3) if enabled[n]}

    @property
    def formula_text(self) -> str:
        """The formula in words, as Discuz shows it: 总积分=发帖数+精华帖数*5+威望*2+金钱+贡献."""
        parts = [
            ("发帖数", self.formula_posts),
            ("主题数", self.formula_threads),
            ("精华帖数", self.formula_digest),
            (self.credit1_name, self.formula_credit1),
            (self.credit2_name, self.formula_credit2),
            (self.credit3_name, self.formula_credit3),
        ]
        terms = [name if weight == 1 else f"{name}*{weight}" for name, weight in parts if weight]
        return "总积分=" + "+".join(terms).replace("+-", "-") if terms else "总积分=0"

    @property
    def floor_label_list(self) -> tuple[str, ...]:
        return _floor_labels(self.floor_labels)


class CaptchaQuestion(models.Model):
    """A question-and-answer captcha set by the administrators (e.g. 本站所在城市是？ 遂宁)."""

    question = models.CharField(_("question"), max_length=200)
    answer = models.CharField(
        _("answer"), max_length=100, help_text=_("Case, width and spaces are ignored.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("captcha question")
        verbose_name_plural = _("captcha questions")

    def __str__(self) -> str:
        return self.question


@functools.lru_cache(maxsize=16)
def _floor_labels(text: str) -> tuple[str, ...]:
    """The floor names of ``floor_labels`` (read once per text, not once per floor shown)."""
    return tuple(label.strip() for label in text.split(",") if label.strip())
