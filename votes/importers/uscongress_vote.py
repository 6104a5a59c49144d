"""unitedstates/congress vote JSON (data.json) -> normalized RollCallRecord records."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter, itemgetter
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
        positions.extend(_option_positions(voters, chamber, option, raw_option))
    if len(set(map(_VOTER_KEY, positions))) < len(positions):
        seen = Counter(map(_VOTER_KEY, positions))
        raise ValueError(f"member {min(k for k, n in seen.items() if n > 1)} is listed twice")
    positions.sort(key=_VOTER_KEY)
    return positions


_VOTER_KEY = attrgetter("voter.key")
_ID = itemgetter("id")


@dataclass
class _Known:
    """The voter objects of one (chamber, raw option, option) seen so far, by id, and the
    position each became: a member's object recurs, the same, on every vote they cast, so
    it is turned into a position once and then found by a look-up made in C."""

    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    positions: dict[str, PositionRecord] = field(default_factory=dict)


_KNOWN: dict[tuple[str, str, str], _Known] = {}


def _option_positions(
    voters: list[Any], chamber: str, option: str, raw_option: str
) -> list[PositionRecord]:
    """The positions of the voters listed under one option."""
    known = _KNOWN.setdefault((chamber, raw_option, option), _Known())
    try:
        ids = list(map(_ID, voters))
        if list(map(known.objects.__getitem__, ids)) == voters:  # each object as before
            return list(map(known.positions.__getitem__, ids))
    except (KeyError, TypeError):  # an object not seen yet, not an object, the Vice President
        pass
    return [_known_entry(known, entry, chamber, option, raw_option) for entry in voters]


def _known_entry(
    known: _Known, entry: Any, chamber: str, option: str, raw_option: str
) -> PositionRecord:
    """One voter's position, by its object as seen before if it is the same, else made (and
    remembered): a new member among old ones leaves the others' positions found by look-up."""
    id_ = entry.get("id") if isinstance(entry, dict) else None
    if not isinstance(id_, str):
        return _position(entry, chamber, option, raw_option)
    if known.objects.get(id_) != entry:
        known.positions[id_] = _position(entry, chamber, option, raw_option)
        known.objects[id_] = entry
    return known.positions[id_]


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
