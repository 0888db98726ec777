"""Sensitive words (词语过滤) in usernames and signatures: a username with any listed word is
refused; a signature has its replace words replaced and is refused for a block or review word."""

from __future__ import annotations

import pytest

from fupan.accounts.actions import check_username, do_register_user
from fupan.accounts.models import User
from fupan.core.captcha import image_text
from fupan.core.errors import ErrorCode, FupanError
from fupan.moderation.actions import do_add_censor_words

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def word_list(db):
    do_add_censor_words(["傻瓜", "尼玛=你妈"], acting_user=None, action="replace")
    do_add_censor_words(["六合彩"], acting_user=None, action="block")
    do_add_censor_words(["刷单"], acting_user=None, action="review")


# Usernames ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["大傻瓜", "六合彩王", "刷单达人", "SHA傻瓜1"])
def test_a_username_with_any_listed_word_is_refused(site, username):
    with pytest.raises(FupanError) as caught:
        check_username(username)
    assert caught.value.code == ErrorCode.WORD_BLOCKED and caught.value.field == "username"
    assert not User.objects.filter(username=username).exists()


def test_a_username_without_listed_words_is_accepted(site):
    assert do_register_user(username="涪江边", password="river-2021x").username == "涪江边"


def test_register_view_refuses_a_username_with_a_listed_word_and_says_which(guest_client):
    page = guest_client.get("/register/")
    token = page.context["form"].challenge.token
    response = guest_client.post(
        "/register/",
        {
            "username": "傻瓜来了",
            "password": "river-2021x",
            "password2": "river-2021x",
            "email": "keep@example.com",
            "captcha_token": token,
            "captcha": image_text(token) or "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "傻瓜" in html and 'value="keep@example.com"' in html
    assert not User.objects.filter(username="傻瓜来了").exists()


# Signatures --------------------------------------------------------------------------------------


def test_signature_replace_words_are_replaced(member_client, member):
    response = member_client.post("/settings/", {"signature": "尼玛 我是傻瓜"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.signature == "你妈 我是**"


def test_signature_with_a_block_word_is_refused_and_kept(member_client, member):
    response = member_client.post("/settings/", {"signature": "常年收六合彩"})
    html = response.content.decode()
    assert response.status_code == 400 and "常年收六合彩" in html
    member.refresh_from_db()
    assert member.signature == ""


def test_signature_with_a_review_word_is_refused_because_it_cannot_wait_for_review(
    member_client, member
):
    response = member_client.post("/settings/", {"signature": "接刷单"})
    assert response.status_code == 400 and "接刷单" in response.content.decode()
    member.refresh_from_db()
    assert member.signature == ""
