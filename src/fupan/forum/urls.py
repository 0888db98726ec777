from django.urls import path

from fupan.forum import views
from fupan.forum.views import moderation

app_name = "forum"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("f/<int:board_id>/", views.board_view, name="board"),
    path("f/<int:board_id>/new/", views.new_thread_view, name="new_thread"),
    path("t/<int:thread_id>/", views.thread_view, name="thread"),
    path("t/<int:thread_id>/read/", views.reading_view, name="reading"),
    path("t/<int:thread_id>/reply/", views.reply_view, name="reply"),
    path("t/<int:thread_id>/<int:floor>/", views.floor_redirect_view, name="floor"),
    path("p/<int:post_id>/", views.post_redirect_view, name="post"),
    path("p/<int:post_id>/edit/", views.edit_post_view, name="edit_post"),
    path("p/<int:post_id>/delete/", views.delete_post_view, name="delete_post"),
    path("p/<int:post_id>/vote/", views.vote_post_view, name="vote_post"),
    path("t/<int:thread_id>/recommend/", views.recommend_thread_view, name="recommend_thread"),
    path("preview/", views.preview_view, name="preview"),
    path("t/<int:thread_id>/moderate/", moderation.moderate_thread_view, name="moderate_thread"),
    path("t/<int:thread_id>/split/", moderation.split_thread_view, name="split_thread"),
    path("p/<int:post_id>/moderate/", moderation.moderate_post_view, name="moderate_post"),
    path("p/<int:post_id>/review/", moderation.review_post_view, name="review_post"),
    path("mod/review/", moderation.review_queue_view, name="review_queue"),
    path("mod/", moderation.mod_hub_view, name="mod_hub"),
    path("mod/recycle-bin/", moderation.recycle_bin_view, name="recycle_bin"),
]
