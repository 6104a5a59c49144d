"""Tiny hand-made records in a migrated database, for testing the SQL views row by row.

`Record` inserts the fewest rows a view needs (a source, measures, roll calls with their official
counts, presidential actions, member positions and their party tallies) through the models'
tables, so the views under test are the real ones that votes.db.migrate creates, on SQLite or
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, text

from votes.database import summaries
from votes.database.models import Base
from votes.database.postgres_sink import PostgresSink
from votes.database.sessions import Sessions, kind
from votes.database.sqlite_sink import SqliteSink
from votes.vocab import ALL_PARTIES, CHAMBER_BY_LETTER, MEASURE_TYPES, measure_label

TABLES = Base.metadata.tables
# party_tallies recounted in SQL from the positions, independently of the writer's count: the
# oracle the tests hold the stored tallies to (the Vice President in no party).
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
SOURCE_ID = 1
OPTIONS = {"yea": "Yea", "nay": "Nay", "present": "Present", "not_voting": "Not Voting"}


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


@dataclass
class Record:
    """Rows inserted on one connection; ids handed out in order."""

    connection: Connection
    keys: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    measures: dict[tuple[int, str, int], int] = field(default_factory=dict)
    voters: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._insert(
            "sources",
            id=SOURCE_ID,
            url="https://example.test/record",
            publisher="Test",
            date=day("2021-01-01"),
            title="",
        )
        for number, (option, raw) in enumerate(OPTIONS.items(), start=1):
            self._insert("vote_options", id=number, raw_option=raw, option=option)

    def _insert(self, table: str, **row: Any) -> None:
        self.connection.execute(TABLES[table].insert(), [row])

    def measure(
        self, type_: str, number: int, congress: int = 117, *, amendment: bool = False
    ) -> int:
        """A measure; returns its id."""
        kind = MEASURE_TYPES[type_]
        measure_id = len(self.measures) + 1
        self._insert(
            "measures",
            id=measure_id,
            congress=congress,
            type=type_,
            number=number,
            label=measure_label(congress, type_, number),
            title="",
            kind=kind.kind,
            originating_chamber=kind.originating_chamber,
            presented=kind.presented and not amendment,
            constitutional_amendment=amendment,
            source_id=SOURCE_ID,
        )
        self.measures[(congress, type_, number)] = measure_id
        return measure_id

    def roll_call(
        self,
        vote_id: str,
        counts: tuple[int, int, int, int],
        *,
        requires: str = "2/3",
        result: str = "Veto Sustained",
        category: str = "veto-override",
        measure: int | None = None,
        date: str = "2021-06-01",
        status: str = "counted",
        question: str = "",
    ) -> None:
        """A roll call ("s84-116.2020") and its official chamber total (yea, nay, present, nv)."""
        letter_number, congress_session = vote_id.split("-")
        congress, session = congress_session.split(".")
        self._insert(
            "roll_calls",
            id=vote_id,
            key=next(self.keys),
            chamber=CHAMBER_BY_LETTER[letter_number[0]],
            congress=int(congress),
            session=session,
            number=int(letter_number[1:]),
            date=day(date),
            voted_at=f"{date}T12:00:00-05:00",
            question=question or f"Question of {vote_id}",
            category=category,
            requires=requires,
            result=result,
            result_text=result,
            status=status,
            measure_id=measure,
            source_id=SOURCE_ID,
        )
        self.count(vote_id, ALL_PARTIES, counts)

    def count(self, vote_id: str, party: str, counts: tuple[int, int, int, int]) -> None:
        """An official count row (the chamber total is party "ALL")."""
        yea, nay, present, not_voting = counts
        self._insert(
            "vote_counts",
            roll_call_id=vote_id,
            party=party,
            yea=yea,
            nay=nay,
            present=present,
            not_voting=not_voting,
            source_id=SOURCE_ID,
        )

    def action(self, measure: int, action: str, date: str) -> None:
        """What the President did with a measure."""
        row_id = (
            self.connection.execute(text("SELECT COUNT(*) FROM presidential_actions")).scalar_one()
            + 1
        )
        self._insert(
            "presidential_actions",
            id=row_id,
            measure_id=measure,
            action=action,
            date=day(date),
            source_id=SOURCE_ID,
        )

    def tally(self) -> None:
        """Count party_tallies from the positions, as every loader does once they are in, and
        seat the voters (voter_sessions) as the writer does, by its rules."""
        self.connection.execute(text(PARTY_TALLIES))
        self.connection.execute(text("DELETE FROM voter_sessions"))
        rows = seated(self.connection)
        if rows:
            self.connection.execute(TABLES["voter_sessions"].insert(), rows)

    def position(self, vote_id: str, member: str, party: str, option: str) -> None:
        """One member's vote on a roll call (party "" for the Vice President)."""
        if member not in {m for m, _ in self.voters}:
            self._insert(
                "members",
                id=member,
                bioguide_id=None,
                lis_id=None,
                name=member,
                first_name="",
                last_name="",
                resolved=False,
            )
        if (member, party) not in self.voters:
            self.voters[(member, party)] = len(self.voters) + 1
            self._insert(
                "voters",
                id=self.voters[(member, party)],
                member_id=member,
                party=party,
                state="",
                label=member,
            )
        key = self.connection.execute(
            text("SELECT key FROM roll_calls WHERE id = :id"), {"id": vote_id}
        ).scalar_one()
        option_id = list(OPTIONS).index(option) + 1
        self._insert(
            "positions",
            roll_call_key=key,
            voter_id=self.voters[(member, party)],
            vote_option_id=option_id,
        )


def seated(connection: Connection) -> list[dict[str, Any]]:
    """voter_sessions rows of the positions a database holds, by the writer's own rules
    (votes.database.sessions), roll call by roll call in the order of their keys."""
    rows = lambda sql: connection.execute(text(sql)).all()  # noqa: E731
    tallies = defaultdict(list)
    for roll_call_id, party, yea, nay in rows(
        "SELECT roll_call_id, party, yea, nay FROM party_tallies"
    ):
        tallies[roll_call_id].append({"party": party, "yea": yea, "nay": nay})
    positions = defaultdict(list)
    for key, voter, option in rows("SELECT roll_call_key, voter_id, vote_option_id FROM positions"):
        positions[key].append((voter, option))
    sessions = Sessions()
    sql = "SELECT key, id, congress, chamber, status FROM roll_calls ORDER BY key"
    for key, roll_call_id, congress, chamber, status in rows(sql):
        held = sorted(positions[key])
        sessions.seat(congress, chamber, [voter for voter, _ in held])
        if status == "counted":
            packed = [voter << 16 | option for voter, option in held]
            sessions.count(congress, chamber, kind(tallies[roll_call_id]), packed)
    parties = dict(rows("SELECT id, party FROM voters"))
    options = dict(rows("SELECT id, option FROM vote_options"))
    return sessions.rows(parties, options)


def finish(connection: Connection) -> None:
    """Compute what a load computes at its end (votes.database.summaries): the stored
    override_math and threshold_math, member_stats, the search, for every congress held."""
    raw = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection | psycopg.Connection)
    summaries.refresh(SqliteSink(raw) if isinstance(raw, sqlite3.Connection) else PostgresSink(raw))


def plain(value: Any) -> Any:
    """A value as SQLite and PostgreSQL can both be compared: dates as ISO text."""
    return value.isoformat() if isinstance(value, dt.date) else value


def view_rows(engine: Engine, view: str, key: str | tuple[str, ...]) -> dict[Any, dict[str, Any]]:
    """Every row of a view, keyed by one column (or several), values made plain."""
    keys = (key,) if isinstance(key, str) else key
    with engine.connect() as connection:
        result = connection.execute(text(f"SELECT * FROM {view}"))
        rows = [{k: plain(v) for k, v in row._mapping.items()} for row in result]
    by_key = {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}
    assert len(by_key) == len(rows), f"{view}: {key} is not unique"
    return by_key
