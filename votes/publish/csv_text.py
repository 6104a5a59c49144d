"""CSV lines exactly as csv.writer writes them in Datasette's dialect (excel: a comma,
QUOTE_MINIMAL, CRLF), made a column at a time (votes/publish/csv_stream.py, member_votes_csv.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# A value of another type (a float, bytes, a bool) is left to csv.writer.
PLAIN_TYPES = frozenset((str, int, type(None)))


def rows_text(rows: list[tuple[Any, ...]]) -> str | None:
    """The CSV lines of `rows` exactly as csv.writer (Datasette's dialect) writes them, each
    ended by CRLF, a column at a time: csv.writer's own pass over every character of every
    value was half a stream's time. None for rows only csv.writer should write: one column
    (a lone empty value is written ""), a value not str, int or None."""
    columns = list(zip(*rows, strict=True))
    if len(columns) < 2:
        return None
    texts = []
    for values in columns:
        text = column_text(values)
        if text is None:
            return None
        texts.append(text)
    return "\r\n".join(map(",".join, zip(*texts, strict=True))) + "\r\n"


def column_text(values: tuple[Any, ...]) -> Sequence[str] | None:
    """One column's values as csv.writer (excel dialect, QUOTE_MINIMAL) writes them: None
    empty, an int in decimal, a text in quotes (its own doubled) where it holds the delimiter,
    the quote or a character of the line terminator; None for a value not plain."""
    kinds = set(map(type, values))
    if not kinds <= PLAIN_TYPES:
        return None
    if kinds != {str}:  # the column's few distinct numbers (a congress) made text once each
        text_of = {v: "" if v is None else str(v) for v in set(values)}
        values = tuple(map(text_of.__getitem__, values))
    whole = "".join(values)
    if not ("," in whole or '"' in whole or "\r" in whole or "\n" in whole):
        return values
    return [
        '"' + v.replace('"', '""') + '"' if "," in v or '"' in v or "\r" in v or "\n" in v else v
        for v in values
    ]
