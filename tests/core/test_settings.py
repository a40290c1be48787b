import re
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from core.settings import SettingsError, load_settings
from core.smtp_url import SmtpServer, parse_smtp_url


def test_defaults_are_the_embedded_ones(tmp_path):
    s = load_settings({"STANDUP_DATA_DIR": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path / 'standup.db'}"
    assert s.sms_backend == "console"
    assert s.sms_rate_per_second == 10.0
    assert s.min_rest_hours == 11.0


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SMS_RATE_PER_SECOND": "fast"}, "SMS_RATE_PER_SECOND"),
        ({"SMS_RATE_PER_SECOND": "0"}, "SMS_RATE_PER_SECOND"),
        ({"SMS_BACKEND": "pigeon"}, "SMS_BACKEND"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"PUBLIC_BASE_URL": "standup.example.org"}, "PUBLIC_BASE_URL"),
        ({"TWILIO_API_BASE_URL": "ftp://x"}, "TWILIO_API_BASE_URL"),
        ({"SMS_BACKEND": "twilio"}, "TWILIO_ACCOUNT_SID"),
        ({"SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC1"}, "TWILIO_AUTH_TOKEN"),
        ({"SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"},
         "TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER"),
        ({"STANDUP_REFERRAL_WORKING_DAYS": "1.5"}, "STANDUP_REFERRAL_WORKING_DAYS"),
        ({"STANDUP_CHECKPOINT_SYSLOG": "syslog.force.example"}, "STANDUP_CHECKPOINT_SYSLOG"),
        ({"STANDUP_CHECKPOINT_SYSLOG": "udp://syslog.force.example"}, "STANDUP_CHECKPOINT_SYSLOG"),
        ({"STANDUP_CHECKPOINT_SYSLOG": "http://syslog.force.example:514"}, "STANDUP_CHECKPOINT_SYSLOG"),
        ({"STANDUP_ADMIN_ALERTS": "dpo@force.police.uk, 0161 496 0000"}, "STANDUP_ADMIN_ALERTS"),
        ({"STANDUP_ADMIN_ALERTS": "dpo at force"}, "STANDUP_ADMIN_ALERTS"),
    ],
)
def test_a_wrong_value_names_its_variable(env, named):
    with pytest.raises(SettingsError) as refused:
        load_settings(env)
    assert str(refused.value).startswith(named)
    assert "\n" not in str(refused.value)


PASSWORD = "s3cret-Pa55"
SMTP = {"EMAIL_BACKEND": "smtp", "EMAIL_FROM": "support@force.police.uk"}


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"EMAIL_BACKEND": "pigeon"}, "EMAIL_BACKEND"),
        ({"EMAIL_RATE_PER_SECOND": "fast"}, "EMAIL_RATE_PER_SECOND"),
        ({"EMAIL_RATE_PER_SECOND": "-1"}, "EMAIL_RATE_PER_SECOND"),
        ({**SMTP}, "SMTP_URL must be set"),
        ({**SMTP, "SMTP_URL": f"https://relay:{PASSWORD}@mail.example.org"}, "SMTP_URL must be smtp+starttls://"),
        ({**SMTP, "SMTP_URL": f"smtp+starttls://relay:{PASSWORD}@:587"}, "SMTP_URL must be"),
        ({**SMTP, "SMTP_URL": f"smtp+starttls://relay:{PASSWORD}@mail.example.org:submission"}, "SMTP_URL has a port"),
        ({**SMTP, "SMTP_URL": f"smtps://relay:{PASSWORD}@mail.example.org:99999"}, "SMTP_URL has a port"),
        ({**SMTP, "SMTP_URL": f"smtp://relay:{PASSWORD}@relay.internal:25"}, "SMTP_URL smtp:// is unencrypted"),
        ({**SMTP, "SMTP_URL": f"smtps://:{PASSWORD}@mail.example.org"}, "SMTP_URL has a password but no user"),
        ({**SMTP, "SMTP_URL": "smtps://relay@mail.example.org"}, "SMTP_URL has a user but no password"),
        ({**SMTP, "SMTP_URL": f"smtps://relay:{PASSWORD}@mail.example.org/inbox"}, "SMTP_URL has something after"),
        ({**SMTP, "SMTP_URL": f"smtps://relay:{PASSWORD}@mail.example.org", "EMAIL_FROM": ""}, "EMAIL_FROM"),
        ({**SMTP, "SMTP_URL": f"smtps://relay:{PASSWORD}@mail.example.org", "EMAIL_FROM": "support@localhost"},
         "EMAIL_FROM"),
        ({**SMTP, "SMTP_URL": f"smtps://relay:{PASSWORD}@mail.example.org", "EMAIL_FROM": "Support <support@x.org"},
         "EMAIL_FROM"),
    ],
)
def test_a_wrong_email_setting_names_its_variable_and_never_the_password(env, named):
    with pytest.raises(SettingsError) as refused:
        load_settings(env)
    message = str(refused.value)
    assert message.startswith(named) and "\n" not in message
    assert PASSWORD not in message and "relay:" not in message


def test_the_email_settings_and_the_relay_they_name():
    s = load_settings({**SMTP, "SMTP_URL": "smtp+starttls://relay%40force:p%3Ass%2Fw@mail.example.org",
                       "EMAIL_FROM": "Victim Support <support@force.police.uk>", "EMAIL_RATE_PER_SECOND": "2.5"})
    assert (s.email_backend, s.email_from, s.email_rate_per_second) == (
        "smtp", "Victim Support <support@force.police.uk>", 2.5)
    assert "p:ss/w" not in repr(s) and "p%3Ass" not in repr(s)  # the URL holds the password
    assert parse_smtp_url(s.smtp_url) == SmtpServer("starttls", "mail.example.org", 587, "relay@force", "p:ss/w")
    assert parse_smtp_url("smtps://u:p@mail.example.org") == SmtpServer("tls", "mail.example.org", 465, "u", "p")
    assert parse_smtp_url("smtp://relay.internal") == SmtpServer("plain", "relay.internal", 25)
    assert parse_smtp_url("smtp://relay.internal:2525").port == 2525


def test_the_console_email_backend_needs_no_relay():
    s = load_settings({})
    assert (s.email_backend, s.smtp_url, s.email_rate_per_second) == ("console", "", 10.0)


def test_plain_postgres_urls_use_psycopg_3():
    s = load_settings({"DATABASE_URL": "postgresql://u:p@db.internal:5432/standup"})
    assert s.database_url == "postgresql+psycopg://u:p@db.internal:5432/standup"
    assert not s.is_sqlite


def test_dotenv_is_read_and_the_environment_wins(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("SMS_RATE_PER_SECOND=4\nPUBLIC_BASE_URL=https://from-file.example.org\n")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://from-env.example.org")
    s = load_settings(dotenv_path=tmp_path / ".env")
    assert s.sms_rate_per_second == 4.0
    assert s.public_base_url == "https://from-env.example.org"


def test_secret_keys_rotate_newest_first():
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    s = load_settings({"STANDUP_SECRET_KEY": f"{new}, {old} ,"})
    assert s.secret_keys == (new, old)


def test_checkpoint_targets_and_alert_contacts_are_read_in_their_stored_forms():
    s = load_settings({"STANDUP_CHECKPOINT_SYSLOG": "tcp://syslog.force.example:601",
                       "STANDUP_ADMIN_ALERTS": " DPO@Force.Police.uk ,, 07400 123456 "})
    assert s.checkpoint_syslog == "tcp://syslog.force.example:601"
    assert s.admin_alerts == ("dpo@force.police.uk", "+447400123456")
    assert load_settings({"STANDUP_CHECKPOINT_SYSLOG": "/dev/log"}).checkpoint_syslog == "/dev/log"
    assert load_settings({}).admin_alerts == () and load_settings({}).checkpoint_syslog == ""


def test_the_readme_configuration_table_names_every_variable_the_code_reads():
    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text()
    table = readme[readme.index("## Configuration"):readme.index("## Running on PostgreSQL")]
    read = set(re.findall(r'"((?:STANDUP|TWILIO|SMS|EMAIL|SMTP|DATABASE|PUBLIC)_[A-Z_]+)"', (root / "core/settings.py").read_text()))
    for package in ("core", "standup", "incident", "rosters", "notifications", "pathways"):  # read directly
        for source in (root / package).rglob("*.py"):
            read |= set(re.findall(r'environ\.get\("([A-Z_]+)"', source.read_text()))
    assert {"STANDUP_SECRET_KEY", "STANDUP_OIDC_ROLE_MAP", "STANDUP_BENCH_DATABASE_URL"} <= read
    assert sorted(name for name in read if f"`{name}`" not in table) == []


def test_readme_names_every_retention_record_type():
    from standup.retention import RULES

    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text()
    table = readme[readme.index("| record type |"):readme.index("### Rotating the encryption key")]
    assert sorted(rule.record_type for rule in RULES if f"`{rule.record_type}`" not in table) == []
