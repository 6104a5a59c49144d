"""voter_sessions: each voter listed on the roll calls of a congress in a chamber, kept by the
writer as it writes positions. A row is how a roll call's positions are found (there is no
index of positions by roll call: its congress and chamber give its few hundred possible voters,
each one's position then found by the primary key), and the voter's record in that congress and
chamber, from which member_stats is summed (votes/database/sql/load/member_stats.sql).

The record, by these rules (GovTrack's missed votes, CQ's party unity):
* Votes eligible: the counted roll calls on which the voter appears (a vacated roll call
  decided nothing and counts for no one); missed votes: "Not Voting"; "Present" is no miss.
* A party's majority on a roll call: yea when more of its members voted yea than nay
  (party_tallies, counted from the roll), nay when more voted nay; a tie is no majority.
* Party votes: the yeas and nays a D or R voter cast when their party had a majority; votes with
  party: those cast with it (the rest are defections). Other parties have none.
* Party unity votes: roll calls on which the majority of voting Democrats opposed the majority
  of voting Republicans; a D or R voter's unity votes are the yeas and nays cast on them, and
  unity with party those cast with their party's majority.

Counting is done in C: each position of a roll call, packed as the writer hands it on,
is counted under its session and the roll call's kind (the two majorities), and the counts are
read by these rules only when the rows are written: a fraction of a microsecond a position,
where the same sums in SQL over the stored positions took ten seconds at the end of a build.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from votes.database.derive import OPTION_BITS, OPTION_MASK, Row

COUNTS = (
    "votes_eligible",
    "yea",
    "nay",
    "present",
    "missed_votes",
    "party_votes",
    "votes_with_party",
    "unity_votes",
    "unity_with_party",
)
MAJORITIES = ("", "yea", "nay")  # a party's majority on a roll call by its code: none, yea, nay
SCORED = ("D", "R")
Key = tuple[int, str, int]  # congress, chamber, voter_id


def majority(tallies: Iterable[Row], party: str) -> int:
    """The code of `party`'s majority on a roll call (MAJORITIES), from its party_tallies."""
    for t in tallies:
        if t["party"] == party:
            return 1 if t["yea"] > t["nay"] else 2 if t["nay"] > t["yea"] else 0
    return 0


def kind(tallies: Sequence[Row]) -> int:
    """A roll call's kind: its Democratic and Republican majorities in one number."""
    return majority(tallies, "D") * len(MAJORITIES) + majority(tallies, "R")


def record(party: str, option: str, kind: int) -> tuple[int, ...]:
    """What one position adds to its voter's record (COUNTS, in order)."""
    democratic, republican = divmod(kind, len(MAJORITIES))
    scored = party in SCORED
    own = MAJORITIES[democratic if party == "D" else republican] if scored else ""
    unity = scored and democratic > 0 and republican > 0 and democratic != republican
    cast = option in ("yea", "nay")
    return (
        1,
        option == "yea",
        option == "nay",
        option == "present",
        option == "not_voting",
        cast and own != "",
        own != "" and option == own,
        cast and unity,
        unity and own != "" and option == own,
    )


@dataclass
class Sessions:
    """voter_sessions as a load leaves them: what the database held, with what the load wrote."""

    voters: dict[tuple[int, str], set[int]] = field(default_factory=dict)  # session -> voters
    counts: dict[Key, list[int]] = field(default_factory=dict)
    # (congress, chamber, kind) -> packed position -> n: the packed ints are the writer's own
    # objects, counted as they are (no new int made per position)
    counted: dict[tuple[int, str, int], Counter[int]] = field(default_factory=dict)
    seated: set[int] = field(default_factory=set)  # congresses the load wrote roll calls in

    def load(self, rows: Iterable[tuple]) -> None:
        """The database's rows: congress, chamber, voter_id, COUNTS."""
        for congress, chamber, voter, *counts in rows:
            self.voters.setdefault((congress, chamber), set()).add(voter)
            self.counts[congress, chamber, voter] = list(counts)

    def seat(self, congress: int, chamber: str, voters: Iterable[int]) -> None:
        """A roll call's voters, written (a set's update, in C)."""
        self.voters.setdefault((congress, chamber), set()).update(voters)
        self.seated.add(congress)

    def count(
        self, congress: int, chamber: str, kind: int, packed: Iterable[int], sign: int = 1
    ) -> None:
        """A counted roll call's positions added to (sign 1) or taken from (-1) the record."""
        counter = self.counted.setdefault((congress, chamber, kind), Counter())
        if sign > 0:
            counter.update(packed)
        else:
            counter.subtract(packed)

    def rows(self, parties: dict[int, str], options: dict[int, str]) -> list[Row]:
        """The voter_sessions rows of the congresses written, the counts brought up to date;
        `parties`: voter_id -> party, `options`: vote_option_id -> option."""
        self._tally(parties, options)
        rows = []
        for (congress, chamber), voters in sorted(self.voters.items()):
            if congress in self.seated:
                for voter in sorted(voters):
                    counts = self.counts.get((congress, chamber, voter)) or _none()
                    rows.append(
                        {"congress": congress, "chamber": chamber, "voter_id": voter}
                        | dict(zip(COUNTS, counts, strict=True))
                    )
        return rows

    def _tally(self, parties: dict[int, str], options: dict[int, str]) -> None:
        for (congress, chamber, kind), counter in self.counted.items():
            for packed, n in counter.items():
                if n:
                    voter, option = packed >> OPTION_BITS, packed & OPTION_MASK
                    counts = self.counts.setdefault((congress, chamber, voter), _none())
                    for i, one in enumerate(record(parties[voter], options[option], kind)):
                        counts[i] += n * one
        self.counted.clear()


def _none() -> list[int]:
    """A record with nothing counted yet (COUNTS, in order)."""
    return [0] * len(COUNTS)
