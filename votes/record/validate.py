"""Every check of the record, all problems collected, each as `file:record: message`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from votes.database.derive import Code, CodeBook, DerivedVote
from votes.errors import RecordError
from votes.paths import DATA_DIR
from votes.record import checks, datafiles, read
from votes.record.read import Curated
from votes.vocab import (
    ACTION_KINDS,
    CATEGORIES,
    CHAMBERS,
    JOINT,
    MEASURE_TYPES,
    OPTIONS,
    ROLL_CALL_STATUSES,
    THRESHOLDS,
)

Tables = dict[str, pd.DataFrame]
VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("measures", "type"): tuple(MEASURE_TYPES),
    ("roll_calls", "chamber"): CHAMBERS,
    ("roll_calls", "category"): CATEGORIES,
    ("roll_calls", "requires"): THRESHOLDS,
    ("roll_calls", "status"): ROLL_CALL_STATUSES,
    ("roll_calls", "measure_type"): ("", *MEASURE_TYPES),
    ("positions", "option"): OPTIONS,
    ("presidential_actions", "action"): ACTION_KINDS,
    ("presidential_actions", "measure_type"): tuple(MEASURE_TYPES),
    ("carried_texts", "measure_type"): tuple(MEASURE_TYPES),
}
PATTERNS = {
    "integer": re.compile(r"-?(0|[1-9]\d*)"),  # one spelling per number: no leading zeros
    "boolean": re.compile(r"true|false"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
}
# voted_at: ISO 8601 with its UTC offset, or the date alone where the official file gives no time.
VOTED_AT = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?[+-]\d{2}:\d{2})?")


FileCheck = Callable[[Tables, "_Locator"], Iterator[RecordError]]


@dataclass
class Checked:
    """The record of data/ as records and as derived rows, and every problem found in it."""

    curated: Curated
    votes: list[DerivedVote]
    codes: list[Code]
    problems: list[RecordError]


def problems(tables: Tables, data_dir: Path = DATA_DIR) -> list[RecordError]:
    """Every problem in the record; an empty list means it may be built."""
    return check(tables, data_dir).problems


def check(tables: Tables, data_dir: Path = DATA_DIR) -> Checked:
    """The files' own checks, then each roll call's (votes.record.checks, as `votes import`
    runs them), on the rows the one derivation makes of it."""
    where = _Locator(data_dir)
    file_checks: list[FileCheck] = [
        _fields,
        _keys,
        _references,
        _sources,
        _count_sources,
        _measures,
        _actions,
    ]
    found = [e for file_check in file_checks for e in file_check(tables, where)]
    curated = read.records(tables, data_dir)
    book = CodeBook()
    votes = [book.derive(r) for r in curated.roll_calls]
    # A source sources.csv lacks is reported once, by _sources, not again for each vote.
    found += [
        where.error(p.table, p.record, p.message)
        for v in votes
        for p in checks.problems(v)
        if p.table != "sources"
    ]
    return Checked(curated, votes, book.take_new(), found)


class _Locator:
    """Names the file a problem is in, relative to the working directory where possible."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def file(self, name: str) -> str:
        path = datafiles.path(name, self.data_dir)
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def error(self, name: str, record: str, message: str) -> RecordError:
        return RecordError(self.file(name), record, message)


def record_id(name: str, row: pd.Series) -> str:
    """How a row is named in messages: its key values joined."""
    return "/".join(str(row[k]) for k in datafiles.FILES[name].key)


def _fields(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    for name, spec in datafiles.FILES.items():
        df = tables[name]
        for column in spec.columns:
            bad = _bad_values(
                df[column.name],
                "voted_at" if column.name == "voted_at" else column.type,
                column.required,
                VOCABULARIES.get((name, column.name)),
            )
            for _, row in df[bad].iterrows():
                yield where.error(
                    name, record_id(name, row), f"{column.name}: invalid value {row[column.name]!r}"
                )


def _bad_values(
    values: pd.Series, type_: str, required: bool, vocabulary: tuple[str, ...] | None
) -> pd.Series:
    empty = values == ""
    bad = empty if required else pd.Series(False, index=values.index)
    pattern = VOTED_AT if type_ == "voted_at" else PATTERNS.get(type_)
    if pattern is not None:
        bad |= ~empty & ~values.str.fullmatch(pattern)
    if type_ in ("date", "voted_at"):  # the shape, and a day that exists (not 2020-02-30)
        days = pd.to_datetime(values.str[:10], format="%Y-%m-%d", errors="coerce")
        bad |= ~empty & days.isna()
    if vocabulary is not None:
        bad |= ~values.isin(vocabulary) & ~(empty & ~required)
    return bad


def _keys(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    for name, spec in datafiles.FILES.items():
        df = tables[name]
        for _, row in df[df.duplicated(list(spec.key))].iterrows():
            yield where.error(name, record_id(name, row), "duplicate record")


def _references(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    rolls, members = set(tables["roll_calls"]["id"]), set(tables["members"]["id"])
    measures = set(datafiles.measure_keys(tables["measures"], prefix=""))
    refs = [
        ("vote_counts", tables["vote_counts"]["roll_call_id"], rolls, "roll call"),
        ("positions", tables["positions"]["roll_call_id"], rolls, "roll call"),
        ("carried_texts", tables["carried_texts"]["roll_call_id"], rolls, "roll call"),
        ("positions", tables["positions"]["member_id"], members, "member"),
        (
            "presidential_actions",
            datafiles.measure_keys(tables["presidential_actions"]),
            measures,
            "measure",
        ),
        ("carried_texts", datafiles.measure_keys(tables["carried_texts"]), measures, "measure"),
        ("roll_calls", datafiles.measure_keys(tables["roll_calls"]), measures | {"--"}, "measure"),
    ]
    for name, values, known, what in refs:
        df = tables[name]
        bad = ~values.isin(known)
        for (_, row), value in zip(df[bad].iterrows(), values[bad], strict=True):
            yield where.error(name, record_id(name, row), f"unknown {what} {value}")


def _sources(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    """Every row that carries a figure names a source that sources.csv describes (a measure
    carries one when it has a title)."""
    known = set(tables["sources"]["url"])
    for name, spec in datafiles.FILES.items():
        if "source_url" not in spec.names:
            continue
        df = tables[name]
        given = df["source_url"] != ""  # an empty one where required: _fields says so
        titled = df["title"] != "" if name == "measures" else pd.Series(False, index=df.index)
        bad = ~df["source_url"].isin(known) & (given | titled)
        for _, row in df[bad].iterrows():
            yield where.error(
                name,
                record_id(name, row),
                f"source {row['source_url'] or '(none)'} is not in sources.csv",
            )


def _count_sources(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    """A roll call's counts come from the file its roll comes from."""
    rolls = tables["roll_calls"].set_index("id")["source_url"]
    df = tables["vote_counts"]
    expected = df["roll_call_id"].map(rolls)
    bad = expected.notna() & (df["source_url"] != expected)
    for (_, row), wanted in zip(df[bad].iterrows(), expected[bad], strict=True):
        yield where.error(
            "vote_counts",
            record_id("vote_counts", row),
            f"source {row['source_url']} is not its roll call's ({wanted})",
        )


def _measures(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    """Only a joint resolution proposes a constitutional amendment (Art. V)."""
    df = tables["measures"]
    kinds = df["type"].map(lambda t: MEASURE_TYPES[t].kind)
    for _, row in df[(df["constitutional_amendment"] == "true") & (kinds != JOINT)].iterrows():
        yield where.error(
            "measures", record_id("measures", row), "only a joint resolution is an amendment"
        )


def _actions(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    """The President acts only on a measure presented to him (Art. I, sec. 7), and after."""
    measures = tables["measures"]
    presented = {
        key
        for key, type_, amendment in zip(
            datafiles.measure_keys(measures, prefix=""),
            measures["type"],
            measures["constitutional_amendment"],
            strict=True,
        )
        if MEASURE_TYPES[type_].presented and amendment != "true"
    }
    df = tables["presidential_actions"].assign(key=datafiles.measure_keys)
    for _, row in df[~df["key"].isin(presented)].iterrows():
        yield where.error(
            "presidential_actions",
            record_id("presidential_actions", row),
            f"{row['key']} is never presented to the President",
        )
    first = df[df["action"] == "presented"].groupby("key")["date"].min()
    acted = df[(df["action"] != "presented") & df["key"].isin(first.index)]
    for _, row in acted[acted["date"] < acted["key"].map(first)].iterrows():
        yield where.error(
            "presidential_actions",
            record_id("presidential_actions", row),
            f"{row['action']} on {row['date']}, before it was presented",
        )
