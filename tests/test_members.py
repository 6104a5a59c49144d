"""A member's record: member_votes says what each vote was about, what it needed and what it
decided; its filters start from what they filter on, at full size (EXPLAIN QUERY PLAN on the
whole record); the pandas API answers a member's and a congress's questions."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from votes import api
from votes.publish import serve

SANDERS = "S000033"


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def plan(db: Path, sql: str, *params: object) -> str:
    """The query plan, one step a line."""
    return "\n".join(step[-1] for step in rows(db, f"EXPLAIN QUERY PLAN {sql}", *params))


# ---- member_votes ---------------------------------------------------------------------------


def test_member_votes_says_what_each_vote_was_needed_and_decided(war_powers_db: Path) -> None:
    got = rows(
        war_powers_db,
        "SELECT roll_call_id, congress, question, measure, result, threshold, option "
        "FROM member_votes WHERE name = 'Bernard Sanders' ORDER BY date",
    )
    assert got == [
        (
            "s52-116.2020",
            116,
            "On the Joint Resolution S.J.Res. 68",
            "S.J.Res. 68 (116th)",
            "Joint Resolution Passed",
            "majority",
            "yea",
        ),
        (
            "s84-116.2020",
            116,
            "On Overriding the Veto S.J.Res. 68",
            "S.J.Res. 68 (116th)",
            "Veto Sustained",
            "two_thirds_voting",
            "not_voting",
        ),
    ]


def test_member_votes_thresholds_are_threshold_maths(war_powers_db: Path) -> None:
    """The rule is written once (roll_call_thresholds): both views show the same one."""
    assert (
        rows(
            war_powers_db,
            "SELECT DISTINCT member_votes.roll_call_id, member_votes.threshold FROM member_votes "
            "EXCEPT SELECT roll_call_id, threshold FROM threshold_math",
        )
        == []
    )
    assert rows(war_powers_db, "SELECT COUNT(DISTINCT threshold) FROM member_votes") == [(2,)]


def test_the_page_is_newest_first_and_each_roll_call_links_to_its_page(
    war_powers_db: Path,
) -> None:
    datasette = serve.app(war_powers_db)
    page = asyncio.run(datasette.client.get(f"/votes/member_votes.json?member_id={SANDERS}"))
    assert [r[0] for r in page.json()["rows"]] == ["s84-116.2020", "s52-116.2020"]
    html = asyncio.run(datasette.client.get(f"/votes/member_votes?member_id={SANDERS}")).text
    assert '<a href="/votes/roll_calls/s84-116~2E2020">s84-116.2020</a>' in html
    assert '<a href="/votes/members/S000033">S000033</a>' in html
    assert '<a href="/votes/measures?label=S.J.Res.+68+%28116th%29">S.J.Res. 68 (116th)</a>' in html


# ---- the pandas API -------------------------------------------------------------------------


def test_a_members_votes_by_id_or_name_oldest_first(war_powers_db: Path) -> None:
    by_id = api.member_votes(SANDERS, db=war_powers_db)
    by_name = api.member_votes("Bernard Sanders", congress=116, db=war_powers_db)
    assert by_id.equals(by_name)
    assert by_id["roll_call_id"].tolist() == ["s52-116.2020", "s84-116.2020"]
    assert api.member_votes(SANDERS, congress=117, db=war_powers_db).empty


def test_party_totals_are_the_member_roll_summed(war_powers_db: Path) -> None:
    totals = api.party_totals(116, db=war_powers_db).set_index("party")
    counted = rows(
        war_powers_db,
        "SELECT party, option, COUNT(*) FROM member_votes "
        "WHERE congress = 116 AND member_id <> 'VP' GROUP BY party, option",
    )
    for party, option, count in counted:
        assert totals.loc[party, option] == count, (party, option)
    senate = api.party_totals(116, "senate", db=war_powers_db).set_index("party")
    assert senate.loc["I"].tolist() == [3, 0, 0, 1]  # Sanders and King: S.J.Res. 68 twice


# ---- at full size: every filter starts from what it filters on --------------------------------


def page_queries(where: str) -> list[str]:
    """What Datasette runs for a filtered member_votes page: its rows (newest first), count and
    facets."""
    filtered = f"SELECT * FROM member_votes WHERE {where}"
    facets = [
        f"SELECT {c} AS value, COUNT(*) AS count FROM ({filtered}) WHERE {c} IS NOT NULL "
        f"GROUP BY {c} ORDER BY count DESC, value LIMIT 31"
        for c in ("party", "option")
    ]
    rows_and_count = [
        f"{filtered} ORDER BY date DESC LIMIT 101",
        f"SELECT COUNT(*) FROM ({filtered})",
    ]
    return rows_and_count + facets


@pytest.mark.parametrize("sql", page_queries("name = 'Bernard Sanders'"))
def test_a_name_filter_starts_from_the_member(shipped_db: Path, sql: str) -> None:
    steps = plan(shipped_db, sql)
    assert steps.startswith("SEARCH members USING INDEX ix_members_name (name=?)"), steps
    assert "SEARCH positions USING PRIMARY KEY (voter_id=?)" in steps, steps


@pytest.mark.parametrize("sql", page_queries("state = 'VT'"))
def test_a_state_filter_starts_from_its_voters(shipped_db: Path, sql: str) -> None:
    steps = plan(shipped_db, sql)
    assert steps.startswith("SEARCH voters USING INDEX ix_voters_state (state=?)"), steps
    assert "SCAN positions" not in steps


@pytest.mark.parametrize("where", ["1 = 1", "party = 'I'", "party = 'D'", "option = 'nay'"])
def test_a_broad_page_reads_the_roll_calls_by_date_and_sorts_nothing(
    shipped_db: Path, where: str
) -> None:
    steps = plan(
        shipped_db, f"SELECT * FROM member_votes WHERE {where} ORDER BY date DESC LIMIT 101"
    )
    assert steps.startswith("SCAN roll_calls USING INDEX ix_roll_calls_date"), steps
    assert "TEMP B-TREE" not in steps, steps


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT party, option, COUNT(*) FROM member_votes WHERE congress = 118 "
        "GROUP BY party, option",
        "SELECT party, SUM(option = 'yea'), SUM(option = 'nay') FROM member_votes "
        "WHERE congress = 118 GROUP BY party",
        "SELECT name, COUNT(*) FROM member_votes WHERE congress = 118 AND option = 'not_voting' "
        "GROUP BY name",
    ],
)
def test_a_congress_is_read_from_the_voters_who_sat_in_it(shipped_db: Path, sql: str) -> None:
    steps = plan(shipped_db, sql)
    assert steps.startswith("SEARCH voter_sessions USING PRIMARY KEY (congress=?)"), steps
    assert "SEARCH positions USING PRIMARY KEY (voter_id=?" in steps, steps
    assert "SCAN" not in steps, steps


@pytest.mark.parametrize(
    ("where", "first"),
    [
        ("member_id = 'S000244'", "voters USING COVERING INDEX sqlite_autoindex_voters_1"),
        ("name = 'Bernard Sanders'", "SEARCH members USING INDEX ix_members_name (name=?)"),
        ("congress = 118", "SEARCH voter_sessions USING PRIMARY KEY (congress=?)"),
        ("roll_call_id = 'h101-116.2020'", "SEARCH roll_calls USING INDEX"),
    ],
)
def test_party_defectors_start_from_what_they_filter_on(
    shipped_db: Path, where: str, first: str
) -> None:
    steps = plan(shipped_db, f"SELECT COUNT(*) FROM party_defectors WHERE {where}")
    assert first in steps.splitlines()[0], steps
    assert "SCAN positions" not in steps, steps
    # an automatic index is made per query: only vote_options' few dozen rows may have one
    automatic = [line for line in steps.splitlines() if "AUTOMATIC" in line]
    assert all(line.startswith("SEARCH vote_options ") for line in automatic), steps


def test_a_members_positions_are_sifted_before_their_sessions_are_looked_up(
    shipped_db: Path,
) -> None:
    """party_defectors tests a position against its party's tally first: only the defections
    then look up their voter's session (19 ms for 19,583 positions, not 26)."""
    steps = plan(shipped_db, "SELECT COUNT(*) FROM party_defectors WHERE member_id = 'S000244'")
    tables = [line.split()[1] for line in steps.splitlines() if line.startswith("SEARCH")]
    assert tables.index("party_tallies") < tables.index("voter_sessions"), steps
