"""A small Python API for analysts: the record's answers as pandas DataFrames.

>>> from votes import api
>>> api.roll_call_positions("s84-116.2020", db="votes.db").option.value_counts()
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import text

from votes.database.engine import engine_for
from votes.vocab import MEASURE_TYPES

Db = str | Path


def query(sql: str, db: Db = "votes.db", **params: Any) -> pd.DataFrame:
    """Any SELECT against the database, with named :parameters."""
    with engine_for(db).connect() as connection:
        return pd.read_sql(text(sql), connection, params=params)


def roll_call_positions(roll_call_id: str, db: Db = "votes.db") -> pd.DataFrame:
    """Every member's position on one roll call ("s84-116.2020"), by name."""
    return query(
        "SELECT * FROM member_votes WHERE roll_call_id = :id ORDER BY name", db, id=roll_call_id
    )


def member_votes(member: str, congress: int | None = None, db: Db = "votes.db") -> pd.DataFrame:
    """A member's positions, oldest first: by Bioguide id ("S000033") or exact name ("Bernard
    Sanders"), in one congress or all."""
    return query(_MEMBER_VOTES, db, member=member, congress=congress)


_MEMBER_VOTES = """
SELECT *
FROM member_votes
WHERE member_id IN (
        SELECT id FROM members WHERE id = :member
        UNION
        SELECT id FROM members WHERE name = :member
    )
    AND (:congress IS NULL OR congress = :congress)
ORDER BY date, roll_call_id
"""


def party_totals(congress: int, chamber: str | None = None, db: Db = "votes.db") -> pd.DataFrame:
    """Each party's yeas, nays, present and not voting over one congress (in one chamber or
    both), summed from party_breakdown, stored at load time (a few ms for a congress's 600,000
    positions): the member roll counted, the Vice President's tie-breaking votes in no party."""
    return query(_PARTY_TOTALS, db, congress=congress, chamber=chamber)


_PARTY_TOTALS = """
SELECT
    party,
    SUM(yea) AS yea,
    SUM(nay) AS nay,
    SUM(present) AS present,
    SUM(not_voting) AS not_voting
FROM party_breakdown
WHERE congress = :congress
    AND (:chamber IS NULL OR chamber = :chamber)
GROUP BY party
ORDER BY party
"""


def member_stats(member: str, db: Db = "votes.db") -> pd.DataFrame:
    """A member's figures (Bioguide id or exact name): each congress and chamber, then the
    career row (congress empty). Definitions: metadata.yml, member_stats."""
    return query(_MEMBER_STATS, db, member=member)


_MEMBER_STATS = """
SELECT *
FROM member_stats
WHERE member_id = :member OR name = :member
ORDER BY congress IS NULL, congress, chamber
"""


def missed_votes(congress: int, db: Db = "votes.db") -> pd.DataFrame:
    """Every member's missed votes in one congress, most missed first (per chamber)."""
    return query(
        "SELECT member_id, name, chamber, party, state, votes_eligible, missed_votes, missed_pct "
        "FROM member_stats WHERE congress = :congress "
        "ORDER BY missed_votes DESC, name",
        db,
        congress=congress,
    )


def vote_counts(roll_call_id: str, db: Db = "votes.db") -> pd.DataFrame:
    """The official counts of one roll call: the chamber total (party ALL) and each party."""
    return query(
        "SELECT party, yea, nay, present, not_voting FROM vote_counts "
        "WHERE roll_call_id = :id ORDER BY party",
        db,
        id=roll_call_id,
    )


def measure_votes(measure: str, congress: int, db: Db = "votes.db") -> pd.DataFrame:
    """Every roll call on a measure ("S.J.Res. 68") or carrying its text, with official totals."""
    type_, number = parse_citation(measure)
    return query(_MEASURE_VOTES, db, congress=congress, type=type_, number=number)


_MEASURE_VOTES = """
SELECT roll_calls.id AS roll_call_id, roll_calls.chamber, roll_calls.date,
       roll_calls.question, roll_calls.result, measures.label AS voted_on,
       vote_counts.yea, vote_counts.nay, vote_counts.present, vote_counts.not_voting
FROM roll_calls
JOIN measures ON measures.id = roll_calls.measure_id
JOIN vote_counts ON vote_counts.roll_call_id = roll_calls.id AND vote_counts.party = 'ALL'
LEFT JOIN carried_texts ON carried_texts.roll_call_id = roll_calls.id
LEFT JOIN measures AS carried ON carried.id = carried_texts.measure_id
WHERE (measures.congress = :congress AND measures.type = :type AND measures.number = :number)
   OR (carried.congress = :congress AND carried.type = :type AND carried.number = :number)
ORDER BY roll_calls.voted_at
"""


def parse_citation(citation: str) -> tuple[str, int]:
    """ "S.J.Res. 68" or "sjres68" -> ("sjres", 68)."""
    match = re.fullmatch(r"\s*([A-Za-z. ]+?)\s*(\d+)\s*", citation)
    if match:
        letters = re.sub(r"[^a-z]", "", match[1].lower())
        if letters in MEASURE_TYPES:
            return letters, int(match[2])
    raise ValueError(f"not a measure citation: {citation!r} (try 'S.J.Res. 68' or 'hr5543')")
