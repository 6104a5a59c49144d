"""Datasette, configured for the record: metadata.yml, templates and the votes plugin."""

from __future__ import annotations

from pathlib import Path

from votes.db import PROJECT_ROOT

METADATA = PROJECT_ROOT / "metadata.yml"


def datasette_args(db: Path) -> list[str]:
    """The arguments that publish `db` the way the project means it to be seen."""
    return [str(db), "--metadata", str(METADATA), "--setting", "sql_time_limit_ms", "3000"]


def serve(db: Path, host: str, port: int) -> None:
    """Run `datasette serve` in this process until interrupted."""
    from datasette.cli import cli as datasette

    datasette.main(["serve", *datasette_args(db), "--host", host, "--port", str(port)],
                   prog_name="votes serve")
