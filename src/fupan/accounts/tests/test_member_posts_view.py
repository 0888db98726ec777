import pytest

from fupan.forum.models import Thread


@pytest.mark.django_db
def test_a_members_threads_and_replies_are_listed_newest_first(
    guest_client, board, thread_factory, member, other_member
):
    for i in range(3):
        thread_factory(board, author=member, title=f"话题{i}", replies=1, repliers=[other_member])
    threads = guest_client.get(f"/u/{member.pk}/threads/")
    assert [t.title for t in threads.context["items"]] == ["话题2", "话题1", "话题0"]
    replies = guest_client.get(f"/u/{other_member.pk}/replies/")
    assert replies.context["total"] == 3


@pytest.mark.django_db
def test_lists_page_twenty_at_a_time_and_hide_recycled_threads(
    guest_client, board, thread_factory, member
):
    for i in range(23):
        thread_factory(board, author=member, title=f"帖{i}")
    Thread.objects.filter(title="帖0").update(state=Thread.State.RECYCLED)
    first = guest_client.get(f"/u/{member.pk}/threads/")
    second = guest_client.get(f"/u/{member.pk}/threads/?page=2")
    assert len(first.context["items"]) == 20 and len(second.context["items"]) == 2
    assert "帖0" not in second.content.decode()


@pytest.mark.django_db
def test_unknown_member_or_list_is_404(guest_client, member):
    assert guest_client.get("/u/424242/threads/").status_code == 404
    assert guest_client.get(f"/u/{member.pk}/photos/").status_code == 404  # no such list


@pytest.mark.django_db
def test_member_list_query_budget(
    guest_client, board, thread_factory, member, django_assert_num_queries
):
    for _ in range(5):
        thread_factory(board, author=member)
    guest_client.get(f"/u/{member.pk}/threads/")
    with django_assert_num_queries(3):  # member, count, page
        guest_client.get(f"/u/{member.pk}/threads/")
