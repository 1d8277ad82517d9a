"""Download names are seen by others (a phone's download list and notifications): no PDF route's
Content-Disposition names the debt or the platform, in `filename` or in `filename*`."""

import re
from urllib.parse import unquote

import pytest

from webapp.state import state
from webapp.variants import VARIANTS

ANSWERS = {"as_of": "2026-11-28", "due_date": "2026-10-01", "overdue_amount": "1000"}
TELLTALE = ("逾期", "overdue", "58", "金融", "某某分期", "debt", "loan", "贷", "貸")


def file_names(disposition: str) -> list[str]:
    """Both names a browser may pick: the ASCII filename and the UTF-8 filename*, decoded."""
    plain = re.search(r'filename="([^"]*)"', disposition)
    encoded = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    assert plain and encoded, disposition
    return [plain.group(1), unquote(encoded.group(1))]


def assert_discreet(disposition: str) -> list[str]:
    names = file_names(disposition)
    for name in [disposition, *names]:
        for word in TELLTALE:
            assert word.lower() not in name.lower(), (word, disposition)
    return names


@pytest.mark.parametrize("platform", [None, "某某分期"])
@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
def test_summary_pdf_from_the_form_has_a_neutral_name(client, code: str, platform: str | None) -> None:
    answers = {**ANSWERS, **({"platform": platform} if platform else {})}
    response = client.post(f"/{code}/situation/summary.pdf", data=answers)
    assert response.status_code == 200
    assert assert_discreet(response.headers["Content-Disposition"]) == ["summary-2026-11-28.pdf", "摘要-2026-11-28.pdf"]


@pytest.mark.parametrize("variant", ["zh-Hans", "zh-Hant"])
def test_summary_pdf_from_the_api_has_a_neutral_name(client, variant: str) -> None:
    response = client.post("/api/v1/summary.pdf", json={**ANSWERS, "variant": variant, "platform": "某某分期"})
    assert response.status_code == 200
    assert assert_discreet(response.headers["Content-Disposition"]) == ["summary-2026-11-28.pdf", "摘要-2026-11-28.pdf"]


def test_every_guide_pdf_has_a_neutral_name(app, client) -> None:
    guides = [guide for v in VARIANTS.values() for guide in state(app).library.all(v)]
    assert len(guides) >= 2
    for guide in guides:
        response = client.get(f"/{guide.variant.code}/guides/{guide.slug}.pdf")
        assert response.status_code == 200
        number = state(app).library.slugs.index(guide.slug) + 1  # tells guides apart, says nothing of them
        assert assert_discreet(response.headers["Content-Disposition"]) == [f"guide-{number}.pdf", f"指南-{number}.pdf"]
