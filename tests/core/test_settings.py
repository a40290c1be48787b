import re
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from core.settings import SettingsError, load_settings


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
    ],
)
def test_a_wrong_value_names_its_variable(env, named):
    with pytest.raises(SettingsError) as refused:
        load_settings(env)
    assert str(refused.value).startswith(named)
    assert "\n" not in str(refused.value)


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


def test_the_readme_configuration_table_names_every_variable_the_code_reads():
    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text()
    table = readme[readme.index("## Configuration"):readme.index("## Running on PostgreSQL")]
    read = set(re.findall(r'"((?:STANDUP|TWILIO|SMS|DATABASE|PUBLIC)_[A-Z_]+)"', (root / "core/settings.py").read_text()))
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
