"""member_votes' CSV from a narrow query: its columns that are the roll call's or the member's
are written from their CSV text, made once per database file for every roll call and member.

Bernard Sanders' 15,174 votes (3.3 MB) took 75 ms of SQL for all fifteen columns and 34 ms for
the six that vary from row to row: most of the time went into reading a roll call's question,
result and threshold, and a member's name, again on every row, and making a Python string of
each. Here the query, with the view's own filters and sort, returns the roll call's id, the
member's id and the four columns of the position; each line is then the roll call's text (made
once, 33,847 roll calls in ~0.1 s, kept while the file is the same) and the text of the
member's position (made the first time it is met). The bytes are those of the view's own query
(tests/test_csv_stream.py).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from votes.publish.csv_text import column_text

VIEW = "member_votes"
# The view's columns, in order, as the three kinds of text a line is made of.
ROLL_CALL_HEAD = ("roll_call_id", "chamber", "date")
MEMBER = ("member_id", "bioguide_id", "name")
POSITION = ("party", "state", "option", "raw_option")
ROLL_CALL_TAIL = ("congress", "question", "measure", "result", "threshold")
COLUMNS = [*ROLL_CALL_HEAD, *MEMBER, *POSITION, *ROLL_CALL_TAIL]
NARROW = ("roll_call_id", "member_id", *POSITION)  # what the query returns a row
# Each roll call's and member's columns as member_votes.sql has them.
ROLL_CALLS = """
SELECT
    roll_calls.roll_call_id,
    roll_calls.chamber,
    roll_calls.date,
    roll_calls.congress,
    roll_calls.question,
    measures.label AS measure,
    roll_calls.result,
    roll_calls.threshold
FROM roll_call_thresholds AS roll_calls
LEFT JOIN measures ON measures.id = roll_calls.measure_id
"""
MEMBERS = "SELECT id, bioguide_id, name FROM members"


@dataclass(frozen=True)
class Texts:
    """The CSV text of each roll call's columns (before and after the member's) and of each
    member's, for one database file."""

    file: tuple[int, int, int, int]  # device, inode, size, modified (ns)
    head: dict[str, str]
    tail: dict[str, str]
    member: dict[str, str]
    positions: dict[tuple[Any, ...], str] = field(default_factory=dict)  # filled as used


_CACHE: dict[str, Texts] = {}  # by the database file's path; one file a path at a time


def stream_plan(
    view: str, columns: list[str]
) -> tuple[list[str], Callable[[sqlite3.Connection, str], Callable[[list[Any]], str]]] | None:
    """For member_votes, with its columns as here: the columns its stream selects, and how the
    lines are made from them (csv_stream.LineMaker); None for any other view."""
    if view != VIEW or columns != COLUMNS:
        return None
    return list(NARROW), line_maker


def line_maker(connection: sqlite3.Connection, path: str) -> Callable[[list[Any]], str]:
    """The lines of the file at `path`'s narrow rows, from its texts."""
    return partial(lines, known=texts(connection, path))


def texts(connection: sqlite3.Connection, path: str) -> Texts:
    """The texts of the file at `path` (opened by `connection`): made again when the file at
    the path is another (a writer renames a new file into place) or has changed."""
    stat = os.stat(path)
    file = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    known = _CACHE.get(path)
    if known is None or known.file != file:
        head, tail = _by_key(connection.execute(ROLL_CALLS).fetchall(), len(ROLL_CALL_HEAD))
        member, _ = _by_key(connection.execute(MEMBERS).fetchall(), len(MEMBER))
        known = _CACHE[path] = Texts(file, head, tail, member)
    return known


def warm(path: str) -> None:
    """Make the texts of a database file ahead of its first download (at a server's start, on
    a thread); a file that is not a votes database is left alone."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            found = f"SELECT 1 FROM sqlite_master WHERE name = '{VIEW}'"
            if connection.execute(found).fetchone():
                texts(connection, path)
    except (sqlite3.Error, OSError):  # not ours, or gone: made at the first download if any
        pass


def _by_key(rows: list[tuple[Any, ...]], first: int) -> tuple[dict[str, str], dict[str, str]]:
    """Each row's key (its first value) -> the CSV text of its first `first` values, and of the
    rest."""
    if not rows:
        return {}, {}
    columns = [_plain(column_text(values)) for values in zip(*rows, strict=True)]
    lines = list(zip(*columns, strict=True))
    keys = [row[0] for row in rows]
    return (
        dict(zip(keys, (",".join(line[:first]) for line in lines), strict=True)),
        dict(zip(keys, (",".join(line[first:]) for line in lines), strict=True)),
    )


def lines(batch: list[tuple[Any, ...]], known: Texts) -> str:
    """The CSV lines (CRLF) of a batch of narrow rows. A member's position (the member, party,
    state and options) recurs on many votes: its text is made once and kept."""
    ids, *rest = zip(*batch, strict=True)
    positions = list(zip(*rest, strict=True))
    found = zip(map(known.positions.get, positions), positions, strict=True)
    middles = [text or _position_text(known, p) for text, p in found]
    heads, tails = map(known.head.__getitem__, ids), map(known.tail.__getitem__, ids)
    return "\r\n".join(map(",".join, zip(heads, middles, tails, strict=True))) + "\r\n"


def _position_text(known: Texts, position: tuple[Any, ...]) -> str:
    """The text of a member's id, Bioguide id and name, party, state, option and raw option."""
    member, *values = position
    fields = _plain(column_text(tuple(values)))
    text = known.positions[position] = ",".join([known.member[member], *fields])
    return text


def _plain(text: Any) -> Any:
    """A column's texts; the view's values are all text, integers or NULL."""
    if text is None:
        raise TypeError(f"{VIEW}: a value neither text, integer nor NULL")
    return text
