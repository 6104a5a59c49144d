"""The files of data/: their columns, types, order and sort keys, defined once.

The same definitions write data/ in canonical form, read it back with explicit types, and
generate data/datapackage.json (a Frictionless Data Package).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from votes.errors import RecordError
from votes.paths import DATA_DIR
from votes.vocab import (
    ACTION_KINDS,
    CONGRESSES,
    MEASURE_NUMBERS,
    MEASURE_TYPES,
    MEMBER_COUNTS,
    OPTIONS,
    ROLL_CALL_STATUSES,
    ROLL_NUMBERS,
    THRESHOLDS,
    VETO_TOTALS,
    YEARS,
    Span,
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string | integer | boolean | date
    description: str
    required: bool = True


@dataclass(frozen=True)
class DataFile:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique, and the sort order of the rows

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def typed(self, kind: str) -> list[str]:
        return [c.name for c in self.columns if c.type == kind]


def _one_of(values: tuple[str, ...]) -> str:
    """A vocabulary of votes/vocab.py in words: "a, b or c" (never a hand-kept copy)."""
    return f"{', '.join(values[:-1])} or {values[-1]}"


def _c(name: str, type_: str, description: str, required: bool = True) -> Column:
    return Column(name, type_, description, required)


MEASURE_COLUMNS = (
    _c("measure_congress", "integer", "Congress of the measure voted on", False),
    _c("measure_type", "string", "Type of that measure (hr, s, hjres, sjres, ...)", False),
    _c("measure_number", "integer", "Number of that measure", False),
)
SOURCE_URL = _c("source_url", "string", "The source of this row's figures (see sources.csv)")

FILES: dict[str, DataFile] = {
    f.name: f
    for f in (
        DataFile(
            "sources",
            "Every published record a figure comes from.",
            (
                _c("url", "string", "Address of the published record"),
                _c("publisher", "string", "Who published it"),
                _c(
                    "date",
                    "date",
                    "Date of publication or last modification (empty where the page states none)",
                    False,
                ),
                _c("title", "string", "Title, where it has one", False),
            ),
            ("url",),
        ),
        DataFile(
            "measures",
            "Bills and resolutions. Chamber of origin and presentment follow from the type.",
            (
                _c("congress", "integer", "Congress (116 = 2019-2020)"),
                _c("type", "string", _one_of(tuple(MEASURE_TYPES))),
                _c("number", "integer", "Number within its type and Congress"),
                _c("title", "string", "Official title", False),
                _c(
                    "constitutional_amendment",
                    "boolean",
                    "A joint resolution proposing a constitutional amendment (never presented)",
                ),
                _c("source_url", "string", "Where the title comes from", False),
            ),
            ("congress", "type", "number"),
        ),
        DataFile(
            "roll_calls",
            "Roll-call votes, one per line, as the official record publishes them.",
            (
                _c("id", "string", "unitedstates/congress vote id: s84-116.2020"),
                _c("chamber", "string", "house or senate"),
                _c("congress", "integer", "Congress"),
                _c("session", "string", "Session, named by its year"),
                _c("number", "integer", "Roll-call number within the chamber and session"),
                _c("voted_at", "string", "Date and time of the vote, ISO 8601 with UTC offset"),
                _c("question", "string", "The question put (none on 8 House votes of 1991)", False),
                _c("category", "string", "Kind of question (passage, veto-override, ...)"),
                _c("requires", "string", f"Threshold as published: {_one_of(THRESHOLDS)}"),
                _c("result", "string", "Official result"),
                _c("result_text", "string", "Official result text"),
                _c(
                    "status",
                    "string",
                    f"{_one_of(ROLL_CALL_STATUSES)} (vacated: the chamber vacated it)",
                ),
                *MEASURE_COLUMNS,
                SOURCE_URL,
            ),
            ("id",),
        ),
        DataFile(
            "vote_counts",
            "Official counts of each roll call: the chamber total (party ALL) and each party.",
            (
                _c("roll_call_id", "string", "Roll call (roll_calls.csv id)"),
                _c(
                    "party",
                    "string",
                    "ALL for the chamber total, else the party code (D, R, I, ID)",
                ),
                _c("yea", "integer", "Yeas (Aye, Guilty)"),
                _c("nay", "integer", "Nays (No, Not Guilty)"),
                _c("present", "integer", "Present"),
                _c("not_voting", "integer", "Not voting"),
                SOURCE_URL,
            ),
            ("roll_call_id", "party"),
        ),
        DataFile(
            "members",
            "Members who voted: Bioguide id as identity; a flagged stand-in where none is known.",
            (
                _c("id", "string", "Bioguide id, or lis:<LIS id> / name:<...> when unresolved"),
                _c("bioguide_id", "string", "Bioguide id", False),
                _c("lis_id", "string", "Senate LIS id", False),
                _c("name", "string", "Name"),
                _c("first_name", "string", "First name", False),
                _c("last_name", "string", "Last name", False),
            ),
            ("id",),
        ),
        DataFile(
            "positions",
            "Every member's position on every roll call, as the official roll lists it.",
            (
                _c("roll_call_id", "string", "Roll call (roll_calls.csv id)"),
                _c("member_id", "string", "Member (members.csv id)"),
                _c("party", "string", "Party printed beside the member on this roll call", False),
                _c("state", "string", "State printed beside the member on this roll call", False),
                _c("option", "string", _one_of(OPTIONS)),
                _c("raw_option", "string", "The option exactly as published (Aye, No, ...)"),
            ),
            ("roll_call_id", "member_id"),
        ),
        DataFile(
            "presidential_actions",
            "What the President did with a measure: presented, signed, vetoed, pocket_vetoed.",
            (
                _c("measure_congress", "integer", "Congress of the measure"),
                _c("measure_type", "string", "Type of the measure"),
                _c("measure_number", "integer", "Number of the measure"),
                _c("action", "string", _one_of(ACTION_KINDS)),
                _c("date", "date", "Date of the action"),
                SOURCE_URL,
            ),
            ("measure_congress", "measure_type", "measure_number", "date", "action"),
        ),
        DataFile(
            "carried_texts",
            "Curated: a roll call on one measure that carried the text of another measure.",
            (
                _c("roll_call_id", "string", "Roll call (roll_calls.csv id)"),
                *MEASURE_COLUMNS,
                _c("note", "string", "What was carried, in the record's words", False),
                SOURCE_URL,
            ),
            ("roll_call_id", "measure_congress", "measure_type", "measure_number"),
        ),
        DataFile(
            "vetoes",
            "Curated: every veto, 1989-2026, with its kind, what became of it, its override roll "
            "calls and every doubt about it (from a sourced inventory; see upstream/README.md).",
            (
                _c("measure_congress", "integer", "Congress of the vetoed measure"),
                _c("measure_type", "string", "Type of the vetoed measure (hr, s, hjres, sjres)"),
                _c("measure_number", "integer", "Number of the vetoed measure"),
                _c("president", "string", "The President who vetoed it"),
                _c("vetoed_on", "date", "Date of the veto (empty where no source gave it)", False),
                _c("kind", "string", "regular, pocket or disputed_pocket"),
                _c(
                    "outcome",
                    "string",
                    "overridden, sustained_house, sustained_senate, no_override_attempt or "
                    "pocket_no_override",
                ),
                _c("house_roll_call_id", "string", "The House's override roll call, if any", False),
                _c(
                    "senate_roll_call_id",
                    "string",
                    "The Senate's override roll call, if any",
                    False,
                ),
                _c(
                    "title", "string", "A short description of the measure (not its official title)"
                ),
                _c("notes", "string", "Every doubt about the row, and how it was resolved", False),
                _c(
                    "doubtful",
                    "boolean",
                    "The inventory lists the row as not fully sourced, or as settling sources "
                    "that disagree: its notes say how",
                ),
                _c("source_url", "string", "The first source stating the veto (see sources.csv)"),
            ),
            ("measure_congress", "measure_type", "measure_number"),
        ),
        DataFile(
            "veto_sources",
            "Curated: the further sources of a veto row (vetoes.csv), beyond its source_url.",
            (
                _c("measure_congress", "integer", "Congress of the vetoed measure"),
                _c("measure_type", "string", "Type of the vetoed measure"),
                _c("measure_number", "integer", "Number of the vetoed measure"),
                _c("source_url", "string", "A further source of the row (see sources.csv)"),
            ),
            ("measure_congress", "measure_type", "measure_number", "source_url"),
        ),
        DataFile(
            "official_veto_counts",
            "Curated: each President's vetoes as the Senate's veto statistics count them.",
            (
                _c("president", "string", "The President, named as in vetoes.csv"),
                _c("regular", "integer", "Regular (return) vetoes", False),
                _c("pocket", "integer", "Pocket vetoes", False),
                _c("total", "integer", "All vetoes", False),
                _c("note", "string", "How the figures were read, and any doubt", False),
                SOURCE_URL,
            ),
            ("president",),
        ),
    )
}

MEASURE_SPANS = {"measure_congress": CONGRESSES, "measure_number": MEASURE_NUMBERS}
# The sane range of every number of data/ (vocab's spans): a 25-digit roll number is refused
# here, before it can reach a database or be written by `votes record`.
SPANS: dict[tuple[str, str], Span] = {
    ("measures", "congress"): CONGRESSES,
    ("measures", "number"): MEASURE_NUMBERS,
    ("roll_calls", "congress"): CONGRESSES,
    ("roll_calls", "session"): YEARS,
    ("roll_calls", "number"): ROLL_NUMBERS,
    **{("vote_counts", n): MEMBER_COUNTS for n in ("yea", "nay", "present", "not_voting")},
    **{("official_veto_counts", n): VETO_TOTALS for n in ("regular", "pocket", "total")},
    **{
        (name, column): span
        for name in (
            "roll_calls",
            "presidential_actions",
            "carried_texts",
            "vetoes",
            "veto_sources",
        )
        for column, span in MEASURE_SPANS.items()
    },
}


def measure_keys(df: pd.DataFrame, prefix: str = "measure_") -> pd.Series:
    """The natural key of the measure a row names: "116-sjres-68" ("--" when none)."""
    return df[f"{prefix}congress"] + "-" + df[f"{prefix}type"] + "-" + df[f"{prefix}number"]


def path(name: str, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / FILES[name].filename


def read(name: str, data_dir: Path = DATA_DIR, missing_ok: bool = False) -> pd.DataFrame:
    """Read one file as text columns (explicit dtype str); `typed` converts the rest.

    A missing file is an error, unless `missing_ok` (`votes record` starting a new data/).
    """
    spec = FILES[name]
    file = path(name, data_dir)
    if not file.exists():
        if not missing_ok:
            raise RecordError(str(file), "-", "missing: every file of data/ is part of the record")
        return pd.DataFrame({c: pd.Series(dtype=str) for c in spec.names})
    return pd.DataFrame(_rows(file, spec.names), columns=spec.names, dtype=str)


def _rows(file: Path, names: list[str]) -> list[list[str]]:
    """A file's rows under its header, one record per line; the first break of that form (a
    stray quote, a row of the wrong width, bytes not UTF-8) is one line naming file and line."""
    rows: list[list[str]] = []
    start = 0  # the line of the last record read (the header is line 1)
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            if next(reader, None) != names:
                raise RecordError(str(file), "header", f"columns must be {','.join(names)}")
            start = 1
            for start, row in enumerate(reader, start=2):
                _one_record(row, reader.line_num, start, len(names), str(file))
                rows.append(row)
    except csv.Error as e:
        raise RecordError(str(file), f"line {start + 1}", f"not readable CSV ({e})") from None
    except UnicodeDecodeError as e:
        raise RecordError(
            str(file), "-", f"not UTF-8 text ({e.reason} at byte {e.start})"
        ) from None
    return [row for row in rows if row]  # blank lines are no records


def _one_record(row: list[str], end: int, start: int, width: int, file: str) -> None:
    """A row is one line of `width` values (a quoted value running on to the next lines is
    what a stray quote makes; data/ holds one record per line)."""
    if end != start:
        raise RecordError(
            file, f"line {start}", f"a quoted value runs on to line {end} (a stray quote?)"
        )
    if row and len(row) != width:
        raise RecordError(file, f"line {start}", f"{len(row)} values, not {width}")


def canonical(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Fixed column order, rows sorted by the file's key (integers numerically)."""
    spec = FILES[name]
    out = df[spec.names].copy()
    # A key that is not a number sorts last: validation reports it, and nothing is written.
    order = [
        pd.to_numeric(out[k], errors="coerce") if k in spec.typed("integer") else out[k]
        for k in spec.key
    ]
    sorter = pd.DataFrame({f"k{i}": s for i, s in enumerate(order)})
    return out.loc[sorter.sort_values(list(sorter.columns), kind="stable").index].reset_index(
        drop=True
    )


def to_text(name: str, df: pd.DataFrame) -> str:
    """The canonical CSV text of a table: header, LF endings, one record per line."""
    return canonical(name, df.astype(str)).to_csv(index=False, lineterminator="\n")


def write(name: str, df: pd.DataFrame, data_dir: Path = DATA_DIR) -> None:
    path(name, data_dir).write_text(to_text(name, df), encoding="utf-8")


def datapackage() -> dict:
    """The Frictionless Data Package descriptor of data/."""
    return {
        "name": "votes-record",
        "title": "votes: roll calls of the U.S. Congress and how close each came to two thirds",
        "licenses": [
            {
                "name": "CC0-1.0",
                "title": "Public domain: U.S. government works; "
                "unitedstates/congress and congress-legislators data under CC0 1.0",
            }
        ],
        "resources": [_resource(f) for f in FILES.values()],
    }


def _resource(spec: DataFile) -> dict:
    return {
        "name": spec.name.replace("_", "-"),
        "path": spec.filename,
        "profile": "tabular-data-resource",
        "description": spec.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [_field(c) for c in spec.columns],
            "primaryKey": list(spec.key),
            "missingValues": [""],
        },
    }


def _field(c: Column) -> dict:
    field: dict[str, object] = {"name": c.name, "type": c.type, "description": c.description}
    if c.type == "boolean":
        field |= {"trueValues": ["true"], "falseValues": ["false"]}
    if c.required:
        field["constraints"] = {"required": True}
    return field


def datapackage_text() -> str:
    """datapackage.json as `votes record` writes it."""
    return json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n"
