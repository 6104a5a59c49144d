"""Senate LIS roll-call XML (vote_CCC_S_NNNNN.xml) -> a normalized RollCallRecord.

The record is the one unitedstates/congress JSON of the same vote gives (votes/importers/
uscongress.py). LIS ids map to Bioguide ids through the shipped crosswalk; an unmapped id is
kept as "lis:Sxxx". The chamber total is the official <count>, reconciled with the member roll;
the Vice President's tie-breaking vote is a position (key "VP", as the JSON lists it) that,
like <count>, no total includes. The Senate publishes no party totals: those are tallied.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from xml.etree.ElementTree import Element

from votes.importers import questions
from votes.importers.base import ParseScaffold, is_digits
from votes.importers.legislators import senate_voter, vice_president
from votes.importers.xmlutil import (
    eastern,
    figures,
    integer,
    number,
    parse_xml,
    required,
    root_is,
    session_year,
    text,
)
from votes.normalized import (
    CountRecord,
    MeasureRef,
    PositionRecord,
    RollCallRecord,
    SourceRecord,
    VoterRecord,
    check,
    tally,
)
from votes.vocab import (
    ALL_PARTIES,
    MEASURE_TYPES,
    PUBLISHERS,
    normalize_option,
    roll_call_id,
)

TAG = "roll_call_vote"
URL = (
    "https://www.senate.gov/legislative/LIS/roll_call_votes/vote{congress}{session}/"
    "vote_{congress}_{session}_{number:05d}.xml"
)
BILL_TYPES = {t.label: t.code for t in MEASURE_TYPES.values()}  # "S.J.Res.": "sjres"
DATE_FORMATS = ("%B %d, %Y, %I:%M %p",)
COUNT = ("yeas", "nays", "present", "absent")


@dataclass(frozen=True)
class _Head:
    """The identity of the vote: enough to name it in messages and build its URL."""

    congress: int
    session: int
    year: str
    number: int

    @property
    def id(self) -> str:
        return roll_call_id("senate", self.number, self.congress, self.year)


def looks_like(data: bytes) -> bool:
    """Whether a file's bytes are a Senate LIS roll call (root <roll_call_vote>)."""
    return root_is(data, TAG)


def _vote_id(root: Element) -> str:
    return _head(root).id


def _build(root: Element, origin: str) -> RollCallRecord:
    return _roll_call(root, _head(root), origin)


def _head(root: Element) -> _Head:
    congress, session, number = (integer(root, k) for k in ("congress", "session", "vote_number"))
    counted = session_year(congress, session)  # a session outside 1..3 is refused here
    year = text(root, "congress_year") or counted
    if not is_digits(year):
        raise ValueError(f"<congress_year> is not a year: {year!r}")
    return _Head(congress, session, year, number)


def _roll_call(root: Element, head: _Head, origin: str) -> RollCallRecord:
    voted_at = eastern(text(root, "vote_date"), DATE_FORMATS).isoformat()
    modified = text(root, "modify_date")
    changed = eastern(modified, DATE_FORMATS).isoformat() if modified else voted_at
    question, category, measure = _question(root, head.congress)
    positions = _positions(root)
    return RollCallRecord(
        id=head.id,
        chamber="senate",
        congress=head.congress,
        session=head.year,
        number=head.number,
        voted_at=voted_at,
        question=required(question, "question"),
        category=category,
        requires=required(text(root, "majority_requirement"), "majority_requirement"),
        result=required(text(root, "vote_result"), "vote_result"),
        result_text=text(root, "vote_result_text") or text(root, "vote_result"),
        source=SourceRecord(
            URL.format(congress=head.congress, session=head.session, number=head.number),
            PUBLISHERS["senate"],
            changed[:10],
        ),
        measure=measure,
        counts=_counts(root, positions),
        positions=positions,
        origin=origin,
    )


def _question(root: Element, congress: int) -> tuple[str, str, MeasureRef | None]:
    """Question, category and measure, as unitedstates/congress derives them."""
    question = text(root, "vote_question_text") or text(root, "question")
    category = questions.category(questions.vote_type(text(root, "vote_question") or question))
    title, doc_type = text(root, "vote_title"), text(root, "document/document_type")
    # Cloture questions name only the bill; vote_title says what cloture was on.
    if "Cloture" in question and title:
        question = title
    elif "Legislative Session" in title:
        question, doc_type = title, ""
    if doc_type == "PN":
        question += ": " + text(root, "document/document_title")
    return question, category, _measure(root, congress, doc_type)


def _measure(root: Element, congress: int, doc_type: str) -> MeasureRef | None:
    measure = None
    if doc_type in BILL_TYPES:
        measure = MeasureRef(
            congress,
            BILL_TYPES[doc_type],
            integer(root, "document/document_number"),
            text(root, "document/document_title"),
        )
    target = text(root, "amendment/amendment_to_document_number").split(" ")
    if text(root, "amendment/amendment_number") and len(target) == 2 and target[0] in BILL_TYPES:
        if not is_digits(target[1]):
            raise ValueError(f"unreadable <amendment_to_document_number> {' '.join(target)!r}")
        measure = MeasureRef(
            congress,
            BILL_TYPES[target[0]],
            int(target[1]),
            text(root, "amendment/amendment_to_document_short_title"),
        )
    return measure


def _positions(root: Element) -> list[PositionRecord]:
    positions: dict[str, PositionRecord] = {}
    for member in root.findall("members/member"):
        voter = _voter(member)
        if voter.key in positions:
            raise ValueError(f"member {voter.key} is listed twice")
        raw = text(member, "vote_cast")
        positions[voter.key] = PositionRecord(voter, normalize_option(raw), raw)
    if not positions:
        raise ValueError("no <member> in <members>")
    vp = _tie_breaker(root)
    if vp is not None:
        positions[vp.voter.key] = vp
    return sorted(positions.values(), key=lambda p: p.voter.key)


def _voter(member: Element) -> VoterRecord:
    lis_id, name, party, state = (
        text(member, k) for k in ("lis_member_id", "member_full", "party", "state")
    )
    return senate_voter(lis_id, name, party, state)


def _tie_breaker(root: Element) -> PositionRecord | None:
    """The Vice President's vote when the tie_breaker block records one."""
    by_whom, cast = text(root, "tie_breaker/by_whom"), text(root, "tie_breaker/tie_breaker_vote")
    if not by_whom and not cast:
        return None
    if not (by_whom and cast):
        raise ValueError("<tie_breaker> names a voter without a vote, or a vote without a voter")
    return PositionRecord(vice_president(), normalize_option(cast), cast)


def _counts(root: Element, positions: list[PositionRecord]) -> list[CountRecord]:
    """The official chamber total reconciled with the roll (which counts no VP vote); tallies."""
    official = CountRecord(ALL_PARTIES, *(number(root, f"count/{k}") for k in COUNT))
    rows = tally(positions)
    roll = next(c for c in rows if c.party == ALL_PARTIES)
    if roll != official:
        raise ValueError(
            f"the member roll ({figures(roll)}) does not match the official count "
            f"({figures(official)})"
        )
    return rows


IMPORTER = ParseScaffold(
    name="Senate LIS roll-call XML",
    looks_like=looks_like,
    read=partial(parse_xml, tag=TAG),
    identify=_vote_id,
    build=_build,
    check=check,
)
parse = IMPORTER.parse
