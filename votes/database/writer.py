"""The one writer: derived rows -> a database, through a sink (SQLite or PostgreSQL).

It holds the natural key -> surrogate id maps of the database it writes (read once), hands out
new ids itself, and decides for each roll call: add it, replace a changed one in place (same
key), or leave an unchanged one (same digest). A sink only moves rows, addressed by the
models' column names, so a column a migration adds is written (or left to its default) with no
change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from operator import itemgetter, rshift
from typing import Any, Protocol

from votes.database.derive import (
    OPTION_BITS,
    OPTION_MASK,
    Code,
    DerivedBill,
    DerivedMeasure,
    DerivedVote,
    MeasureKey,
    Row,
    vote_option_id,
)
from votes.database.models import Base
from votes.database.sessions import COUNTS, Sessions, kind
from votes.database.summaries import Touched
from votes.errors import RecordError
from votes.vocab import CHAMBER_BY_LETTER, TITLE_SOURCES, measure_label


class Sink(Protocol):
    """Where rows go: one connection, in a transaction its owner opened."""

    touched: Touched  # what the load wrote (votes.database.summaries)

    def query(self, sql: str) -> list[tuple[Any, ...]]: ...

    def execute(self, sql: str) -> None: ...

    def insert(self, table: str, rows: Sequence[Row]) -> None: ...

    def update(self, table: str, key: str, rows: Sequence[Row]) -> None:
        """Set the columns the rows name (all rows name the same ones), found by `key`."""
        ...

    def delete(self, table: str, column: str, values: Sequence[Any]) -> None: ...

    def insert_positions(self, rolls: Sequence[tuple[int, Sequence[int]]]) -> None:
        """Each roll call's key and its positions packed (derive.OPTION_BITS)."""
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
        # itemgetter of one name gives the value itself, not a 1-tuple.
        get = itemgetter(*self.names) if len(self.names) > 1 else _one(self.names[0])
        if missing:
            return (get(missing | r) for r in rows)
        return map(get, rows)


def _one(name: str) -> Callable[[Row], tuple[Any, ...]]:
    return lambda row: (row[name],)


def columns(table: str, without: tuple[str, ...] = (), only: Row | None = None) -> Columns:
    """The columns of one of the models' tables (optionally without some, or only those a row
    names)."""
    if not without and only is None:
        return _all_columns(table, len(Base.metadata.tables[table].columns))
    return _columns(table, without, only)


@cache
def _all_columns(table: str, count: int) -> Columns:
    """A table's columns, worked out once for each number of them (a load inserts 40,000
    times; a column added to the models is a new entry)."""
    return _columns(table, (), None)


def _columns(table: str, without: tuple[str, ...], only: Row | None) -> Columns:
    names = tuple(
        c.name
        for c in Base.metadata.tables[table].columns
        if c.name not in without and (only is None or c.name in only)
    )
    defaults = {c.name: _default(c) for c in Base.metadata.tables[table].columns}
    return Columns(names, {k: v for k, v in defaults.items() if k in names})


def _default(column: Any) -> Any:
    default = column.default
    return default.arg if default is not None and not callable(default.arg) else None


@dataclass
class Summary:
    """What a load did: votes added, updated, unchanged, kept from data/; positions written;
    bill records written; and notes (what the record cannot settle yet, said, not failed)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    positions: int = 0
    bills: int = 0
    notes: list[RecordError] = field(default_factory=list)

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
        self.codes: dict[int, list[int]] = {}  # reader -> code -> its position, packed
        self.seen: dict[str, str] = {}  # vote id -> the file it came from, in this load
        self.bills: list[DerivedBill] = []  # this load's bill records, their votes to link
        self._read_state()

    def _read_state(self) -> None:
        q = self.sink.query
        self.sources = {
            r[0]: (r[1], r[2], _day(r[3]), r[4])
            for r in q("SELECT url, id, publisher, date, title FROM sources")
        }
        names = columns("measures").names
        self.measures: dict[MeasureKey, Row] = {
            (r["congress"], r["type"], r["number"]): r
            for r in (dict(zip(names, v, strict=True)) for v in q(_select("measures", names)))
        }
        self.members = {
            r[0]: tuple(r[1:])
            for r in q("SELECT id, bioguide_id, lis_id, name, first_name, last_name FROM members")
        }
        self.voters = {r[:3]: r[3] for r in q("SELECT member_id, party, state, id FROM voters")}
        self.options = {
            r[0]: (r[1], r[2]) for r in q("SELECT raw_option, id, option FROM vote_options")
        }
        self.keys = dict(q("SELECT id, key FROM roll_calls"))
        self.sessions = Sessions()
        self.sessions.load(q(_select("voter_sessions", SESSION_COLUMNS)))
        self.roll_measures = dict(q("SELECT id, measure_id FROM roll_calls"))
        self.vetoes = dict(q("SELECT measure_id, id FROM veto_records"))
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
                ("veto_records", "id"),
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

    def measure(self, m: DerivedMeasure) -> int:
        """The id of a measure, added or brought up to date by `_merged`."""
        known = self.measures.get(m.key)
        if known is None:
            source_id = self.source(m.source) if m.source and m.row["title"] else None
            known = m.row | {"id": self._new_id("measures"), "source_id": source_id}
            self.sink.insert("measures", [known])
        else:
            merged = self._merged(known, m)
            if merged != known:
                self.sink.update("measures", "id", [merged])
            known = merged
        self.measures[m.key] = known
        return known["id"]

    def _merged(self, known: Row, m: DerivedMeasure) -> Row:
        """A known measure with what `m` adds: its title when its source ranks higher (a vote's
        title never replaces another's, or a bill file's or the record's); a bill file's short
        title and law number; the record's word on a constitutional amendment."""
        merged = dict(known)
        if _takes_title(known["title_source"], m):
            source_id = self.source(m.source) if m.source else None
            merged |= {k: m.row[k] for k in ("title", "title_source")} | {"source_id": source_id}
        for name in ("short_title", "law_number"):
            if m.row[name] and (not known[name] or m.authority == "bill_status"):
                merged[name] = m.row[name]
        if m.authority == "curated":
            merged |= {k: m.row[k] for k in ("constitutional_amendment", "presented")}
        return merged

    def _measure_id(self, key: MeasureKey, origin: str, record: str) -> int:
        known = self.measures.get(key)
        if known is None:
            raise RecordError(origin, record, f"unknown measure {'-'.join(map(str, key))}")
        return known["id"]

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

    # ---- the curated vetoes -------------------------------------------------------------------

    def veto(self, row: Row, source: Row, more: Sequence[Row], origin: str) -> None:
        """A veto row with its sources (a measure's earlier row, and its sources, replaced)."""
        label = measure_label(*row["measure"])
        measure_id = self._measure_id(row["measure"], origin, label)
        values = {k: v for k, v in row.items() if k != "measure"}
        values |= {"measure_id": measure_id, "source_id": self.source(source)}
        veto_id = self.vetoes.get(measure_id)
        if veto_id is None:
            veto_id = self.vetoes[measure_id] = self._new_id("veto_records")
            self.sink.insert("veto_records", [values | {"id": veto_id}])
        else:
            self.sink.update("veto_records", "id", [values | {"id": veto_id}])
            self.sink.delete("veto_sources", "veto_record_id", [veto_id])
        more_ids = dict.fromkeys(self.source(s) for s in more)
        rows = [{"veto_record_id": veto_id, "source_id": s} for s in more_ids]
        self.sink.insert("veto_sources", rows)

    def official_veto_count(self, row: Row, source: Row) -> None:
        """A President's official veto counts (any earlier row of his replaced)."""
        self.sink.delete("official_veto_counts", "president", [row["president"]])
        self.sink.insert("official_veto_counts", [row | {"source_id": self.source(source)}])

    # ---- bill records -----------------------------------------------------------------------

    def bill(self, b: DerivedBill) -> None:
        """A bill record: its measure and the President's actions now; the roll calls it lists
        are linked by `link_recorded_votes`, once every vote of the load is written."""
        self.measure(b.measure)
        for action in b.actions:
            self.action(action, b.source, b.origin)
        self.bills.append(b)
        self.summary.bills += 1

    def link_recorded_votes(self) -> list[RecordError]:
        """Link each roll call a bill record lists to its measure: the roll call's measure when
        it names none, else a carried text. Returns the problems: a listed roll call missing
        inside what the record holds. Those past it (a later vote or session) make a note."""
        reached = held(self.sink)
        problems: list[RecordError] = []
        for b in self.bills:
            later = []
            for roll_call_id, amendment in b.recorded_votes:
                if roll_call_id in self.keys:
                    self._link(b, roll_call_id, amendment)
                    continue
                inside, reach = missing(roll_call_id, reached)
                if inside:
                    message = f"lists roll call {roll_call_id}, which the record lacks ({reach})"
                    problems.append(RecordError(b.origin, b.record, message))
                else:
                    later.append(roll_call_id)
            if later:
                message = (
                    f"not linked, not in the record yet (past what it holds): {', '.join(later)}"
                )
                self.summary.notes.append(RecordError(b.origin, b.record, message))
        return problems

    def _link(self, b: DerivedBill, roll_call_id: str, amendment: str) -> None:
        """A listed roll call: its measure when it names none; a carried text when another."""
        measure_id = self.measures[b.measure.key]["id"]
        if self.roll_measures.get(roll_call_id) is None:
            self.sink.update("roll_calls", "id", [{"id": roll_call_id, "measure_id": measure_id}])
            self.roll_measures[roll_call_id] = measure_id
        elif self.roll_measures[roll_call_id] != measure_id:
            note = _listed_note(b, amendment)
            row = {"roll_call_id": roll_call_id, "measure": b.measure.key, "note": note}
            self.carried_text(row, b.source, b.origin)

    # ---- members, voters and options: the codes of a reader --------------------------------

    def define(self, reader: int, codes: Sequence[Code]) -> None:
        """Resolve a reader's new codes to voter and option ids, adding rows not yet known."""
        table = self.codes.setdefault(reader, [])
        new: dict[str, list[Row]] = {"members": [], "voters": [], "vote_options": []}
        for c in codes:
            self._member(c, new["members"])
            voter = self._voter(c, new["voters"])
            table.append(voter << OPTION_BITS | self._option(c, new["vote_options"]))
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
            if option_id > OPTION_MASK:
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
                self._stage(vote, reader, staged)
        self._flush(staged)

    def _claim(self, vote: DerivedVote) -> None:
        first = self.seen.setdefault(vote.id, vote.origin)
        if first != vote.origin:
            raise RecordError(vote.origin, vote.id, f"duplicate roll call (also in {first})")

    def _stage(self, vote: DerivedVote, reader: int, staged: _Staged) -> None:
        source_id = self.source(vote.source)
        # A vote that names no measure keeps the one a bill record linked it to.
        measure_id = self.measure(vote.measure) if vote.measure else self.roll_measures.get(vote.id)
        self.roll_measures[vote.id] = measure_id
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
        packed = list(map(self.codes.get(reader, []).__getitem__, vote.codes))
        staged.positions.append((key, packed))
        roll = vote.roll_call
        voters = map(rshift, packed, repeat(OPTION_BITS))
        self.sessions.seat(roll["congress"], roll["chamber"], voters)
        if roll["status"] == "counted":
            self.sessions.count(roll["congress"], roll["chamber"], kind(vote.party_tallies), packed)
        staged.digests.append({"roll_call_id": vote.id, "digest": vote.digest})
        self.digests[vote.id] = vote.digest
        self.summary.positions += len(vote.codes)

    def _flush(self, staged: _Staged) -> None:
        if staged.replaced:
            ids = [r["id"] for r in staged.replaced]
            for r in staged.replaced:
                self._uncount(r)
                self.sink.execute(_DELETE_POSITIONS.format(key=r["key"]))
            for table in ("vote_counts", "party_tallies", "roll_call_digests"):
                self.sink.delete(table, "roll_call_id", ids)
            self.sink.update("roll_calls", "id", staged.replaced)
        self.sink.insert("roll_calls", staged.rolls)
        self.sink.insert("vote_counts", staged.counts)
        self.sink.insert("party_tallies", staged.tallies)
        self.sink.insert_positions(staged.positions)
        self.sink.insert("roll_call_digests", staged.digests)

    def _uncount(self, replaced: Row) -> None:
        """A replaced roll call's old positions, taken from its voters' records."""
        key = replaced["key"]
        old = self.sink.query(_OLD_ROLL.format(key=key))
        if old and old[0][0] == "counted":
            tallies = self.sink.query(_OLD_TALLIES.format(key=key))
            rows = [{"party": p, "yea": y, "nay": n} for p, y, n in tallies]
            packed = [p for (p,) in self.sink.query(_OLD_POSITIONS.format(key=key))]
            congress, chamber = replaced["congress"], replaced["chamber"]
            self.sessions.count(congress, chamber, kind(rows), packed, sign=-1)

    def write_sessions(self) -> None:
        """voter_sessions of the congresses this load wrote roll calls in, once every vote is
        written (before a load's figures are computed from them)."""
        if self.sessions.seated:
            parties = {voter: key[1] for key, voter in self.voters.items()}
            options = {option_id: option for option_id, option in self.options.values()}
            rows = self.sessions.rows(parties, options)
            self.sink.delete("voter_sessions", "congress", sorted(self.sessions.seated))
            self.sink.insert("voter_sessions", rows)
            self.sessions.seated.clear()


# A replaced roll call as the database holds it, before it is replaced: its status, its party
# tallies, and its positions, found as every page finds them: through the voters of its congress
# and chamber (there is no index of positions by roll call). Filled in with the roll call's key,
# an integer.
_OLD_ROLL = "SELECT status FROM roll_calls WHERE key = {key:d}"
_OLD_TALLIES = """
SELECT party, yea, nay
FROM party_tallies
WHERE roll_call_id = (SELECT id FROM roll_calls WHERE key = {key:d})
"""
_OF_ROLL_CALL = """
WHERE roll_call_key = {key:d}
    AND voter_id IN (
        SELECT voter_sessions.voter_id
        FROM roll_calls
        JOIN voter_sessions
            ON voter_sessions.congress = roll_calls.congress
            AND voter_sessions.chamber = roll_calls.chamber
        WHERE roll_calls.key = {key:d}
    )
"""
_OLD_POSITIONS = (
    f"SELECT voter_id * {1 << OPTION_BITS} + vote_option_id FROM positions" + _OF_ROLL_CALL
)
_DELETE_POSITIONS = "DELETE FROM positions" + _OF_ROLL_CALL
SESSION_COLUMNS = ("congress", "chamber", "voter_id", *COUNTS)


def _day(value: Any) -> str | None:
    """A date as the writer compares it: ISO text, or None."""
    return None if value is None else str(value)


def _select(table: str, names: Sequence[str]) -> str:
    return f"SELECT {', '.join(names)} FROM {table}"


def _takes_title(known_source: str | None, m: DerivedMeasure) -> bool:
    """Whether `m`'s title replaces a title from `known_source` (None when there is none)."""
    source = m.row["title_source"]
    if not source:
        return False
    if not known_source:
        return True
    rank, known = TITLE_SOURCES.index(source), TITLE_SOURCES.index(known_source)
    return rank > known or (rank == known and source != "vote")


def held(sink: Sink) -> dict[tuple[str, str], int]:
    """(chamber, session) -> the highest roll-call number the database holds."""
    sql = "SELECT chamber, session, MAX(number) FROM roll_calls GROUP BY chamber, session"
    return {(chamber, session): last for chamber, session, last in sink.query(sql)}


def missing(roll_call_id: str, held: dict[tuple[str, str], int]) -> tuple[bool, str]:
    """Of a roll call the database lacks: whether the record should hold it (it holds that
    chamber's votes of that session past its number), and how far the record reaches."""
    head, session = roll_call_id.split(".")
    chamber, number = CHAMBER_BY_LETTER[head[0]], int(head[1:].split("-")[0])
    last = held.get((chamber, session))
    where = f"the {chamber.capitalize()}'s roll calls of {session}"
    if last is None:
        return False, f"{where} are not in it"
    return number <= last, f"{where} run to no. {last}"


def _listed_note(b: DerivedBill, amendment: str) -> str:
    """A carried text's note: the bill file that lists the roll call on another measure."""
    label = measure_label(*b.measure.key)
    on = f" (on its amendment {amendment})" if amendment else ""
    kind = "Bill Status" if b.measure.authority == "bill_status" else "bill file (data.json)"
    return f"Listed among the recorded votes of {label}{on} in its {kind}"
