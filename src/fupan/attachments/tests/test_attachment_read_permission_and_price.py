"""阅读权限 and 售价 per attachment (Discuz ``readperm``/``price``): a member below the read
permission gets a message instead of the file; a priced file is not served before it is bought
(once), the price going from the buyer to the uploader."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fupan.accounts.credits import do_change_credits
from fupan.attachments.models import Attachment, AttachmentPurchase
from fupan.attachments.tests.conftest import image_bytes
from fupan.forum.models import Thread


@pytest.fixture
def posted(member_client, board):
    img = member_client.post(
        "/attachments/upload/",
        {"board": board.pk, "file": SimpleUploadedFile("a.jpg", image_bytes())},
    ).json()["id"]
    doc = member_client.post(
        "/attachments/upload/",
        {"board": board.pk, "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4")},
    ).json()["id"]
    member_client.post(
        f"/f/{board.pk}/new/",
        {"title": "附件", "body": f"正文 [attach]{img}[/attach]", "attachments": [img, doc]},
    )
    return Thread.objects.get(), img, doc


def _set(aid, **fields):
    Attachment.objects.filter(pk=aid).update(**fields)


@pytest.mark.django_db
def test_a_member_below_the_read_permission_sees_a_message_instead_of_the_file(
    posted, other_member_client, member_client, moderator_client
):
    thread, _img, doc = posted
    _set(doc, read_access=50)  # 新手上路 has read access 10
    response = other_member_client.get(f"/attachments/{doc}/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "50" in text and "新手上路" in text
    page = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert "attach-locked" in page and f'href="/attachments/{doc}/"' not in page
    # The uploader and the board's moderator get it.
    assert member_client.get(f"/attachments/{doc}/").status_code == 200
    assert moderator_client.get(f"/attachments/{doc}/").status_code == 200


@pytest.mark.django_db
def test_an_image_below_the_read_permission_shows_neither_image_nor_thumbnail(
    posted, other_member_client
):
    thread, img, _doc = posted
    _set(img, read_access=90)
    assert other_member_client.get(f"/attachments/{img}/").status_code == 403
    assert other_member_client.get(f"/attachments/{img}/thumb/").status_code == 403
    page = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert f'src="/attachments/{img}/"' not in page and "attach-locked" in page


@pytest.mark.django_db
def test_a_priced_attachment_is_not_served_free(posted, other_member_client, guest_client):
    thread, img, doc = posted
    _set(doc, price=3)
    _set(img, price=2)
    response = other_member_client.get(f"/attachments/{doc}/")
    assert response.status_code == 302 and response["Location"] == f"/attachments/{doc}/buy/"
    assert other_member_client.get(f"/attachments/{img}/").status_code == 302
    assert other_member_client.get(f"/attachments/{img}/thumb/").status_code == 403
    page = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert f"/attachments/{doc}/buy/" in page and f"/attachments/{img}/buy/" in page
    assert f'src="/attachments/{img}/"' not in page
    assert Attachment.objects.get(pk=doc).downloads == 0


@pytest.mark.django_db
def test_buying_charges_the_buyer_pays_the_uploader_and_serves_the_file(
    posted, other_member, other_member_client, member, django_assert_num_queries
):
    _thread, _img, doc = posted
    _set(doc, price=3)
    do_change_credits(other_member, acting_user=None, deltas={2: 10}, reason="admin")
    member.refresh_from_db()
    seller_before = member.extcredits2
    with django_assert_num_queries(3):  # session+member, the attachment, the purchase
        page = other_member_client.get(f"/attachments/{doc}/buy/").content.decode()
    assert "b.pdf" in page and "3" in page and "csrfmiddlewaretoken" in page
    response = other_member_client.post(f"/attachments/{doc}/buy/")
    assert response.status_code == 302 and response["Location"] == f"/attachments/{doc}/buy/"
    other_member.refresh_from_db()
    member.refresh_from_db()
    assert other_member.extcredits2 == 7 and member.extcredits2 == seller_before + 3
    assert AttachmentPurchase.objects.filter(attachment_id=doc, user=other_member).count() == 1
    assert other_member.credit_ledger.filter(reason="buy_attachment").count() == 1
    download = other_member_client.get(f"/attachments/{doc}/")
    assert download.status_code == 200
    # Bought once, got forever: a second purchase charges nothing.
    other_member_client.post(f"/attachments/{doc}/buy/")
    other_member.refresh_from_db()
    assert other_member.extcredits2 == 7
    page = other_member_client.get(f"/attachments/{doc}/buy/").content.decode()
    assert f'href="/attachments/{doc}/"' in page


@pytest.mark.django_db
def test_buying_without_enough_credits_is_refused_and_changes_nothing(
    posted, other_member, other_member_client
):
    _thread, _img, doc = posted
    _set(doc, price=30000)
    response = other_member_client.post(f"/attachments/{doc}/buy/")
    assert response.status_code == 409  # INSUFFICIENT_CREDITS
    assert 'role="alert"' in response.content.decode()
    assert not AttachmentPurchase.objects.exists()
    assert other_member_client.get(f"/attachments/{doc}/").status_code == 302


@pytest.mark.django_db
def test_buying_by_htmx_swaps_the_box(posted, other_member, other_member_client):
    _thread, _img, doc = posted
    _set(doc, price=1)
    do_change_credits(other_member, acting_user=None, deltas={2: 5}, reason="admin")
    response = other_member_client.post(f"/attachments/{doc}/buy/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="attach-buy"' in html
    assert "<html" not in html and f'href="/attachments/{doc}/"' in html


@pytest.mark.django_db
def test_buying_needs_a_login_a_token_and_a_visible_attachment(posted, guest_client, other_member):
    _thread, _img, doc = posted
    _set(doc, price=1)
    page = guest_client.get(f"/attachments/{doc}/buy/")
    assert page.status_code == 200 and "/login/?next=" in page.content.decode()
    response = guest_client.post(f"/attachments/{doc}/buy/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(other_member)
    assert strict.post(f"/attachments/{doc}/buy/").status_code == 403
    assert not AttachmentPurchase.objects.exists()
    assert guest_client.get("/attachments/999999/buy/").status_code == 404
    Thread.objects.update(state=Thread.State.RECYCLED)
    assert guest_client.get(f"/attachments/{doc}/buy/").status_code == 404


@pytest.mark.django_db
def test_a_free_attachment_cannot_be_bought(posted, other_member_client):
    _thread, _img, doc = posted
    response = other_member_client.post(f"/attachments/{doc}/buy/")
    assert response.status_code == 403
    assert not AttachmentPurchase.objects.exists()


@pytest.mark.django_db
def test_a_price_ends_after_the_sites_selling_hours(posted, other_member_client, other_member):
    """Discuz's 最高出售时限 (``maxchargespan``): hours after the upload, the file is free."""
    from datetime import timedelta

    from django.utils import timezone

    from fupan.core.actions import do_update_site_settings

    thread, _img, doc = posted
    _set(doc, price=3, created_at=timezone.now() - timedelta(hours=30))
    do_update_site_settings(acting_user=None, max_charge_hours=48)
    assert other_member_client.get(f"/attachments/{doc}/").status_code == 302  # still for sale
    do_update_site_settings(acting_user=None, max_charge_hours=24)
    download = other_member_client.get(f"/attachments/{doc}/")
    assert download.status_code == 200
    page = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert f"/attachments/{doc}/buy/" not in page
    assert "免费" in other_member_client.get(f"/attachments/{doc}/buy/").content.decode()
    # Nothing to buy: no credits move.
    assert other_member_client.post(f"/attachments/{doc}/buy/").status_code == 403
    assert not AttachmentPurchase.objects.exists()
    # 0: no limit.
    do_update_site_settings(acting_user=None, max_charge_hours=0)
    assert other_member_client.get(f"/attachments/{doc}/").status_code == 302
