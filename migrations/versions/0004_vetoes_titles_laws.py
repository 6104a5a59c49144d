"""the curated vetoes; where a measure's title comes from, its short title and its law number

veto_records (data/vetoes.csv: one row per veto, its kind, outcome, override roll calls by id,
every doubt, and whether the row is doubtful), veto_sources (each row's further sources) and
official_veto_counts (each President's vetoes as the Senate counts them). measures gains
title_source (vote, bill_json, bill_status or curated: a title is never shown as more than it
is), short_title and law_number (bill records: GPO Bill Status, unitedstates/congress bill
JSON). sources.date may be NULL: many pages the vetoes rest on state no date, and none is
invented for them.

The new measures columns are filled for rows a database already holds: a title whose source is
a roll call's file came from that vote; any other title came from data/ (curated).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:45:26.902882
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of votes.vocab's values as of this revision.
TITLE_SOURCES = "'vote', 'bill_json', 'bill_status', 'curated'"
VETO_KINDS = "'regular', 'pocket', 'disputed_pocket'"
VETO_OUTCOMES = (
    "'overridden', 'sustained_house', 'sustained_senate', 'no_override_attempt', "
    "'pocket_no_override'"
)
BACKFILL_TITLE_SOURCES = """
UPDATE measures
SET title_source = CASE
    WHEN title = '' THEN NULL
    WHEN source_id IN (SELECT roll_calls.source_id FROM roll_calls) THEN 'vote'
    ELSE 'curated'
END
"""
TEXT_COLUMNS = (("short_title", 2000), ("law_number", 40))


def upgrade() -> None:
    op.create_table(
        "official_veto_counts",
        sa.Column("president", sa.String(length=60), nullable=False),
        sa.Column("regular", sa.Integer(), nullable=True),
        sa.Column("pocket", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_official_veto_counts_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("president", name=op.f("pk_official_veto_counts")),
    )
    op.create_table(
        "veto_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("president", sa.String(length=60), nullable=False),
        sa.Column("vetoed_on", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("house_roll_call_id", sa.String(length=24), nullable=True),
        sa.Column("senate_roll_call_id", sa.String(length=24), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("doubtful", sa.Boolean(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(f"kind IN ({VETO_KINDS})", name=op.f("ck_veto_records_kind")),
        sa.CheckConstraint(f"outcome IN ({VETO_OUTCOMES})", name=op.f("ck_veto_records_outcome")),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measures.id"], name=op.f("fk_veto_records_measure_id_measures")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_veto_records_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_veto_records")),
        sa.UniqueConstraint("measure_id", name=op.f("uq_veto_records_measure_id")),
    )
    op.create_table(
        "veto_sources",
        sa.Column("veto_record_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_veto_sources_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["veto_record_id"],
            ["veto_records.id"],
            name=op.f("fk_veto_sources_veto_record_id_veto_records"),
        ),
        sa.PrimaryKeyConstraint("veto_record_id", "source_id", name=op.f("pk_veto_sources")),
    )
    # short_title and law_number are added with a default for the rows already there, which
    # is then dropped: the models give none (the writer writes every column).
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("short_title", sa.String(length=2000), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("title_source", sa.String(length=12), nullable=True))
        batch_op.add_column(
            sa.Column("law_number", sa.String(length=40), nullable=False, server_default="")
        )
    op.execute(BACKFILL_TITLE_SOURCES)
    with op.batch_alter_table("measures", schema=None) as batch_op:
        for name, length in TEXT_COLUMNS:
            batch_op.alter_column(name, existing_type=sa.String(length=length), server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_measures_title_source"), f"title_source IN ({TITLE_SOURCES})"
        )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.alter_column("date", existing_type=sa.DATE(), nullable=True)


def downgrade() -> None:
    op.drop_table("veto_sources")
    op.drop_table("veto_records")
    op.drop_table("official_veto_counts")
    # Sources without a date were the vetoes'; a date cannot be made up for them.
    op.execute("DELETE FROM sources WHERE date IS NULL")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.alter_column("date", existing_type=sa.DATE(), nullable=False)
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_measures_title_source"), type_="check")
        for name in ("law_number", "title_source", "short_title"):
            batch_op.drop_column(name)
