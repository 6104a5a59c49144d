"""The stored query member_agreement: every roll call two members both voted yea or nay on,
disagreements first, with the totals; by Bioguide id or name, in one congress or all; found from
the two members' positions, never a scan of all of them."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.test_member_stats import sliced  # noqa: F401  (the archive slice, imported once)
from votes.paths import METADATA
from votes.publish import serve

SQL = yaml.safe_load(METADATA.read_text())["databases"]["votes"]["queries"]["member_agreement"][
    "sql"
]


def agreement(db: Path, a: str, b: str, congress: str = "") -> list[dict[str, Any]]:
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(SQL, {"a": a, "b": b, "congress": congress}).fetchall()
    return [dict(r) for r in rows]


def recount(db: Path, a: str, b: str) -> dict[str, tuple[str, str]]:
    """Each roll call both voted yea or nay on, from member_votes: (a's vote, b's vote)."""
    sql = (
        "SELECT roll_call_id, option FROM member_votes WHERE member_id = ? "
        "AND option IN ('yea', 'nay')"
    )
    with sqlite3.connect(db) as connection:
        first = dict(connection.execute(sql, (a,)).fetchall())
        second = dict(connection.execute(sql, (b,)).fetchall())
    return {r: (first[r], second[r]) for r in first.keys() & second.keys()}


def test_two_house_members_on_the_war_powers_votes(war_powers_db: Path) -> None:
    rows = agreement(war_powers_db, "F. James Sensenbrenner, Jr.", "H000874")  # Steny Hoyer
    assert [(r["roll_call_id"], r["a_vote"], r["b_vote"], r["agreed"]) for r in rows] == [
        ("h101-116.2020", "nay", "yea", 0),
        ("h33-116.2020", "nay", "yea", 0),  # the same day: by id
        ("h34-116.2020", "nay", "yea", 0),
        ("h7-116.2020", "nay", "yea", 0),
    ]
    assert {(r["votes_together"], r["agreements"], r["agreement_pct"]) for r in rows} == {(4, 0, 0)}
    assert rows[0]["measure"] == "S.J.Res. 68 (116th)" and rows[0]["threshold"] == "majority"


def test_a_congress_and_the_order_disagreements_first(sliced: Path) -> None:  # noqa: F811
    with sqlite3.connect(sliced) as connection:
        a, b = connection.execute(
            "SELECT x.member_id, y.member_id FROM member_stats AS x JOIN member_stats AS y "
            "ON y.congress = x.congress AND y.chamber = x.chamber AND y.party <> x.party "
            "WHERE x.congress = 116 AND x.chamber = 'senate' AND x.party = 'D' "
            "AND y.party = 'R' ORDER BY x.member_id, y.member_id LIMIT 1"
        ).fetchone()
    expected = recount(sliced, a, b)
    rows = agreement(sliced, a, b)
    assert {r["roll_call_id"]: (r["a_vote"], r["b_vote"]) for r in rows} == expected
    agreed = [r["agreed"] for r in rows]
    assert agreed == sorted(agreed) and 0 in agreed and 1 in agreed
    together, agreements = len(expected), sum(x == y for x, y in expected.values())
    assert rows[0]["votes_together"] == together and rows[0]["agreements"] == agreements
    assert round(rows[0]["agreement_pct"] * 10) == (1000 * agreements + together // 2) // together
    assert {r["congress"] for r in agreement(sliced, a, b, "116")} == {116}


def test_nobody_named_gives_no_rows(war_powers_db: Path) -> None:
    assert agreement(war_powers_db, "", "P000197") == []
    assert agreement(war_powers_db, "Nobody", "P000197") == []


def test_published_as_a_stored_query(war_powers_db: Path) -> None:
    datasette = serve.app(war_powers_db)
    response = asyncio.run(
        datasette.client.get(
            "/votes/member_agreement.json?a=S000244&b=H000874&congress=116&_shape=objects"
        )
    )
    assert response.status_code == 200
    assert len(response.json()["rows"]) == 4
    page = asyncio.run(datasette.client.get("/votes/member_agreement?a=S000244&b=H000874")).text
    assert '<a href="/votes/roll_calls/h101-116~2E2020">h101-116.2020</a>' in page


@pytest.mark.parametrize("names", [("S000244", "P000197"), ("Bernard Sanders", "Tim Kaine")])
def test_at_full_size_it_starts_from_the_two_members(
    shipped_db: Path, names: tuple[str, str]
) -> None:
    with sqlite3.connect(shipped_db) as connection:
        steps = [
            r[-1]
            for r in connection.execute(
                f"EXPLAIN QUERY PLAN {SQL}", {"a": names[0], "b": names[1], "congress": ""}
            )
        ]
    assert "SEARCH positions_a USING PRIMARY KEY (voter_id=?)" in steps, steps
    assert not [s for s in steps if s.startswith("SCAN") and "positions" in s], steps
    assert not [s for s in steps if "roll_calls" in s and "AUTOMATIC" in s], steps
