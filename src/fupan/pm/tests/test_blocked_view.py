"""黑名单: blocking stops messages (with a clear refusal, the text kept), unblocking lets them
through again; the buttons on profiles and conversations."""

import pytest

from fupan.accounts.models import Block
from fupan.pm.models import Conversation, Message


def _block(client, username):
    return client.post("/pm/blocked/", {"op": "add", "username": username})


@pytest.mark.django_db
def test_a_blocked_member_cannot_send_and_is_told_the_message_was_not_sent(
    member_client, other_member_client, member, other_member, send
):
    assert _block(other_member_client, member.username).status_code == 302
    response = send(member_client, other_member.username, "请听我解释")
    assert response.status_code == 403
    html = response.content.decode()
    assert other_member.username in html and 'class="form-error"' in html
    assert ">请听我解释</textarea>" in html
    assert Message.objects.count() == 0
    other_member.refresh_from_db()
    assert other_member.new_messages == 0


@pytest.mark.django_db
def test_a_block_also_stops_replies_in_an_existing_conversation(
    member_client, other_member_client, member, other_member, send, reply
):
    send(member_client, other_member.username, "之前的话")
    conversation = Conversation.objects.get()
    _block(other_member_client, member.username)
    response = reply(member_client, conversation.pk, "再说一句")
    assert response.status_code == 403
    assert ">再说一句</textarea>" in response.content.decode()
    assert Message.objects.count() == 1
    # The blocking member may still write to the one they blocked.
    assert reply(other_member_client, conversation.pk, "别再发了").status_code == 302


@pytest.mark.django_db
def test_one_blocker_among_several_recipients_refuses_the_whole_message(
    member_client, member, user_factory, client_for, send
):
    a, b = user_factory("收件甲"), user_factory("收件乙")
    _block(client_for(b), member.username)
    response = send(member_client, f"{a.username} {b.username}", "群发")
    assert response.status_code == 403
    assert b.username in response.content.decode()
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_in_a_group_a_member_who_blocked_the_writer_is_not_told(
    member_client, member, user_factory, client_for, send, reply
):
    a, b = user_factory("组员甲"), user_factory("组员乙")
    send(member_client, f"{a.username},{b.username}", "大家好")
    conversation = Conversation.objects.get()
    client_a = client_for(a)
    client_a.get(f"/pm/{conversation.pk}/")
    client_for(b).get(f"/pm/{conversation.pk}/")
    _block(client_a, b.username)
    reply(client_for(b), conversation.pk, "乙说话")
    a.refresh_from_db()
    member.refresh_from_db()
    assert a.new_messages == 0 and member.new_messages == 1


@pytest.mark.django_db
def test_unblocking_lets_messages_through_again(
    member_client, other_member_client, member, other_member, send
):
    _block(other_member_client, member.username)
    html = other_member_client.get("/pm/blocked/").content.decode()
    assert f'id="blocked-{member.pk}"' in html
    response = other_member_client.post("/pm/blocked/", {"op": "remove", "uid": member.pk})
    assert response.status_code == 302
    html = other_member_client.get("/pm/blocked/").content.decode()
    assert f'id="blocked-{member.pk}"' not in html
    assert send(member_client, other_member.username, "和好吧").status_code == 302


@pytest.mark.django_db
def test_blocking_bad_names_and_oneself_is_refused(member_client, member):
    response = _block(member_client, "查无此人")
    assert response.status_code == 400 and "查无此人" in response.content.decode()
    response = _block(member_client, member.username)
    assert response.status_code == 400 and 'class="form-error"' in response.content.decode()
    assert _block(member_client, "").status_code == 400
    assert not Block.objects.exists()


@pytest.mark.django_db
def test_block_list_htmx_twin(member_client, other_member, htmx_headers):
    response = member_client.post(
        "/pm/blocked/", {"op": "add", "username": "查无此人"}, **htmx_headers
    )
    assert response.status_code == 400
    assert response.content.decode().lstrip().startswith('<div id="pm-blocked">')
    response = member_client.post(
        "/pm/blocked/", {"op": "add", "username": other_member.username}, **htmx_headers
    )
    assert response["HX-Redirect"] == "/pm/blocked/"


@pytest.mark.django_db
def test_guests_are_asked_to_log_in(guest_client):
    assert guest_client.get("/pm/blocked/").status_code == 302
    assert guest_client.post("/pm/blocked/", {"username": "x"}).status_code == 302


@pytest.mark.django_db
def test_profile_offers_send_message_and_block_then_unblock(member_client, member, other_member):
    url = f"/u/{other_member.pk}/"
    html = member_client.get(url).content.decode()
    assert f"/pm/new/?to={other_member.pk}" in html
    assert 'name="op" value="add"' in html
    response = member_client.post(
        "/pm/blocked/", {"op": "add", "uid": other_member.pk, "next": url}
    )
    assert response["Location"] == url
    html = member_client.get(url).content.decode()
    assert 'name="op" value="remove"' in html
    member_client.post("/pm/blocked/", {"op": "remove", "uid": other_member.pk, "next": url})
    assert 'name="op" value="add"' in member_client.get(url).content.decode()
    # Not on one's own profile, nor for guests.
    assert "/pm/new/?to=" not in member_client.get(f"/u/{member.pk}/").content.decode()


@pytest.mark.django_db
def test_conversation_page_offers_block_and_unblock(member_client, other_member, send):
    send(member_client, other_member.username, "在吗")
    conversation = Conversation.objects.get()
    page = f"/pm/{conversation.pk}/"
    assert 'name="op" value="add"' in member_client.get(page).content.decode()
    member_client.post("/pm/blocked/", {"op": "add", "uid": other_member.pk, "next": page})
    assert 'name="op" value="remove"' in member_client.get(page).content.decode()


@pytest.mark.django_db
def test_profile_budget_for_a_member_viewer(member_client, other_member, django_assert_num_queries):
    member_client.get(f"/u/{other_member.pk}/")
    # member, the profile's member, threads, replies, is-blocked
    with django_assert_num_queries(5):
        assert member_client.get(f"/u/{other_member.pk}/").status_code == 200


@pytest.mark.django_db
def test_block_list_budget(member_client, other_member, user_factory, django_assert_num_queries):
    _block(member_client, other_member.username)
    _block(member_client, user_factory("第二个").username)
    member_client.get("/pm/blocked/")  # warm caches; shows the flash message
    with django_assert_num_queries(2):  # member, the block list with the members
        assert member_client.get("/pm/blocked/").status_code == 200
