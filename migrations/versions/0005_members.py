"""members: indexes for a member's record and a congress's votes

A member by name (members.name), the voters of a state (voters.state),
a congress's roll calls (roll_calls.congress), and a roll call's positions with their options
from the index alone (positions: roll_call_key, voter_id, vote_option_id, which replaces the
index on roll_call_key, voter_id), so that member_votes filtered by name, state, party or
congress starts from what it filters on, and an analyst's count of a congress's 600,000
positions reads no table row.

Written on main at 0003 while 0004 (vetoes, bill fields) was on another branch: relink
down_revision to "0004" when both are merged.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-29 22:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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
