"""pathways: people, consent, pathways, screening, referrals

Revision ID: pathways_0001
Revises: 
Create Date: 2026-11-22 13:29:54.555538
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'pathways_0001'
down_revision = None
branch_labels = ('pathways',)
depends_on = ['core', 'incident']


def upgrade() -> None:
    op.create_table('instrument_item_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.String(length=10), nullable=False),
    sa.Column('item', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_item_text')),
    sa.UniqueConstraint('instrument', 'item', name=op.f('uq_instrument_item_text_instrument_item'))
    )
    op.create_table('pathway',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('screening_months', sa.String(length=60), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pathway')),
    sa.UniqueConstraint('code', name=op.f('uq_pathway_code'))
    )
    op.create_table('pathway_stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pathway_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('intervention', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], name=op.f('fk_pathway_stage_pathway_id_pathway')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pathway_stage')),
    sa.UniqueConstraint('pathway_id', 'code', name=op.f('uq_pathway_stage_pathway_id_code'))
    )
    op.create_table('pathway_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pathway_id', sa.Integer(), nullable=False),
    sa.Column('from_stage_id', sa.Integer(), nullable=False),
    sa.Column('to_stage_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['from_stage_id'], ['pathway_stage.id'], name=op.f('fk_pathway_move_from_stage_id_pathway_stage')),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], name=op.f('fk_pathway_move_pathway_id_pathway')),
    sa.ForeignKeyConstraint(['to_stage_id'], ['pathway_stage.id'], name=op.f('fk_pathway_move_to_stage_id_pathway_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pathway_move')),
    sa.UniqueConstraint('from_stage_id', 'to_stage_id', name=op.f('uq_pathway_move_from_stage_id_to_stage_id'))
    )
    with op.batch_alter_table('pathway_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathway_move_pathway_id'), ['pathway_id'], unique=False)

    op.create_table('incident_service_area',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('force_area', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_service_area_incident_id_incident')),
    sa.PrimaryKeyConstraint('incident_id', name=op.f('pk_incident_service_area'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('given_name', sa.String(length=80), nullable=False),
    sa.Column('family_name', sa.String(length=80), nullable=False),
    sa.Column('given_key', sa.String(length=80), nullable=False),
    sa.Column('family_key', sa.String(length=80), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('nation', sa.String(length=20), nullable=False),
    sa.Column('force_area', sa.String(length=60), nullable=False),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('language', sa.String(length=60), nullable=False),
    sa.Column('interpreter_needed', sa.Boolean(), nullable=False),
    sa.Column('easy_read', sa.Boolean(), nullable=False),
    sa.Column('accessibility_needs', core.crypto.EncryptedText(), nullable=False),
    sa.Column('victim_of_terrorism', sa.Boolean(), nullable=False),
    sa.Column('sexual_or_domestic_abuse', sa.Boolean(), nullable=False),
    sa.Column('enhanced_rights', sa.Boolean(), nullable=False),
    sa.Column('key_worker_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('discharge_outcome', sa.String(length=40), nullable=False),
    sa.Column('discharged_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('registered_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('referral_due_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_referred_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_person_incident_id_incident')),
    sa.ForeignKeyConstraint(['key_worker_id'], ['app_user.id'], name=op.f('fk_person_key_worker_id_app_user')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['person.id'], name=op.f('fk_person_merged_into_id_person')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['app_user.id'], name=op.f('fk_person_registered_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_incident_dob', ['incident_id', 'date_of_birth'], unique=False)
        batch_op.create_index('ix_person_incident_family', ['incident_id', 'family_key', 'given_key'], unique=False)
        batch_op.create_index('ix_person_incident_mobile', ['incident_id', 'mobile'], unique=False)
        batch_op.create_index('ix_person_incident_referral_due', ['incident_id', 'first_referred_at', 'referral_due_at'], unique=False)
        batch_op.create_index('ix_person_incident_worker', ['incident_id', 'key_worker_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_merged_into_id'), ['merged_into_id'], unique=False)

    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('summary', core.crypto.EncryptedText(), nullable=False),
    sa.Column('received_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('answer', core.crypto.EncryptedText(), nullable=False),
    sa.Column('answered_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['app_user.id'], name=op.f('fk_complaint_answered_by_id_app_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_complaint_incident_id_incident')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_complaint_person_id_person')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id'], name=op.f('fk_complaint_recorded_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_person_id'), ['person_id'], unique=False)

    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('given', sa.Boolean(), nullable=False),
    sa.Column('explicit', sa.Boolean(), nullable=False),
    sa.Column('lawful_basis', sa.String(length=40), nullable=False),
    sa.Column('recorded_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_consent_agency_id_agency')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_consent_person_id_person')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id'], name=op.f('fk_consent_recorded_by_id_app_user')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['app_user.id'], name=op.f('fk_consent_withdrawn_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index('ix_consent_person_purpose', ['person_id', 'purpose', 'id'], unique=False)

    op.create_table('duplicate_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('same_person', sa.Boolean(), nullable=False),
    sa.Column('decided_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_duplicate_decision_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['other_id'], ['person.id'], name=op.f('fk_duplicate_decision_other_id_person')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_duplicate_decision_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_decision')),
    sa.UniqueConstraint('person_id', 'other_id', name=op.f('uq_duplicate_decision_person_id_other_id'))
    )
    op.create_table('enhanced_rights_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('entitled', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('assessed_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['app_user.id'], name=op.f('fk_enhanced_rights_assessment_assessed_by_id_app_user')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_enhanced_rights_assessment_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enhanced_rights_assessment'))
    )
    with op.batch_alter_table('enhanced_rights_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enhanced_rights_assessment_person_id'), ['person_id'], unique=False)

    op.create_table('enrolment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('pathway_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('started_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], name=op.f('fk_enrolment_pathway_id_pathway')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_enrolment_person_id_person')),
    sa.ForeignKeyConstraint(['stage_id'], ['pathway_stage.id'], name=op.f('fk_enrolment_stage_id_pathway_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_person_id'), ['person_id'], unique=False)

    op.create_table('family_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('relative_id', sa.Integer(), nullable=False),
    sa.Column('relationship', sa.String(length=40), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_family_link_person_id_person')),
    sa.ForeignKeyConstraint(['relative_id'], ['person.id'], name=op.f('fk_family_link_relative_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_link')),
    sa.UniqueConstraint('person_id', 'relative_id', name=op.f('uq_family_link_person_id_relative_id'))
    )
    with op.batch_alter_table('family_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_link_relative_id'), ['relative_id'], unique=False)

    op.create_table('needs_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('needs', core.crypto.EncryptedText(), nullable=False),
    sa.Column('risk_level', sa.String(length=10), nullable=False),
    sa.Column('notes', core.crypto.EncryptedText(), nullable=False),
    sa.Column('assessed_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['app_user.id'], name=op.f('fk_needs_assessment_assessed_by_id_app_user')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_needs_assessment_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs_assessment'))
    )
    with op.batch_alter_table('needs_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needs_assessment_person_id'), ['person_id'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('due_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('status_changed_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('out_of_area', sa.Boolean(), nullable=False),
    sa.Column('area_note', sa.String(length=200), nullable=False),
    sa.Column('notes', core.crypto.EncryptedText(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_referral_agency_id_agency')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_referral_incident_id_incident')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_referral_person_id_person')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['app_user.id'], name=op.f('fk_referral_sent_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index('ix_referral_person', ['person_id', 'status'], unique=False)

    op.create_table('screening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.String(length=10), nullable=False),
    sa.Column('answers', core.crypto.EncryptedText(), nullable=False),
    sa.Column('result', core.crypto.EncryptedText(), nullable=False),
    sa.Column('notes', core.crypto.EncryptedText(), nullable=False),
    sa.Column('positive', sa.Boolean(), nullable=False),
    sa.Column('taken_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('review_status', sa.String(length=12), nullable=False),
    sa.Column('decision', sa.String(length=40), nullable=False),
    sa.Column('decision_note', core.crypto.EncryptedText(), nullable=False),
    sa.Column('decided_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_screening_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_screening_incident_id_incident')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_screening_person_id_person')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['app_user.id'], name=op.f('fk_screening_taken_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening'))
    )
    with op.batch_alter_table('screening', schema=None) as batch_op:
        batch_op.create_index('ix_screening_incident_review', ['incident_id', 'review_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_person_id'), ['person_id'], unique=False)

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('due_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('opened_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminder_sent_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('screening_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_follow_up_incident_id_incident')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_follow_up_person_id_person')),
    sa.ForeignKeyConstraint(['screening_id'], ['screening.id'], name=op.f('fk_follow_up_screening_id_screening')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up'))
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_incident_status_due', ['incident_id', 'status', 'due_at'], unique=False)
        batch_op.create_index('ix_follow_up_person', ['person_id', 'status'], unique=False)
        batch_op.create_index('ix_follow_up_status_due', ['status', 'due_at'], unique=False)

    op.create_table('safety_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('screening_id', sa.Integer(), nullable=True),
    sa.Column('text', core.crypto.EncryptedText(), nullable=False),
    sa.Column('raised_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('action_taken', core.crypto.EncryptedText(), nullable=False),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['app_user.id'], name=op.f('fk_safety_alert_acknowledged_by_id_app_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_safety_alert_incident_id_incident')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_safety_alert_person_id_person')),
    sa.ForeignKeyConstraint(['screening_id'], ['screening.id'], name=op.f('fk_safety_alert_screening_id_screening')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_alert'))
    )
    with op.batch_alter_table('safety_alert', schema=None) as batch_op:
        batch_op.create_index('ix_safety_alert_incident_open', ['incident_id', 'acknowledged_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_alert_person_id'), ['person_id'], unique=False)

    op.create_table('stage_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('from_stage_id', sa.Integer(), nullable=True),
    sa.Column('to_stage_id', sa.Integer(), nullable=False),
    sa.Column('at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['app_user.id'], name=op.f('fk_stage_event_by_id_app_user')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_stage_event_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['from_stage_id'], ['pathway_stage.id'], name=op.f('fk_stage_event_from_stage_id_pathway_stage')),
    sa.ForeignKeyConstraint(['to_stage_id'], ['pathway_stage.id'], name=op.f('fk_stage_event_to_stage_id_pathway_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_event'))
    )
    with op.batch_alter_table('stage_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_event_enrolment_id'), ['enrolment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stage_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_event_enrolment_id'))

    op.drop_table('stage_event')
    with op.batch_alter_table('safety_alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_alert_person_id'))
        batch_op.drop_index('ix_safety_alert_incident_open')

    op.drop_table('safety_alert')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_up_status_due')
        batch_op.drop_index('ix_follow_up_person')
        batch_op.drop_index('ix_follow_up_incident_status_due')

    op.drop_table('follow_up')
    with op.batch_alter_table('screening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_person_id'))
        batch_op.drop_index('ix_screening_incident_review')

    op.drop_table('screening')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_person')
        batch_op.drop_index(batch_op.f('ix_referral_incident_id'))

    op.drop_table('referral')
    with op.batch_alter_table('needs_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_needs_assessment_person_id'))

    op.drop_table('needs_assessment')
    with op.batch_alter_table('family_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_link_relative_id'))

    op.drop_table('family_link')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_person_id'))

    op.drop_table('enrolment')
    with op.batch_alter_table('enhanced_rights_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enhanced_rights_assessment_person_id'))

    op.drop_table('enhanced_rights_assessment')
    op.drop_table('duplicate_decision')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index('ix_consent_person_purpose')

    op.drop_table('consent')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_person_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_incident_id'))

    op.drop_table('complaint')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_merged_into_id'))
        batch_op.drop_index('ix_person_incident_worker')
        batch_op.drop_index('ix_person_incident_referral_due')
        batch_op.drop_index('ix_person_incident_mobile')
        batch_op.drop_index('ix_person_incident_family')
        batch_op.drop_index('ix_person_incident_dob')

    op.drop_table('person')
    op.drop_table('incident_service_area')
    with op.batch_alter_table('pathway_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pathway_move_pathway_id'))

    op.drop_table('pathway_move')
    op.drop_table('pathway_stage')
    op.drop_table('pathway')
    op.drop_table('instrument_item_text')
