from django.urls import path

from fupan.core import views

app_name = "core"
urlpatterns = [
    path("about/", views.about_view, name="about"),
    path("lang/<str:code>/", views.language_view, name="language"),
]
