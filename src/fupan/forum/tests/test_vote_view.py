import pytest

from fupan.forum.models import Post, PostVote


@pytest.fixture
def reply(thread):
    return Post.objects.get(thread=thread, position=2)


@pytest.mark.django_db
def test_member_supports_a_reply_and_sees_the_count(other_member_client, reply, thread):
    response = other_member_client.post(f"/p/{reply.pk}/vote/", {"value": "support"})
    assert response.status_code == 302
    assert Post.objects.get(pk=reply.pk).support == 1
    html = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert 'class="vote vote-support voted"' in html


@pytest.mark.django_db
def test_vote_htmx_twin_returns_the_updated_buttons(other_member_client, reply, htmx_headers):
    response = other_member_client.post(f"/p/{reply.pk}/vote/", {"value": "oppose"}, **htmx_headers)
    html = response.content.decode()
    assert response.status_code == 200 and f'id="votes_{reply.pk}"' in html
    assert '<span class="n">1</span>' in html and "<form" not in html


@pytest.mark.django_db
def test_second_vote_is_refused_with_a_message(other_member_client, reply, htmx_headers):
    other_member_client.post(f"/p/{reply.pk}/vote/", {"value": "support"})
    response = other_member_client.post(f"/p/{reply.pk}/vote/", {"value": "oppose"}, **htmx_headers)
    assert response.status_code == 409 and 'role="alert"' in response.content.decode()
    assert (Post.objects.get(pk=reply.pk).support, Post.objects.get(pk=reply.pk).oppose) == (1, 0)


@pytest.mark.django_db
def test_voting_on_your_own_reply_is_refused(member_client, reply):
    response = member_client.post(f"/p/{reply.pk}/vote/", {"value": "support"})
    assert response.status_code == 302
    assert not PostVote.objects.exists()


@pytest.mark.django_db
def test_guest_vote_goes_to_login(guest_client, reply):
    response = guest_client.post(f"/p/{reply.pk}/vote/", {"value": "support"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not PostVote.objects.exists()


@pytest.mark.django_db
def test_vote_on_missing_post_is_404_and_get_is_not_allowed(other_member_client, reply):
    assert other_member_client.post("/p/424242/vote/", {"value": "support"}).status_code == 404
    assert other_member_client.get(f"/p/{reply.pk}/vote/").status_code == 405
