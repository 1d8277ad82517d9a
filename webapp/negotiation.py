"""Which variant a request gets: the cookie, the browser's languages, the `<variant:v>` URL converter."""

from flask import g, request
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from werkzeug.routing import BaseConverter

from webapp.variants import COOKIE, DEFAULT, VARIANTS, Variant, script_of


def from_accept_language(header: str | None) -> Variant | None:
    """The reader's most preferred Chinese, judged on its own; later plain `zh` fallbacks do not outvote it.

    Werkzeug's best_match would pick zh_Hans for `zh-TW,zh;q=0.9` (it matches the plain `zh` fallback against
    both of ours and then prefers the first): this walks the reader's list in order of quality instead.
    """
    if not header:
        return None
    for tag, quality in parse_accept_header(header, LanguageAccept):
        if quality <= 0:
            continue
        variant = script_of(tag)
        if variant is not None:
            return variant
    return None


def negotiate(cookie: str | None, accept_language: str | None) -> Variant:
    """The cookie the reader set by choosing, then the browser's languages, else Simplified."""
    if cookie in VARIANTS:
        return VARIANTS[cookie]
    return from_accept_language(accept_language) or DEFAULT


def current_variant() -> Variant:
    """The variant in the URL (even one no route matched); else the reader's negotiated one."""
    variant: Variant | None = g.get("variant") or VARIANTS.get(request.path.split("/")[1])
    if variant is None:
        variant = negotiate(request.cookies.get(COOKIE), request.headers.get("Accept-Language"))
    return variant


class VariantConverter(BaseConverter):
    """`/<variant:v>/...`: only our two codes match, so any other prefix is an ordinary 404."""

    regex = "|".join(VARIANTS)

    def to_python(self, value: str) -> Variant:
        return VARIANTS[value]

    def to_url(self, value: Variant | str) -> str:
        return str(value)
