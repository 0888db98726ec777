from django.urls import path

from fupan.items import views

app_name = "items"
urlpatterns = [
    path("items/", views.shop_view, name="shop"),
    path("items/use/<int:thread_id>/", views.use_item_view, name="use"),
    path("f/<int:board_id>/credits/", views.board_credits_view, name="board_credits"),
]
