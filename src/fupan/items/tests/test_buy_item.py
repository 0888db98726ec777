"""Buying items: price, stock and inventory move together, or nothing moves."""

import threading

import pytest
from django.db import connection, connections

from fupan.accounts.models import CreditLedger, User
from fupan.core.errors import ErrorCode, FupanError
from fupan.items.actions import do_buy_item
from fupan.items.models import Item, UserItem


def balance(user, number: int = 2) -> int:
    return getattr(User.objects.get(pk=user.pk), f"extcredits{number}")


def held(user, item) -> int:
    row = UserItem.objects.filter(user=user, item=item).first()
    return row.quantity if row else 0


def stock(item) -> int:
    return Item.objects.get(pk=item.pk).stock


def test_buying_debits_the_price_lowers_the_stock_and_adds_to_the_inventory(rich_member, shop):
    card = shop["highlight"]
    row = do_buy_item(card, acting_user=rich_member, quantity=1)
    assert row.quantity == 1 and row.item == card
    assert balance(rich_member) == 500 - 20
    assert stock(card) == 99 and card.stock == 99
    entry = CreditLedger.objects.filter(user=rich_member).latest("id")
    assert (entry.reason, entry.extcredits2, entry.balance2) == ("buy_item", -20, 480)
    assert "高亮卡" in entry.text


def test_buying_several_costs_the_price_times_the_quantity(rich_member, shop):
    do_buy_item(shop["stick"], acting_user=rich_member, quantity=3)
    assert balance(rich_member) == 500 - 150
    assert held(rich_member, shop["stick"]) == 3 and stock(shop["stick"]) == 97


def test_buying_again_adds_to_the_same_inventory_row(rich_member, shop):
    do_buy_item(shop["bump"], acting_user=rich_member, quantity=2)
    do_buy_item(shop["bump"], acting_user=rich_member, quantity=1)
    assert UserItem.objects.filter(user=rich_member).count() == 1
    assert held(rich_member, shop["bump"]) == 3


def test_the_total_credits_drop_with_the_money_spent(rich_member, shop):
    before = User.objects.get(pk=rich_member.pk).credits
    do_buy_item(shop["bump"], acting_user=rich_member, quantity=1)
    assert User.objects.get(pk=rich_member.pk).credits == before - 10


def test_buying_without_enough_credits_is_refused_and_changes_nothing(member, shop, give_credits):
    give_credits(member, 49)
    card = shop["stick"]
    with pytest.raises(FupanError) as refused:
        do_buy_item(card, acting_user=member, quantity=1)
    assert refused.value.code == ErrorCode.INSUFFICIENT_CREDITS
    assert "金钱" in refused.value.message and "49" in refused.value.message
    assert balance(member) == 49
    assert stock(card) == 100
    assert held(member, card) == 0
    assert CreditLedger.objects.filter(user=member, reason="buy_item").count() == 0


def test_buying_a_sold_out_item_is_refused_and_changes_nothing(rich_member, shop):
    card = shop["highlight"]
    Item.objects.filter(pk=card.pk).update(stock=0)
    with pytest.raises(FupanError) as refused:
        do_buy_item(card, acting_user=rich_member, quantity=1)
    assert refused.value.code == ErrorCode.ITEM_OUT_OF_STOCK
    assert "sold out" in refused.value.message or "售完" in refused.value.message
    assert balance(rich_member) == 500 and held(rich_member, card) == 0


def test_buying_more_than_the_stock_says_how_many_are_left(rich_member, shop):
    card = shop["bump"]
    Item.objects.filter(pk=card.pk).update(stock=2)
    with pytest.raises(FupanError) as refused:
        do_buy_item(card, acting_user=rich_member, quantity=3)
    assert refused.value.code == ErrorCode.ITEM_OUT_OF_STOCK and "2" in refused.value.message
    assert stock(card) == 2 and balance(rich_member) == 500
    do_buy_item(card, acting_user=rich_member, quantity=2)
    assert stock(card) == 0


def test_a_switched_off_item_cannot_be_bought(rich_member, shop):
    card = shop["stick"]
    Item.objects.filter(pk=card.pk).update(enabled=False)
    with pytest.raises(FupanError) as refused:
        do_buy_item(card, acting_user=rich_member, quantity=1)
    assert refused.value.code == ErrorCode.ITEM_DISABLED
    assert stock(card) == 100 and balance(rich_member) == 500


@pytest.mark.parametrize("quantity", [0, -1, 100, "3", None, True, 1.5])
def test_a_bad_quantity_is_refused(rich_member, shop, quantity):
    with pytest.raises(FupanError) as refused:
        do_buy_item(shop["bump"], acting_user=rich_member, quantity=quantity)
    assert refused.value.code == ErrorCode.QUANTITY_INVALID and refused.value.field == "quantity"
    assert stock(shop["bump"]) == 100 and balance(rich_member) == 500


def test_an_item_priced_in_prestige_is_paid_in_prestige(member, shop, give_credits):
    card = shop["bump"]
    Item.objects.filter(pk=card.pk).update(credit=1, price=3)
    card.refresh_from_db()
    give_credits(member, 3, 1)
    do_buy_item(card, acting_user=member, quantity=1)
    assert balance(member, 1) == 0 and held(member, card) == 1


def test_a_free_item_writes_no_ledger_row(member, shop):
    card = shop["bump"]
    Item.objects.filter(pk=card.pk).update(price=0)
    card.refresh_from_db()
    do_buy_item(card, acting_user=member, quantity=2)
    assert held(member, card) == 2
    assert not CreditLedger.objects.filter(user=member).exists()


@pytest.mark.django_db(transaction=True)
def test_two_members_buying_the_last_unit_at_once_get_it_once(shop, user_factory, give_credits):
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locking is tested on PostgreSQL: set DATABASE_URL=postgres://… "
            "(SQLite serialises writers, so the race cannot happen there)"
        )
    card = shop["stick"]
    Item.objects.filter(pk=card.pk).update(stock=1)
    buyers = [give_credits(user_factory(), 100) for _ in range(2)]
    barrier = threading.Barrier(len(buyers))
    outcomes: list[object] = []

    def buy(person) -> None:
        try:
            barrier.wait()
            outcomes.append(do_buy_item(card, acting_user=person, quantity=1))
        except FupanError as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=buy, args=(p,)) for p in buyers]
    for w in workers:
        w.start()
    for w in workers:
        w.join()

    refused = [o for o in outcomes if isinstance(o, FupanError)]
    assert len(outcomes) == 2 and len(refused) == 1
    assert refused[0].code == ErrorCode.ITEM_OUT_OF_STOCK
    assert stock(card) == 0
    assert sum(held(p, card) for p in buyers) == 1
    assert sorted(balance(p) for p in buyers) == [50, 100]
    assert CreditLedger.objects.filter(reason="buy_item").count() == 1
