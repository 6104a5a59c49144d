"""data/ -> database: the only code that reads data/ into tables (after validation)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pandas.core.groupby import DataFrameGroupBy
from sqlalchemy import Table, text
from sqlalchemy.engine import Connection

from votes.database import derive as rows
from votes.database.models import Base
from votes.record import datafiles

Tables = dict[str, pd.DataFrame]


def read_all(data_dir: Path = datafiles.DATA_DIR) -> Tables:
    """Every file of data/, canonically ordered, as text columns."""
    return {
        name: datafiles.canonical(name, datafiles.read(name, data_dir)) for name in datafiles.FILES
    }


def load(connection: Connection, t: Tables) -> None:
    """Insert a validated record into an empty, migrated database."""
    sources = _insert(connection, "sources", _sources(t))
    source_ids = _lookup(sources, sources["url"])
    measures = _insert(connection, "measures", _measures(t, source_ids))
    measure_ids = _lookup(measures, datafiles.measure_keys(t["measures"], ""))
    rolls = _insert(connection, "roll_calls", _roll_calls(t, measure_ids, source_ids))
    _insert(connection, "carried_texts", _carried_texts(t, measure_ids, source_ids))
    _insert(connection, "vote_counts", _vote_counts(t, source_ids))
    _insert(connection, "presidential_actions", _actions(t, measure_ids, source_ids))
    _insert(connection, "members", _members(t))
    voters = _insert(connection, "voters", _voters(t))
    options = _insert(connection, "vote_options", _vote_options(t))
    positions = _positions(
        t,
        roll_keys=pd.Series(rolls["key"].values, index=rolls["id"]),
        voter_ids=_lookup(
            voters, voters["member_id"] + "|" + voters["party"] + "|" + voters["state"]
        ),
        option_ids=_lookup(options, options["raw_option"]),
    )
    _insert(connection, "positions", positions)
    connection.execute(text(rows.PARTY_TALLIES))
    _insert(connection, "roll_call_digests", _digests(t))


def _lookup(rows: pd.DataFrame, keys: pd.Series) -> pd.Series:
    """natural key -> surrogate id of the rows just inserted."""
    return pd.Series(rows["id"].values, index=keys.values)


def _insert(connection: Connection, name: str, rows: pd.DataFrame) -> pd.DataFrame:
    table: Table = Base.metadata.tables[name]
    columns = [c.name for c in table.columns]
    records = rows.reset_index(drop=True)[columns].astype(object).to_dict("records")
    if records:
        connection.execute(table.insert(), records)
    return rows


def _numbered(df: pd.DataFrame) -> pd.DataFrame:
    return df.reset_index(drop=True).assign(id=range(1, len(df) + 1))


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d").dt.date


def _ints(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return df.assign(**{c: df[c].astype("int64") for c in columns})


def _nullable(values: pd.Series) -> list:
    return [None if pd.isna(v) else int(v) for v in values]


def _sources(t: Tables) -> pd.DataFrame:
    return _numbered(t["sources"].assign(date=lambda d: _dates(d["date"])))


def _measures(t: Tables, source_ids: pd.Series) -> pd.DataFrame:
    df = _ints(t["measures"], "congress", "number")
    amendment = df["constitutional_amendment"] == "true"
    facts = [
        rows.measure_facts(*m) for m in zip(df.congress, df.type, df.number, amendment, strict=True)
    ]
    return _numbered(
        df.assign(
            label=[f[0] for f in facts],
            kind=[f[1] for f in facts],
            originating_chamber=[f[2] for f in facts],
            presented=[f[3] for f in facts],
            constitutional_amendment=amendment,
            source_id=_nullable(df["source_url"].map(source_ids)),
        )
    )


def _roll_calls(t: Tables, measure_ids: pd.Series, source_ids: pd.Series) -> pd.DataFrame:
    df = _ints(t["roll_calls"], "congress", "number")
    return df.reset_index(drop=True).assign(
        key=range(1, len(df) + 1),
        date=_dates(df["voted_at"].str[:10]),
        measure_id=_nullable(datafiles.measure_keys(t["roll_calls"]).map(measure_ids)),
        source_id=df["source_url"].map(source_ids),
    )


def _carried_texts(t: Tables, measure_ids: pd.Series, source_ids: pd.Series) -> pd.DataFrame:
    df = t["carried_texts"]
    return df.assign(
        measure_id=datafiles.measure_keys(df).map(measure_ids),
        source_id=df["source_url"].map(source_ids),
    )


def _vote_counts(t: Tables, source_ids: pd.Series) -> pd.DataFrame:
    df = _ints(t["vote_counts"], "yea", "nay", "present", "not_voting")
    return df.assign(source_id=df["source_url"].map(source_ids))


def _actions(t: Tables, measure_ids: pd.Series, source_ids: pd.Series) -> pd.DataFrame:
    df = t["presidential_actions"]
    return _numbered(
        df.assign(
            measure_id=datafiles.measure_keys(df).map(measure_ids),
            date=_dates(df["date"]),
            source_id=df["source_url"].map(source_ids),
        )
    )


def _members(t: Tables) -> pd.DataFrame:
    df = t["members"]
    return df.assign(
        bioguide_id=_none_if_empty(df["bioguide_id"]),
        lis_id=_none_if_empty(df["lis_id"]),
        resolved=df["bioguide_id"] != "",
    )


def _none_if_empty(values: pd.Series) -> pd.Series:
    """ "" -> None (SQL NULL); pandas' own missing value would reach PostgreSQL as 'NaN'."""
    return values.astype(object).where(values != "", None)


def _voters(t: Tables) -> pd.DataFrame:
    df = t["positions"][["member_id", "party", "state"]].drop_duplicates()
    df = df.sort_values(["member_id", "party", "state"])
    names = t["members"].set_index("id")["name"]
    labels = [
        rows.voter_label(names[m], p, s)
        for m, p, s in zip(df.member_id, df.party, df.state, strict=True)
    ]
    return _numbered(df.assign(label=labels))


def _vote_options(t: Tables) -> pd.DataFrame:
    df = t["positions"][["raw_option", "option"]].drop_duplicates("raw_option")
    df = df.sort_values("raw_option").reset_index(drop=True)
    return df.assign(id=rows.vote_option_ids(list(df["raw_option"])))


def _positions(
    t: Tables, roll_keys: pd.Series, voter_ids: pd.Series, option_ids: pd.Series
) -> pd.DataFrame:
    df = t["positions"]
    return df.assign(
        roll_call_key=df["roll_call_id"].map(roll_keys),
        voter_id=(df["member_id"] + "|" + df["party"] + "|" + df["state"]).map(voter_ids),
        vote_option_id=df["raw_option"].map(option_ids),
    )


def _digests(t: Tables) -> pd.DataFrame:
    """Each roll call's fingerprint over its record as data/ holds it (votes.rows.digest)."""
    sources = {s.url: (s.publisher, s.date, s.title) for s in t["sources"].itertuples()}
    counts = t["vote_counts"].groupby("roll_call_id")
    positions = t["positions"].groupby("roll_call_id")
    digests = []
    for roll in t["roll_calls"][datafiles.FILES["roll_calls"].names].itertuples(index=False):
        count_rows = _text_rows(counts, roll.id, ["party", "yea", "nay", "present", "not_voting"])
        position_rows = _text_rows(
            positions, roll.id, ["member_id", "party", "state", "option", "raw_option"]
        )
        lines = sorted(rows.position_line(*p) for p in position_rows)
        digests.append(
            rows.digest(tuple(roll), sources[roll.source_url], sorted(count_rows), lines)
        )
    return pd.DataFrame({"roll_call_id": t["roll_calls"]["id"], "digest": digests})


def _text_rows(groups: DataFrameGroupBy, key: str, columns: list[str]) -> list[tuple[str, ...]]:
    """One roll call's rows of a grouped table, as text tuples (none if it has none)."""
    if key not in groups.groups:
        return []
    return list(groups.get_group(key)[columns].itertuples(index=False, name=None))
