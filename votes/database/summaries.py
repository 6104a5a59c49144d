"""What a load computes once its rows are written, in the load's own transaction, on SQLite and
PostgreSQL alike: the planner's statistics (ANALYZE), so that each page's query starts from
what it filters on.

A sink notes the congresses whose roll calls it wrote (`congresses`); a load that wrote none
(a re-import of unchanged votes) changes nothing here either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol


class Finishing(Protocol):
    """A sink at the end of a load: the dialect, what it touched, and a way to run SQL."""

    dialect: str
    congresses: set[int]

    def execute(self, sql: str) -> None: ...


def congresses_of(table: str, rows: Sequence[dict[str, Any]]) -> Iterable[int]:
    """The congresses of roll-call rows being written (none for any other table)."""
    return (int(row["congress"]) for row in rows) if table == "roll_calls" else ()


def refresh(sink: Finishing) -> None:
    """Bring the load's derived figures up to date with the rows it wrote."""
    if not sink.congresses:
        return
    sink.execute("ANALYZE")
