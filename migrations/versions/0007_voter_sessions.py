"""voter sessions: a roll call's positions found without an index of positions by roll call

The covering index of positions by roll call (migration 0005) held a second copy of every
position: 121 MB of a 324 MB database, 11 of its 30 bytes a position. It is dropped. A roll
call's positions are found instead through voter_sessions, one row for each voter listed on the
roll calls of a congress in a chamber (9,881 rows for 1989-2024): the roll call's congress and
chamber give its few hundred possible voters, and each one's position is a look-up by the
positions' primary key (voter_id, roll_call_key). Each row also holds the voter's record there
(votes eligible, missed, party and unity votes), which member_stats sums: the writer counts it
as it writes the positions (votes.database.sessions), where the end of a build spent ten
seconds counting 10.6 million positions again in SQL. Here the table is filled from the
positions a database holds, by the same rules.

On SQLite the positions are rebuilt with each member's newest roll call first (below), and an
index of roll_calls by key, covering what a member's positions need of their roll calls, spares
a member's page a roll_calls row a vote.

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

COUNTS = (
    "votes_eligible",
    "yea",
    "nay",
    "present",
    "missed_votes",
    "party_votes",
    "votes_with_party",
    "unity_votes",
    "unity_with_party",
)
# The rows the writer keeps (votes.database.sessions, where the rules are), from the positions a
# database holds: each voter's record in each congress and chamber.
FILL = """
WITH facts AS (
    SELECT
        roll_calls.key,
        roll_calls.congress,
        roll_calls.chamber,
        CASE WHEN roll_calls.status = 'counted' THEN 1 ELSE 0 END AS counted,
        (
            SELECT CASE WHEN yea > nay THEN 'yea' WHEN nay > yea THEN 'nay' END
            FROM party_tallies
            WHERE party_tallies.roll_call_id = roll_calls.id AND party_tallies.party = 'D'
        ) AS democratic_majority,
        (
            SELECT CASE WHEN yea > nay THEN 'yea' WHEN nay > yea THEN 'nay' END
            FROM party_tallies
            WHERE party_tallies.roll_call_id = roll_calls.id AND party_tallies.party = 'R'
        ) AS republican_majority
    FROM roll_calls
),
scored AS (
    SELECT
        facts.congress,
        facts.chamber,
        positions.voter_id,
        facts.counted,
        vote_options.option,
        CASE voters.party
            WHEN 'D' THEN facts.democratic_majority
            WHEN 'R' THEN facts.republican_majority
        END AS own,
        CASE
            WHEN voters.party IN ('D', 'R')
                AND facts.democratic_majority <> facts.republican_majority
                THEN 1
            ELSE 0
        END AS unity
    FROM positions
    JOIN facts ON facts.key = positions.roll_call_key
    JOIN voters ON voters.id = positions.voter_id
    JOIN vote_options ON vote_options.id = positions.vote_option_id
)
INSERT INTO voter_sessions (congress, chamber, voter_id, {counts})
SELECT
    congress,
    chamber,
    voter_id,
    SUM(counted),
    SUM(CASE WHEN counted = 1 AND option = 'yea' THEN 1 ELSE 0 END),
    SUM(CASE WHEN counted = 1 AND option = 'nay' THEN 1 ELSE 0 END),
    SUM(CASE WHEN counted = 1 AND option = 'present' THEN 1 ELSE 0 END),
    SUM(CASE WHEN counted = 1 AND option = 'not_voting' THEN 1 ELSE 0 END),
    SUM(CASE WHEN counted = 1 AND option IN ('yea', 'nay') AND own IS NOT NULL THEN 1 ELSE 0 END),
    SUM(CASE WHEN counted = 1 AND option = own THEN 1 ELSE 0 END),
    SUM(CASE WHEN counted = 1 AND option IN ('yea', 'nay') AND unity = 1 THEN 1 ELSE 0 END),
    SUM(CASE WHEN counted = 1 AND option = own AND unity = 1 THEN 1 ELSE 0 END)
FROM scored
GROUP BY congress, chamber, voter_id
""".format(counts=", ".join(COUNTS))


# On SQLite, positions are rebuilt with each member's newest first (roll-call keys rise with the
# date): a member's page lists their votes newest first, and SQLite keeps the 101 newest rows
# while reading the rest in key order, so in rising order every row was a new best and was built
# whole (41 ms for 19,583 rows), in falling order all but the first 101 are passed over (14 ms).
# SQLAlchemy cannot declare a descending primary key, nor PostgreSQL keep one (its index reads
# backwards as fast), so this is SQLite's own DDL.
# (One constraint a line, as SQLAlchemy writes them: tests compare the DDL with the models'.)
POSITIONS = (
    "CREATE TABLE {name} (\n"
    "roll_call_key INTEGER NOT NULL,\n"
    "voter_id INTEGER NOT NULL,\n"
    "vote_option_id INTEGER NOT NULL,\n"
    "CONSTRAINT pk_positions PRIMARY KEY (voter_id, roll_call_key {order}),\n"
    "CONSTRAINT fk_positions_roll_call_key_roll_calls "
    'FOREIGN KEY(roll_call_key) REFERENCES roll_calls ("key"),\n'
    "CONSTRAINT fk_positions_voter_id_voters FOREIGN KEY(voter_id) REFERENCES voters (id),\n"
    "CONSTRAINT fk_positions_vote_option_id_vote_options "
    "FOREIGN KEY(vote_option_id) REFERENCES vote_options (id)\n"
    ")\n WITHOUT ROWID"
)


def _positions_in_key_order(order: str) -> None:
    """SQLite: positions rebuilt with their primary key in `order` (ASC or DESC) of key."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(POSITIONS.format(name="positions_rebuilt", order=order).replace(" ASC)", ")"))
    op.execute(
        "INSERT INTO positions_rebuilt (roll_call_key, voter_id, vote_option_id) "
        f"SELECT roll_call_key, voter_id, vote_option_id FROM positions "
        f"ORDER BY voter_id, roll_call_key {order}"
    )
    op.execute("DROP TABLE positions")
    op.execute("ALTER TABLE positions_rebuilt RENAME TO positions")


def upgrade() -> None:
    op.create_table(
        "voter_sessions",
        sa.Column("congress", sa.Integer(), nullable=False),
        sa.Column("chamber", sa.String(length=6), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
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
    with op.batch_alter_table("roll_calls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_roll_calls_key_congress_chamber_date_measure_id_id"),
            ["key", "congress", "chamber", "date", "measure_id", "id"],
            unique=False,
        )
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_positions_roll_call_key_voter_id_vote_option_id"))
    _positions_in_key_order("DESC")


def downgrade() -> None:
    _positions_in_key_order("ASC")
    with op.batch_alter_table("roll_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roll_calls_key_congress_chamber_date_measure_id_id"))
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_positions_roll_call_key_voter_id_vote_option_id"),
            ["roll_call_key", "voter_id", "vote_option_id"],
            unique=False,
        )
    op.drop_table("voter_sessions")
