"""House Clerk roll-call XML (clerk.house.gov/evs/YYYY/rollNNN.xml) -> a normalized RollCallRecord.

The record is the one unitedstates/congress JSON of the same vote gives (votes/importers/
uscongress_vote.py), except where the XML knows better: official counts come from the file's
totals and are reconciled with the member roll; old files without Bioguide ids keep an
unresolved name identity; a vacated vote is kept, with status "vacated" and zero totals.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import partial
from xml.etree.ElementTree import Element

from votes.importers import questions
from votes.importers.base import ParseScaffold, is_digits
from votes.importers.legislators import house_voter
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
    check,
    tally,
)
from votes.vocab import (
    ALL_PARTIES,
    PARTY_NAMES,
    PUBLISHERS,
    is_election,
    normalize_option,
    roll_call_id,
)

TAG = "rollcall-vote"
URL = "https://clerk.house.gov/evs/{year}/roll{number:03d}.xml"
LEGIS_TYPES = {
    "H R": "hr",
    "S": "s",
    "H J RES": "hjres",
    "S J RES": "sjres",
    "H CON RES": "hconres",
    "S CON RES": "sconres",
    "H RES": "hres",
    "S RES": "sres",
}
NOT_MEASURES = re.compile(r"(|QUORUM|JOURNAL|MOTION|ADJOURN|QUORUM \d+)")
# vote-type -> threshold, as unitedstates/congress maps it; anything else is "unknown".
VOTE_TYPES = {
    "YEA-AND-NAY": "1/2",
    "RECORDED VOTE": "1/2",
    "1/2": "1/2",
    "2/3 YEA-AND-NAY": "2/3",
    "2/3 RECORDED VOTE": "2/3",
    "2/3": "2/3",
    "3/5 YEA-AND-NAY": "3/5",
    "3/5 RECORDED VOTE": "3/5",
    "QUORUM": "QUORUM",
}
SESSIONS = {"1st": 1, "2nd": 2, "3rd": 3}
TOTALS = ("yea-total", "nay-total", "present-total", "not-voting-total")
DATE_FORMATS = ("%d-%b-%Y %H:%M", "%d-%b-%Y %I:%M %p")


@dataclass(frozen=True)
class _Head:
    """The identity of the vote: enough to name it in messages."""

    congress: int
    year: str
    number: int

    @property
    def id(self) -> str:
        return roll_call_id("house", self.number, self.congress, self.year)


def looks_like(data: bytes) -> bool:
    """Whether a file's bytes are a House Clerk roll call (root <rollcall-vote>)."""
    return root_is(data, TAG)


def _metadata(root: Element) -> Element:
    meta = root.find("vote-metadata")
    if meta is None:
        raise ValueError("no <vote-metadata>")
    return meta


def _vote_id(root: Element) -> str:
    return _head(_metadata(root)).id


def _build(root: Element, origin: str) -> RollCallRecord:
    meta = _metadata(root)
    return _roll_call(meta, root.findall("vote-data/recorded-vote"), _head(meta), origin)


def _head(meta: Element) -> _Head:
    if not (text(meta, "chamber") or text(meta, "committee")):
        raise ValueError("neither <chamber> nor <committee> names the House")
    congress, number = integer(meta, "congress"), integer(meta, "rollcall-num")
    session = SESSIONS.get(text(meta, "session"))
    if session is None:
        raise ValueError(f"unknown <session> {text(meta, 'session')!r}")
    return _Head(congress, session_year(congress, session), number)


def _roll_call(meta: Element, members: list[Element], head: _Head, origin: str) -> RollCallRecord:
    vacated = not members and "vacated" in text(meta, "vote-desc").lower()
    if not members and not vacated:
        raise ValueError("no <recorded-vote> members, and the vote is not marked vacated")
    category = _category(meta)
    election = is_election(category, text(meta, "vote-question"))
    positions = _positions(members, election)
    question, measure = _question(meta, head.congress)
    voted_at = _voted_at(meta)
    result = text(meta, "vote-result") or ("Vacated" if vacated else "")
    return RollCallRecord(
        id=head.id,
        chamber="house",
        congress=head.congress,
        session=head.year,
        number=head.number,
        voted_at=voted_at,
        question=required(question, "vote-question"),
        category=category,
        requires=VOTE_TYPES.get(text(meta, "vote-type"), "unknown"),
        result=required(result, "vote-result"),
        result_text=(text(meta, "vote-correction") or result) if vacated else result,
        source=SourceRecord(
            URL.format(year=head.year, number=head.number), PUBLISHERS["house"], voted_at[:10]
        ),
        measure=measure,
        status="vacated" if vacated else "counted",
        counts=_counts(meta.find("vote-totals"), positions, election),
        positions=positions,
        origin=origin,
    )


def _category(meta: Element) -> str:
    if text(meta, "vote-desc").startswith("Impeaching "):
        return "impeachment"
    return questions.category(text(meta, "vote-question"))


def _voted_at(meta: Element) -> str:
    """Eastern date and time; a file with no time (a vacated vote) gives the date alone."""
    day = text(meta, "action-date")
    time = meta.find("action-time")
    clock = (time.get("time-etz", "") if time is not None else "") or text(meta, "action-time")
    if not clock:
        return eastern(day, ("%d-%b-%Y",)).date().isoformat()
    return eastern(f"{day} {clock}", DATE_FORMATS).isoformat()


def _question(meta: Element, congress: int) -> tuple[str, MeasureRef | None]:
    """The question as unitedstates/congress assembles it, and the measure voted on."""
    question, legis, desc = (text(meta, k) for k in ("vote-question", "legis-num", "vote-desc"))
    measure = _measure(legis, congress)
    amendment = text(meta, "amendment-num")
    if amendment:
        tail = f"Amendment {int(amendment)} to {legis if measure else '[unknown bill]'}"
    elif measure:
        tail = f"{legis} {desc}".strip()
    else:
        tail = desc
    return (f"{question}: {tail}" if question and tail else question or tail), measure


def _measure(legis: str, congress: int) -> MeasureRef | None:
    if NOT_MEASURES.fullmatch(legis):
        return None
    kind, _, num = legis.rpartition(" ")
    if kind not in LEGIS_TYPES or not is_digits(num):
        raise ValueError(f"unknown <legis-num> {legis!r}")
    return MeasureRef(congress, LEGIS_TYPES[kind], int(num))


def _positions(members: list[Element], election: bool) -> list[PositionRecord]:
    positions: dict[str, PositionRecord] = {}
    for member in members:
        who = member.find("legislator")
        if who is None:
            raise ValueError("a <recorded-vote> without <legislator>")
        name = " ".join("".join(who.itertext()).split())
        party, state = who.get("party", ""), who.get("state", "")
        voter = house_voter(who.get("name-id", ""), name, party, state)
        if voter.key in positions:
            raise ValueError(f"member {voter.key} is listed twice")
        raw = text(member, "vote")
        positions[voter.key] = PositionRecord(voter, normalize_option(raw, election=election), raw)
    return sorted(positions.values(), key=lambda p: p.voter.key)


def _counts(
    totals: Element | None, positions: list[PositionRecord], election: bool
) -> list[CountRecord]:
    """Official totals, reconciled with the member roll; all-zero party rows are left out."""
    if totals is None:
        raise ValueError("no <vote-totals>")
    roll = {c.party: c for c in tally(positions)}
    if election:
        official = {ALL_PARTIES: _candidate_totals(totals, positions)}
        official |= {p: c for p, c in roll.items() if p != ALL_PARTIES}
    else:
        official = _party_totals(totals)
    for party in sorted(set(official) | set(roll)):
        _reconcile(party, official.get(party), roll.get(party))
    return [official[p] for p in sorted(official)]


def _party_totals(totals: Element) -> dict[str, CountRecord]:
    rows = totals.findall("totals-by-vote")
    if len(rows) != 1:
        raise ValueError(f"{len(rows)} <totals-by-vote> rows, expected one")
    out = {ALL_PARTIES: _count(ALL_PARTIES, rows[0])}
    for row in totals.findall("totals-by-party"):
        name = text(row, "party")
        if name not in PARTY_NAMES:
            raise ValueError(f"unknown party {name!r} in <totals-by-party>")
        count = _count(PARTY_NAMES[name], row)
        if any((count.yea, count.nay, count.present, count.not_voting)):
            out[count.party] = count
    return out


def _count(party: str, row: Element) -> CountRecord:
    return CountRecord(party, *(number(row, total) for total in TOTALS))


def _candidate_totals(totals: Element, positions: list[PositionRecord]) -> CountRecord:
    """A Speaker election: each candidate's total must match the roll; the rest is the count."""
    published = {
        text(r, "candidate"): number(r, "candidate-total")
        for r in totals.findall("totals-by-candidate")
    }
    if not published:
        raise ValueError("an election of the Speaker without <totals-by-candidate>")
    cast = Counter(p.raw_option for p in positions if p.option == "candidate")
    for name in sorted(set(cast) | set(published) - {"Present", "Not Voting"}):
        if cast[name] != published.get(name, 0):
            raise ValueError(
                f"the member roll gives {name!r} {cast[name]} votes, "
                f"the official total is {published.get(name, 0)}"
            )
    return CountRecord(
        ALL_PARTIES, 0, 0, published.get("Present", 0), published.get("Not Voting", 0)
    )


def _reconcile(party: str, official: CountRecord | None, roll: CountRecord | None) -> None:
    zero = CountRecord(party, 0, 0, 0, 0)
    official, roll = official or zero, roll or zero
    if official != roll:
        raise ValueError(
            f"the member roll ({figures(roll)}) does not match the official totals "
            f"({figures(official)}) for {party}"
        )


IMPORTER = ParseScaffold(
    name="House Clerk roll-call XML",
    looks_like=looks_like,
    read=partial(parse_xml, tag=TAG),
    identify=_vote_id,
    build=_build,
    check=check,
)
parse = IMPORTER.parse
