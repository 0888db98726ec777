"""Old Discuz links answer 301 to the same page on Fupan, or a friendly 404."""

from __future__ import annotations

import pytest

from fupan.forum.models import Post

pytestmark = pytest.mark.django_db


def follow(client, address: str, *, hops: int = 4) -> tuple[list[tuple[int, str]], object]:
    """The redirect chain from ``address``: [(status, Location)…] and the last response."""
    chain = []
    response = client.get(address)
    while response.status_code in (301, 302) and hops:
        chain.append((response.status_code, response["Location"]))
        response = client.get(response["Location"])
        hops -= 1
    return chain, response


def test_old_thread_address_answers_301_to_the_thread(guest_client, thread):
    response = guest_client.get(f"/forum.php?mod=viewthread&tid={thread.pk}&extra=page%3D1")
    assert response.status_code == 301
    assert response["Location"] == f"/t/{thread.pk}/"
    assert guest_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("address", "target"),
    [
        (
            "/forum.php?mod=viewthread&tid={tid}&page=2&authorid={uid}",
            "/t/{tid}/?page=2&author={uid}",
        ),
        ("/forum.php?mod=viewthread&tid={tid}&ordertype=1", "/t/{tid}/?order=desc"),
        ("/thread-{tid}-1-1.html", "/t/{tid}/"),
        ("/archiver/?tid-{tid}.html", "/t/{tid}/"),
        ("/archiver/tid-{tid}.html", "/t/{tid}/"),
        ("/forum.php?mod=forumdisplay&fid={fid}&page=2", "/f/{fid}/?page=2"),
        ("/forum.php?mod=forumdisplay&fid={fid}&filter=typeid&typeid=3", "/f/{fid}/?type=3"),
        ("/forum.php?mod=forumdisplay&fid={fid}&filter=digest&digest=1", "/f/{fid}/?filter=digest"),
        ("/forum-{fid}-1.html", "/f/{fid}/"),
        ("/archiver/?fid-{fid}.html", "/f/{fid}/"),
        ("/forum.php", "/"),
        ("/forum.php?gid={gid}", "/f/{gid}/"),
        ("/home.php?mod=space&uid={uid}", "/u/{uid}/"),
        ("/home.php?mod=space&uid={uid}&do=thread&view=me", "/u/{uid}/threads/"),
        ("/space-uid-{uid}.html", "/u/{uid}/"),
        ("/forum.php?mod=attachment&aid=Nzd8MWEyYjNjNGR8MTcwMDAwMDAwMHwzfDEy", "/attachments/77/"),
        (
            "/search.php?mod=forum&srchtxt=%E6%B5%8B%E8%AF%95&searchsubmit=yes",
            "/search/?q=%E6%B5%8B%E8%AF%95",
        ),
        ("/member.php?mod=logging&action=login", "/login/"),
        ("/member.php?mod=register", "/register/"),
        ("/misc.php?mod=faq", "/about/"),
        ("/home.php?mod=spacecp&ac=avatar", "/settings/"),
        ("/bbs/forum.php?mod=viewthread&tid={tid}", "/t/{tid}/"),
    ],
)
def test_every_old_address_form_answers_301_without_a_query(
    address, target, guest_client, thread, member, django_assert_num_queries
):
    board = thread.board
    ids = {"tid": thread.pk, "fid": board.pk, "gid": board.parent_id, "uid": member.pk}
    guest_client.get("/")  # warm the settings and group caches
    with django_assert_num_queries(0):
        response = guest_client.get(address.format(**ids))
    assert response.status_code == 301
    assert response["Location"] == target.format(**ids)


@pytest.mark.parametrize(
    "address",
    [
        "/forum.php?mod=viewthread&tid={tid}",
        "/thread-{tid}-1-1.html",
        "/forum.php?mod=forumdisplay&fid={fid}",
        "/forum.php?gid={gid}",
        "/home.php?mod=space&uid={uid}",
        "/forum.php?mod=redirect&goto=findpost&ptid={tid}&pid={pid}",
        "/forum.php?mod=redirect&ptid={tid}&postno=2",
        "/forum.php?mod=redirect&tid={tid}&goto=lastpost",
        "/home.php?mod=space&username=%E6%99%AE%E9%80%9A%E4%BC%9A%E5%91%98",
        "/search.php?mod=forum&srchtxt=abc",
    ],
)
def test_redirects_end_on_a_page_that_answers(address, guest_client, thread, member):
    ids = {
        "tid": thread.pk,
        "pid": Post.objects.get(thread=thread, position=2).pk,
        "fid": thread.board_id,
        "gid": thread.board.parent_id,
        "uid": member.pk,
    }
    chain, response = follow(guest_client, address.format(**ids))
    assert chain and chain[0][0] == 301
    assert response.status_code == 200


def test_findpost_reaches_the_right_floor(guest_client, thread_factory, board, member):
    long_thread = thread_factory(board, author=member, replies=14)  # 15 floors, 10 a page
    post = Post.objects.get(thread=long_thread, position=13)
    chain, response = follow(
        guest_client,
        f"/forum.php?mod=redirect&goto=findpost&ptid={long_thread.pk}&pid={post.pk}",
    )
    assert chain[0] == (301, f"/p/{post.pk}/")
    assert chain[-1][1] == f"/t/{long_thread.pk}/?page=2#pid{post.pk}"
    assert f'id="pid{post.pk}"' in response.content.decode()


def test_lastpost_goes_to_the_last_floor_in_one_query(
    guest_client, thread, django_assert_num_queries
):
    last = Post.objects.filter(thread=thread).order_by("-position").first()
    guest_client.get("/")
    with django_assert_num_queries(1):
        response = guest_client.get(f"/forum.php?mod=redirect&tid={thread.pk}&goto=lastpost")
    assert response.status_code == 301 and response["Location"] == f"/p/{last.pk}/"


def test_lastpost_skips_a_deleted_last_floor(guest_client, thread):
    floors = list(Post.objects.filter(thread=thread).order_by("position"))
    Post.objects.filter(pk=floors[-1].pk).update(state=Post.State.DELETED)
    response = guest_client.get(f"/forum.php?mod=redirect&tid={thread.pk}&goto=lastpost")
    assert response["Location"] == f"/p/{floors[-2].pk}/"


def test_space_by_username_finds_the_member_in_one_query(
    guest_client, user_factory, django_assert_num_queries
):
    river = user_factory("River")
    guest_client.get("/")
    with django_assert_num_queries(1):
        response = guest_client.get("/home.php?mod=space&username=river&do=thread")
    assert response.status_code == 301 and response["Location"] == f"/u/{river.pk}/threads/"
    by_name = guest_client.get("/space-username-River.html")
    assert by_name.status_code == 301 and by_name["Location"] == f"/u/{river.pk}/"


def test_a_member_pays_only_for_their_session(member_client, thread, django_assert_max_num_queries):
    member_client.get("/")
    with django_assert_max_num_queries(3):  # session and member (middleware), then the lookup
        response = member_client.get(f"/forum.php?mod=redirect&tid={thread.pk}&goto=lastpost")
    assert response.status_code == 301


@pytest.mark.parametrize(
    "address",
    [
        "/forum.php?mod=redirect&tid=999999&goto=lastpost",
        "/home.php?mod=space&username=nobody-here",
        "/space-username-nobody-here.html",
        "/forum.php?mod=viewthread",
        "/forum.php?mod=nonsense",
        "/forum-news-1.html",
        "/portal.php?mod=view&aid=3",
        "/article-3-1.html",
        "/member.php?mod=logging&action=logout",
    ],
)
def test_unknown_ids_and_forms_get_the_friendly_404(address, guest_client, site):
    response = guest_client.get(address)
    assert response.status_code == 404
    assert (
        "这是旧论坛的地址，在本站没有对应的页面。" in response.content.decode()
    )  # zh_Hans by default


@pytest.mark.parametrize(
    "address",
    [
        "/forum.php?mod=viewthread&tid=999999",
        "/thread-999999-1-1.html",
        "/forum.php?mod=redirect&goto=findpost&ptid=1&pid=999999",
        "/forum.php?mod=forumdisplay&fid=999999",
        "/space-uid-999999.html",
    ],
)
def test_unknown_ids_end_in_404(address, guest_client, site):
    chain, response = follow(guest_client, address)
    assert chain[0][0] == 301
    assert response.status_code == 404


def test_lastpost_of_a_hidden_thread_is_404(guest_client, thread):
    from fupan.forum.models import Thread

    Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
    response = guest_client.get(f"/forum.php?mod=redirect&tid={thread.pk}&goto=lastpost")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "mod=viewthread&tid=" + "9" * 5000,
        "mod=viewthread&tid=99999999999999999999",
        "mod=viewthread&tid[]=1",
        "mod=viewthread&tid=%00",
        "mod=viewthread&tid=1%0d%0aLocation:%20http://evil.example/",
        "mod=redirect&goto=lastpost&tid=%F0%9F%98%80",
        "mod=attachment&aid=%%%%",
        "mod=attachment&aid=" + "A" * 10000,
        "mod=forumdisplay&fid=1&typeid=-5&page=-1",
        "mod=space&username=%00",
        "mod[]=viewthread",
        "%ff%fe=1",
        "mod=redirect&goto=findpost&pid=//evil.example",
    ],
)
def test_junk_parameters_never_500_and_never_leave_the_site(query, guest_client, site):
    for script in ("forum.php", "home.php", "search.php", "member.php", "misc.php", "archiver/"):
        response = guest_client.get(f"/{script}?{query}")
        assert response.status_code in (301, 404), (script, query)
        if response.status_code == 301:
            location = response["Location"]
            assert location.startswith("/") and not location.startswith(("//", "/\\"))
            assert "evil" not in location


def test_junk_username_in_a_rewrite_address_is_404(guest_client, site):
    assert guest_client.get("/space-username-%00.html").status_code == 404
    assert guest_client.get("/space-username-" + "x" * 3000 + ".html").status_code == 404


def test_only_get_and_head_are_answered(guest_client, site):
    assert guest_client.head("/forum.php?mod=viewthread&tid=1").status_code == 301
    assert guest_client.post("/forum.php?mod=viewthread&tid=1").status_code in (403, 405)


def test_htmx_request_gets_the_same_redirect(guest_client, thread, htmx_headers):
    response = guest_client.get(f"/thread-{thread.pk}-1-1.html", **htmx_headers)
    assert response.status_code == 301 and response["Location"] == f"/t/{thread.pk}/"


def test_the_login_redirect_keeps_working_for_members(member_client, site):
    response = member_client.get("/member.php?mod=logging&action=login")
    assert response.status_code == 301 and response["Location"] == "/login/"
