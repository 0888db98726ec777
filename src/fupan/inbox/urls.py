from django.urls import path

from fupan.inbox import views

app_name = "inbox"
urlpatterns = [
    path("notifications/", views.notifications_view, name="notifications"),
    path(
        "notifications/<int:notification_id>/delete/",
        views.delete_notification_view,
        name="delete_notification",
    ),
    path("favorites/", views.favorites_view, name="favorites"),
    path("favorites/<int:favorite_id>/delete/", views.delete_favorite_view, name="delete_favorite"),
    path("following/", views.following_view, name="following"),
    path("following/<int:thread_id>/remove/", views.unfollow_view, name="unfollow"),
    path("t/<int:thread_id>/favorite/", views.favorite_thread_view, name="favorite_thread"),
    path("t/<int:thread_id>/follow/", views.follow_thread_view, name="follow_thread"),
    path("f/<int:board_id>/favorite/", views.favorite_board_view, name="favorite_board"),
]
