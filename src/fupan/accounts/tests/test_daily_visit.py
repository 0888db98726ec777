import pytest
from django.core.cache import cache

from fupan.accounts.middleware import VISIT_DAY_SESSION_KEY
from fupan.accounts.models import CreditLedger, User


def _new_day(client):
    """Forget that the member was seen today: the cache's mark and the session's."""
    cache.clear()
    session = client.session
    session.pop(VISIT_DAY_SESSION_KEY, None)
    session.save()


@pytest.mark.django_db
def test_the_first_visit_of_the_day_pays_once_and_records_the_visit(member_client, member):
    _new_day(member_client)  # the client fixture marks the member as seen today
    member_client.get("/")
    member_client.get("/")
    fresh = User.objects.get(pk=member.pk)
    assert fresh.extcredits2 == 2 and fresh.last_visit is not None
    assert CreditLedger.objects.filter(user=member, reason="rule:daylogin").count() == 1
    _new_day(member_client)  # another worker, or the cache emptied: the rule's own daily cap holds
    member_client.get("/")
    assert User.objects.get(pk=member.pk).extcredits2 == 2


@pytest.mark.django_db
def test_a_second_session_the_same_day_records_nothing_more(member, member_client):
    from fupan.testing.plugin import _client_for

    _new_day(member_client)
    member_client.get("/")
    seen = User.objects.get(pk=member.pk).last_visit
    other = _client_for(None)  # the member's phone: a session of its own, not yet marked
    other.force_login(member, backend="fupan.accounts.backends.UsernameOrEmailBackend")
    other.get("/")
    assert User.objects.get(pk=member.pk).last_visit == seen
    assert CreditLedger.objects.filter(user=member, reason="rule:daylogin").count() == 1


@pytest.mark.django_db
def test_later_requests_that_day_are_answered_from_the_session(member_client, member):
    _new_day(member_client)
    member_client.get("/")
    cache.clear()  # the day's mark is gone from the cache; the session still has it
    with_session = User.objects.get(pk=member.pk).last_visit
    member_client.get("/")
    assert User.objects.get(pk=member.pk).last_visit == with_session
    assert member_client.session[VISIT_DAY_SESSION_KEY]


@pytest.mark.django_db
def test_guests_record_nothing(guest_client):
    guest_client.get("/")
    assert not CreditLedger.objects.exists()
