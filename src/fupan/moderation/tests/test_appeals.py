"""用户申诉: appeals against a ban or a deleted post (``/appeals/…``), the moderators' side
(``/mod/appeals/…``) and the page members banned from visiting see instead of the forum."""

from __future__ import annotations

import pytest

from fupan.accounts.models import User, UserGroup
from fupan.forum.models import Post, Thread
from fupan.moderation.actions import do_add_appeal_message, do_decide_appeal, do_file_appeal
from fupan.moderation.models import Appeal, AppealMessage
from fupan.testing.plugin import uncached_guest_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_appeal(member, deleted_reply):
    return do_file_appeal(member, post=deleted_reply, statement="这条回复没有违规")


@pytest.fixture
def ban_appeal(post_banned):
    return do_file_appeal(post_banned, statement="我保证遵守版规")


# Filing ----------------------------------------------------------------------------------------


def test_guest_is_sent_to_login(guest_client):
    assert guest_client.get("/appeals/")["Location"] == "/login/?next=%2Fappeals%2F"
    assert guest_client.post("/appeals/", {"subject": "ban"}).status_code == 302
    assert not Appeal.objects.exists()


def test_member_with_nothing_to_appeal_is_told_so_and_nothing_is_created(member_client):
    page = member_client.get("/appeals/").content.decode()
    assert 'name="statement"' not in page and 'class="empty"' in page
    response = member_client.post("/appeals/", {"subject": "ban", "statement": "请解封"})
    assert response.status_code == 400 and "form-errors" in response.content.decode()
    assert not Appeal.objects.exists()


def test_banned_member_files_a_ban_appeal(client_for, post_banned):
    client = client_for(post_banned)
    page = client.get("/appeals/").content.decode()
    assert 'name="subject" value="ban"' in page
    response = client.post("/appeals/", {"subject": "ban", "statement": "我保证遵守版规"})
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/appeals/{appeal.pk}/"
    assert appeal.kind == Appeal.Kind.BAN and appeal.appellant == post_banned
    assert appeal.banned_group_id == UserGroup.BANNED_POST and appeal.is_open
    assert "我保证遵守版规" in client.get(response["Location"]).content.decode()


def test_one_open_appeal_per_ban(client_for, post_banned, ban_appeal):
    response = client_for(post_banned).post(
        "/appeals/", {"subject": "ban", "statement": "再申诉一次"}
    )
    assert response.status_code == 409 and "再申诉一次" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_statement_is_required(client_for, post_banned):
    response = client_for(post_banned).post("/appeals/", {"subject": "ban", "statement": " "})
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_member_lists_and_appeals_a_post_someone_else_deleted(member_client, member, deleted_reply):
    page = member_client.get("/appeals/").content.decode()
    assert f'name="subject" value="{deleted_reply.pk}"' in page
    assert 'value="ban"' not in page
    response = member_client.post(
        "/appeals/", {"subject": str(deleted_reply.pk), "statement": "没有违规"}
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert appeal.kind == Appeal.Kind.POST and appeal.post == deleted_reply
    assert appeal.board_id == deleted_reply.thread.board_id


def test_a_deleted_thread_can_be_appealed_through_its_first_post(
    member_client, member, thread, moderator
):
    from fupan.forum.actions import do_delete_thread

    do_delete_thread(thread, acting_user=moderator)
    first = Post.objects.get(thread=thread, position=1)
    assert f'value="{first.pk}"' in member_client.get("/appeals/").content.decode()
    member_client.post("/appeals/", {"subject": str(first.pk), "statement": "请恢复主题"})
    assert Appeal.objects.get().post == first


def test_one_open_appeal_per_deleted_post(member_client, deleted_reply, post_appeal):
    response = member_client.post(
        "/appeals/", {"subject": str(deleted_reply.pk), "statement": "again"}
    )
    assert response.status_code == 409
    assert Appeal.objects.count() == 1


def test_appealing_a_post_that_was_not_deleted_is_refused(member_client, reply):
    response = member_client.post("/appeals/", {"subject": str(reply.pk), "statement": "x"})
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_appealing_someone_elses_post_is_404(other_member_client, deleted_reply):
    response = other_member_client.post(
        "/appeals/", {"subject": str(deleted_reply.pk), "statement": "x"}
    )
    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_a_moderator_cannot_appeal_a_post_in_their_own_board(
    client_for, moderator, board, thread_factory
):
    from fupan.forum.actions import do_delete_post

    own = thread_factory(board, author=moderator, replies=1)
    post = Post.objects.get(thread=own, position=2)
    do_delete_post(post, acting_user=moderator)
    response = client_for(moderator).post("/appeals/", {"subject": str(post.pk), "statement": "x"})
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_filing_with_htmx_answers_with_a_client_redirect_or_the_form(
    client_for, post_banned, htmx_headers
):
    client = client_for(post_banned)
    refused = client.post("/appeals/", {"subject": "ban", "statement": ""}, **htmx_headers)
    assert refused.status_code == 400 and 'id="appeal-form"' in refused.content.decode()
    assert "<html" not in refused.content.decode()
    done = client.post("/appeals/", {"subject": "ban", "statement": "请解封"}, **htmx_headers)
    assert done["HX-Redirect"] == f"/appeals/{Appeal.objects.get().pk}/"


def test_appeals_page_budget(
    member_client, member, deleted_reply, post_appeal, django_assert_num_queries
):
    member_client.get("/appeals/")
    with django_assert_num_queries(3):  # member, deleted posts, appeals
        member_client.get("/appeals/")


# The exchange ----------------------------------------------------------------------------------


def test_appeal_page_as_guest_stranger_and_missing(
    guest_client, other_member_client, client_for, other_moderator, post_appeal
):
    url = f"/appeals/{post_appeal.pk}/"
    assert guest_client.get(url)["Location"].startswith("/login/?next=")
    assert other_member_client.get(url).status_code == 404
    assert client_for(other_moderator).get(url).status_code == 404
    assert other_member_client.post(url, {"body": "插一句"}).status_code == 404
    assert other_member_client.get("/appeals/999999/").status_code == 404
    assert not AppealMessage.objects.exists()


def test_both_sides_write_and_see_the_whole_exchange(
    member_client, moderator_client, moderator, post_appeal
):
    url = f"/appeals/{post_appeal.pk}/"
    assert member_client.post(url, {"body": "补充：那是引用"}).status_code == 302
    response = moderator_client.post(
        url, {"body": "请说明出处", "next": f"/mod/appeals/{post_appeal.pk}/"}
    )
    assert response["Location"] == f"/mod/appeals/{post_appeal.pk}/#messages"
    messages = list(AppealMessage.objects.order_by("id"))
    assert [(m.author_name, m.from_moderator) for m in messages] == [
        ("普通会员", False),
        (moderator.username, True),
    ]
    for client in (member_client, moderator_client):
        html = client.get(url).content.decode()
        assert "这条回复没有违规" in html and "补充：那是引用" in html and "请说明出处" in html


def test_adding_a_message_with_htmx_answers_with_the_exchange(
    member_client, post_appeal, htmx_headers
):
    response = member_client.post(
        f"/appeals/{post_appeal.pk}/", {"body": "还有一点"}, **htmx_headers
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="appeal-exchange"' in html and "还有一点" in html


def test_an_empty_message_is_refused(member_client, post_appeal):
    assert member_client.post(f"/appeals/{post_appeal.pk}/", {"body": ""}).status_code == 400
    assert not AppealMessage.objects.exists()


def test_a_decided_appeal_takes_no_more_messages(member_client, moderator, post_appeal):
    do_decide_appeal(post_appeal, acting_user=moderator, accept=False, reply="确属违规")
    response = member_client.post(f"/appeals/{post_appeal.pk}/", {"body": "我不服"})
    assert response.status_code == 409 and "我不服" in response.content.decode()
    assert not AppealMessage.objects.exists()


def test_appeal_page_budget(
    member_client, member, moderator, post_appeal, django_assert_num_queries
):
    do_add_appeal_message(post_appeal, acting_user=moderator, body="收到", from_moderator=True)
    member_client.get(f"/appeals/{post_appeal.pk}/")
    with django_assert_num_queries(3):  # member, appeal (with post, board …), messages
        member_client.get(f"/appeals/{post_appeal.pk}/")


# The moderators' side --------------------------------------------------------------------------


def test_appeal_queue_as_guest_and_member(guest_client, member_client):
    assert guest_client.get("/mod/appeals/")["Location"].startswith("/login/?next=")
    assert member_client.get("/mod/appeals/").status_code == 403


def test_who_sees_which_appeals_in_the_queue(
    moderator_client,
    client_for,
    other_moderator,
    super_moderator,
    admin_user,
    post_appeal,
    ban_appeal,
):
    def listed(client):
        html = client.get("/mod/appeals/").content.decode()
        return [a.pk for a in (post_appeal, ban_appeal) if f'id="appeal-{a.pk}"' in html]

    assert listed(moderator_client) == [post_appeal.pk]
    assert listed(client_for(other_moderator)) == []
    assert listed(client_for(super_moderator)) == [post_appeal.pk, ban_appeal.pk]
    assert listed(client_for(admin_user)) == [post_appeal.pk, ban_appeal.pk]


def test_appeal_queue_htmx_twin_and_budget(
    client_for,
    super_moderator,
    post_appeal,
    ban_appeal,
    user_factory,
    htmx_headers,
    django_assert_num_queries,
):
    client = client_for(super_moderator)
    fragment = client.get("/mod/appeals/", **htmx_headers).content.decode()
    assert "<html" not in fragment and 'id="appeal-queue"' in fragment
    client.get("/mod/appeals/")
    with django_assert_num_queries(3):  # member, count, page
        client.get("/mod/appeals/")
    for _ in range(5):
        do_file_appeal(user_factory(group=UserGroup.BANNED_VISIT), statement="请解封")
    with django_assert_num_queries(3):
        html = client.get("/mod/appeals/").content.decode()
    assert html.count('class="appeal-row"') == 7


def test_board_moderator_cannot_decide_a_ban_appeal(moderator_client, ban_appeal):
    url = f"/mod/appeals/{ban_appeal.pk}/"
    assert moderator_client.get(url).status_code == 404
    assert moderator_client.post(url, {"decision": "accept"}).status_code == 404
    assert Appeal.objects.get().is_open


def test_the_appellant_cannot_decide_their_own_appeal(member_client, post_appeal):
    response = member_client.post(f"/mod/appeals/{post_appeal.pk}/", {"decision": "accept"})
    assert response.status_code == 403
    assert Appeal.objects.get().is_open


def test_accepting_a_post_appeal_restores_the_post(
    moderator_client, moderator, post_appeal, deleted_reply
):
    replies_before = Thread.objects.get(pk=deleted_reply.thread_id).replies
    page = moderator_client.get(f"/mod/appeals/{post_appeal.pk}/").content.decode()
    assert 'name="decision" value="accept"' in page
    response = moderator_client.post(
        f"/mod/appeals/{post_appeal.pk}/", {"decision": "accept", "reply": "已恢复"}
    )
    assert response.status_code == 302 and response["Location"] == "/mod/appeals/"
    appeal = Appeal.objects.get()
    assert appeal.status == Appeal.Status.ACCEPTED and appeal.reply == "已恢复"
    assert appeal.decided_by == moderator and appeal.decided_at is not None
    assert Post.objects.get(pk=deleted_reply.pk).state == Post.State.VISIBLE
    assert Thread.objects.get(pk=deleted_reply.thread_id).replies == replies_before + 1


def test_accepting_a_ban_appeal_lifts_the_ban(client_for, super_moderator, ban_appeal, post_banned):
    response = client_for(super_moderator).post(
        f"/mod/appeals/{ban_appeal.pk}/", {"decision": "accept"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=post_banned.pk).group_id not in (
        UserGroup.BANNED_POST,
        UserGroup.BANNED_VISIT,
    )
    assert Appeal.objects.get().status == Appeal.Status.ACCEPTED


def test_rejecting_needs_a_reply_and_leaves_the_sanction(
    moderator_client, post_appeal, deleted_reply
):
    url = f"/mod/appeals/{post_appeal.pk}/"
    assert moderator_client.post(url, {"decision": "reject"}).status_code == 400
    assert Appeal.objects.get().is_open
    assert (
        moderator_client.post(url, {"decision": "reject", "reply": "确属广告"}).status_code == 302
    )
    appeal = Appeal.objects.get()
    assert appeal.status == Appeal.Status.REJECTED and appeal.reply == "确属广告"
    assert Post.objects.get(pk=deleted_reply.pk).state == Post.State.DELETED


def test_deciding_twice_says_so_and_changes_nothing(
    moderator_client, client_for, super_moderator, moderator, post_appeal, htmx_headers
):
    url = f"/mod/appeals/{post_appeal.pk}/"
    moderator_client.post(url, {"decision": "reject", "reply": "不予恢复"})
    again = client_for(super_moderator).post(url, {"decision": "accept"}, **htmx_headers)
    assert again.status_code == 409 and moderator.username in again.content.decode()
    appeal = Appeal.objects.get()
    assert appeal.status == Appeal.Status.REJECTED and appeal.decided_by == moderator
    assert Post.objects.get(pk=post_appeal.post_id).state == Post.State.DELETED


def test_deciding_with_htmx_answers_with_the_decision_fragment(
    moderator_client, post_appeal, htmx_headers
):
    response = moderator_client.post(
        f"/mod/appeals/{post_appeal.pk}/", {"decision": "accept"}, **htmx_headers
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="appeal-decision"' in html
    assert Appeal.objects.get().status == Appeal.Status.ACCEPTED


def test_moderator_appeal_page_budget(moderator_client, post_appeal, django_assert_num_queries):
    moderator_client.get(f"/mod/appeals/{post_appeal.pk}/")
    with django_assert_num_queries(4):  # member, their boards, appeal, messages
        moderator_client.get(f"/mod/appeals/{post_appeal.pk}/")


def test_the_member_sees_the_decision_on_the_appeal_page(member_client, moderator, post_appeal):
    do_decide_appeal(post_appeal, acting_user=moderator, accept=False, reply="引用也算转载")
    html = member_client.get(f"/appeals/{post_appeal.pk}/").content.decode()
    assert "引用也算转载" in html and "appeal-rejected" in html
    assert 'name="body"' not in html


# Members banned from visiting ------------------------------------------------------------------


def test_visit_banned_member_sees_the_ban_page_with_a_link_to_appeals(
    client_for, visit_banned, thread
):
    client = client_for(visit_banned)
    for url in ("/", f"/t/{thread.pk}/", f"/f/{thread.board_id}/", "/report/", "/mod/reports/"):
        response = client.get(url)
        assert response.status_code == 403, url
        html = response.content.decode()
        assert 'id="visit-banned"' in html and 'href="/appeals/"' in html


def test_visit_banned_member_still_reaches_appeals_login_and_logout(client_for, visit_banned):
    client = client_for(visit_banned)
    assert client.get("/appeals/").status_code == 200
    response = client.post("/appeals/", {"subject": "ban", "statement": "请解除禁止访问"})
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert appeal.banned_group_id == UserGroup.BANNED_VISIT
    assert client.get(f"/appeals/{appeal.pk}/").status_code == 200
    assert client.get("/static/fupan/fupan.css").status_code == 200
    assert client.get("/login/").status_code in (200, 302)
    assert client.post("/logout/").status_code == 302


def test_after_the_ban_is_lifted_the_forum_opens_again(
    client_for, visit_banned, super_moderator, thread
):
    appeal = do_file_appeal(visit_banned, statement="请解封")
    client = client_for(visit_banned)
    assert client.get(f"/t/{thread.pk}/").status_code == 403
    do_decide_appeal(appeal, acting_user=super_moderator, accept=True)
    assert client.get(f"/t/{thread.pk}/").status_code == 200


def test_members_banned_from_posting_still_visit(client_for, post_banned, thread):
    assert client_for(post_banned).get(f"/t/{thread.pk}/").status_code == 200


def test_the_ban_check_costs_guests_nothing(guest_client, thread, django_assert_num_queries):
    guest_client.get(f"/t/{thread.pk}/")
    uncached_guest_pages()
    with django_assert_num_queries(2):  # as tests/test_example.py: thread, floors
        guest_client.get(f"/t/{thread.pk}/")
