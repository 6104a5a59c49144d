"""Packed roll calls -> rows of a migrated SQLite database, fast and idempotent.

Surrogate keys come from Python dicts loaded once; rows go in by executemany of plain tuples.
A vote whose digest is already stored is skipped; a changed one is replaced in place (same key).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from votes.database import derive as rows
from votes.database.packing import Code, PackedVote
from votes.errors import RecordError

ROLL_COLUMNS = (
    "chamber",
    "congress",
    "session",
    "number",
    "date",
    "voted_at",
    "question",
    "category",
    "requires",
    "result",
    "result_text",
    "status",
    "measure_id",
    "source_id",
)
INSERT_ROLL = (
    f"INSERT INTO roll_calls (id, key, {', '.join(ROLL_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(ROLL_COLUMNS) + 2))})"
)
UPDATE_ROLL = f"UPDATE roll_calls SET {', '.join(f'{c} = ?' for c in ROLL_COLUMNS)} WHERE id = ?"
INSERT_COUNT = "INSERT INTO vote_counts VALUES (?, ?, ?, ?, ?, ?, ?)"
INSERT_TALLY = "INSERT INTO party_tallies VALUES (?, ?, ?, ?, ?, ?)"
# A vote's positions in one statement: a JSON array of voter_id << 16 | vote_option_id, sorted,
# which SQLite unpacks in C and appends in key order (more than twice as fast as executemany
# of one tuple per position).
INSERT_POSITIONS = (
    "INSERT INTO {table} (roll_call_key, voter_id, vote_option_id) "
    "SELECT ?, value >> 16, value & 65535 FROM json_each(?)"
)
UPSERT_DIGEST = "INSERT OR REPLACE INTO roll_call_digests (roll_call_id, digest) VALUES (?, ?)"
# What an updated vote's earlier copy left, and whether each is found by key or by id.
CLEAR_BY_KEY = "DELETE FROM positions WHERE roll_call_key = ?"
CLEARS_BY_ID = (
    "DELETE FROM vote_counts WHERE roll_call_id = ?",
    "DELETE FROM party_tallies WHERE roll_call_id = ?",
)


@dataclass
class Summary:
    """What an import did: votes added, updated, unchanged; positions written; files skipped."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    positions: int = 0
    skipped: int = 0

    @property
    def votes(self) -> int:
        return self.added + self.updated + self.unchanged


class Writer:
    """Writes packed votes through one connection; the caller owns the transaction."""

    def __init__(self, connection: sqlite3.Connection, positions: str = "positions") -> None:
        """`positions`: the table positions go to (a staging table while building a database)."""
        self.db = connection
        self.insert_positions = INSERT_POSITIONS.format(table=positions)
        self.summary = Summary()
        self.codes: dict[int, list[int]] = {}  # worker -> code -> voter_id << 16 | option_id
        self.seen: dict[str, str] = {}  # vote id -> the file it came from, in this import
        self._load()

    def _load(self) -> None:
        q = self.db.execute
        self.sources = {
            r[0]: r[1:] for r in q("SELECT url, id, publisher, date, title FROM sources")
        }
        self.measures = {r[:3]: r[3] for r in q("SELECT congress, type, number, id FROM measures")}
        self.members = {
            r[0]: r[1:]
            for r in q("SELECT id, bioguide_id, lis_id, name, first_name, last_name FROM members")
        }
        self.voters = {r[:3]: r[3] for r in q("SELECT member_id, party, state, id FROM voters")}
        self.options = {r[0]: r[1:] for r in q("SELECT raw_option, id, option FROM vote_options")}
        self.keys = dict(q("SELECT id, key FROM roll_calls"))
        self.digests = dict(q("SELECT roll_call_id, digest FROM roll_call_digests"))
        self.next_key = max(self.keys.values(), default=0) + 1

    def define(self, worker: int, codes: list[Code]) -> None:
        """Resolve a worker's new codes to voter and option ids, adding rows not yet known."""
        table = self.codes.setdefault(worker, [])
        for c in codes:
            self._member(c)
            table.append(self._voter(c) << 16 | self._option(c))

    def write(self, worker: int, votes: list[PackedVote]) -> None:
        """Add new votes, replace changed ones, skip unchanged ones."""
        out: dict[str, list] = {
            "rolls": [],
            "counts": [],
            "tallies": [],
            "positions": [],
            "digests": [],
        }
        for vote in votes:
            self._claim(vote)
            if self.digests.get(vote.id) == vote.digest:
                self.summary.unchanged += 1
            else:
                self._stage(vote, self.codes.get(worker, []), out)
        self._flush(out)

    def _claim(self, vote: PackedVote) -> None:
        first = self.seen.setdefault(vote.id, vote.origin)
        if first != vote.origin:
            raise RecordError(vote.origin, vote.id, f"duplicate roll call (also in {first})")

    def _stage(self, vote: PackedVote, codes: list[int], out: dict[str, list]) -> None:
        values = (*vote.roll, self._measure(vote), self._source(vote))
        key = self.keys.get(vote.id)
        if key is None:
            key = self.keys[vote.id] = self.next_key
            self.next_key += 1
            out["rolls"].append((vote.id, key, *values))
            self.summary.added += 1
        else:
            self.db.execute(CLEAR_BY_KEY, (key,))
            for clear in CLEARS_BY_ID:
                self.db.execute(clear, (vote.id,))
            self.db.execute(UPDATE_ROLL, (*values, vote.id))
            self.summary.updated += 1
        source_id = values[-1]
        out["counts"].extend((vote.id, *c, source_id) for c in vote.counts)
        out["tallies"].extend((vote.id, *t) for t in vote.tallies)
        packed = sorted(map(codes.__getitem__, vote.codes))
        out["positions"].append((key, f"[{','.join(map(str, packed))}]"))
        out["digests"].append((vote.id, vote.digest))
        self.digests[vote.id] = vote.digest
        self.summary.positions += len(vote.codes)

    def _flush(self, out: dict[str, list]) -> None:
        for sql, name in (
            (INSERT_ROLL, "rolls"),
            (INSERT_COUNT, "counts"),
            (INSERT_TALLY, "tallies"),
            (self.insert_positions, "positions"),
            (UPSERT_DIGEST, "digests"),
        ):
            if out[name]:
                self.db.executemany(sql, out[name])

    def _source(self, vote: PackedVote) -> int:
        url, *facts = vote.source
        known = self.sources.get(url)
        if known is None:
            cursor = self.db.execute(
                "INSERT INTO sources (url, publisher, date, title) VALUES (?, ?, ?, ?)", vote.source
            )
            known = self.sources[url] = (cursor.lastrowid, *facts)  # type: ignore[assignment]
        elif tuple(known[1:]) != tuple(facts):
            self.db.execute(
                "UPDATE sources SET publisher = ?, date = ?, title = ? WHERE id = ?",
                (*facts, known[0]),
            )
            self.sources[url] = (known[0], *facts)  # type: ignore[assignment]
        return known[0]

    def _measure(self, vote: PackedVote) -> int | None:
        """The measure's id; a measure not yet known is added with the title the vote gives."""
        if vote.measure is None:
            return None
        congress, type_, number, title = vote.measure
        if (congress, type_, number) not in self.measures:
            label, kind, chamber, presented = rows.measure_facts(congress, type_, number, False)
            cursor = self.db.execute(
                "INSERT INTO measures (congress, type, number, label, title, kind, "
                "originating_chamber, presented, constitutional_amendment) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (congress, type_, number, label, title, kind, chamber, presented),
            )
            self.measures[(congress, type_, number)] = cursor.lastrowid
        return self.measures[(congress, type_, number)]

    def _member(self, c: Code) -> None:
        member_id, *facts = c.member
        known = self.members.get(member_id)
        if known is None:
            self._execute(
                c,
                "INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*c.member, c.member[1] is not None),
            )
        elif tuple(known) != tuple(facts):
            self._execute(
                c,
                "UPDATE members SET bioguide_id = ?, lis_id = ?, name = ?, "
                "first_name = ?, last_name = ?, resolved = ? WHERE id = ?",
                (*facts, facts[0] is not None, member_id),
            )
        self.members[member_id] = tuple(facts)  # type: ignore[assignment]

    def _voter(self, c: Code) -> int:
        key = (c.member[0], c.party, c.state)
        if key not in self.voters:
            label = rows.voter_label(c.member[3], c.party, c.state)
            cursor = self._execute(
                c,
                "INSERT INTO voters (member_id, party, state, label) VALUES (?, ?, ?, ?)",
                (*key, label),
            )
            self.voters[key] = cursor.lastrowid
        return self.voters[key]

    def _option(self, c: Code) -> int:
        known = self.options.get(c.raw_option)
        if known is None:
            option_id = rows.next_vote_option_id(
                c.raw_option, (i for i, _ in self.options.values())
            )
            self.db.execute(
                "INSERT INTO vote_options (id, raw_option, option) VALUES (?, ?, ?)",
                (option_id, c.raw_option, c.option),
            )
            known = self.options[c.raw_option] = (option_id, c.option)
            if known[0] > 0xFFFF:
                raise RecordError(c.origin, "-", "more than 65,535 distinct vote options")
        elif known[1] != c.option:
            raise RecordError(
                c.origin,
                "-",
                f"option {c.raw_option!r} means {c.option} here, {known[1]} in the database",
            )
        return known[0]

    def _execute(self, c: Code, sql: str, values: tuple) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, values)
        except sqlite3.IntegrityError as e:
            raise RecordError(c.origin, "-", f"member {c.member[0]}: {e}") from None
