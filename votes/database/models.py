"""The schema as typed SQLAlchemy 2 models. Alembic migrations must describe exactly this."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from votes.vocab import (
    ACTION_KINDS,
    CATEGORIES,
    CHAMBERS,
    MEASURE_KINDS,
    MEASURE_TYPES,
    OPTIONS,
    ROLL_CALL_STATUSES,
    SEARCH_ENTITIES,
    THRESHOLDS,
    TITLE_SOURCES,
    VETO_KINDS,
    VETO_OUTCOMES,
    sql_in,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def in_vocab(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """A CHECK constraint that keeps a column inside one vocabulary."""
    return CheckConstraint(f"{column} IN ({sql_in(values)})", name=name or column)


class Source(Base):
    """A published record a figure comes from."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500), unique=True)
    publisher: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date | None]  # None: the page states no date (migration 0004)
    title: Mapped[str] = mapped_column(String(500), default="")


class Measure(Base):
    """A bill or resolution; chamber of origin and presentment follow from its type."""

    __tablename__ = "measures"
    __table_args__ = (
        UniqueConstraint("congress", "type", "number"),
        in_vocab("type", tuple(MEASURE_TYPES)),
        in_vocab("kind", MEASURE_KINDS),
        in_vocab("originating_chamber", CHAMBERS),
        in_vocab("title_source", TITLE_SOURCES),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    congress: Mapped[int]
    type: Mapped[str] = mapped_column(String(8))
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(2000), default="")
    kind: Mapped[str] = mapped_column(String(24))
    originating_chamber: Mapped[str] = mapped_column(String(6))
    presented: Mapped[bool]
    constitutional_amendment: Mapped[bool] = mapped_column(default=False)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    # Migration 0004: the measure's short title, where its title comes from (NULL when it has
    # none) and the law it became.
    short_title: Mapped[str] = mapped_column(String(2000), default="")
    title_source: Mapped[str | None] = mapped_column(String(12))
    law_number: Mapped[str] = mapped_column(String(40), default="")


class RollCall(Base):
    """One recorded vote. `id` is the unitedstates/congress vote id; `key` is its compact key."""

    __tablename__ = "roll_calls"
    __table_args__ = (
        UniqueConstraint("chamber", "congress", "session", "number"),
        in_vocab("chamber", CHAMBERS),
        in_vocab("category", CATEGORIES),
        in_vocab("requires", THRESHOLDS),
        in_vocab("status", ROLL_CALL_STATUSES),
        Index(None, "measure_id"),
        # A member's positions meet their roll calls by key (migration 0007): the congress and
        # chamber (to voter_sessions), the date (a page's order), the measure and the id (to
        # party_tallies) from the index alone, so a member's count of 19,583 votes, or of
        # defections, reads no roll_calls row.
        Index(None, "key", "congress", "chamber", "date", "measure_id", "id"),
    )
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    key: Mapped[int] = mapped_column(unique=True)
    chamber: Mapped[str] = mapped_column(String(6))
    congress: Mapped[int]
    session: Mapped[str] = mapped_column(String(4))
    number: Mapped[int]
    date: Mapped[dt.date]
    voted_at: Mapped[str] = mapped_column(String(25))
    question: Mapped[str] = mapped_column(String(2000))
    category: Mapped[str] = mapped_column(String(24))
    requires: Mapped[str] = mapped_column(String(8))
    result: Mapped[str] = mapped_column(String(200))
    result_text: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(8), default="counted")
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))


class CarriedText(Base):
    """A roll call on one measure that carried the text of another (H.R. 550 carrying H.R. 5543)."""

    __tablename__ = "carried_texts"
    roll_call_id: Mapped[str] = mapped_column(ForeignKey("roll_calls.id"), primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), primary_key=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))


class VoteCount(Base):
    """Official counts of a roll call: the chamber total (party "ALL") and one row per party."""

    __tablename__ = "vote_counts"
    __table_args__ = tuple(
        CheckConstraint(f"{c} >= 0", name=f"{c}_not_negative")
        for c in ("yea", "nay", "present", "not_voting")
    )
    roll_call_id: Mapped[str] = mapped_column(ForeignKey("roll_calls.id"), primary_key=True)
    party: Mapped[str] = mapped_column(String(8), primary_key=True)
    yea: Mapped[int]
    nay: Mapped[int]
    present: Mapped[int]
    not_voting: Mapped[int]
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))


class Member(Base):
    """A person who voted. `id` is the Bioguide id, or a flagged stand-in when none is known."""

    __tablename__ = "members"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    bioguide_id: Mapped[str | None] = mapped_column(String(7), unique=True)
    lis_id: Mapped[str | None] = mapped_column(String(5), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    resolved: Mapped[bool]


class Voter(Base):
    """A member with the party and state a roll call printed beside their name."""

    __tablename__ = "voters"
    __table_args__ = (
        UniqueConstraint("member_id", "party", "state"),
        # member_votes?state=VT (migration 0005): that state's voters first. No index by party:
        # with one, SQLite would start ?party=D from its 5 million positions, not from the
        # roll calls by date (a party's voters are found by scanning the 2,000 of them).
        Index(None, "state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    party: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(2))
    label: Mapped[str] = mapped_column(String(240))


class VoteOption(Base):
    """An option as published ("Aye", "Not Voting") and its normalized meaning."""

    __tablename__ = "vote_options"
    __table_args__ = (in_vocab("option", OPTIONS),)
    id: Mapped[int] = mapped_column(primary_key=True)
    raw_option: Mapped[str] = mapped_column(String(100), unique=True)
    option: Mapped[str] = mapped_column(String(10))


class Position(Base):
    """One member's vote on one roll call, stored compactly (see the member_votes view)."""

    __tablename__ = "positions"
    __table_args__ = (
        # Clustered by member (migration 0002): a member's 30 years are read in one sweep. A
        # roll call's few hundred positions are found through voter_sessions (migration 0007,
        # which dropped the index by roll call: 11 bytes a position, a third of the database).
        PrimaryKeyConstraint("voter_id", "roll_call_key"),
        {"sqlite_with_rowid": False},
    )
    roll_call_key: Mapped[int] = mapped_column(ForeignKey("roll_calls.key"), primary_key=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("voters.id"), primary_key=True)
    vote_option_id: Mapped[int] = mapped_column(ForeignKey("vote_options.id"))


@compiles(PrimaryKeyConstraint, "sqlite")
def _primary_key(constraint: PrimaryKeyConstraint, compiler: Any, **kw: Any) -> str:
    """On SQLite, positions keep each member's newest roll call first (migration 0007): a
    member's page, newest first, then reads the 101 rows it shows before any other."""
    ddl = str(compiler.visit_primary_key_constraint(constraint, **kw))
    if constraint.table.name == "positions":
        return ddl.replace("roll_call_key)", "roll_call_key DESC)")
    return ddl


class VoterSession(Base):
    """A voter listed on the roll calls of one congress in one chamber: how a roll call's
    positions are found (its congress and chamber -> these voters -> each one's position by
    the primary key), and the voter's record there, which member_stats sums (the rules:
    votes.database.sessions). Written by the writer with the positions (migration 0007);
    never shown."""

    __tablename__ = "voter_sessions"
    __table_args__ = (
        PrimaryKeyConstraint("congress", "chamber", "voter_id"),
        in_vocab("chamber", CHAMBERS),
        {"sqlite_with_rowid": False},
    )
    congress: Mapped[int]
    chamber: Mapped[str] = mapped_column(String(6))
    voter_id: Mapped[int] = mapped_column(ForeignKey("voters.id"))
    votes_eligible: Mapped[int]
    yea: Mapped[int]
    nay: Mapped[int]
    present: Mapped[int]
    missed_votes: Mapped[int]
    party_votes: Mapped[int]
    votes_with_party: Mapped[int]
    unity_votes: Mapped[int]
    unity_with_party: Mapped[int]


class PresidentialAction(Base):
    """Presented, signed, vetoed or pocket-vetoed: what the President did with a measure."""

    __tablename__ = "presidential_actions"
    __table_args__ = (
        UniqueConstraint("measure_id", "action", "date"),
        in_vocab("action", ACTION_KINDS),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    action: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.date]
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))


# --- For speed at full size (migration 0002): indexes for the pages' sorts, tallies stored at
# --- load time so no page counts millions of positions, and digests for idempotent imports.

# roll_calls and override_math pages sort by date, overall or within a chamber.
Index(None, RollCall.date)
Index(None, RollCall.chamber, RollCall.date)
# A congress's roll calls (migration 0005): the analysts' congress-wide questions, member_stats.
Index(None, RollCall.congress)
# member_votes?name=... (migration 0005): the member first, then their positions.
Index(None, Member.name)


class PartyTally(Base):
    """Each party's yeas, nays, present and not voting on a roll call, counted from the roll.

    Stored at load time from `positions` (the Vice President excluded; members printed
    without a party form the party ""), so no page counts millions of positions per request.
    """

    __tablename__ = "party_tallies"
    __table_args__ = (
        # party_breakdown pages facet by party (migration 0003): read from this index alone.
        Index(None, "party"),
        {"sqlite_with_rowid": False},
    )
    roll_call_id: Mapped[str] = mapped_column(ForeignKey("roll_calls.id"), primary_key=True)
    party: Mapped[str] = mapped_column(String(8), primary_key=True)
    yea: Mapped[int]
    nay: Mapped[int]
    present: Mapped[int]
    not_voting: Mapped[int]


class RollCallDigest(Base):
    """A fingerprint of a roll call's record (votes.database.derive.digest): a re-import skips
    it unchanged."""

    __tablename__ = "roll_call_digests"
    __table_args__ = {"sqlite_with_rowid": False}
    roll_call_id: Mapped[str] = mapped_column(ForeignKey("roll_calls.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(32))


# --- The curated vetoes (migration 0004): data/vetoes.csv, veto_sources.csv and
# --- official_veto_counts.csv. Override roll calls are named by id, not by foreign key: the
# --- record may not hold a vote yet (a later congress), and the link holds once it is imported.


class VetoRecord(Base):
    """One veto as the curated inventory records it: kind, outcome, override votes, doubts."""

    __tablename__ = "veto_records"
    __table_args__ = (
        in_vocab("kind", VETO_KINDS),
        in_vocab("outcome", VETO_OUTCOMES),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), unique=True)
    president: Mapped[str] = mapped_column(String(60))
    vetoed_on: Mapped[dt.date | None]
    kind: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(20))
    house_roll_call_id: Mapped[str | None] = mapped_column(String(24))
    senate_roll_call_id: Mapped[str | None] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(String(2000), default="")
    doubtful: Mapped[bool] = mapped_column(default=False)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))


class VetoSource(Base):
    """A further source of a veto row, beyond its own source_id."""

    __tablename__ = "veto_sources"
    veto_record_id: Mapped[int] = mapped_column(ForeignKey("veto_records.id"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)


class OfficialVetoCount(Base):
    """A President's vetoes as the Senate's statistics count them (NULL: not legible there)."""

    __tablename__ = "official_veto_counts"
    president: Mapped[str] = mapped_column(String(60), primary_key=True)
    regular: Mapped[int | None]
    pocket: Mapped[int | None]
    total: Mapped[int | None]
    note: Mapped[str] = mapped_column(String(1000), default="")
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))


# --- Computed at the end of every load (migration 0005; votes.database.summaries) ---


class MemberStat(Base):
    """A member's record in one congress and chamber, or over a career (congress and chamber
    empty): votes eligible and missed (GovTrack's measure), party votes, unity votes (CQ's),
    defections. Counts are integers; each percentage is rounded from them in integers."""

    __tablename__ = "member_stats"
    __table_args__ = (
        in_vocab("chamber", CHAMBERS),
        Index(None, "member_id"),
        Index(None, "congress"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    name: Mapped[str] = mapped_column(String(200))
    congress: Mapped[int | None]
    chamber: Mapped[str | None] = mapped_column(String(6))
    party: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(40))
    votes_eligible: Mapped[int]
    yea: Mapped[int]
    nay: Mapped[int]
    present: Mapped[int]
    missed_votes: Mapped[int]
    missed_pct: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    party_votes: Mapped[int | None]
    votes_with_party: Mapped[int | None]
    with_party_pct: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    defections: Mapped[int | None]
    unity_votes: Mapped[int | None]
    unity_with_party: Mapped[int | None]
    unity_pct: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))


class SearchEntry(Base):
    """A member, a measure or a roll call as the search finds it: a title, a line of detail,
    the words it is found by, and a bill number in one spelling (`search_key`: "hr6395").

    Written whole at the end of every load (votes.database.search); on SQLite a full-text
    index (FTS5, search_entries_fts) is built over it, which Datasette's search box uses.
    """

    __tablename__ = "search_entries"
    __table_args__ = (in_vocab("entity", SEARCH_ENTITIES), Index(None, "search_key"))
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(10))
    ref: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(String(2000))
    search_key: Mapped[str | None] = mapped_column(String(16))
    congress: Mapped[int | None]
    date: Mapped[dt.date | None]
    text: Mapped[str] = mapped_column(String(4000))


# --- Computed at the end of every load (migration 0006; votes.database.summaries) ---
# Three views of old, now tables of the same names and columns, so that their pages, counts,
# facets and an analyst's sums over a congress read stored rows instead of computing every roll
# call's arithmetic per query (230-390 ms a page at full size; 200 ms for a congress's party
# totals). Their rules live in votes/database/sql/load/<name>.sql.


class OverrideMath(Base):
    """Every roll call against the two thirds that overrides a veto (sql/load/override_math.sql)."""

    __tablename__ = "override_math"
    __table_args__ = (
        Index(None, "date"),
        Index(None, "congress", "chamber"),
        Index(None, "override_vote", "measure_id"),
        Index(None, "measure_id"),
        # its page's facets (metadata.yml), each counted from its index alone
        Index(None, "chamber"),
        Index(None, "requires"),
        Index(None, "carried_two_thirds"),
    )
    roll_call_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    chamber: Mapped[str] = mapped_column(String(6))
    congress: Mapped[int]
    date: Mapped[dt.date]
    measure_id: Mapped[int | None]
    measure: Mapped[str | None] = mapped_column(String(40))
    carried_text: Mapped[str | None] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(String(2000))
    category: Mapped[str] = mapped_column(String(24))
    override_vote: Mapped[int]
    requires: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8))
    yea: Mapped[int | None]
    nay: Mapped[int | None]
    present: Mapped[int | None]
    not_voting: Mapped[int | None]
    voting: Mapped[int | None]
    two_thirds_needed: Mapped[int | None]
    margin: Mapped[int | None]
    switches_needed: Mapped[int | None]
    quorum_present: Mapped[int | None]
    carried_two_thirds: Mapped[int | None]
    official_result: Mapped[str] = mapped_column(String(200))
    official_outcome: Mapped[str | None] = mapped_column(String(10))
    agrees_with_official: Mapped[int | None]


class ThresholdMath(Base):
    """Every roll call against the threshold it required (sql/load/threshold_math.sql)."""

    __tablename__ = "threshold_math"
    __table_args__ = (
        Index(None, "date"),
        Index(None, "congress", "chamber"),
        # its page's facets (metadata.yml), each counted from its index alone
        Index(None, "threshold"),
        Index(None, "carried"),
    )
    roll_call_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    chamber: Mapped[str] = mapped_column(String(6))
    congress: Mapped[int]
    date: Mapped[dt.date]
    measure: Mapped[str | None] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(String(2000))
    category: Mapped[str] = mapped_column(String(24))
    requires: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8))
    threshold: Mapped[str] = mapped_column(String(24))
    yea: Mapped[int | None]
    nay: Mapped[int | None]
    present: Mapped[int | None]
    not_voting: Mapped[int | None]
    vice_president: Mapped[str | None] = mapped_column(String(10))
    base: Mapped[int | None]
    needed: Mapped[int | None]
    margin: Mapped[int | None]
    switches_needed: Mapped[int | None]
    switches_to_defeat: Mapped[int | None]
    quorum_present: Mapped[int | None]
    carried: Mapped[int | None]
    official_result: Mapped[str] = mapped_column(String(200))
    official_outcome: Mapped[str | None] = mapped_column(String(10))
    agrees_with_official: Mapped[int | None]
    documented_exception: Mapped[int | None]
    exception_reason: Mapped[str | None] = mapped_column(String(1000))


class PartyBreakdown(Base):
    """Each party's counted and official totals on a roll call (sql/load/party_breakdown.sql)."""

    __tablename__ = "party_breakdown"
    __table_args__ = (Index(None, "party"), Index(None, "congress", "party"))
    roll_call_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    chamber: Mapped[str] = mapped_column(String(6))
    congress: Mapped[int]
    date: Mapped[dt.date]
    party: Mapped[str] = mapped_column(String(8), primary_key=True)
    yea: Mapped[int]
    nay: Mapped[int]
    present: Mapped[int]
    not_voting: Mapped[int]
    official_yea: Mapped[int | None]
    official_nay: Mapped[int | None]
    official_present: Mapped[int | None]
    official_not_voting: Mapped[int | None]
    matches_official: Mapped[int]
