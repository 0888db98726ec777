from django.urls import path

from fupan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register_view, name="register"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("u/<int:user_id>/", views.profile_view, name="profile"),
]
