"""voter sessions: a roll call's positions found without an index of positions by roll call

The covering index of positions by roll call (migration 0005) held a second copy of every
position: 121 MB of a 324 MB database, 11 of its 30 bytes a position. It is dropped. A roll
call's positions are found instead through voter_sessions, one row for each voter listed on the
roll calls of a congress in a chamber (9,881 rows for 1989-2024): the roll call's congress and
chamber give its few hundred possible voters, and each one's position is a look-up by the
positions' primary key (voter_id, roll_call_key). Each row also holds the span of roll-call keys
its positions lie in, so that a member's statistics read each congress's positions in one sweep
of the primary key, with no sort (votes/database/sql/load/member_stats.sql). The writer keeps
the table with the positions; here it is filled from the positions a database holds.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 02:34:34.841406
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILL = """
INSERT INTO voter_sessions (congress, chamber, voter_id, first_key, last_key)
SELECT roll_calls.congress, roll_calls.chamber, positions.voter_id,
    MIN(positions.roll_call_key), MAX(positions.roll_call_key)
FROM positions
JOIN roll_calls ON roll_calls.key = positions.roll_call_key
GROUP BY roll_calls.congress, roll_calls.chamber, positions.voter_id
"""


def upgrade() -> None:
    op.create_table(
        "voter_sessions",
        sa.Column("congress", sa.Integer(), nullable=False),
        sa.Column("chamber", sa.String(length=6), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("first_key", sa.Integer(), nullable=False),
        sa.Column("last_key", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "chamber IN ('house', 'senate')", name=op.f("ck_voter_sessions_chamber")
        ),
        sa.ForeignKeyConstraint(
            ["voter_id"], ["voters.id"], name=op.f("fk_voter_sessions_voter_id_voters")
        ),
        sa.PrimaryKeyConstraint("congress", "chamber", "voter_id", name=op.f("pk_voter_sessions")),
        sqlite_with_rowid=False,
    )
    op.execute(FILL)
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_positions_roll_call_key_voter_id_vote_option_id"))


def downgrade() -> None:
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_positions_roll_call_key_voter_id_vote_option_id"),
            ["roll_call_key", "voter_id", "vote_option_id"],
            unique=False,
        )
    op.drop_table("voter_sessions")
