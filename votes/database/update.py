"""`votes update`: bring a database current from the official feeds, by the one road in.

A run reads what the database holds of one Congress; asks the feeds what there is (the House
Clerk's index, or counting up until a missing number confirmed by the next; the Senate's vote
menus); fetches into the cache what is new, and re-checks what may have been corrected (the
votes of the last days, a vote the Senate's menu now tallies differently, files fetched but
never written), then the Bill Status of every measure voted on lately. Then the files go
through `votes import`'s pipeline (the same importers, checks and writer) in one transaction:
nothing fetched is written unless every file passes. A vote the feeds list but that cannot be
fetched is reported and asked for again next run; it never ends the count.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from votes.database import pipeline, targets
from votes.database.derive import MeasureKey
from votes.database.writer import Summary
from votes.errors import RecordError, RecordErrors
from votes.importers import feeds, inputs
from votes.importers.feeds import BILL_DAYS, RECHECK_DAYS, Bases, Target
from votes.importers.fetch import (
    ABSENT,
    CHANGED,
    FAILED,
    NEW,
    NOT_MODIFIED,
    SAME,
    Cache,
    Client,
    Manners,
    Outcome,
)
from votes.normalized import RollCallRecord, bill_id
from votes.progress import Progress
from votes.vocab import ALL_PARTIES, ordinal, roll_call_id

DEFAULT_BASES, DEFAULT_MANNERS = Bases(), Manners()


def default_cache() -> Path:
    """Where fetched files are kept unless --cache says: $XDG_CACHE_HOME/votes."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "votes"


@dataclass(frozen=True)
class Options:
    """What one run fetches, from where, and how politely."""

    congress: int
    cache: Path
    since: date  # votes taken on or after it are re-checked
    bills_since: date  # the Bill Status of measures voted on since it is re-checked
    today: date
    bases: Bases = DEFAULT_BASES
    manners: Manners = DEFAULT_MANNERS
    jobs: int | None = None

    @classmethod
    def make(
        cls,
        cache: Path,
        congress: int | None = None,
        since: date | None = None,
        recheck_days: int = RECHECK_DAYS,
        bill_days: int = BILL_DAYS,
        bases: Bases = DEFAULT_BASES,
        manners: Manners = DEFAULT_MANNERS,
        jobs: int | None = None,
        today: date | None = None,
    ) -> Options:
        """Options with the defaults worked out: this Congress, the last days re-checked."""
        today = today or date.today()
        since = since or today - timedelta(days=recheck_days)
        bills_since = min(since, today - timedelta(days=bill_days))
        congress = congress or feeds.congress_of(today)
        return cls(congress, cache, since, bills_since, today, bases, manners, jobs)


@dataclass(frozen=True)
class HeldVote:
    """A roll call the database holds: its date and its official (yea, nay)."""

    date: str
    tally: tuple[int, int] | None


@dataclass
class Held:
    """What the database holds of one Congress."""

    votes: dict[str, HeldVote] = field(default_factory=dict)
    numbers: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # (chamber, year)
    measures: set[MeasureKey] = field(default_factory=set)  # voted on since bills_since


@dataclass
class Report:
    """What a run did: the writer's figures, what was fetched, and what could not be."""

    congress: int
    summary: Summary = field(default_factory=Summary)
    fetched: Counter[str] = field(default_factory=Counter)  # outcome status -> files
    requests: int = 0
    left_alone: int = 0  # votes held that needed no re-check
    unpublished: list[str] = field(default_factory=list)  # measures without Bill Status yet
    notes: list[str] = field(default_factory=list)
    problems: list[RecordError] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        """Votes left as they were: not re-checked, or re-checked and found the same."""
        return self.left_alone + self.summary.unchanged

    def lines(self, db: str) -> list[str]:
        """What the run says it did: added, updated, left alone; fetched; not there yet."""
        s, got = self.summary, self.fetched
        lines = [
            f"Updated {db} ({ordinal(self.congress)} Congress): {s.added:,} added, "
            f"{s.updated:,} updated, {self.unchanged:,} left alone",
            f"Fetched {got[NEW] + got[CHANGED] + got[SAME]:,} files ({got[NEW]:,} new, "
            f"{got[CHANGED]:,} changed) in {self.requests:,} requests; "
            f"{got[NOT_MODIFIED]:,} not modified, {got[ABSENT]:,} not found",
        ]
        if s.bills:
            lines.append(f"Bill records written: {s.bills:,}")
        if self.unpublished:
            lines.append(f"No Bill Status published yet for {', '.join(self.unpublished)}")
        return lines + [f"Note: {note}" for note in [*self.notes, *s.notes]]


def update(db: str | Path, options: Options, progress: bool = False) -> Report:
    """Fetch what is new or changed for one Congress and write it to `db` in one transaction;
    every fetched file passes the importers' and the record's checks first, or nothing is
    written. Fetch problems are in the report; a file that fails a check raises RecordErrors."""
    with targets.writing(db):  # before reading what it will change; held while it fetches
        held = read_held(db, options.congress, options.bills_since)
        cache = Cache(options.cache)
        with cache.locked():
            run = _Run(options, held, cache, Client(cache, options.manners), progress)
            run.fetch()
            run.report.summary = run.write(db)
            cache.clear_pending()
            run.report.requests = run.client.requests
    return run.report


# ---- what the database holds -----------------------------------------------------------------

HELD_VOTES = """
SELECT r.id, r.chamber, r.session, r.number, r.date, c.yea, c.nay
FROM roll_calls AS r
LEFT JOIN vote_counts AS c ON c.roll_call_id = r.id AND c.party = :all_parties
WHERE r.congress = :congress
"""
VOTED_MEASURES = """
SELECT m.congress, m.type, m.number, MAX(r.date)
FROM roll_calls AS r
JOIN measures AS m ON m.id = r.measure_id
WHERE r.congress = :congress
GROUP BY m.congress, m.type, m.number
"""


def read_held(db: str | Path, congress: int, bills_since: date) -> Held:
    """The roll calls of a Congress in `db`, and the measures voted on since `bills_since`
    (nothing, for a database not made yet)."""
    path = targets.sqlite_path(db)
    if path is not None and not path.exists():
        return Held()
    url = f"sqlite:///{path.resolve()}" if path else _postgres_url(str(db))
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("roll_calls"):
                return Held()
            params = {"congress": congress, "all_parties": ALL_PARTIES}
            votes = connection.execute(text(HELD_VOTES), params).all()
            measures = connection.execute(text(VOTED_MEASURES), params).all()
    except SQLAlchemyError as e:
        reason = getattr(e, "orig", None) or e
        raise RecordError(
            targets.display(db), "-", f"cannot read the database ({reason})"
        ) from None
    finally:
        engine.dispose()
    return _held(votes, measures, bills_since)


def _postgres_url(db: str) -> str:
    return make_url(db).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def _held(votes: Sequence[Any], measures: Sequence[Any], bills_since: date) -> Held:
    held = Held()
    for vote_id, chamber, year, number, day, yea, nay in votes:
        tally = (yea, nay) if yea is not None else None
        held.votes[vote_id] = HeldVote(str(day)[:10], tally)
        held.numbers.setdefault((chamber, str(year)), set()).add(number)
    since = bills_since.isoformat()
    held.measures = {(c, t, n) for c, t, n, last in measures if str(last)[:10] >= since}
    return held


# ---- a run -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Work:
    """A vote to see to: where it is, its id, and why it is known to exist."""

    target: Target
    vote_id: str
    why: str  # "the Clerk's index lists it", "the database holds it", ...
    recheck: bool = False  # its source says it changed


class _Run:
    """One update: the work found in the feeds, done one request at a time."""

    def __init__(
        self, options: Options, held: Held, cache: Cache, client: Client, progress: bool
    ) -> None:
        self.options, self.held, self.cache, self.client = options, held, cache, client
        self.bases, self.progress = options.bases, progress
        self.report = Report(options.congress)
        self.work: list[_Work] = []
        self.count_ups: list[tuple[int, int]] = []  # (year, first number to ask)
        self.imports: dict[str, Target] = {}  # key -> file, in order

    def fetch(self) -> None:
        """Read the lists, see to every vote, then to the Bill Status of the measures."""
        periods = feeds.sessions(self.options.congress, self.options.today)
        if not periods:
            self.report.notes.append(f"the {ordinal(self.options.congress)} Congress has not met")
        for session, year in periods:
            self._house(year)
            self._senate(session, year)
        with self._bar("Votes") as bar:
            for n, work in enumerate(self.work, start=1):
                self._see_to(work)
                bar.update(self.client.requests, n / len(self.work))
            for year, first in self.count_ups:
                self._count_up(year, first)
        self._bills()

    @contextmanager
    def _bar(self, label: str) -> Iterator[Progress]:
        """A progress line on a terminal (silent elsewhere, and when not asked for)."""
        bar = Progress(None if self.progress else io.StringIO(), label=label, unit="requests")
        try:
            yield bar
        except BaseException:
            bar.abandon()
            raise
        bar.finish(self.client.requests)

    def _get(self, target: Target) -> Outcome:
        outcome = self.client.get(target)
        self.report.fetched[outcome.status] += 1
        return outcome

    def _import(self, target: Target) -> None:
        self.imports.setdefault(target.key, target)

    def _problem(self, outcome: Outcome, record: str, then: str) -> None:
        """A file that could not be fetched: what the server said, then what it means."""
        self.report.problems.append(RecordError(outcome.target.url, record, outcome.detail + then))

    # ---- the House --------------------------------------------------------------------------

    def _house(self, year: int) -> None:
        """The year's roll calls the index lists or the database holds; then count up."""
        held = self.held.numbers.get(("house", str(year)), set())
        cached = self.cache.numbers(f"house/{year}", "roll", ".xml")
        listed = self._house_listing(year, held | cached)
        for number in sorted(listed | held | cached):
            why = "the Clerk's index lists it" if number in listed else "the record holds it"
            self._plan(feeds.house_vote(self.bases, year, number), "house", number, year, why)
        self.count_ups.append((year, max(listed | held | cached, default=0) + 1))

    def _house_listing(self, year: int, known: set[int]) -> set[int]:
        """The numbers the Clerk's index lists (its pages from the first number not known);
        none when there is no index, and then counting up finds them."""
        index = self._get(feeds.house_index(self.bases, year))
        if not index.found:
            self.report.notes.append(f"{index.target.url}: {index.detail}; counted up instead")
            return set()
        listing = feeds.house_listing(self.cache.read(index.target), year)
        first_unknown = next(n for n in count(1) if n not in known)
        for start in sorted(listing.sections):
            if start + feeds.SECTION_SIZE > first_unknown:
                page = self._get(feeds.house_section(self.bases, year, start))
                if page.found:
                    listing.numbers |= feeds.house_listing(
                        self.cache.read(page.target), year
                    ).numbers
                else:
                    self._problem(page, "-", ", though the Clerk's index links it")
        return listing.numbers

    def _count_up(self, year: int, number: int) -> None:
        """Ask for the next numbers until one is missing and the one after it too."""
        while True:
            first = self._get(feeds.house_vote(self.bases, year, number))
            if first.found:
                self._import(first.target)
                number += 1
                continue
            vote_id = roll_call_id("house", number, self.options.congress, str(year))
            if first.status == FAILED:
                self._problem(first, vote_id, "; counting stops here and goes on next run")
                return
            after = self._get(feeds.house_vote(self.bases, year, number + 1))
            if not after.found:
                if after.status == FAILED:
                    self._problem(after, vote_id, "; counting stops here and goes on next run")
                return
            self._problem(first, vote_id, f", though roll call {number + 1} exists: a gap")
            self._import(after.target)
            number += 2

    # ---- the Senate -------------------------------------------------------------------------

    def _senate(self, session: int, year: int) -> None:
        """The session's votes the menu lists or the database holds."""
        congress = self.options.congress
        menu = self._get(feeds.senate_menu(self.bases, congress, session))
        listed: dict[int, feeds.MenuVote] = {}
        if menu.found:
            try:
                listed = {
                    v.number: v
                    for v in feeds.senate_listing(
                        self.cache.read(menu.target), menu.target.url, congress, session
                    )
                }
            except RecordError as e:
                self.report.problems.append(e)
        elif menu.status == FAILED:
            self._problem(menu, "-", "; the session's votes were not listed")
        else:
            self.report.notes.append(f"{menu.target.url}: {menu.detail}; no votes listed")
        held = self.held.numbers.get(("senate", str(year)), set())
        folder = f"senate/roll_call_votes/vote{congress}{session}"
        cached = self.cache.numbers(folder, f"vote_{congress}_{session}_", ".xml")
        for number in sorted(set(listed) | held | cached):
            target = feeds.senate_vote(self.bases, congress, session, number)
            vote_id = roll_call_id("senate", number, congress, str(year))
            known = self.held.votes.get(vote_id)
            menu_vote = listed.get(number)
            retallied = bool(known and menu_vote and menu_vote.tally not in (None, known.tally))
            why = "the Senate's vote menu lists it" if menu_vote else "the record holds it"
            self.work.append(_Work(target, vote_id, why, retallied))

    # ---- one vote ---------------------------------------------------------------------------

    def _plan(self, target: Target, chamber: str, number: int, year: int, why: str) -> None:
        vote_id = roll_call_id(chamber, number, self.options.congress, str(year))
        self.work.append(_Work(target, vote_id, why))

    def _see_to(self, work: _Work) -> None:
        """Fetch a new vote, re-check a recent or changed one, leave the others alone."""
        known = self.held.votes.get(work.vote_id)
        if known is None and self.cache.has(work.target):  # fetched before, never written
            self._import(work.target)
        elif known is None or work.recheck or known.date >= self.options.since.isoformat():
            outcome = self._get(work.target)
            if outcome.found:
                self._import(work.target)
            else:
                self._problem(outcome, work.vote_id, f", though {work.why}; asked again next run")
        else:
            self.report.left_alone += 1

    # ---- Bill Status ------------------------------------------------------------------------

    def _bills(self) -> None:
        """The Bill Status of every measure voted on lately or in the files to import."""
        measures = sorted(self.held.measures | self._measures_fetched())
        with self._bar("Bill Status") as bar:
            for n, (congress, type_, number) in enumerate(measures, start=1):
                self._bill(congress, type_, number)
                bar.update(self.client.requests, n / len(measures))

    def _bill(self, congress: int, type_: str, number: int) -> None:
        outcome = self._get(feeds.bill_status(self.bases, congress, type_, number))
        if outcome.found:
            self._import(outcome.target)
        elif outcome.status == ABSENT:
            self.report.unpublished.append(bill_id(type_, number, congress))
        else:
            self._problem(outcome, bill_id(type_, number, congress), "; asked again next run")

    def _measures_fetched(self) -> set[MeasureKey]:
        """The measures the votes to import name (a file that does not parse is left to the
        import, which reports it)."""
        found = set()
        for target in self.imports.values():
            try:
                record = inputs.parse(target.url, self.cache.read(target))
            except RecordError:
                continue
            if isinstance(record, RollCallRecord) and record.measure is not None:
                m = record.measure
                found.add((m.congress, m.type, m.number))
        return found

    # ---- the write ---------------------------------------------------------------------------

    def sources(self) -> list[Target]:
        """Every file to import: those pending from earlier runs and this run's; votes first."""
        chosen = {t.key: t for t in [*self.cache.pending(), *self.imports.values()]}
        return sorted(chosen.values(), key=lambda t: t.key.startswith("records/billstatus/"))

    def write(self, db: str | Path) -> Summary:
        """Import the files through `votes import`'s pipeline, all or nothing; the files a
        check refused are set aside in the cache and fetched whole next time."""
        files = self.sources()
        if not files:
            return Summary()
        sources = [inputs.Fetched(t.url, str(self.cache.path(t))) for t in files]
        jobs = self.options.jobs
        if jobs is None and len(sources) <= pipeline.CHUNK:
            jobs = 0  # a few files: reading them here is quicker than starting readers
        bar = Progress(None if self.progress else io.StringIO())
        try:
            return pipeline.import_sources(sources, db, jobs=jobs, progress=bar)
        except RecordError as e:
            refused = e.errors if isinstance(e, RecordErrors) else [e]
            by_url = {t.url: t for t in files}
            for problem in refused:
                if problem.file in by_url:
                    self.cache.reject(by_url[problem.file])
            raise RecordErrors([*self.report.problems, *refused]) from None
