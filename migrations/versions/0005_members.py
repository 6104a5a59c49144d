"""members: member_stats, search_entries, and indexes for a member's record and a congress's votes

member_stats: a member's record in each congress and chamber and over a career (votes
eligible and missed, party votes, unity votes, defections), computed from the positions at the
end of every load (votes.database.summaries); a database migrated here gets its rows from its
next load, which computes every congress that has none. search_entries: every member, measure
and roll call as the search finds it, written whole at the end of every load; on SQLite the load
also builds its full-text index (search_entries_fts, FTS5), which is no part of the schema here:
a downgrade drops it with the table it indexes.

A member by name (members.name), the voters of a state (voters.state),
a congress's roll calls (roll_calls.congress), and a roll call's positions with their options
from the index alone (positions: roll_call_key, voter_id, vote_option_id, which replaces the
index on roll_call_key, voter_id), so that member_votes filtered by name, state, party or
congress starts from what it filters on, and an analyst's count of a congress's 600,000
positions reads no table row.


Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 22:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("congress", sa.Integer(), nullable=True),
        sa.Column("chamber", sa.String(length=6), nullable=True),
        sa.Column("party", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("votes_eligible", sa.Integer(), nullable=False),
        sa.Column("yea", sa.Integer(), nullable=False),
        sa.Column("nay", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("missed_votes", sa.Integer(), nullable=False),
        sa.Column("missed_pct", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("party_votes", sa.Integer(), nullable=True),
        sa.Column("votes_with_party", sa.Integer(), nullable=True),
        sa.Column("with_party_pct", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("defections", sa.Integer(), nullable=True),
        sa.Column("unity_votes", sa.Integer(), nullable=True),
        sa.Column("unity_with_party", sa.Integer(), nullable=True),
        sa.Column("unity_pct", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.CheckConstraint("chamber IN ('house', 'senate')", name=op.f("ck_member_stats_chamber")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_stats_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_stats")),
    )
    with op.batch_alter_table("member_stats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_stats_congress"), ["congress"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_stats_member_id"), ["member_id"], unique=False)
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=10), nullable=False),
        sa.Column("ref", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.String(length=2000), nullable=False),
        sa.Column("search_key", sa.String(length=16), nullable=True),
        sa.Column("congress", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("text", sa.String(length=4000), nullable=False),
        sa.CheckConstraint(
            "entity IN ('member', 'measure', 'roll_call')", name=op.f("ck_search_entries_entity")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_entries_search_key"), ["search_key"], unique=False
        )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_members_name"), ["name"], unique=False)
    with op.batch_alter_table("voters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voters_state"), ["state"], unique=False)
    with op.batch_alter_table("roll_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roll_calls_congress"), ["congress"], unique=False)
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_positions_roll_call_key_voter_id"))
        batch_op.create_index(
            batch_op.f("ix_positions_roll_call_key_voter_id_vote_option_id"),
            ["roll_call_key", "voter_id", "vote_option_id"],
            unique=False,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_entries_fts")
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_entries_search_key"))
    op.drop_table("search_entries")
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_positions_roll_call_key_voter_id_vote_option_id"))
        batch_op.create_index(
            batch_op.f("ix_positions_roll_call_key_voter_id"),
            ["roll_call_key", "voter_id"],
            unique=False,
        )
    with op.batch_alter_table("roll_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roll_calls_congress"))
    with op.batch_alter_table("voters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voters_state"))
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_name"))
    with op.batch_alter_table("member_stats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_stats_member_id"))
        batch_op.drop_index(batch_op.f("ix_member_stats_congress"))
    op.drop_table("member_stats")
