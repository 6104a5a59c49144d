"""The hot queries of the pages use the indexes chosen for them (EXPLAIN QUERY PLAN).

At 9.5 million positions a full scan of `positions` costs seconds: no page may need one. The
queries are those Datasette runs for the benchmarked pages (benchmarks/serve_bench.py): the
rows, the count and the facets of a filtered view, and the default sorts of metadata.yml.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from votes.paths import METADATA

ROLL_CALL, MEMBER = "h101-116.2020", "S000244"


def plan(slice_db: Path, sql: str, *params: object) -> str:
    """The query plan, one step a line."""
    with sqlite3.connect(slice_db) as connection:
        steps = connection.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return "\n".join(step[-1] for step in steps)


def page_queries(view: str, column: str) -> list[str]:
    """What Datasette runs for /votes/<view>?<column>=...: rows, count, facets party/option."""
    filtered = f'SELECT * FROM {view} WHERE "{column}" = ?'
    facets = [
        f"SELECT {c} AS value, COUNT(*) AS count FROM ({filtered}) WHERE {c} IS NOT NULL "
        f"GROUP BY {c} ORDER BY count DESC, value LIMIT 31"
        for c in ("party", "option")
    ]
    return [f"{filtered} LIMIT 101", f"SELECT COUNT(*) FROM ({filtered})", *facets]


@pytest.mark.parametrize("sql", page_queries("member_votes", "roll_call_id"))
def test_a_roll_calls_positions_come_through_the_voters_of_its_session(
    slice_db: Path, sql: str
) -> None:
    steps = plan(slice_db, sql, ROLL_CALL)
    assert "SEARCH voter_sessions USING PRIMARY KEY (congress=? AND chamber=?)" in steps, steps
    assert "SEARCH positions USING PRIMARY KEY (voter_id=? AND roll_call_key=?)" in steps, steps
    assert "SCAN positions" not in steps


@pytest.mark.parametrize("sql", page_queries("member_votes", "member_id"))
def test_a_members_record_is_one_sweep_of_the_clustered_table(slice_db: Path, sql: str) -> None:
    steps = plan(slice_db, sql, MEMBER)
    assert "SEARCH positions USING PRIMARY KEY (voter_id=?)" in steps, steps
    assert "SCAN positions" not in steps


def test_the_roll_call_page_counts_positions_by_skipping_through_the_voters(slice_db: Path) -> None:
    # Datasette's row page counts the rows that refer to it: with the planner's statistics
    # (ANALYZE, every load), SQLite skips through the primary key voter by voter, not the table.
    steps = plan(slice_db, "SELECT COUNT(*) FROM positions WHERE roll_call_key = ?", 1)
    assert steps == "SEARCH positions USING PRIMARY KEY (ANY(voter_id) AND roll_call_key=?)"


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        ("SELECT * FROM roll_calls ORDER BY date DESC LIMIT 101", "roll_calls_date"),
        ("SELECT * FROM override_math ORDER BY date DESC LIMIT 101", "override_math_date"),
        (
            "SELECT * FROM override_math WHERE chamber = 'senate' ORDER BY date DESC LIMIT 101",
            "override_math_date",
        ),
        (
            "SELECT * FROM roll_calls WHERE chamber = 'house' ORDER BY date DESC LIMIT 101",
            "roll_calls_chamber_date",
        ),
    ],
)
def test_pages_sorted_by_date_read_an_index_in_order(slice_db: Path, sql: str, index: str) -> None:
    steps = plan(slice_db, sql)
    assert f"USING INDEX ix_{index}" in steps, steps
    assert "TEMP B-TREE FOR ORDER BY" not in steps


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM party_breakdown WHERE roll_call_id = 'h101-116.2020'",
        "SELECT * FROM party_breakdown ORDER BY roll_call_id LIMIT 101",
        "SELECT party AS value, COUNT(*) AS count FROM (SELECT * FROM party_breakdown) "
        "GROUP BY party ORDER BY count DESC, value LIMIT 31",
        "SELECT COUNT(*) FROM party_breakdown",
    ],
)
def test_party_pages_read_the_stored_tallies_not_the_positions(slice_db: Path, sql: str) -> None:
    steps = plan(slice_db, sql)
    assert "party_breakdown" in steps
    assert "positions" not in steps and "party_tallies" not in steps, steps


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # Datasette's count of the whole table (stored since migration 0006): its smallest index.
        (
            "SELECT COUNT(*) FROM (SELECT * FROM party_breakdown)",
            "SCAN party_breakdown USING COVERING INDEX ix_party_breakdown_party",
        ),
        # The party facet: counted from the party index, no table rows, no grouping sort.
        (
            "SELECT party AS value, COUNT(*) AS count FROM (SELECT * FROM party_breakdown) "
            "WHERE party IS NOT NULL GROUP BY party ORDER BY count DESC, value LIMIT 31",
            "SCAN party_breakdown USING COVERING INDEX ix_party_breakdown_party\n"
            "USE TEMP B-TREE FOR ORDER BY",
        ),
        # An analyst's party totals over one congress: that congress's rows, by party.
        (
            "SELECT party, SUM(yea), SUM(nay) FROM party_breakdown WHERE congress = 116 "
            "GROUP BY party",
            "SEARCH party_breakdown USING INDEX ix_party_breakdown_congress_party (congress=?)",
        ),
    ],
)
def test_counting_and_faceting_party_breakdown_read_its_indexes(
    slice_db: Path, sql: str, expected: str
) -> None:
    assert plan(slice_db, sql) == expected


def test_the_member_record_query_finds_the_member_first(slice_db: Path) -> None:
    metadata = yaml.safe_load(METADATA.read_text())
    query = metadata["databases"]["votes"]["queries"]["member_record"]
    with sqlite3.connect(slice_db) as connection:
        steps = connection.execute(
            f"EXPLAIN QUERY PLAN {query['sql']}", {"member": MEMBER}
        ).fetchall()
    assert "SCAN positions" not in "\n".join(s[-1] for s in steps)
