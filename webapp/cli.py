"""Every `flask --app webapp ...` command, in one place."""

from pathlib import Path

import click
from babel.messages.pofile import write_po
from flask import Flask
from flask.cli import AppGroup

from webapp.catalogs import hant_from_hans, po_path, read_catalog
from webapp.state import state
from webapp.variants import HANS, HANT, VARIANTS


def init_app(app: Flask) -> None:
    app.cli.add_command(catalogs)
    app.cli.add_command(pdf)


catalogs = AppGroup("catalogs", help="UI string catalogs.")


@catalogs.command("sync")
def sync() -> None:
    """Write translations/zh_Hant from translations/zh_Hans."""
    directory = state().settings.TRANSLATIONS_DIR
    hans = read_catalog(po_path(directory, HANS.locale), HANS.locale)
    target = po_path(directory, HANT.locale)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as f:
        write_po(f, hant_from_hans(hans, state().converter), width=0)
    click.echo(f"wrote {target}")


pdf = AppGroup("pdf", help="Guide PDFs.")


@pdf.command("guide")
@click.argument("slug")
@click.option("--variant", "code", type=click.Choice(sorted(VARIANTS)), default="zh-hans")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
def write_guide(slug: str, code: str, output: Path) -> None:
    """Render a guide's PDF and write it to a file."""
    guide = state().library.get(slug, VARIANTS[code])
    if guide is None:
        raise click.BadParameter(f"no guide {slug!r}", param_hint="SLUG")
    output.write_bytes(state().guide_pdfs.get(guide).data)
    click.echo(f"wrote {output}")
