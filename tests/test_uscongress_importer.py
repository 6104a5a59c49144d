"""The unitedstates/congress importer on the real upstream files: every field of s84 and h101."""

from __future__ import annotations

import json

import pytest

from tests.conftest import UPSTREAM
from votes.errors import RecordError
from votes.importers import uscongress_vote
from votes.normalized import CountRecord, MeasureRef, SourceRecord


def parse(name: str):  # type: ignore[no-untyped-def]
    path = UPSTREAM / name / "data.json"
    return uscongress_vote.parse(path.read_bytes(), str(path))


def test_s84_every_field() -> None:
    r = parse("s84")
    assert (r.id, r.chamber, r.congress, r.session, r.number) == (
        "s84-116.2020",
        "senate",
        116,
        "2020",
        84,
    )
    assert r.voted_at == "2020-05-07T13:30:00-04:00"
    assert r.question == "On Overriding the Veto S.J.Res. 68"
    assert (r.category, r.requires, r.status) == ("veto-override", "2/3", "counted")
    assert r.result == "Veto Sustained"
    assert r.result_text == "Veto Sustained (49-44, 2/3 majority required)"
    assert r.measure == MeasureRef(
        116,
        "sjres",
        68,
        (
            "A joint resolution to direct the removal of United States Armed Forces from "
            "hostilities against the Islamic Republic of Iran that have not been authorized "
            "by Congress."
        ),
    )
    assert r.source == SourceRecord(
        "https://www.senate.gov/legislative/LIS/roll_call_votes/vote1162/vote_116_2_00084.xml",
        "U.S. Senate (Legislative Information System)",
        "2020-05-07",
    )
    assert r.counts == [
        CountRecord("ALL", 49, 44, 0, 7),
        CountRecord("D", 41, 0, 0, 4),
        CountRecord("I", 1, 0, 0, 1),
        CountRecord("R", 7, 44, 0, 2),
    ]
    assert len(r.positions) == 100
    kaine = next(p for p in r.positions if p.voter.lis_id == "S362")
    assert (kaine.voter.key, kaine.voter.bioguide_id, kaine.voter.name) == (
        "K000384",
        "K000384",
        "Tim Kaine",
    )
    assert (kaine.voter.party, kaine.voter.state, kaine.option, kaine.raw_option) == (
        "D",
        "VA",
        "yea",
        "Yea",
    )
    brown = next(p for p in r.positions if p.voter.lis_id == "S307")
    assert (brown.voter.key, brown.option, brown.raw_option) == (
        "B000944",
        "not_voting",
        "Not Voting",
    )
    assert all(p.voter.bioguide_id for p in r.positions), "every senator maps to a Bioguide id"


def test_h101_every_field() -> None:
    r = parse("h101")
    assert (r.id, r.chamber, r.congress, r.session, r.number) == (
        "h101-116.2020",
        "house",
        116,
        "2020",
        101,
    )
    assert r.voted_at == "2020-03-11T17:42:00-04:00"
    assert r.question.startswith("On Passage: S J RES 68 To direct the removal")
    assert (r.category, r.requires, r.result, r.result_text) == (
        "passage",
        "1/2",
        "Passed",
        "Passed",
    )
    assert r.measure == MeasureRef(116, "sjres", 68, "")
    assert r.source == SourceRecord(
        "https://clerk.house.gov/evs/2020/roll101.xml",
        "Office of the Clerk, U.S. House of Representatives",
        "2020-03-11",
    )
    assert r.counts == [
        CountRecord("ALL", 227, 186, 0, 16),
        CountRecord("D", 220, 6, 0, 5),
        CountRecord("I", 1, 0, 0, 0),
        CountRecord("R", 6, 180, 0, 11),
    ]
    assert len(r.positions) == 429
    adams = next(p for p in r.positions if p.voter.key == "A000370")
    assert (adams.voter.name, adams.voter.party, adams.voter.state) == ("Alma S. Adams", "D", "NC")
    assert (adams.option, adams.raw_option, adams.voter.lis_id) == ("yea", "Aye", None)
    assert {p.raw_option for p in r.positions} == {"Aye", "No", "Not Voting"}
    assert [p.voter.key for p in r.positions] == sorted(p.voter.key for p in r.positions)


def edit_json(data: bytes, **fields: object) -> bytes:
    return json.dumps(json.loads(data) | fields).encode()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.replace(b'"vote_id"', b'"vote_idx"', 1), "missing key"),
        (lambda d: d.replace(b'"Not Voting"', b'"Abstain"', 1), "unknown vote option 'Abstain'"),
        (lambda d: d.replace(b'"requires": "2/3"', b'"requires": "9/10"', 1), "unknown requires"),
        (lambda d: d.replace(b"49-44", b"50-44", 1), "the official result says 50-44"),
        (lambda d: d[:-40], "not valid JSON"),
        (lambda d: edit_json(d, date="last tuesday"), "date 'last tuesday' is not ISO 8601"),
        (lambda d: edit_json(d, date="2020-03-11T17:42:00"), "with its UTC offset"),
        (lambda d: edit_json(d, votes=[]), "votes: not an object of options"),
        (lambda d: edit_json(d, question=None), "not text: question"),
        (lambda d: edit_json(d, result=None), "not text: result"),
        (lambda d: edit_json(d, result=" "), "result: not a text (' ')"),
    ],
)
def test_bad_input_names_file_and_record(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    path = UPSTREAM / "s84" / "data.json"
    with pytest.raises(RecordError) as e:
        uscongress_vote.parse(mutate(path.read_bytes()), "s84.json")
    line = str(e.value)
    assert "\n" not in line
    assert line.startswith("s84.json:")
    assert message in line


def parse_fixture(name: str):  # type: ignore[no-untyped-def]
    path = UPSTREAM.parent / "uscongress" / name
    return uscongress_vote.parse(path.read_bytes(), str(path))


def test_the_vice_presidents_tie_break_is_a_position_outside_the_counts() -> None:
    r = parse_fixture("s190-103.1993.json")
    vp = [p for p in r.positions if p.voter.key == "VP"]
    assert [(p.option, p.raw_option, p.voter.bioguide_id) for p in vp] == [("yea", "Yea", None)]
    assert r.result_text.startswith("Bill Passed (49-49")
    total = next(c for c in r.counts if c.party == "ALL")
    assert (total.yea, total.nay) == (49, 49), "the official count leaves the VP out"


def test_a_speaker_election_records_candidates() -> None:
    r = parse_fixture("h2-103.1993.json")
    assert r.question == "ELECTION OF SPEAKER"
    options = {(p.option, p.raw_option) for p in r.positions}
    assert options == {
        ("candidate", "Foley"),
        ("candidate", "Michel"),
        ("present", "Present"),
        ("not_voting", "Not Voting"),
    }
    total = next(c for c in r.counts if c.party == "ALL")
    assert (total.yea, total.nay, total.present, total.not_voting) == (0, 0, 2, 1)


def test_a_vote_with_no_positions_is_vacated_with_a_zero_total() -> None:
    data = edit_json((UPSTREAM / "s84" / "data.json").read_bytes(), votes={}, result_text="")
    roll = uscongress_vote.parse(data, "s84.json")
    assert (roll.status, roll.positions) == ("vacated", [])
    assert roll.counts == [CountRecord("ALL", 0, 0, 0, 0)]


def test_a_vote_without_a_question_is_recorded_as_published() -> None:
    """Eight House votes of 1991 (h208-102.1991 among them) put no question: kept, empty."""
    data = edit_json((UPSTREAM / "s84" / "data.json").read_bytes(), question="")
    assert uscongress_vote.parse(data, "s84.json").question == ""


def test_a_senator_id_that_is_not_a_lis_id_is_refused_as_in_the_xml() -> None:
    doc = json.loads((UPSTREAM / "s84" / "data.json").read_bytes())
    next(iter(doc["votes"].values()))[0]["id"] = 123
    with pytest.raises(RecordError) as e:
        uscongress_vote.parse(json.dumps(doc).encode(), "s84.json")
    assert str(e.value) == "s84.json:s84-116.2020: <lis_member_id> is not a LIS id: 123"
