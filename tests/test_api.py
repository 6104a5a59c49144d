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
