import pytest

from fupan.accounts.models import UserGroup
from fupan.core.actions import do_update_site_settings


@pytest.mark.django_db
def test_member_sets_a_signature_that_shows_under_their_posts(
    member_client, member, guest_client, thread
):
    response = member_client.post("/settings/", {"signature": "[b]遂宁人[/b] 爱涪江"})
    assert response.status_code == 302
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert '<div class="sign"><strong>遂宁人</strong> 爱涪江</div>' in html


@pytest.mark.django_db
def test_signature_images_are_not_rendered(member_client, guest_client, thread):
    member_client.post("/settings/", {"signature": "[img]https://example.com/big.gif[/img]"})
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert 'src="https://example.com/big.gif"' not in html


@pytest.mark.django_db
def test_too_long_signature_is_refused_and_kept(member_client, member):
    text = "长" * 81  # 新手上路 allows 80
    response = member_client.post("/settings/", {"signature": text})
    assert response.status_code == 400 and text in response.content.decode()
    member.refresh_from_db()
    assert member.signature == ""


@pytest.mark.django_db
def test_groups_without_signatures_are_told_so(client_for, user_factory):
    banned = user_factory(group=UserGroup.BANNED_POST)
    response = client_for(banned).post("/settings/", {"signature": "x"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_site_may_hide_signatures(member_client, guest_client, thread):
    member_client.post("/settings/", {"signature": "签名档"})
    do_update_site_settings(acting_user=None, show_signatures=False)
    assert "签名档" not in guest_client.get(f"/t/{thread.pk}/").content.decode()


@pytest.mark.django_db
def test_settings_page_needs_login_and_previews(guest_client, member_client):
    assert guest_client.get("/settings/")["Location"].startswith("/login/")
    response = member_client.post("/settings/", {"signature": "[i]预览[/i]", "preview": "1"})
    assert "<i>预览</i>" in response.content.decode()
