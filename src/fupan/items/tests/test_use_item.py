"""Using items on threads: each effect, its end, and every refusal changing nothing."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.actions import do_highlight_thread, do_stick_thread
from fupan.forum.models import Board, Thread
from fupan.items.actions import do_use_item
from fupan.items.models import Item, ItemUse, UserItem
from fupan.testing.plugin import uncached_guest_pages


def held(user, item) -> int:
    row = UserItem.objects.filter(user=user, item=item).first()
    return row.quantity if row else 0


def reload(thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


# Highlight ------------------------------------------------------------------------------------


def test_highlight_colours_the_title_for_the_items_hours(member, thread, shop, give_item):
    card = shop["highlight"]
    give_item(member, card)
    now = timezone.now()
    use = do_use_item(card, acting_user=member, thread=thread, color="#0000FF", now=now)
    row = reload(thread)
    assert row.highlight == "#0000FF" and row.highlight_until == now + timedelta(hours=24)
    assert (use.detail, use.expires_at, use.user_id) == ("#0000FF", row.highlight_until, member.pk)
    assert held(member, card) == 0
    assert thread.highlight == "#0000FF"  # the caller's object too


def test_a_highlighted_title_shows_in_the_board_list_until_it_runs_out(
    guest_client, member, thread, shop, give_item
):
    give_item(member, shop["highlight"])
    do_use_item(shop["highlight"], acting_user=member, thread=thread, color="#FF0000")
    assert 'style="color:#FF0000"' in guest_client.get(f"/f/{thread.board_id}/").content.decode()
    # "Now" moves past the end: the highlight is gone from the list by itself.
    Thread.objects.filter(pk=thread.pk).update(
        highlight_until=timezone.now() - timedelta(seconds=1)
    )
    uncached_guest_pages()  # the copy made before ends at the real end (test below)
    assert "color:#FF0000" not in guest_client.get(f"/f/{thread.board_id}/").content.decode()


@pytest.mark.parametrize(
    "color",
    ["", None, "red", "#FFFFFF", "#FF000", "#FF0000;background:url(x)", "#ff0000 ", "<b>"],
)
def test_an_invalid_colour_is_refused_and_changes_nothing(member, thread, shop, give_item, color):
    card = shop["highlight"]
    give_item(member, card)
    if color == "#ff0000 ":
        # Case and surrounding spaces are forgiven: it is still one of the offered colours.
        do_use_item(card, acting_user=member, thread=thread, color=color)
        assert reload(thread).highlight == "#FF0000"
        return
    with pytest.raises(FupanError) as refused:
        do_use_item(card, acting_user=member, thread=thread, color=color)
    assert refused.value.code == ErrorCode.COLOR_INVALID and refused.value.field == "color"
    assert reload(thread).highlight == ""
    assert held(member, card) == 1 and not ItemUse.objects.exists()


def test_a_second_highlight_card_extends_the_running_one(member, thread, shop, give_item):
    card = shop["highlight"]
    give_item(member, card, 2)
    now = timezone.now()
    do_use_item(card, acting_user=member, thread=thread, color="#FF0000", now=now)
    do_use_item(card, acting_user=member, thread=thread, color="#008000", now=now)
    row = reload(thread)
    assert row.highlight == "#008000" and row.highlight_until == now + timedelta(hours=48)


def test_a_moderators_highlight_is_not_overridden(member, moderator, thread, shop, give_item):
    card = shop["highlight"]
    give_item(member, card)
    do_highlight_thread(thread, acting_user=moderator, colour="#800080")
    with pytest.raises(FupanError) as refused:
        do_use_item(card, acting_user=member, thread=thread, color="#FF0000")
    assert refused.value.code == ErrorCode.ITEM_NOT_APPLICABLE
    assert reload(thread).highlight == "#800080" and held(member, card) == 1


# Bump -----------------------------------------------------------------------------------------


def test_bump_moves_the_thread_to_the_top_without_touching_replies_or_the_board(
    guest_client, member, board, thread_factory, shop, give_item
):
    old = thread_factory(board, title="旧帖子", replies=1)
    newer = thread_factory(board, title="新帖子")
    board_before = Board.objects.get(pk=board.pk)
    give_item(member, shop["bump"])
    do_use_item(shop["bump"], acting_user=member, thread=old)
    row = reload(old)
    assert row.replies == 1 and row.last_poster_name == old.last_poster_name
    assert row.last_post_at > newer.last_post_at
    board_after = Board.objects.get(pk=board.pk)
    assert (board_after.last_thread_id, board_after.last_post_at, board_after.posts) == (
        board_before.last_thread_id,
        board_before.last_post_at,
        board_before.posts,
    )
    html = guest_client.get(f"/f/{board.pk}/").content.decode()
    assert html.index("旧帖子") < html.index("新帖子")
    assert ItemUse.objects.get().expires_at is None


# Stick ----------------------------------------------------------------------------------------


def test_stick_makes_the_thread_sticky_in_its_board_for_a_day(member, thread, shop, give_item):
    give_item(member, shop["stick"])
    now = timezone.now()
    do_use_item(shop["stick"], acting_user=member, thread=thread, now=now)
    row = reload(thread)
    assert row.sticky == Thread.Sticky.BOARD and row.sticky_until == now + timedelta(hours=24)


def test_a_stuck_thread_lists_as_sticky_until_it_runs_out_then_as_a_normal_thread(
    guest_client, member, board, thread_factory, shop, give_item
):
    stuck = thread_factory(board, title="置顶卡帖子")
    thread_factory(board, title="后来的帖子")
    give_item(member, shop["stick"])
    do_use_item(shop["stick"], acting_user=member, thread=stuck)
    page = guest_client.get(f"/f/{board.pk}/").context["page"]
    assert [t.pk for t in page.sticky] == [stuck.pk]
    assert stuck.pk not in [t.pk for t in page.threads]
    # "Now" moves past sticky_until: the thread lists with the others again, by its last reply.
    Thread.objects.filter(pk=stuck.pk).update(sticky_until=timezone.now() - timedelta(seconds=1))
    uncached_guest_pages()
    page = guest_client.get(f"/f/{board.pk}/").context["page"]
    assert page.sticky == []
    assert [t.title for t in page.threads] == ["后来的帖子", "置顶卡帖子"]


def test_a_cached_board_list_ends_when_a_highlight_runs_out(guest_client, member, thread, shop):
    Thread.objects.filter(pk=thread.pk).update(
        highlight="#FF0000", highlight_until=timezone.now() + timedelta(seconds=1)
    )
    assert "color:#FF0000" in guest_client.get(f"/f/{thread.board_id}/").content.decode()
    time.sleep(1.1)  # the highlight runs out: no action runs, the cached copy ends with it
    assert "color:#FF0000" not in guest_client.get(f"/f/{thread.board_id}/").content.decode()


def test_a_second_stick_card_extends_the_running_one(member, thread, shop, give_item):
    give_item(member, shop["stick"], 2)
    now = timezone.now()
    do_use_item(shop["stick"], acting_user=member, thread=thread, now=now)
    do_use_item(shop["stick"], acting_user=member, thread=thread, now=now + timedelta(hours=1))
    assert reload(thread).sticky_until == now + timedelta(hours=48)


def test_an_expired_stick_can_be_renewed_from_now(member, thread, shop, give_item):
    give_item(member, shop["stick"], 2)
    start = timezone.now() - timedelta(hours=30)
    do_use_item(shop["stick"], acting_user=member, thread=thread, now=start)
    now = timezone.now()
    do_use_item(shop["stick"], acting_user=member, thread=thread, now=now)
    assert reload(thread).sticky_until == now + timedelta(hours=24)


@pytest.mark.parametrize("until", [None, "tomorrow"])
def test_stick_is_refused_on_a_thread_a_moderator_stuck(
    member, moderator, thread, shop, give_item, until
):
    card = shop["stick"]
    give_item(member, card)
    end = timezone.now() + timedelta(days=1) if until else None
    do_stick_thread(thread, acting_user=moderator, level=1, until=end)
    with pytest.raises(FupanError) as refused:
        do_use_item(card, acting_user=member, thread=thread)
    assert refused.value.code == ErrorCode.ITEM_NOT_APPLICABLE
    assert "moderator" in refused.value.message or "版主" in refused.value.message
    row = reload(thread)
    assert (row.sticky, row.sticky_until) == (1, end)
    assert held(member, card) == 1 and not ItemUse.objects.exists()


def test_stick_after_a_moderators_sticky_ran_out_is_allowed(
    member, moderator, thread, shop, give_item
):
    give_item(member, shop["stick"])
    do_stick_thread(
        thread, acting_user=moderator, level=3, until=timezone.now() - timedelta(minutes=1)
    )
    do_use_item(shop["stick"], acting_user=member, thread=thread)
    assert reload(thread).sticky == Thread.Sticky.BOARD


# Refusals -------------------------------------------------------------------------------------


def test_using_an_item_you_do_not_have_is_refused_and_changes_nothing(member, thread, shop):
    with pytest.raises(FupanError) as refused:
        do_use_item(shop["stick"], acting_user=member, thread=thread)
    assert refused.value.code == ErrorCode.ITEM_NOT_OWNED
    assert "置顶卡" in refused.value.message
    assert reload(thread).sticky == 0 and not ItemUse.objects.exists()


def test_using_the_last_unit_leaves_none_to_use_again(member, thread, shop, give_item):
    give_item(member, shop["bump"])
    do_use_item(shop["bump"], acting_user=member, thread=thread)
    with pytest.raises(FupanError) as refused:
        do_use_item(shop["bump"], acting_user=member, thread=thread)
    assert refused.value.code == ErrorCode.ITEM_NOT_OWNED
    assert ItemUse.objects.count() == 1


def test_items_are_refused_on_a_thread_in_the_recycle_bin(member, thread, shop, give_item):
    give_item(member, shop["stick"])
    Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
    with pytest.raises(FupanError) as refused:
        do_use_item(shop["stick"], acting_user=member, thread=thread)
    assert refused.value.code == ErrorCode.ITEM_NOT_APPLICABLE
    assert reload(thread).sticky == 0 and held(member, shop["stick"]) == 1


def test_a_switched_off_item_cannot_be_used(member, thread, shop, give_item):
    give_item(member, shop["bump"])
    Item.objects.filter(pk=shop["bump"].pk).update(enabled=False)
    before = reload(thread).last_post_at
    with pytest.raises(FupanError) as refused:
        do_use_item(shop["bump"], acting_user=member, thread=thread)
    assert refused.value.code == ErrorCode.ITEM_DISABLED
    assert reload(thread).last_post_at == before and held(member, shop["bump"]) == 1
