from django.templatetags.static import static
from django.urls import path
from django.views.generic.base import RedirectView

from fupan.core import views

app_name = "core"
urlpatterns = [
    path("about/", views.about_view, name="about"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("fupan/favicon.svg"), permanent=True)),
    path("lang/<str:code>/", views.language_view, name="language"),
    path("prefs/no-images/", views.no_images_view, name="no_images"),
    path("prefs/mobile/", views.layout_view, name="layout"),
    path("app/", views.app_view, name="app"),
    path("captcha/<str:token>.png", views.captcha_image_view, name="captcha"),
]
