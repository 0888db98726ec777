"""Administrators manage items (price, stock, duration, on/off) and credit rules in the admin;
inventories, uses and the ledger are shown, not edited."""

import pytest

from fupan.accounts.credits import REASON_ADMIN, do_change_credits


@pytest.mark.parametrize(
    "url",
    [
        "/admin/items/item/",
        "/admin/items/useritem/",
        "/admin/items/itemuse/",
        "/admin/accounts/creditrule/",
        "/admin/accounts/boardcreditrule/",
        "/admin/accounts/boardcreditrule/add/",
        "/admin/accounts/creditledger/",
    ],
)
def test_admin_pages_open_for_administrators(admin_client, shop, member, url):
    do_change_credits(member, acting_user=None, deltas={2: 1}, reason=REASON_ADMIN)
    assert admin_client.get(url).status_code == 200


def test_administrators_set_price_stock_duration_and_switch_items_off(admin_client, shop):
    card = shop["stick"]
    response = admin_client.post(
        f"/admin/items/item/{card.pk}/change/",
        {
            "kind": "stick",
            "name": "置顶卡",
            "description": "",
            "price": 80,
            "credit": 2,
            "stock": 5,
            "duration_hours": 48,
            "display_order": 3,
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.price, card.stock, card.duration_hours, card.enabled) == (80, 5, 48, False)


def test_the_ledger_cannot_be_edited_or_added_to_in_the_admin(admin_client, member):
    entry = do_change_credits(member, acting_user=None, deltas={2: 1}, reason=REASON_ADMIN)
    assert admin_client.get("/admin/accounts/creditledger/add/").status_code == 403
    response = admin_client.post(
        f"/admin/accounts/creditledger/{entry.pk}/change/", {"extcredits2": 1000}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.extcredits2 == 1
