"""The official feeds `votes update` reads: where each file is, and how their lists are read.

- House Clerk: `{house}/{year}/roll{NNN}.xml`, numbered from 1 each year. The year's index,
  `{house}/{year}/index.asp`, links the pages listing its roll calls a hundred at a time
  (`ROLL_000.asp`, `ROLL_100.asp`, ...) and its latest roll calls; each roll call is linked as
  `cgi-bin/vote.asp?year={year}&rollnumber={n}` (the layout unitedstates/congress reads).
- Senate LIS: `{senate}/roll_call_lists/vote_menu_{congress}_{session}.xml` lists a session's
  votes (`vote_summary/votes/vote`: vote_number, vote_date, issue, question, result,
  vote_tally, title); each vote is `{senate}/roll_call_votes/vote{congress}{session}/
  vote_{congress}_{session}_{NNNNN}.xml`.
- GPO Bill Status: `{billstatus}/{congress}/{type}/BILLSTATUS-{congress}{type}{number}.xml`.

Every base URL can be a mirror. A file's cache key is its place in the official layout, under
`records/` (vote and Bill Status files: what `votes import` reads) or `lists/` (indexes, menus).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlsplit

from votes.errors import RecordError
from votes.importers.base import is_digits
from votes.importers.xmlutil import parse_xml, text

HOUSE = "https://clerk.house.gov/evs"
SENATE = "https://www.senate.gov/legislative/LIS"
BILLSTATUS = "https://www.govinfo.gov/bulkdata/BILLSTATUS"
FIRST_CONGRESS_YEAR = 1789
HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
SECTION = re.compile(r"ROLL_(\d+)\.asp", re.I)
SECTION_SIZE = 100  # roll calls a page of the House index lists
RECHECK_DAYS = 7  # the chambers correct votes for a few days after they are taken
BILL_DAYS = 30  # a veto comes within ten days of presentment, often weeks after the last vote


@dataclass(frozen=True)
class Bases:
    """The base URL of each feed: the official ones, or a mirror's."""

    house: str = HOUSE
    senate: str = SENATE
    billstatus: str = BILLSTATUS


@dataclass(frozen=True)
class Target:
    """One file of a feed: its URL, and its key in the cache (its place in the official layout)."""

    url: str
    key: str  # "records/house/2025/roll240.xml", "lists/senate/roll_call_lists/..."

    @property
    def is_record(self) -> bool:
        """A vote or Bill Status file (XML the importers read), not an index or a menu."""
        return self.key.startswith("records/")


def _target(base: str, feed: str, path: str, kind: str = "records") -> Target:
    return Target(f"{base.rstrip('/')}/{path}", f"{kind}/{feed}/{path}")


# ---- the URL layouts ------------------------------------------------------------------------


def house_vote(bases: Bases, year: int, number: int) -> Target:
    return _target(bases.house, "house", f"{year}/roll{number:03d}.xml")


def house_index(bases: Bases, year: int) -> Target:
    return _target(bases.house, "house", f"{year}/index.asp", "lists")


def house_section(bases: Bases, year: int, start: int) -> Target:
    """The index page listing roll calls `start` to `start + 99` of a year."""
    return _target(bases.house, "house", f"{year}/ROLL_{start:03d}.asp", "lists")


def senate_menu(bases: Bases, congress: int, session: int) -> Target:
    path = f"roll_call_lists/vote_menu_{congress}_{session}.xml"
    return _target(bases.senate, "senate", path, "lists")


def senate_vote(bases: Bases, congress: int, session: int, number: int) -> Target:
    path = f"roll_call_votes/vote{congress}{session}/vote_{congress}_{session}_{number:05d}.xml"
    return _target(bases.senate, "senate", path)


def bill_status(bases: Bases, congress: int, type_: str, number: int) -> Target:
    path = f"{congress}/{type_}/BILLSTATUS-{congress}{type_}{number}.xml"
    return _target(bases.billstatus, "billstatus", path)


# ---- congresses and sessions -----------------------------------------------------------------


def congress_of(day: date) -> int:
    """The Congress sitting in a year (a new one meets on January 3 of an odd year)."""
    return (day.year - FIRST_CONGRESS_YEAR) // 2 + 1


def sessions(congress: int, today: date) -> list[tuple[int, int]]:
    """(session, year) of each session of a Congress that has begun by `today`'s year."""
    first = FIRST_CONGRESS_YEAR + 2 * (congress - 1)
    return [(s, first + s - 1) for s in (1, 2) if first + s - 1 <= today.year]


# ---- the House Clerk's index -----------------------------------------------------------------


@dataclass
class HouseListing:
    """What a page of the Clerk's index lists: roll-call numbers, and the pages of the index
    (by the first roll call each lists)."""

    numbers: set[int] = field(default_factory=set)
    sections: set[int] = field(default_factory=set)


def house_listing(page: bytes, year: int) -> HouseListing:
    """The roll calls of `year` and the index pages an index page links (the links only: a
    mirror's pages are found under its own base URL)."""
    listing = HouseListing()
    for match in HREF.finditer(page.decode("utf-8", "replace")):
        href = html.unescape(next(g for g in match.groups() if g is not None))
        parts = urlsplit(href)
        if parts.path.lower().endswith("vote.asp"):
            query = parse_qs(parts.query)
            numbers, years = query.get("rollnumber", []), query.get("year", [str(year)])
            if years == [str(year)] and len(numbers) == 1 and is_digits(numbers[0]):
                listing.numbers.add(int(numbers[0]))
        elif section := SECTION.fullmatch(parts.path.rsplit("/", 1)[-1]):
            listing.sections.add(int(section.group(1)))
    return listing


# ---- the Senate's vote menus -----------------------------------------------------------------


@dataclass(frozen=True)
class MenuVote:
    """A vote as a Senate vote menu lists it: its number and, when given, its tally."""

    number: int
    tally: tuple[int, int] | None  # (yeas, nays)


def senate_listing(data: bytes, origin: str, congress: int, session: int) -> list[MenuVote]:
    """The votes a session's menu lists; a menu of another session, or unreadable, is refused."""
    root = parse_xml(data, origin, "vote_summary")
    said = (text(root, "congress"), text(root, "session"))
    if said != (str(congress), str(session)):
        asked = f"{congress}-{session}"
        raise RecordError(origin, "-", f"the menu is of session {'-'.join(said)!r}, not {asked}")
    votes = []
    for vote in root.findall("votes/vote"):
        number = text(vote, "vote_number")
        if not is_digits(number):
            raise RecordError(origin, "-", f"<vote_number> is not a number: {number!r}")
        yeas, nays = text(vote, "vote_tally/yeas"), text(vote, "vote_tally/nays")
        tally = (int(yeas), int(nays)) if is_digits(yeas) and is_digits(nays) else None
        votes.append(MenuVote(int(number), tally))
    return votes
