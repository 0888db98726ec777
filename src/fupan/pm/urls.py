from django.urls import path

from fupan.pm import views

app_name = "pm"
urlpatterns = [
    path("pm/", views.list_view, name="list"),
    path("pm/new/", views.new_view, name="new"),
    path("pm/blocked/", views.blocked_view, name="blocked"),
    path("pm/<int:conversation_id>/", views.conversation_view, name="conversation"),
    path("pm/<int:conversation_id>/leave/", views.leave_view, name="leave"),
]
