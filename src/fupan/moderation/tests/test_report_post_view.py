"""举报: reporting a post (``/report/post/<pid>/``) or a member (``/report/user/<uid>/``)."""

from __future__ import annotations

import pytest

from fupan.core.errors import ErrorCode
from fupan.forum.models import Post
from fupan.moderation.actions import REPORTS_PER_HOUR, do_resolve_report
from fupan.moderation.models import Report

pytestmark = pytest.mark.django_db


def _url(post):
    return f"/report/post/{post.pk}/"


# Guests ----------------------------------------------------------------------------------------


def test_guest_asking_for_the_report_form_is_sent_to_login(guest_client, reply):
    response = guest_client.get(_url(reply))
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=%2Freport%2Fpost%2F{reply.pk}%2F"


def test_guest_clicking_report_with_htmx_gets_a_client_redirect_to_login(
    guest_client, reply, htmx_headers
):
    response = guest_client.get(_url(reply), **htmx_headers)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/?next=")


def test_guest_posting_a_report_creates_nothing(guest_client, reply):
    response = guest_client.post(_url(reply), {"reason": "spam"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Report.objects.exists()


# Permission and missing objects ----------------------------------------------------------------


def test_member_cannot_report_their_own_post_and_is_told_so(member_client, reply):
    page = member_client.get(_url(reply))
    assert page.status_code == 403
    assert "report-refused" in page.content.decode()
    assert 'name="reason"' not in page.content.decode()
    response = member_client.post(_url(reply), {"reason": "spam"})
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_missing_post_is_404(other_member_client):
    assert other_member_client.get("/report/post/999999/").status_code == 404
    assert other_member_client.post("/report/post/999999/", {"reason": "spam"}).status_code == 404


def test_deleted_post_is_404_for_members(other_member_client, deleted_reply):
    assert other_member_client.get(_url(deleted_reply)).status_code == 404
    assert not Report.objects.exists()


def test_post_in_a_hidden_board_is_404(other_member_client, reply):
    reply.thread.board.__class__.objects.filter(pk=reply.thread.board_id).update(is_visible=False)
    assert other_member_client.get(_url(reply)).status_code == 404


# Happy path ------------------------------------------------------------------------------------


def test_form_page_lists_discuz_reasons_and_the_post(other_member_client, reply):
    page = other_member_client.get(_url(reply))
    html = page.content.decode()
    assert page.status_code == 200
    for value in ("spam", "rules", "flooding", "duplicate", "other"):
        assert f'name="reason" value="{value}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<html" in html


def test_report_records_post_thread_board_reporter_ip_and_redirects_back(
    other_member_client, other_member, reply
):
    response = other_member_client.post(
        _url(reply), {"reason": "spam", "message": "卖假货的广告"}, REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/t/{reply.thread_id}/#pid{reply.pk}"
    report = Report.objects.get()
    assert report.kind == Report.Kind.POST
    assert (report.post_id, report.thread_id, report.board_id) == (
        reply.pk,
        reply.thread_id,
        reply.thread.board_id,
    )
    assert report.reporter == other_member and report.reporter_name == other_member.username
    assert report.reason == "spam" and report.message == "卖假货的广告"
    assert report.ip == "192.0.2.7" and report.created_at is not None
    assert report.status == Report.Status.OPEN
    # The thank-you is a flash message on the page the member goes back to.
    page = other_member_client.get(response["Location"])
    assert 'class="messages"' in page.content.decode()


def test_form_page_does_not_quote_a_post_a_moderator_hid(other_member_client, reply, moderator):
    from fupan.forum.actions import do_hide_post

    do_hide_post(reply, acting_user=moderator, hidden=True)
    html = other_member_client.get(_url(reply)).content.decode()
    assert "第2楼的回复" not in html and 'name="reason"' in html


def test_htmx_loads_the_form_as_a_fragment(other_member_client, reply, htmx_headers):
    response = other_member_client.get(_url(reply), **htmx_headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="report-post-{reply.pk}"' in html
    assert f'hx-post="/report/post/{reply.pk}/"' in html
    assert "data-dismiss" in html


def test_htmx_submission_answers_with_a_thank_you_fragment(
    other_member_client, reply, htmx_headers
):
    response = other_member_client.post(_url(reply), {"reason": "flooding"}, **htmx_headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "report-thanks" in html
    assert Report.objects.get().reason == "flooding"


def test_thread_page_report_link_loads_the_form_under_the_post(guest_client, reply):
    html = guest_client.get(f"/t/{reply.thread_id}/").content.decode()
    assert f'href="/report/post/{reply.pk}/"' in html
    assert f'hx-get="/report/post/{reply.pk}/" hx-target="#report-slot-{reply.pk}"' in html
    assert f'id="report-slot-{reply.pk}"' in html


# Bad input -------------------------------------------------------------------------------------


def test_reporting_twice_while_open_says_so_and_creates_nothing(
    other_member_client, reply, htmx_headers
):
    other_member_client.post(_url(reply), {"reason": "spam"})
    again = other_member_client.post(_url(reply), {"reason": "other", "message": "再说一次"})
    assert again.status_code == 409
    assert "再说一次" in again.content.decode()  # the text comes back
    assert Report.objects.count() == 1
    fragment = other_member_client.post(_url(reply), {"reason": "other"}, **htmx_headers)
    assert fragment.status_code == 409 and "form-errors" in fragment.content.decode()
    assert Report.objects.count() == 1


def test_a_resolved_report_lets_the_member_report_the_post_again(
    other_member_client, reply, moderator
):
    other_member_client.post(_url(reply), {"reason": "spam"})
    do_resolve_report(Report.objects.get(), acting_user=moderator, outcome="no_action")
    assert other_member_client.post(_url(reply), {"reason": "spam"}).status_code == 302
    assert Report.objects.count() == 2


def test_report_without_a_reason_keeps_the_message_and_creates_nothing(other_member_client, reply):
    response = other_member_client.post(_url(reply), {"message": "我的说明文字"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "我的说明文字" in html and "form-error" in html
    assert not Report.objects.exists()


def test_message_longer_than_200_characters_is_refused_with_the_text_kept(
    other_member_client, reply
):
    text = "长" * 201
    response = other_member_client.post(_url(reply), {"reason": "other", "message": text})
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Report.objects.exists()


def test_unknown_reason_is_refused(other_member_client, reply):
    response = other_member_client.post(_url(reply), {"reason": "because"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_reports_are_rate_limited_per_member(
    other_member_client, thread_factory, board, member, htmx_headers
):
    thread = thread_factory(board, author=member, replies=REPORTS_PER_HOUR + 1)
    posts = list(Post.objects.filter(thread=thread, is_first=False).order_by("position"))
    for post in posts[:REPORTS_PER_HOUR]:
        assert other_member_client.post(_url(post), {"reason": "spam"}).status_code == 302
    refused = other_member_client.post(_url(posts[-1]), {"reason": "spam"}, **htmx_headers)
    assert refused.status_code == 429
    assert "form-errors" in refused.content.decode()
    assert Report.objects.count() == REPORTS_PER_HOUR


def test_reports_are_rate_limited_per_ip(client_for, user_factory, thread_factory, board, member):
    thread = thread_factory(board, author=member, replies=1)
    post = Post.objects.get(thread=thread, position=2)
    for _ in range(REPORTS_PER_HOUR):
        client = client_for(user_factory())
        assert client.post(_url(post), {"reason": "spam"}).status_code == 302
    last = client_for(user_factory()).post(_url(post), {"reason": "spam"})
    assert last.status_code == 429
    assert Report.objects.count() == REPORTS_PER_HOUR


# Reporting a member ----------------------------------------------------------------------------


def test_guest_reporting_a_member_is_sent_to_login(guest_client, member):
    response = guest_client.get(f"/report/user/{member.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_member_cannot_report_themselves(member_client, member):
    response = member_client.post(f"/report/user/{member.pk}/", {"reason": "other"})
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_missing_or_deactivated_member_is_404(other_member_client, user_factory):
    gone = user_factory(is_active=False)
    assert other_member_client.get("/report/user/999999/").status_code == 404
    assert other_member_client.get(f"/report/user/{gone.pk}/").status_code == 404


def test_member_report_is_recorded_and_goes_back_to_the_profile(
    other_member_client, other_member, member
):
    response = other_member_client.post(
        f"/report/user/{member.pk}/", {"reason": "other", "message": "头像违规"}
    )
    assert response.status_code == 302 and response["Location"] == f"/u/{member.pk}/"
    report = Report.objects.get()
    assert report.kind == Report.Kind.MEMBER and report.member == member
    assert report.reporter == other_member and report.board_id is None


def test_member_report_twice_says_so(other_member_client, member, htmx_headers):
    url = f"/report/user/{member.pk}/"
    assert other_member_client.post(url, {"reason": "other"}, **htmx_headers).status_code == 200
    again = other_member_client.post(url, {"reason": "spam"}, **htmx_headers)
    assert again.status_code == 409
    assert Report.objects.count() == 1


def test_member_report_htmx_form_is_a_fragment(other_member_client, member, htmx_headers):
    html = other_member_client.get(f"/report/user/{member.pk}/", **htmx_headers).content.decode()
    assert "<html" not in html and f'id="report-member-{member.pk}"' in html


def test_profile_has_a_report_link_for_others_but_not_for_oneself(
    member_client, other_member_client, member
):
    link = f'href="/report/user/{member.pk}/"'
    assert link in other_member_client.get(f"/u/{member.pk}/").content.decode()
    assert link not in member_client.get(f"/u/{member.pk}/").content.decode()


def test_error_codes_are_stable_for_the_api():
    assert ErrorCode.ALREADY_REPORTED == "already_reported"
    assert ErrorCode.REPORT_OWN == "report_own"
