"""Every row of every override and party view for the six 2020 war-powers roll calls, exactly.

The figures are the verified ones of facts/war-powers-2020.md (read from the official House Clerk
and Senate LIS files); the two-thirds figures are worked by hand: (2 * voting + 2) // 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.tiny_record import view_rows
from votes.database.engine import engine_for

SJRES68 = "S.J.Res. 68 (116th)"
HR550 = "H.R. 550 (116th)"
IRAN = (
    "To direct the removal of United States Armed Forces from hostilities against the "
    "Islamic Republic of Iran that have not been authorized by Congress"
)
MARINERS = "H R 550 Merchant Mariners of World War II Congressional Medal Act"
QUESTIONS = {
    "h7-116.2020": "On Agreeing to the Resolution: H CON RES 83 Directing the President pursuant "
    "to section 5(c) of the War Powers Resolution to terminate the use of United "
    "States Armed Forces to engage in hostilities in or against Iran",
    "h33-116.2020": "On Concurring in the Senate Amdt with Amdt Specified in Section 4(a) of "
    f"H. Res. 811: {MARINERS}",
    "h34-116.2020": "On Concurring in the Senate Amdt with Amdt Specified in Section 4(b) of "
    f"H. Res. 811: {MARINERS}",
    "s52-116.2020": "On the Joint Resolution S.J.Res. 68",
    "h101-116.2020": f"On Passage: S J RES 68 {IRAN}",
    "s84-116.2020": "On Overriding the Veto S.J.Res. 68",
}
# roll call: chamber, date, measure_id (by its label), measure, carried text, category, requires,
# yea, nay,
# present, not voting, voting, needed, margin, switches, quorum, carried 2/3, result, outcome,
# agrees
OVERRIDE_MATH = {
    "h7-116.2020": (
        "house",
        "2020-01-09",
        "H.Con.Res. 83 (116th)",
        "H.Con.Res. 83 (116th)",
        None,
        "passage",
        "1/2",
        224,
        194,
        0,
        13,
        418,
        279,
        -55,
        55,
        1,
        0,
        "Passed",
        "carried",
        None,
    ),
    "h33-116.2020": (
        "house",
        "2020-01-30",
        HR550,
        HR550,
        "H.R. 5543 (116th)",
        "passage",
        "1/2",
        228,
        175,
        0,
        26,
        403,
        269,
        -41,
        41,
        1,
        0,
        "Passed",
        "carried",
        None,
    ),
    "h34-116.2020": (
        "house",
        "2020-01-30",
        HR550,
        HR550,
        "H.R. 2456 (116th)",
        "passage",
        "1/2",
        236,
        166,
        0,
        27,
        402,
        268,
        -32,
        32,
        1,
        0,
        "Passed",
        "carried",
        None,
    ),
    "s52-116.2020": (
        "senate",
        "2020-02-13",
        SJRES68,
        SJRES68,
        None,
        "passage",
        "1/2",
        55,
        45,
        0,
        0,
        100,
        67,
        -12,
        12,
        1,
        0,
        "Joint Resolution Passed",
        "carried",
        None,
    ),
    "h101-116.2020": (
        "house",
        "2020-03-11",
        SJRES68,
        SJRES68,
        None,
        "passage",
        "1/2",
        227,
        186,
        0,
        16,
        413,
        276,
        -49,
        49,
        1,
        0,
        "Passed",
        "carried",
        None,
    ),
    "s84-116.2020": (
        "senate",
        "2020-05-07",
        SJRES68,
        SJRES68,
        None,
        "veto-override",
        "2/3",
        49,
        44,
        0,
        7,
        93,
        62,
        -13,
        13,
        1,
        0,
        "Veto Sustained",
        "failed",
        1,
    ),
}
OVERRIDE_MATH_COLUMNS = (
    "chamber",
    "date",
    "measure_id",
    "measure",
    "carried_text",
    "category",
    "requires",
    "yea",
    "nay",
    "present",
    "not_voting",
    "voting",
    "two_thirds_needed",
    "margin",
    "switches_needed",
    "quorum_present",
    "carried_two_thirds",
    "official_result",
    "official_outcome",
    "agrees_with_official",
)
PARTY_BREAKDOWN = {  # (roll call, party): yea, nay, present, not voting (official the same)
    ("h7-116.2020", "D"): (220, 8, 0, 4),
    ("h7-116.2020", "R"): (3, 186, 0, 9),
    ("h7-116.2020", "I"): (1, 0, 0, 0),
    ("h33-116.2020", "D"): (223, 3, 0, 5),
    ("h33-116.2020", "R"): (4, 172, 0, 21),
    ("h33-116.2020", "I"): (1, 0, 0, 0),
    ("h34-116.2020", "D"): (224, 2, 0, 5),
    ("h34-116.2020", "R"): (11, 164, 0, 22),
    ("h34-116.2020", "I"): (1, 0, 0, 0),
    ("s52-116.2020", "D"): (45, 0, 0, 0),
    ("s52-116.2020", "R"): (8, 45, 0, 0),
    ("s52-116.2020", "I"): (2, 0, 0, 0),
    ("h101-116.2020", "D"): (220, 6, 0, 5),
    ("h101-116.2020", "R"): (6, 180, 0, 11),
    ("h101-116.2020", "I"): (1, 0, 0, 0),
    ("s84-116.2020", "D"): (41, 0, 0, 4),
    ("s84-116.2020", "R"): (7, 44, 0, 2),
    ("s84-116.2020", "I"): (1, 0, 0, 1),
}
# Democrats who voted nay and Republicans who voted yea, by roll call (Bioguide ids).
DEFECTORS = {
    ("h7-116.2020", "D", "nay"): {
        "B001308",
        "C001122",
        "G000583",
        "H001083",
        "L000591",
        "M001202",
        "M001209",
        "R000613",
    },
    ("h7-116.2020", "R", "yea"): {"G000578", "M001184", "R000607"},
    ("h33-116.2020", "D", "nay"): {"L000588", "M001209", "S001180"},
    ("h33-116.2020", "R", "yea"): {"D000626", "G000578", "H001074", "M001184"},
    ("h34-116.2020", "D", "nay"): {"C000754", "L000588"},
    ("h34-116.2020", "R", "yea"): {
        "B001302",
        "C001115",
        "D000626",
        "G000578",
        "G000579",
        "H001056",
        "M001184",
        "M001195",
        "R000614",
        "S001183",
        "U000031",
    },
    ("s52-116.2020", "R", "yea"): {
        "A000360",
        "C001035",
        "C001075",
        "L000577",
        "M000934",
        "M001153",
        "P000603",
        "Y000064",
    },
    ("h101-116.2020", "D", "nay"): {
        "B001308",
        "H001083",
        "L000591",
        "M001202",
        "M001209",
        "R000613",
    },
    ("h101-116.2020", "R", "yea"): {
        "B001297",
        "G000568",
        "M001184",
        "R000585",
        "S001183",
        "U000031",
    },
    ("s84-116.2020", "R", "yea"): {
        "A000360",
        "C001035",
        "C001075",
        "L000577",
        "M001153",
        "P000603",
        "Y000064",
    },
}
S52_REPUBLICANS = {
    "Lamar Alexander",
    "Susan M. Collins",
    "Bill Cassidy",
    "Mike Lee",
    "Jerry Moran",
    "Lisa Murkowski",
    "Rand Paul",
    "Todd Young",
}


@pytest.fixture(scope="module")
def engine(war_powers_db: Path) -> Engine:
    return engine_for(war_powers_db)


def measure_labels(engine: Engine) -> dict[int, str]:
    """Each measure's id -> its label (ids follow data/'s order, which grows)."""
    return {r["id"]: label for label, r in view_rows(engine, "measures", "label").items()}


def test_override_math(engine: Engine) -> None:
    rows = view_rows(engine, "override_math", "roll_call_id")
    labels = measure_labels(engine)
    assert {
        k: tuple(labels[r[c]] if c == "measure_id" else r[c] for c in OVERRIDE_MATH_COLUMNS)
        for k, r in rows.items()
    } == OVERRIDE_MATH
    assert {k: r["question"] for k, r in rows.items()} == QUESTIONS
    assert {(r["congress"], r["status"]) for r in rows.values()} == {(116, "counted")}


def test_vote_outcomes(engine: Engine) -> None:
    rows = view_rows(engine, "vote_outcomes", "roll_call_id")
    assert {k: (r["result"], r["outcome"]) for k, r in rows.items()} == {
        "h7-116.2020": ("Passed", "carried"),
        "h33-116.2020": ("Passed", "carried"),
        "h34-116.2020": ("Passed", "carried"),
        "s52-116.2020": ("Joint Resolution Passed", "carried"),
        "h101-116.2020": ("Passed", "carried"),
        "s84-116.2020": ("Veto Sustained", "failed"),
    }


def test_veto_overrides(engine: Engine) -> None:
    """S.J.Res. 68; every other veto of data/vetoes.csv is there too, with no vote in this
    record (tests/test_vetoes.py)."""
    every = view_rows(engine, "veto_overrides", ("measure", "chamber"))
    rows = {k: r for k, r in every.items() if k[0] == SJRES68}
    assert len(every) == 2 * 120
    sustained = "sustained in the senate (originating chamber): the house never votes"
    common = {
        "measure_id": {v: k for k, v in measure_labels(engine).items()}[SJRES68],
        "congress": 116,
        "action": "vetoed",
        "action_date": "2020-05-06",
        "veto_known_from": "presidential_actions",
        "originating_chamber": "senate",
        "final_state": sustained,
    }
    assert rows == {
        (SJRES68, "senate"): {
            "measure": SJRES68,
            **common,
            "chamber": "senate",
            "turn": 1,
            "roll_call_id": "s84-116.2020",
            "date": "2020-05-07",
            "yea": 49,
            "nay": 44,
            "present": 0,
            "not_voting": 7,
            "voting": 93,
            "two_thirds_needed": 62,
            "margin": -13,
            "switches_needed": 13,
            "official_result": "Veto Sustained",
            "outcome": "sustained",
        },
        (SJRES68, "house"): {
            "measure": SJRES68,
            **common,
            "chamber": "house",
            "turn": 2,
            "roll_call_id": None,
            "date": None,
            "yea": None,
            "nay": None,
            "present": None,
            "not_voting": None,
            "voting": None,
            "two_thirds_needed": None,
            "margin": None,
            "switches_needed": None,
            "official_result": None,
            "outcome": "never votes: the senate sustained the veto",
        },
    }


def test_veto_status(engine: Engine) -> None:
    """The war-powers measures; the vetoes of data/vetoes.csv are tests/test_vetoes.py's."""
    war_powers = ("H.Con.Res. 83 (116th)", HR550, "H.R. 2456 (116th)", "H.R. 5543 (116th)", SJRES68)
    rows = {k: r for k, r in view_rows(engine, "veto_status", "measure").items() if k in war_powers}
    columns = (
        "kind",
        "presentable",
        "presented_on",
        "president_action",
        "president_action_date",
        "law_number",
        "status",
        "veto_status",
    )
    none = ("bill", 1, None, None, None, "", "no_presidential_action")
    assert {k: tuple(r[c] for c in columns) for k, r in rows.items()} == {
        "H.Con.Res. 83 (116th)": (
            "concurrent_resolution",
            0,
            None,
            None,
            None,
            "",
            "not_presented",
            "not presented: a concurrent resolution (no veto applies)",
        ),
        HR550: (*none, "no presidential action in the record"),
        "H.R. 2456 (116th)": (*none, "no presidential action in the record"),
        "H.R. 5543 (116th)": (*none, "no presidential action in the record"),
        SJRES68: (
            "joint_resolution",
            1,
            "2020-05-05",
            "vetoed",
            "2020-05-06",
            "",
            "sustained",
            "vetoed 2020-05-06, sustained in the Senate",
        ),
    }


def test_override_outlook(engine: Engine) -> None:
    rows = view_rows(engine, "override_outlook", "roll_call_id")
    columns = (
        "measure",
        "action_date",
        "chamber",
        "date",
        "yea",
        "nay",
        "voting",
        "two_thirds_needed",
        "margin",
        "switches_needed",
        "official_result",
        "override_roll_call_id",
        "override_yea",
        "override_nay",
        "override_margin",
        "override_outcome",
    )
    assert {k: tuple(r[c] for c in columns) for k, r in rows.items()} == {
        "s52-116.2020": (
            SJRES68,
            "2020-05-06",
            "senate",
            "2020-02-13",
            55,
            45,
            100,
            67,
            -12,
            12,
            "Joint Resolution Passed",
            "s84-116.2020",
            49,
            44,
            -13,
            "sustained",
        ),
        "h101-116.2020": (
            SJRES68,
            "2020-05-06",
            "house",
            "2020-03-11",
            227,
            186,
            413,
            276,
            -49,
            49,
            "Passed",
            None,
            None,
            None,
            None,
            "never votes: the senate sustained the veto",
        ),
    }


def test_party_breakdown(engine: Engine) -> None:
    rows = view_rows(engine, "party_breakdown", ("roll_call_id", "party"))
    counted = ("yea", "nay", "present", "not_voting")
    official = tuple(f"official_{c}" for c in counted)
    assert {k: tuple(r[c] for c in counted) for k, r in rows.items()} == PARTY_BREAKDOWN
    assert {k: tuple(r[c] for c in official) for k, r in rows.items()} == PARTY_BREAKDOWN
    assert {r["matches_official"] for r in rows.values()} == {1}


def test_party_defectors(engine: Engine) -> None:
    rows = view_rows(engine, "party_defectors", ("roll_call_id", "member_id"))
    found: dict[tuple[str, str, str], set[str]] = {}
    for (roll_call, member), row in rows.items():
        found.setdefault((roll_call, row["party"], row["option"]), set()).add(member)
    assert found == DEFECTORS
    s52 = {r["name"] for (roll_call, _), r in rows.items() if roll_call == "s52-116.2020"}
    assert s52 == S52_REPUBLICANS
    majority: dict[str, Any] = {
        r["party"]: (r["party_majority"], r["party_yea"], r["party_nay"])
        for (rc, _), r in rows.items()
        if rc == "s84-116.2020"
    }
    assert majority == {"R": ("nay", 7, 44)}
