from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage as PlainStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files (cached far-future) once ``collectstatic`` has run
    (``fupan serve`` and ``fupan demo`` run it); plain names before that, so a page never fails
    for want of a manifest entry."""

    manifest_strict = False

    def url(self, name: str | None, force: bool = False) -> str:
        try:
            return super().url(name, force)
        except ValueError:
            return PlainStorage.url(self, name)
