"""Compressed pages: zstd, brotli or gzip, whichever the browser accepts (django-compression-middleware).

Static files are compressed once by ``collectstatic`` (WhiteNoise) and attachments are mostly
images, so only text responses built by views are compressed here, never streamed files.
"""

from __future__ import annotations

from compression_middleware.middleware import CompressionMiddleware as _Compression
from django.http import HttpRequest, HttpResponseBase

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "image/svg+xml",
)


class CompressionMiddleware(_Compression):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.streaming or not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)  # type: ignore[no-any-return]


def negotiated_encoding(request: HttpRequest) -> str:
    """The encoding the middleware will choose for ``request`` ("" for none)."""
    from compression_middleware.middleware import compressor

    encoding, _compress, _stream = compressor(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    return encoding or ""
