"""Who may report, see and resolve reports, and file, see and decide appeals: user kinds × report
kinds and appeal kinds."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from fupan.accounts.models import UserGroup
from fupan.core.errors import FupanError
from fupan.moderation.actions import do_file_appeal
from fupan.moderation.models import Appeal, Report
from fupan.permissions.core import resolve_perms
from fupan.permissions.forum import LoginRequired
from fupan.permissions.moderation import (
    can_decide_appeal,
    can_handle_report,
    can_report_member,
    can_report_post,
    can_see_appeal,
    can_see_moderation_queues,
    check_file_appeal_permission,
    check_report_post_permission,
    filter_appeals_queryset,
    filter_reports_queryset,
    is_banned_from_visiting,
)

pytestmark = pytest.mark.django_db

USERS = ["guest", "member", "moderator", "other_moderator", "super_moderator", "admin"]


@pytest.fixture
def people(member, moderator, other_moderator, super_moderator, admin_user) -> dict[str, Any]:
    return {
        "guest": AnonymousUser(),
        "member": member,
        "moderator": moderator,
        "other_moderator": other_moderator,
        "super_moderator": super_moderator,
        "admin": admin_user,
    }


@pytest.fixture
def reports(reply, other_member, member, report_post, report_member, report_site):
    return {
        "post": report_post(reply, other_member),
        "member": report_member(member, other_member),
        "site": report_site(),
    }


@pytest.fixture
def appeals(member, deleted_reply, post_banned):
    return {
        "post": do_file_appeal(member, post=deleted_reply, statement="请恢复"),
        "ban": do_file_appeal(post_banned, statement="请解封"),
    }


# Reports ---------------------------------------------------------------------------------------

HANDLES_REPORT = {
    # user: (post report in `board`, member report, site report)
    "guest": (False, False, False),
    "member": (False, False, False),
    "moderator": (True, False, False),
    "other_moderator": (False, False, False),
    "super_moderator": (True, True, True),
    "admin": (True, True, True),
}


@pytest.mark.parametrize("who", USERS)
def test_who_handles_which_report(who, people, reports):
    perms = resolve_perms(people[who])
    expected = HANDLES_REPORT[who]
    assert tuple(can_handle_report(perms, reports[k]) for k in ("post", "member", "site")) == (
        expected
    )
    listed = set(filter_reports_queryset(perms, Report.objects.all()).values_list("pk", flat=True))
    assert listed == {
        reports[k].pk for k, ok in zip(("post", "member", "site"), expected, strict=True) if ok
    }


@pytest.mark.parametrize("who", USERS)
def test_who_sees_the_moderation_link(who, people):
    expected = who in {"moderator", "other_moderator", "super_moderator", "admin"}
    assert can_see_moderation_queues(resolve_perms(people[who])) is expected


@pytest.mark.parametrize("who", USERS)
def test_who_may_report_a_post_and_a_member(who, people, reply, other_member):
    # `reply` is written by `member`; the member may not report their own post.
    perms = resolve_perms(people[who])
    assert can_report_post(perms, reply) is (who not in {"guest", "member"})
    assert can_report_member(perms, other_member) is (who != "guest")


def test_reporting_checks_say_why(people, reply):
    with pytest.raises(LoginRequired):
        check_report_post_permission(resolve_perms(people["guest"]), reply)
    with pytest.raises(FupanError) as own:
        check_report_post_permission(resolve_perms(people["member"]), reply)
    assert own.value.code == "report_own"


def test_a_deleted_post_cannot_be_reported(people, deleted_reply):
    assert not can_report_post(resolve_perms(people["admin"]), deleted_reply)
    with pytest.raises(PermissionDenied):
        check_report_post_permission(resolve_perms(people["admin"]), deleted_reply)


# Appeals ---------------------------------------------------------------------------------------

DECIDES_APPEAL = {
    # user: (deleted post in `board`, ban)
    "guest": (False, False),
    "member": (False, False),  # the appellant of the post appeal
    "moderator": (True, False),
    "other_moderator": (False, False),
    "super_moderator": (True, True),
    "admin": (True, True),
}


@pytest.mark.parametrize("who", USERS)
def test_who_decides_which_appeal(who, people, appeals):
    perms = resolve_perms(people[who])
    expected = DECIDES_APPEAL[who]
    assert (
        can_decide_appeal(perms, appeals["post"]),
        can_decide_appeal(perms, appeals["ban"]),
    ) == (expected)
    listed = set(filter_appeals_queryset(perms, Appeal.objects.all()).values_list("pk", flat=True))
    assert listed == {appeals[k].pk for k, ok in zip(("post", "ban"), expected, strict=True) if ok}


@pytest.mark.parametrize("who", USERS)
def test_who_sees_an_appeal(who, people, appeals):
    perms = resolve_perms(people[who])
    # The member sees their own post appeal; deciders see what they decide.
    assert can_see_appeal(perms, appeals["post"]) is (
        who in {"member", "moderator", "super_moderator", "admin"}
    )
    assert can_see_appeal(perms, appeals["ban"]) is (who in {"super_moderator", "admin"})


def test_the_banned_appellant_sees_their_own_ban_appeal(post_banned, appeals):
    assert can_see_appeal(resolve_perms(post_banned), appeals["ban"])
    assert not can_decide_appeal(resolve_perms(post_banned), appeals["ban"])


@pytest.mark.parametrize(
    ("group", "may_appeal_ban", "banned_from_visiting"),
    [
        (UserGroup.NEWBIE, False, False),
        (UserGroup.BANNED_POST, True, False),
        (UserGroup.BANNED_VISIT, True, True),
    ],
)
def test_who_may_appeal_a_ban_and_who_is_kept_out(
    user_factory, group, may_appeal_ban, banned_from_visiting
):
    perms = resolve_perms(user_factory(group=group))
    assert is_banned_from_visiting(perms) is banned_from_visiting
    if may_appeal_ban:
        check_file_appeal_permission(perms, None)
    else:
        with pytest.raises(FupanError) as refused:
            check_file_appeal_permission(perms, None)
        assert refused.value.code == "not_sanctioned"


def test_guests_and_admins_are_never_banned_from_visiting(people):
    assert not is_banned_from_visiting(resolve_perms(people["guest"]))
    assert not is_banned_from_visiting(resolve_perms(people["admin"]))
