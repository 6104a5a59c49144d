"""The whole record `votes build` makes by default: data/ and the archives of 1989-2024."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.test_build import FACTS

ROLL_CALLS_1989_2024 = 33_847  # the two archives' README: 29,968 + 3,879


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_every_roll_call_of_the_archives_is_built(shipped_db: Path) -> None:
    assert rows(shipped_db, "SELECT COUNT(*) FROM roll_calls") == [(ROLL_CALLS_1989_2024,)]
    assert rows(shipped_db, "SELECT MIN(date), MAX(date) FROM roll_calls") == [
        ("1989-01-25", "2024-12-21")
    ]
    assert rows(shipped_db, "PRAGMA foreign_key_check") == []


def test_the_house_record_starts_in_1990(shipped_db: Path) -> None:
    """The House Clerk's electronic roll calls begin in 1990: no House vote of 1989 is there."""
    first = rows(shipped_db, "SELECT MIN(date) FROM roll_calls WHERE chamber = 'house'")
    assert first[0][0].startswith("1990-")


def test_the_war_powers_votes_keep_their_verified_figures(shipped_db: Path) -> None:
    got: dict[str, dict[str, tuple]] = {}
    ids = ", ".join(f"'{rid}'" for rid in FACTS)
    for rid, party, *counts in rows(
        shipped_db,
        "SELECT roll_call_id, party, yea, nay, present, not_voting FROM vote_counts "
        f"WHERE roll_call_id IN ({ids})",
    ):
        got.setdefault(rid, {})[party] = tuple(counts)
    assert got == FACTS


def test_every_position_is_reconciled_with_the_official_counts(shipped_db: Path) -> None:
    """The stored party tallies (counted from the roll) sum to the official chamber totals."""
    differing = rows(
        shipped_db,
        "SELECT vote_counts.roll_call_id FROM vote_counts "
        "JOIN (SELECT roll_call_id, SUM(yea) AS yea, SUM(nay) AS nay FROM party_tallies "
        "GROUP BY roll_call_id) AS counted ON counted.roll_call_id = vote_counts.roll_call_id "
        "WHERE vote_counts.party = 'ALL' "
        "AND (counted.yea <> vote_counts.yea OR counted.nay <> vote_counts.nay)",
    )
    assert differing == []


def test_every_veto_of_the_inventory_with_each_attempts_arithmetic(shipped_db: Path) -> None:
    """The build checked data/vetoes.csv against every roll call; each attempt has its math."""
    assert rows(shipped_db, "SELECT COUNT(*) FROM vetoes") == [(120,)]
    unmeasured = rows(
        shipped_db,
        "SELECT measure FROM vetoes WHERE (house_roll_call_id IS NOT NULL "
        "AND house_two_thirds_needed IS NULL AND house_roll_call_id IN "
        "(SELECT id FROM roll_calls WHERE category = 'veto-override')) "
        "OR (senate_roll_call_id IS NOT NULL AND senate_two_thirds_needed IS NULL "
        "AND senate_roll_call_id IN (SELECT id FROM roll_calls WHERE category = 'veto-override'))",
    )
    assert unmeasured == []
    orphans = rows(
        shipped_db,
        "SELECT id FROM roll_calls WHERE category = 'veto-override' AND id NOT IN "
        "(SELECT house_roll_call_id FROM vetoes WHERE house_roll_call_id IS NOT NULL "
        "UNION SELECT senate_roll_call_id FROM vetoes WHERE senate_roll_call_id IS NOT NULL)",
    )
    assert orphans == []


def test_no_bill_or_joint_resolution_is_said_not_presented(shipped_db: Path) -> None:
    said = rows(
        shipped_db,
        "SELECT measures.kind, measures.constitutional_amendment, COUNT(*) FROM veto_status "
        "JOIN measures ON measures.id = veto_status.measure_id "
        "WHERE veto_status.status = 'not_presented' GROUP BY 1, 2 ORDER BY 1, 2",
    )
    assert {kind for kind, amendment, _ in said if not amendment} <= {
        "concurrent_resolution",
        "simple_resolution",
    }


def test_every_disagreement_with_a_published_result_is_a_documented_exception(
    shipped_db: Path,
) -> None:
    undocumented = rows(
        shipped_db,
        "SELECT roll_call_id FROM threshold_math "
        "WHERE agrees_with_official = 0 AND documented_exception = 0",
    )
    assert undocumented == []
    assert rows(shipped_db, "SELECT COUNT(*) FROM threshold_exceptions") == [(14,)]
