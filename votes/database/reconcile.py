"""Checks a loaded database can make and the files of data/ alone cannot: the curated vetoes
against the roll calls of the whole record (`votes build`), and bill files against the curated
vetoes (`votes build` and `votes import`).

Problems are `file:record: message` lines. What the record cannot settle yet (a vote of a
session it does not hold, a bill file disagreeing with data/vetoes.csv) is a note: said, not
failed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from votes.database.derive import DerivedBill, MeasureKey
from votes.database.writer import Sink, held, missing
from votes.errors import RecordError
from votes.vocab import measure_label

CHAMBER_COLUMNS = {"house": "house_roll_call_id", "senate": "senate_roll_call_id"}
# The chamber whose failed vote sustained the veto, for each outcome that has one.
SUSTAINED_IN = {"sustained_house": "house", "sustained_senate": "senate"}
VETO_ACTIONS = {
    "vetoed": ("regular", "disputed_pocket"),
    "pocket_vetoed": ("pocket", "disputed_pocket"),
}

VETOES = """
SELECT
    veto_records.measure_id,
    measures.congress,
    measures.type,
    measures.number,
    veto_records.vetoed_on,
    veto_records.kind,
    veto_records.outcome,
    veto_records.house_roll_call_id,
    veto_records.senate_roll_call_id
FROM veto_records
JOIN measures ON measures.id = veto_records.measure_id
"""
# Every override vote (override_math's test), with the measure it names.
OVERRIDE_VOTES = """
SELECT
    override_math.roll_call_id,
    override_math.measure_id,
    override_math.measure
FROM override_math
WHERE override_math.override_vote = 1
"""
# Each vetoed measure's last passage vote that was not an override.
PASSED = """
SELECT
    override_math.measure_id,
    MAX(override_math.date)
FROM override_math
JOIN veto_records ON veto_records.measure_id = override_math.measure_id
WHERE override_math.category IN ('passage', 'passage-suspension')
    AND override_math.override_vote = 0
GROUP BY override_math.measure_id
"""
ROLL_CALLS = """
SELECT
    roll_calls.id,
    roll_calls.measure_id,
    roll_calls.date,
    vote_outcomes.outcome
FROM roll_calls
JOIN vote_outcomes ON vote_outcomes.roll_call_id = roll_calls.id
WHERE roll_calls.id IN ({ids})
"""
CARRIED = "SELECT roll_call_id, measure_id FROM carried_texts"


@dataclass(frozen=True)
class Veto:
    """A row of veto_records with its measure."""

    measure_id: int
    key: MeasureKey
    vetoed_on: str | None
    kind: str
    outcome: str
    roll_calls: dict[str, str]  # chamber -> override roll call id

    @property
    def record(self) -> str:
        """The row as data/vetoes.csv names it in messages: "116/sjres/68"."""
        return "/".join(map(str, self.key))


@dataclass(frozen=True)
class RollCall:
    measure_id: int | None
    date: str
    outcome: str | None


@dataclass
class Findings:
    """Problems (they stop a load) and notes (they are said)."""

    problems: list[RecordError]
    notes: list[RecordError]


def vetoes(sink: Sink, origin: str) -> Findings:
    """data/vetoes.csv (`origin`) against the roll calls of the database: every override vote
    belongs to a veto row; each override roll call a row names exists (a note when the record
    holds nothing that far yet), is on its measure, after the veto, and decided what the row's
    outcome says; no veto comes before the measure's last passage vote."""
    rows = [_veto(r) for r in sink.query(VETOES)]
    named = {i: v for v in rows for i in v.roll_calls.values()}
    found = Findings([], [])
    for roll_call_id, measure_id, measure in sink.query(OVERRIDE_VOTES):
        if roll_call_id not in named:
            where = next((v.record for v in rows if v.measure_id == measure_id), measure or "-")
            found.problems.append(
                RecordError(origin, where, f"override roll call {roll_call_id} is in no veto row")
            )
    votes = _roll_calls(sink, list(named))
    carried = {tuple(r) for r in sink.query(CARRIED)}
    reach = held(sink)
    passed = {m: _iso(d) for m, d in sink.query(PASSED)}
    for veto in rows:
        for message in _passed_problems(veto, passed.get(veto.measure_id)):
            found.problems.append(RecordError(origin, veto.record, message))
        for chamber, roll_call_id in veto.roll_calls.items():
            vote = votes.get(roll_call_id)
            if vote is None:
                _missing(found, origin, veto, roll_call_id, reach)
                continue
            linked = (
                vote.measure_id == veto.measure_id or (roll_call_id, veto.measure_id) in carried
            )
            for message in _vote_problems(veto, chamber, roll_call_id, vote, linked):
                found.problems.append(RecordError(origin, veto.record, message))
    return found


def _veto(r: Sequence[Any]) -> Veto:
    chambers = {c: r[7 + i] for i, c in enumerate(CHAMBER_COLUMNS) if r[7 + i]}
    return Veto(r[0], (r[1], r[2], r[3]), _iso(r[4]), r[5], r[6], chambers)


def _iso(value: Any) -> str | None:
    return None if value is None else str(value)


def _roll_calls(sink: Sink, ids: list[str]) -> dict[str, RollCall]:
    if not ids:
        return {}
    quoted = ", ".join(f"'{i}'" for i in ids if "'" not in i)
    return {
        r[0]: RollCall(r[1], str(r[2]), r[3]) for r in sink.query(ROLL_CALLS.format(ids=quoted))
    }


def _passed_problems(veto: Veto, passed_on: str | None) -> Iterator[str]:
    if veto.vetoed_on and passed_on and veto.vetoed_on < passed_on:
        yield f"vetoed on {veto.vetoed_on}, before the measure passed (a roll call of {passed_on})"


def _vote_problems(
    veto: Veto, chamber: str, roll_call_id: str, vote: RollCall, linked: bool
) -> Iterator[str]:
    if not linked:
        yield f"{roll_call_id} is not a vote on {measure_label(*veto.key)}"
    if veto.vetoed_on and vote.date < veto.vetoed_on:
        yield f"{roll_call_id} ({vote.date}) comes before the veto ({veto.vetoed_on})"
    expected = "failed" if SUSTAINED_IN.get(veto.outcome) == chamber else "carried"
    if vote.outcome is not None and vote.outcome != expected:
        yield f"outcome {veto.outcome}, but {roll_call_id} {vote.outcome}"


def _missing(found: Findings, origin: str, veto: Veto, roll_call_id: str, reach: dict) -> None:
    """A named roll call the database lacks: a problem when the record holds that chamber's
    votes of that session past its number, else a note (the record does not reach it yet)."""
    inside, how_far = missing(roll_call_id, reach)
    if inside:
        message = f"{roll_call_id} is not in the record ({how_far})"
        found.problems.append(RecordError(origin, veto.record, message))
    else:
        message = f"{roll_call_id} is not in the record yet ({how_far}): linked once imported"
        found.notes.append(RecordError(origin, veto.record, message))


def bills(sink: Sink, records: Sequence[DerivedBill]) -> list[RecordError]:
    """Notes where a bill file and data/vetoes.csv disagree on a veto: one records it and the
    other does not, or they differ on its day or its kind. (Bill Status is the authority from
    2003 on; data/vetoes.csv is reviewed by hand, so a disagreement is said, not settled.)"""
    known = {v.key: v for v in (_veto(r) for r in sink.query(VETOES))}
    if not known:  # a database `votes build` did not make: no curated vetoes to compare with
        return []
    notes = []
    for b in records:
        for message in _bill_disagreements(b, known.get(b.measure.key)):
            notes.append(RecordError(b.origin, b.record, message))
    return notes


def _bill_disagreements(b: DerivedBill, veto: Veto | None) -> Iterator[str]:
    actions = [(a["action"], a["date"]) for a in b.actions if a["action"] in VETO_ACTIONS]
    if veto is None:
        for action, day in actions:
            yield f"{action} on {day} here; data/vetoes.csv has no row for it"
        return
    if not actions:
        day = veto.vetoed_on or "no date"
        yield f"no veto here; data/vetoes.csv has a {veto.kind} veto ({day})"
    for action, day in actions:
        if veto.kind not in VETO_ACTIONS[action]:
            yield f"{action} here; data/vetoes.csv says {veto.kind}"
        if day != veto.vetoed_on:
            yield f"{action} on {day} here; data/vetoes.csv says {veto.vetoed_on or 'no date'}"
