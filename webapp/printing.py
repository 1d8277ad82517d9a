"""A reader's PDF (a summary, a letter), printed for the request at hand: the app's render pool, the page limit for
a reader's document, and no render once the client has gone."""

from flask import has_request_context, request

from webapp.state import state

# The server's own check that the client is still connected, a callable in the WSGI environ (waitress's name).
CLIENT_DISCONNECTED = "waitress.client_disconnected"


def print_for_reader(html: str, variant_tag: str) -> bytes:
    app_state = state()
    return app_state.pdf_renderer.render(
        html,
        variant_tag,
        max_pages=app_state.settings.SUMMARY_MAX_PAGES,
        cancelled=request.environ.get(CLIENT_DISCONNECTED) if has_request_context() else None,
    )
