"""Shared fixtures: the war-powers database built from the repository's data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from votes.build import build

pytest_plugins = ["tests.postgres"]

FIXTURES = Path(__file__).with_name("fixtures")
UPSTREAM = FIXTURES / "upstream"


@pytest.fixture(scope="session")
def war_powers_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database `votes build` makes from data/ (built once per test session; read only)."""
    db = tmp_path_factory.mktemp("war-powers") / "votes.db"
    build(db)
    return db
