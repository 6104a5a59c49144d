"""A RollCallRecord packed for the bulk import: plain tuples and an array of small integer codes.

A worker process packs; the writer process unpacks. Each distinct (member, party, state,
option) a worker meets gets a code, defined once, so a position crosses processes as 4 bytes.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field

from votes.database import derive as rows
from votes.normalized import CountRecord, PositionRecord, RollCallRecord, VoterRecord
from votes.vocab import COUNTED_OPTIONS, VICE_PRESIDENT

Member = tuple[str, str | None, str | None, str, str, str]  # id, bioguide, lis, name, first, last
Tally = tuple[str, int, int, int, int]  # party, yea, nay, present, not_voting


@dataclass(frozen=True)
class Code:
    """What a position code stands for: a member as printed on a roll, and the option cast."""

    member: Member
    party: str
    state: str
    raw_option: str
    option: str
    origin: str  # the file that first showed it, for messages


@dataclass
class PackedVote:
    """One roll call, ready for the writer: every value it needs, in plain types."""

    id: str
    origin: str
    roll: tuple  # chamber, congress, session, number, date, voted_at, question, category,
    #              requires, result, result_text, status
    source: tuple[str, str, str, str]  # url, publisher, date, title
    measure: tuple[int, str, int, str] | None  # congress, type, number, title
    counts: list[Tally]  # official, sorted by party
    tallies: list[Tally]  # counted from the member roll, sorted by party
    codes: array  # one per position
    digest: str


@dataclass
class CodeBook:
    """A worker's codes: (member, party, state, raw, option) -> (code, digest line, group)."""

    index: dict[tuple, tuple[int, bytes, int]] = field(default_factory=dict)
    groups: list[tuple[str, str]] = field(default_factory=list)  # group -> (party, option)
    new: list[Code] = field(default_factory=list)

    def take_new(self) -> list[Code]:
        """Codes defined since the last call, in code order."""
        new, self.new = self.new, []
        return new

    def pack(self, roll: RollCallRecord) -> PackedVote:
        """The packed form of a roll call, defining any new code it needs."""
        get, entries = self.index.get, []
        for p in roll.positions:
            v = p.voter
            key = (v.key, v.party, v.state, p.raw_option, p.option)
            entries.append(get(key) or self._define(key, v, p, roll.origin))
        codes, lines, groups = zip(*entries, strict=True) if entries else ((), (), ())
        return _packed(roll, array("I", codes), sorted(lines), self._tallies(groups))

    def _define(
        self, key: tuple, v: VoterRecord, p: PositionRecord, origin: str
    ) -> tuple[int, bytes, int]:
        member = (v.key, v.bioguide_id, v.lis_id, v.name, v.first_name, v.last_name)
        self.new.append(Code(member, v.party, v.state, p.raw_option, p.option, origin))
        group = -1 if v.key == VICE_PRESIDENT else self._group(v.party, p.option)
        entry = (len(self.index), rows.position_line(*key[:3], p.option, p.raw_option), group)
        self.index[key] = entry
        return entry

    def _group(self, party: str, option: str) -> int:
        if (party, option) not in self.groups:
            self.groups.append((party, option))
        return self.groups.index((party, option))

    def _tallies(self, groups: tuple[int, ...]) -> list[Tally]:
        """Per party, the positions under each counted option; the Vice President in none."""
        by_party: dict[str, list[int]] = {}
        for group, n in Counter(groups).items():
            if group < 0:
                continue
            party, option = self.groups[group]
            counts = by_party.setdefault(party, [0, 0, 0, 0])
            if option in COUNTED_OPTIONS:
                counts[COUNTED_OPTIONS.index(option)] += n
        return [(party, *by_party[party]) for party in sorted(by_party)]  # type: ignore[misc]


def _packed(
    roll: RollCallRecord, codes: array, lines: list[bytes], tallies: list[Tally]
) -> PackedVote:
    s, m = roll.source, roll.measure
    ordered = sorted(roll.counts, key=_party)
    counts = [(c.party, c.yea, c.nay, c.present, c.not_voting) for c in ordered]
    digest = rows.digest(
        rows.roll_call_text(roll),
        (s.publisher, s.date, s.title),
        [rows.count_text(c) for c in ordered],
        lines,
    )
    return PackedVote(
        id=roll.id,
        origin=roll.origin,
        roll=(
            roll.chamber,
            roll.congress,
            roll.session,
            roll.number,
            roll.voted_at[:10],
            roll.voted_at,
            roll.question,
            roll.category,
            roll.requires,
            roll.result,
            roll.result_text,
            roll.status,
        ),
        source=(s.url, s.publisher, s.date, s.title),
        measure=(m.congress, m.type, m.number, m.title) if m else None,
        counts=counts,
        tallies=tallies,
        codes=codes,
        digest=digest,
    )


def _party(c: CountRecord) -> str:
    return c.party
