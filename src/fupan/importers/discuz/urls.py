"""The entry points of a Discuz! X3.5 site (FACTS.md §4), all answered by one redirect view.

An optional first folder (``bbs/forum.php``) covers forums that lived in a subdirectory.
"""

from django.urls import re_path

from fupan.importers.discuz import views

app_name = "discuz"
_FOLDER = r"^(?:[\w.-]+/)?"
urlpatterns = [
    re_path(
        _FOLDER + r"(?:forum|home|member|search|misc|portal|index)\.php\Z",
        views.legacy_redirect_view,
        name="script",
    ),
    re_path(
        _FOLDER + r"archiver/(?:index\.php|(?:tid|fid)-\d+\.html)?\Z",
        views.legacy_redirect_view,
        name="archiver",
    ),
    re_path(_FOLDER + r"[^/]+\.html\Z", views.legacy_redirect_view, name="rewrite"),
]
