"""House Clerk roll-call XML: every field of the three real files, and the quirks doctored in."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from votes.errors import RecordError
from votes.importers import house_xml
from votes.normalized import CountRecord, PositionRecord, RollCallRecord, VoterRecord

FIXTURES = Path(__file__).with_name("fixtures") / "official-xml"
PUBLISHER = "Office of the Clerk, U.S. House of Representatives"
ROLL_2025 = "house_roll_2025_240.xml"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(name: str) -> RollCallRecord:
    return house_xml.parse(read(name), name)


def doctored(name: str, *edits: tuple[bytes, bytes, int]) -> bytes:
    """A real file with exact edits: (old, new, how many occurrences it must have)."""
    data = read(name)
    for old, new, times in edits:
        assert data.count(old) == times, old
        data = data.replace(old, new)
    return data


def head(roll: RollCallRecord) -> dict:
    """Every field but the member roll."""
    return {k: v for k, v in asdict(roll).items() if k != "positions"}


def by_key(roll: RollCallRecord) -> dict[str, PositionRecord]:
    return {p.voter.key: p for p in roll.positions}


def test_modern_file_every_field() -> None:
    roll = parse(ROLL_2025)
    assert head(roll) == {
        "id": "h240-119.2025",
        "chamber": "house",
        "congress": 119,
        "session": "2025",
        "number": 240,
        "voted_at": "2025-09-08T18:56:00-04:00",
        "question": "On Motion to Suspend the Rules and Pass: H R 3424 SPACE Act",
        "category": "passage-suspension",
        "requires": "2/3",
        "result": "Passed",
        "result_text": "Passed",
        "source": {
            "url": "https://clerk.house.gov/evs/2025/roll240.xml",
            "publisher": PUBLISHER,
            "date": "2025-09-08",
            "title": "",
        },
        "measure": {"congress": 119, "type": "hr", "number": 3424, "title": ""},
        "status": "counted",
        "counts": [
            {"party": "ALL", "yea": 397, "nay": 1, "present": 0, "not_voting": 32},
            {"party": "D", "yea": 195, "nay": 1, "present": 0, "not_voting": 16},
            {"party": "R", "yea": 202, "nay": 0, "present": 0, "not_voting": 16},
        ],
        "origin": ROLL_2025,
    }


def test_modern_file_member_roll() -> None:
    roll = parse(ROLL_2025)
    assert len(roll.positions) == 430
    assert Counter(p.raw_option for p in roll.positions) == {"Yea": 397, "Nay": 1, "Not Voting": 32}
    assert all(p.voter.bioguide_id == p.voter.key for p in roll.positions)
    assert [p.voter.key for p in roll.positions] == sorted(p.voter.key for p in roll.positions)
    members = by_key(roll)
    assert members["B001292"] == PositionRecord(
        VoterRecord(
            "B001292", "B001292", None, "Donald S. Beyer, Jr.", "D", "VA", "Donald", "Beyer"
        ),
        "nay",
        "Nay",
    )
    assert members["A000055"].option == "yea"
    assert members["C001063"].option == "not_voting"
    assert members["C001063"].raw_option == "Not Voting"


def test_accented_name_keeps_the_bioguide_identity() -> None:
    """The text says "Barragán", unaccented-name "Barragan": identity comes from name-id."""
    voter = by_key(parse(ROLL_2025))["B001300"].voter
    assert (voter.name, voter.party, voter.state) == ("Nanette Diaz Barragán", "D", "CA")


def test_crlf_and_lf_give_the_same_record() -> None:
    assert read(ROLL_2025).count(b"\r\n") > 400
    lf = house_xml.parse(read(ROLL_2025).replace(b"\r\n", b"\n"), ROLL_2025)
    assert asdict(lf) == asdict(parse(ROLL_2025))


def test_old_file_without_ids_every_field() -> None:
    roll = parse("house_roll_1991_001.xml")
    assert head(roll) == {
        "id": "h1-102.1991",
        "chamber": "house",
        "congress": 102,
        "session": "1991",
        "number": 1,
        "voted_at": "1991-01-03T12:02:00-05:00",
        "question": "Call of the House",
        "category": "quorum",
        "requires": "QUORUM",
        "result": "Passed",
        "result_text": "Passed",
        "source": {
            "url": "https://clerk.house.gov/evs/1991/roll001.xml",
            "publisher": PUBLISHER,
            "date": "1991-01-03",
            "title": "",
        },
        "measure": None,
        "status": "counted",
        "counts": [
            {"party": "ALL", "yea": 0, "nay": 0, "present": 427, "not_voting": 0},
            {"party": "D", "yea": 0, "nay": 0, "present": 261, "not_voting": 0},
            {"party": "I", "yea": 0, "nay": 0, "present": 1, "not_voting": 0},
            {"party": "R", "yea": 0, "nay": 0, "present": 165, "not_voting": 0},
        ],
        "origin": "house_roll_1991_001.xml",
    }


def test_old_file_identities_are_unresolved_never_dropped() -> None:
    roll = parse("house_roll_1991_001.xml")
    assert len(roll.positions) == 427
    assert all(
        p.voter.bioguide_id is None and p.voter.key.startswith("name:house:")
        for p in roll.positions
    )
    assert {p.option for p in roll.positions} == {"present"}
    members = by_key(roll)
    # "Cox  (IL)" has a double space in the file: folded, and distinct from Cox of California.
    assert members["name:house:Cox (IL):D:IL"].voter == VoterRecord(
        "name:house:Cox (IL):D:IL", None, None, "Cox (IL)", "D", "IL"
    )
    assert "name:house:Cox:R:CA" in members
    assert {
        "name:house:Andrews:D:NJ",
        "name:house:Andrews (ME):D:ME",
        "name:house:Andrews (TX):D:TX",
    } <= set(members)
    assert members["name:house:Sanders:I:VT"].raw_option == "Present"


def test_vacated_vote_every_field() -> None:
    """No members and zero totals: recorded as vacated, with the zero chamber total it states."""
    roll = parse("house_roll_2015_300.xml")
    assert asdict(roll) == {
        "id": "h300-114.2015",
        "chamber": "house",
        "congress": 114,
        "session": "2015",
        "number": 300,
        "voted_at": "2015-06-04",
        "question": "This vote was vacated by unanimous consent on 4-Jun-2015.",
        "category": "unknown",
        "requires": "unknown",
        "result": "Vacated",
        "result_text": "See Congressional record of 4-Jun-2015, for explanation.",
        "source": {
            "url": "https://clerk.house.gov/evs/2015/roll300.xml",
            "publisher": PUBLISHER,
            "date": "2015-06-04",
            "title": "",
        },
        "measure": None,
        "status": "vacated",
        "counts": [{"party": "ALL", "yea": 0, "nay": 0, "present": 0, "not_voting": 0}],
        "positions": [],
        "origin": "house_roll_2015_300.xml",
    }


def test_empty_roll_not_marked_vacated_is_refused() -> None:
    data = doctored(
        "house_roll_2015_300.xml",
        (b"This vote was vacated by unanimous consent", b"Nothing here", 1),
    )
    with pytest.raises(RecordError, match="not marked vacated"):
        house_xml.parse(data, "x.xml")


def test_committee_in_place_of_chamber_is_accepted_and_neither_is_refused() -> None:
    assert b"<committee>" in read("house_roll_2015_300.xml")
    data = doctored(ROLL_2025, (b"<chamber>U.S. House of Representatives</chamber>", b"", 1))
    with pytest.raises(RecordError) as e:
        house_xml.parse(data, "nochamber.xml")
    assert str(e.value) == "nochamber.xml:-: neither <chamber> nor <committee> names the House"


def speaker_election() -> bytes:
    """The 2025 file made into an election of the Speaker, as the Clerk publishes one."""
    start, end = read(ROLL_2025).index(b"<vote-totals>"), read(ROLL_2025).index(b"</vote-totals>")
    totals = read(ROLL_2025)[start : end + len(b"</vote-totals>")]
    candidates = b"".join(
        b"<totals-by-candidate><candidate>%s</candidate><candidate-total>%d</candidate-total>"
        b"</totals-by-candidate>\r\n" % (name, n)
        for name, n in (
            (b"Johnson (LA)", 397),
            (b"Jeffries", 1),
            (b"Present", 0),
            (b"Not Voting", 32),
        )
    )
    return doctored(
        ROLL_2025,
        (totals, b"<vote-totals>\r\n" + candidates + b"</vote-totals>", 1),
        (b"<legis-num>H R 3424</legis-num>\r\n", b"", 1),
        (b"On Motion to Suspend the Rules and Pass", b"Election of the Speaker", 1),
        (b"2/3 YEA-AND-NAY", b"YEA-AND-NAY", 1),
        (b"<vote-desc>SPACE Act", b"<vote-desc>", 1),
        (b"<vote-result>Passed", b"<vote-result>Johnson (LA)", 1),
        (b"<vote>Yea</vote>", b"<vote>Johnson (LA)</vote>", 397),
        (b"<vote>Nay</vote>", b"<vote>Jeffries</vote>", 1),
    )


def test_speaker_election_votes_for_candidates() -> None:
    roll = house_xml.parse(speaker_election(), "speaker.xml")
    assert (roll.question, roll.category, roll.requires, roll.result, roll.measure) == (
        "Election of the Speaker",
        "leadership",
        "1/2",
        "Johnson (LA)",
        None,
    )
    assert Counter((p.option, p.raw_option) for p in roll.positions) == {
        ("candidate", "Johnson (LA)"): 397,
        ("candidate", "Jeffries"): 1,
        ("not_voting", "Not Voting"): 32,
    }
    assert by_key(roll)["B001292"].raw_option == "Jeffries"
    assert roll.counts == [
        CountRecord("ALL", 0, 0, 0, 32),
        CountRecord("D", 0, 0, 0, 16),
        CountRecord("R", 0, 0, 0, 16),
    ]


def test_speaker_election_candidate_totals_are_reconciled() -> None:
    data = speaker_election().replace(b"<candidate-total>1<", b"<candidate-total>2<")
    with pytest.raises(RecordError) as e:
        house_xml.parse(data, "speaker.xml")
    assert str(e.value) == (
        "speaker.xml:h240-119.2025: the member roll gives 'Jeffries' 1 votes,"
        " the official total is 2"
    )


def test_aye_and_no_on_a_recorded_vote() -> None:
    data = doctored(
        ROLL_2025,
        (b"2/3 YEA-AND-NAY", b"RECORDED VOTE", 1),
        (b"<vote>Yea</vote>", b"<vote>Aye</vote>", 397),
        (b"<vote>Nay</vote>", b"<vote>No</vote>", 1),
    )
    roll = house_xml.parse(data, "aye.xml")
    assert roll.requires == "1/2"
    assert Counter((p.option, p.raw_option) for p in roll.positions) == {
        ("yea", "Aye"): 397,
        ("nay", "No"): 1,
        ("not_voting", "Not Voting"): 32,
    }
    assert roll.counts == parse(ROLL_2025).counts


def test_empty_total_elements_and_trailing_spaces() -> None:
    data = doctored(
        ROLL_2025,
        (b"<present-total>0</present-total>", b"<present-total/>", 4),
        (b"<nay-total>0</nay-total>", b"<nay-total></nay-total>", 2),
        (b"<vote>Nay</vote>", b"<vote>Nay  </vote>", 1),
        (b"<vote-desc>SPACE Act</vote-desc>", b"<vote-desc>SPACE  Act </vote-desc>", 1),
    )
    roll = house_xml.parse(data, "spaces.xml")
    assert asdict(roll) == asdict(parse(ROLL_2025)) | {"origin": "spaces.xml"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b"<yea-total>397</yea-total>",
            b"<yea-total>396</yea-total>",
            "the member roll (397 yea, 1 nay, 0 present, 32 not voting) does not match the "
            "official totals (396 yea, 1 nay, 0 present, 32 not voting) for ALL",
        ),
        (
            b"<yea-total>202</yea-total>",
            b"<yea-total>201</yea-total>",
            "the member roll (202 yea, 0 nay, 0 present, 16 not voting) does not match the "
            "official totals (201 yea, 0 nay, 0 present, 16 not voting) for R",
        ),
        (
            b"<legis-num>H R 3424</legis-num>",
            b"<legis-num>H AMDT 5</legis-num>",
            "unknown <legis-num> 'H AMDT 5'",
        ),
        (b"<vote>Nay</vote>", b"<vote>Maybe</vote>", "unknown vote option 'Maybe'"),
        (
            b"<party>Independent</party>",
            b"<party>Whig</party>",
            "unknown party 'Whig' in <totals-by-party>",
        ),
        (
            b"<action-date>8-Sep-2025</action-date>",
            b"<action-date>2025-09-08</action-date>",
            "unreadable date '2025-09-08 18:56'",
        ),
        (
            b"<present-total>0</present-total>",
            b"<present-total>none</present-total>",
            "<present-total> is not a count: 'none'",
        ),
    ],
)
def test_bad_content_is_one_line_naming_file_and_vote(old: bytes, new: bytes, message: str) -> None:
    data = read(ROLL_2025).replace(old, new, 1)
    with pytest.raises(RecordError) as e:
        house_xml.parse(data, "bad.xml")
    assert str(e.value) == f"bad.xml:h240-119.2025: {message}"


def test_a_member_listed_twice_is_refused() -> None:
    line = read(ROLL_2025).split(b"\r\n")[60]
    assert b"<recorded-vote>" in line
    data = read(ROLL_2025).replace(line, line + b"\r\n" + line, 1)
    with pytest.raises(RecordError, match=r"bad.xml:h240-119.2025: member \w+ is listed twice"):
        house_xml.parse(data, "bad.xml")


def test_zero_name_id_is_an_unresolved_identity() -> None:
    data = read(ROLL_2025).replace(b'name-id="B001292"', b'name-id="0000000"', 1)
    beyer = by_key(house_xml.parse(data, "zero.xml"))["name:house:Beyer:D:VA"]
    assert (beyer.voter.bioguide_id, beyer.option) == (None, "nay")


def test_broken_xml_is_one_line_naming_the_file() -> None:
    with pytest.raises(RecordError) as e:
        house_xml.parse(read(ROLL_2025)[:5000], "cut.xml")
    assert str(e.value).startswith("cut.xml:-: not well-formed XML (")
    assert "\n" not in str(e.value)


def test_looks_like() -> None:
    assert house_xml.looks_like(read(ROLL_2025))
    assert house_xml.looks_like(read("house_roll_2015_300.xml"))
    assert not house_xml.looks_like(read("senate_vote_108_2_00172.xml"))
    assert not house_xml.looks_like(b'{"vote_id": "<rollcall-vote>"}')
