from django.urls import path

from fupan.accounts import password_views, settings_views, views

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
    path("u/<int:user_id>/credits/", views.credit_log_view, name="credit_log"),
]
