"""A reader's code book (votes.database.derive.CodeBook) gives each position its code by the
position's content; remembering position objects by identity only saves the look-up."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from votes.database import derive
from votes.importers import inputs
from votes.normalized import RollCallRecord

UPSTREAM = Path(__file__).with_name("fixtures") / "upstream"
VOTES = ["h7", "h33", "h34", "h101", "s52", "s84"]


def records() -> list[RollCallRecord]:
    found = []
    for name in VOTES:
        path = UPSTREAM / name / "data.json"
        record = inputs.parse(str(path), path.read_bytes())
        assert isinstance(record, RollCallRecord)
        found.append(record)
    return found


def derived(book: derive.CodeBook, rolls: list[RollCallRecord]) -> list[tuple]:
    return [(list(v.codes), v.digest, v.party_tallies, v.options) for v in map(book.derive, rolls)]


def test_codes_are_the_same_whether_objects_are_remembered_or_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rolls = records() * 2  # each position object seen twice: the second time by identity
    remembered = derived(derive.CodeBook(), rolls)
    monkeypatch.setattr(derive, "SEEN_POSITIONS", 1)  # forgotten after every new object
    forgetful = derive.CodeBook()
    assert derived(forgetful, rolls) == remembered
    assert len(forgetful.seen) == len(forgetful.held) == 1
    copies = [copy.deepcopy(r) for r in rolls]  # equal positions, other objects
    assert derived(derive.CodeBook(), copies) == remembered
