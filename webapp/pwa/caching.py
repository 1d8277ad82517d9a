"""Cache and compression headers that every response shares.

Pages are revalidated (ETag, `no-cache`), so a reader online always gets the current text; compressed text goes
out with brotli or gzip through Flask-Compress, which keeps strong ETags per encoding.
"""

from flask import Flask, request
from flask_compress import Compress
from werkzeug.wrappers import Response

COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
]


def revalidate_pages(response: Response) -> Response:
    if request.method in ("GET", "HEAD") and response.status_code == 200 and response.mimetype == "text/html":
        response.add_etag()
        response.cache_control.no_cache = True
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])  # not zstd: larger than br here
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # Brotli 6: the guide page is 14% smaller than at Flask-Compress's default 4, for under 1 ms more.
    app.config.setdefault("COMPRESS_BR_LEVEL", 6)
    # Registered after Compress, so it runs before it: the ETag is made from the uncompressed page.
    Compress(app)
    app.after_request(revalidate_pages)
