from django.urls import path, re_path

from fupan.accounts import ban_views, password_views, settings_views, views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register_view, name="register"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("settings/", settings_views.settings_view, name="settings"),
    path("password/change/", password_views.password_change_view, name="password_change"),
    path("password/reset/", password_views.password_reset_view, name="password_reset"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        password_views.password_reset_confirm_view,
        name="password_reset_confirm",
    ),
    path("u/<int:user_id>/", views.profile_view, name="profile"),
    path("u/<int:user_id>/avatar/<str:size>/", views.avatar_view, name="avatar"),
    re_path(
        r"^u/(?P<user_id>[0-9]+)/(?P<kind>threads|replies)/$",
        views.member_posts_view,
        name="member_posts",
    ),
    path("u/<int:user_id>/ban/", ban_views.ban_user_view, name="ban"),
    path("u/<int:user_id>/unban/", ban_views.unban_user_view, name="unban"),
    path("mod/ip-bans/", ban_views.ip_bans_view, name="ip_bans"),
    path("mod/ip-bans/<int:ban_id>/lift/", ban_views.lift_ip_ban_view, name="lift_ip_ban"),
    path("u/<int:user_id>/credits/", views.credit_log_view, name="credit_log"),
]
