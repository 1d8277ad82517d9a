"""The summary PDF's lists, tagged for screen readers: each item is LI > Lbl, LBody, with the item's content under
its LBody and every element's parent pointing back up (webapp/pdf/finisher.py; the summary prints its markers
inside the first line, where WeasyPrint alone would leave the content straight under the LI)."""

import io

import pypdf
import pytest
from flask import Flask

from webapp.pdf import finisher
from webapp.state import state
from webapp.summary import TYPICAL_ANSWERS, print_html
from webapp.variants import VARIANTS

pytestmark = pytest.mark.slow


def resolve(node: object) -> object:
    return node.get_object() if isinstance(node, pypdf.generic.IndirectObject) else node


def kids(element: pypdf.generic.DictionaryObject) -> list:
    k = resolve(element.get("/K"))
    return [resolve(kid) for kid in (k if isinstance(k, pypdf.generic.ArrayObject) else [] if k is None else [k])]


def list_items(data: bytes) -> list[pypdf.generic.DictionaryObject]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    found, stack = [], [resolve(reader.trailer["/Root"]["/StructTreeRoot"])]
    while stack:
        element = stack.pop()
        if isinstance(element, pypdf.generic.DictionaryObject):
            if element.get("/S") == "/LI":
                found.append(element)
            stack.extend(kids(element))
    return found


def render(app: Flask, code: str) -> bytes:
    html = print_html(app, {**TYPICAL_ANSWERS, "variant": VARIANTS[code].tag})
    return state(app).pdf_renderer.render(html, VARIANTS[code].tag)


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
def test_every_summary_list_item_has_its_label_and_body(app: Flask, code: str) -> None:
    items = list_items(render(app, code))
    labelled = [item for item in items if kids(item) and kids(item)[0].get("/S") == "/Lbl"]
    assert len(labelled) >= 30  # the next steps, the lists of rules and channels, the sources
    for item in labelled:
        _label, *rest = kids(item)
        assert [kid.get("/S") for kid in rest] == ["/LBody"], [kid.get("/S") for kid in kids(item)]
        body = rest[0]
        assert kids(body), "an empty LBody"
        assert resolve(body["/P"]) == item
        for kid in kids(body):
            if isinstance(kid, pypdf.generic.DictionaryObject) and "/S" in kid:
                assert resolve(kid["/P"]) == body


def test_without_the_finisher_the_content_sits_under_the_item(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the finisher repairs: WeasyPrint's own tagging of the summary's inside markers."""
    monkeypatch.setattr(finisher, "wrap_list_bodies", lambda pdf: 0)  # each render's child is forked after this
    items = list_items(render(app, "zh-hans"))
    bare = [i for i in items if kids(i) and kids(i)[0].get("/S") == "/Lbl" and len(kids(i)) > 1]
    assert bare
    assert all("/LBody" not in [kid.get("/S") for kid in kids(item)] for item in bare)
