"""The analysts' Python API returns DataFrames of the record."""

from __future__ import annotations

from pathlib import Path

import pytest

from votes import api


def test_roll_call_positions(war_powers_db: Path) -> None:
    df = api.roll_call_positions("s52-116.2020", db=war_powers_db)
    assert len(df) == 100
    assert df["option"].value_counts().to_dict() == {"yea": 55, "nay": 45}
    assert list(df.columns[:4]) == ["roll_call_id", "chamber", "date", "member_id"]


def test_vote_counts(war_powers_db: Path) -> None:
    df = api.vote_counts("s84-116.2020", db=war_powers_db)
    assert df.set_index("party").loc["ALL"].tolist() == [49, 44, 0, 7]


def test_a_measure_finds_the_votes_that_carried_its_text(war_powers_db: Path) -> None:
    df = api.measure_votes("H.R. 5543", 116, db=war_powers_db)
    assert df[["roll_call_id", "voted_on", "yea", "nay"]].values.tolist() == [
        ["h33-116.2020", "H.R. 550 (116th)", 228, 175]
    ]
    sjres = api.measure_votes("sjres68", 116, db=war_powers_db)
    assert sjres["roll_call_id"].tolist() == ["s52-116.2020", "h101-116.2020", "s84-116.2020"]


def test_a_bad_citation_says_what_to_write() -> None:
    with pytest.raises(ValueError, match="try 'S.J.Res. 68'"):
        api.parse_citation("Senate thing 68")


# ---- congress-wide answers, each against a recount of the positions themselves -------------

RECOUNT = """
SELECT
    party,
    SUM(option = 'yea') AS yea,
    SUM(option = 'nay') AS nay,
    SUM(option = 'present') AS present,
    SUM(option = 'not_voting') AS not_voting
FROM member_votes
WHERE congress = :congress
    AND member_id <> 'VP'
GROUP BY party
ORDER BY party
"""


def congresses(db: Path) -> list[int]:
    return api.query("SELECT DISTINCT congress FROM roll_calls ORDER BY 1", db)["congress"].tolist()


def test_party_totals_are_the_positions_recounted(slice_db: Path) -> None:
    for congress in congresses(slice_db):
        got = api.party_totals(congress, db=slice_db)
        want = api.query(RECOUNT, slice_db, congress=congress)
        assert got.values.tolist() == want.values.tolist(), congress
        assert got["yea"].sum() > 0


def test_missed_votes_and_a_members_congress_are_the_positions_recounted(slice_db: Path) -> None:
    congress = congresses(slice_db)[-1]
    missed = api.missed_votes(congress, db=slice_db)
    member = missed.iloc[0]  # the most missed
    votes = api.member_votes(member["member_id"], congress, db=slice_db)
    vacated = api.query("SELECT id FROM roll_calls WHERE status = 'vacated'", slice_db)["id"]
    mine = votes[(votes["chamber"] == member["chamber"]) & ~votes["roll_call_id"].isin(vacated)]
    assert (mine["option"] == "not_voting").sum() == member["missed_votes"] > 0
    assert len(mine) == member["votes_eligible"]
    assert mine["date"].is_monotonic_increasing
