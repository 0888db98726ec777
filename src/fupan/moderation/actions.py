"""Writes for reports and appeals. Permission checks belong to the caller
(``fupan.permissions.moderation``); each action validates its input, owns its transaction and
locks the report or appeal it decides, so two moderators deciding at once cannot both win.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.accounts.models import User, UserGroup
from fupan.core import ratelimit
from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.models import Post
from fupan.moderation.models import Appeal, AppealMessage, Report, is_deleted_post

REPORT_MESSAGE_MAX = 200
SITE_REPORT_DESCRIPTION_MAX = 1000
SITE_REPORT_CONTACT_MAX = 100
SITE_REPORT_URL_MAX = 500
RESOLVE_NOTE_MAX = 500
APPEAL_TEXT_MAX = 2000

# Rate limits (per hour): members per account and per IP; guests' 信息举报 per IP.
REPORT_WINDOW = 3600
REPORTS_PER_HOUR = 10
GUEST_SITE_REPORTS_PER_HOUR = 5

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,30}$")


# Checks --------------------------------------------------------------------------------------


def _check_length(text: str, limit: int, field: str) -> str:
    if len(text) > limit:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("This is %(n)d characters long; at most %(max)d are allowed.")
            % {"n": len(text), "max": limit},
            field=field,
        )
    return text


def check_report_reason(reason: str | None) -> str:
    if reason not in Report.Reason.values:
        raise FupanError(ErrorCode.BAD_REQUEST, _("Please choose a reason."), field="reason")
    return str(reason)


def check_report_message(message: str | None) -> str:
    return _check_length((message or "").strip(), REPORT_MESSAGE_MAX, "message")


def check_site_report_category(category: str | None) -> str:
    if category not in Report.Category.values:
        raise FupanError(ErrorCode.BAD_REQUEST, _("Please choose a category."), field="category")
    return str(category)


def check_site_report_url(url: str | None) -> str:
    url = (url or "").strip()
    _check_length(url, SITE_REPORT_URL_MAX, "url")
    # A web address, or a path on this site ("//host" would leave it).
    if url and not (
        url.startswith(("http://", "https://")) or (url.startswith("/") and url[1:2] != "/")
    ):
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("Enter the page's address, starting with http:// or https://."),
            field="url",
        )
    return url


def check_site_report_description(description: str | None) -> str:
    description = (description or "").strip()
    if not description:
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("Please describe what you report."), field="description"
        )
    return _check_length(description, SITE_REPORT_DESCRIPTION_MAX, "description")


def check_site_report_contact(contact: str | None) -> str:
    contact = _check_length((contact or "").strip(), SITE_REPORT_CONTACT_MAX, "contact")
    if not contact:
        return ""
    if "@" in contact:
        try:
            EmailValidator()(contact)
        except ValidationError:
            raise FupanError(
                ErrorCode.BAD_REQUEST,
                _("Enter an email address or a phone number."),
                field="contact",
            ) from None
        return contact
    if not _PHONE.match(contact):
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("Enter an email address or a phone number."), field="contact"
        )
    return contact


def _check_rate(*, user_id: int | None, ip: str | None, guest_limit: int | None = None) -> None:
    """Count one report for the member and for the IP; refuse past the hourly limit."""
    ok = True
    if user_id is not None:
        ok = ratelimit.hit("report", str(user_id), limit=REPORTS_PER_HOUR, window=REPORT_WINDOW)
    if ok and ip:
        limit = guest_limit if user_id is None and guest_limit else REPORTS_PER_HOUR
        ok = ratelimit.hit("report-ip", ip, limit=limit, window=REPORT_WINDOW)
    if not ok:
        raise FupanError(
            ErrorCode.RATE_LIMITED,
            _("You have sent too many reports; please try again in an hour."),
            status=429,
        )


# Reports -------------------------------------------------------------------------------------


def _create_report(fields: dict[str, Any]) -> Report:
    try:
        with transaction.atomic():
            return Report.objects.create(**fields)
    except IntegrityError:  # a report of the same thing was filed a moment ago
        raise FupanError(
            ErrorCode.ALREADY_REPORTED,
            _("You have already reported this; moderators are looking at it."),
            status=409,
        ) from None


def do_report_post(
    post: Post, *, acting_user: Any, reason: str, message: str = "", ip: str | None = None
) -> Report:
    """Report a post (举报). Precondition: ``check_report_post_permission``. Records the post, its
    thread and board, the reporter and IP. Refuses a second open report of the same post by the
    same member and more than the hourly limit of reports."""
    reason = check_report_reason(reason)
    message = check_report_message(message)
    if Report.objects.filter(
        kind=Report.Kind.POST, reporter=acting_user, post=post, status=Report.Status.OPEN
    ).exists():
        raise FupanError(
            ErrorCode.ALREADY_REPORTED,
            _("You have already reported this post; moderators are looking at it."),
            status=409,
        )
    _check_rate(user_id=acting_user.pk, ip=ip)
    return _create_report(
        {
            "kind": Report.Kind.POST,
            "post": post,
            "thread_id": post.thread_id,
            "board_id": post.thread.board_id,
            "reason": reason,
            "message": message,
            "reporter": acting_user,
            "reporter_name": acting_user.username,
            "ip": ip,
        }
    )


def do_report_member(
    member: Any, *, acting_user: Any, reason: str, message: str = "", ip: str | None = None
) -> Report:
    """Report a member (their profile, name or behaviour). Precondition:
    ``check_report_member_permission``. One open report per member reported."""
    reason = check_report_reason(reason)
    message = check_report_message(message)
    if Report.objects.filter(
        kind=Report.Kind.MEMBER, reporter=acting_user, member=member, status=Report.Status.OPEN
    ).exists():
        raise FupanError(
            ErrorCode.ALREADY_REPORTED,
            _("You have already reported this member; moderators are looking at it."),
            status=409,
        )
    _check_rate(user_id=acting_user.pk, ip=ip)
    return _create_report(
        {
            "kind": Report.Kind.MEMBER,
            "member": member,
            "reason": reason,
            "message": message,
            "reporter": acting_user,
            "reporter_name": acting_user.username,
            "ip": ip,
        }
    )


def do_report_site_content(
    *,
    acting_user: Any | None,
    category: str,
    description: str,
    url: str = "",
    contact: str = "",
    ip: str | None = None,
) -> Report:
    """信息举报: anyone, guests included (``acting_user`` None), reports illegal content on the
    site. Guests are limited per IP, members per account and IP."""
    fields = {
        "category": check_site_report_category(category),
        "message": check_site_report_description(description),
        "url": check_site_report_url(url),
        "contact": check_site_report_contact(contact),
    }
    member = acting_user if acting_user is not None and acting_user.is_authenticated else None
    _check_rate(
        user_id=member.pk if member else None, ip=ip, guest_limit=GUEST_SITE_REPORTS_PER_HOUR
    )
    return Report.objects.create(
        kind=Report.Kind.SITE,
        reporter=member,
        reporter_name=member.username if member else "",
        ip=ip,
        **fields,
    )


def notify_reporter(report: Report) -> None:
    """Tell the reporter how their report was resolved. Called after the resolution commits.

    Does nothing yet: the inbox issue (notifications) fills this in. Until then the reporter
    reads the outcome on ``/report/mine/``."""


def do_resolve_report(report: Report, *, acting_user: Any, outcome: str, note: str = "") -> Report:
    """Resolve an open report with an outcome and a note, recording who and when. The report row
    is locked: a report already resolved (by another moderator a moment ago) is refused and left
    as it was. Precondition: ``check_resolve_report_permission``. The reporter is notified after
    the commit (``notify_reporter``)."""
    if outcome not in Report.Outcome.values:
        raise FupanError(ErrorCode.BAD_REQUEST, _("Please choose an outcome."), field="outcome")
    note = _check_length((note or "").strip(), RESOLVE_NOTE_MAX, "note")
    now = timezone.now()
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        if current.status != Report.Status.OPEN:
            raise FupanError(
                ErrorCode.ALREADY_DECIDED,
                _("This report has already been resolved by %(name)s.")
                % {"name": current.resolved_by_name or _("another moderator")},
                status=409,
            )
        changes = {
            "status": Report.Status.RESOLVED,
            "outcome": outcome,
            "note": note,
            "resolved_by": acting_user,
            "resolved_by_name": acting_user.username,
            "resolved_at": now,
        }
        Report.objects.filter(pk=report.pk).update(**changes)
        for name, value in changes.items():
            setattr(report, name, value)
        transaction.on_commit(lambda: notify_reporter(report))
    return report


# Appeals -------------------------------------------------------------------------------------


def check_appeal_text(text: str | None, *, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise FupanError(ErrorCode.BAD_REQUEST, _("Please write something."), field=field)
    return _check_length(text, APPEAL_TEXT_MAX, field)


def _already_appealed() -> FupanError:
    return FupanError(
        ErrorCode.ALREADY_APPEALED,
        _("You have already appealed this; the appeal is still open."),
        field="subject",
        status=409,
    )


def do_file_appeal(acting_user: Any, *, statement: str, post: Post | None = None) -> Appeal:
    """用户申诉: appeal the member's ban (``post`` None) or the deletion of one of their posts.
    Precondition: ``check_file_appeal_permission``; the sanction is checked again here under the
    member's row lock, so an appeal is only ever filed against a sanction in force, once."""
    statement = check_appeal_text(statement, field="statement")
    with transaction.atomic():
        me = User.objects.select_for_update().get(pk=acting_user.pk)
        fields: dict[str, Any]
        if post is None:
            if me.group_id not in (UserGroup.BANNED_POST, UserGroup.BANNED_VISIT):
                raise FupanError(
                    ErrorCode.NOT_SANCTIONED,
                    _("You are not banned, so there is no ban to appeal."),
                    field="subject",
                )
            if Appeal.objects.filter(
                appellant=me, kind=Appeal.Kind.BAN, status=Appeal.Status.OPEN
            ).exists():
                raise _already_appealed()
            fields = {"kind": Appeal.Kind.BAN, "banned_group_id": me.group_id}
        else:
            current = Post.objects.select_related("thread").get(pk=post.pk)
            if current.author_id != me.pk or not is_deleted_post(current):
                raise FupanError(
                    ErrorCode.NOT_SANCTIONED,
                    _(
                        "This post has not been deleted by a moderator, so there is nothing to appeal."
                    ),
                    field="subject",
                )
            if Appeal.objects.filter(
                appellant=me, kind=Appeal.Kind.POST, post=post, status=Appeal.Status.OPEN
            ).exists():
                raise _already_appealed()
            fields = {"kind": Appeal.Kind.POST, "post": post, "board_id": current.thread.board_id}
        try:
            with transaction.atomic():
                return Appeal.objects.create(appellant=me, statement=statement, **fields)
        except IntegrityError:
            raise _already_appealed() from None


def do_add_appeal_message(
    appeal: Appeal, *, acting_user: Any, body: str, from_moderator: bool
) -> AppealMessage:
    """Add a message to an open appeal (either side). Precondition:
    ``check_write_in_appeal_permission``; a decided appeal takes no more messages."""
    body = check_appeal_text(body, field="body")
    with transaction.atomic():
        current = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if current.status != Appeal.Status.OPEN:
            raise FupanError(
                ErrorCode.ALREADY_DECIDED,
                _("This appeal has been decided; it takes no more messages."),
                field="body",
                status=409,
            )
        return AppealMessage.objects.create(
            appeal=current,
            author=acting_user,
            author_name=acting_user.username,
            from_moderator=from_moderator,
            body=body,
        )


def do_decide_appeal(appeal: Appeal, *, acting_user: Any, accept: bool, reply: str = "") -> Appeal:
    """Accept or reject an open appeal, recording who, when and the reply (required to reject).
    Accepting restores the deleted post (``do_restore_post``) or lifts the ban (``do_lift_ban``) in
    the same transaction. The appeal row is locked: an appeal already decided is refused and left
    as it was. Precondition: ``check_decide_appeal_permission``."""
    from fupan.accounts.actions import do_lift_ban
    from fupan.forum.actions import do_restore_post

    reply = (reply or "").strip()
    if not accept and not reply:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("Please tell the member why the appeal is rejected."),
            field="reply",
        )
    reply = _check_length(reply, APPEAL_TEXT_MAX, "reply")
    now = timezone.now()
    with transaction.atomic():
        current = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if current.status != Appeal.Status.OPEN:
            raise FupanError(
                ErrorCode.ALREADY_DECIDED,
                _("This appeal has already been decided by %(name)s.")
                % {"name": current.decided_by_name or _("another moderator")},
                status=409,
            )
        if accept:
            if current.kind == Appeal.Kind.POST and current.post_id:
                post = Post.objects.select_related("thread").get(pk=current.post_id)
                do_restore_post(post, acting_user=acting_user)
            elif current.kind == Appeal.Kind.BAN:
                member = User.objects.select_for_update().get(pk=current.appellant_id)
                do_lift_ban(member, acting_user=acting_user)
        changes = {
            "status": Appeal.Status.ACCEPTED if accept else Appeal.Status.REJECTED,
            "reply": reply,
            "decided_by": acting_user,
            "decided_by_name": acting_user.username,
            "decided_at": now,
        }
        Appeal.objects.filter(pk=appeal.pk).update(**changes)
    for name, value in changes.items():
        setattr(appeal, name, value)
    return appeal
