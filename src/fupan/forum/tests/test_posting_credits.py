"""Posting earns Discuz's default credits (thread +2 金钱, reply +1, digest +5); deleting takes
them back and restoring pays them again; the total always follows the formula."""

import pytest

from fupan.accounts.credits import total_credits
from fupan.forum.actions import (
    do_create_reply,
    do_create_thread,
    do_delete_post,
    do_delete_thread,
    do_digest_thread,
    do_restore_post,
    do_restore_thread,
)
from fupan.forum.models import Post


def money(user):
    user.refresh_from_db()
    assert user.credits == total_credits(user)
    return user.extcredits2


@pytest.mark.django_db
def test_thread_and_reply_pay_money_and_deletion_takes_it_back(
    board, member, other_member, moderator
):
    thread = do_create_thread(board, acting_user=member, title="标题", body="正文")
    assert money(member) == 2
    reply = do_create_reply(thread, acting_user=other_member, body="回复")
    assert money(other_member) == 1
    do_delete_post(reply, acting_user=moderator)
    assert money(other_member) == 0
    do_restore_post(Post.objects.get(pk=reply.pk), acting_user=moderator)
    assert money(other_member) == 1
    do_delete_thread(thread, acting_user=moderator)
    assert (money(member), money(other_member)) == (0, 0)
    do_restore_thread(thread, acting_user=moderator)
    assert (money(member), money(other_member)) == (2, 1)


@pytest.mark.django_db
def test_digest_pays_five_and_removing_it_takes_them_back(thread, member, moderator):
    start = money(member)
    do_digest_thread(thread, acting_user=moderator, level=1)
    assert money(member) == start + 5 and member.credits == total_credits(member)
    do_digest_thread(thread, acting_user=moderator, level=0)
    assert money(member) == start


@pytest.mark.django_db
def test_credits_show_in_the_members_history(member_client, member, board):
    member_client.post(f"/f/{board.pk}/new/", {"title": "赚积分", "body": "正文"})
    html = member_client.get(f"/u/{member.pk}/credits/").content.decode()
    assert "+2" in html
