"""indexes, stored tallies and digests for the full archive

Indexes chosen from the pages' queries: positions are clustered by member (primary key voter_id,
roll_call_key), so a member's record of 30 years is one sweep of the table, and a roll call's
few hundred positions come through an index; roll_calls by date, and by chamber and date,
serve the pages sorted by date. party_tallies: each party's counts on each roll call, counted
from the member roll at load time, so no page counts millions of positions per request (filled
here for roll calls a database already holds). roll_call_digests: a fingerprint of each roll
call's record, so a re-import skips unchanged votes (one without is rewritten, once).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 06:11:55.581502
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of votes.rows.PARTY_TALLIES: the Vice President in no party.
BACKFILL_TALLIES = """
INSERT INTO party_tallies (roll_call_id, party, yea, nay, present, not_voting)
SELECT
    roll_calls.id,
    voters.party,
    SUM(CASE WHEN vote_options.option = 'yea' THEN 1 ELSE 0 END),
    SUM(CASE WHEN vote_options.option = 'nay' THEN 1 ELSE 0 END),
    SUM(CASE WHEN vote_options.option = 'present' THEN 1 ELSE 0 END),
    SUM(CASE WHEN vote_options.option = 'not_voting' THEN 1 ELSE 0 END)
FROM positions
JOIN roll_calls ON roll_calls.key = positions.roll_call_key
JOIN voters ON voters.id = positions.voter_id
JOIN vote_options ON vote_options.id = positions.vote_option_id
WHERE voters.member_id <> 'VP'
GROUP BY roll_calls.id, voters.party
"""


def upgrade() -> None:
    op.create_table(
        "party_tallies",
        sa.Column("roll_call_id", sa.String(length=24), nullable=False),
        sa.Column("party", sa.String(length=8), nullable=False),
        sa.Column("yea", sa.Integer(), nullable=False),
        sa.Column("nay", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("not_voting", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["roll_call_id"],
            ["roll_calls.id"],
            name=op.f("fk_party_tallies_roll_call_id_roll_calls"),
        ),
        sa.PrimaryKeyConstraint("roll_call_id", "party", name=op.f("pk_party_tallies")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "roll_call_digests",
        sa.Column("roll_call_id", sa.String(length=24), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["roll_call_id"],
            ["roll_calls.id"],
            name=op.f("fk_roll_call_digests_roll_call_id_roll_calls"),
        ),
        sa.PrimaryKeyConstraint("roll_call_id", name=op.f("pk_roll_call_digests")),
        sqlite_with_rowid=False,
    )
    # Cluster positions by member: the primary key becomes (voter_id, roll_call_key), and a
    # roll call's positions are found through an index (the old by-member index goes).
    with op.batch_alter_table(
        "positions", recreate="auto", table_kwargs={"sqlite_with_rowid": False}
    ) as batch_op:
        batch_op.drop_index(batch_op.f("ix_positions_voter_id_roll_call_key"))
        batch_op.drop_constraint("pk_positions", type_="primary")
        batch_op.create_primary_key("pk_positions", ["voter_id", "roll_call_key"])
        batch_op.create_index(
            batch_op.f("ix_positions_roll_call_key_voter_id"),
            ["roll_call_key", "voter_id"],
            unique=False,
        )

    with op.batch_alter_table("roll_calls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_roll_calls_chamber_date"), ["chamber", "date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_roll_calls_date"), ["date"], unique=False)

    op.execute(BACKFILL_TALLIES)


def downgrade() -> None:
    with op.batch_alter_table("roll_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roll_calls_date"))
        batch_op.drop_index(batch_op.f("ix_roll_calls_chamber_date"))

    with op.batch_alter_table(
        "positions", recreate="auto", table_kwargs={"sqlite_with_rowid": False}
    ) as batch_op:
        batch_op.drop_index(batch_op.f("ix_positions_roll_call_key_voter_id"))
        batch_op.drop_constraint("pk_positions", type_="primary")
        batch_op.create_primary_key("pk_positions", ["roll_call_key", "voter_id"])
        batch_op.create_index(
            batch_op.f("ix_positions_voter_id_roll_call_key"),
            ["voter_id", "roll_call_key"],
            unique=False,
        )

    op.drop_table("roll_call_digests")
    op.drop_table("party_tallies")
