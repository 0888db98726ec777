"""Production serving: the WSGI server's settings, compressed pages, cached static files."""

import gzip

import brotli
import pytest

from fupan.cli import build_parser
from fupan.server import ServerOptions, gunicorn_settings


def test_gunicorn_uses_sync_workers_by_default_and_gthread_with_threads():
    sync = gunicorn_settings(ServerOptions(workers=3))
    assert sync["workers"] == 3 and sync["worker_class"] == "sync"
    assert sync["accesslog"] is None  # no per-request log line unless asked for
    threaded = gunicorn_settings(ServerOptions(workers=1, threads=4, access_log=True))
    assert threaded["worker_class"] == "gthread" and threaded["threads"] == 4
    assert threaded["accesslog"] == "-"
    assert sync["timeout"] == 30 and sync["max_requests"] > 0


def test_serve_accepts_the_production_flags():
    args = build_parser().parse_args(
        ["serve", "--workers", "4", "--threads", "2", "--server", "granian", "--access-log"]
    )
    assert (args.workers, args.threads, args.server, args.access_log) == (4, 2, "granian", True)


def test_ipv6_hosts_are_bracketed():
    assert ServerOptions(host="::1", port=8000).bind == "[::1]:8000"


@pytest.mark.django_db
def test_pages_are_sent_compressed_when_the_browser_accepts_it(client, thread):
    def is_the_page(html: bytes) -> bool:
        return thread.title.encode() in html and html.rstrip().endswith(b"</html>")

    br = client.get(f"/t/{thread.pk}/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert br["Content-Encoding"] == "br"
    assert "Accept-Encoding" in br["Vary"]
    assert is_the_page(brotli.decompress(br.content))
    gz = client.get(f"/t/{thread.pk}/", HTTP_ACCEPT_ENCODING="gzip")
    assert gz["Content-Encoding"] == "gzip" and is_the_page(gzip.decompress(gz.content))
    plain = client.get(f"/t/{thread.pk}/")
    assert not plain.has_header("Content-Encoding") and is_the_page(plain.content)
