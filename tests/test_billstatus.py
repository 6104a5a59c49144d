"""GPO Bill Status XML -> BillRecord, on GPO's own samples; and through `votes record`."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers import copy_data, http_server, snapshot, votes_cli
from votes.errors import RecordError
from votes.importers import billstatus, inputs
from votes.normalized import BillRecord, MeasureRef, RollCallRef, SourceRecord
from votes.record import datafiles

FIXTURES = Path(__file__).with_name("fixtures") / "billstatus"
SJRES8 = FIXTURES / "BILLSTATUS-114sjres8.xml"
S1300 = FIXTURES / "BILLSTATUS-114s1300.xml"
HR3762 = (FIXTURES / "BILLSTATUS-114-hr.zip", "BILLSTATUS-114hr3762.xml")
IRA = (FIXTURES / "BILLSTATUS-117-hr.zip", "BILLSTATUS-117hr5376.xml")
PUBLISHER = "U.S. Government Publishing Office (govinfo Bill Status)"
BULK = "https://www.govinfo.gov/bulkdata/BILLSTATUS"
SENATE_LIST = (
    "http://www.senate.gov/legislative/LIS/roll_call_lists/roll_call_vote_cfm.cfm"
    "?&congress=114&session=1&vote={:05d}"
)
SJRES8_TITLE = (
    "A joint resolution providing for congressional disapproval under chapter 8 of title 5, "
    "United States Code, of the rule submitted by the National Labor Relations Board relating "
    "to representation case procedures."
)


def zipped(member: tuple[Path, str]) -> bytes:
    archive, name = member
    with zipfile.ZipFile(archive) as z:
        return z.read(name)


def parsed(path: Path) -> BillRecord:
    return billstatus.parse(path.read_bytes(), path.name)


def test_a_veto_whose_message_the_senate_tabled() -> None:
    """S.J.Res. 8: every field, exactly (legacy schema)."""
    assert parsed(SJRES8) == BillRecord(
        measure=MeasureRef(114, "sjres", 8, SJRES8_TITLE),
        source=SourceRecord(
            f"{BULK}/114/sjres/BILLSTATUS-114sjres8.xml",
            PUBLISHER,
            "2015-11-10",
            "Bill Status of S.J.Res. 8 (114th)",
        ),
        actions=[("presented", "2015-03-27"), ("vetoed", "2015-03-31")],
        origin="BILLSTATUS-114sjres8.xml",
        short_titles=(),
        display_title=SJRES8_TITLE,
        law_number="",
        recorded_votes=(
            RollCallRef(
                "s66-114.2015", "senate", 114, "2015", 66, "2015-03-03T19:46:04Z",
                SENATE_LIST.format(66),
            ),
            RollCallRef(
                "s67-114.2015", "senate", 114, "2015", 67, "2015-03-04T17:07:09Z",
                SENATE_LIST.format(67),
            ),
            RollCallRef(
                "h128-114.2015", "house", 114, "2015", 128, "2015-03-19T16:09:32Z",
                "http://clerk.house.gov/evs/2015/roll128.xml",
            ),
            RollCallRef(  # the motion to table the veto message, 96-3
                "s172-114.2015", "senate", 114, "2015", 172, "2015-05-05T22:33:54Z",
                SENATE_LIST.format(172),
            ),
        ),
    )  # fmt: skip


def test_a_veto_the_house_would_fail_to_override() -> None:
    """H.R. 3762: every field. GPO's sample dates from 2016-01-29, before the failed override
    of 2016-02-02: it lists the veto and no override vote, and so does the record."""
    title = (
        "To provide for reconciliation pursuant to section 2002 of the concurrent resolution "
        "on the budget for fiscal year 2016."
    )
    assert billstatus.parse(zipped(HR3762), "hr3762.xml") == BillRecord(
        measure=MeasureRef(114, "hr", 3762, title),
        source=SourceRecord(
            f"{BULK}/114/hr/BILLSTATUS-114hr3762.xml",
            PUBLISHER,
            "2016-01-29",
            "Bill Status of H.R. 3762 (114th)",
        ),
        actions=[("presented", "2016-01-07"), ("vetoed", "2016-01-08")],
        origin="hr3762.xml",
        short_titles=("Restoring Americans' Healthcare Freedom Reconciliation Act of 2015",),
        display_title=title,
        law_number="",
        recorded_votes=(
            RollCallRef(
                "h568-114.2015", "house", 114, "2015", 568, "2015-10-23T15:58:27Z",
                "http://clerk.house.gov/evs/2015/roll568.xml",
            ),
            RollCallRef(
                "h6-114.2016", "house", 114, "2016", 6, "2016-01-06T22:54:47Z",
                "http://clerk.house.gov/evs/2016/roll006.xml",
            ),
        ),
    )  # fmt: skip


def test_a_public_law() -> None:
    """S. 1300: official and short titles, the President's actions, the law number."""
    bill = parsed(S1300)
    assert bill.measure == MeasureRef(
        114,
        "s",
        1300,
        "A bill to amend the section 221 of the Immigration and Nationality Act to provide "
        "relief for adoptive families from immigrant visa fees in certain situations.",
    )
    assert bill.short_titles == ("Adoptive Family Relief Act",)
    assert bill.display_title == "Adoptive Family Relief Act"
    assert bill.actions == [("presented", "2015-10-08"), ("signed", "2015-10-16")]
    assert bill.law_number == "Public Law 114-70"
    assert bill.recorded_votes == ()  # passed by unanimous consent and by voice
    assert bill.source == SourceRecord(
        f"{BULK}/114/s/BILLSTATUS-114s1300.xml",
        PUBLISHER,
        "2015-11-10",
        "Bill Status of S. 1300 (114th)",
    )


IRA_VOTES = {  # roll-call id: the amendment voted on ("" for the bill itself)
    "h384-117.2021": "",
    "h385-117.2021": "",
    "h386-117.2021": "",
    **{
        f"s{n}-117.2022": f"samdt{a}-117"
        for n, a in (
            (289, 5301), (290, 5469), (291, 5409), (293, 5382), (294, 5384), (295, 5480),
            (296, 5404), (298, 5389), (300, 5383), (301, 5421), (303, 5387), (305, 5316),
            (306, 5418), (309, 5263), (310, 5262), (311, 5265), (312, 5281), (313, 5385),
            (320, 5435), (321, 5487), (323, 5472), (324, 5488),
        )
    },
    "s325-117.2022": "",
    "h420-117.2022": "",
}  # fmt: skip


def test_the_inflation_reduction_act_in_the_current_schema() -> None:
    """Version 3.0.0: <type> and <number>; recorded votes inside actions and amendments."""
    bill = billstatus.parse(zipped(IRA), "ira.xml")
    assert bill.measure == MeasureRef(
        117, "hr", 5376, "To provide for reconciliation pursuant to title II of S. Con. Res. 14."
    )
    assert bill.display_title == "Inflation Reduction Act of 2022"
    assert bill.short_titles == ()  # all four name portions of the bill (Build Back Better...)
    assert bill.actions == [("presented", "2022-08-15"), ("signed", "2022-08-16")]
    assert bill.law_number == "Public Law 117-169"
    assert {v.id: v.amendment for v in bill.recorded_votes} == IRA_VOTES
    assert [v.id for v in bill.recorded_votes] == list(IRA_VOTES)  # by date
    assert bill.recorded_votes[-1] == RollCallRef(
        "h420-117.2022",
        "house",
        117,
        "2022",
        420,
        "2022-08-12T21:42:15Z",
        "https://clerk.house.gov/evs/2022/roll420.xml",
    )
    assert bill.source == SourceRecord(
        f"{BULK}/117/hr/BILLSTATUS-117hr5376.xml",
        PUBLISHER,
        "2022-10-31",
        "Bill Status of H.R. 5376 (117th)",
    )


@pytest.mark.parametrize("name", ["BILLSTATUS-114hjres45.xml", "BILLSTATUS-114hconres70.xml"])
def test_a_resolution_never_presented_has_no_presidential_action(name: str) -> None:
    bill = parsed(FIXTURES / name)
    assert (bill.actions, bill.law_number) == ([], "")
    assert bill.measure.title.startswith(("Proposing an amendment", "Authorizing the use"))


def _doctored(old: bytes, new: bytes) -> Callable[[], bytes]:
    def make() -> bytes:
        data = SJRES8.read_bytes()
        assert old in data
        return data.replace(old, new, 1)

    return make


def _truncated() -> bytes:
    """The file cut off where a download might stop: before its last lines."""
    data = SJRES8.read_bytes()
    return data[: data.index(b"</bill>")]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_doctored(b"</congress>", b"</congres>"), "-: not well-formed XML (mismatched tag"),
        (_truncated, "-: not well-formed XML (no element found"),
        (
            _doctored(b"<bill>", b"<version>4.0.0</version><bill>"),
            "-: unknown Bill Status schema version '4.0.0' (known: the legacy schema, 1.x, "
            "and 3.x)",
        ),
        (
            _doctored(b"<bill>", b"<bill><version>2.0.0</version>"),
            "-: unknown Bill Status schema version '2.0.0'",
        ),
        (
            _doctored(
                b"<recordedVote>\n        <chamber>Senate</chamber>",
                b"<recordedVote>\n        <chamber>Joint</chamber>",
            ),
            "sjres8-114: unknown <chamber> 'Joint' in a <recordedVote>",
        ),
        (
            _doctored(
                b"<actionCode>31000</actionCode>\n        <actionDate>2015-03-31</actionDate>",
                b"<actionCode>31000</actionCode>\n        <actionDate>3/31</actionDate>",
            ),
            "sjres8-114: <actionDate> is not a date: '3/31'",
        ),
    ],
    ids=["malformed", "truncated", "version 4", "bill version 2", "chamber", "date"],
)
def test_a_bad_file_is_one_line_naming_it(make: Callable[[], bytes], message: str) -> None:
    with pytest.raises(RecordError) as e:
        inputs.parse("bad.xml", make())
    assert str(e.value).startswith(f"bad.xml:{message}")
    assert "\n" not in str(e.value)


def test_a_legacy_file_marked_version_1_is_read() -> None:
    data = _doctored(b"<bill>", b"<bill><version>1.0.0</version>")()
    assert billstatus.parse(data, SJRES8.name) == parsed(SJRES8)


def test_without_a_session_number_the_session_is_the_year_of_the_vote_in_washington() -> None:
    """Roll call 172 moved to 03:00 UTC on 2016-01-01, still 2015 in Washington."""
    data = SJRES8.read_bytes()
    assert data.count(b"<sessionNumber>1</sessionNumber>") == 4
    data = data.replace(b"<sessionNumber>1</sessionNumber>", b"")
    data = data.replace(b"2015-05-05T22:33:54Z", b"2016-01-01T03:00:00Z")
    votes = billstatus.parse(data, SJRES8.name).recorded_votes
    assert [(v.id, v.session) for v in votes] == [
        ("s66-114.2015", "2015"),
        ("s67-114.2015", "2015"),
        ("h128-114.2015", "2015"),
        ("s172-114.2015", "2015"),
    ]


def test_without_a_session_number_the_first_days_of_january_close_the_second_session() -> None:
    """The 114th's second session ran to 2017-01-03: a vote of 2017-01-02 is of its 2016 session,
    as the JSON bill importer already said (one rule: vocab.session_of_day)."""
    data = SJRES8.read_bytes().replace(b"<sessionNumber>1</sessionNumber>", b"")
    data = data.replace(b"2015-05-05T22:33:54Z", b"2017-01-02T18:00:00Z")
    votes = billstatus.parse(data, SJRES8.name).recorded_votes
    assert ("s172-114.2016", "2016") in [(v.id, v.session) for v in votes]


def test_files_directories_zip_archives_and_urls_are_read(tmp_path: Path) -> None:
    directory = sorted(r.measure.number for r in inputs.records([str(FIXTURES)]))
    assert directory == [8, 45, 70, 1300]  # the .xml files; a ZIP in a tree is not a record
    (zipped_bill,) = inputs.records([str(IRA[0])])
    assert zipped_bill.origin == f"{IRA[0]}:{IRA[1]}"
    assert zipped_bill.law_number == "Public Law 117-169"
    with http_server(FIXTURES) as base_url:
        (fetched,) = inputs.records([f"{base_url}/{S1300.name}"])
    assert fetched == replace(parsed(S1300), origin=f"{base_url}/{S1300.name}")


def test_votes_record_writes_the_measure_title_and_actions(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    result = votes_cli("record", str(SJRES8), str(S1300), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    sjres8_url = f"{BULK}/114/sjres/BILLSTATUS-114sjres8.xml"
    measures = datafiles.read("measures", data).set_index(["congress", "type", "number"])
    assert measures.loc[("114", "sjres", "8")].to_dict() == {
        "title": SJRES8_TITLE,
        "constitutional_amendment": "false",
        "source_url": sjres8_url,
    }
    actions = (data / "presidential_actions.csv").read_text()
    assert f"\n114,sjres,8,presented,2015-03-27,{sjres8_url}\n" in actions
    assert f"\n114,sjres,8,vetoed,2015-03-31,{sjres8_url}\n" in actions
    assert f"\n114,s,1300,signed,2015-10-16,{BULK}/114/s/BILLSTATUS-114s1300.xml\n" in actions
    assert f"\n{sjres8_url},{PUBLISHER},2015-11-10,Bill Status of S.J.Res. 8 (114th)\n" in (
        (data / "sources.csv").read_text()
    )
    before = snapshot(data)
    again = votes_cli("record", str(FIXTURES), "--data-dir", str(data))
    assert again.returncode == 0, again.stderr
    assert snapshot(data) != before  # the directory adds the two resolutions
    last = votes_cli("record", str(FIXTURES), "--data-dir", str(data))
    assert (last.returncode, last.stderr.strip()) == (0, "No changes")


def test_votes_import_reads_bill_status_files_and_stops_at_a_bad_one(tmp_path: Path) -> None:
    """The database import writes Bill Status records (from a tree and a ZIP); the roll calls
    they list, past what the record holds, are a note each; a bad file stops it with one line."""
    db = tmp_path / "votes.db"
    result = votes_cli("import", str(FIXTURES), str(IRA[0]), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "; 5 bill records" in result.stderr
    assert (
        f"Note: {FIXTURES / 'BILLSTATUS-114sjres8.xml'}:sjres8-114: not linked, not in the record"
        " yet (past what it holds): s66-114.2015, s67-114.2015, h128-114.2015, s172-114.2015"
    ) in result.stderr.splitlines()
    bad = tmp_path / "BILLSTATUS-114sjres8.xml"
    bad.write_bytes(_truncated())
    failed = votes_cli("import", str(FIXTURES), str(bad), "--db", str(tmp_path / "new.db"))
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        f"Error: {bad}:-: not well-formed XML (no element found: line 1510, column 2)"
    ]
