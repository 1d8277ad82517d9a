"""逾期应对指南 / 逾期應對指南: an offline-first library of guides for people overdue on online loans.

The app is built by `create_app` (webapp/app.py, the composition root). This package's own module only points
there, importing nothing, so that importing a room of it (the pure core `webapp.situation`, the PDF engine
`webapp.pdf`) loads no more than that room needs: no Flask for the core and its tests (docs/architecture.md).
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> "Flask":
    """The app (webapp.app.create_app): `test_config` overrides settings by name, and may add Flask's own keys."""
    from webapp.app import create_app as build

    return build(test_config)
