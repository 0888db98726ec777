from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("fupan.forum.urls")),
    path("", include("fupan.accounts.urls")),
    path("", include("fupan.core.urls")),
    path("attachments/", include("fupan.attachments.urls")),
    path("", include("fupan.moderation.urls")),
    path("", include("fupan.items.urls")),
    path("", include("fupan.inbox.urls")),
    path("", include("fupan.search.urls")),
    path("", include("fupan.pm.urls")),
    path("", include("fupan.importers.discuz.urls")),
    path("admin/", admin.site.urls),
]

if settings.FUPAN_BENCH:  # `fupan bench http` measures pages against this bare view
    from fupan.bench.views import bare_view

    urlpatterns.append(path("_bench/bare/", bare_view))

handler400 = "fupan.core.views.bad_request"
handler403 = "fupan.core.views.permission_denied"
handler404 = "fupan.core.views.page_not_found"
handler500 = "fupan.core.views.server_error"
