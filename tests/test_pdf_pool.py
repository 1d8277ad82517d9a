"""The render pool (webapp/pdf_pool.py), started in this process: the same bytes as a render in place, fresh
processes after N renders or a kill, a short queue that answers PdfBusy quickly, no render for a client gone."""

import gc
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from webapp.guide_pdfs import variant_css
from webapp.pdf.fonts import PDF_FONT_FAMILIES
from webapp.pdf.pool import ClientGone, PooledRenderer
from webapp.pdf.render import PdfBusy, PdfRenderer, PdfTooSlow

pytestmark = pytest.mark.slow

DOCUMENT = '<!doctype html><html lang="zh-Hans"><head><title>t</title></head><body><p>逾期应对指南</p></body></html>'
STUCK = DOCUMENT.replace("逾期应对指南", "STUCK")
GC_PROBE = DOCUMENT.replace("逾期应对指南", "GC_PROBE")


@pytest.fixture
def pool(app) -> Iterator[PooledRenderer]:
    static = Path(app.static_folder)
    renderer = PooledRenderer(
        static,
        [static / "css" / "print.css"],
        variant_css(app, PDF_FONT_FAMILIES),
        time_limit=2.0,
        pool_size=1,
        pool_queue=1,
        pool_wait=6.0,
        renders_per_process=2,
    )
    plain = renderer._render

    def render(html: str, *args: object) -> bytes:
        if "STUCK" in html:
            time.sleep(30)  # stuck where the limits filter cannot run: only the pool's kill ends it
        if "GC_PROBE" in html:  # what the cyclic GC is doing in the render process, instead of a PDF
            return json.dumps({"enabled": gc.isenabled(), "pending": gc.get_count()[0]}).encode()
        return plain(html, *args)

    renderer._render = render  # type: ignore[method-assign]  # inherited by the zygote at start
    renderer.start()
    yield renderer
    renderer.close()


def pids(pool: PooledRenderer) -> list[int]:
    return [process.pid for process in pool._idle]


def test_the_pool_renders_the_same_bytes_and_recycles_its_processes(pool: PooledRenderer) -> None:
    first = pids(pool)
    pdf = pool.render(DOCUMENT, "zh-Hans")
    assert pdf == PdfRenderer.render(pool, DOCUMENT, "zh-Hans")  # as rendered in place: the same bytes
    assert pids(pool) == first
    pool.render(DOCUMENT, "zh-Hans")  # the second render of this process: it is replaced
    assert pool.render(DOCUMENT, "zh-Hans") == pdf
    assert pids(pool) and pids(pool) != first


def test_a_render_process_collects_garbage_after_answering_not_while_rendering(pool: PooledRenderer) -> None:
    pool.render(DOCUMENT.replace("<p>", "<ul><li>一</li><li>二</li></ul><p>" * 40), "zh-Hans")  # leaves cycles
    probe = json.loads(pool.render(GC_PROBE, "zh-Hans"))  # the same process, at its next render
    assert probe["enabled"] is False  # no collection can start in the middle of a render
    assert probe["pending"] < 500, probe  # the previous render's garbage was collected once it had answered


def test_a_stuck_render_is_killed_and_the_pool_goes_on(pool: PooledRenderer) -> None:
    stuck = pids(pool)[0]
    began = time.monotonic()
    with pytest.raises(PdfTooSlow, match="killed"):
        pool.render(STUCK, "zh-Hans")
    assert time.monotonic() - began < 10
    assert pool.stats["killed"] == 1
    while Path(f"/proc/{stuck}").exists() and time.monotonic() - began < 15:  # the zygote reaps it within a second
        time.sleep(0.1)
    assert not Path(f"/proc/{stuck}").exists()
    assert pool.render(DOCUMENT, "zh-Hans").startswith(b"%PDF-")


def test_the_queue_is_short_and_a_gone_client_gets_no_render(app, pool: PooledRenderer) -> None:
    outcomes: dict[str, object] = {}

    def stuck() -> None:
        try:
            pool.render(STUCK, "zh-Hans")
        except PdfTooSlow as error:
            outcomes["stuck"] = error

    def waiting_for_a_reader_who_left() -> None:
        try:
            pool.render(DOCUMENT, "zh-Hans", cancelled=lambda: True)  # the engine only asks; the server knows
        except PdfBusy as error:
            outcomes["gone"] = error

    first = threading.Thread(target=stuck)
    first.start()
    time.sleep(0.3)
    second = threading.Thread(target=waiting_for_a_reader_who_left)
    second.start()
    time.sleep(0.3)
    began = time.monotonic()
    with pytest.raises(PdfBusy, match="waiting"):  # one process busy, one request waiting: no room for a third
        pool.render(DOCUMENT, "zh-Hans")
    assert time.monotonic() - began < 0.5
    first.join(15)
    second.join(15)
    assert isinstance(outcomes["stuck"], PdfTooSlow)
    assert isinstance(outcomes["gone"], ClientGone)
    assert pool.stats["client_gone"] == 1 and pool.stats["rendered"] == 0
