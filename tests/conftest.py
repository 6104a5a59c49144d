"""Shared fixtures: the war-powers database built from the repository's data/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import build_curated

pytest_plugins = ["tests.postgres"]

FIXTURES = Path(__file__).with_name("fixtures")
UPSTREAM = FIXTURES / "upstream"
SLICE = FIXTURES / "bulk" / "votes-slice.tar.xz"  # 410 real votes of the 1990s and 2020


@pytest.fixture(scope="session")
def war_powers_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database `votes build` makes from data/ (built once per test session; read only)."""
    db = tmp_path_factory.mktemp("war-powers") / "votes.db"
    build_curated(db)
    return db


# ---- the publication on a real port (tests/test_datasette.py, tests/test_browser.py) ----


@pytest.fixture(scope="session")
def served_war_powers(
    war_powers_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`votes serve` on a free local port, publishing a copy of the war-powers database.

    The copy has another file name, so the test also shows that the publication is /votes
    whatever the file is called. Yields the base URL; stops the server afterwards.
    """
    from tests.served import serving

    copy = tmp_path_factory.mktemp("served") / "war-powers-2020.db"
    shutil.copyfile(war_powers_db, copy)
    with serving(copy) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`votes build`'s default: data/ and every roll call of the shipped archives (built once per
    test session, about a minute; read only)."""
    from votes.database.pipeline import build

    db = tmp_path_factory.mktemp("shipped") / "votes.db"
    build(db)
    return db


@pytest.fixture(scope="session")
def slice_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive slice imported once, for tests that only read it (copy it to write)."""
    from votes.database.pipeline import import_sources

    db = tmp_path_factory.mktemp("slice") / "votes.db"
    import_sources([str(SLICE)], db, jobs=0)
    return db
