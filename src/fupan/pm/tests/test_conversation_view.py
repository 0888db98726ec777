"""One conversation: reading marks it read, replies, pages, leaving and coming back, 404 for
everyone else, and the query budget."""

import pytest

from fupan.pm.models import Conversation, ConversationMember, Message
from fupan.pm.tests.conftest import header_badge


@pytest.fixture
def conversation(member_client, other_member, send):
    send(member_client, other_member.username, "开头的话")
    return Conversation.objects.get()


@pytest.mark.django_db
def test_a_non_member_gets_404_as_for_a_missing_conversation(
    conversation, user_factory, client_for
):
    outsider = client_for(user_factory("路人"))
    assert outsider.get(f"/pm/{conversation.pk}/").status_code == 404
    assert outsider.get("/pm/424242/").status_code == 404
    assert outsider.post(f"/pm/{conversation.pk}/", {"body": "插一句"}).status_code == 404
    assert outsider.post(f"/pm/{conversation.pk}/leave/").status_code == 404
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_guests_are_asked_to_log_in(guest_client, conversation):
    response = guest_client.get(f"/pm/{conversation.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_reply_reaches_the_other_member_and_marks_it_unread_again(
    conversation, member, other_member_client, reply
):
    other_member_client.get(f"/pm/{conversation.pk}/")  # read
    response = reply(other_member_client, conversation.pk, "好的，[i]收到[/i]")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.new_messages == 1
    conversation.refresh_from_db()
    assert conversation.last_excerpt == "好的，收到"


@pytest.mark.django_db
def test_an_empty_reply_is_refused_on_the_body_field(conversation, member_client, reply):
    response = reply(member_client, conversation.pk, "  ")
    assert response.status_code == 400
    assert 'class="form-error"' in response.content.decode()
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_reply_htmx_twin(conversation, member_client, reply, htmx_headers):
    response = reply(member_client, conversation.pk, "", **htmx_headers)
    assert response.status_code == 400
    assert response.content.decode().lstrip().startswith('<form method="post"')
    response = reply(member_client, conversation.pk, "htmx 回复", **htmx_headers)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/pm/{conversation.pk}/#pm-last"


@pytest.mark.django_db
def test_messages_are_oldest_first_on_the_last_page_by_default(
    member_client, other_member, member, send, reply
):
    from fupan.pm.queries import MESSAGES_PER_PAGE

    send(member_client, other_member.username, "消息0")
    conversation = Conversation.objects.get()
    for i in range(1, MESSAGES_PER_PAGE + 3):
        reply(member_client, conversation.pk, f"消息{i}")
    html = member_client.get(f"/pm/{conversation.pk}/").content.decode()
    last = MESSAGES_PER_PAGE + 2
    assert f"消息{last}" in html and "消息0<" not in html
    assert html.index(f"消息{last - 1}<") < html.index(f"消息{last}<")
    html = member_client.get(f"/pm/{conversation.pk}/?page=1").content.decode()
    assert "消息0<" in html and f"消息{last}<" not in html


@pytest.mark.django_db
def test_pages_htmx_twin_answers_with_the_messages(conversation, member_client, htmx_headers):
    html = member_client.get(f"/pm/{conversation.pk}/?page=1", **htmx_headers).content.decode()
    assert html.lstrip().startswith('<div id="pm-messages">') and "开头的话" in html


@pytest.mark.django_db
def test_messages_render_discuz_code_safely(member_client, other_member, send):
    send(
        member_client,
        other_member.username,
        "<script>alert(1)</script>[url=javascript:alert(1)]x[/url]",
    )
    conversation = Conversation.objects.get()
    html = member_client.get(f"/pm/{conversation.pk}/").content.decode()
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html


@pytest.mark.django_db
def test_leaving_hides_it_and_a_new_message_brings_it_back_without_the_old_ones(
    conversation, member, other_member, other_member_client, member_client, reply
):
    other_member.refresh_from_db()
    assert other_member.new_messages == 1
    response = other_member_client.post(f"/pm/{conversation.pk}/leave/")
    assert response.status_code == 302 and response["Location"] == "/pm/"
    other_member.refresh_from_db()
    assert other_member.new_messages == 0  # removing an unread conversation takes it off the badge
    assert "开头的话" not in other_member_client.get("/pm/").content.decode()
    assert other_member_client.get(f"/pm/{conversation.pk}/").status_code == 404

    reply(member_client, conversation.pk, "你还在吗")
    page = other_member_client.get("/pm/").content.decode()
    assert "你还在吗" in page and header_badge(page) == "1"
    html = other_member_client.get(f"/pm/{conversation.pk}/").content.decode()
    assert "你还在吗" in html and "开头的话" not in html
    # The sender still sees the whole exchange.
    html = member_client.get(f"/pm/{conversation.pk}/").content.decode()
    assert "开头的话" in html and "你还在吗" in html


@pytest.mark.django_db
def test_leaving_a_group_is_for_good(member_client, member, user_factory, client_for, send, reply):
    a, b = user_factory("甲甲"), user_factory("乙乙")
    send(member_client, f"{a.username},{b.username}", "群聊")
    conversation = Conversation.objects.get()
    client_a = client_for(a)
    client_a.post(f"/pm/{conversation.pk}/leave/")
    reply(member_client, conversation.pk, "甲走了吗")
    a.refresh_from_db()
    assert a.new_messages == 0
    assert client_a.get(f"/pm/{conversation.pk}/").status_code == 404
    conversation.refresh_from_db()
    assert conversation.members_count == 2
    html = client_for(b).get(f"/pm/{conversation.pk}/").content.decode()
    assert "甲走了吗" in html


@pytest.mark.django_db
def test_conversation_page_budget(
    conversation, member_client, other_member_client, django_assert_num_queries
):
    other_member_client.get("/pm/")  # warm caches (site settings)
    # Unread: member, conversation with membership, the read mark (savepoint, membership, badge,
    # release), members, messages, blocks.
    with django_assert_num_queries(9):
        assert other_member_client.get(f"/pm/{conversation.pk}/").status_code == 200
    # Read: member, conversation with membership, members, messages, blocks.
    with django_assert_num_queries(5):
        assert other_member_client.get(f"/pm/{conversation.pk}/").status_code == 200
    with django_assert_num_queries(5):
        assert member_client.get(f"/pm/{conversation.pk}/").status_code == 200


@pytest.mark.django_db
def test_counters_survive_a_rebuild(conversation, other_member_client, member, other_member, reply):
    from fupan.pm.actions import synchronize_messages

    reply(other_member_client, conversation.pk, "二")
    before = list(ConversationMember.objects.order_by("pk").values_list("is_new", "message_count"))
    ConversationMember.objects.update(message_count=99)
    type(member).objects.update(new_messages=7)
    synchronize_messages()
    after = list(ConversationMember.objects.order_by("pk").values_list("is_new", "message_count"))
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert before == after
    assert (member.new_messages, other_member.new_messages) == (1, 0)


@pytest.mark.django_db
def test_leave_htmx_twin(conversation, member_client, htmx_headers):
    response = member_client.post(f"/pm/{conversation.pk}/leave/", **htmx_headers)
    assert response.status_code == 200 and response["HX-Redirect"] == "/pm/"
    assert member_client.get(f"/pm/{conversation.pk}/").status_code == 404
