import pytest

from fupan.forum.models import Thread


@pytest.mark.django_db
def test_profile_shows_group_counts_threads_and_replies(
    guest_client, board, thread_factory, member, other_member
):
    thread_factory(board, author=member, title="我的主题", replies=2, repliers=[other_member])
    html = guest_client.get(f"/u/{member.pk}/").content.decode()
    assert member.username in html and "新手上路" in html and "我的主题" in html
    html = guest_client.get(f"/u/{other_member.pk}/").content.decode()
    assert "我的主题" in html  # as a reply


@pytest.mark.django_db
def test_profile_does_not_list_recycled_threads(guest_client, board, thread_factory, member):
    gone = thread_factory(board, author=member, title="删掉的主题")
    Thread.objects.filter(pk=gone.pk).update(state=Thread.State.RECYCLED)
    assert "删掉的主题" not in guest_client.get(f"/u/{member.pk}/").content.decode()


@pytest.mark.django_db
def test_missing_or_inactive_member_is_404(guest_client, user_factory):
    inactive = user_factory(is_active=False)
    assert guest_client.get("/u/424242/").status_code == 404
    assert guest_client.get(f"/u/{inactive.pk}/").status_code == 404


@pytest.mark.django_db
def test_profile_query_budget(guest_client, member, django_assert_num_queries):
    guest_client.get(f"/u/{member.pk}/")
    with django_assert_num_queries(3):
        assert guest_client.get(f"/u/{member.pk}/").status_code == 200
