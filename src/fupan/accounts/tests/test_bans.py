"""Posting bans, visit bans and IP bans: who may give them, what they do, and that they end."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fupan.accounts.bans import do_ban_ip, do_ban_user, expire_bans
from fupan.accounts.models import Ban, User, UserGroup
from fupan.core.errors import FupanError
from fupan.forum.models import Thread


@pytest.mark.django_db
def test_a_moderator_bans_a_member_from_posting_with_a_reason(
    moderator_client, member, thread, client_for
):
    response = moderator_client.post(
        f"/u/{member.pk}/ban/", {"kind": "post", "days": "7", "reason": "连续灌水"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.group_id == UserGroup.BANNED_POST
    ban = Ban.objects.get(user=member)
    assert ban.reason == "连续灌水" and ban.expires_at > timezone.now() + timedelta(days=6)
    banned = client_for(member)
    refused = banned.post(f"/t/{thread.pk}/reply/", {"body": "我还想说"})
    assert refused.status_code == 403 and "我还想说" in refused.content.decode()
    assert banned.get(f"/t/{thread.pk}/").status_code == 200  # reading is still allowed
    assert "连续灌水" in moderator_client.get(f"/u/{member.pk}/").content.decode()


@pytest.mark.django_db
def test_a_ban_without_a_reason_is_refused(moderator_client, member):
    response = moderator_client.post(
        f"/u/{member.pk}/ban/", {"kind": "post", "days": "1", "reason": " "}
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.group_id == UserGroup.NEWBIE


@pytest.mark.django_db
def test_only_super_moderators_and_admins_ban_from_visiting(moderator_client, admin_client, member):
    moderator_client.post(f"/u/{member.pk}/ban/", {"kind": "visit", "days": "1", "reason": "广告"})
    member.refresh_from_db()
    assert member.group_id == UserGroup.NEWBIE
    admin_client.post(f"/u/{member.pk}/ban/", {"kind": "visit", "days": "0", "reason": "广告"})
    member.refresh_from_db()
    assert member.group_id == UserGroup.BANNED_VISIT
    assert Ban.objects.get(user=member, lifted_at__isnull=True).expires_at is None  # permanent


@pytest.mark.django_db
def test_members_guests_and_the_target_themselves_cannot_ban(
    member_client, guest_client, other_member, moderator, client_for
):
    assert (
        member_client.post(
            f"/u/{other_member.pk}/ban/", {"kind": "post", "days": "1", "reason": "x"}
        ).status_code
        == 403
    )
    assert guest_client.get(f"/u/{other_member.pk}/ban/").status_code == 403
    assert client_for(moderator).get(f"/u/{moderator.pk}/ban/").status_code == 403
    assert member_client.get("/u/424242/ban/").status_code == 404


@pytest.mark.django_db
def test_a_moderator_cannot_ban_an_administrator(moderator_client, admin_user):
    assert (
        moderator_client.post(
            f"/u/{admin_user.pk}/ban/", {"kind": "post", "days": "1", "reason": "x"}
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_lifting_returns_the_member_to_their_rank(moderator_client, member, moderator):
    User.objects.filter(pk=member.pk).update(credits=120)
    member.refresh_from_db()
    do_ban_user(member, acting_user=moderator, kind=Ban.Kind.POST, reason="测试")
    moderator_client.post(f"/u/{member.pk}/unban/")
    member.refresh_from_db()
    assert member.group_id == 11  # 注册会员: 50 ≤ 120 < 200
    assert Ban.objects.get(user=member).lifted_at is not None


@pytest.mark.django_db
def test_a_timed_ban_ends_by_itself_when_the_member_comes_back(
    member, moderator, client_for, thread
):
    ban = do_ban_user(
        member,
        acting_user=moderator,
        kind=Ban.Kind.POST,
        reason="冷静一下",
        until=timezone.now() + timedelta(hours=1),
    )
    Ban.objects.filter(pk=ban.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client_for(member).post(f"/t/{thread.pk}/reply/", {"body": "我回来了"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.group_id == UserGroup.NEWBIE


@pytest.mark.django_db
def test_expire_bans_lifts_every_ban_whose_time_is_up(member, other_member, moderator):
    do_ban_user(
        member,
        acting_user=moderator,
        kind=Ban.Kind.POST,
        reason="a",
        until=timezone.now() + timedelta(days=1),
    )
    do_ban_user(other_member, acting_user=moderator, kind=Ban.Kind.POST, reason="b")
    assert expire_bans(timezone.now() + timedelta(days=2)) == 1
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert member.group_id == UserGroup.NEWBIE and other_member.group_id == UserGroup.BANNED_POST


@pytest.mark.django_db
def test_a_ban_in_the_past_is_refused(member, moderator):
    with pytest.raises(FupanError):
        do_ban_user(
            member,
            acting_user=moderator,
            kind=Ban.Kind.POST,
            reason="x",
            until=timezone.now() - timedelta(days=1),
        )


@pytest.mark.django_db
def test_an_ip_ban_shuts_out_a_network(admin_client, guest_client, site):
    assert (
        admin_client.post(
            "/mod/ip-bans/", {"network": "127.0.0.0/8", "days": "1", "reason": "攻击"}
        ).status_code
        == 302
    )
    response = guest_client.get("/")
    assert response.status_code == 403 and "127.0.0.1" in response.content.decode()
    assert guest_client.get("/about/").status_code == 200
    ban = Ban.objects.get(kind=Ban.Kind.IP)
    assert (
        admin_client.get("/").status_code == 403
    )  # the admin's own address too: lift from the admin site
    ban.lifted_at = timezone.now()
    ban.save()
    from fupan.accounts.bans import purge_ip_bans

    purge_ip_bans()
    assert guest_client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_bad_ip_is_refused_with_how_to_write_it(admin_client, admin_user):
    response = admin_client.post("/mod/ip-bans/", {"network": "1.2.3", "reason": "x", "days": "0"})
    assert response.status_code == 400 and "1.2.3.0/24" in response.content.decode()
    with pytest.raises(FupanError):
        do_ban_ip("not-an-ip", acting_user=admin_user, reason="x")


@pytest.mark.django_db
def test_only_super_moderators_and_admins_see_ip_bans(moderator_client, admin_client):
    assert moderator_client.get("/mod/ip-bans/").status_code == 403
    assert admin_client.get("/mod/ip-bans/").status_code == 200


@pytest.mark.django_db
def test_banned_visitor_reaches_appeals_but_not_the_forum(
    member, client_for, moderator, admin_user, thread
):
    do_ban_user(member, acting_user=admin_user, kind=Ban.Kind.VISIT, reason="严重违规")
    client = client_for(member)
    assert client.get(f"/t/{thread.pk}/").status_code == 403
    assert client.get("/appeals/").status_code == 200
    assert Thread.objects.filter(pk=thread.pk).exists()


@pytest.mark.django_db
def test_a_banned_address_gets_no_page_from_the_guest_cache(admin_user, thread, site):
    from django.test import Client

    from fupan.accounts.bans import do_lift_ip_ban

    ban = do_ban_ip("10.9.0.0/16", acting_user=admin_user, reason="灌水机")
    neighbour = Client(REMOTE_ADDR="10.8.0.1")
    banned = Client(REMOTE_ADDR="10.9.0.7")
    # Another guest's visits put the page in the cache…
    assert neighbour.get(f"/t/{thread.pk}/").status_code == 200
    assert 'cache;desc="hit"' in neighbour.get(f"/t/{thread.pk}/")["Server-Timing"]
    # …which the banned address is not given.
    response = banned.get(f"/t/{thread.pk}/")
    assert response.status_code == 403 and "10.9.0.7" in response.content.decode()
    do_lift_ip_ban(ban, acting_user=admin_user)
    assert banned.get(f"/t/{thread.pk}/").status_code == 200
