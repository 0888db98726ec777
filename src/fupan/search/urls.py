from django.urls import path

from fupan.search import views

app_name = "search"
urlpatterns = [
    path("search/", views.search_view, name="search"),
    path("api/v1/search/", views.search_api_view, name="api"),
]
