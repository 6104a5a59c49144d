"""The one writer: derived rows -> a database, through a sink (SQLite or PostgreSQL).

It holds the natural key -> surrogate id maps of the database it writes (read once), hands out
new ids itself, and decides for each roll call: add it, replace a changed one in place (same
key), or leave an unchanged one (same digest). A sink only moves rows, addressed by the
models' column names, so a column a migration adds is written (or left to its default) with no
change here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Protocol

from votes.database.derive import (
    Code,
    DerivedMeasure,
    DerivedVote,
    MeasureKey,
    Row,
    vote_option_id,
)
from votes.database.models import Base
from votes.errors import RecordError

MAX_OPTIONS = 0xFFFF  # a position packs its option id into 16 bits


class Sink(Protocol):
    """Where rows go: one connection, in a transaction its owner opened."""

    def query(self, sql: str) -> list[tuple[Any, ...]]: ...

    def insert(self, table: str, rows: Sequence[Row]) -> None: ...

    def update(self, table: str, key: str, rows: Sequence[Row]) -> None: ...

    def delete(self, table: str, column: str, values: Sequence[Any]) -> None: ...

    def insert_positions(self, rolls: Sequence[tuple[int, Sequence[int]]]) -> None:
        """Each roll call's key and its positions packed as voter_id << 16 | vote_option_id."""
        ...


@dataclass(frozen=True)
class Columns:
    """A table's columns by the models, and each row's values in that order."""

    names: tuple[str, ...]
    defaults: Row

    def values(self, rows: Sequence[Row]) -> Iterable[tuple[Any, ...]]:
        """Rows as tuples in column order; a column a row lacks takes the model's default."""
        if not rows:
            return []
        missing = {k: v for k, v in self.defaults.items() if k not in rows[0]}
        get = itemgetter(*self.names)
        if missing:
            return (get(missing | r) for r in rows)
        return map(get, rows)


def columns(table: str, without: tuple[str, ...] = ()) -> Columns:
    """The columns of one of the models' tables (optionally without some)."""
    names = tuple(c.name for c in Base.metadata.tables[table].columns if c.name not in without)
    defaults = {c.name: _default(c) for c in Base.metadata.tables[table].columns}
    return Columns(names, {k: v for k, v in defaults.items() if k in names})


def _default(column: Any) -> Any:
    default = column.default
    return default.arg if default is not None and not callable(default.arg) else None


@dataclass
class Summary:
    """What a load did: votes added, updated, unchanged, kept from data/; positions written;
    files that are not roll calls, skipped."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    positions: int = 0
    skipped: int = 0

    @property
    def votes(self) -> int:
        """Roll calls read and now in the database (a copy kept from data/ counts once)."""
        return self.added + self.updated + self.unchanged


@dataclass
class _Staged:
    """Rows of one batch, written in an order the foreign keys accept."""

    rolls: list[Row] = field(default_factory=list)
    replaced: list[Row] = field(default_factory=list)
    counts: list[Row] = field(default_factory=list)
    tallies: list[Row] = field(default_factory=list)
    positions: list[tuple[int, list[int]]] = field(default_factory=list)
    digests: list[Row] = field(default_factory=list)


class Writer:
    """Writes derived records through one sink; the sink's owner holds the transaction."""

    def __init__(self, sink: Sink, kept: Iterable[str] = ()) -> None:
        """`kept`: roll calls of the record in data/, which a copy from elsewhere never replaces."""
        self.sink = sink
        self.kept = set(kept)
        self.summary = Summary()
        self.codes: dict[int, list[int]] = {}  # reader -> code -> voter_id << 16 | option_id
        self.seen: dict[str, str] = {}  # vote id -> the file it came from, in this load
        self._read_state()

    def _read_state(self) -> None:
        q = self.sink.query
        self.sources = {
            r[0]: (r[1], str(r[2]), r[3], str(r[4]))
            for r in q("SELECT url, id, publisher, date, title FROM sources")
        }
        self.measures = {r[:3]: r[3] for r in q("SELECT congress, type, number, id FROM measures")}
        self.members = {
            r[0]: tuple(r[1:])
            for r in q("SELECT id, bioguide_id, lis_id, name, first_name, last_name FROM members")
        }
        self.voters = {r[:3]: r[3] for r in q("SELECT member_id, party, state, id FROM voters")}
        self.options = {
            r[0]: (r[1], r[2]) for r in q("SELECT raw_option, id, option FROM vote_options")
        }
        self.keys = dict(q("SELECT id, key FROM roll_calls"))
        self.digests = dict(q("SELECT roll_call_id, digest FROM roll_call_digests"))
        self.actions = {
            (r[0], r[1], str(r[2]))
            for r in q("SELECT measure_id, action, date FROM presidential_actions")
        }
        self.carried = {r[:2] for r in q("SELECT roll_call_id, measure_id FROM carried_texts")}
        self.next = {
            table: (q(f"SELECT MAX({column}) FROM {table}")[0][0] or 0) + 1
            for table, column in (
                ("sources", "id"),
                ("measures", "id"),
                ("voters", "id"),
                ("roll_calls", "key"),
                ("presidential_actions", "id"),
            )
        }

    def _new_id(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table] - 1

    # ---- sources and measures ---------------------------------------------------------------

    def source(self, row: Row) -> int:
        """The id of a source, added or brought up to date."""
        facts = (row["publisher"], row["date"], row["title"])
        known = self.sources.get(row["url"])
        if known is None:
            known = (self._new_id("sources"), *facts)
            self.sink.insert("sources", [row | {"id": known[0]}])
        elif known[1:] != facts:
            known = (known[0], *facts)
            self.sink.update("sources", "id", [row | {"id": known[0]}])
        self.sources[row["url"]] = known
        return known[0]

    def measure(self, m: DerivedMeasure, replace: bool = True) -> int:
        """The id of a measure; a known one is rewritten only when `replace` (the record in
        data/ and bill records are; a measure a vote names is added, never rewritten)."""
        source_id = self.source(m.source) if m.source else None
        known = self.measures.get(m.key)
        if known is None:
            known = self.measures[m.key] = self._new_id("measures")
            self.sink.insert("measures", [m.row | {"id": known, "source_id": source_id}])
        elif replace:
            self.sink.update("measures", "id", [m.row | {"id": known, "source_id": source_id}])
        return known

    def _measure_id(self, key: MeasureKey, origin: str, record: str) -> int:
        known = self.measures.get(key)
        if known is None:
            raise RecordError(origin, record, f"unknown measure {'-'.join(map(str, key))}")
        return known

    def action(self, row: Row, source: Row, origin: str) -> None:
        """A presidential action, unless the database already has it."""
        measure_id = self._measure_id(row["measure"], origin, str(row["date"]))
        if (measure_id, row["action"], row["date"]) in self.actions:
            return
        self.actions.add((measure_id, row["action"], row["date"]))
        self.sink.insert(
            "presidential_actions",
            [
                row
                | {
                    "id": self._new_id("presidential_actions"),
                    "measure_id": measure_id,
                    "source_id": self.source(source),
                }
            ],
        )

    def carried_text(self, row: Row, source: Row, origin: str) -> None:
        """A roll call that carried another measure's text, unless already recorded."""
        measure_id = self._measure_id(row["measure"], origin, row["roll_call_id"])
        if (row["roll_call_id"], measure_id) in self.carried:
            return
        self.carried.add((row["roll_call_id"], measure_id))
        source_id = self.source(source)
        self.sink.insert(
            "carried_texts", [row | {"measure_id": measure_id, "source_id": source_id}]
        )

    # ---- members, voters and options: the codes of a reader --------------------------------

    def define(self, reader: int, codes: Sequence[Code]) -> None:
        """Resolve a reader's new codes to voter and option ids, adding rows not yet known."""
        table = self.codes.setdefault(reader, [])
        new: dict[str, list[Row]] = {"members": [], "voters": [], "vote_options": []}
        for c in codes:
            self._member(c, new["members"])
            voter = self._voter(c, new["voters"])
            table.append(voter << 16 | self._option(c, new["vote_options"]))
        for name, rows in new.items():
            self.sink.insert(name, rows)

    def _member(self, c: Code, new: list[Row]) -> None:
        m = c.member
        facts = (m["bioguide_id"], m["lis_id"], m["name"], m["first_name"], m["last_name"])
        known = self.members.get(m["id"])
        if known is None:
            new.append(m)
        elif known != facts:
            self.sink.update("members", "id", [m])
        self.members[m["id"]] = facts

    def _voter(self, c: Code, new: list[Row]) -> int:
        v = c.voter
        key = (v["member_id"], v["party"], v["state"])
        if key not in self.voters:
            self.voters[key] = self._new_id("voters")
            new.append(v | {"id": self.voters[key]})
        return self.voters[key]

    def _option(self, c: Code, new: list[Row]) -> int:
        raw, option = c.vote_option["raw_option"], c.vote_option["option"]
        known = self.options.get(raw)
        if known is None:
            option_id = vote_option_id(raw, {i for i, _ in self.options.values()})
            if option_id > MAX_OPTIONS:
                raise RecordError(c.origin, "-", "more than 65,535 distinct vote options")
            known = self.options[raw] = (option_id, option)
            new.append(c.vote_option | {"id": option_id})
        elif known[1] != option:
            raise RecordError(
                c.origin, "-", f"option {raw!r} means {option} here, {known[1]} in the database"
            )
        return known[0]

    # ---- roll calls -------------------------------------------------------------------------

    def write(self, reader: int, votes: Sequence[DerivedVote], from_data: bool = False) -> None:
        """Add new votes, replace changed ones, leave unchanged ones; a vote the record in
        data/ holds is kept as data/ has it (unless this is data/ itself)."""
        staged = _Staged()
        for vote in votes:
            if vote.id in self.kept and not from_data:
                self.summary.kept += 1
                continue
            self._claim(vote)
            if self.digests.get(vote.id) == vote.digest:
                self.summary.unchanged += 1
            else:
                self._stage(vote, self.codes.get(reader, []), staged)
        self._flush(staged)

    def _claim(self, vote: DerivedVote) -> None:
        first = self.seen.setdefault(vote.id, vote.origin)
        if first != vote.origin:
            raise RecordError(vote.origin, vote.id, f"duplicate roll call (also in {first})")

    def _stage(self, vote: DerivedVote, codes: list[int], staged: _Staged) -> None:
        source_id = self.source(vote.source)
        measure_id = self.measure(vote.measure, replace=False) if vote.measure else None
        key = self.keys.get(vote.id)
        row = vote.roll_call | {"measure_id": measure_id, "source_id": source_id}
        if key is None:
            key = self.keys[vote.id] = self._new_id("roll_calls")
            staged.rolls.append(row | {"key": key})
            self.summary.added += 1
        else:
            staged.replaced.append(row | {"key": key})
            self.summary.updated += 1
        staged.counts.extend(c | {"source_id": source_id} for c in vote.vote_counts)
        staged.tallies.extend(vote.party_tallies)
        staged.positions.append((key, sorted(map(codes.__getitem__, vote.codes))))
        staged.digests.append({"roll_call_id": vote.id, "digest": vote.digest})
        self.digests[vote.id] = vote.digest
        self.summary.positions += len(vote.codes)

    def _flush(self, staged: _Staged) -> None:
        if staged.replaced:
            ids = [r["id"] for r in staged.replaced]
            self.sink.delete("positions", "roll_call_key", [r["key"] for r in staged.replaced])
            for table in ("vote_counts", "party_tallies", "roll_call_digests"):
                self.sink.delete(table, "roll_call_id", ids)
            self.sink.update("roll_calls", "id", staged.replaced)
        self.sink.insert("roll_calls", staged.rolls)
        self.sink.insert("vote_counts", staged.counts)
        self.sink.insert("party_tallies", staged.tallies)
        self.sink.insert_positions(staged.positions)
        self.sink.insert("roll_call_digests", staged.digests)
