"""Controlled vocabularies, defined once: models, importers, loader and validator import them.

A vocabulary whose values readers see is a dict of value -> meaning (`*_MEANINGS`), and its
tuple of values is taken from it, so no value goes without its meaning: the README's data
dictionary (votes/readme.py) prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

CHAMBER_MEANINGS: Final[dict[str, str]] = {
    "house": "The U.S. House of Representatives.",
    "senate": "The U.S. Senate.",
}
CHAMBERS: Final[tuple[str, ...]] = tuple(CHAMBER_MEANINGS)
CHAMBER_LETTERS: Final[dict[str, str]] = {"house": "h", "senate": "s"}
CHAMBER_BY_LETTER: Final[dict[str, str]] = {v: k for k, v in CHAMBER_LETTERS.items()}


@dataclass(frozen=True)
class MeasureType:
    """One kind of congressional measure and the constitutional facts that follow from it."""

    code: str  # unitedstates/congress bill type: "sjres"
    label: str  # citation prefix: "S.J.Res."
    kind: str  # bill | joint_resolution | concurrent_resolution | simple_resolution
    originating_chamber: str
    presented: bool  # goes to the President (Art. I, sec. 7), so a veto can apply

    @property
    def url_word(self) -> str:
        """congress.gov's word for it in URLs: "senate-joint-resolution", "house-bill"."""
        kind = "resolution" if self.kind == "simple_resolution" else self.kind.replace("_", "-")
        return f"{self.originating_chamber}-{kind}"

    @property
    def meaning(self) -> str:
        """For the data dictionary: "S.J.Res.: a joint resolution of the Senate; goes to ..."."""
        presented = "goes to the President" if self.presented else "never goes to the President"
        chamber = self.originating_chamber.capitalize()
        return f"{self.label}: a {self.kind.replace('_', ' ')} of the {chamber}; {presented}."


MEASURE_TYPES: Final[dict[str, MeasureType]] = {
    t.code: t
    for t in (
        MeasureType("hr", "H.R.", "bill", "house", True),
        MeasureType("s", "S.", "bill", "senate", True),
        MeasureType("hjres", "H.J.Res.", "joint_resolution", "house", True),
        MeasureType("sjres", "S.J.Res.", "joint_resolution", "senate", True),
        MeasureType("hconres", "H.Con.Res.", "concurrent_resolution", "house", False),
        MeasureType("sconres", "S.Con.Res.", "concurrent_resolution", "senate", False),
        MeasureType("hres", "H.Res.", "simple_resolution", "house", False),
        MeasureType("sres", "S.Res.", "simple_resolution", "senate", False),
    )
}
MEASURE_KINDS: Final[tuple[str, ...]] = tuple(dict.fromkeys(t.kind for t in MEASURE_TYPES.values()))
# Keyed like MEASURE_KINDS, in its order (tests/test_docs.py holds them equal).
MEASURE_KIND_MEANINGS: Final[dict[str, str]] = {
    "bill": "A bill: presented to the President, so a veto can apply (Art. I, sec. 7).",
    "joint_resolution": (
        "A joint resolution: presented to the President like a bill, except one proposing a "
        "constitutional amendment, which goes to the States (Art. V)."
    ),
    "concurrent_resolution": (
        "A concurrent resolution: adopted by both chambers and never presented, so no veto "
        "applies (a War Powers Resolution sec. 5(c) resolution is one)."
    ),
    "simple_resolution": "A simple resolution: adopted by one chamber alone, never presented.",
}
JOINT: Final[str] = "joint_resolution"  # the only kind that may propose an amendment (Art. V)

# Normalized vote options. "candidate" is a vote for a named person (Speaker elections).
OPTION_MEANINGS: Final[dict[str, str]] = {
    "yea": "For the question (on an impeachment trial: guilty).",
    "nay": "Against the question (on an impeachment trial: not guilty).",
    "present": "Answered present: counts toward a quorum, outside the base of two thirds.",
    "not_voting": "Did not vote: outside the base of two thirds and the quorum.",
    "candidate": "A vote for a named person (Speaker elections); raw_option holds the name.",
}
OPTIONS: Final[tuple[str, ...]] = tuple(OPTION_MEANINGS)
COUNTED_OPTIONS: Final[tuple[str, ...]] = ("yea", "nay", "present", "not_voting")

# Every raw option seen in official and unitedstates/congress files, as published.
RAW_OPTIONS: Final[dict[str, str]] = {
    "yea": "yea",
    "aye": "yea",
    "guilty": "yea",
    "nay": "nay",
    "no": "nay",
    "not guilty": "nay",
    "present": "present",
    "present, giving live pair": "present",
    "not voting": "not_voting",
}

# The threshold a vote requires, as published (House vote-type, Senate majority_requirement).
# "unknown": the file states none (a vacated House vote), as unitedstates/congress writes it.
# Bases: CRS RS22654 (two thirds of those voting); Senate Rule XXII (cloture).
THRESHOLD_MEANINGS: Final[dict[str, str]] = {
    "1/2": (
        "A simple majority: more yeas than nays (a tie fails; the Vice President may break a "
        "Senate tie)."
    ),
    "2/3": (
        "Two thirds of those voting (yea + nay): a veto override, a House suspension of the "
        "rules, a constitutional amendment; two thirds of senators present for a treaty or a "
        "conviction."
    ),
    "3/5": (
        "Three fifths of the senators duly chosen and sworn (60 with no vacancy): Senate "
        "cloture; absences count against it."
    ),
    "QUORUM": "A quorum call: members answer present; no question is decided.",
    "unknown": (
        "The file states no threshold (a vacated House vote), as unitedstates/congress writes it."
    ),
}
THRESHOLDS: Final[tuple[str, ...]] = tuple(THRESHOLD_MEANINGS)

# unitedstates/congress vote categories (what kind of question a roll call decided), as its
# get_vote_category files them from the question (votes/importers/questions.py mirrors it).
CATEGORY_MEANINGS: Final[dict[str, str]] = {
    "passage": (
        "Passing a bill or resolution, agreeing to a conference report, or concurring in "
        "the other chamber's amendment."
    ),
    "passage-suspension": (
        "Passing a measure in the House under suspension of the rules (two thirds of those voting)."
    ),
    "amendment": "Agreeing to an amendment.",
    "cloture": "Ending debate in the Senate (cloture).",
    "nomination": "Confirming a nomination (Senate).",
    "treaty": "A resolution of ratification of a treaty (Senate).",
    "recommit": "A motion to recommit a measure to committee.",
    "quorum": "A quorum call (House: Call of the House, Call by States).",
    "leadership": "The election of the Speaker: the options are candidates' names.",
    "conviction": "Guilty or not guilty on an article of impeachment (Senate trial).",
    "impeachment": "Agreeing to an article of impeachment (House).",
    "veto-override": "Passing a measure over the President's veto (two thirds of those voting).",
    "procedural": (
        "A procedural question: previous question, adjournment, consideration of a "
        "rule, appeals of the chair's rulings and other motions."
    ),
    "unknown": "A question unitedstates/congress does not file under any other category.",
}
CATEGORIES: Final[tuple[str, ...]] = tuple(CATEGORY_MEANINGS)

# What the President did with a measure (presidential_actions.action).
ACTION_MEANINGS: Final[dict[str, str]] = {
    "presented": "Presented to the President.",
    "signed": "Signed by the President: it became law.",
    "vetoed": (
        "Returned with the President's objections: two thirds of each chamber can override "
        "the veto (Art. I, sec. 7, cl. 2)."
    ),
    "pocket_vetoed": (
        "Left unsigned while an adjournment prevented its return: a pocket veto, which "
        "cannot be overridden."
    ),
}
ACTION_KINDS: Final[tuple[str, ...]] = tuple(ACTION_MEANINGS)

# How a veto was made (veto_records.kind): the curated inventory's coding (data/vetoes.csv).
VETO_KIND_MEANINGS: Final[dict[str, str]] = {
    "regular": (
        "Returned to the originating chamber with the President's objections: Congress may "
        "override it by two thirds of each chamber (Art. I, sec. 7, cl. 2)."
    ),
    "pocket": (
        "Left unsigned while an adjournment prevented its return: a pocket veto, which cannot "
        "be overridden."
    ),
    "disputed_pocket": (
        "The President said he pocket-vetoed it, but Congress held that its adjournment did not "
        "prevent the return and treated the bill as returned (so an override was possible)."
    ),
}
VETO_KINDS: Final[tuple[str, ...]] = tuple(VETO_KIND_MEANINGS)

# What became of a veto (veto_records.outcome), as the curated inventory records it.
VETO_OUTCOME_MEANINGS: Final[dict[str, str]] = {
    "overridden": "Both chambers voted by two thirds to pass it over the veto: it became law.",
    "sustained_house": (
        "The veto stands: the House's override vote fell short of two thirds (whether or not "
        "the Senate had overridden first)."
    ),
    "sustained_senate": (
        "The veto stands in the Senate: its override vote (or the vote to take the veto "
        "message up) fell short, whether or not the House had overridden first; or, as the "
        "row's notes say, the Senate never voted after the House overrode."
    ),
    "no_override_attempt": "Neither chamber voted on overriding the veto.",
    "pocket_no_override": "A pocket veto, or one the President called so: no override vote.",
}
VETO_OUTCOMES: Final[tuple[str, ...]] = tuple(VETO_OUTCOME_MEANINGS)

# What became of a measure at the President (veto_status.status), as far as the record knows.
MEASURE_STATUS_MEANINGS: Final[dict[str, str]] = {
    "not_presented": (
        "Never presented to the President: a concurrent or simple resolution, or a joint "
        "resolution proposing a constitutional amendment (no veto applies)."
    ),
    "overridden": "Vetoed, then passed over the veto by two thirds of each chamber: law.",
    "sustained": "Vetoed, and an override vote fell short: the veto stood.",
    "vetoed": "Vetoed, with no override vote in the record.",
    "pocket_vetoed": "Pocket vetoed (or said to be, where Congress held the bill enacted).",
    "became_law": "Became law: the record holds its law number or the President's signature.",
    "presented": "Presented to the President; the record holds nothing of what followed.",
    "no_presidential_action": (
        "A bill or joint resolution of which the record holds no presidential action: it may "
        "have become law, been vetoed or never passed; the record does not say."
    ),
}
MEASURE_STATUSES: Final[tuple[str, ...]] = tuple(MEASURE_STATUS_MEANINGS)

# Where a measure's title comes from (measures.title_source), the most authoritative last:
# a title from a better source replaces one from a worse, never the other way round.
TITLE_SOURCE_MEANINGS: Final[dict[str, str]] = {
    "vote": (
        "Taken from a roll call's file (the bill title it gives): the only title the record "
        "has for the measure; the source is that vote's file."
    ),
    "bill_json": "From a unitedstates/congress bill file (data.json, congress.gov's data).",
    "bill_status": "From GPO's Bill Status XML, the official record of the measure.",
    "curated": "From the reviewed record in data/measures.csv, with its source.",
}
TITLE_SOURCES: Final[tuple[str, ...]] = tuple(TITLE_SOURCE_MEANINGS)

ROLL_CALL_STATUS_MEANINGS: Final[dict[str, str]] = {
    "counted": "The vote stands as recorded.",
    "vacated": (
        "The chamber vacated the vote: it decided nothing, and no outcome or two-thirds "
        "result is computed for it."
    ),
}
ROLL_CALL_STATUSES: Final[tuple[str, ...]] = tuple(ROLL_CALL_STATUS_MEANINGS)

# What a row of the search finds (search_entries.entity, votes/database/search.py).
SEARCH_ENTITY_MEANINGS: Final[dict[str, str]] = {
    "member": "A member, by name, first and last name and nickname (the legislators crosswalk).",
    "measure": (
        'A bill or resolution, by its citation however written ("H.R. 6395", "hr6395") and '
        "its title."
    ),
    "roll_call": "A roll call, by its question, its measure's citation, its result and its id.",
}
SEARCH_ENTITIES: Final[tuple[str, ...]] = tuple(SEARCH_ENTITY_MEANINGS)

# Party codes as printed on roll calls; the House Clerk's party-total rows spell them out.
PARTY_NAMES: Final[dict[str, str]] = {
    "Democratic": "D",
    "Republican": "R",
    "Independent": "I",
}
ALL_PARTIES: Final[str] = "ALL"  # the vote_counts row holding the chamber total
VICE_PRESIDENT: Final[str] = "VP"  # member key of the Vice President's tie-breaking vote

PUBLISHERS: Final[dict[str, str]] = {
    "house": "Office of the Clerk, U.S. House of Representatives",
    "senate": "U.S. Senate (Legislative Information System)",
}


class UnknownOption(ValueError):
    """A vote option that no vocabulary entry covers."""


def normalize_option(raw: str, *, election: bool = False) -> str:
    """Map a published option ("Aye", "Not Voting") to the normalized vocabulary."""
    option = RAW_OPTIONS.get(" ".join(raw.split()).lower())
    if option is not None:
        return option
    if election and raw.strip():
        return "candidate"
    raise UnknownOption(f"unknown vote option {raw!r}")


def is_election(category: str, question: str) -> bool:
    """A vote for a person (Speaker elections), whose options are candidates' names."""
    return category == "leadership" or "election of" in question.lower()


def measure_label(congress: int, type_: str, number: int) -> str:
    """Citation of a measure: "S.J.Res. 68 (116th)"."""
    return f"{MEASURE_TYPES[type_].label} {number} ({ordinal(congress)})"


def ordinal(n: int) -> str:
    """116 -> "116th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def roll_call_id(chamber: str, number: int, congress: int, session: str) -> str:
    """The unitedstates/congress vote id: ("senate", 84, 116, "2020") -> "s84-116.2020"."""
    return f"{CHAMBER_LETTERS[chamber]}{number}-{congress}.{session}"


def session_of_day(congress: int, day: date) -> str:
    """The session a day belongs to, named by its year: a congress's second session runs into
    the first days of January after its second year (s292-116.2020 was voted 2021-01-01)."""
    second = 1788 + 2 * congress  # 116 -> 2020
    return str(min(day.year, second))


def sql_in(values: tuple[str, ...]) -> str:
    """A SQL IN-list of a vocabulary, for CHECK constraints."""
    return ", ".join(f"'{v}'" for v in values)


@dataclass(frozen=True)
class Span:
    """The sane values of one number the record holds: anything outside is bad input, refused
    where it is read (every importer, data/) so that it never reaches a database or data/."""

    name: str  # in messages: "roll-call number"
    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return type(value) is int and self.low <= value <= self.high

    def problem(self, value: object) -> str | None:
        """Why a value is not sane (None when it is)."""
        if value in self:
            return None
        shown = repr(value) if len(repr(value)) <= 30 else f"{repr(value)[:27]}..."
        return f"{self.name} {shown} is outside {self.low}..{self.high}"


# The ranges, once: the 1st Congress sat in 1789; no chamber has held 100,000 roll calls in a
# session, nor a measure type 100,000 numbers in a Congress; a count is of at most 999 members.
CONGRESSES: Final = Span("congress", 1, 200)
ROLL_NUMBERS: Final = Span("roll-call number", 1, 99_999)
MEASURE_NUMBERS: Final = Span("measure number", 1, 99_999)
YEARS: Final = Span("year", 1789, 2100)
SESSION_NUMBERS: Final = Span("session number", 1, 3)
MEMBER_COUNTS: Final = Span("count", 0, 999)
VETO_TOTALS: Final = Span("veto count", 0, 9_999)
