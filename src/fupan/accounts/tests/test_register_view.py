import pytest

from fupan.accounts.actions import do_register_user
from fupan.accounts.models import User, UserGroup
from fupan.core.actions import do_update_site_settings
from fupan.core.captcha import image_text
from fupan.core.errors import FupanError


def _post(client, **fields):
    """Fill in the form as a person would, reading the captcha off the page."""
    page = client.get("/register/")
    token = page.context["form"].challenge.token if page.status_code == 200 else ""
    data = {
        "username": "涪江新人",
        "password": "river-2021x",
        "password2": "river-2021x",
        "email": "",
        "captcha_token": token,
        "captcha": image_text(token) or "",
    }
    data.update(fields)
    return client.post("/register/", data)


@pytest.mark.django_db
def test_register_creates_a_newcomer_and_logs_them_in(guest_client):
    response = _post(guest_client)
    assert response.status_code == 302
    user = User.objects.get(username="涪江新人")
    assert user.group_id == UserGroup.NEWBIE
    assert user.password.startswith("md5$")  # the tests' fast hasher; argon2 in production
    assert guest_client.session["_auth_user_id"] == str(user.pk)
    assert "涪江新人" in guest_client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "reason"),
    [("ab", "3"), ("雨", "3"), ("一二三四五六七八", "15"), ("有 空格", "空格"), ("<b>x</b>", "<")],
)
def test_register_refuses_bad_usernames_and_keeps_the_form(guest_client, username, reason):
    response = _post(guest_client, username=username, email="keep@example.com")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="keep@example.com"' in html
    assert not User.objects.filter(username=username).exists()


@pytest.mark.django_db
def test_usernames_differing_only_in_case_or_width_are_the_same(guest_client, user_factory):
    user_factory("River")
    response = _post(guest_client, username="ＲＩＶＥＲ")
    assert response.status_code == 400
    with pytest.raises(FupanError):
        do_register_user(username="river", password="x-123456y")


@pytest.mark.django_db
def test_register_refuses_mismatched_and_weak_passwords(guest_client):
    assert _post(guest_client, password2="other-pass-1").status_code == 400
    assert _post(guest_client, password="123456", password2="123456").status_code == 400
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_refuses_a_taken_email(guest_client, user_factory):
    user_factory("有邮箱的", email="same@example.com")
    assert _post(guest_client, email="SAME@example.com").status_code == 400


@pytest.mark.django_db
def test_registration_can_be_closed(guest_client):
    do_update_site_settings(acting_user=None, registration_open=False)
    assert guest_client.get("/register/").status_code == 403


@pytest.mark.django_db
def test_registrations_are_rate_limited_per_ip(guest_client):
    for i in range(10):
        assert _post(guest_client, username=f"批量用户{i}").status_code == 302
        guest_client.post("/logout/")
    response = _post(guest_client, username="第十一个")
    assert response.status_code == 400
    assert not User.objects.filter(username="第十一个").exists()


@pytest.mark.django_db
def test_logged_in_member_visiting_register_is_redirected(member_client):
    assert member_client.get("/register/").status_code == 302


@pytest.mark.django_db
def test_register_form_has_csrf_protection(site):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/register/", {"username": "csrf测试", "password": "x-123456y", "password2": "x-123456y"}
    )
    assert response.status_code == 403
    assert not User.objects.exists()


@pytest.mark.django_db
def test_two_chinese_characters_make_a_valid_username_as_in_discuz(guest_client):
    assert _post(guest_client, username="秋雨").status_code == 302
    assert User.objects.filter(username="秋雨").exists()


@pytest.mark.django_db
def test_a_wrong_captcha_is_refused_and_the_form_kept_with_a_new_one(guest_client):
    page = guest_client.get("/register/")
    token = page.context["form"].challenge.token
    assert f"/captcha/{token}.png" in page.content.decode()
    response = _post(guest_client, captcha_token=token, captcha="WRONG", email="keep@example.com")
    html = response.content.decode()
    assert response.status_code == 400 and 'value="keep@example.com"' in html
    assert response.context["form"].challenge.token != token
    assert not User.objects.filter(username="涪江新人").exists()


@pytest.mark.django_db
def test_the_site_may_require_an_email_address(guest_client):
    do_update_site_settings(acting_user=None, registration_email_required=True)
    assert _post(guest_client).status_code == 400
    assert _post(guest_client, email="new@example.com").status_code == 302
