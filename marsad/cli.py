"""The `marsad` command line: thin entry points over marsad.pipeline."""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="marsad: Arabic news story engine.")


@app.callback()
def _root() -> None:
    """marsad: Arabic news story engine."""


@app.command()
def version() -> None:
    """Print marsad's version."""
    from marsad import __version__

    typer.echo(__version__)


def main() -> None:
    app()
