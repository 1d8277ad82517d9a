"""The pure tier means what it says: loading it (the shared conftest, this tier's conftest and every test module
here) imports neither Flask nor WeasyPrint, so the rules are tested as plain functions on plain data."""

import subprocess
import sys

from tests.helpers import ROOT

WEB_AND_PDF = ("flask", "flask_babel", "werkzeug", "jinja2", "weasyprint", "pydyf")

CHECK = """
import importlib, pathlib, sys
import tests.conftest, tests.core.conftest
for path in sorted(pathlib.Path("tests/core").glob("test_*.py")):
    importlib.import_module(f"tests.core.{path.stem}")
from tests.core.conftest import converter, library, rules  # and build what the fixtures build
conv = converter.__wrapped__()
rules.__wrapped__(conv, library.__wrapped__(conv))
print(sorted(name for name in sys.modules if name.split(".")[0] in %r))
"""


def test_the_core_tier_loads_no_web_and_no_pdf_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK % (WEB_AND_PDF,)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
