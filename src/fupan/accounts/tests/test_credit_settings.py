"""Administrators rename the credits and change the total formula; totals follow."""

import pytest

from fupan.accounts.credits import formula_text, total_credits
from fupan.accounts.models import User
from fupan.core.actions import do_save_site_settings
from fupan.core.site import get_site_settings


@pytest.mark.django_db
def test_the_default_formula_reads_as_discuz_writes_it(site):
    assert formula_text() == "总积分=发帖数+精华帖数*5+威望*2+金钱+贡献"


@pytest.mark.django_db
def test_renamed_credits_show_on_the_board_rules_page(guest_client, board, admin_user):
    settings = get_site_settings()
    settings.credit2_name = "涪币"
    do_save_site_settings(settings, acting_user=admin_user)
    html = guest_client.get(f"/f/{board.pk}/credits/").content.decode()
    assert "涪币" in html and "总积分=发帖数+精华帖数*5+威望*2+涪币+贡献" in html


@pytest.mark.django_db
def test_a_new_formula_recomputes_every_total(
    thread, member, admin_user, django_capture_on_commit_callbacks
):
    member.refresh_from_db()
    settings = get_site_settings()
    settings.formula_threads = 10
    settings.formula_credit2 = 0
    with django_capture_on_commit_callbacks(execute=True):
        do_save_site_settings(settings, acting_user=admin_user)
    fresh = User.objects.get(pk=member.pk)
    assert (
        fresh.credits
        == fresh.posts
        + fresh.threads * 10
        + fresh.digest_posts * 5
        + fresh.extcredits1 * 2
        + fresh.extcredits3
    )
    assert fresh.credits == total_credits(fresh)
    assert "主题数*10" in formula_text() and "金钱" not in formula_text()


@pytest.mark.django_db
def test_an_unused_credit_leaves_the_lists(guest_client, admin_user):
    settings = get_site_settings()
    settings.credit3_enabled = False
    do_save_site_settings(settings, acting_user=admin_user)
    from fupan.accounts.credits import credit_names

    assert credit_names() == {1: "威望", 2: "金钱"}
