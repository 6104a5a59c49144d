"""The SQL views: each lives in one file, votes/sql/<name>.sql, the only copy of its SQL.

override_math, threshold_math and party_breakdown, views of old, are tables computed at the end
of every load (votes/database/sql/load/, votes.database.summaries): views read them by name.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from votes.paths import SQL_DIR

# Views that read other views come after them.
ORDER: tuple[str, ...] = (
    "roll_call_thresholds",
    "member_votes",
    "vote_outcomes",
    "threshold_exceptions",
    "veto_overrides",
    "veto_status",
    "vetoes",
    "veto_counts",
    "override_outlook",
    "party_defectors",
)


def names() -> tuple[str, ...]:
    """Every view, in creation order."""
    files = {p.stem for p in SQL_DIR.glob("*.sql")}
    return tuple(n for n in ORDER if n in files) + tuple(sorted(files - set(ORDER)))


def definition(name: str) -> str:
    """The SELECT of a view, with its header comment."""
    return (SQL_DIR / f"{name}.sql").read_text()


def create_statements() -> dict[str, str]:
    """Each view's CREATE VIEW statement, in creation order."""
    return {name: f"CREATE VIEW {name} AS\n{definition(name)}" for name in names()}


def drop_statements() -> list[str]:
    """A DROP VIEW for every view this package defines, last first."""
    return [f"DROP VIEW IF EXISTS {name}" for name in reversed(names())]


def create_all(connection: Connection) -> None:
    """Create every view."""
    for sql in create_statements().values():
        connection.execute(text(sql))


def drop_all(connection: Connection) -> None:
    """Drop every view this package defines, last first."""
    for sql in drop_statements():
        connection.execute(text(sql))
