import re

import pytest
from django.core import mail


@pytest.mark.django_db
def test_member_changes_the_password_and_stays_logged_in(client_for, user_factory):
    user = user_factory("改密码的", password="old-pass-123")
    client = client_for(user)
    response = client.post(
        "/password/change/",
        {
            "old_password": "old-pass-123",
            "new_password1": "new-pass-456x",
            "new_password2": "new-pass-456x",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-pass-456x")
    assert client.get("/password/change/").status_code == 200  # still logged in


@pytest.mark.django_db
def test_a_wrong_old_password_is_refused(member_client, member):
    response = member_client.post(
        "/password/change/",
        {
            "old_password": "nope",
            "new_password1": "new-pass-456x",
            "new_password2": "new-pass-456x",
        },
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.check_password("secret-pass-1")


@pytest.mark.django_db
def test_guest_asking_to_change_a_password_goes_to_login(guest_client):
    assert guest_client.get("/password/change/")["Location"].startswith("/login/")


@pytest.mark.django_db
def test_password_reset_by_email_link(guest_client, user_factory):
    user = user_factory("忘了密码", password="old-pass-123", email="forgot@example.com")
    response = guest_client.post("/password/reset/", {"login": "forgot@example.com"})
    assert response.status_code == 200 and len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    assert guest_client.get(link).status_code == 200
    done = guest_client.post(
        link, {"new_password1": "brand-new-789", "new_password2": "brand-new-789"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-789")
    assert guest_client.get(link).status_code == 400  # used up


@pytest.mark.django_db
def test_reset_does_not_reveal_whether_an_account_exists(guest_client, user_factory):
    user_factory("有邮箱的", email="known@example.com")
    known = guest_client.post("/password/reset/", {"login": "known@example.com"}).content.decode()
    unknown = guest_client.post(
        "/password/reset/", {"login": "nobody@example.com"}
    ).content.decode()
    strip = lambda html: re.sub(r"Processed in [^<]+", "", html)  # noqa: E731
    assert strip(known) == strip(unknown)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reset_requests_are_rate_limited_per_account_and_ip(guest_client, user_factory):
    user_factory("常忘的", email="often@example.com")
    for _ in range(5):
        guest_client.post("/password/reset/", {"login": "常忘的"})
    assert len(mail.outbox) == 3  # three emails a day per account
    for _ in range(6):
        guest_client.post("/password/reset/", {"login": "x"})
    assert guest_client.post("/password/reset/", {"login": "x"}).status_code == 429


@pytest.mark.django_db
def test_a_forged_reset_link_is_refused(guest_client, member):
    assert guest_client.get("/password/reset/MQ/bad-token/").status_code == 400
    assert guest_client.get("/password/reset/!!!/x/").status_code == 400
