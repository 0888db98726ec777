"""Who may buy items, use them on which threads, and read whose credit history: user groups ×
thread states."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from fupan.accounts.models import User, UserGroup
from fupan.forum.models import BoardPermission, Thread
from fupan.permissions.core import purge_board_overrides, resolve_perms
from fupan.permissions.credits import can_view_credit_log, check_view_credit_log_permission
from fupan.permissions.forum import LoginRequired
from fupan.permissions.items import (
    can_buy_items,
    can_use_item_on_thread,
    check_buy_items_permission,
    check_use_item_on_thread_permission,
)

GROUPS = {
    "guest": None,
    "newbie": UserGroup.NEWBIE,
    "member rank": 12,
    "moderator": UserGroup.MODERATOR,
    "admin": UserGroup.ADMIN,
    "banned from posting": UserGroup.BANNED_POST,
    "banned from visiting": UserGroup.BANNED_VISIT,
    "awaiting verification": UserGroup.AWAITING_VERIFICATION,
}
MAY_BUY = {
    "guest": False,
    "newbie": True,
    "member rank": True,
    "moderator": True,
    "admin": True,
    "banned from posting": False,
    "banned from visiting": False,
    "awaiting verification": False,
}


@pytest.fixture
def perms_for(user_factory):
    def make(kind: str):
        group = GROUPS[kind]
        user = AnonymousUser() if group is None else user_factory(group=group)
        return resolve_perms(user)

    return make


@pytest.mark.parametrize("kind", list(GROUPS))
def test_who_may_buy_items(perms_for, kind):
    perms = perms_for(kind)
    assert can_buy_items(perms) is MAY_BUY[kind]
    if MAY_BUY[kind]:
        check_buy_items_permission(perms)
    else:
        expected = LoginRequired if kind == "guest" else PermissionDenied
        with pytest.raises(expected):
            check_buy_items_permission(perms)


def test_a_deactivated_member_may_not_buy(user_factory):
    assert not can_buy_items(resolve_perms(user_factory(is_active=False)))


STATES = {
    "visible": (Thread.State.VISIBLE, False, True),
    "closed": (Thread.State.VISIBLE, True, True),
    "recycled": (Thread.State.RECYCLED, False, False),
    "pending": (Thread.State.PENDING, False, False),
}


@pytest.mark.parametrize("kind", list(GROUPS))
@pytest.mark.parametrize("state", list(STATES))
def test_who_may_use_items_on_which_threads(perms_for, thread, kind, state):
    value, closed, usable = STATES[state]
    Thread.objects.filter(pk=thread.pk).update(state=value, closed=closed)
    thread.refresh_from_db()
    perms = perms_for(kind)
    expected = MAY_BUY[kind] and usable
    assert can_use_item_on_thread(perms, thread) is expected
    if not expected:
        with pytest.raises(PermissionDenied):
            check_use_item_on_thread_permission(perms, thread)


def test_items_may_not_be_used_where_the_group_may_not_read(perms_for, thread):
    BoardPermission.objects.create(board=thread.board, group_id=UserGroup.NEWBIE, can_read=False)
    purge_board_overrides()
    assert not can_use_item_on_thread(perms_for("newbie"), thread)
    assert can_use_item_on_thread(perms_for("member rank"), thread)


def test_only_the_member_and_administrators_read_a_credit_history(perms_for, member):
    me = resolve_perms(User.objects.get(pk=member.pk))
    assert can_view_credit_log(me, member)
    assert can_view_credit_log(perms_for("admin"), member)
    for kind in ("guest", "newbie", "moderator"):
        assert not can_view_credit_log(perms_for(kind), member)
    with pytest.raises(LoginRequired):
        check_view_credit_log_permission(perms_for("guest"), member)
    with pytest.raises(PermissionDenied):
        check_view_credit_log_permission(perms_for("moderator"), member)
