import pytest

from fupan.core.site import get_site_settings


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/forum/board/",
        "/admin/forum/board/add/",
        "/admin/forum/thread/",
        "/admin/forum/post/",
        "/admin/accounts/user/",
        "/admin/accounts/usergroup/",
        "/admin/attachments/attachment/",
    ],
)
def test_admin_pages_open_for_administrators(admin_client, thread, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.django_db
def test_members_cannot_open_the_admin(member_client):
    assert member_client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_site_settings_edited_in_the_admin_take_effect_at_once(admin_client, guest_client):
    response = admin_client.get("/admin/core/sitesettings/")
    assert response.status_code == 302
    change_url = response["Location"]
    form = admin_client.get(change_url).context["adminform"].form
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data = {
        k: ("on" if v is True else "" if v is False or v is None else v) for k, v in data.items()
    }
    data.update(
        {
            "site_name": "涪畔生活",
            "icp": "渝ICP备14010238号-7",
            "post_footer_notice": "欢迎使用本站",
        }
    )
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert get_site_settings().site_name == "涪畔生活"
    assert "渝ICP备14010238号-7" in guest_client.get("/").content.decode()
