"""Normalized records: what every importer produces, whatever the format it read."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter

from votes.errors import RecordError
from votes.vocab import (
    ACTION_KINDS,
    ALL_PARTIES,
    CATEGORIES,
    CHAMBERS,
    CONGRESSES,
    COUNTED_OPTIONS,
    MEASURE_NUMBERS,
    MEASURE_TYPES,
    MEMBER_COUNTS,
    ROLL_CALL_STATUSES,
    ROLL_NUMBERS,
    THRESHOLDS,
    VICE_PRESIDENT,
    YEARS,
    Span,
    roll_call_id,
)

TEXT_FIELDS = ("session", "voted_at", "category", "requires", "result", "status")
LAW_NUMBER = re.compile(r"(Public|Private) Law \d+-\d+")
VOCABULARIES = {
    "chamber": CHAMBERS,
    "category": CATEGORIES,
    "requires": THRESHOLDS,
    "status": ROLL_CALL_STATUSES,
}


@dataclass(frozen=True)
class SourceRecord:
    """Where a figure was published: URL, publisher, date (ISO)."""

    url: str
    publisher: str
    date: str
    title: str = ""


@dataclass(frozen=True)
class MeasureRef:
    """A measure named by a roll call: congress, unitedstates/congress type, number."""

    congress: int
    type: str
    number: int
    title: str = ""

    @property
    def bill_id(self) -> str:
        """The measure as messages and bill records name it: "hjres68-116"."""
        return bill_id(self.type, self.number, self.congress)


def bill_id(type_: object, number: object, congress: object) -> str:
    """A measure's id in unitedstates/congress's form, "<type><number>-<congress>"
    ("sjres68-116"), from its parts as given (a message may name a record's raw values)."""
    return f"{type_}{number}-{congress}"


@dataclass(frozen=True)
class VoterRecord:
    """A member as a roll call names them.

    `key` is the identity: the Bioguide id when known; otherwise "lis:S441" for an unmapped
    senator, or "name:<chamber>:<name>:<party>:<state>" for an old House file with no id.
    """

    key: str
    bioguide_id: str | None
    lis_id: str | None
    name: str
    party: str
    state: str
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class PositionRecord:
    """One member's vote: the option as published, normalized by vocab.normalize_option."""

    voter: VoterRecord
    option: str
    raw_option: str


@dataclass(frozen=True)
class CountRecord:
    """Official counts for the chamber (party == "ALL") or one party."""

    party: str
    yea: int
    nay: int
    present: int
    not_voting: int


@dataclass
class RollCallRecord:
    """One roll-call vote with its official counts and every member's position."""

    id: str  # "s84-116.2020"
    chamber: str
    congress: int
    session: str  # the year, as unitedstates/congress names sessions
    number: int
    voted_at: str  # ISO 8601 with UTC offset
    question: str
    category: str
    requires: str
    result: str
    result_text: str
    source: SourceRecord
    measure: MeasureRef | None = None
    status: str = "counted"
    counts: list[CountRecord] = field(default_factory=list)
    positions: list[PositionRecord] = field(default_factory=list)
    origin: str = ""  # the file (or archive member) it was read from, for error messages


@dataclass(frozen=True)
class RollCallRef:
    """A roll call a bill file lists, by its unitedstates/congress id ("s172-114.2015")."""

    id: str
    chamber: str
    congress: int
    session: str  # the year, as in RollCallRecord.session
    number: int
    voted_at: str  # ISO 8601 as the file gives it ("2015-05-05T22:33:54Z")
    url: str  # the official roll call (House Clerk or Senate LIS), as the file gives it
    amendment: str = ""  # "samdt5194-117" when the vote was on an amendment to the measure


@dataclass
class BillRecord:
    """A measure with its official title, what the President did with it, and its roll calls."""

    measure: MeasureRef  # title: the official title
    source: SourceRecord
    actions: list[tuple[str, str]] = field(default_factory=list)  # (action kind, ISO date)
    origin: str = ""
    short_titles: tuple[str, ...] = ()  # of the whole measure, in the file's order
    display_title: str = ""  # the title congress.gov shows ("Inflation Reduction Act of 2022")
    law_number: str = ""  # "Public Law 114-70" once it became law
    recorded_votes: tuple[RollCallRef, ...] = ()  # by date, then id


@dataclass(frozen=True)
class MeasureRecord:
    """A measure as the record knows it: its title (sourced, when it has one) and whether a
    joint resolution proposes a constitutional amendment (then it is never presented)."""

    measure: MeasureRef
    amendment: bool = False
    source: SourceRecord | None = None
    origin: str = ""
    title_source: str = "curated"  # vote: the title was taken from a roll call's file


@dataclass(frozen=True)
class ActionRecord:
    """What the President did with a measure, on a day (ISO), by a source."""

    measure: MeasureRef
    action: str
    date: str
    source: SourceRecord
    origin: str = ""


@dataclass(frozen=True)
class CarriedTextRecord:
    """A roll call on one measure that carried the text of another (H.R. 550 carrying H.R. 5543)."""

    roll_call_id: str
    measure: MeasureRef
    note: str
    source: SourceRecord
    origin: str = ""


@dataclass(frozen=True)
class VetoRecord:
    """One veto as the curated inventory records it (data/vetoes.csv), with every source."""

    measure: MeasureRef
    president: str
    vetoed_on: str  # ISO date; "" where no source gave it
    kind: str  # vocab.VETO_KINDS
    outcome: str  # vocab.VETO_OUTCOMES
    house_roll_call_id: str  # the House's override vote, "" when none (or none recorded)
    senate_roll_call_id: str
    title: str  # a short description, the inventory's words (not the official title)
    notes: str  # every doubt about the row
    doubtful: bool  # not fully sourced, or settling sources that disagree (the notes say how)
    source: SourceRecord
    more_sources: tuple[SourceRecord, ...] = ()
    origin: str = ""


@dataclass(frozen=True)
class OfficialVetoCountRecord:
    """A President's vetoes as an official count gives them (None: not legible there)."""

    president: str
    regular: int | None
    pocket: int | None
    total: int | None
    note: str
    source: SourceRecord
    origin: str = ""


def check(roll: RollCallRecord) -> RollCallRecord:
    """What every roll call must be, whichever importer read it: else a RecordError naming
    its file and the vote (so no importer's gap reaches data/ or a database)."""
    problem = _problem(roll)
    if problem:
        raise RecordError(roll.origin, roll.id, problem)
    return roll


def check_bill(bill: BillRecord) -> BillRecord:
    """What every bill record must be, whichever importer read it: else a RecordError."""
    problem = _bill_problem(bill)
    if problem:
        m = bill.measure
        raise RecordError(bill.origin, m.bill_id, problem)
    return bill


def _bill_problem(bill: BillRecord) -> str | None:
    insane = _measure_problem(bill.measure) or next(
        (p for v in bill.recorded_votes if (p := _roll_call_problem(v))), None
    )
    if insane:
        return insane
    if bill.measure.type not in MEASURE_TYPES:
        return f"unknown bill type {bill.measure.type!r}"
    for kind, day in bill.actions:
        if kind not in ACTION_KINDS:
            return f"unknown action {kind!r}"
        if not _iso_day(day):
            return f"{kind}: date {day!r} is not an ISO date"
    if bill.law_number and not LAW_NUMBER.fullmatch(bill.law_number):
        return f"law number {bill.law_number!r} is not like 'Public Law 114-70'"
    for vote in bill.recorded_votes:
        if vote.chamber not in CHAMBERS:
            return f"recorded vote {vote.id!r}: unknown chamber {vote.chamber!r}"
        if vote.id != roll_call_id(vote.chamber, vote.number, vote.congress, vote.session):
            return (
                f"recorded vote {vote.id!r} does not match its chamber, number, congress, session"
            )
    return None


def _iso_day(value: str) -> bool:
    try:
        return date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _insane(*checks: tuple[Span, object]) -> str | None:
    """The first number outside its sane range (vocab's spans), in words."""
    return next((p for span, value in checks if (p := span.problem(value))), None)


def _roll_call_problem(roll: RollCallRecord | RollCallRef) -> str | None:
    """A roll call's congress, number and session year out of range (a 25-digit roll number
    would overflow a database's integer)."""
    session = roll.session if isinstance(roll.session, str) else ""
    year = int(session) if re.fullmatch(r"[0-9]{4}", session) else None
    return _insane(
        (CONGRESSES, roll.congress), (ROLL_NUMBERS, roll.number), (YEARS, year or YEARS.low)
    )


def _measure_problem(m: MeasureRef | None) -> str | None:
    return _insane((CONGRESSES, m.congress), (MEASURE_NUMBERS, m.number)) if m else None


def _counts_problem(roll: RollCallRecord) -> str | None:
    return _insane(
        *(
            (MEMBER_COUNTS, getattr(c, n))
            for c in roll.counts
            for n in ("yea", "nay", "present", "not_voting")
        )
    )


def _problem(roll: RollCallRecord) -> str | None:
    insane = _roll_call_problem(roll) or _measure_problem(roll.measure) or _counts_problem(roll)
    if insane:
        return insane
    for name in TEXT_FIELDS:
        value = getattr(roll, name)
        if not isinstance(value, str) or not value.strip():
            return f"{name}: not a text ({value!r})"
    if not isinstance(roll.question, str):  # may be empty: eight House votes of 1991 put none
        return f"question: not a text ({roll.question!r})"
    for name, vocabulary in VOCABULARIES.items():
        if getattr(roll, name) not in vocabulary:
            return f"unknown {name} {getattr(roll, name)!r}"
    if not re.fullmatch(r"\d{4}", roll.session):
        return f"session {roll.session!r} is not a year"
    if not _iso_moment(roll.voted_at):
        return f"date {roll.voted_at!r} is not ISO 8601 (a date, or a time with its UTC offset)"
    if not any(c.party == ALL_PARTIES for c in roll.counts):
        return f"no {ALL_PARTIES} count (the chamber total)"
    return None


def _iso_moment(value: str) -> bool:
    """A day ("2015-06-04", where the file gives no time) or a time with its UTC offset."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10 or when.tzinfo is not None


_PARTY_OPTION = attrgetter("voter.party", "option")  # counted in C, not a loop of Python
_VOTER_KEY = attrgetter("voter.key")


def tally(positions: list[PositionRecord]) -> list[CountRecord]:
    """Counts of a member roll: the chamber total ("ALL", zeros for an empty roll) and one row
    per party, sorted.

    The Vice President's tie-breaking vote is recorded as a position but, as in the Senate's
    official counts ("50-50", then the VP), is not counted.
    """
    counted = Counter(map(_PARTY_OPTION, positions))
    # The Vice President is printed with no party: only a roll with such a member is searched.
    if any(not party for party, _ in counted) and VICE_PRESIDENT in map(_VOTER_KEY, positions):
        for p in positions:
            if p.voter.key == VICE_PRESIDENT:
                counted[p.voter.party, p.option] -= 1
    groups: dict[str, dict[str, int]] = {ALL_PARTIES: dict.fromkeys(COUNTED_OPTIONS, 0)}
    for (party, option), n in counted.items():
        for name in (ALL_PARTIES, party) if party else (ALL_PARTIES,):
            group = groups.setdefault(name, dict.fromkeys(COUNTED_OPTIONS, 0))
            if option in group:
                group[option] += n
    return [CountRecord(party, **groups[party]) for party in sorted(groups)]
