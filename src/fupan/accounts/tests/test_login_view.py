import pytest


@pytest.mark.django_db
def test_login_with_username_ignoring_case_and_width(guest_client, user_factory):
    user_factory("River", password="flow-2021x")
    response = guest_client.post(
        "/login/", {"login": "ｒｉｖｅｒ", "password": "flow-2021x", "next": "/f/1/"}
    )
    assert response.status_code == 302 and response["Location"] == "/f/1/"


@pytest.mark.django_db
def test_login_with_email(guest_client, user_factory):
    user_factory("有邮箱", password="flow-2021x", email="me@example.com")
    assert (
        guest_client.post(
            "/login/", {"login": "me@example.com", "password": "flow-2021x"}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_wrong_password_says_so_and_keeps_the_username(guest_client, user_factory):
    user_factory("River", password="flow-2021x")
    response = guest_client.post("/login/", {"login": "River", "password": "nope"})
    assert response.status_code == 400
    assert 'value="River"' in response.content.decode()


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_for_fifteen_minutes(guest_client, user_factory):
    user_factory("River", password="flow-2021x")
    for _ in range(5):
        guest_client.post("/login/", {"login": "River", "password": "wrong"})
    response = guest_client.post("/login/", {"login": "River", "password": "flow-2021x"})
    assert response.status_code == 400  # even the right password waits


@pytest.mark.django_db
def test_login_refuses_an_offsite_next(guest_client, user_factory):
    user_factory("River", password="flow-2021x")
    response = guest_client.post(
        "/login/", {"login": "River", "password": "flow-2021x", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_logout_needs_post(member_client):
    assert member_client.get("/logout/").status_code == 405
    assert member_client.post("/logout/").status_code == 302
    assert "/login/" in member_client.get("/").content.decode()


@pytest.mark.django_db
def test_inactive_member_cannot_log_in(guest_client, user_factory):
    user_factory("停用的", password="flow-2021x", is_active=False)
    assert (
        guest_client.post("/login/", {"login": "停用的", "password": "flow-2021x"}).status_code
        == 400
    )
