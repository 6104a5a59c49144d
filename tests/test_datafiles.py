"""data/ is in one canonical form, and datapackage.json describes every file and column."""

from __future__ import annotations

import json

import pytest

from votes.record import datafiles


@pytest.mark.parametrize("name", list(datafiles.FILES))
def test_rewriting_a_file_changes_nothing(name: str) -> None:
    path = datafiles.path(name)
    raw = path.read_bytes()
    assert b"\r" not in raw, "LF line endings only"
    assert raw.endswith(b"\n")
    assert datafiles.to_text(name, datafiles.read(name)) == raw.decode("utf-8"), (
        f"{path} is not canonical: run `votes record` or rewrite it with votes.datafiles.write"
    )


@pytest.mark.parametrize("name", list(datafiles.FILES))
def test_rows_are_unique_by_key(name: str) -> None:
    df = datafiles.read(name)
    assert not df.duplicated(list(datafiles.FILES[name].key)).any()


def test_canonical_sorts_and_orders_columns() -> None:
    shuffled = datafiles.read("vote_counts").iloc[::-1]
    shuffled = shuffled[list(reversed(shuffled.columns))]
    assert datafiles.to_text("vote_counts", shuffled) == datafiles.path("vote_counts").read_text()


def test_datapackage_describes_every_file_and_column() -> None:
    committed = json.loads((datafiles.DATA_DIR / "datapackage.json").read_text())
    assert committed == datafiles.datapackage()
    for resource in committed["resources"]:
        header = (datafiles.DATA_DIR / resource["path"]).read_text().splitlines()[0]
        assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]]
        assert all(f["description"] for f in resource["schema"]["fields"])
    listed = {r["path"] for r in committed["resources"]}
    assert listed == {p.name for p in datafiles.DATA_DIR.glob("*.csv")}
