"""What a load computes once its rows are written, in the load's own transaction, on SQLite and
PostgreSQL alike: override_math, threshold_math and party_breakdown (every roll call's
arithmetic and party totals, stored whole: votes/database/sql/load/<name>.sql), member_stats
(each member's record in each congress and over a career,
votes/database/sql/load/member_stats.sql) for the congresses the load wrote, the search
(votes.database.search), and the planner's statistics (ANALYZE), so that each page's query
starts from what it filters on.

A sink notes the congresses whose roll calls it wrote (`congresses`); a congress that has no
member_stats yet (a database migrated from before them) is computed too. A load that wrote
nothing and finds nothing missing (a re-import of unchanged votes) changes nothing here; a roll
call without its override_math row (a database migrated from before 0006) counts as missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from votes.database import search
from votes.paths import SQL_DIR

LOAD_SQL = SQL_DIR / "load"
# Congresses with counted roll calls but no member_stats rows: never computed.
MISSING = """
SELECT DISTINCT roll_calls.congress
FROM roll_calls
WHERE roll_calls.status = 'counted'
    AND roll_calls.congress NOT IN (
        SELECT member_stats.congress
        FROM member_stats
        WHERE member_stats.congress IS NOT NULL
    )
"""
# Roll calls not yet in the stored arithmetic (the STORED tables are written together, but
# override_math may come early: `store_override_math`): a database migrated from before them.
UNSTORED = """
SELECT COUNT(*)
FROM roll_calls
WHERE roll_calls.id NOT IN (
    SELECT threshold_math.roll_call_id
    FROM threshold_math
)
"""
# Computed whole, in this order (none reads another; the views read them).
STORED = ("override_math", "threshold_math", "party_breakdown")


@dataclass
class Touched:
    """What a load has written so far, for `refresh`: whether anything, the congresses of its
    roll calls, and whether override_math is already computed (`store_override_math`)."""

    written: bool = False
    congresses: set[int] = field(default_factory=set)
    override_math_stored: bool = False

    def note(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """Rows inserted or updated: a roll call's congress when the row names it (a bill
        record's link of a roll call to its measure names only the id)."""
        self.written = self.written or bool(rows)
        if table == "roll_calls":
            self.congresses.update(int(row["congress"]) for row in rows if "congress" in row)


class Storing(Protocol):
    """A sink that can compute the stored arithmetic, and remembers it did."""

    touched: Touched

    def execute(self, sql: str) -> None: ...


class Finishing(Protocol):
    """A sink at the end of a load: the dialect, what it touched, and a way to run SQL."""

    dialect: str
    touched: Touched

    def query(self, sql: str) -> list[tuple[Any, ...]]: ...

    def execute(self, sql: str) -> None: ...

    def insert(self, table: str, rows: list[dict[str, Any]]) -> None: ...


def statements(name: str, **values: str) -> list[str]:
    """The statements of votes/database/sql/load/<name>.sql, with {placeholders} filled in:
    each ends with a semicolon at the end of a line of code (not of a comment)."""
    text = (LOAD_SQL / f"{name}.sql").read_text().format(**values)
    found, lines = [], []
    for line in text.splitlines():
        lines.append(line)
        if line.rstrip().endswith(";") and not line.lstrip().startswith("--"):
            found.append("\n".join(lines).rstrip().rstrip(";"))
            lines = []
    return found


def store_override_math(sink: Storing) -> None:
    """Compute override_math whole now, from the roll calls and their counts alone: a load's
    reconciliation of the vetoes reads it before the load ends (`refresh` then leaves it be).
    The other STORED tables read positions, which are in place only at the end."""
    for sql in statements("override_math"):
        sink.execute(sql)
    sink.touched.override_math_stored = True


def refresh(sink: Finishing) -> None:
    """Bring the load's derived figures up to date with the rows it wrote."""
    touched = sink.touched
    congresses = touched.congresses | {int(r[0]) for r in sink.query(MISSING)}
    if not touched.written and not congresses and not sink.query(UNSTORED)[0][0]:
        return
    for name in STORED:
        if name != "override_math" or not touched.override_math_stored:
            for sql in statements(name):
                sink.execute(sql)
    if congresses:
        listed = ", ".join(str(c) for c in sorted(congresses))
        for sql in statements("member_stats", congresses=listed):
            sink.execute(sql)
    search.refresh(sink)
    sink.execute("ANALYZE")
