"""Writes for reports and appeals, and the sensitive-word list (词语过滤). Permission checks belong
to the caller (``fupan.permissions.moderation``; the word list is the admin's); each action
validates its input, owns its transaction and locks the report or appeal it decides, so two
moderators deciding at once cannot both win.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
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
from fupan.inbox.actions import notify_report_outcome
from fupan.moderation.log import Action, record
from fupan.moderation.models import Appeal, AppealMessage, CensorWord, Report, is_deleted_post
from fupan.moderation.queries import purge_word_filter
from fupan.moderation.wordfilter import normalise

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


def do_resolve_report(report: Report, *, acting_user: Any, outcome: str, note: str = "") -> Report:
    """Resolve an open report with an outcome and a note, recording who and when. The report row
    is locked: a report already resolved (by another moderator a moment ago) is refused and left
    as it was. Precondition: ``check_resolve_report_permission``. A member who reported hears the
    outcome and the note in their notifications (a guest reads it nowhere: they left a contact)."""
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
        record(
            acting_user,
            Action.RESOLVE_REPORT,
            thread=current.thread,
            post=current.post,
            member=current.member,
            detail=f"#{current.pk} {outcome}",
            reason=note,
        )
        notify_report_outcome(
            current.reporter_id,
            actor=acting_user,
            outcome=outcome,
            note=note,
            thread=current.thread,
            post=current.post,
        )
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
        record(
            acting_user,
            Action.DECIDE_APPEAL,
            post=current.post,
            member=current.appellant,
            detail=f"#{current.pk} {'accepted' if accept else 'rejected'}",
            reason=reply,
        )
    for name, value in changes.items():
        setattr(appeal, name, value)
    return appeal


# Sensitive words (词语过滤) -------------------------------------------------------------------

# Discuz's export writes one ``word=replacement`` a line; these replacements mean another action.
_DISCUZ_ACTIONS = {"{BANNED}": CensorWord.Action.BLOCK, "{MOD}": CensorWord.Action.REVIEW}
CENSOR_FIND_MAX = CensorWord._meta.get_field("find").max_length or 255


@dataclass
class CensorImport:
    """What ``do_add_censor_words`` did: lines added as new words, words whose action or
    replacement changed, and lines skipped (repeated, already listed as they are, or unusable)."""

    added: int = 0
    updated: int = 0
    skipped: int = 0


def check_censor_word_find(find: str | None) -> str:
    """A word or pattern the filter can use: something left to match once spaces and punctuation
    are ignored, a ``/regex/`` that compiles, at most 255 characters."""
    find = (find or "").strip()
    if len(find) > CENSOR_FIND_MAX:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("A word or pattern is at most %(max)d characters long.") % {"max": CENSOR_FIND_MAX},
            field="find",
        )
    if len(find) > 2 and find.startswith("/") and find.endswith("/"):
        try:
            re.compile(find[1:-1])
        except re.error as exc:
            raise FupanError(
                ErrorCode.BAD_REQUEST,
                _("This regular expression is not valid: %(error)s.") % {"error": exc},
                field="find",
            ) from None
        return find
    if not normalise(find)[0]:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("Enter a word with at least one letter or digit."),
            field="find",
        )
    return find


def check_censor_action(action: str | None, replacement: str | None) -> tuple[str, str]:
    if action not in CensorWord.Action.values:
        raise FupanError(ErrorCode.BAD_REQUEST, _("Please choose an action."), field="action")
    replacement = (replacement or "").strip()
    if action != CensorWord.Action.REPLACE:
        replacement = ""
    return str(action), replacement[:CENSOR_FIND_MAX]


def _parse_censor_line(line: str, action: str, replacement: str) -> tuple[str, str, str] | None:
    """One line of an import: ``word`` (the page's action), or Discuz's ``word=replacement``
    where ``{BANNED}`` means block and ``{MOD}`` means review. A ``/regex/`` may contain "=".
    None for a blank line."""
    line = line.lstrip("\ufeff").strip()
    if not line:
        return None
    end = line.rfind("/")
    tail = line[end + 1 :].strip()
    if line.startswith("/") and end > 0 and (not tail or tail.startswith("=")):
        find, separator, rest = line[: end + 1], tail[:1], tail[1:]
    else:
        find, separator, rest = line.partition("=")
    find, rest = find.strip(), rest.strip()
    if separator and rest:
        special = _DISCUZ_ACTIONS.get(rest.upper())
        if special is not None:
            return find, special, ""
        return find, CensorWord.Action.REPLACE, rest[:CENSOR_FIND_MAX]
    return find, action, replacement


def do_add_censor_words(
    lines: Iterable[str] | str,
    *,
    acting_user: Any,
    action: str = CensorWord.Action.REPLACE,
    replacement: str = "**",
) -> CensorImport:
    """Import sensitive words, one a line (a pasted list or a file, 10,000 lines and more): plain
    words take ``action`` and ``replacement``; Discuz's ``word=replacement`` lines bring their
    own. A word already listed takes the new action and replacement. Blank lines are ignored;
    repeated or unusable lines are skipped.

    Precondition: ``acting_user`` is an administrator (the admin checks). Side effects: every
    process rebuilds its word filter. One query reads the list; inserts and updates go in batches
    of 500."""
    action, replacement = check_censor_action(action, replacement)
    if isinstance(lines, str):
        lines = lines.splitlines()
    result = CensorImport()
    wanted: dict[str, tuple[str, str]] = {}
    for line in lines:
        parsed = _parse_censor_line(line, action, replacement)
        if parsed is None:
            continue
        find, word_action, word_replacement = parsed
        try:
            find = check_censor_word_find(find)
        except FupanError:
            result.skipped += 1
            continue
        if find in wanted:
            result.skipped += 1
            continue
        wanted[find] = (word_action, word_replacement)
    now = timezone.now()
    with transaction.atomic():
        existing = {
            word.find: word
            for word in CensorWord.objects.only("id", "find", "action", "replacement").iterator(
                chunk_size=5000
            )
        }
        new: list[CensorWord] = []
        changed: list[CensorWord] = []
        for find, (word_action, word_replacement) in wanted.items():
            word = existing.get(find)
            if word is None:
                new.append(
                    CensorWord(
                        find=find,
                        action=word_action,
                        replacement=word_replacement,
                        created_at=now,
                        created_by=acting_user,
                    )
                )
            elif (word.action, word.replacement) != (word_action, word_replacement):
                word.action, word.replacement = word_action, word_replacement
                changed.append(word)
            else:
                result.skipped += 1
        try:
            with transaction.atomic():
                CensorWord.objects.bulk_create(new, batch_size=500)
                CensorWord.objects.bulk_update(changed, ["action", "replacement"], batch_size=500)
        except IntegrityError:  # another import added some of these words meanwhile
            raise FupanError(
                ErrorCode.BAD_REQUEST,
                _("The word list changed while importing; please import again."),
                status=409,
            ) from None
        result.added, result.updated = len(new), len(changed)
        _purge_word_filter_now_and_on_commit()
    return result


def do_save_censor_word(word: CensorWord, *, acting_user: Any) -> CensorWord:
    """Add or change one word (the admin's form). Side effects: every process rebuilds its word
    filter."""
    word.find = check_censor_word_find(word.find)
    word.action, word.replacement = check_censor_action(word.action, word.replacement)
    if word.pk is None and word.created_by_id is None and acting_user is not None:
        word.created_by = acting_user
    with transaction.atomic():
        word.save()
        _purge_word_filter_now_and_on_commit()
    return word


def do_delete_censor_words(ids: Iterable[int], *, acting_user: Any) -> int:
    """Delete words by id; returns how many were deleted. Side effects: every process rebuilds its
    word filter."""
    ids = list(ids)
    with transaction.atomic():
        deleted, _counts = CensorWord.objects.filter(pk__in=ids).delete()
        _purge_word_filter_now_and_on_commit()
    return deleted


def _purge_word_filter_now_and_on_commit() -> None:
    # Now (this process sees the change at once) and again after commit (another worker may have
    # rebuilt from the old rows in between).
    purge_word_filter()
    transaction.on_commit(purge_word_filter)
