"""The one derivation: normalized records -> the rows of every table, addressed by column name.

Both roads into a database use it, `votes build` (the record in data/, then the shipped
archives) and `votes import` (files, archives, URLs), and so do the checks of every roll call
(votes.record.checks). A derived row names what it refers to by natural key (a source by its
URL, a measure by congress, type and number); the writer turns those into surrogate ids.

A roll call's member roll travels as codes: each distinct (member, party, state, option) a
CodeBook meets gets a small integer, defined once with the rows it stands for (members,
voters, vote_options), so a position crosses processes as 4 bytes.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from votes.normalized import (
    ActionRecord,
    BillRecord,
    CarriedTextRecord,
    CountRecord,
    MeasureRecord,
    MeasureRef,
    OfficialVetoCountRecord,
    PositionRecord,
    RollCallRecord,
    SourceRecord,
    VetoRecord,
    VoterRecord,
)
from votes.vocab import COUNTED_OPTIONS, MEASURE_TYPES, VICE_PRESIDENT, is_election, measure_label

Row = dict[str, Any]
MeasureKey = tuple[int, str, int]  # congress, type, number
FIELD, LINE = "\x1f", "\x1e"
# Most positions are Yea or Aye. SQLite stores the integers 0 and 1 in no bytes at all (record
# serial types 8 and 9), so those two raw options get vote_options ids 0 and 1: 5.8 million of
# the 9.5 million positions of 1989-2020 are a byte smaller, in the table and in its index.
ZERO_BYTE_OPTIONS = {"Yea": 0, "Aye": 1}
# A position as the writer hands it on, one int: voter_id << OPTION_BITS | vote_option_id.
OPTION_BITS = 16
OPTION_MASK = (1 << OPTION_BITS) - 1  # the vote option ids there is room for
SEEN_POSITIONS = 200_000  # position objects a code book remembers by identity, at the most


# ---- rows of one record each ---------------------------------------------------------------


def source_row(s: SourceRecord) -> Row:
    """A sources row (its id is the writer's); a page that states no date has none (NULL)."""
    return {"url": s.url, "publisher": s.publisher, "date": s.date or None, "title": s.title}


def measure_key(m: MeasureRef) -> MeasureKey:
    return (m.congress, m.type, m.number)


def measure_row(m: MeasureRef, amendment: bool = False, title_source: str | None = None) -> Row:
    """A measures row: label, kind, chamber of origin and presentment follow from the type;
    `title_source` says where a title comes from (vocab.TITLE_SOURCES; None when it has none)."""
    kind = MEASURE_TYPES[m.type]
    return {
        "congress": m.congress,
        "type": m.type,
        "number": m.number,
        "label": measure_label(m.congress, m.type, m.number),
        "title": m.title,
        "kind": kind.kind,
        "originating_chamber": kind.originating_chamber,
        "presented": kind.presented and not amendment,
        "constitutional_amendment": amendment,
        "title_source": title_source if m.title else None,
        "short_title": "",
        "law_number": "",
    }


def roll_call_row(r: RollCallRecord) -> Row:
    """A roll_calls row without its surrogate columns (key, measure_id, source_id)."""
    return {
        "id": r.id,
        "chamber": r.chamber,
        "congress": r.congress,
        "session": r.session,
        "number": r.number,
        "date": r.voted_at[:10],
        "voted_at": r.voted_at,
        "question": r.question,
        "category": r.category,
        "requires": r.requires,
        "result": r.result,
        "result_text": r.result_text,
        "status": r.status,
    }


def count_row(roll_call_id: str, c: CountRecord) -> Row:
    """A vote_counts (or party_tallies) row, without its source."""
    return {
        "roll_call_id": roll_call_id,
        "party": c.party,
        "yea": c.yea,
        "nay": c.nay,
        "present": c.present,
        "not_voting": c.not_voting,
    }


def member_row(v: VoterRecord) -> Row:
    """A members row: resolved when the member has a Bioguide id (else a flagged stand-in)."""
    return {
        "id": v.key,
        "bioguide_id": v.bioguide_id,
        "lis_id": v.lis_id,
        "name": v.name,
        "first_name": v.first_name,
        "last_name": v.last_name,
        "resolved": v.bioguide_id is not None,
    }


def voter_row(v: VoterRecord) -> Row:
    """A voters row: "Tim Kaine (D-VA)"; the Vice President, with no party or state, is a name."""
    label = f"{v.name} ({v.party}-{v.state})".replace(" (-)", "")
    return {"member_id": v.key, "party": v.party, "state": v.state, "label": label}


def action_row(a: ActionRecord) -> Row:
    """A presidential_actions row; its measure is named by key (`measure`) for the writer."""
    return {"measure": measure_key(a.measure), "action": a.action, "date": a.date}


def carried_text_row(c: CarriedTextRecord) -> Row:
    """A carried_texts row; its measure is named by key (`measure`) for the writer."""
    return {"roll_call_id": c.roll_call_id, "measure": measure_key(c.measure), "note": c.note}


def veto_row(v: VetoRecord) -> Row:
    """A veto_records row; its measure is named by key (`measure`) for the writer."""
    return {
        "measure": measure_key(v.measure),
        "president": v.president,
        "vetoed_on": v.vetoed_on or None,
        "kind": v.kind,
        "outcome": v.outcome,
        "house_roll_call_id": v.house_roll_call_id or None,
        "senate_roll_call_id": v.senate_roll_call_id or None,
        "title": v.title,
        "notes": v.notes,
        "doubtful": v.doubtful,
    }


def official_veto_count_row(c: OfficialVetoCountRecord) -> Row:
    """An official_veto_counts row, without its source."""
    return {
        "president": c.president,
        "regular": c.regular,
        "pocket": c.pocket,
        "total": c.total,
        "note": c.note,
    }


@dataclass
class DerivedMeasure:
    """A measure's row and the source of its title (none when it has no title).

    `authority` is the road it came by (vocab.TITLE_SOURCES: curated, bill_status, bill_json,
    vote): the writer lets a title from a better one replace one from a worse, never the
    reverse, and only the record in data/ says whether a measure proposes an amendment.
    """

    key: MeasureKey
    row: Row
    source: Row | None
    origin: str = ""
    authority: str = "vote"


def derive_measure(m: MeasureRecord) -> DerivedMeasure:
    source = source_row(m.source) if m.source else None
    row = measure_row(m.measure, m.amendment, m.title_source)
    return DerivedMeasure(measure_key(m.measure), row, source, m.origin, m.title_source)


@dataclass
class DerivedBill:
    """A bill record as rows: its measure (titles, law number), the President's actions, and
    the roll calls it lists (linked once every vote of the load is written)."""

    record: str  # "hr748-116", for messages
    origin: str
    measure: DerivedMeasure
    source: Row
    actions: list[Row]
    recorded_votes: list[tuple[str, str]]  # (roll call id, amendment voted on, or "")


def derive_bill(b: BillRecord, authority: str) -> DerivedBill:
    """The rows of a bill record read by one importer (`authority`: bill_status or bill_json)."""
    m = b.measure
    source = source_row(b.source)
    row = measure_row(m, title_source=authority) | {
        "short_title": short_title(b),
        "law_number": b.law_number,
    }
    measure = DerivedMeasure(measure_key(m), row, source, b.origin, authority)
    actions = [{"measure": measure.key, "action": kind, "date": day} for kind, day in b.actions]
    votes = [(v.id, v.amendment) for v in b.recorded_votes]
    return DerivedBill(m.bill_id, b.origin, measure, source, actions, votes)


def short_title(b: BillRecord) -> str:
    """The measure's short title: the first the file gives for the whole measure, else the title
    congress.gov displays when it is not the official title (then it is a short or popular one)."""
    if b.short_titles:
        return b.short_titles[0]
    return b.display_title if b.display_title not in ("", b.measure.title) else ""


# ---- a roll call ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """What a position code stands for: the member, the voter as printed, the option cast."""

    member: Row
    voter: Row
    vote_option: Row
    origin: str  # the file that first showed it, for messages


@dataclass
class DerivedVote:
    """One roll call as rows: everything the writer and the checks need, in plain types."""

    id: str
    origin: str
    roll_call: Row
    source: Row
    measure: DerivedMeasure | None  # the measure the vote names, titled from the vote file
    vote_counts: list[Row]  # official, sorted by party
    party_tallies: list[Row]  # counted from the member roll, sorted by party
    codes: array  # one per position
    options: dict[tuple[str, str], str]  # (raw option, option) -> a member who cast it
    election: bool
    digest: str


@dataclass
class CodeBook:
    """A reader's codes: (member, party, state, raw, option) -> (code, digest line, group, pair)."""

    index: dict[tuple, tuple[int, bytes, int, int]] = field(default_factory=dict)
    groups: list[tuple[str, str]] = field(default_factory=list)  # group -> (party, option)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # pair -> (raw option, option)
    members: list[str] = field(default_factory=list)  # code -> member id
    new: list[Code] = field(default_factory=list)
    seen: dict[int, tuple[int, bytes, int, int]] = field(default_factory=dict)  # id(position)
    held: list[PositionRecord] = field(default_factory=list)  # the positions `seen` holds

    def take_new(self) -> list[Code]:
        """Codes defined since the last call, in code order."""
        new, self.new = self.new, []
        return new

    def derive(self, roll: RollCallRecord) -> DerivedVote:
        """The rows of a roll call, defining any new code its roll needs."""
        entries = list(map(self.seen.get, map(id, roll.positions)))
        if None in entries:
            given = zip(entries, roll.positions, strict=True)
            entries = [e or self._entry(p, roll.origin) for e, p in given]
        codes, lines, groups, pairs = zip(*entries, strict=True) if entries else ((),) * 4
        return _derived(
            roll,
            array("I", codes),
            sorted(lines),
            self._tallies(groups),
            self._options(codes, pairs),
        )

    def _entry(self, p: PositionRecord, origin: str) -> tuple[int, bytes, int, int]:
        """A position's entry by its content (defined the first time), then remembered for
        the position object itself: an importer hands the same object for a member's same
        position on every vote (uscongress_vote), and the look-up by id is made in C."""
        v = p.voter
        key = (v.key, v.party, v.state, p.raw_option, p.option)
        entry = self.index.get(key) or self._define(key, v, p, origin)
        if len(self.held) >= SEEN_POSITIONS:  # importers that make new objects every vote
            self.seen.clear()
            self.held.clear()
        self.seen[id(p)] = entry
        self.held.append(p)  # alive while remembered: its id stays its own
        return entry

    def _define(
        self, key: tuple[str, str, str, str, str], v: VoterRecord, p: PositionRecord, origin: str
    ) -> tuple[int, bytes, int, int]:
        option = {"raw_option": p.raw_option, "option": p.option}
        self.new.append(Code(member_row(v), voter_row(v), option, origin))
        self.members.append(v.key)
        group = -1 if v.key == VICE_PRESIDENT else _number(self.groups, (v.party, p.option))
        pair = _number(self.pairs, (p.raw_option, p.option))
        entry = (
            len(self.index),
            position_line(key[0], key[1], key[2], p.option, p.raw_option),
            group,
            pair,
        )
        self.index[key] = entry
        return entry

    def _tallies(self, groups: tuple[int, ...]) -> list[CountRecord]:
        """Each party's counts of the roll (members printed without a party form the party
        ""); the Vice President, as in the Senate's own counts ("50-50", then the VP), is in
        none."""
        by_party: dict[str, list[int]] = {}
        for group, n in Counter(groups).items():
            if group < 0:
                continue
            party, option = self.groups[group]
            counts = by_party.setdefault(party, [0, 0, 0, 0])
            if option in COUNTED_OPTIONS:
                counts[COUNTED_OPTIONS.index(option)] += n
        return [CountRecord(party, *by_party[party]) for party in sorted(by_party)]

    def _options(self, codes: tuple[int, ...], pairs: tuple[int, ...]) -> dict:
        """Each (raw option, option) of a roll, with the first member who cast it."""
        return {self.pairs[p]: self.members[codes[pairs.index(p)]] for p in dict.fromkeys(pairs)}


def _number(known: list, value: tuple[str, str]) -> int:
    """The index of a value in a short list, appending it the first time."""
    if value not in known:
        known.append(value)
    return known.index(value)


def position_line(member_id: str, party: str, state: str, option: str, raw_option: str) -> bytes:
    """A position as the digest reads it; lines sort by member."""
    return FIELD.join((member_id, party, state, option, raw_option)).encode() + LINE.encode()


def _derived(
    roll: RollCallRecord,
    codes: array,
    lines: list[bytes],
    tallies: list[CountRecord],
    options: dict[tuple[str, str], str],
) -> DerivedVote:
    counts = [count_row(roll.id, c) for c in sorted(roll.counts, key=lambda c: c.party)]
    measure = _measure_of(roll)
    # The measure by its key alone: its title is the measure's, not the vote's.
    head = (roll_call_row(roll), source_row(roll.source), measure and measure.key, counts)
    return DerivedVote(
        id=roll.id,
        origin=roll.origin,
        roll_call=head[0],
        source=head[1],
        measure=measure,
        vote_counts=counts,
        party_tallies=[count_row(roll.id, t) for t in tallies],
        codes=codes,
        options=options,
        election=is_election(roll.category, roll.question),
        digest=digest(head, lines),
    )


def _measure_of(roll: RollCallRecord) -> DerivedMeasure | None:
    """The measure a vote names; a title the vote file gives is sourced to that file."""
    m = roll.measure
    if m is None:
        return None
    source = source_row(roll.source) if m.title else None
    return DerivedMeasure(measure_key(m), measure_row(m, title_source="vote"), source, roll.origin)


def digest(head: tuple, position_lines: list[bytes]) -> str:
    """A vote's fingerprint over its derived rows (by column name) and its sorted roll."""
    text = json.dumps(head, sort_keys=True, separators=(",", ":"), default=str)
    h = hashlib.blake2b(text.encode() + LINE.encode() * 2, digest_size=16)
    h.update(b"".join(position_lines))
    return h.hexdigest()


def vote_option_id(raw_option: str, taken: set[int]) -> int:
    """The id of a new vote option: 0 or 1 if it may have it, else one past the largest."""
    preferred = ZERO_BYTE_OPTIONS.get(raw_option)
    if preferred is not None and preferred not in taken:
        return preferred
    return max(taken | {len(ZERO_BYTE_OPTIONS) - 1}) + 1
