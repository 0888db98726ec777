"""A member's credit history page: balances, total and the ledger, for the member and admins."""

from fupan.accounts.credits import REASON_ADMIN, apply_credit_rule, do_change_credits
from fupan.accounts.default_credit_rules import ensure_default_credit_rules


def test_members_see_their_balances_total_and_history(member_client, member, admin_user, board):
    ensure_default_credit_rules()
    do_change_credits(
        member, acting_user=admin_user, deltas={1: 3}, reason=REASON_ADMIN, text="版聚"
    )
    apply_credit_rule(member, "post", board=board)
    response = member_client.get(f"/u/{member.pk}/credits/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "威望" in html and "金钱" in html and "贡献" in html
    assert f"<strong>{member.credits}</strong>" in html and member.credits == 3 * 2 + 2
    assert "发表主题" in html and "版聚" in html and "+2" in html and "+3" in html
    labels = [e.label for e in response.context["entries"]]
    assert labels[0] == "发表主题"  # newest first


def test_the_history_is_paged(member_client, member):
    for i in range(25):
        do_change_credits(
            member, acting_user=None, deltas={2: 1}, reason=REASON_ADMIN, text=f"#{i}"
        )
    first = member_client.get(f"/u/{member.pk}/credits/")
    second = member_client.get(f"/u/{member.pk}/credits/?page=2")
    assert len(first.context["entries"]) == 20 and len(second.context["entries"]) == 5
    assert first.context["pager"].pages == 2


def test_other_members_may_not_see_it(other_member_client, member):
    response = other_member_client.get(f"/u/{member.pk}/credits/")
    assert response.status_code == 403


def test_administrators_may_see_it(admin_client, member):
    do_change_credits(member, acting_user=None, deltas={2: 7}, reason=REASON_ADMIN)
    response = admin_client.get(f"/u/{member.pk}/credits/")
    assert response.status_code == 200 and response.context["member"].pk == member.pk


def test_guests_are_sent_to_log_in(guest_client, member):
    response = guest_client.get(f"/u/{member.pk}/credits/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_a_missing_member_is_404(admin_client):
    assert admin_client.get("/u/999999/credits/").status_code == 404


def test_the_htmx_twin_answers_a_fragment(member_client, member, htmx_headers):
    response = member_client.get(f"/u/{member.pk}/credits/", **htmx_headers)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert 'id="credit-log"' in response.content.decode()


def test_credit_log_query_budget(member_client, member, django_assert_num_queries):
    do_change_credits(member, acting_user=None, deltas={2: 7}, reason=REASON_ADMIN)
    member_client.get(f"/u/{member.pk}/credits/")
    with django_assert_num_queries(3):  # member (session cached), ledger count, ledger page
        assert member_client.get(f"/u/{member.pk}/credits/").status_code == 200
