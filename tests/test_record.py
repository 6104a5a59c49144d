"""`votes record`: upstream files -> data/, idempotent, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import UPSTREAM
from tests.helpers import copy_data, snapshot
from votes.errors import RecordError
from votes.record import datafiles
from votes.record.write import record


def test_recording_the_upstream_files_again_changes_nothing(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    before = snapshot(data)
    assert record([str(UPSTREAM)], data) == []
    assert snapshot(data) == before


def test_record_into_an_empty_directory_writes_the_committed_record(tmp_path: Path) -> None:
    """data/ is what the importer writes from the upstream files plus the curated rows (the
    carried texts, the vetoes and the official veto counts, their sources and measures)."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("carried_texts", "vetoes", "veto_sources", "official_veto_counts"):
        datafiles.write(name, datafiles.read(name), data)
    sources = datafiles.read("sources")
    official = sources["url"].str.contains("clerk.house.gov|/LIS/")
    datafiles.write("sources", sources[~official], data)
    measures = datafiles.read("measures")
    curated = measures["source_url"].str.contains("house") | (measures["title"] == "")
    datafiles.write("measures", measures[curated], data)
    written = record([str(UPSTREAM)], data)
    assert "positions.csv" in written
    for name in datafiles.FILES:
        assert datafiles.path(name, data).read_text() == datafiles.path(name).read_text(), name


def test_record_updates_a_changed_vote_in_place(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    changed = tmp_path / "s84.json"
    text = (UPSTREAM / "s84" / "data.json").read_text()
    changed.write_text(text.replace('"Veto Sustained"', '"Veto Sustained (corrected)"'))
    assert record([str(changed)], data) == ["roll_calls.csv"]
    rolls = datafiles.read("roll_calls", data)
    assert rolls.loc[rolls.id == "s84-116.2020", "result"].item() == "Veto Sustained (corrected)"
    assert len(rolls) == 6


def _bad_json(tmp: Path) -> Path:
    path = tmp / "bad.json"
    path.write_text('{"vote_id": "s84-116.2020", ')
    return path


def _mutated(old: str, new: str):  # type: ignore[no-untyped-def]
    def make(tmp: Path) -> Path:
        path = tmp / "s84.json"
        text = (UPSTREAM / "s84" / "data.json").read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
        return path

    return make


def _bill_with_an_action(action: object):  # type: ignore[no-untyped-def]
    def make(tmp: Path) -> Path:
        doc = json.loads(next((UPSTREAM / "bills").rglob("*.json")).read_text())
        doc["actions"].append(action)
        (tmp / "sjres68.json").write_text(json.dumps(doc))
        return tmp / "sjres68.json"

    return make


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_bad_json, "bad.json:-: not valid JSON"),
        (_mutated('"question"', '"questionx"'), "s84.json:s84-116.2020: missing key 'question'"),
        (_mutated('"Yea": [', '"Maybe": ['), "s84.json:s84-116.2020: unknown vote option 'Maybe'"),
        (_mutated("49-44", "48-44"), "s84.json:s84-116.2020: member positions give 49-44"),
        (
            _mutated('"chamber": "s"', '"chamber": "x"'),
            "s84.json:s84-116.2020: unknown chamber 'x'",
        ),
        (_bill_with_an_action("x"), "sjres68.json:sjres68-116: actions: each must be an object"),
    ],
)
def test_bad_input_fails_with_one_line_and_writes_nothing(tmp_path: Path, make, expected) -> None:  # type: ignore[no-untyped-def]
    data = copy_data(tmp_path)
    before = snapshot(data)
    bad = make(tmp_path)
    with pytest.raises(RecordError) as e:
        record([str(UPSTREAM / "h7"), str(bad)], data)
    assert str(e.value).startswith(str(bad.parent / expected.split(":")[0]))
    assert expected.split(":", 1)[1] in str(e.value)
    assert "\n" not in str(e.value)
    assert snapshot(data) == before


def test_the_same_roll_call_twice_is_refused(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    before = snapshot(data)
    copy = tmp_path / "copy.json"
    copy.write_bytes((UPSTREAM / "s84" / "data.json").read_bytes())
    with pytest.raises(RecordError, match=r"copy\.json:s84-116\.2020: duplicate record"):
        record([str(UPSTREAM / "s84"), str(copy)], data)
    assert snapshot(data) == before


def test_a_unitedstates_tree_with_govtrack_data_xml_beside_each_vote(tmp_path: Path) -> None:
    """unitedstates/congress writes GovTrack's legacy data.xml beside data.json: it is skipped."""
    data = copy_data(tmp_path)
    tree = tmp_path / "tree" / "s84"
    tree.mkdir(parents=True)
    (tree / "data.json").write_bytes((UPSTREAM / "s84" / "data.json").read_bytes())
    (tree / "data.xml").write_text('<roll where="senate" session="116" year="2020" roll="84"/>')
    before = snapshot(data)
    assert record([str(tmp_path / "tree")], data) == []
    assert snapshot(data) == before
