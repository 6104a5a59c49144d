"""Every check of the record, all problems collected, each as `file:record: message`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from votes.database.derive import Code, CodeBook, DerivedVote
from votes.errors import RecordError
from votes.importers.base import Record
from votes.normalized import RollCallRecord
from votes.paths import DATA_DIR
from votes.record import checks, datafiles, read
from votes.record.read import Curated
from votes.vocab import (
    ACTION_KINDS,
    CATEGORIES,
    CHAMBER_BY_LETTER,
    CHAMBERS,
    JOINT,
    MEASURE_TYPES,
    OPTIONS,
    ROLL_CALL_STATUSES,
    THRESHOLDS,
    VETO_KINDS,
    VETO_OUTCOMES,
    VETO_TOTALS,
    Span,
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
    ("vetoes", "measure_type"): tuple(MEASURE_TYPES),
    ("vetoes", "kind"): VETO_KINDS,
    ("vetoes", "outcome"): VETO_OUTCOMES,
    ("veto_sources", "measure_type"): tuple(MEASURE_TYPES),
}
LINE_BREAK = re.compile(r"[\r\n]")  # data/ holds one record per line
# A roll call id as unitedstates/congress writes it: chamber letter, number, congress, year.
ROLL_CALL_ID = re.compile(r"(?P<chamber>[hs])[1-9]\d*-(?P<congress>[1-9]\d*)\.\d{4}")
VETO_ROLL_CALLS = {"house_roll_call_id": "h", "senate_roll_call_id": "s"}
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
        _vetoes,
        _veto_sources,
        _official_veto_counts,
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


def file_name(name: str, data_dir: Path) -> str:
    """How messages name a file of data/ (relative to the working directory where possible)."""
    return _Locator(data_dir).file(name)


def record_id(name: str, row: pd.Series) -> str:
    """How a row is named in messages: its key values joined."""
    return "/".join(str(row[k]) for k in datafiles.FILES[name].key)


def _fields(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    for name, spec in datafiles.FILES.items():
        df = tables[name]
        for column in spec.columns:
            span = datafiles.SPANS.get((name, column.name))
            bad = _bad_values(
                df[column.name],
                "voted_at" if column.name == "voted_at" else column.type,
                column.required,
                VOCABULARIES.get((name, column.name)),
            ) | _outside(df[column.name], span)
            for _, row in df[bad].iterrows():
                problem = _why(row[column.name], span)
                yield where.error(name, record_id(name, row), f"{column.name}: {problem}")


def _outside(values: pd.Series, span: Span | None) -> pd.Series:
    """Numbers outside their sane range (an empty or malformed one is _bad_values' to say)."""
    numbers = values.where(values.str.fullmatch(r"-?[0-9]+"), "")
    if span is None:
        return values.str.contains(LINE_BREAK)
    as_numbers = pd.to_numeric(numbers.replace("", None), errors="coerce")
    return values.str.contains(LINE_BREAK) | ((as_numbers < span.low) | (as_numbers > span.high))


def _why(value: str, span: Span | None) -> str:
    """What is wrong with a bad value, in words (long values shortened)."""
    if value == "":
        return "missing"
    if LINE_BREAK.search(value):
        return f"a line break in {_short(value)} (data/ holds one record per line)"
    if span is not None and PATTERNS["integer"].fullmatch(value) and len(value) < 30:
        return span.problem(int(value)) or f"invalid value {_short(value)}"
    return f"invalid value {_short(value)}"


def _short(value: str) -> str:
    return repr(value) if len(value) <= 60 else f"{value[:57]!r}..."


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
        ("vetoes", datafiles.measure_keys(tables["vetoes"]), measures, "measure"),
        (
            "veto_sources",
            datafiles.measure_keys(tables["veto_sources"]),
            set(datafiles.measure_keys(tables["vetoes"])),
            "veto (no row of vetoes.csv)",
        ),
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
    rolls = tables["roll_calls"].drop_duplicates("id").set_index("id")["source_url"]
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
    kinds = df["type"].map(lambda t: t in MEASURE_TYPES and MEASURE_TYPES[t].kind)
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
        if type_ in MEASURE_TYPES and MEASURE_TYPES[type_].presented and amendment != "true"
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


def _vetoes(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    """A veto row is of a measure presented to the President, after it was presented; its kind,
    outcome and override roll calls agree; each roll call is its chamber's, in its congress."""
    df = tables["vetoes"].assign(key=datafiles.measure_keys)
    amendments = _amendment_keys(tables["measures"])
    presented = (
        tables["presidential_actions"]
        .assign(key=datafiles.measure_keys)
        .query("action == 'presented'")
        .groupby("key")["date"]
        .min()
    )
    for _, row in df.iterrows():
        for problem in _veto_problems(row, amendments, presented.get(row["key"], "")):
            yield where.error("vetoes", record_id("vetoes", row), problem)
    yield from _vetoes_acted(tables, where)


def _vetoes_acted(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    """A veto presidential_actions.csv records is a row of vetoes.csv, on the same day."""
    vetoes = (  # a key twice is _keys' to report
        tables["vetoes"].assign(key=datafiles.measure_keys).drop_duplicates("key")
    ).set_index("key")["vetoed_on"]
    df = tables["presidential_actions"].assign(key=datafiles.measure_keys)
    for _, row in df[df["action"].isin(("vetoed", "pocket_vetoed"))].iterrows():
        name = record_id("presidential_actions", row)
        if row["key"] not in vetoes.index:
            yield where.error("presidential_actions", name, "a veto vetoes.csv has no row for")
        elif vetoes[row["key"]] not in ("", row["date"]):
            day = vetoes[row["key"]]
            yield where.error("presidential_actions", name, f"vetoes.csv dates this veto {day}")


def _amendment_keys(measures: pd.DataFrame) -> set[str]:
    flagged = measures["constitutional_amendment"] == "true"
    return set(datafiles.measure_keys(measures[flagged], prefix=""))


def _veto_problems(row: pd.Series, amendments: set[str], presented_on: str) -> Iterator[str]:
    type_ = MEASURE_TYPES.get(row["measure_type"])
    if type_ is not None and (not type_.presented or row["key"] in amendments):
        yield f"{row['key']} is never presented to the President, so it cannot be vetoed"
    if presented_on and row["vetoed_on"] and row["vetoed_on"] < presented_on:
        yield f"vetoed on {row['vetoed_on']}, before it was presented ({presented_on})"
    pocket = row["kind"] == "pocket"
    if pocket != (row["outcome"] == "pocket_no_override") and row["kind"] != "disputed_pocket":
        yield f"a {row['kind']} veto cannot have the outcome {row['outcome']}"
    voted = [row[c] for c in VETO_ROLL_CALLS if row[c]]
    if row["outcome"] == "no_override_attempt" and voted:
        yield f"no_override_attempt, but it names {', '.join(voted)}"
    for column, letter in VETO_ROLL_CALLS.items():
        yield from _override_id_problems(row, column, letter)


def _override_id_problems(row: pd.Series, column: str, letter: str) -> Iterator[str]:
    value = row[column]
    if not value:
        return
    match = ROLL_CALL_ID.fullmatch(value)
    if match is None or match["chamber"] != letter:
        yield f"{column}: {value!r} is not a {CHAMBER_BY_LETTER[letter]} roll call id"
    elif match["congress"] != row["measure_congress"]:
        yield f"{column}: {value} is of another congress than the measure"
    elif row["outcome"] == "pocket_no_override":
        yield f"{column}: {value}, but a pocket veto has no override vote"


def _veto_sources(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    """A further source is not the row's own source_url again."""
    first = dict(
        zip(datafiles.measure_keys(tables["vetoes"]), tables["vetoes"]["source_url"], strict=True)
    )
    df = tables["veto_sources"]
    again = datafiles.measure_keys(df).map(first) == df["source_url"]
    for _, row in df[again].iterrows():
        yield where.error(
            "veto_sources", record_id("veto_sources", row), "already the row's source_url"
        )


def _official_veto_counts(tables: Tables, where: _Locator) -> Iterator[RecordError]:
    """Each count names a President of vetoes.csv; regular and pocket add up to the total."""
    presidents = set(tables["vetoes"]["president"])
    for _, row in tables["official_veto_counts"].iterrows():
        name = record_id("official_veto_counts", row)
        if row["president"] not in presidents:
            yield where.error("official_veto_counts", name, "no row of vetoes.csv names him")
        parts = [row[c] for c in ("regular", "pocket", "total")]
        if all(PATTERNS["integer"].fullmatch(p) and int(p) in VETO_TOTALS for p in parts):
            regular, pocket, total = map(int, parts)
            if regular + pocket != total:
                yield where.error(
                    "official_veto_counts", name, f"{regular} + {pocket} is not the total {total}"
                )


# The data/ files each kind of input record writes rows of (votes.record.write.merge).
WRITTEN_BY_ROLL_CALLS = ("roll_calls", "vote_counts", "positions")
WRITTEN_BY_BILLS = ("measures", "presidential_actions")


def by_input(problems: list[RecordError], new: list[Record]) -> list[RecordError]:
    """Problems in the rows `votes record` made of input files, named by the input file and
    its record (the data/ file and row said in the message); the rest as they are."""
    origins: dict[tuple[str, str], tuple[str, str]] = {}
    for r in new:
        if isinstance(r, RollCallRecord):
            origins |= {(name, r.id): (r.origin, r.id) for name in WRITTEN_BY_ROLL_CALLS}
        else:
            m = r.measure
            key, name = f"{m.congress}/{m.type}/{m.number}", m.bill_id
            origins |= {(file, key): (r.origin, name) for file in WRITTEN_BY_BILLS}
    return [_by_input(p, origins) for p in problems]


def _by_input(p: RecordError, origins: dict[tuple[str, str], tuple[str, str]]) -> RecordError:
    file = Path(p.file).stem
    parts = p.record.split("/")
    for key in (parts[0], "/".join(parts[:3])):
        if (file, key) in origins:
            origin, record = origins[(file, key)]
            return RecordError(origin, record, f"{p.message} ({file}.csv: {p.record})")
    return p
