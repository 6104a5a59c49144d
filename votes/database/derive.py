"""Values both loaders derive the same way: `votes build` (data/) and `votes import` (files).

A roll call's digest is taken over its record in data/ form (text, data/'s column order), so
either path recognises a vote the other loaded, and a re-import can tell an unchanged vote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from votes.normalized import CountRecord, RollCallRecord
from votes.vocab import MEASURE_TYPES, measure_label

FIELD, LINE = "\x1f", "\x1e"
# Most positions are Yea or Aye. SQLite stores the integers 0 and 1 in no bytes at all (record
# serial types 8 and 9), so those two raw options get vote_options ids 0 and 1: 5.8 million of
# the 9.5 million positions of 1989-2020 are a byte smaller, in the table and in its index.
ZERO_BYTE_OPTIONS = {"Yea": 0, "Aye": 1}


def measure_facts(
    congress: int, type_: str, number: int, amendment: bool
) -> tuple[str, str, str, bool]:
    """label, kind, originating chamber and whether presented, of a measure."""
    kind = MEASURE_TYPES[type_]
    label = measure_label(congress, type_, number)
    return label, kind.kind, kind.originating_chamber, kind.presented and not amendment


def vote_option_ids(raw_options: Sequence[str]) -> list[int]:
    """ids of a new vote_options table, in the order given: Yea 0, Aye 1, the others from 2."""
    others = iter(range(len(ZERO_BYTE_OPTIONS), len(ZERO_BYTE_OPTIONS) + len(raw_options)))
    return [ZERO_BYTE_OPTIONS[r] if r in ZERO_BYTE_OPTIONS else next(others) for r in raw_options]


def next_vote_option_id(raw_option: str, taken: Iterable[int]) -> int:
    """The id of a vote option added to a table that holds `taken`: 0 or 1 if it may have it."""
    used = set(taken)
    preferred = ZERO_BYTE_OPTIONS.get(raw_option)
    if preferred is not None and preferred not in used:
        return preferred
    return max(used | {len(ZERO_BYTE_OPTIONS) - 1}) + 1


def voter_label(name: str, party: str, state: str) -> str:
    """ "Tim Kaine (D-VA)"; the Vice President, with no party or state, is just his name."""
    return f"{name} ({party}-{state})".replace(" (-)", "")


def roll_call_text(r: RollCallRecord) -> tuple[str, ...]:
    """The vote's roll_calls row as data/ holds it: text, in data/'s column order."""
    m = r.measure
    measure = (str(m.congress), m.type, str(m.number)) if m else ("", "", "")
    return (
        r.id,
        r.chamber,
        str(r.congress),
        r.session,
        str(r.number),
        r.voted_at,
        r.question,
        r.category,
        r.requires,
        r.result,
        r.result_text,
        r.status,
        *measure,
        r.source.url,
    )


def count_text(c: CountRecord) -> tuple[str, ...]:
    """A vote_counts row as data/ holds it, without the roll call and source columns."""
    return c.party, str(c.yea), str(c.nay), str(c.present), str(c.not_voting)


def position_line(member_id: str, party: str, state: str, option: str, raw_option: str) -> bytes:
    """A position as the digest reads it; lines sort by member, as data/ sorts them."""
    return FIELD.join((member_id, party, state, option, raw_option)).encode() + LINE.encode()


def digest(
    roll: Sequence[str],
    source: Sequence[str],
    counts: Iterable[Sequence[str]],
    position_lines: Iterable[bytes],
) -> str:
    """A vote's fingerprint: roll call row, source (publisher, date, title), counts, positions.

    Counts must come sorted by party and position lines sorted (by member).
    """
    head = [FIELD.join(roll), FIELD.join(source), *(FIELD.join(c) for c in counts)]
    h = hashlib.blake2b((LINE.join(head) + LINE + LINE).encode(), digest_size=16)
    h.update(b"".join(position_lines))
    return h.hexdigest()


# party_tallies from the positions of the roll calls in `roll_calls` (a loader fills it once
# their positions are in): the same figures votes.packed counts while importing.
PARTY_TALLIES = """
INSERT INTO party_tallies (roll_call_id, party, yea, nay, present, not_voting)
SELECT
    roll_calls.id,
    voters.party,
    SUM(CASE WHEN vote_options.option = 'yea' THEN 1 ELSE 0 END),
    SUM(CASE WHEN vote_options.option = 'nay' THEN 1 ELSE 0 END),
    SUM(CASE WHEN vote_options.option = 'present' THEN 1 ELSE 0 END),
    SUM(CASE WHEN vote_options.option = 'not_voting' THEN 1 ELSE 0 END)
FROM positions
JOIN roll_calls ON roll_calls.key = positions.roll_call_key
JOIN voters ON voters.id = positions.voter_id
JOIN vote_options ON vote_options.id = positions.vote_option_id
WHERE voters.member_id <> 'VP'
GROUP BY roll_calls.id, voters.party
"""
