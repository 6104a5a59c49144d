"""stored arithmetic: override_math, threshold_math and party_breakdown become tables

override_math (every roll call against two thirds) and threshold_math (every roll call against
the threshold it required) were views that worked out all 33,847 roll calls' arithmetic for
every page, count and facet (230-390 ms a page at full size, and every veto view read
override_math whole); party_breakdown looked each tally's roll call up per row, so an analyst's
party totals over one congress read all 87,000 tallies (200 ms). They are now tables of the same
names and columns, written whole at the end of every load (votes.database.summaries, from
votes/database/sql/load/<name>.sql), with indexes for a page's order (date), a congress and
chamber, an override vote's measure, each default facet, and a party (its facet) or a
congress's parties. The old
views are dropped here (migrations/env.py drops only the views that remain views); a database
migrated here gets its rows from its next load, which finds them missing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 00:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COUNTS = ("yea", "nay", "present", "not_voting")
# Each table's default facets (metadata.yml), counted from an index of their own.
FACETS = {
    "override_math": ("chamber", "requires", "carried_two_thirds"),
    "threshold_math": ("threshold", "carried"),
}


def _counts() -> list[sa.Column]:
    """yea, nay, present and not voting: the official chamber total, if any."""
    return [sa.Column(name, sa.Integer(), nullable=True) for name in COUNTS]


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS override_math")
    op.execute("DROP VIEW IF EXISTS threshold_math")
    op.execute("DROP VIEW IF EXISTS party_breakdown")
    op.create_table(
        "override_math",
        sa.Column("roll_call_id", sa.String(length=24), nullable=False),
        sa.Column("chamber", sa.String(length=6), nullable=False),
        sa.Column("congress", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("measure", sa.String(length=40), nullable=True),
        sa.Column("carried_text", sa.String(length=40), nullable=True),
        sa.Column("question", sa.String(length=2000), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("override_vote", sa.Integer(), nullable=False),
        sa.Column("requires", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        *_counts(),
        sa.Column("voting", sa.Integer(), nullable=True),
        sa.Column("two_thirds_needed", sa.Integer(), nullable=True),
        sa.Column("margin", sa.Integer(), nullable=True),
        sa.Column("switches_needed", sa.Integer(), nullable=True),
        sa.Column("quorum_present", sa.Integer(), nullable=True),
        sa.Column("carried_two_thirds", sa.Integer(), nullable=True),
        sa.Column("official_result", sa.String(length=200), nullable=False),
        sa.Column("official_outcome", sa.String(length=10), nullable=True),
        sa.Column("agrees_with_official", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("roll_call_id", name=op.f("pk_override_math")),
    )
    with op.batch_alter_table("override_math", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_override_math_date"), ["date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_override_math_congress_chamber"), ["congress", "chamber"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_override_math_override_vote_measure_id"),
            ["override_vote", "measure_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_override_math_measure_id"), ["measure_id"], unique=False
        )
        for column in FACETS["override_math"]:
            batch_op.create_index(batch_op.f(f"ix_override_math_{column}"), [column], unique=False)
    op.create_table(
        "threshold_math",
        sa.Column("roll_call_id", sa.String(length=24), nullable=False),
        sa.Column("chamber", sa.String(length=6), nullable=False),
        sa.Column("congress", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=40), nullable=True),
        sa.Column("question", sa.String(length=2000), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("requires", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("threshold", sa.String(length=24), nullable=False),
        *_counts(),
        sa.Column("vice_president", sa.String(length=10), nullable=True),
        sa.Column("base", sa.Integer(), nullable=True),
        sa.Column("needed", sa.Integer(), nullable=True),
        sa.Column("margin", sa.Integer(), nullable=True),
        sa.Column("switches_needed", sa.Integer(), nullable=True),
        sa.Column("switches_to_defeat", sa.Integer(), nullable=True),
        sa.Column("quorum_present", sa.Integer(), nullable=True),
        sa.Column("carried", sa.Integer(), nullable=True),
        sa.Column("official_result", sa.String(length=200), nullable=False),
        sa.Column("official_outcome", sa.String(length=10), nullable=True),
        sa.Column("agrees_with_official", sa.Integer(), nullable=True),
        sa.Column("documented_exception", sa.Integer(), nullable=True),
        sa.Column("exception_reason", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("roll_call_id", name=op.f("pk_threshold_math")),
    )
    with op.batch_alter_table("threshold_math", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_threshold_math_date"), ["date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_threshold_math_congress_chamber"), ["congress", "chamber"], unique=False
        )
        for column in FACETS["threshold_math"]:
            batch_op.create_index(batch_op.f(f"ix_threshold_math_{column}"), [column], unique=False)
    op.create_table(
        "party_breakdown",
        sa.Column("roll_call_id", sa.String(length=24), nullable=False),
        sa.Column("chamber", sa.String(length=6), nullable=False),
        sa.Column("congress", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("party", sa.String(length=8), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
        *[sa.Column(f"official_{name}", sa.Integer(), nullable=True) for name in COUNTS],
        sa.Column("matches_official", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("roll_call_id", "party", name=op.f("pk_party_breakdown")),
    )
    with op.batch_alter_table("party_breakdown", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_party_breakdown_party"), ["party"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_party_breakdown_congress_party"), ["congress", "party"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("party_breakdown", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_party_breakdown_congress_party"))
        batch_op.drop_index(batch_op.f("ix_party_breakdown_party"))
    op.drop_table("party_breakdown")
    with op.batch_alter_table("threshold_math", schema=None) as batch_op:
        for column in reversed(FACETS["threshold_math"]):
            batch_op.drop_index(batch_op.f(f"ix_threshold_math_{column}"))
        batch_op.drop_index(batch_op.f("ix_threshold_math_congress_chamber"))
        batch_op.drop_index(batch_op.f("ix_threshold_math_date"))
    op.drop_table("threshold_math")
    with op.batch_alter_table("override_math", schema=None) as batch_op:
        for column in reversed(FACETS["override_math"]):
            batch_op.drop_index(batch_op.f(f"ix_override_math_{column}"))
        batch_op.drop_index(batch_op.f("ix_override_math_measure_id"))
        batch_op.drop_index(batch_op.f("ix_override_math_override_vote_measure_id"))
        batch_op.drop_index(batch_op.f("ix_override_math_congress_chamber"))
        batch_op.drop_index(batch_op.f("ix_override_math_date"))
    op.drop_table("override_math")
