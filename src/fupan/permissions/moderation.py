"""Rules for reports (举报, 信息举报), the moderators' report queue and appeals (用户申诉).

Who sees what:
- a post report: the moderators of the post's board, super moderators and administrators;
- a member report and a site report (信息举报): super moderators and administrators;
- a ban appeal: super moderators and administrators decide;
- a deleted-post appeal: the moderators of the post's board (and super moderators) decide;
- the member who reported or appealed sees their own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from fupan.accounts.models import UserGroup
from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.models import Post
from fupan.moderation.models import Appeal, Report, is_deleted_post
from fupan.permissions.core import UserPerms
from fupan.permissions.forum import LoginRequired

BANNED_GROUPS = (UserGroup.BANNED_POST, UserGroup.BANNED_VISIT)

# Visiting ------------------------------------------------------------------------------------


def is_banned_from_visiting(perms: UserPerms) -> bool:
    """A member whose group may not visit (禁止访问): they see the ban page, and may appeal."""
    return perms.is_authenticated and not perms.group.allow_visit and not perms.is_admin


# Reporting posts and members -----------------------------------------------------------------


def _may_report(perms: UserPerms) -> bool:
    return perms.is_authenticated and perms.user.is_active


def can_report_post(perms: UserPerms, post: Post) -> bool:
    """Any member may report a visible post they can read, except their own."""
    return (
        _may_report(perms) and post.state == Post.State.VISIBLE and post.author_id != perms.user_id
    )


def check_report_post_permission(perms: UserPerms, post: Post) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can report."))
    if post.author_id is not None and post.author_id == perms.user_id:
        raise FupanError(ErrorCode.REPORT_OWN, _("You cannot report your own post."), status=403)
    if not can_report_post(perms, post):
        raise PermissionDenied(_("This post cannot be reported."))


def access_member_by_id(perms: UserPerms, user_id: int | str) -> Any:
    """A member to report: missing and deactivated members are both 404."""
    try:
        member = get_user_model().objects.get(pk=int(user_id), is_active=True)
    except (get_user_model().DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("This member does not exist.")) from None
    return member


def can_report_member(perms: UserPerms, member: Any) -> bool:
    return _may_report(perms) and member.pk != perms.user_id


def check_report_member_permission(perms: UserPerms, member: Any) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can report."))
    if member.pk == perms.user_id:
        raise FupanError(ErrorCode.REPORT_OWN, _("You cannot report yourself."), status=403)
    if not can_report_member(perms, member):
        raise PermissionDenied(_("This member cannot be reported."))


def can_report_site_content(perms: UserPerms) -> bool:
    """信息举报 is open to everyone, guests included (rate-limited by the action)."""
    return True


# The report queue ----------------------------------------------------------------------------


def can_see_report_queue(perms: UserPerms) -> bool:
    return perms.is_authenticated and (perms.is_super_moderator or bool(perms.moderated_board_ids))


def check_see_report_queue_permission(perms: UserPerms) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in first."))
    if not can_see_report_queue(perms):
        raise PermissionDenied(_("Only moderators may see reports."))


def can_handle_report(perms: UserPerms, report: Report) -> bool:
    """See a report in the queue and resolve it."""
    if not perms.is_authenticated:
        return False
    if perms.is_super_moderator:
        return True
    return (
        report.kind == Report.Kind.POST
        and report.board_id is not None
        and report.board_id in perms.moderated_board_ids
    )


def check_resolve_report_permission(perms: UserPerms, report: Report) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in first."))
    if not can_handle_report(perms, report):
        raise PermissionDenied(_("Only this board's moderators may resolve this report."))


def filter_reports_queryset(perms: UserPerms, qs: QuerySet[Report]) -> QuerySet[Report]:
    """The reports a moderator works on (none for anybody else)."""
    if not perms.is_authenticated:
        return qs.none()
    if perms.is_super_moderator:
        return qs
    if not perms.moderated_board_ids:
        return qs.none()
    return qs.filter(kind=Report.Kind.POST, board_id__in=perms.moderated_board_ids)


def access_report_by_id(perms: UserPerms, report_id: int | str) -> Report:
    """A report for a moderator who may handle it; 404 alike for missing and not theirs."""
    try:
        report = Report.objects.select_related(
            "post", "thread", "board", "member", "reporter", "resolved_by"
        ).get(pk=int(report_id))
    except (Report.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("This report does not exist.")) from None
    if not can_handle_report(perms, report):
        raise Http404(_("This report does not exist."))
    return report


# Appeals -------------------------------------------------------------------------------------


def can_file_appeal(perms: UserPerms) -> bool:
    """Any member may open the appeals page, banned members included (that is what it is for)."""
    return perms.is_authenticated


def can_appeal_post(perms: UserPerms, post: Post) -> bool:
    """A member may appeal the deletion of their own post, unless they moderate its board (then
    they may have deleted it themselves, and can restore it anyway)."""
    return (
        perms.is_authenticated
        and post.author_id == perms.user_id
        and is_deleted_post(post)
        and not perms.moderates(post.thread.board_id)
    )


def check_file_appeal_permission(perms: UserPerms, post: Post | None = None) -> None:
    """``post`` None: an appeal against the member's ban."""
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can appeal."))
    if post is None:
        if perms.user.group_id not in BANNED_GROUPS:
            raise FupanError(
                ErrorCode.NOT_SANCTIONED,
                _("You are not banned, so there is no ban to appeal."),
                field="subject",
            )
        return
    if not can_appeal_post(perms, post):
        raise FupanError(
            ErrorCode.NOT_SANCTIONED,
            _("This post has not been deleted by a moderator, so there is nothing to appeal."),
            field="subject",
        )


def access_own_post_by_id(perms: UserPerms, post_id: int | str | None) -> Post:
    """One of the member's own posts, whatever its state (deleted ones included); 404 for
    anybody else's post."""
    try:
        post = Post.objects.select_related("thread", "thread__board").get(pk=int(post_id))  # type: ignore[arg-type]
    except (Post.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("This post does not exist or has been deleted.")) from None
    if not perms.is_authenticated or post.author_id != perms.user_id:
        raise Http404(_("This post does not exist or has been deleted."))
    return post


def can_decide_appeal(perms: UserPerms, appeal: Appeal) -> bool:
    """Ban appeals: super moderators and administrators. Deleted-post appeals: the post's board
    moderators too. Nobody decides their own appeal."""
    if not perms.is_authenticated or appeal.appellant_id == perms.user_id:
        return False
    if appeal.kind == Appeal.Kind.BAN:
        return perms.is_super_moderator
    return perms.is_super_moderator or (
        appeal.board_id is not None and appeal.board_id in perms.moderated_board_ids
    )


def check_decide_appeal_permission(perms: UserPerms, appeal: Appeal) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in first."))
    if not can_decide_appeal(perms, appeal):
        raise PermissionDenied(_("You may not decide this appeal."))


def can_see_appeal(perms: UserPerms, appeal: Appeal) -> bool:
    return perms.is_authenticated and (
        appeal.appellant_id == perms.user_id or can_decide_appeal(perms, appeal)
    )


def can_write_in_appeal(perms: UserPerms, appeal: Appeal) -> bool:
    """Both sides may add messages while the appeal is open."""
    return appeal.is_open and can_see_appeal(perms, appeal)


def check_write_in_appeal_permission(perms: UserPerms, appeal: Appeal) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in first."))
    if not can_see_appeal(perms, appeal):
        raise PermissionDenied(_("You may not write in this appeal."))
    if not appeal.is_open:
        raise FupanError(
            ErrorCode.ALREADY_DECIDED,
            _("This appeal has been decided; it takes no more messages."),
            field="body",
            status=409,
        )


def access_appeal_by_id(perms: UserPerms, appeal_id: int | str) -> Appeal:
    """An appeal for its member or a moderator who may decide it; 404 for anybody else."""
    try:
        appeal = Appeal.objects.select_related(
            "appellant", "banned_group", "post", "post__thread", "board", "decided_by"
        ).get(pk=int(appeal_id))
    except (Appeal.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("This appeal does not exist.")) from None
    if not can_see_appeal(perms, appeal):
        raise Http404(_("This appeal does not exist."))
    return appeal


def can_see_appeal_queue(perms: UserPerms) -> bool:
    return can_see_report_queue(perms)


def check_see_appeal_queue_permission(perms: UserPerms) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in first."))
    if not can_see_appeal_queue(perms):
        raise PermissionDenied(_("Only moderators may see appeals."))


def filter_appeals_queryset(perms: UserPerms, qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The appeals a moderator may decide (never their own)."""
    if not perms.is_authenticated:
        return qs.none()
    qs = qs.exclude(appellant_id=perms.user_id)
    if perms.is_super_moderator:
        return qs
    if not perms.moderated_board_ids:
        return qs.none()
    return qs.filter(Q(kind=Appeal.Kind.POST) & Q(board_id__in=perms.moderated_board_ids))


def can_see_moderation_queues(perms: UserPerms) -> bool:
    """For the header's 管理 link."""
    return can_see_report_queue(perms)
