"""Sending and receiving through the pages: compose, the list, the header badge, 1:1 reuse,
group conversations, every refusal (the text kept in the editor) and the email."""

import pytest
from django.core import mail

from fupan.accounts.models import User, UserGroup
from fupan.pm.models import Conversation, ConversationMember, Message
from fupan.pm.tests.conftest import header_badge


def _conversation_between(a, b):
    return Conversation.objects.get(pair_key="_".join(str(i) for i in sorted((a.pk, b.pk))))


@pytest.mark.django_db
def test_a_sent_message_reaches_the_recipient_and_the_badge_goes_up_and_back_to_zero(
    member_client, other_member_client, member, other_member, send
):
    response = send(member_client, other_member.username, "你好，[b]周末[/b]一起去吗？")
    conversation = _conversation_between(member, other_member)
    assert response.status_code == 302
    assert response["Location"] == f"/pm/{conversation.pk}/#pm-last"

    page = other_member_client.get("/pm/").content.decode()
    assert header_badge(page) == "1"
    assert "pm-new" in page and member.username in page and "周末一起去吗" in page

    html = other_member_client.get(f"/pm/{conversation.pk}/").content.decode()
    assert "<strong>周末</strong>" in html  # Discuz code rendered
    assert header_badge(html) is None  # viewing marked it read, on this very page
    assert header_badge(other_member_client.get("/pm/").content.decode()) is None
    other_member.refresh_from_db()
    assert other_member.new_messages == 0
    # The sender's own copy was never unread.
    assert header_badge(member_client.get("/pm/").content.decode()) is None


@pytest.mark.django_db
def test_badge_counts_conversations_not_messages(
    member_client, other_member_client, user_factory, member, other_member, client_for, send
):
    third = user_factory("第三人")
    send(member_client, other_member.username, "一")
    send(member_client, other_member.username, "二")
    send(client_for(third), other_member.username, "三")
    other_member.refresh_from_db()
    assert other_member.new_messages == 2
    assert header_badge(other_member_client.get("/pm/").content.decode()) == "2"


@pytest.mark.django_db
def test_writing_again_to_the_same_member_continues_the_conversation(
    member_client, other_member_client, member, other_member, send, reply
):
    send(member_client, other_member.username, "第一条")
    conversation = _conversation_between(member, other_member)
    # The other member answers from the compose page, with the name in another case/width.
    send(other_member_client, member.username, "回复一")
    reply(member_client, conversation.pk, "第三条")
    assert Conversation.objects.count() == 1
    conversation.refresh_from_db()
    assert conversation.messages_count == 3
    html = member_client.get(f"/pm/{conversation.pk}/").content.decode()
    assert html.index("第一条") < html.index("回复一") < html.index("第三条")


@pytest.mark.django_db
def test_username_matching_ignores_case_and_width(member_client, user_factory, send):
    bob = user_factory("Bob")
    send(member_client, "ＢＯＢ", "hi")
    assert ConversationMember.objects.filter(user=bob, is_new=True).exists()


@pytest.mark.django_db
def test_a_group_conversation_reaches_every_recipient(
    member_client, member, user_factory, client_for, send, reply
):
    people = [user_factory(f"群友{i}") for i in range(3)]
    response = send(
        member_client, "，".join(p.username for p in people[:2]) + " " + people[2].username, "开会"
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.kind == Conversation.Kind.GROUP and conversation.members_count == 4
    for person in people:
        person.refresh_from_db()
        assert person.new_messages == 1
    # A reply from one of them reaches the others and the starter, not the replier.
    reply(client_for(people[0]), conversation.pk, "收到")
    member.refresh_from_db()
    people[1].refresh_from_db()
    people[0].refresh_from_db()
    assert (member.new_messages, people[1].new_messages, people[0].new_messages) == (1, 1, 0)
    html = client_for(people[2]).get("/pm/").content.decode()
    assert "收到" in html and all(p.username in html for p in (member, people[0], people[1]))
    # Sending to the same people again starts another group (as Discuz does).
    send(member_client, ",".join(p.username for p in people), "再开一次")
    assert Conversation.objects.filter(kind=Conversation.Kind.GROUP).count() == 2


@pytest.mark.django_db
def test_at_most_ten_recipients(member_client, user_factory, send):
    names = [user_factory(f"多人{i}").username for i in range(11)]
    response = send(member_client, ",".join(names), "太多人了")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-error"' in html and "10" in html
    assert "太多人了" in html and Message.objects.count() == 0


@pytest.mark.parametrize(
    ("to", "body", "expected"),
    [
        ("没有这个人", "正文", "没有这个人"),
        ("", "正文", None),
        ("RECIPIENT", "", None),
        ("RECIPIENT", "   ", None),
        ("SELF", "给自己", None),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_refused_on_its_field_with_the_text_kept(
    member_client, member, other_member, send, to, body, expected
):
    to = {"RECIPIENT": other_member.username, "SELF": member.username}.get(to, to)
    response = send(member_client, to, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-error"' in html
    if expected:
        assert expected in html
    if body.strip():
        assert f">{body}</textarea>" in html
    assert Message.objects.count() == 0 and Conversation.objects.count() == 0


@pytest.mark.django_db
def test_messages_to_oneself_and_unknown_names_say_why(member_client, member, send):
    from django.utils import translation

    html = send(member_client, member.username, "自言自语").content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext("You cannot send a message to yourself.") in html
    html = send(member_client, "幽灵", "嗯").content.decode()
    assert "幽灵" in html


@pytest.mark.django_db
def test_a_too_long_message_is_refused_and_kept(member_client, other_member, send):
    body = "长" * 10_001
    response = send(member_client, other_member.username, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "10001" in html and body in html
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_ten_thousand_characters_are_fine(member_client, other_member, send):
    assert send(member_client, other_member.username, "长" * 10_000).status_code == 302


@pytest.mark.django_db
def test_guests_are_sent_to_log_in(guest_client, other_member, send):
    response = guest_client.get("/pm/new/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = send(guest_client, other_member.username, "匿名")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert guest_client.get("/pm/").status_code == 302
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    "group", [UserGroup.BANNED_POST, UserGroup.BANNED_VISIT, UserGroup.AWAITING_VERIFICATION]
)
@pytest.mark.django_db
def test_banned_and_unverified_members_may_not_send(
    user_factory, client_for, other_member, send, group
):
    client = client_for(user_factory(group=group))
    assert client.get("/pm/new/").status_code == 403
    assert send(client, other_member.username, "垃圾").status_code == 403
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_a_banned_member_still_reads_but_has_no_reply_box(
    member_client, member, other_member, client_for, send, reply
):
    send(member_client, other_member.username, "通知你一下")
    conversation = Conversation.objects.get()
    User.objects.filter(pk=other_member.pk).update(group_id=UserGroup.BANNED_POST)
    other_member.refresh_from_db()
    client = client_for(other_member)
    html = client.get(f"/pm/{conversation.pk}/").content.decode()
    assert "通知你一下" in html and 'id="pm-reply"' not in html
    assert reply(client, conversation.pk, "我偏要回").status_code == 403
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_block_words_refuse_review_words_refuse_replace_words_replace(
    member_client, other_member, send
):
    from fupan.moderation.actions import do_save_censor_word
    from fupan.moderation.models import CensorWord

    for find, action, replacement in [
        ("违禁词", CensorWord.Action.BLOCK, ""),
        ("待审词", CensorWord.Action.REVIEW, ""),
        ("脏话", CensorWord.Action.REPLACE, "**"),
    ]:
        do_save_censor_word(
            CensorWord(find=find, action=action, replacement=replacement), acting_user=None
        )

    response = send(member_client, other_member.username, "这里有违禁词")
    assert response.status_code == 400
    html = response.content.decode()
    assert "违禁词" in html and ">这里有违禁词</textarea>" in html
    response = send(member_client, other_member.username, "这里有待审词")
    assert response.status_code == 400 and ">这里有待审词</textarea>" in response.content.decode()
    assert Message.objects.count() == 0

    assert send(member_client, other_member.username, "说了句脏话").status_code == 302
    assert Message.objects.get().body == "说了句**"


@pytest.mark.django_db
def test_sending_is_rate_limited(member_client, other_member, send, monkeypatch):
    monkeypatch.setattr("fupan.pm.actions.MESSAGES_PER_HOUR", 2)
    assert send(member_client, other_member.username, "一").status_code == 302
    assert send(member_client, other_member.username, "二").status_code == 302
    response = send(member_client, other_member.username, "三")
    assert response.status_code == 429
    assert ">三</textarea>" in response.content.decode()
    assert Message.objects.count() == 2


@pytest.mark.django_db
def test_the_recipient_is_emailed_when_they_chose_it(
    member_client, other_member, member, send, site, django_capture_on_commit_callbacks
):
    from fupan.core.actions import do_update_site_settings

    do_update_site_settings(acting_user=None, site_url="https://bbs.example.cn")
    User.objects.filter(pk=other_member.pk).update(
        email="other@example.cn", email_notify=["message"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(member_client, other_member.username, "周末见")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    conversation = Conversation.objects.get()
    assert email.to == ["other@example.cn"]
    assert member.username in email.subject
    assert "周末见" in email.body
    assert f"https://bbs.example.cn/pm/{conversation.pk}/" in email.body


@pytest.mark.django_db
def test_no_email_when_not_chosen_or_no_address(
    member_client, other_member, user_factory, send, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=other_member.pk).update(email="other@example.cn", email_notify=[])
    no_address = user_factory("无邮箱", email_notify=["message"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(member_client, other_member.username, "不发邮件")
        send(member_client, no_address.username, "也不发")
    assert len(callbacks) == 2  # the task ran, and chose not to write
    assert mail.outbox == []


@pytest.mark.django_db
def test_compose_prefills_the_recipient(member_client, other_member):
    html = member_client.get(f"/pm/new/?to={other_member.pk}").content.decode()
    assert f'value="{other_member.username}"' in html
    assert member_client.get("/pm/new/?to=junk").status_code == 200


@pytest.mark.django_db
def test_compose_htmx_twin_answers_with_the_form(member_client, other_member, send, htmx_headers):
    response = send(member_client, "", "没写收件人", **htmx_headers)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "没写收件人" in html
    response = send(member_client, other_member.username, "好了", **htmx_headers)
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/pm/")


@pytest.mark.django_db
def test_compose_page_budget(member_client, other_member, django_assert_num_queries):
    member_client.get("/pm/new/")
    with django_assert_num_queries(2):  # member, the prefilled recipient
        assert member_client.get(f"/pm/new/?to={other_member.pk}").status_code == 200
    with django_assert_num_queries(1):  # member
        assert member_client.get("/pm/new/").status_code == 200
