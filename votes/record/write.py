"""`votes record`: official or upstream files -> data/, merged, validated, written canonically."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from votes.errors import RecordError, RecordErrors
from votes.importers.base import Record
from votes.importers.inputs import records
from votes.normalized import BillRecord, MeasureRef, RollCallRecord, SourceRecord
from votes.paths import DATA_DIR
from votes.record import commit, datafiles, validate

Tables = dict[str, pd.DataFrame]
# The roll_calls.csv columns a RollCallRecord holds as they are (the rest name its measure
# and source).
ROLL_FIELDS = [
    n for n in datafiles.FILES["roll_calls"].names if n in RollCallRecord.__dataclass_fields__
]


def record(sources: Iterable[str], data_dir: Path = DATA_DIR) -> list[str]:
    """Merge every record of `sources` into data/; returns the names of the files changed.

    Nothing is written unless every source parses and the merged record validates. data/ is
    locked (votes.database.locks) from the reading of its files to the last rename, so two runs
    at once each see the other's votes.
    """
    new = _unique(list(records(sources)))
    with commit.writing(data_dir):  # one writer of data/ at a time, from read to write
        tables = {name: datafiles.read(name, data_dir, missing_ok=True) for name in datafiles.FILES}
        merged = merge(tables, new)
        problems = validate.problems(merged, data_dir)
        if problems:
            raise RecordErrors(validate.by_input(problems, new))
        return _write_changed(merged, data_dir)


def _unique(new: list[Record]) -> list[Record]:
    seen: dict[str, str] = {}
    for r in new:
        key = r.id if isinstance(r, RollCallRecord) else _measure_key(r.measure)
        if key in seen:
            raise RecordError(r.origin, str(key), f"duplicate record (also in {seen[key]})")
        seen[key] = r.origin
    return new


def merge(tables: Tables, new: list[Record]) -> Tables:
    """The tables with each new record replacing any earlier copy of it."""
    rolls = [r for r in new if isinstance(r, RollCallRecord)]
    bills = [r for r in new if isinstance(r, BillRecord)]
    out = dict(tables)
    out = _replace(out, "roll_calls", "id", [r.id for r in rolls], [_roll_row(r) for r in rolls])
    for name, rows in (("vote_counts", _count_rows), ("positions", _position_rows)):
        out = _replace(
            out,
            name,
            "roll_call_id",
            [r.id for r in rolls],
            [row for r in rolls for row in rows(r)],
        )
    voters = {p.voter.key: p.voter for r in rolls for p in r.positions}
    out = _replace(out, "members", "id", list(voters), [_member_row(v) for v in voters.values()])
    sources = {s.url: s for s in [r.source for r in new]}
    out = _replace(out, "sources", "url", list(sources), [_source_row(s) for s in sources.values()])
    out = _merge_measures(out, [r for r in rolls if r.measure], bills)
    return _merge_actions(out, bills)


def _replace(
    tables: Tables, name: str, old_keys: pd.Series | str, keys: list, rows: list[dict]
) -> Tables:
    """Drop the rows whose key is in `keys` (old_keys: a column name or key Series), add `rows`."""
    old = tables[name]
    column = old[old_keys] if isinstance(old_keys, str) else old_keys
    kept = old[~column.isin([str(k) for k in keys])]
    # A missing value (None from a JSON null) is an empty cell, which the validator reports.
    added = pd.DataFrame(rows, columns=datafiles.FILES[name].names).fillna("").astype(str)
    return tables | {name: pd.concat([kept, added], ignore_index=True)}


def _measure_key(m: MeasureRef) -> str:
    return f"{m.congress}-{m.type}-{m.number}"


def _merge_measures(tables: Tables, rolls: list[RollCallRecord], bills: list[BillRecord]) -> Tables:
    """Bill files set a measure's title; a roll call only adds a measure not yet known (its
    title, if the roll call's file gives one, sourced to that file)."""
    old = tables["measures"]
    keys = datafiles.measure_keys(old, prefix="")
    flags = dict(zip(keys, old["constitutional_amendment"], strict=True))
    rows: dict[str, dict] = {}
    for r in rolls:
        m = r.measure
        assert m is not None
        if _measure_key(m) not in flags and not rows.get(_measure_key(m), {}).get("title"):
            rows[_measure_key(m)] = _measure_row(m, r.source.url if m.title else "", flags)
    rows |= {_measure_key(b.measure): _measure_row(b.measure, b.source.url, flags) for b in bills}
    return _replace(tables, "measures", keys, list(rows), list(rows.values()))


def _merge_actions(tables: Tables, bills: list[BillRecord]) -> Tables:
    old = tables["presidential_actions"]
    replaced = [_measure_key(b.measure) for b in bills]
    rows = [_action_row(b, kind, date) for b in bills for kind, date in b.actions]
    return _replace(tables, "presidential_actions", datafiles.measure_keys(old), replaced, rows)


def _roll_row(r: RollCallRecord) -> dict:
    m = r.measure
    return {
        **{k: getattr(r, k) for k in ROLL_FIELDS},
        "measure_congress": m.congress if m else "",
        "measure_type": m.type if m else "",
        "measure_number": m.number if m else "",
        "source_url": r.source.url,
    }


def _count_rows(r: RollCallRecord) -> list[dict]:
    return [{"roll_call_id": r.id, **asdict(c), "source_url": r.source.url} for c in r.counts]


def _position_rows(r: RollCallRecord) -> list[dict]:
    return [
        {
            "roll_call_id": r.id,
            "member_id": p.voter.key,
            "party": p.voter.party,
            "state": p.voter.state,
            "option": p.option,
            "raw_option": p.raw_option,
        }
        for p in r.positions
    ]


def _member_row(v) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": v.key,
        "bioguide_id": v.bioguide_id or "",
        "lis_id": v.lis_id or "",
        "name": v.name,
        "first_name": v.first_name,
        "last_name": v.last_name,
    }


def _source_row(s: SourceRecord) -> dict:
    return asdict(s)


def _measure_row(m: MeasureRef, source_url: str, flags: dict[str, str]) -> dict:
    return {
        "congress": m.congress,
        "type": m.type,
        "number": m.number,
        "title": m.title,
        "constitutional_amendment": flags.get(_measure_key(m), "false"),
        "source_url": source_url,
    }


def _action_row(b: BillRecord, kind: str, date: str) -> dict:
    m = b.measure
    return {
        "measure_congress": m.congress,
        "measure_type": m.type,
        "measure_number": m.number,
        "action": kind,
        "date": date,
        "source_url": b.source.url,
    }


def _write_changed(tables: Tables, data_dir: Path) -> list[str]:
    """Write each changed file (and datapackage.json), all of them or none (commit.py)."""
    texts = {
        datafiles.path(name, data_dir): datafiles.to_text(name, df) for name, df in tables.items()
    }
    texts[data_dir / "datapackage.json"] = datafiles.datapackage_text()
    changed = {
        target: text
        for target, text in texts.items()
        if not target.exists() or target.read_text(encoding="utf-8") != text
    }
    commit.replace_all(data_dir, changed)
    return sorted(target.name for target in changed)
