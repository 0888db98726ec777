from django.urls import path

from fupan.core import views

app_name = "core"
urlpatterns = [
    path("about/", views.about_view, name="about"),
    path("lang/<str:code>/", views.language_view, name="language"),
    path("prefs/no-images/", views.no_images_view, name="no_images"),
    path("prefs/mobile/", views.layout_view, name="layout"),
    path("app/", views.app_view, name="app"),
    path("captcha/<str:token>.png", views.captcha_image_view, name="captcha"),
]
