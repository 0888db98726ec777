import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/register/", "/about/"])
def test_account_and_site_pages_answer_htmx_requests(guest_client, htmx_headers, url):
    response = guest_client.get(url, **htmx_headers)
    assert (
        response.status_code == 200 and "<form" in response.content.decode()
    ) or url == "/about/"


@pytest.mark.django_db
def test_profile_answers_htmx_requests(guest_client, member, htmx_headers):
    assert guest_client.get(f"/u/{member.pk}/", **htmx_headers).status_code == 200


@pytest.mark.django_db
def test_failed_login_over_htmx_keeps_the_username(guest_client, user_factory, htmx_headers):
    user_factory("River", password="flow-2021x")
    response = guest_client.post("/login/", {"login": "River", "password": "bad"}, **htmx_headers)
    assert response.status_code == 400 and 'value="River"' in response.content.decode()
