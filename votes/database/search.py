"""The search: every member, measure and roll call as a row of search_entries, written whole at
the end of every load (votes.database.summaries), through the sink, on SQLite and PostgreSQL.

A member is found by name, first and last name and nickname (the legislators crosswalk:
"Bernie" finds Bernard Sanders); a measure by its citation however it is written ("H.R. 6395
(116th)", "H.R.6395", "HR 6395", "hr6395") and its title; a roll call by its question, its
measure's citation, its result and its id. `search_key` holds a bill number in one spelling
("hr6395") for an exact lookup, on a measure and on each roll call on it.

On SQLite a full-text index (FTS5, external content: the words are stored once, in
search_entries) is rebuilt over it, which Datasette's own search uses (metadata.yml fts_table).
PostgreSQL gets the plain table only, searchable with ILIKE: FTS5 is SQLite's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol

from votes.importers.legislators import by_bioguide
from votes.vocab import MEASURE_TYPES, VICE_PRESIDENT, ordinal

FTS = "search_entries_fts"
# The columns the full-text index covers, and its tokenizer: "Raúl" is found by "Raul".
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(title, detail, text, "
    "content='search_entries', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
)
REBUILD_FTS = f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')"
# Each member's party and state (career row) and first and last congress (member_stats).
SERVED = """
SELECT career.member_id, career.party, career.state, MIN(terms.congress), MAX(terms.congress)
FROM member_stats AS career
JOIN member_stats AS terms
    ON terms.member_id = career.member_id
    AND terms.congress IS NOT NULL
WHERE career.congress IS NULL
GROUP BY career.member_id, career.party, career.state
"""


class Sink(Protocol):
    dialect: str

    def query(self, sql: str) -> list[tuple[Any, ...]]: ...

    def execute(self, sql: str) -> None: ...

    def insert(self, table: str, rows: list[dict[str, Any]]) -> None: ...


def refresh(sink: Sink) -> None:
    """Write search_entries anew from the database, and its full-text index on SQLite."""
    sink.execute("DELETE FROM search_entries")
    rows = [*members(sink), *measures(sink), *roll_calls(sink)]
    sink.insert("search_entries", [row | {"id": n} for n, row in enumerate(rows, start=1)])
    if sink.dialect == "sqlite":
        sink.execute(CREATE_FTS)
        sink.execute(REBUILD_FTS)


def bill_key(type_: str, number: int) -> str:
    """A bill number in one spelling: ("hr", 6395) -> "hr6395"."""
    return f"{type_}{number}"


def normalized_key(citation: str) -> str | None:
    """A citation however written ("H.R. 6395 (116th)", "HR 6395", "hr6395") in the spelling
    of `search_key` ("hr6395"); None when it names no measure type."""
    match = re.match(r"\s*([A-Za-z][A-Za-z. ]*?)\s*(\d+)\b", citation)
    if not match:
        return None
    letters = re.sub(r"[^a-z]", "", match[1].lower())
    return bill_key(letters, int(match[2])) if letters in MEASURE_TYPES else None


def spellings(type_: str, number: int) -> str:
    """The ways a citation is written that its label ("H.R. 6395 (116th)") does not already
    give the index: "HR 6395" (words HR and 6395) and "hr6395" (one word)."""
    compact = MEASURE_TYPES[type_].label.replace(".", "").replace(" ", "").upper()
    return f"{compact} {number} {bill_key(type_, number)}"


def members(sink: Sink) -> Iterator[dict[str, Any]]:
    """Each member: the name, and the crosswalk's first, last and nick names."""
    served = {r[0]: r[1:] for r in sink.query(SERVED)}
    crosswalk = by_bioguide()
    for member_id, bioguide_id, name, first, last in sink.query(
        "SELECT id, bioguide_id, name, first_name, last_name FROM members ORDER BY name, id"
    ):
        if member_id == VICE_PRESIDENT:
            continue
        known = crosswalk.get(bioguide_id or "")
        words = [first, last, known.nickname if known else ""]
        yield _entry("member", member_id, name, _served(served.get(member_id)), words)


def _served(facts: tuple[Any, ...] | None) -> str:
    """ "I, VT; 102nd-118th Congress" from the member's career row and congress rows."""
    if not facts:
        return ""
    party, state, first, last = facts
    congresses = ordinal(first) if first == last else f"{ordinal(first)}-{ordinal(last)}"
    return f"{party}, {state}; {congresses} Congress"


def measures(sink: Sink) -> Iterator[dict[str, Any]]:
    """Each measure: its label, its other spellings and its title."""
    for measure_id, congress, type_, number, label, title in sink.query(
        "SELECT id, congress, type, number, label, title FROM measures "
        "ORDER BY congress DESC, type, number"
    ):
        words = [spellings(type_, number)]
        yield _entry(
            "measure",
            str(measure_id),
            label,
            title,
            words,
            search_key=bill_key(type_, number),
            congress=congress,
        )


def roll_calls(sink: Sink) -> Iterator[dict[str, Any]]:
    """Each roll call: its question, result and id, and the spellings of its measure and of
    any measure whose text it carried (H.R. 550's vote is found by "H.R. 5543")."""
    carried: dict[str, list[str]] = {}
    for vote_id, type_, number, label in sink.query(
        "SELECT carried_texts.roll_call_id, measures.type, measures.number, measures.label "
        "FROM carried_texts JOIN measures ON measures.id = carried_texts.measure_id"
    ):
        carried.setdefault(vote_id, []).extend([label, spellings(type_, number)])
    for vote_id, chamber, congress, date, question, result, type_, number, label in sink.query(
        "SELECT roll_calls.id, roll_calls.chamber, roll_calls.congress, roll_calls.date, "
        "roll_calls.question, roll_calls.result, measures.type, measures.number, measures.label "
        "FROM roll_calls LEFT JOIN measures ON measures.id = roll_calls.measure_id "
        "ORDER BY roll_calls.date DESC, roll_calls.id"
    ):
        cited = [spellings(type_, number)] if type_ else []  # its label is in the title
        yield _entry(
            "roll_call",
            vote_id,
            (f"{label}: {question}" if label else question)[:300],
            f"{chamber.capitalize()}, {date}: {result} ({vote_id})",
            [*cited, *carried.get(vote_id, [])],
            search_key=bill_key(type_, number) if type_ else None,
            congress=congress,
            date=date,
        )


def _entry(
    entity: str,
    ref: str,
    title: str,
    detail: str,
    words: list[str],
    search_key: str | None = None,
    congress: int | None = None,
    date: Any = None,
) -> dict[str, Any]:
    text = " ".join(w for w in words if w)
    return {
        "entity": entity,
        "ref": ref,
        "title": title,
        "detail": detail[:2000],
        "search_key": search_key,
        "congress": congress,
        "date": date,
        "text": text[:4000],
    }
