"""Static URLs: hashed names from the manifest (worked out once per name), plain names for files
the manifest does not list."""

from __future__ import annotations

from fupan.core.storage import StaticFilesStorage


def test_hashed_urls_from_the_manifest_and_plain_ones_otherwise(tmp_path) -> None:
    storage = StaticFilesStorage(location=str(tmp_path), base_url="/static/")
    storage.hashed_files = {"fupan/site.css": "fupan/site.0123abcd.css"}
    assert storage.url("fupan/site.css") == "/static/fupan/site.0123abcd.css"
    assert storage.url("fupan/site.css") == "/static/fupan/site.0123abcd.css"
    assert storage.url("fupan/new.js") == "/static/fupan/new.js"
    # A file collected later gets its hashed name: the plain answer was not kept.
    storage.hashed_files["fupan/new.js"] = "fupan/new.99.js"
    assert storage.url("fupan/new.js") == "/static/fupan/new.99.js"
