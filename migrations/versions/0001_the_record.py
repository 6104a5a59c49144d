"""the record: measures, roll calls, counts, members, positions, actions, sources

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 05:31:12.612174
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('members',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('bioguide_id', sa.String(length=7), nullable=True),
    sa.Column('lis_id', sa.String(length=5), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('bioguide_id', name=op.f('uq_members_bioguide_id')),
    sa.UniqueConstraint('lis_id', name=op.f('uq_members_lis_id'))
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('publisher', sa.String(length=200), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('url', name=op.f('uq_sources_url'))
    )
    op.create_table('vote_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('raw_option', sa.String(length=100), nullable=False),
    sa.Column('option', sa.String(length=10), nullable=False),
    sa.CheckConstraint("option IN ('yea', 'nay', 'present', 'not_voting', 'candidate')", name=op.f('ck_vote_options_option')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_options')),
    sa.UniqueConstraint('raw_option', name=op.f('uq_vote_options_raw_option'))
    )
    op.create_table('measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('congress', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=8), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=2000), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('originating_chamber', sa.String(length=6), nullable=False),
    sa.Column('presented', sa.Boolean(), nullable=False),
    sa.Column('constitutional_amendment', sa.Boolean(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('bill', 'joint_resolution', 'concurrent_resolution', 'simple_resolution')", name=op.f('ck_measures_kind')),
    sa.CheckConstraint("originating_chamber IN ('house', 'senate')", name=op.f('ck_measures_originating_chamber')),
    sa.CheckConstraint("type IN ('hr', 's', 'hjres', 'sjres', 'hconres', 'sconres', 'hres', 'sres')", name=op.f('ck_measures_type')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_measures_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measures')),
    sa.UniqueConstraint('congress', 'type', 'number', name=op.f('uq_measures_congress_type_number')),
    sa.UniqueConstraint('label', name=op.f('uq_measures_label'))
    )
    op.create_table('voters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.String(length=80), nullable=False),
    sa.Column('party', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('label', sa.String(length=240), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_voters_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voters')),
    sa.UniqueConstraint('member_id', 'party', 'state', name=op.f('uq_voters_member_id_party_state'))
    )
    op.create_table('presidential_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("action IN ('presented', 'signed', 'vetoed', 'pocket_vetoed')", name=op.f('ck_presidential_actions_action')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_presidential_actions_measure_id_measures')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_presidential_actions_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presidential_actions')),
    sa.UniqueConstraint('measure_id', 'action', 'date', name=op.f('uq_presidential_actions_measure_id_action_date'))
    )
    op.create_table('roll_calls',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('chamber', sa.String(length=6), nullable=False),
    sa.Column('congress', sa.Integer(), nullable=False),
    sa.Column('session', sa.String(length=4), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('voted_at', sa.String(length=25), nullable=False),
    sa.Column('question', sa.String(length=2000), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('requires', sa.String(length=8), nullable=False),
    sa.Column('result', sa.String(length=200), nullable=False),
    sa.Column('result_text', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("category IN ('passage', 'passage-suspension', 'amendment', 'cloture', 'nomination', 'treaty', 'recommit', 'quorum', 'leadership', 'conviction', 'impeachment', 'veto-override', 'procedural', 'unknown')", name=op.f('ck_roll_calls_category')),
    sa.CheckConstraint("chamber IN ('house', 'senate')", name=op.f('ck_roll_calls_chamber')),
    sa.CheckConstraint("requires IN ('1/2', '2/3', '3/5', 'QUORUM', 'unknown')", name=op.f('ck_roll_calls_requires')),
    sa.CheckConstraint("status IN ('counted', 'vacated')", name=op.f('ck_roll_calls_status')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_roll_calls_measure_id_measures')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_roll_calls_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roll_calls')),
    sa.UniqueConstraint('chamber', 'congress', 'session', 'number', name=op.f('uq_roll_calls_chamber_congress_session_number')),
    sa.UniqueConstraint('key', name=op.f('uq_roll_calls_key'))
    )
    with op.batch_alter_table('roll_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roll_calls_measure_id'), ['measure_id'], unique=False)

    op.create_table('carried_texts',
    sa.Column('roll_call_id', sa.String(length=24), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_carried_texts_measure_id_measures')),
    sa.ForeignKeyConstraint(['roll_call_id'], ['roll_calls.id'], name=op.f('fk_carried_texts_roll_call_id_roll_calls')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_carried_texts_source_id_sources')),
    sa.PrimaryKeyConstraint('roll_call_id', 'measure_id', name=op.f('pk_carried_texts'))
    )
    op.create_table('positions',
    sa.Column('roll_call_key', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('vote_option_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['roll_call_key'], ['roll_calls.key'], name=op.f('fk_positions_roll_call_key_roll_calls')),
    sa.ForeignKeyConstraint(['vote_option_id'], ['vote_options.id'], name=op.f('fk_positions_vote_option_id_vote_options')),
    sa.ForeignKeyConstraint(['voter_id'], ['voters.id'], name=op.f('fk_positions_voter_id_voters')),
    sa.PrimaryKeyConstraint('roll_call_key', 'voter_id', name=op.f('pk_positions')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positions_voter_id_roll_call_key'), ['voter_id', 'roll_call_key'], unique=False)

    op.create_table('vote_counts',
    sa.Column('roll_call_id', sa.String(length=24), nullable=False),
    sa.Column('party', sa.String(length=8), nullable=False),
    sa.Column('yea', sa.Integer(), nullable=False),
    sa.Column('nay', sa.Integer(), nullable=False),
    sa.Column('present', sa.Integer(), nullable=False),
    sa.Column('not_voting', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('nay >= 0', name=op.f('ck_vote_counts_nay_not_negative')),
    sa.CheckConstraint('not_voting >= 0', name=op.f('ck_vote_counts_not_voting_not_negative')),
    sa.CheckConstraint('present >= 0', name=op.f('ck_vote_counts_present_not_negative')),
    sa.CheckConstraint('yea >= 0', name=op.f('ck_vote_counts_yea_not_negative')),
    sa.ForeignKeyConstraint(['roll_call_id'], ['roll_calls.id'], name=op.f('fk_vote_counts_roll_call_id_roll_calls')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_vote_counts_source_id_sources')),
    sa.PrimaryKeyConstraint('roll_call_id', 'party', name=op.f('pk_vote_counts'))
    )


def downgrade() -> None:
    op.drop_table('vote_counts')
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positions_voter_id_roll_call_key'))

    op.drop_table('positions')
    op.drop_table('carried_texts')
    with op.batch_alter_table('roll_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roll_calls_measure_id'))

    op.drop_table('roll_calls')
    op.drop_table('presidential_actions')
    op.drop_table('voters')
    op.drop_table('measures')
    op.drop_table('vote_options')
    op.drop_table('sources')
    op.drop_table('members')
