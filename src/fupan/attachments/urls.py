from django.urls import path

from fupan.attachments import views

app_name = "attachments"
urlpatterns = [
    path("upload/", views.upload_view, name="upload"),
    path("<int:attachment_id>/", views.file_view, name="file"),
    path("<int:attachment_id>/thumb/", views.thumb_view, name="thumb"),
    path("<int:attachment_id>/buy/", views.buy_view, name="buy"),
]
