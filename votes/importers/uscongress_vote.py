"""unitedstates/congress vote JSON (data.json) -> normalized RollCallRecord records."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

from votes.importers.base import UNKNOWN, ParseScaffold, json_object
from votes.importers.legislators import house_voter, senate_voter, vice_president
from votes.normalized import MeasureRef, PositionRecord, RollCallRecord, SourceRecord, check, tally
from votes.vocab import (
    CHAMBER_BY_LETTER,
    MEASURE_TYPES,
    PUBLISHERS,
    VICE_PRESIDENT,
    is_election,
    normalize_option,
    roll_call_id,
)

REQUIRED = (
    "vote_id",
    "chamber",
    "congress",
    "session",
    "number",
    "date",
    "question",
    "category",
    "requires",
    "result",
    "source_url",
    "votes",
)
TEXT = ("chamber", "date", "question", "category", "requires", "result", "source_url")
VOTER_FIELDS = ("display_name", "party", "state")  # the id: legislators.py checks it
SENATE_TALLY = re.compile(r"\((\d+)-(\d+)")


def looks_like(data: bytes) -> bool:
    """Whether a file's bytes are unitedstates/congress vote JSON."""
    return data.lstrip()[:1] == b"{" and b'"vote_id"' in data


def _vote_id(doc: dict[str, Any]) -> str:
    return str(doc.get("vote_id", UNKNOWN))


def _roll_call(doc: dict[str, Any], origin: str) -> RollCallRecord:
    """The roll call of one vote object, checked against its own vote_id and totals."""
    missing = [k for k in REQUIRED if k not in doc]
    if missing:
        raise KeyError(", ".join(missing))
    not_text = [k for k in TEXT if not isinstance(doc[k], str)]
    if not_text:
        raise ValueError(f"not text: {', '.join(not_text)}")
    if not isinstance(doc["votes"], dict):
        raise ValueError("votes: not an object of options")
    if doc["chamber"] not in CHAMBER_BY_LETTER:
        raise ValueError(f"unknown chamber {doc['chamber']!r}")
    chamber = CHAMBER_BY_LETTER[doc["chamber"]]
    congress, session, number = int(doc["congress"]), str(doc["session"]), int(doc["number"])
    vote_id = roll_call_id(chamber, number, congress, session)
    if doc["vote_id"] != vote_id:
        raise ValueError(
            f"vote_id does not match its chamber, number, congress, session ({vote_id})"
        )
    positions = _positions(
        doc["votes"], chamber, election=is_election(doc["category"], doc["question"])
    )
    roll = RollCallRecord(
        id=vote_id,
        chamber=chamber,
        congress=congress,
        session=session,
        number=number,
        voted_at=doc["date"],
        question=doc["question"],
        category=doc["category"],
        requires=doc["requires"],
        result=doc["result"],
        result_text=doc.get("result_text") or doc["result"],
        source=_source(doc, chamber),
        measure=_measure(doc.get("bill")),
        status="counted" if positions else "vacated",
        counts=tally(positions),
        positions=positions,
        origin=origin,
    )
    _check_senate_tally(roll)
    return roll


def _source(doc: dict[str, Any], chamber: str) -> SourceRecord:
    url = re.sub(r"^http://", "https://", doc["source_url"])
    date = (doc.get("record_modified") or doc["date"])[:10]
    return SourceRecord(url=url, publisher=PUBLISHERS[chamber], date=date)


def _measure(bill: dict[str, Any] | None) -> MeasureRef | None:
    if not bill:
        return None
    if bill["type"] not in MEASURE_TYPES:
        raise ValueError(f"unknown bill type {bill['type']!r}")
    return MeasureRef(
        int(bill["congress"]), bill["type"], int(bill["number"]), bill.get("title", "")
    )


def _positions(votes: dict[str, list[Any]], chamber: str, election: bool) -> list[PositionRecord]:
    positions: list[PositionRecord] = []
    for raw_option, voters in sorted(votes.items()):
        option = normalize_option(raw_option, election=election)
        positions.extend(_position(entry, chamber, option, raw_option) for entry in voters)
    keys = {p.voter.key for p in positions}
    if len(keys) < len(positions):
        seen = Counter(p.voter.key for p in positions)
        raise ValueError(f"member {min(k for k, n in seen.items() if n > 1)} is listed twice")
    return sorted(positions, key=_by_member)


def _by_member(p: PositionRecord) -> str:
    return p.voter.key


def _position(
    entry: dict[str, str] | str, chamber: str, option: str, raw_option: str
) -> PositionRecord:
    if entry == VICE_PRESIDENT:
        return PositionRecord(vice_president(), option, raw_option)
    if not isinstance(entry, dict):
        raise ValueError(f"voter {entry!r} is not an object")
    not_text = [k for k in VOTER_FIELDS if not isinstance(entry.get(k, ""), str)]
    if not_text:  # a null party would reach the database as no party at all
        raise ValueError(f"voter {entry.get('id')!r}: not text: {', '.join(not_text)}")
    return _known_position(
        chamber,
        entry.get("id", ""),
        entry.get("display_name", ""),
        entry.get("party", ""),
        entry.get("state", ""),
        option,
        raw_option,
    )


@cache
def _known_position(
    chamber: str, id_: str, name: str, party: str, state: str, option: str, raw_option: str
) -> PositionRecord:
    """Positions are immutable and recur on every vote a member casts: each is made once."""
    make = senate_voter if chamber == "senate" else house_voter
    return PositionRecord(make(id_, name, party, state), option, raw_option)


def _check_senate_tally(roll: RollCallRecord) -> None:
    """The Senate's result text prints the official yeas and nays: the roll must agree."""
    match = SENATE_TALLY.search(roll.result_text) if roll.chamber == "senate" else None
    total = next((c for c in roll.counts if c.party == "ALL"), None)
    if match and total and (total.yea, total.nay) != (int(match[1]), int(match[2])):
        raise ValueError(
            f"member positions give {total.yea}-{total.nay}, the official result says "
            f"{match[1]}-{match[2]}"
        )


IMPORTER = ParseScaffold(
    name="unitedstates/congress vote JSON",
    looks_like=looks_like,
    read=json_object("a vote object"),
    identify=_vote_id,
    build=_roll_call,
    check=check,
)
parse = IMPORTER.parse
