from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import standup.models  # noqa: F401
from core.db import Base, make_engine
from core.migrate import downgrade_all, upgrade


def _fresh_engine(db, tmp_path):
    if db.kind == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    engine = db.engine
    downgrade_all(engine)  # the fixture's database is migrated; start this test from empty
    return engine


def test_migrations_go_up_from_empty_and_back_down(db, tmp_path):
    engine = _fresh_engine(db, tmp_path)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"app_user", "audit_event", "agency", "incident", "worker_heartbeat"} <= tables
    assert tables - {"alembic_version"} == set(Base.metadata.tables)
    downgrade_all(engine)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)  # and up again, as the rest of the suite expects


def test_the_models_and_the_migrations_agree(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_messages_sent_before_channels_move_to_the_sms_channel_and_back(db, tmp_path):
    """notifications_0004 moves every SMS table's rows to the channel tables; a downgrade brings the
    SMS rows back. Ids, statuses and opt-outs survive both ways."""
    from alembic import command
    from sqlalchemy import text

    from core.migrate import alembic_config

    engine = _fresh_engine(db, tmp_path)
    config = alembic_config(engine)
    command.upgrade(config, "heads")
    command.downgrade(config, "notifications_0003")
    at = "2026-11-30 10:00:00+00:00"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO sms_outbound (id, to_mobile, body, segments, purpose, status, due_at, attempts, error_text, "
            "created_at, status_at, provider_sid) VALUES (7, '+447400111222', 'Call-out K7QX', 1, 'callout', "
            "'delivered', :at, 1, '', :at, :at, 'SM0001')"), {"at": at})
        conn.execute(text("INSERT INTO sms_status_event (id, message_id, status, at, source, note) "
                          "VALUES (3, 7, 'delivered', :at, 'callback', '')"), {"at": at})
        conn.execute(text(
            "INSERT INTO sms_inbound (id, provider_sid, from_mobile, to_number, body, received_at, sender_kind, intent, "
            "outcome, reply_text, needs_attention) VALUES (5, 'SMin01', '+447400111222', '', 'YES K7QX', :at, "
            "'staff', 'yes', '', '', false)"), {"at": at})
        conn.execute(text("INSERT INTO sms_opt_out (mobile, opted_out, changed_at, via_message_sid) "
                          "VALUES ('+447400333444', true, :at, 'SMstop')"), {"at": at})
    command.upgrade(config, "heads")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT id, channel, destination, status FROM outbound_message")).all() == [
            (7, "sms", "+447400111222", "delivered")]
        assert conn.execute(text("SELECT id, message_id FROM outbound_status_event")).all() == [(3, 7)]
        assert conn.execute(text("SELECT id, channel, sender FROM inbound_message")).all() == [(5, "sms", "+447400111222")]
        assert conn.execute(text("SELECT channel, address FROM opt_out")).all() == [("sms", "+447400333444")]
        # New rows get new ids after the copied ones (PostgreSQL's sequences were moved on).
        conn.execute(text(
            "INSERT INTO outbound_message (channel, destination, body, segments, purpose, status, due_at, attempts, "
            "error_text, created_at, status_at) VALUES ('email', 'a@example.org', 'Hello', 1, 'notice', 'pending', "
            ":at, 0, '', :at, :at)"), {"at": at})
        assert conn.execute(text("SELECT max(id) FROM outbound_message")).scalar() == 8
    command.downgrade(config, "notifications_0003")
    with engine.begin() as conn:  # the SMS row comes back; the email has no place in the old tables
        assert conn.execute(text("SELECT id, to_mobile FROM sms_outbound")).all() == [(7, "+447400111222")]
        assert conn.execute(text("SELECT mobile FROM sms_opt_out")).all() == [("+447400333444",)]
    command.upgrade(config, "heads")  # as the rest of the suite expects


def test_staff_already_on_rosters_are_texted_then_phoned_and_going_back_keeps_their_availability(db, tmp_path):
    """rosters_0002 gives everyone on a roster the preference they had in effect (SMS, then a call
    when a call-out allows calls); its downgrade drops the column in place: copying staff_member, as
    SQLite's batch mode does, would delete every availability window with the old copy."""
    from alembic import command
    from sqlalchemy import text

    from core.migrate import alembic_config

    engine = _fresh_engine(db, tmp_path)
    config = alembic_config(engine)
    command.upgrade(config, "heads")
    command.downgrade(config, "rosters_0001")
    at = "2026-11-30 10:00:00+00:00"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO agency (id, name, kind, contact_name, contact_email, contact_phone, "
                          "coordinator_mobile, active, created_at) VALUES (1, 'Victim Support', 'victim_support', "
                          "'', '', '', '', true, :at)"), {"at": at})
        conn.execute(text(
            "INSERT INTO staff_member (id, agency_id, staff_ref, first_name, last_name, mobile, role, skills, languages, "
            "active, sms_opted_out, created_at, updated_at) VALUES (4, 1, 'VS1', 'Amira', 'Haddad', '+447400123456', "
            "'support worker', '[]', '[]', true, false, :at, :at)"), {"at": at})
        conn.execute(text("INSERT INTO staff_availability (staff_id, starts_at, ends_at, available, note, recorded_at, "
                          "recorded_by) VALUES (4, :at, '2026-12-01 10:00:00+00:00', false, 'leave', :at, 'hub')"),
                     {"at": at})
    command.upgrade(config, "heads")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT id, contact_by FROM staff_member")).all() == [(4, "sms_then_call")]
        conn.execute(text("UPDATE staff_member SET contact_by = 'sms_only'"))
    command.downgrade(config, "rosters_0001")
    with engine.begin() as conn:
        assert "contact_by" not in {c["name"] for c in inspect(conn).get_columns("staff_member")}
        assert conn.execute(text("SELECT id, last_name FROM staff_member")).all() == [(4, "Haddad")]
        assert conn.execute(text("SELECT staff_id, note FROM staff_availability")).all() == [(4, "leave")]
    command.upgrade(config, "heads")  # as the rest of the suite expects


def test_the_new_roles_widen_app_users_check_and_going_back_keeps_every_row_pointing_at_the_accounts(db, tmp_path):
    """core_0009 lets app_user hold scrutiny and advocate. On SQLite a CHECK changes only by making the
    table again; the decision log, the incident and the team point at the accounts (the log is
    append-only), so a rewrite that dropped or cascaded them would lose evidence. Its downgrade
    refuses while an account holds a role the older schema does not know, naming it."""
    import pytest
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from core.migrate import alembic_config

    engine = _fresh_engine(db, tmp_path)
    config = alembic_config(engine)
    command.upgrade(config, "heads")
    command.downgrade(config, "core_0008")
    at = "2026-11-30 10:00:00+00:00"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO app_user (id, username, display_name, role, failed_logins, active, created_at, "
                          "must_change_password) VALUES (3, 'gold1', 'Ch Supt Khan', 'gold', 0, true, :at, false)"),
                     {"at": at})
        conn.execute(text("INSERT INTO incident (id, name, is_exercise, status, summary, opened_on, created_at, "
                          "created_by_id) VALUES (5, 'Arena', false, 'declared', '', '2026-11-30', :at, 3)"), {"at": at})
        conn.execute(text(
            "INSERT INTO decision_log_entry (id, incident_id, sequence, decided_at, recorded_at, decision_maker, "
            "recorded_by_id, recorded_by_name, decision, rationale, options_considered, late_reason, "
            "correction_reason, prev_hash, hash) VALUES (8, 5, 1, :at, :at, 'Ch Supt Khan', 3, 'Ch Supt Khan', "
            "'Open the hub', 'witnesses', '', '', '', :zero, :one)"), {"at": at, "zero": "0" * 64, "one": "1" * 64})
        conn.execute(text("INSERT INTO incident_team_member (incident_id, user_id, assigned_at, assigned_by_id, "
                          "assigned_by_name, removed_by_name, removal_reason) VALUES (5, 3, :at, 3, 'Khan', '', '')"),
                     {"at": at})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE app_user SET role = 'scrutiny' WHERE id = 3"))
    command.upgrade(config, "heads")

    def pointing_at_the_account(conn) -> list:
        return [conn.execute(text("SELECT created_by_id FROM incident")).scalar(),
                conn.execute(text("SELECT recorded_by_id FROM decision_log_entry")).scalar(),
                conn.execute(text("SELECT user_id FROM incident_team_member")).scalar()]

    with engine.begin() as conn:
        assert conn.execute(text("SELECT id, username, role FROM app_user")).all() == [(3, "gold1", "gold")]
        assert pointing_at_the_account(conn) == [3, 3, 3]
        conn.execute(text("INSERT INTO app_user (id, username, display_name, role, failed_logins, active, created_at, "
                          "must_change_password) VALUES (4, 'pcc1', 'PCC office', 'scrutiny', 0, true, :at, false), "
                          "(6, 'ipa1', 'Advocate', 'advocate', 0, true, :at, false)"), {"at": at})
    with pytest.raises(IntegrityError), engine.begin() as conn:  # the references are still enforced
        conn.execute(text("UPDATE incident SET created_by_id = 99"))
    with pytest.raises(IntegrityError), engine.begin() as conn:  # and the check still refuses an unknown role
        conn.execute(text("UPDATE app_user SET role = 'superuser' WHERE id = 4"))
    with pytest.raises(RuntimeError, match=r"ipa1 \(advocate\), pcc1 \(scrutiny\)\. Give each another role"):
        command.downgrade(config, "core_0008")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM app_user")).scalar() == 3  # nothing was changed
        conn.execute(text("UPDATE app_user SET role = 'auditor' WHERE id IN (4, 6)"))
    command.downgrade(config, "core_0008")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT id, role FROM app_user ORDER BY id")).all() == [
            (3, "gold"), (4, "auditor"), (6, "auditor")]
        assert pointing_at_the_account(conn) == [3, 3, 3]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE app_user SET role = 'scrutiny' WHERE id = 4"))
    command.upgrade(config, "heads")  # as the rest of the suite expects
