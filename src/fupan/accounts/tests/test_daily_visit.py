import pytest
from django.core.cache import cache

from fupan.accounts.models import CreditLedger, User


@pytest.mark.django_db
def test_the_first_visit_of_the_day_pays_once_and_records_the_visit(member_client, member):
    cache.clear()  # the client fixture marks the member as seen today; start the day afresh
    member_client.get("/")
    member_client.get("/")
    fresh = User.objects.get(pk=member.pk)
    assert fresh.extcredits2 == 2 and fresh.last_visit is not None
    assert CreditLedger.objects.filter(user=member, reason="rule:daylogin").count() == 1
    cache.clear()  # another worker, or the cache emptied: the rule's own daily cap still holds
    member_client.get("/")
    assert User.objects.get(pk=member.pk).extcredits2 == 2


@pytest.mark.django_db
def test_guests_record_nothing(guest_client):
    guest_client.get("/")
    assert not CreditLedger.objects.exists()
