from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage as PlainStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files (cached far-future) once ``collectstatic`` has run
    (``fupan serve`` and ``fupan demo`` run it); plain names before that, so a page never fails
    for want of a manifest entry."""

    manifest_strict = False

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # A page asks for the same few files on every request (stylesheet, script, the default
        # avatar per post): each URL is worked out from the manifest once.
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if not force and name is not None:
            found = self._urls.get(name)
            if found is not None:
                return found
        try:
            result = super().url(name, force)
        except ValueError:
            return PlainStorage.url(self, name)
        if not force and name is not None and name in self.hashed_files:
            self._urls[name] = result
        return result
