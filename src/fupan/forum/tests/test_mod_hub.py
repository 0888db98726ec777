import pytest

from fupan.core.actions import do_update_site_settings
from fupan.forum.models import Thread


@pytest.mark.django_db
def test_the_hub_counts_what_waits_for_the_moderator(
    moderator_client, member_client, board, thread
):
    do_update_site_settings(acting_user=None, review_first_posts=100)
    member_client.post(f"/t/{thread.pk}/reply/", {"body": "待审核"})
    response = moderator_client.get("/mod/")
    assert response.status_code == 200 and response.context["counts"]["review"] == 1
    assert 'href="/mod/"' in moderator_client.get("/").content.decode()


@pytest.mark.django_db
def test_members_cannot_open_the_hub_or_the_recycle_bin(member_client, guest_client):
    for url in ("/mod/", "/mod/recycle-bin/"):
        assert member_client.get(url).status_code == 403
        assert guest_client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_recycle_bin_lists_deleted_threads_to_restore(moderator_client, thread):
    moderator_client.post(f"/t/{thread.pk}/moderate/", {"action": "delete", "reason": "测试"})
    html = moderator_client.get("/mod/recycle-bin/").content.decode()
    assert "测试主题" in html
    moderator_client.post(f"/t/{thread.pk}/moderate/", {"action": "restore"})
    assert Thread.objects.get(pk=thread.pk).state == Thread.State.VISIBLE
    assert "测试主题" not in moderator_client.get("/mod/recycle-bin/").content.decode()
