"""The reader's pages: the root redirect, home, and the guides."""

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.wrappers import Response as BaseResponse

from webapp.content import Library
from webapp.negotiation import negotiate
from webapp.pdf.render import PdfRefused
from webapp.search import MAX_QUERY
from webapp.state import state
from webapp.variants import COOKIE, VARIANTS, Variant

bp = Blueprint("pages", __name__)

COOKIE_MAX_AGE = 365 * 24 * 3600


def library() -> Library:
    return state().library


@bp.app_url_value_preprocessor
def pull_variant(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and "v" in values:
        g.variant = values["v"]


@bp.after_app_request
def remember_variant(response: Response) -> Response:
    """Reading a page in a variant is choosing it: later visits to / return to it. Posting answers is not."""
    variant: Variant | None = g.get("variant")
    if (
        variant is not None
        and request.method == "GET"
        and response.status_code < 400
        and request.cookies.get(COOKIE) != variant.code
    ):
        response.set_cookie(
            COOKIE,
            variant.code,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=state().settings.VARIANT_COOKIE_SECURE,
        )
    return response


@bp.app_context_processor
def variant_links() -> dict[str, Any]:
    """The same page in each variant: the switch, and the hreflang alternates of a real page.

    An error page has no same page elsewhere, so its switch leads to the other variant's home; a page answering
    a POST (a summary) cannot be fetched again, so its switch leads to the form, which restores the answers.
    """
    variant: Variant | None = g.get("variant")
    alternates: dict[str, str] = {}
    switch: dict[str, str] = {}
    if variant is not None and has_request_context():
        if request.method != "GET" and (request.endpoint or "").startswith("situation."):
            switch = {other.tag: url_for("situation.form", v=other) for other in VARIANTS.values()}
        elif g.get("error") or not request.endpoint or request.view_args is None or request.method != "GET":
            switch = {other.tag: url_for("pages.home", v=other) for other in VARIANTS.values()}
        else:
            alternates = {
                other.tag: url_for(request.endpoint, **{**request.view_args, "v": other}) for other in VARIANTS.values()
            }
            switch = alternates
    return {"variant": variant, "alternates": alternates, "switch_links": switch}


@bp.get("/")
def root() -> BaseResponse:
    variant = negotiate(request.cookies.get(COOKIE), request.headers.get("Accept-Language"))
    response = redirect(url_for("pages.home", v=variant), code=302)
    response.headers["Vary"] = "Cookie, Accept-Language"
    return response


@bp.get("/<variant:v>/")
def home(v: Variant) -> str:
    hotlines = library().hotlines
    return render_template(
        "home.html",
        guides=library().all(v),
        situations=library().situations(v),
        crisis=hotlines.named(v, hotlines.crisis),
        letters=list(state().letters.for_variant(v).kinds.values()),
    )


@bp.get("/<variant:v>/no-trace")
def no_trace(v: Variant) -> str:
    """Leave no trace: the quick exit, private mode, the history, what the site keeps on the phone, how to wipe it."""
    return render_template("no_trace.html")


@bp.get("/<variant:v>/search")
def search(v: Variant) -> Response:
    """Search every guide in both scripts. Offline, the service worker serves this page from its store and
    search.js answers in the page. The words a reader searched for are kept by no cache."""
    query = request.args.get("q", "")[:MAX_QUERY]
    html = render_template("search.html", query=query, hits=state().search.search(query, v), slugs=library().slugs)
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store" if query else "no-cache"
    return response


@bp.get("/<variant:v>/guides/<slug>")
def guide(v: Variant, slug: str) -> str:
    found = library().get(slug, v)
    if found is None:
        abort(404)
    return render_template("guide.html", guide=found, pdf_name=state().guide_pdfs.file_name(found))


@bp.get("/<variant:v>/guides/<slug>.pdf")
def guide_pdf(v: Variant, slug: str) -> BaseResponse:
    found = library().get(slug, v)
    if found is None:
        abort(404)
    try:
        pdf = state().guide_pdfs.get(found)
    except PdfRefused as refused:  # only when not pre-rendered and every render slot stayed busy
        raise ServiceUnavailable(retry_after=30) from refused
    response = Response(pdf.data, mimetype="application/pdf")
    response.set_etag(pdf.etag)
    response.last_modified = pdf.last_modified
    response.headers["Content-Disposition"] = pdf.content_disposition
    response.cache_control.no_cache = True  # revalidate: a new content version must reach readers
    return response.make_conditional(request)
