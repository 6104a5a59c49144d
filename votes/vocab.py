"""Controlled vocabularies, defined once: models, importers, loader and validator import them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

CHAMBERS: Final[tuple[str, ...]] = ("house", "senate")
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
JOINT: Final[str] = "joint_resolution"  # the only kind that may propose an amendment (Art. V)

# Normalized vote options. "candidate" is a vote for a named person (Speaker elections).
OPTIONS: Final[tuple[str, ...]] = ("yea", "nay", "present", "not_voting", "candidate")
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
THRESHOLDS: Final[tuple[str, ...]] = ("1/2", "2/3", "3/5", "QUORUM", "unknown")

# unitedstates/congress vote categories (what kind of question a roll call decided).
CATEGORIES: Final[tuple[str, ...]] = (
    "passage",
    "passage-suspension",
    "amendment",
    "cloture",
    "nomination",
    "treaty",
    "recommit",
    "quorum",
    "leadership",
    "conviction",
    "impeachment",
    "veto-override",
    "procedural",
    "unknown",
)

ACTION_KINDS: Final[tuple[str, ...]] = ("presented", "signed", "vetoed", "pocket_vetoed")

ROLL_CALL_STATUSES: Final[tuple[str, ...]] = ("counted", "vacated")

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


def sql_in(values: tuple[str, ...]) -> str:
    """A SQL IN-list of a vocabulary, for CHECK constraints."""
    return ", ".join(f"'{v}'" for v in values)
