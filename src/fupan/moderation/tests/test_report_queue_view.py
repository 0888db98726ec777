"""The moderators' report queue (``/mod/reports/``), a report's page and resolving it, and the
reporter's ``/report/mine/``."""

from __future__ import annotations

import pytest

from fupan.forum.models import Post
from fupan.moderation.actions import do_resolve_report
from fupan.moderation.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_report(reply, other_member, report_post):
    return report_post(reply, other_member, message="这是广告")


def _ids(html: str, reports) -> list[int]:
    return [r.pk for r in reports if f'id="report-{r.pk}"' in html]


# The queue -------------------------------------------------------------------------------------


def test_guest_is_sent_to_login(guest_client):
    response = guest_client.get("/mod/reports/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fmod%2Freports%2F"


def test_member_without_a_board_may_not_see_the_queue(member_client):
    assert member_client.get("/mod/reports/").status_code == 403


def test_board_moderator_sees_only_post_reports_of_their_boards(
    moderator_client,
    other_member,
    reply,
    member,
    other_board,
    thread_factory,
    report_post,
    report_member,
    report_site,
):
    elsewhere = thread_factory(other_board, author=member, replies=1)
    mine = report_post(reply, other_member)
    not_mine = report_post(Post.objects.get(thread=elsewhere, position=2), other_member)
    about_member = report_member(member, other_member)
    about_site = report_site()
    html = moderator_client.get("/mod/reports/").content.decode()
    assert _ids(html, [mine, not_mine, about_member, about_site]) == [mine.pk]


def test_super_moderator_and_admin_see_everything_newest_first(
    client_for,
    super_moderator,
    admin_user,
    other_member,
    reply,
    member,
    report_post,
    report_member,
    report_site,
):
    reports = [report_post(reply, other_member), report_member(member, other_member), report_site()]
    for user in (super_moderator, admin_user):
        html = client_for(user).get("/mod/reports/").content.decode()
        assert _ids(html, reports) == [r.pk for r in reports]
        positions = [html.index(f'id="report-{r.pk}"') for r in reports]
        assert positions == sorted(positions, reverse=True)  # newest first


def test_open_and_resolved_are_filtered(
    moderator_client,
    moderator,
    post_report,
    other_member,
    member,
    report_member,
    client_for,
    super_moderator,
):
    do_resolve_report(post_report, acting_user=moderator, outcome="handled")
    still_open = report_member(member, other_member)
    client = client_for(super_moderator)
    open_html = client.get("/mod/reports/").content.decode()
    assert _ids(open_html, [post_report, still_open]) == [still_open.pk]
    done_html = client.get("/mod/reports/?status=resolved").content.decode()
    assert _ids(done_html, [post_report, still_open]) == [post_report.pk]


def test_queue_is_paginated(client_for, super_moderator, report_site):
    for n in range(25):
        report_site(description=f"第{n}条")
    client = client_for(super_moderator)
    first = client.get("/mod/reports/").content.decode()
    assert first.count('class="report-row') == 20 and 'class="pg"' in first
    second = client.get("/mod/reports/?page=2").content.decode()
    assert second.count('class="report-row') == 5


def test_queue_htmx_twin_is_the_list_fragment(moderator_client, post_report, htmx_headers):
    response = moderator_client.get("/mod/reports/?status=open", **htmx_headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="report-queue"' in html
    assert f'id="report-{post_report.pk}"' in html


def test_queue_page_budget_does_not_grow_with_the_reports(
    client_for,
    super_moderator,
    other_member,
    member,
    reply,
    report_post,
    report_member,
    report_site,
    user_factory,
    django_assert_num_queries,
):
    client = client_for(super_moderator)
    report_post(reply, other_member)
    report_site()
    client.get("/mod/reports/")
    # member (the session is cached), count, page of reports (with posts, threads, boards,
    # members, reporters)
    with django_assert_num_queries(3):
        client.get("/mod/reports/")
    for _ in range(6):
        reporter = user_factory()
        report_post(reply, reporter)
        report_member(member, reporter)
        report_site(by=reporter)
    with django_assert_num_queries(3):
        html = client.get("/mod/reports/").content.decode()
    assert html.count('class="report-row') == 20


def test_board_moderator_queue_budget(moderator_client, post_report, django_assert_num_queries):
    moderator_client.get("/mod/reports/")
    # member, their boards, count, page
    with django_assert_num_queries(4):
        moderator_client.get("/mod/reports/")


def test_moderators_reach_the_queue_from_the_header_through_the_hub(
    moderator_client, member_client, guest_client
):
    assert 'href="/mod/"' in moderator_client.get("/").content.decode()
    assert 'href="/mod/reports/"' in moderator_client.get("/mod/").content.decode()
    assert 'href="/mod/"' not in member_client.get("/").content.decode()
    assert 'href="/mod/"' not in guest_client.get("/").content.decode()


# A report's page -------------------------------------------------------------------------------


def test_report_page_as_guest_member_and_other_moderator(
    guest_client, member_client, client_for, other_moderator, post_report
):
    url = f"/mod/reports/{post_report.pk}/"
    assert guest_client.get(url)["Location"].startswith("/login/?next=")
    assert member_client.get(url).status_code == 404
    assert client_for(other_moderator).get(url).status_code == 404
    assert client_for(other_moderator).post(url, {"outcome": "handled"}).status_code == 404
    assert Report.objects.get().is_open


def test_missing_report_is_404(moderator_client):
    assert moderator_client.get("/mod/reports/999999/").status_code == 404


def test_report_page_shows_the_post_excerpt_reason_message_and_reporter(
    moderator_client, post_report, reply, other_member
):
    html = moderator_client.get(f"/mod/reports/{post_report.pk}/").content.decode()
    assert f'href="/p/{reply.pk}/"' in html
    assert "第2楼的回复" in html  # the post's text
    assert "这是广告" in html
    assert f'href="/u/{other_member.pk}/"' in html
    assert 'name="outcome" value="handled"' in html


def test_report_page_budget(moderator_client, post_report, django_assert_num_queries):
    moderator_client.get(f"/mod/reports/{post_report.pk}/")
    with django_assert_num_queries(3):  # member, their boards, the report with what it is about
        moderator_client.get(f"/mod/reports/{post_report.pk}/")


def test_site_report_page_shows_the_address_and_the_guest_contact(
    client_for, super_moderator, report_site
):
    report = report_site(url="https://example.com/bad", contact="13900000000")
    html = client_for(super_moderator).get(f"/mod/reports/{report.pk}/").content.decode()
    assert 'href="https://example.com/bad"' in html and "13900000000" in html


def test_board_moderator_cannot_open_member_or_site_reports(
    moderator_client, member, other_member, report_member, report_site
):
    for report in (report_member(member, other_member), report_site()):
        assert moderator_client.get(f"/mod/reports/{report.pk}/").status_code == 404


# Resolving -------------------------------------------------------------------------------------


def test_resolving_records_outcome_note_who_and_when_and_notifies_the_reporter(
    moderator_client, moderator, post_report, client_for
):
    response = moderator_client.post(
        f"/mod/reports/{post_report.pk}/", {"outcome": "handled", "note": "已删除该广告"}
    )
    assert response.status_code == 302 and response["Location"] == "/mod/reports/"
    report = Report.objects.get()
    assert report.status == Report.Status.RESOLVED and report.outcome == "handled"
    assert report.note == "已删除该广告"
    assert report.resolved_by == moderator and report.resolved_by_name == moderator.username
    assert report.resolved_at is not None
    reporter = report.reporter
    reporter.refresh_from_db()
    assert reporter.new_notifications == 1
    page = client_for(reporter).get("/notifications/").content.decode()
    assert "已删除该广告" in page and "已处理" in page


def test_resolving_with_htmx_answers_with_the_resolution_fragment(
    moderator_client, post_report, htmx_headers
):
    response = moderator_client.post(
        f"/mod/reports/{post_report.pk}/", {"outcome": "no_action"}, **htmx_headers
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="report-resolution"' in html and "badge-done" in html
    assert Report.objects.get().outcome == "no_action"


def test_resolving_twice_says_so_and_changes_nothing(
    moderator_client, client_for, super_moderator, moderator, post_report, htmx_headers
):
    url = f"/mod/reports/{post_report.pk}/"
    assert moderator_client.post(url, {"outcome": "handled", "note": "先处理"}).status_code == 302
    again = client_for(super_moderator).post(url, {"outcome": "no_action", "note": "后处理"})
    assert again.status_code == 409
    assert moderator.username in again.content.decode()
    fragment = client_for(super_moderator).post(url, {"outcome": "no_action"}, **htmx_headers)
    assert fragment.status_code == 409
    report = Report.objects.get()
    assert (report.outcome, report.note, report.resolved_by_id) == (
        "handled",
        "先处理",
        moderator.pk,
    )


def test_resolving_without_an_outcome_keeps_the_note_and_changes_nothing(
    moderator_client, post_report
):
    response = moderator_client.post(
        f"/mod/reports/{post_report.pk}/", {"outcome": "", "note": "我的备注"}
    )
    assert response.status_code == 400 and "我的备注" in response.content.decode()
    assert Report.objects.get().is_open


def test_resolving_as_a_member_is_404(other_member_client, post_report):
    response = other_member_client.post(f"/mod/reports/{post_report.pk}/", {"outcome": "handled"})
    assert response.status_code == 404
    assert Report.objects.get().is_open


# The reporter's side ---------------------------------------------------------------------------


def test_guest_asking_for_my_reports_is_sent_to_login(guest_client):
    assert guest_client.get("/report/mine/")["Location"] == "/login/?next=%2Freport%2Fmine%2F"


def test_reporter_sees_the_outcome_and_note_in_my_reports(
    other_member_client, member_client, moderator, post_report
):
    before = other_member_client.get("/report/mine/").content.decode()
    assert f'id="my-report-{post_report.pk}"' in before and "badge-done" not in before
    do_resolve_report(post_report, acting_user=moderator, outcome="handled", note="已处理，谢谢")
    after = other_member_client.get("/report/mine/").content.decode()
    assert "badge-done" in after and "已处理，谢谢" in after
    # Nobody else's list shows it.
    assert (
        f'id="my-report-{post_report.pk}"'
        not in member_client.get("/report/mine/").content.decode()
    )


def test_my_reports_htmx_twin_and_budget(
    other_member_client,
    other_member,
    reply,
    member,
    report_member,
    post_report,
    htmx_headers,
    django_assert_num_queries,
):
    report_member(member, other_member)
    fragment = other_member_client.get("/report/mine/", **htmx_headers).content.decode()
    assert "<html" not in fragment and 'id="my-reports"' in fragment
    other_member_client.get("/report/mine/")
    with django_assert_num_queries(3):  # member, count, page
        other_member_client.get("/report/mine/")


@pytest.mark.django_db(transaction=True)
def test_two_moderators_resolving_at_once_leave_one_resolution(
    moderator, super_moderator, reply, other_member, report_post
):
    import threading

    from django.db import connection, connections

    from fupan.core.errors import FupanError

    if connection.vendor != "postgresql":
        pytest.skip(
            "row locking is tested on PostgreSQL: set DATABASE_URL=postgres://… (SQLite serialises writers)"
        )
    report = report_post(reply, other_member)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def resolve(user, outcome) -> None:
        try:
            barrier.wait()
            do_resolve_report(Report.objects.get(pk=report.pk), acting_user=user, outcome=outcome)
            outcomes.append("won")
        except FupanError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    workers = [
        threading.Thread(target=resolve, args=(moderator, "handled")),
        threading.Thread(target=resolve, args=(super_moderator, "no_action")),
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(outcomes) == ["already_decided", "won"]
    assert Report.objects.get(pk=report.pk).status == Report.Status.RESOLVED
