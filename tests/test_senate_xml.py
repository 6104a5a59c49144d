"""Senate LIS roll-call XML: every field of the real files, the JSON of the same vote, quirks."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from votes.errors import RecordError
from votes.importers import senate_xml, uscongress_vote
from votes.normalized import CountRecord, PositionRecord, RollCallRecord, VoterRecord

FIXTURES = Path(__file__).with_name("fixtures")
OLD, NEW = "senate_vote_108_2_00172.xml", "senate_vote_119_1_00618.xml"
PUBLISHER = "U.S. Senate (Legislative Information System)"
LIS = "https://www.senate.gov/legislative/LIS/roll_call_votes/"


def read(name: str) -> bytes:
    return (FIXTURES / "official-xml" / name).read_bytes()


def parse(name: str) -> RollCallRecord:
    return senate_xml.parse(read(name), name)


def doctored(name: str, *edits: tuple[bytes, bytes]) -> bytes:
    """A real file with exact edits, each of which must occur exactly once."""
    data = read(name)
    for old, new in edits:
        assert data.count(old) == 1, old
        data = data.replace(old, new)
    return data


def head(roll: RollCallRecord) -> dict:
    return {k: v for k, v in asdict(roll).items() if k != "positions"}


def by_key(roll: RollCallRecord) -> dict[str, PositionRecord]:
    return {p.voter.key: p for p in roll.positions}


def test_older_file_every_field() -> None:
    assert head(parse(OLD)) == {
        "id": "s172-108.2004",
        "chamber": "senate",
        "congress": 108,
        "session": "2004",
        "number": 172,
        "voted_at": "2004-09-09T17:09:00-04:00",
        "question": "On the Motion to Table S.Amdt. 3609 to H.R. 4567 (Department of Homeland "
        "Security Appropriations Act, 2005)",
        "category": "procedural",
        "requires": "1/2",
        "result": "Motion to Table Agreed to",
        "result_text": "Motion to Table Agreed to (46-45)",
        "source": {
            "url": LIS + "vote1082/vote_108_2_00172.xml",
            "publisher": PUBLISHER,
            "date": "2004-09-09",
            "title": "",
        },
        "measure": {
            "congress": 108,
            "type": "hr",
            "number": 4567,
            "title": "Department of Homeland Security Appropriations Act, 2005",
        },
        "status": "counted",
        "counts": [
            {"party": "ALL", "yea": 46, "nay": 45, "present": 0, "not_voting": 9},
            {"party": "D", "yea": 1, "nay": 42, "present": 0, "not_voting": 5},
            {"party": "I", "yea": 0, "nay": 1, "present": 0, "not_voting": 0},
            {"party": "R", "yea": 45, "nay": 2, "present": 0, "not_voting": 4},
        ],
        "origin": OLD,
    }


def test_older_file_member_roll() -> None:
    roll = parse(OLD)
    assert len(roll.positions) == 100
    assert Counter(p.raw_option for p in roll.positions) == {"Yea": 46, "Nay": 45, "Not Voting": 9}
    assert all(p.voter.bioguide_id == p.voter.key for p in roll.positions)
    members = by_key(roll)
    assert members["B000711"] == PositionRecord(
        VoterRecord("B000711", "B000711", "S223", "Barbara Boxer", "D", "CA", "Barbara", "Boxer"),
        "nay",
        "Nay",
    )
    assert members["A000069"].option == "not_voting"
    assert members["A000069"].voter.lis_id == "S213"
    assert members["J000072"].voter.party == "I"
    assert sorted(k for k, p in members.items() if p.option == "nay" and p.voter.party == "R") == [
        "B000953",
        "M000303",
    ]


def test_xml_and_json_of_the_same_vote_give_identical_records() -> None:
    from_xml = parse(OLD)
    json_file = FIXTURES / "uscongress" / "s172-108.2004.json"
    from_json = uscongress_vote.parse(json_file.read_bytes(), str(json_file))
    assert asdict(from_xml) | {"origin": ""} == asdict(from_json) | {"origin": ""}
    assert len(from_json.positions) == 100  # the comparison is not of two empty rolls


def test_modern_file_every_field() -> None:
    assert head(parse(NEW)) == {
        "id": "s618-119.2025",
        "chamber": "senate",
        "congress": 119,
        "session": "2025",
        "number": 618,
        "voted_at": "2025-11-10T20:58:00-05:00",
        "question": "On Passage of the Bill H.R. 5371",
        "category": "passage",
        "requires": "1/2",
        "result": "Bill Passed",
        "result_text": "Bill Passed (60-40)",
        "source": {
            "url": LIS + "vote1191/vote_119_1_00618.xml",
            "publisher": PUBLISHER,
            "date": "2025-11-10",
            "title": "",
        },
        "measure": {
            "congress": 119,
            "type": "hr",
            "number": 5371,
            "title": "A bill making continuing appropriations and extensions for fiscal "
            "year 2026, and for other purposes.",
        },
        "status": "counted",
        "counts": [
            {"party": "ALL", "yea": 60, "nay": 40, "present": 0, "not_voting": 0},
            {"party": "D", "yea": 7, "nay": 38, "present": 0, "not_voting": 0},
            {"party": "I", "yea": 1, "nay": 1, "present": 0, "not_voting": 0},
            {"party": "R", "yea": 52, "nay": 1, "present": 0, "not_voting": 0},
        ],
        "origin": NEW,
    }


def test_modern_file_member_roll() -> None:
    roll = parse(NEW)
    assert len(roll.positions) == 100
    assert Counter(p.option for p in roll.positions) == {"yea": 60, "nay": 40}
    assert all(p.voter.bioguide_id == p.voter.key for p in roll.positions)
    members = by_key(roll)
    assert members["S000033"] == PositionRecord(
        VoterRecord(
            "S000033", "S000033", "S313", "Bernard Sanders", "I", "VT", "Bernard", "Sanders"
        ),
        "nay",
        "Nay",
    )
    assert members["K000383"].option == "yea"  # King (I-ME)
    assert [k for k, p in members.items() if p.option == "nay" and p.voter.party == "R"] == [
        "P000603"
    ]
    # "John " with a trailing space in the file: the crosswalk names him.
    assert members["R000584"].voter.name == "James E. Risch"


def test_unmapped_lis_id_is_kept_and_flagged() -> None:
    data = doctored(OLD, (b"<lis_member_id>S213<", b"<lis_member_id>S999<"))
    akaka = by_key(senate_xml.parse(data, "doctored.xml"))["lis:S999"]
    assert akaka == PositionRecord(
        VoterRecord("lis:S999", None, "S999", "Akaka (D-HI)", "D", "HI"), "not_voting", "Not Voting"
    )


def test_missing_lis_id_keeps_a_name_identity() -> None:
    data = doctored(OLD, (b"<lis_member_id>S213</lis_member_id>", b"<lis_member_id/>"))
    voter = by_key(senate_xml.parse(data, "doctored.xml"))["name:senate:Akaka (D-HI):D:HI"].voter
    assert (voter.bioguide_id, voter.lis_id) == (None, None)


def tie_broken() -> bytes:
    """s172 made a 45-45 tie that the Vice President breaks (Alexander not voting)."""
    return doctored(
        OLD,
        (
            b"<vote_cast>Yea</vote_cast>\n<lis_member_id>S289<",
            b"<vote_cast>Not Voting</vote_cast>\n<lis_member_id>S289<",
        ),
        (b"<yeas>46</yeas>", b"<yeas>45</yeas>"),
        (b"<absent>9</absent>", b"<absent>10</absent>"),
        (b"Agreed to (46-45)", b"Agreed to (45-45, Vice President voted Yea)"),
        (b"<by_whom/>", b"<by_whom>Vice President of the United States</by_whom>"),
        (b"<tie_breaker_vote/>", b"<tie_breaker_vote>Yea</tie_breaker_vote>"),
    )


def test_vice_president_tie_break_is_listed_but_not_counted() -> None:
    roll = senate_xml.parse(tie_broken(), "tie.xml")
    assert by_key(roll)["VP"] == PositionRecord(
        VoterRecord("VP", None, None, "The Vice President", "", ""), "yea", "Yea"
    )
    assert len(roll.positions) == 101
    assert roll.result_text == "Motion to Table Agreed to (45-45, Vice President voted Yea)"
    # Like <count> and the result text, no total includes the decisive vote.
    assert roll.counts == [
        CountRecord("ALL", 45, 45, 0, 10),
        CountRecord("D", 1, 42, 0, 5),
        CountRecord("I", 0, 1, 0, 0),
        CountRecord("R", 44, 2, 0, 5),
    ]


def test_vice_president_tie_break_matches_the_json_form() -> None:
    """unitedstates/congress lists the tie-breaker as the string "VP" among the yeas."""
    doc = json.loads((FIXTURES / "uscongress" / "s172-108.2004.json").read_bytes())
    alexander = next(v for v in doc["votes"]["Yea"] if v["id"] == "S289")
    doc["votes"]["Yea"] = [v for v in doc["votes"]["Yea"] if v is not alexander] + ["VP"]
    doc["votes"]["Not Voting"].append(alexander)
    doc["result_text"] = "Motion to Table Agreed to (45-45, Vice President voted Yea)"
    from_json = uscongress_vote.parse(json.dumps(doc).encode(), "tie.json")
    assert asdict(senate_xml.parse(tie_broken(), "tie.json")) == asdict(from_json)


def test_tie_breaker_without_a_vote_is_refused() -> None:
    data = tie_broken().replace(b"<tie_breaker_vote>Yea</tie_breaker_vote>", b"<tie_breaker_vote/>")
    with pytest.raises(RecordError, match="tie.xml:s172-108.2004: <tie_breaker> names a voter"):
        senate_xml.parse(data, "tie.xml")


def test_present_giving_live_pair() -> None:
    data = doctored(
        OLD,
        (
            b"<vote_cast>Nay</vote_cast>\n<lis_member_id>S223<",
            b"<vote_cast>Present, Giving Live Pair</vote_cast>\n<lis_member_id>S223<",
        ),
        (b"<nays>45</nays>", b"<nays>44</nays>"),
        (b"<present/>", b"<present>1</present>"),
    )
    roll = senate_xml.parse(data, "pair.xml")
    boxer = by_key(roll)["B000711"]
    assert (boxer.option, boxer.raw_option) == ("present", "Present, Giving Live Pair")
    assert roll.counts[0] == CountRecord("ALL", 46, 44, 1, 9)


def test_count_that_the_roll_does_not_match_is_refused() -> None:
    data = doctored(NEW, (b"<yeas>60</yeas>", b"<yeas>61</yeas>"))
    with pytest.raises(RecordError) as e:
        senate_xml.parse(data, "bad.xml")
    assert str(e.value) == (
        "bad.xml:s618-119.2025: the member roll (60 yea, 40 nay, 0 present, 0 not voting) does "
        "not match the official count (61 yea, 40 nay, 0 present, 0 not voting)"
    )


def test_session_is_named_by_congress_year_not_the_vote_date() -> None:
    """Votes on 1 January 2021 belong to the 116th Congress's 2020 session."""
    data = doctored(
        NEW,
        (b"<congress>119</congress>", b"<congress>116</congress>"),
        (b"<session>1</session>", b"<session>2</session>"),
        (b"<congress_year>2025</", b"<congress_year>2020</"),
        (b"November 10, 2025,  08:58 PM", b"January 1, 2021,  01:01 PM"),
        (b"November 10, 2025,  09:36 PM", b"January 4, 2021,  09:36 AM"),
    )
    roll = senate_xml.parse(data, "newyear.xml")
    assert (roll.id, roll.session, roll.voted_at) == (
        "s618-116.2020",
        "2020",
        "2021-01-01T13:01:00-05:00",
    )
    assert (roll.source.url, roll.source.date) == (
        LIS + "vote1162/vote_116_2_00618.xml",
        "2021-01-04",
    )


def test_cloture_question_is_the_vote_title() -> None:
    cloture = (b"On Passage of the Bill H.R. 5371<", b"On the Cloture Motion H.R. 5371<")
    data = doctored(NEW, cloture, (b"<majority_requirement>1/2", b"<majority_requirement>3/5"))
    roll = senate_xml.parse(data, "cloture.xml")
    assert (roll.question, roll.category, roll.requires) == (
        "H.R. 5371, As Amended",
        "cloture",
        "3/5",
    )


def test_nomination_question_names_the_nominee_and_no_measure() -> None:
    data = doctored(
        NEW,
        (b"On Passage of the Bill H.R. 5371<", b"On the Nomination PN12-3<"),
        (b"<document_type>H.R.</document_type>", b"<document_type>PN</document_type>"),
    )
    roll = senate_xml.parse(data, "pn.xml")
    assert roll.question == (
        "On the Nomination PN12-3: A bill making continuing appropriations "
        "and extensions for fiscal year 2026, and for other purposes."
    )
    assert (roll.category, roll.measure) == ("nomination", None)


def test_line_endings_do_not_matter() -> None:
    crlf = senate_xml.parse(read(OLD).replace(b"\n", b"\r\n"), OLD)
    assert asdict(crlf) == asdict(parse(OLD))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b"<vote_cast>Yea</vote_cast>\n<lis_member_id>S289<",
            b"<vote_cast>Perhaps</vote_cast>\n<lis_member_id>S289<",
            "unknown vote option 'Perhaps'",
        ),
        (b"<lis_member_id>S213<", b"<lis_member_id>213<", "<lis_member_id> is not a LIS id: '213'"),
        (b"September 9, 2004,  05:09 PM", b"9/9/2004", "unreadable date '9/9/2004'"),
        (
            b"<majority_requirement>1/2</majority_requirement>",
            b"<majority_requirement/>",
            "empty <majority_requirement>",
        ),
        (b"<absent>9</absent>", b"<absent>nine</absent>", "<count/absent> is not a count: 'nine'"),
    ],
)
def test_bad_content_is_one_line_naming_file_and_vote(old: bytes, new: bytes, message: str) -> None:
    with pytest.raises(RecordError) as e:
        senate_xml.parse(doctored(OLD, (old, new)), "bad.xml")
    assert str(e.value) == f"bad.xml:s172-108.2004: {message}"


def test_a_member_listed_twice_is_refused() -> None:
    data = doctored(OLD, (b"<lis_member_id>S213<", b"<lis_member_id>S289<"))
    with pytest.raises(RecordError, match="bad.xml:s172-108.2004: member A000360 is listed twice"):
        senate_xml.parse(data, "bad.xml")


def test_looks_like() -> None:
    assert senate_xml.looks_like(read(OLD)) and senate_xml.looks_like(read(NEW))
    assert not senate_xml.looks_like(read("house_roll_2025_240.xml"))
