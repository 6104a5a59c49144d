"""The checks of one roll call, whichever road it came by: the record in data/ (`votes build`,
`votes record`) or files read straight into a database (`votes import`).

They read the rows the one derivation makes (votes.database.derive), so they check exactly what
would be written. Each problem names the data/ file it belongs to; `votes import` names the
file it read instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from votes.database.derive import DerivedVote, Row
from votes.vocab import (
    ALL_PARTIES,
    CHAMBERS,
    COUNTED_OPTIONS,
    UnknownOption,
    normalize_option,
    roll_call_id,
)


@dataclass(frozen=True)
class Problem:
    """One problem: the data/ table it is in, the record, and what is wrong."""

    table: str
    record: str
    message: str


def problems(vote: DerivedVote) -> list[Problem]:
    """Every problem of one roll call; none means it may be written."""
    return [*_identity(vote), *_source(vote), *_options(vote), *_reconciled(vote)]


def _identity(vote: DerivedVote) -> Iterator[Problem]:
    r = vote.roll_call
    if r["chamber"] in CHAMBERS:
        expected = roll_call_id(r["chamber"], r["number"], r["congress"], r["session"])
        if vote.id != expected:
            yield Problem("roll_calls", vote.id, f"id should be {expected}")


def _source(vote: DerivedVote) -> Iterator[Problem]:
    s = vote.source
    for name in ("url", "publisher", "date"):
        if not s[name]:
            yield Problem("sources", vote.id, f"source {name} missing")
    if s["date"] and not _is_day(s["date"]):
        yield Problem("sources", vote.id, f"source date {s['date']!r} is not a day (YYYY-MM-DD)")


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _options(vote: DerivedVote) -> Iterator[Problem]:
    """Each option as published means what the record says it means."""
    for (raw, option), member in vote.options.items():
        where = f"{vote.id}/{member}"
        try:
            normalized = normalize_option(raw, election=vote.election)
        except UnknownOption as e:
            yield Problem("positions", where, str(e))
            continue
        if normalized != option:
            yield Problem("positions", where, f"option {option!r} does not match {raw!r}")


def _reconciled(vote: DerivedVote) -> Iterator[Problem]:
    """Party rows sum to the chamber total; the member roll sums to the official counts."""
    official = {c["party"]: c for c in vote.vote_counts}
    if ALL_PARTIES not in official:
        yield Problem("vote_counts", vote.id, f"no {ALL_PARTIES} row (the official total)")
        return
    yield from _party_sums(vote.id, official)
    yield from _roll_sums(vote.id, official, _counted(vote.party_tallies))


def _party_sums(vote_id: str, official: dict[str, Row]) -> Iterator[Problem]:
    parties = [c for p, c in official.items() if p != ALL_PARTIES]
    if not parties:
        return
    for option in COUNTED_OPTIONS:
        given, total = sum(c[option] for c in parties), official[ALL_PARTIES][option]
        if given != total:
            yield Problem(
                "vote_counts", vote_id, f"party rows give {option} {given}, the total says {total}"
            )


def _counted(tallies: list[Row]) -> dict[str, Row]:
    """The roll's counts by party, and ALL (members printed without a party in ALL only)."""
    by_party = {t["party"]: t for t in tallies if t["party"]}
    by_party[ALL_PARTIES] = {o: sum(t[o] for t in tallies) for o in COUNTED_OPTIONS}
    return by_party


def _roll_sums(
    vote_id: str, official: dict[str, Row], counted: dict[str, Row]
) -> Iterator[Problem]:
    zero = dict.fromkeys(COUNTED_OPTIONS, 0)
    for party in sorted(official.keys() | counted.keys()):
        for option in COUNTED_OPTIONS:
            given = official.get(party, zero)[option]
            listed = counted.get(party, zero)[option]
            if given != listed:
                yield Problem(
                    "positions",
                    f"{vote_id}/{party}",
                    f"member positions give {option} {listed}, the official count is {given}",
                )
