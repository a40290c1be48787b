"""Settings from the environment (and a `.env` file), validated once at start.

A wrong value stops the program with one line naming the variable, because an
operator at 2 a.m. must see at once which line of the config to fix.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from dotenv import dotenv_values

from core.email_address import mailbox, normalise_email
from core.smtp_url import parse_smtp_url


class SettingsError(ValueError):
    """A configuration value is missing or wrong; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    sms_backend: str = "console"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_messaging_service_sid: str = ""
    twilio_from_number: str = ""
    twilio_api_base_url: str = "https://api.twilio.com"
    public_base_url: str = "http://127.0.0.1:8501"
    sms_rate_per_second: float = 10.0
    secret_keys: tuple[str, ...] = field(default=(), repr=False)
    min_rest_hours: float = 11.0
    referral_working_days: int = 2
    # Victims' Code: victims told of a justice milestone within these working days (enhanced rights: the second).
    inform_working_days: int = 5
    inform_enhanced_working_days: int = 1
    # Victims' Code right 12: a complaint answered within these working days (the force's own standard).
    complaint_working_days: int = 20
    # A support plan is reviewed this many days apart by the risk level of the person's needs assessment.
    review_days_high: int = 7
    review_days_medium: int = 14
    review_days_low: int = 28
    idle_timeout_minutes: int = 30
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    oidc_role_claim: str = "groups"
    oidc_role_map: str = ""
    oidc_agency_claim: str = "agency"
    retention_days: str = ""  # "messages=90,people=2555": overrides of each rule's default
    email_backend: str = "console"
    smtp_url: str = field(default="", repr=False)  # holds the relay's password
    email_from: str = ""
    email_rate_per_second: float = 10.0
    voice_backend: str = "console"
    signing_key: str = field(default="", repr=False)  # Ed25519, signs the hash chains' checkpoints
    checkpoint_syslog: str = ""  # where checkpoints also go: udp://host:514, tcp://host:601 or /dev/log
    admin_alerts: tuple[str, ...] = ()  # email addresses and mobiles told when the nightly chain check fails

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be greater than 0, got {raw!r}")
    return value


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = _positive_float(env, name, default)
    if value != int(value):
        raise SettingsError(f"{name} must be a whole number, got {env[name]!r}")
    return int(value)


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip() or default
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name} must be an http(s) URL such as https://standup.example.org, got {raw!r}")
    return raw.rstrip("/")


def _secret_keys(env: Mapping[str, str]) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in env.get("STANDUP_SECRET_KEY", "").split(",") if k.strip())
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            # Never echo the value: it is (or is meant to be) a secret.
            raise SettingsError(
                "STANDUP_SECRET_KEY must be Fernet keys (32 url-safe base64 bytes, e.g. from "
                "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`), "
                f"comma-separated, newest first; key {number} of {len(keys)} is not one"
            ) from None
    return keys


def _signing_key(env: Mapping[str, str]) -> str:
    raw = env.get("STANDUP_SIGNING_KEY", "").strip()
    if raw:
        from core.audit.signing_key import private_key_from_text  # late: it reads these settings

        try:
            private_key_from_text(raw)
        except ValueError as problem:  # the problem never quotes the key
            raise SettingsError(
                "STANDUP_SIGNING_KEY must be an Ed25519 private key: 32 random bytes in url-safe base64, e.g. from "
                "`python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'`; "
                f"{problem}") from None
    return raw


def _syslog_address(env: Mapping[str, str]) -> str:
    raw = env.get("STANDUP_CHECKPOINT_SYSLOG", "").strip()
    if not raw or raw.startswith("/"):
        return raw
    parts = urlsplit(raw)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("udp", "tcp") or not parts.hostname or port is None or parts.path not in ("", "/"):
        raise SettingsError(f"STANDUP_CHECKPOINT_SYSLOG must be udp://host:port, tcp://host:port or the path of a "
                            f"local syslog socket such as /dev/log, got {raw!r}")
    return raw


def _admin_alerts(env: Mapping[str, str]) -> tuple[str, ...]:
    items = [item.strip() for item in env.get("STANDUP_ADMIN_ALERTS", "").split(",") if item.strip()]
    if not items:
        return ()
    from core.phone import normalise_mobile  # late: phonenumbers' tables are big, and few set this

    contacts = []
    for number, item in enumerate(items, start=1):
        try:
            contacts.append(normalise_email(item) if "@" in item else normalise_mobile(item))
        except ValueError as problem:
            raise SettingsError(f"STANDUP_ADMIN_ALERTS must be email addresses or mobile numbers, comma-separated; "
                                f"item {number} of {len(items)}: {problem}") from None
    return tuple(contacts)


def _tile_url(env: Mapping[str, str]) -> str:
    raw = env.get("STANDUP_TILE_URL", "").strip() or Settings.tile_url
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or not all(p in raw for p in ("{z}", "{x}", "{y}")):
        raise SettingsError(
            f"STANDUP_TILE_URL must be an http(s) address with {{z}}, {{x}} and {{y}} in it, such as "
            f"{Settings.tile_url}, got {raw!r}"
        )
    return raw


def _database_url(env: Mapping[str, str], data_dir: Path) -> str:
    raw = env.get("DATABASE_URL", "").strip()
    if not raw:
        return f"sqlite:///{data_dir / 'standup.db'}"
    # Operators paste the URL their platform gives; steer plain postgres URLs to psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    if raw.startswith(("sqlite:///", "postgresql+psycopg://")):
        return raw
    raise SettingsError(
        f"DATABASE_URL must start with sqlite:/// or postgresql://, got {raw.split('://')[0]!r}://…"
    )


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv_path: Path | None = None) -> Settings:
    """Read and validate settings; the process environment wins over `.env`."""
    if environ is None:
        path = dotenv_path or Path.cwd() / ".env"
        file_values = {k: v for k, v in dotenv_values(path).items() if v is not None} if path.is_file() else {}
        environ = {**file_values, **os.environ}
    env = environ

    data_dir = Path(env.get("STANDUP_DATA_DIR", "").strip() or "standup-data").expanduser().resolve()
    backend = _choice(env, "SMS_BACKEND", ("console", "twilio"))

    settings = Settings(
        data_dir=data_dir,
        database_url=_database_url(env, data_dir),
        sms_backend=backend,
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", "").strip(),
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", "").strip(),
        twilio_messaging_service_sid=env.get("TWILIO_MESSAGING_SERVICE_SID", "").strip(),
        twilio_from_number=env.get("TWILIO_FROM_NUMBER", "").strip(),
        twilio_api_base_url=_url(env, "TWILIO_API_BASE_URL", "https://api.twilio.com"),
        public_base_url=_url(env, "PUBLIC_BASE_URL", "http://127.0.0.1:8501"),
        sms_rate_per_second=_positive_float(env, "SMS_RATE_PER_SECOND", 10.0),
        secret_keys=_secret_keys(env),
        min_rest_hours=_positive_float(env, "STANDUP_MIN_REST_HOURS", 11.0),
        referral_working_days=_positive_int(env, "STANDUP_REFERRAL_WORKING_DAYS", 2),
        inform_working_days=_positive_int(env, "STANDUP_INFORM_WORKING_DAYS", 5),
        inform_enhanced_working_days=_positive_int(env, "STANDUP_INFORM_ENHANCED_WORKING_DAYS", 1),
        complaint_working_days=_positive_int(env, "STANDUP_COMPLAINT_WORKING_DAYS", 20),
        review_days_high=_positive_int(env, "STANDUP_REVIEW_DAYS_HIGH", 7),
        review_days_medium=_positive_int(env, "STANDUP_REVIEW_DAYS_MEDIUM", 14),
        review_days_low=_positive_int(env, "STANDUP_REVIEW_DAYS_LOW", 28),
        idle_timeout_minutes=_positive_int(env, "STANDUP_IDLE_TIMEOUT_MINUTES", 30),
        tile_url=_tile_url(env),
        oidc_role_claim=env.get("STANDUP_OIDC_ROLE_CLAIM", "").strip() or "groups",
        oidc_role_map=env.get("STANDUP_OIDC_ROLE_MAP", "").strip(),
        oidc_agency_claim=env.get("STANDUP_OIDC_AGENCY_CLAIM", "").strip() or "agency",
        retention_days=env.get("STANDUP_RETENTION_DAYS", "").strip(),
        email_backend=_choice(env, "EMAIL_BACKEND", ("console", "smtp")),
        smtp_url=env.get("SMTP_URL", "").strip(),
        email_from=env.get("EMAIL_FROM", "").strip(),
        email_rate_per_second=_positive_float(env, "EMAIL_RATE_PER_SECOND", 10.0),
        voice_backend=_choice(env, "VOICE_BACKEND", ("console", "twilio")),
        signing_key=_signing_key(env),
        checkpoint_syslog=_syslog_address(env),
        admin_alerts=_admin_alerts(env),
    )
    if settings.retention_days:
        from core.retention import parse_periods

        try:
            parse_periods(settings.retention_days)
        except ValueError as problem:
            raise SettingsError(str(problem)) from None
    if settings.oidc_role_map:
        from core.auth.sso import parse_role_map  # late: settings must not pull the auth package in early

        try:
            parse_role_map(settings.oidc_role_map)
        except ValueError as problem:
            raise SettingsError(str(problem)) from None
    if "twilio" in (settings.sms_backend, settings.voice_backend):
        _check_twilio(settings)
    if settings.email_backend == "smtp":
        _check_smtp(settings)
    return settings


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().lower() or allowed[0]
    if value not in allowed:
        raise SettingsError(f"{name} must be {' or '.join(repr(a) for a in allowed)}, got {value!r}")
    return value


def _check_smtp(s: Settings) -> None:
    if not s.smtp_url:
        raise SettingsError("SMTP_URL must be set when EMAIL_BACKEND=smtp")
    try:
        parse_smtp_url(s.smtp_url)
    except ValueError as problem:
        raise SettingsError(f"SMTP_URL {problem}") from None  # the problem never quotes the URL's password
    try:
        mailbox(s.email_from)
    except ValueError as problem:
        raise SettingsError(f"EMAIL_FROM must be the address emails come from, e.g. support@force.police.uk or "
                            f"Victim Support <support@force.police.uk>: {problem}") from None


def _check_twilio(s: Settings) -> None:
    which = "SMS_BACKEND=twilio" if s.sms_backend == "twilio" else "VOICE_BACKEND=twilio"
    if not s.twilio_account_sid.startswith("AC"):
        raise SettingsError(f"TWILIO_ACCOUNT_SID must be set to your account SID (AC…) when {which}")
    if not s.twilio_auth_token:
        raise SettingsError(f"TWILIO_AUTH_TOKEN must be set when {which}")
    if s.twilio_messaging_service_sid and not s.twilio_messaging_service_sid.startswith("MG"):
        raise SettingsError("TWILIO_MESSAGING_SERVICE_SID must start with MG")
    if s.sms_backend == "twilio" and not (s.twilio_messaging_service_sid or s.twilio_from_number):
        raise SettingsError(
            "TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER must be set when SMS_BACKEND=twilio"
        )
    # A call comes from a number: a messaging service cannot place one.
    if s.voice_backend == "twilio" and not s.twilio_from_number:
        raise SettingsError("TWILIO_FROM_NUMBER must be set when VOICE_BACKEND=twilio (calls come from a number)")


_current: Settings | None = None


def get_settings() -> Settings:
    """The settings of this process, loaded on first use."""
    global _current
    if _current is None:
        _current = load_settings()
    return _current


def reset_settings() -> None:
    """Forget the loaded settings (tests change the environment between cases)."""
    global _current
    _current = None
