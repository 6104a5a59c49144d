"""data/ -> normalized records: the record read back as the importers would give it, so that it
goes into a database by the same derivation and writer as any imported file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from votes.normalized import (
    ActionRecord,
    CarriedTextRecord,
    CountRecord,
    MeasureRecord,
    MeasureRef,
    OfficialVetoCountRecord,
    PositionRecord,
    RollCallRecord,
    SourceRecord,
    VetoRecord,
    VoterRecord,
)
from votes.paths import DATA_DIR
from votes.record import datafiles
from votes.vocab import MEASURE_TYPES

Tables = dict[str, pd.DataFrame]
SMALL_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass
class Curated:
    """Every record of data/, in data/'s order."""

    measures: list[MeasureRecord] = field(default_factory=list)
    roll_calls: list[RollCallRecord] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    carried_texts: list[CarriedTextRecord] = field(default_factory=list)
    vetoes: list[VetoRecord] = field(default_factory=list)
    official_veto_counts: list[OfficialVetoCountRecord] = field(default_factory=list)


def read_tables(data_dir: Path = DATA_DIR) -> Tables:
    """Every file of data/, canonically ordered, as text columns."""
    return {
        name: datafiles.canonical(name, datafiles.read(name, data_dir)) for name in datafiles.FILES
    }


def records(tables: Tables, data_dir: Path = DATA_DIR) -> Curated:
    """The records of data/'s tables. A row whose numbers do not read, or are outside their
    sane range, is left out: the validation of data/ (votes.record.validate) reports it."""
    t = {name: _sane(name, df) for name, df in tables.items()}
    sources = {
        r.url: SourceRecord(r.url, r.publisher, r.date, r.title) for r in _rows(t["sources"])
    }
    origin = str(datafiles.path("roll_calls", data_dir))
    vote_files = set(t["roll_calls"]["source_url"])
    return Curated(
        measures=[
            _measure(r, sources, origin, vote_files)
            for r in _rows(t["measures"])
            if _ints(r, "congress", "number")
        ],
        roll_calls=_roll_calls(t, sources, origin),
        actions=[
            ActionRecord(_ref(r), r.action, r.date, _source(sources, r.source_url), origin)
            for r in _rows(t["presidential_actions"])
            if _ints(r, "measure_congress", "measure_number")
        ],
        carried_texts=[
            CarriedTextRecord(
                r.roll_call_id, _ref(r), r.note, _source(sources, r.source_url), origin
            )
            for r in _rows(t["carried_texts"])
            if _ints(r, "measure_congress", "measure_number")
        ],
        vetoes=_vetoes(t, sources, str(datafiles.path("vetoes", data_dir))),
        official_veto_counts=[
            _official_count(r, sources, str(datafiles.path("official_veto_counts", data_dir)))
            for r in _rows(t["official_veto_counts"])
            if all(_ints(r, n) or getattr(r, n) == "" for n in ("regular", "pocket", "total"))
        ],
    )


def _vetoes(t: Tables, sources: dict[str, SourceRecord], origin: str) -> list[VetoRecord]:
    """Each veto row with its first source and its further ones (veto_sources.csv)."""
    more: dict[str, list[SourceRecord]] = defaultdict(list)
    for r in _rows(t["veto_sources"]):
        more[_key(r)].append(_source(sources, r.source_url))
    return [
        VetoRecord(
            measure=_ref(r),
            president=r.president,
            vetoed_on=r.vetoed_on,
            kind=r.kind,
            outcome=r.outcome,
            house_roll_call_id=r.house_roll_call_id,
            senate_roll_call_id=r.senate_roll_call_id,
            title=r.title,
            notes=r.notes,
            doubtful=r.doubtful == "true",
            source=_source(sources, r.source_url),
            more_sources=tuple(more.get(_key(r), ())),
            origin=origin,
        )
        for r in _rows(t["vetoes"])
        if _ints(r, "measure_congress", "measure_number")
    ]


def _key(row: object) -> str:
    return "-".join(str(getattr(row, f"measure_{n}")) for n in ("congress", "type", "number"))


def _official_count(
    r: object, sources: dict[str, SourceRecord], origin: str
) -> OfficialVetoCountRecord:
    g = r.__getattribute__
    regular, pocket, total = (int(g(n)) if g(n) else None for n in ("regular", "pocket", "total"))
    source = _source(sources, g("source_url"))
    return OfficialVetoCountRecord(
        g("president"), regular, pocket, total, g("note"), source, origin
    )


def _rows(df: pd.DataFrame) -> list:
    return list(df.itertuples(index=False))


def _sane(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The rows whose numbers are within their spans (datafiles.SPANS); empty ones pass."""
    keep = pd.Series(True, index=df.index)
    for (table, column), span in datafiles.SPANS.items():
        if table == name and column in df:
            numbers = pd.to_numeric(df[column].where(df[column] != "", None), errors="coerce")
            keep &= numbers.isna() | numbers.between(span.low, span.high)
    return df[keep]


def _ints(row: object, *names: str) -> bool:
    """Whether the row's columns are whole numbers a database holds (ASCII digits, at most
    nine: str.isdigit would pass "²", and int() of 25 digits overflows SQLite)."""
    return all(SMALL_NUMBER.fullmatch(str(getattr(row, n))) for n in names)


def _source(sources: dict[str, SourceRecord], url: str) -> SourceRecord:
    """A row's source; one sources.csv lacks is named by its URL alone (validation says so)."""
    return sources.get(url) or SourceRecord(url, "", "")


def _ref(row: object, prefix: str = "measure_") -> MeasureRef:
    return MeasureRef(
        int(getattr(row, f"{prefix}congress")),
        getattr(row, f"{prefix}type"),
        int(getattr(row, f"{prefix}number")),
    )


def _measure(
    row: object, sources: dict[str, SourceRecord], origin: str, vote_files: set[str]
) -> MeasureRecord:
    """A measure of measures.csv; a title sourced to a roll call's file was taken from it."""
    ref = MeasureRef(int(row.congress), row.type, int(row.number), row.title)  # type: ignore[attr-defined]
    url = row.source_url  # type: ignore[attr-defined]
    source = _source(sources, url) if url else None
    amendment = row.constitutional_amendment == "true"  # type: ignore[attr-defined]
    title_source = "vote" if url in vote_files else "curated"
    return MeasureRecord(ref, amendment, source, origin, title_source)


def _roll_calls(t: Tables, sources: dict[str, SourceRecord], origin: str) -> list[RollCallRecord]:
    counts = _grouped(t["vote_counts"])
    positions = _grouped(t["positions"])
    members = {r.id: r for r in _rows(t["members"])}
    rolls = []
    for r in _rows(t["roll_calls"]):
        roll_counts = counts.get(r.id, [])
        if not _ints(r, "congress", "number") or not all(
            _ints(c, "yea", "nay", "present", "not_voting") for c in roll_counts
        ):
            continue
        rolls.append(_roll_call(r, roll_counts, positions.get(r.id, []), members, sources, origin))
    return rolls


def _grouped(df: pd.DataFrame) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for row in _rows(df):
        groups[row.roll_call_id].append(row)
    return groups


def _roll_call(
    r: object, counts: list, positions: list, members: dict, sources: dict, origin: str
) -> RollCallRecord:
    g = r.__getattribute__
    named = _ints(r, "measure_congress", "measure_number") and g("measure_type") in MEASURE_TYPES
    measure = _ref(r) if named else None  # a half-named measure: validation says so
    return RollCallRecord(
        id=g("id"),
        chamber=g("chamber"),
        congress=int(g("congress")),
        session=g("session"),
        number=int(g("number")),
        voted_at=g("voted_at"),
        question=g("question"),
        category=g("category"),
        requires=g("requires"),
        result=g("result"),
        result_text=g("result_text"),
        source=_source(sources, g("source_url")),
        measure=measure,
        status=g("status"),
        counts=[
            CountRecord(c.party, int(c.yea), int(c.nay), int(c.present), int(c.not_voting))
            for c in counts
        ],
        positions=[_position(p, members) for p in positions],
        origin=origin,
    )


def _position(p: object, members: dict) -> PositionRecord:
    g = p.__getattribute__
    m = members.get(g("member_id"))
    voter = VoterRecord(
        key=g("member_id"),
        bioguide_id=(m.bioguide_id or None) if m else None,
        lis_id=(m.lis_id or None) if m else None,
        name=m.name if m else g("member_id"),
        party=g("party"),
        state=g("state"),
        first_name=m.first_name if m else "",
        last_name=m.last_name if m else "",
    )
    return PositionRecord(voter, g("option"), g("raw_option"))
