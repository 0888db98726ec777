import pytest

from fupan.pm.models import Conversation


@pytest.mark.django_db
def test_list_shows_newest_activity_first_with_the_other_member_and_excerpt(
    member_client, user_factory, client_for, send
):
    a, b = user_factory("老朋友"), user_factory("新朋友")
    send(member_client, a.username, "很久以前的话")
    send(member_client, b.username, "刚说的话")
    html = member_client.get("/pm/").content.decode()
    assert html.index("新朋友") < html.index("老朋友")
    assert "刚说的话" in html and "很久以前的话" in html
    # A reply from the old friend moves that conversation up, marked unread.
    old = Conversation.objects.get(last_excerpt="很久以前的话")
    client_for(a).post(f"/pm/{old.pk}/", {"body": "我回来了"})
    html = member_client.get("/pm/").content.decode()
    assert html.index("老朋友") < html.index("新朋友")
    assert f'class="pm-row pm-new" id="pm-row-{old.pk}"' in html


@pytest.mark.django_db
def test_empty_list_offers_to_write(member_client):
    html = member_client.get("/pm/").content.decode()
    assert 'class="empty"' in html and 'href="/pm/new/"' in html


@pytest.mark.django_db
def test_list_is_paginated_and_has_an_htmx_twin(
    member_client, user_factory, send, htmx_headers, monkeypatch
):
    for i in range(3):
        send(member_client, user_factory(f"朋友{i}").username, f"第{i}条")
    monkeypatch.setattr("fupan.pm.queries.CONVERSATIONS_PER_PAGE", 2)
    from fupan.pm import queries

    monkeypatch.setattr(queries.fetch_conversations, "__kwdefaults__", {"per_page": 2})
    html = member_client.get("/pm/?page=2").content.decode()
    assert "第0条" in html and "第2条" not in html
    html = member_client.get("/pm/?page=2", **htmx_headers).content.decode()
    assert html.lstrip().startswith('<div id="pm-list">') and "第0条" in html


@pytest.mark.django_db
def test_list_page_budget(member_client, user_factory, send, django_assert_num_queries):
    for i in range(3):
        send(member_client, user_factory(f"人{i}").username, "嗨")
    member_client.get("/pm/")  # warm caches (site settings)
    with django_assert_num_queries(4):  # member, count, page, the other members
        assert member_client.get("/pm/").status_code == 200
