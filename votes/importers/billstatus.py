"""GPO's Bill Status XML (govinfo bulk data, BILLSTATUS-{congress}{type}{number}.xml) -> a
normalized BillRecord: the measure and its titles, what the President did with it, the law it
became, and the roll calls taken on it and on its amendments.

Two schemas are read. The legacy one has no root <version> (some files carry
<bill><version>1.0.0</version>) and names the measure in <billType> and <billNumber>. Version 3
(root <version>3.0.0</version>, from December 2022, when GPO moved to the congress.gov API as
its source; usgpo/bill-status issue 200) names it in <type> and <number> and lists recorded
votes inside each action. Any other version is refused rather than read wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import Element

from votes.importers.base import UNKNOWN, ParseScaffold
from votes.importers.xmlutil import (
    EASTERN,
    integer,
    parse_xml,
    required,
    root_is,
    session_year,
    text,
)
from votes.normalized import (
    BillRecord,
    MeasureRef,
    RollCallRef,
    SourceRecord,
    bill_id,
    check_bill,
)
from votes.vocab import ACTION_KINDS, MEASURE_TYPES, measure_label, roll_call_id, session_of_day

TAG = "billStatus"
PUBLISHER = "U.S. Government Publishing Office (govinfo Bill Status)"
URL = (
    "https://www.govinfo.gov/bulkdata/BILLSTATUS/{congress}/{type}/"
    "BILLSTATUS-{congress}{type}{number}.xml"
)
CURRENT_VERSION = re.compile(r"3\.\d+\.\d+")  # root <version>
LEGACY_VERSION = re.compile(r"1\.\d+\.\d+")  # <bill><version>, in some legacy files
# The President's actions, as congress.gov words them at the start of an action's text.
PRESIDENTIAL = {
    "presented to president": "presented",
    "signed by president": "signed",
    "vetoed by president": "vetoed",
    "pocket vetoed by president": "pocket_vetoed",
}
LAW_ACTION = re.compile(r"Became (Public|Private) Law No: (\d+-\d+)")
# Official titles, the latest stage first (GPO's guide, table 6: codes 05 to 01).
OFFICIAL_TITLES = (
    "Official Title as Enacted",
    "Official Title as Agreed to by House and Senate",
    "Official Title as Amended by Senate",
    "Official Title as Amended by House",
    "Official Title as Introduced",
)
PORTIONS = "for portions of this bill"  # a short title of one part, not of the measure
CHAMBER_NAMES = {"House": "house", "Senate": "senate"}


@dataclass(frozen=True)
class _Schema:
    """The elements that name the measure in one schema version."""

    type: str
    number: str


LEGACY = _Schema("billType", "billNumber")
CURRENT = _Schema("type", "number")


@dataclass(frozen=True)
class _Document:
    """A file's <bill>, and the schema it is written in."""

    bill: Element
    schema: _Schema


def looks_like(data: bytes) -> bool:
    """Whether a file's bytes are a Bill Status file (root <billStatus>)."""
    return root_is(data, TAG)


def _read(data: bytes, origin: str) -> _Document:
    root = parse_xml(data, origin, TAG)
    schema = _schema(root)
    bill = root.find("bill")
    if bill is None:
        raise ValueError("no <bill> in <billStatus>")
    return _Document(bill, schema)


def _schema(root: Element) -> _Schema:
    """The schema a file declares; a version this importer does not know is refused."""
    version = text(root, "version")
    if version and CURRENT_VERSION.fullmatch(version):
        return CURRENT
    legacy = text(root, "bill/version")
    if not version and (not legacy or LEGACY_VERSION.fullmatch(legacy)):
        return LEGACY
    raise ValueError(
        f"unknown Bill Status schema version {version or legacy!r} "
        "(known: the legacy schema, 1.x, and 3.x)"
    )


def _bill_id(doc: _Document) -> str:
    """The measure's id in messages, as the unitedstates/congress bill importer writes it:
    "s1300-114"."""
    type_, number, congress = (
        text(doc.bill, name) for name in (doc.schema.type, doc.schema.number, "congress")
    )
    return bill_id(type_.lower(), number, congress) if type_ and number and congress else UNKNOWN


def _build(doc: _Document, origin: str) -> BillRecord:
    bill = doc.bill
    measure = _measure(doc)
    return BillRecord(
        measure=measure,
        source=_source(bill, measure),
        actions=_actions(bill),
        origin=origin,
        short_titles=_short_titles(bill),
        display_title=text(bill, "title"),
        law_number=_law_number(bill),
        recorded_votes=_recorded_votes(bill),
    )


def _measure(doc: _Document) -> MeasureRef:
    raw = required(text(doc.bill, doc.schema.type), doc.schema.type)
    if raw.lower() not in MEASURE_TYPES:
        raise ValueError(f"unknown bill type {raw!r}")
    congress, number = integer(doc.bill, "congress"), integer(doc.bill, doc.schema.number)
    return MeasureRef(congress, raw.lower(), number, _official_title(doc.bill))


def _titles(bill: Element) -> list[tuple[str, str]]:
    """(title type, title) of every <titles> item; "Short Title(s)" and "Short Titles" both
    read as "Short Title", as the guide spells it."""
    return [
        (re.sub(r"Titles?(\(s\))?", "Title", text(item, "titleType")), text(item, "title"))
        for item in bill.findall("titles/item")
    ]


def _official_title(bill: Element) -> str:
    """The official title of the latest stage; the display title if the file gives none."""
    official: dict[str, str] = {}
    for kind, title in _titles(bill):
        official.setdefault(kind, title)
    return next((official[k] for k in OFFICIAL_TITLES if official.get(k)), text(bill, "title"))


def _short_titles(bill: Element) -> tuple[str, ...]:
    """The measure's short titles, each once, in the file's order (not those of portions)."""
    found = [
        title
        for kind, title in _titles(bill)
        if kind.startswith("Short Title") and not kind.endswith(PORTIONS) and title
    ]
    return tuple(dict.fromkeys(found))


def _source(bill: Element, m: MeasureRef) -> SourceRecord:
    updated = _day(required(text(bill, "updateDate"), "updateDate")[:10], "updateDate")
    return SourceRecord(
        URL.format(congress=m.congress, type=m.type, number=m.number),
        PUBLISHER,
        updated,
        f"Bill Status of {measure_label(m.congress, m.type, m.number)}",
    )


def _actions(bill: Element) -> list[tuple[str, str]]:
    """The President's actions (each once: House, Senate and Library of Congress all list
    them), by date."""
    found = set()
    for item in bill.findall("actions/item"):
        wording = text(item, "text").lower()
        kind = next((k for start, k in PRESIDENTIAL.items() if wording.startswith(start)), None)
        if kind:
            found.add((kind, _day(text(item, "actionDate"), "actionDate")))
    return sorted(found, key=lambda a: (a[1], ACTION_KINDS.index(a[0])))


def _law_number(bill: Element) -> str:
    """The law it became ("Public Law 114-70"), from <laws> or else the action saying so."""
    for law in bill.findall("laws/item"):
        kind, number = text(law, "type"), text(law, "number")
        if kind and number:
            return f"{kind} {number}"
    for item in bill.findall("actions/item"):
        match = LAW_ACTION.match(text(item, "text"))
        if match:
            return f"{match[1]} Law {match[2]}"
    return ""


def _recorded_votes(bill: Element) -> tuple[RollCallRef, ...]:
    """The roll calls the file lists on the measure, then on its amendments; each once."""
    listed = [
        (vote, "")
        for path in ("recordedVotes", "actions/item/recordedVotes")
        for vote in bill.findall(f"{path}/recordedVote")
    ]
    for amendment in bill.findall("amendments/amendment"):
        label = _amendment_id(amendment)
        votes = amendment.findall("actions/actions/item/recordedVotes/recordedVote")
        listed += [(vote, label) for vote in votes]
    found: dict[str, RollCallRef] = {}
    for vote, label in listed:
        ref = _roll_call_ref(vote, label)
        found.setdefault(ref.id, ref)
    return tuple(sorted(found.values(), key=lambda r: (r.voted_at, r.id)))


def _amendment_id(amendment: Element) -> str:
    """An amendment named as unitedstates/congress names it: "samdt5194-117"."""
    type_, number = text(amendment, "type").lower(), integer(amendment, "number")
    return f"{type_}{number}-{integer(amendment, 'congress')}"


def _roll_call_ref(vote: Element, amendment: str) -> RollCallRef:
    """One <recordedVote>, named as unitedstates/congress names roll calls."""
    chamber = CHAMBER_NAMES.get(text(vote, "chamber"))
    if chamber is None:
        raise ValueError(f"unknown <chamber> {text(vote, 'chamber')!r} in a <recordedVote>")
    congress, number = integer(vote, "congress"), integer(vote, "rollNumber")
    voted_at = required(text(vote, "date"), "date")
    try:
        moment = datetime.fromisoformat(voted_at)
    except ValueError:
        raise ValueError(f"unreadable <date> {voted_at!r} in a <recordedVote>") from None
    if text(vote, "sessionNumber"):
        year = session_year(congress, integer(vote, "sessionNumber"))
    else:  # the day of the vote in Washington
        year = session_of_day(congress, moment.astimezone(EASTERN).date())
    return RollCallRef(
        id=roll_call_id(chamber, number, congress, year),
        chamber=chamber,
        congress=congress,
        session=year,
        number=number,
        voted_at=voted_at,
        url=text(vote, "url"),
        amendment=amendment,
    )


def _day(value: str, element: str) -> str:
    """An ISO date ("2015-10-16"), or a ValueError naming the element."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"<{element}> is not a date: {value!r}") from None


IMPORTER = ParseScaffold(
    name="GPO Bill Status XML",
    looks_like=looks_like,
    read=_read,
    identify=_bill_id,
    build=_build,
    check=check_bill,
)
parse = IMPORTER.parse
