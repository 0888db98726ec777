"""The item shop and the 使用道具 page: guest, member without permission, missing thread, happy
path, refusals, htmx twins and query budgets."""

import pytest

from fupan.accounts.models import User, UserGroup
from fupan.forum.models import Board, Thread
from fupan.items.models import Item, ItemUse, UserItem


def held(user, item) -> int:
    row = UserItem.objects.filter(user=user, item=item).first()
    return row.quantity if row else 0


def money(user) -> int:
    return User.objects.get(pk=user.pk).extcredits2


# The shop -------------------------------------------------------------------------------------


def test_guests_see_the_shop_with_prices_stock_and_a_login_link(guest_client, shop):
    response = guest_client.get("/items/")
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("高亮卡", "提升卡", "置顶卡"):
        assert name in html
    assert "20 金钱" in html and "50 金钱" in html and ">100<" in html
    assert "/login/?next=%2Fitems%2F" in html
    assert 'name="quantity"' not in html


def test_members_see_their_balance_inventory_and_buy_forms(member_client, rich_member, shop):
    html = member_client.get("/items/").content.decode()
    assert "<strong>500</strong>" in html
    assert html.count('name="quantity"') == 3
    assert f"/u/{rich_member.pk}/credits/" in html


def test_switched_off_items_are_not_in_the_shop(guest_client, shop):
    Item.objects.filter(pk=shop["stick"].pk).update(enabled=False)
    assert "置顶卡" not in guest_client.get("/items/").content.decode()


def test_buying_redirects_back_to_the_shop_with_a_message(member_client, rich_member, shop):
    card = shop["highlight"]
    response = member_client.post("/items/", {"item": card.pk, "quantity": "2"})
    assert response.status_code == 302 and response["Location"] == "/items/"
    assert held(rich_member, card) == 2 and money(rich_member) == 460
    page = member_client.get("/items/").content.decode()
    assert "高亮卡" in page and "msg-success" in page


def test_buying_with_htmx_answers_the_shop_fragment(member_client, rich_member, shop, htmx_headers):
    response = member_client.post(
        "/items/", {"item": shop["bump"].pk, "quantity": "1"}, **htmx_headers
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="item-shop"' in html
    assert "msg-success" in html and "<strong>490</strong>" in html
    assert held(rich_member, shop["bump"]) == 1


def test_buying_without_enough_credits_shows_why_and_changes_nothing(
    member_client, member, shop, htmx_headers
):
    card = shop["stick"]
    response = member_client.post("/items/", {"item": card.pk, "quantity": "1"})
    assert response.status_code == 409
    assert "金钱" in response.content.decode() and "form-errors" in response.content.decode()
    fragment = member_client.post("/items/", {"item": card.pk, "quantity": "1"}, **htmx_headers)
    assert fragment.status_code == 409 and "<html" not in fragment.content.decode()
    assert held(member, card) == 0 and Item.objects.get(pk=card.pk).stock == 100


def test_buying_a_sold_out_item_shows_why(member_client, rich_member, shop):
    card = shop["bump"]
    Item.objects.filter(pk=card.pk).update(stock=0)
    response = member_client.post("/items/", {"item": card.pk, "quantity": "1"})
    assert response.status_code == 409 and "提升卡" in response.content.decode()
    assert money(rich_member) == 500


@pytest.mark.parametrize("quantity", ["", "0", "-2", "abc", "100"])
def test_a_bad_quantity_shows_why(member_client, rich_member, shop, quantity):
    response = member_client.post("/items/", {"item": shop["bump"].pk, "quantity": quantity})
    assert response.status_code == 400
    assert "99" in response.content.decode()
    assert money(rich_member) == 500


def test_buying_a_missing_item_is_404(member_client, rich_member, shop):
    for item in ["999999", "", "x"]:
        assert member_client.post("/items/", {"item": item, "quantity": "1"}).status_code == 404


def test_a_guest_who_buys_is_sent_to_log_in(guest_client, shop, htmx_headers):
    response = guest_client.post("/items/", {"item": shop["bump"].pk, "quantity": "1"})
    assert response.status_code == 302 and "/login/?next=%2Fitems%2F" in response["Location"]
    response = guest_client.post(
        "/items/", {"item": shop["bump"].pk, "quantity": "1"}, **htmx_headers
    )
    assert "/login/" in response["HX-Redirect"]


def test_a_member_banned_from_posting_may_not_buy(client_for, user_factory, give_credits, shop):
    banned = give_credits(user_factory(group=UserGroup.BANNED_POST), 500)
    response = client_for(banned).post("/items/", {"item": shop["bump"].pk, "quantity": "1"})
    assert response.status_code == 403
    assert held(banned, shop["bump"]) == 0 and money(banned) == 500
    assert 'name="quantity"' not in client_for(banned).get("/items/").content.decode()


def test_shop_query_budget_for_a_guest(guest_client, shop, django_assert_num_queries):
    guest_client.get("/items/")
    with django_assert_num_queries(1):  # items
        assert guest_client.get("/items/").status_code == 200


def test_shop_query_budget_for_a_member(
    member_client, rich_member, shop, give_item, django_assert_num_queries
):
    give_item(rich_member, shop["bump"])
    member_client.get("/items/")
    with django_assert_num_queries(3):  # member (session cached), items, inventory
        assert member_client.get("/items/").status_code == 200


# Using an item on a thread --------------------------------------------------------------------


def test_guests_are_sent_to_log_in_to_use_items(guest_client, thread, htmx_headers):
    response = guest_client.get(f"/items/use/{thread.pk}/")
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/login/?next=")
        and f"%2F{thread.pk}%2F" in (response["Location"])
    )
    response = guest_client.post(f"/items/use/{thread.pk}/", {"item": "1"}, **htmx_headers)
    assert "/login/" in response["HX-Redirect"]


def test_a_missing_or_hidden_thread_is_404(member_client, board_factory, thread_factory):
    hidden = thread_factory(board_factory(is_visible=False))
    recycled = thread_factory(board_factory())
    Thread.objects.filter(pk=recycled.pk).update(state=Thread.State.RECYCLED)
    for tid in (999999, hidden.pk, recycled.pk):
        assert member_client.get(f"/items/use/{tid}/").status_code == 404


def test_a_member_banned_from_posting_may_not_use_items(client_for, user_factory, thread):
    banned = user_factory(group=UserGroup.BANNED_POST)
    assert client_for(banned).get(f"/items/use/{thread.pk}/").status_code == 403


def test_use_page_lists_the_members_items_with_a_colour_choice_for_highlight(
    member_client, member, thread, shop, give_item
):
    give_item(member, shop["highlight"])
    give_item(member, shop["stick"], 2)
    html = member_client.get(f"/items/use/{thread.pk}/").content.decode()
    assert "测试主题" in html
    assert "高亮卡" in html and "置顶卡" in html and "× 2" in html and "提升卡" not in html
    assert html.count('name="color"') == 1 and 'value="#FF0000"' in html


def test_use_page_says_so_when_the_member_holds_nothing(member_client, thread, shop):
    html = member_client.get(f"/items/use/{thread.pk}/").content.decode()
    assert "/items/" in html and 'name="item"' not in html


def test_using_an_item_redirects_to_the_thread_with_a_message(
    member_client, member, thread, shop, give_item
):
    give_item(member, shop["stick"])
    response = member_client.post(f"/items/use/{thread.pk}/", {"item": shop["stick"].pk})
    assert response.status_code == 302 and response["Location"] == f"/t/{thread.pk}/"
    assert Thread.objects.get(pk=thread.pk).sticky == Thread.Sticky.BOARD
    html = member_client.get(response["Location"]).content.decode()
    assert "msg-success" in html and "置顶卡" in html


def test_using_an_item_with_htmx_answers_a_client_redirect(
    member_client, member, thread, shop, give_item, htmx_headers
):
    give_item(member, shop["highlight"])
    response = member_client.post(
        f"/items/use/{thread.pk}/",
        {"item": shop["highlight"].pk, "color": "#008000"},
        **htmx_headers,
    )
    assert response.status_code == 200 and response["HX-Redirect"] == f"/t/{thread.pk}/"
    assert Thread.objects.get(pk=thread.pk).highlight == "#008000"


def test_an_invalid_colour_is_shown_in_the_fragment_and_changes_nothing(
    member_client, member, thread, shop, give_item, htmx_headers
):
    give_item(member, shop["highlight"])
    for headers in ({}, htmx_headers):
        response = member_client.post(
            f"/items/use/{thread.pk}/",
            {"item": shop["highlight"].pk, "color": "expression(alert(1))"},
            **headers,
        )
        assert response.status_code == 400 and "form-errors" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert Thread.objects.get(pk=thread.pk).highlight == ""
    assert held(member, shop["highlight"]) == 1 and not ItemUse.objects.exists()


def test_using_an_item_you_do_not_have_shows_why(member_client, member, thread, shop):
    response = member_client.post(f"/items/use/{thread.pk}/", {"item": shop["bump"].pk})
    assert response.status_code == 409 and "提升卡" in response.content.decode()
    assert not ItemUse.objects.exists()


def test_use_page_query_budget(
    member_client, member, thread, shop, give_item, django_assert_num_queries
):
    give_item(member, shop["highlight"])
    member_client.get(f"/items/use/{thread.pk}/")
    with django_assert_num_queries(3):  # member (session cached), thread with board, inventory
        assert member_client.get(f"/items/use/{thread.pk}/").status_code == 200


def test_items_cannot_be_used_on_a_board_the_group_may_not_view(
    member_client, member, board_factory, thread_factory, shop, give_item
):
    from fupan.forum.models import BoardPermission
    from fupan.permissions.core import purge_board_overrides

    closed_board = board_factory()
    target = thread_factory(closed_board)
    BoardPermission.objects.create(board=closed_board, group_id=member.group_id, can_view=False)
    purge_board_overrides()
    give_item(member, shop["bump"])
    assert member_client.get(f"/items/use/{target.pk}/").status_code == 404
    assert Board.objects.filter(pk=closed_board.pk).exists()
