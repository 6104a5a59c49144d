"""The Importer protocol and the parse scaffold every importer shares (votes/importers/base.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, UPSTREAM
from votes.errors import RecordError
from votes.importers import inputs
from votes.importers.base import ParseScaffold, json_object
from votes.normalized import BillRecord, MeasureRef, SourceRecord, check_bill
from votes.vocab import UnknownOption

FORMATS = {
    UPSTREAM / "s84" / "data.json": "unitedstates/congress vote JSON",
    UPSTREAM / "bills" / "116_sjres68_data.json": "unitedstates/congress bill JSON",
    FIXTURES / "official-xml" / "house_roll_2015_300.xml": "House Clerk roll-call XML",
    FIXTURES / "official-xml" / "senate_vote_119_1_00618.xml": "Senate LIS roll-call XML",
    FIXTURES / "billstatus" / "BILLSTATUS-114s1300.xml": "GPO Bill Status XML",
}


@pytest.mark.parametrize("path", FORMATS, ids=[p.name for p in FORMATS])
def test_each_file_looks_like_exactly_one_format(path: Path) -> None:
    data = path.read_bytes()
    assert [i.name for i in inputs.IMPORTERS if i.looks_like(data)] == [FORMATS[path]]
    assert inputs.parse(path.name, data).origin == path.name


def _scaffold(
    identify: Callable[[dict], str], build: Callable[[dict, str], BillRecord]
) -> ParseScaffold[dict, BillRecord]:
    """A toy JSON importer made of the given steps."""
    return ParseScaffold(
        name="toy",
        looks_like=lambda data: True,
        read=json_object("a toy object"),
        identify=identify,
        build=build,
    )


def _fails(error: BaseException) -> Callable[..., BillRecord]:
    def step(*_args: object) -> BillRecord:
        raise error

    return step


def _bill(doc: dict, origin: str) -> BillRecord:
    return BillRecord(MeasureRef(116, "hr", 1), SourceRecord("u", "p", "2020-01-01"), [], origin)


def _x1(doc: dict) -> str:
    return "x1"


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("data", "identify", "build", "expected"),
    [
        (b"[1]", _x1, _bill, "-: not a toy object"),
        (b"{", _x1, _bill, "-: not valid JSON (Expecting property name"),
        (DEEP, _x1, _bill, "-: nested too deeply to be a record"),
        (b"{}", _fails(ValueError("no id")), _bill, "-: no id"),
        (b"{}", _x1, _fails(KeyError("votes")), "x1: missing key 'votes'"),
        (b"{}", _x1, _fails(TypeError("not a list")), "x1: not a list"),
        (b"{}", _x1, _fails(UnknownOption("unknown vote option 'Maybe'")), "x1: unknown vote"),
        (b"{}", _x1, _fails(RecursionError()), "x1: nested too deeply to be a record"),
    ],
    ids=["not an object", "not JSON", "deep", "identify", "key", "type", "option", "recursion"],
)
def test_the_scaffold_reports_one_line_naming_the_record_once_known(  # type: ignore[no-untyped-def]
    data: bytes, identify, build, expected: str
) -> None:
    with pytest.raises(RecordError) as e:
        _scaffold(identify, build).parse(data, "toy.json")
    assert str(e.value).startswith(f"toy.json:{expected}")
    assert "\n" not in str(e.value)


def test_a_good_file_passes_through_every_step() -> None:
    assert _scaffold(_x1, _bill).parse(b"{}", "toy.json") == _bill({}, "toy.json")


def test_the_scaffold_checks_what_it_built() -> None:
    """A record the build got wrong is refused by the check of its class (here: bills)."""

    def overridden(doc: dict, origin: str) -> BillRecord:
        return replace(_bill(doc, origin), actions=[("overridden", "2020-05-06")])

    toy = replace(_scaffold(lambda d: "hr1-116", overridden), check=check_bill)
    with pytest.raises(RecordError) as e:
        toy.parse(b"{}", "toy.json")
    assert str(e.value) == "toy.json:hr1-116: unknown action 'overridden'"
