"""本版积分规则: a board's credit rules, as guests and members see them."""

import pytest

from fupan.accounts.credits import purge_credit_rules
from fupan.accounts.default_credit_rules import ensure_default_credit_rules
from fupan.accounts.models import BoardCreditRule, CreditRule
from fupan.testing.plugin import uncached_guest_pages


@pytest.fixture(autouse=True)
def _default_rules(db):
    ensure_default_credit_rules()


def rows(response) -> dict[str, dict]:
    return {row["name"]: row for row in response.context["rows"]}


def test_guests_see_the_formula_and_every_rule_that_changes_credits(guest_client, board):
    response = guest_client.get(f"/f/{board.pk}/credits/")
    html = response.content.decode()
    assert response.status_code == 200
    assert board.name in html
    assert "总积分=发帖数+精华帖数*5+威望*2+金钱+贡献" in html
    shown = rows(response)
    assert shown["发表主题"]["changes"] == ["-", "+2 金钱", "-"]
    assert shown["发表回复"]["changes"] == ["-", "+1 金钱", "-"]
    assert shown["每天登录"]["changes"] == ["-", "+2 金钱", "-"]
    assert "+5 金钱" in html and "+10 金钱" in html
    # Rules that give nothing are not listed.
    assert "搜索" not in shown and "上传附件" not in shown
    assert not any(row["override"] for row in shown.values())


def test_the_cycle_is_shown_in_words(guest_client, board, settings):
    guest_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = rows(guest_client.get(f"/f/{board.pk}/credits/"))
    assert shown["每天登录"]["cycle"] == "1 time a day"
    assert shown["发表主题"]["cycle"] == "No limit"
    assert shown["邮箱认证"]["cycle"] == "Once only"


def test_a_boards_own_amounts_replace_the_defaults_and_are_marked(
    guest_client, board, board_factory
):
    BoardCreditRule.objects.create(
        board=board, rule=CreditRule.objects.get(action="post"), extcredits1=1, extcredits2=-3
    )
    BoardCreditRule.objects.create(board=board, rule=CreditRule.objects.get(action="reply"))
    BoardCreditRule.objects.create(
        board=board, rule=CreditRule.objects.get(action="search"), extcredits3=1
    )
    purge_credit_rules()
    response = guest_client.get(f"/f/{board.pk}/credits/")
    shown = rows(response)
    assert shown["发表主题"]["changes"] == ["+1 威望", "-3 金钱", "-"]
    assert shown["发表主题"]["override"] and shown["搜索"]["override"]
    assert "发表回复" not in shown  # switched off in this board
    assert 'class="badge"' in response.content.decode()
    other = rows(guest_client.get(f"/f/{board_factory().pk}/credits/"))
    assert other["发表主题"]["changes"] == ["-", "+2 金钱", "-"] and "搜索" not in other


def test_an_administrators_change_shows_at_once(admin_client, guest_client, board):
    rule = CreditRule.objects.get(action="reply")
    guest_client.get(f"/f/{board.pk}/credits/")  # fills the cache
    response = admin_client.post(
        f"/admin/accounts/creditrule/{rule.pk}/change/",
        {
            "action": "reply",
            "name": "发表回复",
            "cycle": CreditRule.Cycle.DAILY,
            "cycle_time": 0,
            "reward_num": 20,
            "extcredits1": 0,
            "extcredits2": 3,
            "extcredits3": 0,
        },
    )
    assert response.status_code == 302
    shown = rows(guest_client.get(f"/f/{board.pk}/credits/"))
    assert shown["发表回复"]["changes"] == ["-", "+3 金钱", "-"]


def test_a_missing_or_hidden_board_is_404(guest_client, board_factory):
    hidden = board_factory(is_visible=False)
    for fid in (999999, hidden.pk):
        response = guest_client.get(f"/f/{fid}/credits/")
        assert response.status_code == 404


def test_members_see_the_same_page(member_client, board):
    assert "发表主题" in member_client.get(f"/f/{board.pk}/credits/").content.decode()


def test_the_htmx_twin_answers_a_fragment(guest_client, board, htmx_headers):
    response = guest_client.get(f"/f/{board.pk}/credits/", **htmx_headers)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "发表主题" in html


def test_the_board_page_links_here(guest_client, board):
    assert f"/f/{board.pk}/credits/" in guest_client.get(f"/f/{board.pk}/").content.decode()


def test_board_credits_query_budget_for_a_guest(guest_client, board, django_assert_num_queries):
    guest_client.get(f"/f/{board.pk}/credits/")
    with django_assert_num_queries(0):  # from the guest page cache
        assert guest_client.get(f"/f/{board.pk}/credits/").status_code == 200
    uncached_guest_pages()
    with django_assert_num_queries(1):  # the board (rules come from the cache)
        assert guest_client.get(f"/f/{board.pk}/credits/").status_code == 200
