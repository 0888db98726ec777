"""顶/踩 a thread (Discuz's thread recommend): a count on the first post, one vote per member,
by htmx or a plain form, never on one's own thread."""

import pytest
from django.test import Client

from fupan.core.actions import do_update_site_settings
from fupan.forum.models import Thread, ThreadRecommend


def _counts(thread):
    thread.refresh_from_db()
    return thread.recommend_add, thread.recommend_sub


@pytest.mark.django_db
def test_member_recommends_a_thread_and_sees_the_count(
    other_member_client, thread, django_assert_num_queries
):
    page = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert f'id="recommend_{thread.pk}"' in page and 'value="add"' in page
    with django_assert_num_queries(7):  # session, member, thread, savepoint, insert, count, reread
        response = other_member_client.post(f"/t/{thread.pk}/recommend/", {"value": "add"})
    assert response.status_code == 302 and response["Location"] == f"/t/{thread.pk}/"
    assert _counts(thread) == (1, 0)
    assert ThreadRecommend.objects.get().value == 1
    page = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert '<span class="n">1</span>' in page


@pytest.mark.django_db
def test_recommend_htmx_twin_returns_the_counts(other_member_client, thread, htmx_headers):
    response = other_member_client.post(
        f"/t/{thread.pk}/recommend/", {"value": "subtract"}, **htmx_headers
    )
    html = response.content.decode()
    assert response.status_code == 200 and f'id="recommend_{thread.pk}"' in html
    assert "<form" not in html and "<html" not in html
    assert 'class="rec rec-sub voted"' in html and _counts(thread) == (0, 1)


@pytest.mark.django_db
def test_a_member_rates_a_thread_once(other_member_client, thread, htmx_headers):
    other_member_client.post(f"/t/{thread.pk}/recommend/", {"value": "add"})
    response = other_member_client.post(
        f"/t/{thread.pk}/recommend/", {"value": "subtract"}, **htmx_headers
    )
    assert response.status_code == 409 and 'role="alert"' in response.content.decode()
    assert _counts(thread) == (1, 0) and ThreadRecommend.objects.count() == 1


@pytest.mark.django_db
def test_rating_your_own_thread_is_refused(member_client, thread):
    response = member_client.post(f"/t/{thread.pk}/recommend/", {"value": "add"})
    assert response.status_code == 302
    assert _counts(thread) == (0, 0) and not ThreadRecommend.objects.exists()
    page = member_client.get(f"/t/{thread.pk}/").content.decode()
    assert 'value="add"' not in page  # no buttons for the author, the counts only


@pytest.mark.django_db
def test_guest_goes_to_login_and_changes_nothing(guest_client, thread):
    page = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert f'id="recommend_{thread.pk}"' in page and "/login/?next=" in page
    response = guest_client.post(f"/t/{thread.pk}/recommend/", {"value": "add"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert _counts(thread) == (0, 0)


@pytest.mark.django_db
def test_recommend_needs_a_token_a_known_value_and_a_visible_thread(
    other_member, other_member_client, thread
):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(other_member)
    assert strict.post(f"/t/{thread.pk}/recommend/", {"value": "add"}).status_code == 403
    response = other_member_client.post(f"/t/{thread.pk}/recommend/", {"value": "lots"})
    assert response.status_code == 302 and _counts(thread) == (0, 0)
    assert other_member_client.get(f"/t/{thread.pk}/recommend/").status_code == 405
    assert other_member_client.post("/t/999999/recommend/", {"value": "add"}).status_code == 404
    Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
    assert (
        other_member_client.post(f"/t/{thread.pk}/recommend/", {"value": "add"}).status_code == 404
    )
    assert not ThreadRecommend.objects.exists()


@pytest.mark.django_db
def test_no_buttons_and_no_votes_when_the_site_turns_votes_off(other_member_client, thread):
    do_update_site_settings(acting_user=None, votes_enabled=False)
    page = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert f'id="recommend_{thread.pk}"' not in page
    other_member_client.post(f"/t/{thread.pk}/recommend/", {"value": "add"})
    assert _counts(thread) == (0, 0)


@pytest.mark.django_db
def test_after_voting_the_thread_page_shows_the_members_own_side(other_member_client, thread):
    other_member_client.post(f"/t/{thread.pk}/recommend/", {"value": "subtract"})
    page = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert 'value="subtract"' not in page  # no second vote offered
    assert 'class="rec rec-sub voted"' in page and 'class="rec rec-add"' in page


@pytest.mark.django_db
def test_an_imported_vote_without_a_direction_still_counts_as_voted(
    other_member_client, other_member, thread
):
    # Discuz keeps who recommended, not which way (value 0 on import).
    ThreadRecommend.objects.create(
        thread=thread, user=other_member, value=ThreadRecommend.Value.IMPORTED
    )
    page = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert f'id="recommend_{thread.pk}"' in page and 'value="add"' not in page
    assert " voted" not in page.split(f'id="recommend_{thread.pk}"')[1].split("</span>\n</span>")[0]
