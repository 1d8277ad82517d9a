"""Configuration, read only from environment variables (twelve-factor); tests pass a mapping instead."""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def from_environment() -> dict[str, object]:
    """The settings a deployment may change, with safe defaults for a single process."""
    return {
        # Only signs nothing personal today; a fixed value keeps instances interchangeable behind a balancer.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        "GUIDES_DIR": Path(os.environ.get("GUIDES_DIR", PROJECT_ROOT / "guides")),
        "TRANSLATIONS_DIR": Path(os.environ.get("TRANSLATIONS_DIR", PROJECT_ROOT / "translations")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "VARIANT_COOKIE_SECURE": os.environ.get("VARIANT_COOKIE_SECURE", "0") == "1",
        # The largest valid answers (a 100-row contact log of 200-character notes, URL-encoded) are ~200 KB.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 256 * 1024)),
        # Guide PDFs are rendered at start-up (once, in gunicorn's master with preload_app) unless this is 0.
        "PDF_PRERENDER": os.environ.get("PDF_PRERENDER", "1") == "1",
        "PDF_MAX_PAGES": int(os.environ.get("PDF_MAX_PAGES", 40)),
        "PDF_TIME_LIMIT": float(os.environ.get("PDF_TIME_LIMIT", 20)),
        "PDF_MAX_CONCURRENT": int(os.environ.get("PDF_MAX_CONCURRENT", 2)),
        "PDF_QUEUE_TIMEOUT": float(os.environ.get("PDF_QUEUE_TIMEOUT", 10)),
        # Render each PDF in a forked child: memory returns when it exits, and an overrun is killed.
        "PDF_ISOLATE": os.environ.get("PDF_ISOLATE", "1") == "1",
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") == "1",
        # Strict-Transport-Security max-age, sent only on HTTPS requests; 0 turns it off.
        "HSTS_SECONDS": int(os.environ.get("HSTS_SECONDS", 365 * 24 * 3600)),
        # How many reverse proxies (load balancer, CDN) stand in front: their X-Forwarded-* headers are trusted.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        # Where "quick exit" on the situation form goes: somewhere ordinary-looking, replacing our page.
        "QUICK_EXIT_URL": os.environ.get("QUICK_EXIT_URL", "https://www.baidu.com/"),
    }
