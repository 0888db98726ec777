"""Who may send messages: Discuz's groups × the rule, and conversations by id."""

import pytest
from django.http import Http404

from fupan.accounts.models import UserGroup
from fupan.permissions import (
    access_conversation_by_id,
    can_send_message,
    check_send_message_permission,
    resolve_perms,
)
from fupan.permissions.forum import LoginRequired

ALLOWED = {
    UserGroup.ADMIN: True,
    UserGroup.SUPER_MODERATOR: True,
    UserGroup.MODERATOR: True,
    UserGroup.BANNED_POST: False,
    UserGroup.BANNED_VISIT: False,
    UserGroup.BANNED_IP: False,
    UserGroup.AWAITING_VERIFICATION: False,
    9: True,  # 限制会员 (Discuz allows them 短消息)
    UserGroup.NEWBIE: True,
    11: True,
    15: True,
}


@pytest.mark.parametrize(("group", "allowed"), sorted(ALLOWED.items()))
@pytest.mark.django_db
def test_send_permission_by_group(user_factory, group, allowed):
    perms = resolve_perms(user_factory(group=group))
    assert can_send_message(perms) is allowed


@pytest.mark.django_db
def test_guests_may_not_send_and_are_asked_to_log_in(site):
    from django.contrib.auth.models import AnonymousUser

    perms = resolve_perms(AnonymousUser())
    assert not can_send_message(perms)
    with pytest.raises(LoginRequired):
        check_send_message_permission(perms)


@pytest.mark.django_db
def test_inactive_members_may_not_send(user_factory):
    assert not can_send_message(resolve_perms(user_factory(is_active=False)))


@pytest.mark.django_db
def test_access_by_id_is_404_alike_for_missing_other_and_removed(
    member_client, member, other_member, user_factory, send
):
    from fupan.pm.models import Conversation

    send(member_client, other_member.username, "只给你")
    conversation = Conversation.objects.get()
    assert access_conversation_by_id(resolve_perms(member), conversation.pk).pk == conversation.pk
    for bad_id in (conversation.pk + 1000, "junk", 2**40):
        with pytest.raises(Http404):
            access_conversation_by_id(resolve_perms(member), bad_id)
    with pytest.raises(Http404):
        access_conversation_by_id(resolve_perms(user_factory("旁观者")), conversation.pk)
    member_client.post(f"/pm/{conversation.pk}/leave/")
    with pytest.raises(Http404):
        access_conversation_by_id(resolve_perms(member), conversation.pk)
