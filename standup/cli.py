"""The `standup` command. Exit status: 0 done; 1 the job failed on its input; 2 usage error."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from core.audit.signing_key import ensure_signing_key
from core.auth.roles import Actor, Role
from core.crypto import KeyProblem, ensure_key
from core.db import DatabaseUnreachable, check_reachable, get_engine, unit_of_work
from core.errors import InputError
from core.migrate import behind, upgrade
from core.private_files import PRIVATE_UMASK
from core.settings import SettingsError, get_settings
from outreach.vocabulary import CHANNEL_CHOICES, DEFAULT_LAWFUL_BASIS, LAWFUL_BASES

ROOT = Path(__file__).resolve().parent.parent


class Failed(Exception):
    """The job failed on its input: exit 1 with this message."""


class Usage(Exception):
    """The command was used wrongly: exit 2 with this message."""


def _ready_engine():
    engine = get_engine()
    check_reachable(engine)
    return engine


def _current_engine():
    """For commands that read or change Stand Up's data: the database must be at this release's
    schema (a query against missing tables would end in a traceback)."""
    engine = _ready_engine()
    if behind(engine):
        raise Failed("the database does not have this release's tables yet: run `standup migrate` first")
    return engine


def _migrated_engine():
    """The database at the newest schema, and the embedded encryption and signing keys made (and
    announced) if none is configured, before any process starts that may need them."""
    engine = _ready_engine()
    upgrade(engine)
    ensure_key()
    ensure_signing_key()
    return engine


def cmd_migrate(_args) -> None:
    _migrated_engine()
    print("database is at the newest schema")


def cmd_worker(_args) -> None:
    from standup.retention import check_configured_periods
    from standup.worker import run_worker

    check_configured_periods()
    _migrated_engine()
    run_worker()


def _print_logins(result) -> None:
    """Printed, and kept in a file only this user can read: the terminal scrolls on under the logs."""
    lines = [f"  {login.role:<20} username {login.username:<12} password {login.password}" for login in result.logins]
    path = get_settings().data_dir / "demo-logins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
        out.write(f"Exercise incident #{result.incident_id}: demo logins\n" + "\n".join(lines) + "\n")
    print(f"Exercise incident #{result.incident_id} created. Demo logins (also in {path}):")
    print("\n".join(lines), flush=True)


def cmd_demo(args) -> None:
    from incident.lifecycle_service import NameTakenToday
    from standup.bootstrap import start
    from standup.demo import build_demo

    start("standup demo")  # the demo's call-outs are answered through inbound handling
    engine = _migrated_engine()
    started = time.monotonic()
    try:
        result = build_demo(engine, scale=args.scale, seed=args.seed)
    except NameTakenToday as problem:
        raise Failed(f"{problem} (a demo with seed {args.seed} exists already today; try --seed)") from None
    _print_logins(result)
    print(f"built in {time.monotonic() - started:.1f} s")


def cmd_run(args) -> int:
    from standup.assets import ensure_vendored
    from standup.bootstrap import start
    from standup.demo import build_demo, has_incident
    from standup.retention import check_configured_periods

    start("standup run")  # it builds the demo here; the web server and the worker start their own
    check_configured_periods()  # the worker would refuse it at 2 a.m.; say so now
    engine = _migrated_engine()
    ensure_vendored()
    if args.demo and not has_incident(engine):
        _print_logins(build_demo(engine))
    children = []
    if not args.no_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "standup.cli", "worker"]))
    children.append(subprocess.Popen([
        sys.executable, "-m", "streamlit", "run", str(ROOT / "standup" / "server.py"),
        "--server.port", str(args.port), "--server.address", args.host,
    ], cwd=ROOT))
    print(f"Stand Up is starting at http://{args.host}:{args.port}  (Ctrl-C stops it)", flush=True)

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # Whichever process ends first takes the other down with it: half a Stand Up is worse than none.
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    stop()
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise Failed("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def cmd_users_add(args) -> None:
    from core.auth.service import NewUser, add_user

    if args.role not in {r.value for r in Role}:
        raise Usage(f"unknown role {args.role!r}; allowed: {', '.join(r.value for r in Role)}")
    engine = _current_engine()
    password = _read_password()
    try:
        with unit_of_work(engine) as session:
            user = add_user(session, Actor.system("cli"), NewUser(args.name, args.role, password,
                                                                  args.display_name or "", args.agency))
    except InputError as problem:
        # Unknown agency, bad name: the call was wrong, not the data.
        raise Usage(str(problem)) from None
    print(f"added {user.username} ({user.role})")


def _manage_user(args, change) -> None:
    """One account change by name, as the command line's actor; a wrong name or value is a usage error."""
    from core.auth.service import user_named

    try:
        with unit_of_work(_current_engine()) as session:
            actor = Actor.system("cli")
            print(change(session, actor, user_named(session, actor, args.name)))
    except InputError as problem:
        raise Usage(str(problem)) from None


def cmd_users_list(_args) -> None:
    from core.agencies.service import list_agencies
    from core.auth.service import list_users, role_title

    with unit_of_work(_current_engine()) as session:
        actor = Actor.system("cli")
        agencies = {a.id: a.name for a in list_agencies(session, actor)}
        for user in list_users(session, actor):
            state = "active" if user.active else "disabled"
            state += ", must change password" if user.must_change_password else ""
            agency = f" ({agencies.get(user.agency_id, '?')})" if user.agency_id else ""
            print(f"{user.username:<24} {role_title(user.role)}{agency}  {state}")


def cmd_users_disable(args) -> None:
    from core.auth.service import set_active

    _manage_user(args, lambda s, a, u: f"disabled {set_active(s, a, u.id, False).username}")


def cmd_users_enable(args) -> None:
    from core.auth.service import set_active

    _manage_user(args, lambda s, a, u: f"enabled {set_active(s, a, u.id, True).username}")


def cmd_users_set_role(args) -> None:
    from core.auth.service import set_role

    _manage_user(args, lambda s, a, u: f"{u.username} is now {set_role(s, a, u.id, args.role, args.agency).role}")


def cmd_users_reset_password(args) -> None:
    from core.auth.service import reset_password

    _manage_user(args, lambda s, a, u: f"temporary password for {u.username}: {reset_password(s, a, u.id)} "
                                        "(they choose their own at the next sign-in)")


def cmd_backup(args) -> None:
    from core.backup import backup

    target = Path(args.file)
    try:
        size = backup(_ready_engine(), target)
    except OSError as problem:
        where = f" ({problem.filename})" if problem.filename and Path(problem.filename) != target else ""
        raise Failed(f"cannot write the backup to {args.file}: {problem.strerror or problem}{where}") from None
    print(f"backed up to {args.file} ({size / 1e6:.1f} MB)")


def cmd_restore(args) -> None:
    from core.backup import restore

    restore(_ready_engine(), Path(args.file))
    upgrade(get_engine())  # a copy from an older release is brought to this release's schema
    print(f"restored from {args.file}")


def cmd_retention(args) -> None:
    from standup.retention import check_configured_periods, run_retention

    check_configured_periods()
    _current_engine()
    verb = "would be" if args.dry_run else "were"
    for outcome in run_retention(dry_run=args.dry_run):
        print(f"{outcome.record_type}: {len(outcome.ids)} records {verb} {outcome.action} "
              f"(kept {outcome.days} days)")


def cmd_bench(args) -> int:
    from core.bench import render_table
    from standup.bench import machine, run_bench
    from standup.bootstrap import start

    start("standup bench")  # it builds demos and serves webhooks in processes forked from this one
    started = time.monotonic()
    rows = run_bench(quick=args.quick)
    print(render_table(rows))
    print(f"\n{'quick' if args.quick else 'full'} run on {machine()}, {time.monotonic() - started:.0f} s")
    wrong = [r.name for r in rows if r.correctness]
    if wrong:
        print(f"standup: correctness failures in: {', '.join(wrong)}", file=sys.stderr)
        return 1
    return 0


def cmd_reencrypt(_args) -> None:
    from core.crypto import reencrypt_all
    from standup.models import metadata

    counts = reencrypt_all(_current_engine(), metadata)
    for table, n in counts.items():
        print(f"{table}: {n} rows re-encrypted under the newest key")
    if not counts:
        print("no encrypted columns")


def cmd_export_incident(args) -> None:
    from incident.export import export_incident

    engine = _current_engine()
    try:
        with unit_of_work(engine) as session:
            written = export_incident(session, Actor.system("cli"), args.incident_id, Path(args.output),
                                      recipient=args.recipient)
    except OSError as problem:
        raise Failed(f"cannot write the export to {args.output}: {problem.strerror or problem}") from None
    for path in written:
        print(path)


def _public_key(text: str | None):
    """The key `--public-key` gives (the force's record of it), or None: this installation's."""
    from core.audit.signing_key import public_key_from_text

    if text is None:
        return None
    try:
        return public_key_from_text(text)
    except ValueError as problem:
        raise Usage(f"--public-key must be the key `standup audit public-key` prints: {problem}") from None


def cmd_audit_verify(args) -> int:
    from core.audit.verification_outcome import record_outcome
    from standup.chain_verification import verify_chains

    public = _public_key(args.public_key)
    actor = Actor.system("audit-verify")
    with unit_of_work(_current_engine()) as session:
        verification = verify_chains(session, actor, public)
        record_outcome(session, actor, verification.findings)
    if not verification.findings:
        print(verification.summary())
        return 0
    for finding in verification.findings:
        print(finding)
    print(f"standup: {len(verification.findings)} finding{'' if len(verification.findings) == 1 else 's'}: "
          "altered outside Stand Up", file=sys.stderr)
    return 1


def cmd_audit_verify_export(args) -> int:
    """No database: an inquiry runs it on the file it was given."""
    import json

    from incident.exported_log_check import NotAnInquiryFile, check_exported_log

    if args.public_key is not None:
        _public_key(args.public_key)
    try:
        document = json.loads(Path(args.file).read_text(encoding="utf-8"))
        findings, summary = check_exported_log(document, args.public_key)
    except OSError as problem:
        raise Failed(f"cannot read {args.file}: {problem.strerror or problem}") from None
    except (json.JSONDecodeError, UnicodeDecodeError, NotAnInquiryFile) as problem:
        raise Failed(f"{args.file}: {problem}") from None
    if not findings:
        print(summary)
        return 0
    for finding in findings:
        print(finding)
    print(f"standup: {len(findings)} finding{'' if len(findings) == 1 else 's'} in {args.file}", file=sys.stderr)
    return 1


def cmd_audit_public_key(_args) -> None:
    from core.audit.signing_key import public_key, public_key_text

    print(public_key_text(public_key()))


def cmd_import_roster(args) -> None:
    from core.agencies.service import agency_named
    from core.rejected_rows import rejected_rows_csv
    from rosters.import_service import import_roster, row_by_row

    path = Path(args.file)
    if not path.is_file():
        raise Usage(f"no such file: {args.file}")
    engine = _current_engine()
    with unit_of_work(engine) as session:
        agency = agency_named(session, args.agency)
        if agency is None:
            raise Usage(f"unknown agency {args.agency!r}; add it on the Agencies page first")
        report = import_roster(session, Actor.system("cli"), agency.id, path.read_bytes(), path.name,
                               dry_run=args.dry_run)
        if args.dry_run:
            session.rollback()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.dry_run:
        for row in report.rejected:
            print(f"rejected line {row.line}: {'; '.join(row.reasons)}", file=sys.stderr)
    if args.report:
        Path(args.report).write_text(rejected_rows_csv(report.rejected), encoding="utf-8-sig", newline="")
    if args.dry_run:  # the preview, row by row, as the upload page shows it
        for line in row_by_row(report):
            print(line)
        print("dry run: nothing was saved", file=sys.stderr)
    print(report.summary)


def cmd_outreach_import(args) -> None:
    from core.rejected_rows import rejected_rows_csv
    from outreach.cohort_service import import_cohort

    path = Path(args.file)
    if not path.is_file():
        raise Usage(f"no such file: {args.file}")
    engine = _current_engine()
    with unit_of_work(engine) as session:
        report = import_cohort(session, Actor.system("cli"), args.incident, args.cohort, path.read_bytes(), path.name,
                               source=args.source, lawful_basis=args.lawful_basis, dry_run=args.dry_run)
        if args.dry_run:
            session.rollback()
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for row in report.rejected:
        print(f"rejected line {row.line}: {'; '.join(row.reasons)}", file=sys.stderr)
    if args.report:
        Path(args.report).write_text(rejected_rows_csv(report.rejected), encoding="utf-8-sig", newline="")
    if args.dry_run:
        print("dry run: nothing was saved", file=sys.stderr)
    print(report.summary)


def cmd_outreach_invite(args) -> None:
    from outreach.invitation_service import send_invitations

    engine = _current_engine()
    with unit_of_work(engine) as session:
        report = send_invitations(session, Actor.system("cli"), args.incident, args.cohort, round_number=args.round,
                                  channel=args.channel, dry_run=args.dry_run)
        if args.dry_run:
            session.rollback()
    for reason, count in report.skipped_because.items():
        print(f"skipped {count}: {reason}", file=sys.stderr)
    if args.dry_run:
        print(f"dry run (round {report.round}): nothing was queued", file=sys.stderr)
    print(report.summary)


def cmd_sitrep(args) -> None:
    from standup.sitrep.figures import DEFAULT_RECIPIENT, default_incident_id, export_sitrep

    engine = _current_engine()
    with unit_of_work(engine) as session:
        incident_id = args.incident if args.incident is not None else default_incident_id(session)
        if incident_id is None:
            raise Failed("there is no incident yet, so no situation report; declare one first")
        data = export_sitrep(session, Actor.system("cli"), incident_id, args.format,
                             recipient=args.recipient or DEFAULT_RECIPIENT)
    _write_report(data, args.output, f"situation report for incident {incident_id}")


def _write_report(data: bytes, output: str | None, what: str) -> None:
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as problem:
            raise Failed(f"cannot write the report to {output}: {problem.strerror or problem}") from None
        print(f"{what} written to {output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def cmd_after_action(args) -> None:
    from standup.after_action.export_service import export_after_action

    with unit_of_work(_current_engine()) as session:
        data = export_after_action(session, Actor.system("cli"), args.incident, args.format, recipient=args.recipient)
    _write_report(data, args.output, f"after-action report for incident {args.incident}")


def cmd_compliance(args) -> None:
    from standup.compliance.export import export_compliance

    engine = _current_engine()
    with unit_of_work(engine) as session:
        data = export_compliance(session, Actor.system("cli"), args.format, recipient=args.recipient,
                                 incident_id=args.incident, start=args.start, end=args.end)
    _write_report(data, args.output, "Victims' Code compliance report")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="standup", description="Stand Up: victim-support coordination.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="migrate, then serve the dashboard and webhooks and run the worker")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--no-worker", action="store_true")
    run.add_argument("--demo", action="store_true", help="build the exercise demo first if the database is empty")
    run.set_defaults(func=cmd_run)

    sub.add_parser("migrate", help="bring the database to the newest schema").set_defaults(func=cmd_migrate)
    sub.add_parser("worker", help="the scheduler process alone").set_defaults(func=cmd_worker)

    demo = sub.add_parser("demo", help="an EXERCISE incident with synthetic data")
    demo.add_argument("--scale", choices=("small", "medium", "large"), default="small")
    demo.add_argument("--seed", type=int, default=2017)
    demo.set_defaults(func=cmd_demo)

    back = sub.add_parser("backup", help="a consistent copy of the database")
    back.add_argument("file")
    back.set_defaults(func=cmd_backup)
    rest = sub.add_parser("restore", help="replace the database with a copy made by `standup backup`")
    rest.add_argument("file")
    rest.set_defaults(func=cmd_restore)

    retention = sub.add_parser("retention", help="apply the retention policy")
    retention.add_argument("--dry-run", action="store_true", help="say what would be erased; change nothing")
    retention.set_defaults(func=cmd_retention)

    bench = sub.add_parser("bench", help="the benchmark table")
    bench.add_argument("--quick", action="store_true", help="a smaller run for CI (under 2 minutes)")
    bench.set_defaults(func=cmd_bench)

    sub.add_parser("reencrypt", help="rewrite health data under the newest STANDUP_SECRET_KEY").set_defaults(
        func=cmd_reencrypt)

    export = sub.add_parser("export", help="records for the inquiry file").add_subparsers(
        dest="export_command", required=True)
    export_incident = export.add_parser("incident", help="M/ETHANE history, decision log, activations, hubs, "
                                        "commanders as JSON and CSV")
    export_incident.add_argument("incident_id", type=int, metavar="ID")
    export_incident.add_argument("--output", required=True, metavar="DIR")
    export_incident.add_argument("--recipient", required=True, metavar="WHO",
                                 help="who the file is for, e.g. 'Arena Inquiry legal team' (recorded in the "
                                      "audit trail: DPA 2018 s.62)")
    export_incident.set_defaults(func=cmd_export_incident)

    audit = sub.add_parser("audit", help="the audit trail and decision logs against their signed checkpoints"
                           ).add_subparsers(dest="audit_command", required=True)
    verify = audit.add_parser("verify", help="walk the audit trail and every decision log; exit 1 with one line "
                              "per finding when altered outside Stand Up")
    verify.add_argument("--public-key", metavar="KEY", help="check the signatures with this key (the force's "
                        "record of it) instead of this installation's")
    verify.set_defaults(func=cmd_audit_verify)
    verify_export = audit.add_parser("verify-export", help="check an inquiry file's decision log against the "
                                     "signed checkpoints it carries, without the database")
    verify_export.add_argument("file", help="incident-ID.json from `standup export incident`")
    verify_export.add_argument("--public-key", metavar="KEY", help="the force's record of the public key "
                               "(default: the one the file carries)")
    verify_export.set_defaults(func=cmd_audit_verify_export)
    audit.add_parser("public-key", help="the public half of the checkpoint signing key, for the force's records"
                     ).set_defaults(func=cmd_audit_public_key)

    roster = sub.add_parser("import-roster", help="a partner agency's CSV or XLSX roster in")
    roster.add_argument("file")
    roster.add_argument("--agency", required=True, help="the agency's name, as on the Agencies page")
    roster.add_argument("--dry-run", action="store_true", help="say what would change; save nothing")
    roster.add_argument("--report", help="write each rejected row with its reasons to this CSV file")
    roster.set_defaults(func=cmd_import_roster)

    outreach = sub.add_parser("outreach", help="reaching affected people: cohorts and invitations").add_subparsers(
        dest="outreach_command", required=True)
    cohort_import = outreach.add_parser("import", help="a cohort list (CSV or XLSX) into a named cohort")
    cohort_import.add_argument("file")
    cohort_import.add_argument("--incident", type=int, required=True, metavar="ID")
    cohort_import.add_argument("--cohort", required=True, metavar="NAME", help="made on its first import")
    cohort_import.add_argument("--source", required=True, metavar="TEXT", help="where the list came from")
    cohort_import.add_argument("--lawful-basis", choices=tuple(LAWFUL_BASES), default=DEFAULT_LAWFUL_BASIS,
                               help="why the list may be held and used (recorded with a new cohort)")
    cohort_import.add_argument("--dry-run", action="store_true", help="say what would happen; save nothing")
    cohort_import.add_argument("--report", metavar="FILE", help="write each rejected row with its reasons to this CSV")
    cohort_import.set_defaults(func=cmd_outreach_import)
    invite = outreach.add_parser("invite", help="a round of wellbeing-check invitations to a cohort")
    invite.add_argument("--incident", type=int, required=True, metavar="ID")
    invite.add_argument("--cohort", required=True, metavar="NAME")
    invite.add_argument("--round", type=int, metavar="N", help="1 is the first check; default: the latest round due")
    invite.add_argument("--channel", choices=tuple(CHANNEL_CHOICES), default="both")
    invite.add_argument("--dry-run", action="store_true", help="count who would be invited; queue nothing")
    invite.set_defaults(func=cmd_outreach_invite)

    sitrep = sub.add_parser("sitrep", help="the situation report for one incident")
    sitrep.add_argument("--incident", type=int, metavar="ID",
                        help="default: the newest open live incident, else the newest incident")
    sitrep.add_argument("--format", choices=("md", "json", "csv", "pdf"), default="md")
    sitrep.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    sitrep.add_argument("--recipient", metavar="WHO", help="who the report is for, recorded in the audit trail "
                        "(default: strategic coordinating group)")
    sitrep.set_defaults(func=cmd_sitrep)

    compliance = sub.add_parser("compliance", help="Victims' Code compliance figures for the commissioner, per "
                                "right, small numbers suppressed")
    compliance.add_argument("--from", dest="start", type=_day, metavar="DATE", help="the first day (YYYY-MM-DD)")
    compliance.add_argument("--to", dest="end", type=_day, metavar="DATE", help="the last day, included")
    compliance.add_argument("--incident", type=int, metavar="ID", help="one incident (default: every live incident, "
                            "or every exercise when there is no live one)")
    compliance.add_argument("--format", choices=("md", "json", "csv", "pdf"), default="md")
    compliance.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    compliance.add_argument("--recipient", required=True, metavar="WHO", help="who the report is for, recorded in "
                            "the audit trail (DPA 2018 s.62)")
    compliance.set_defaults(func=cmd_compliance)
    after_action = sub.add_parser("after-action", help="the after-action report for one incident")
    after_action.add_argument("--incident", type=int, metavar="ID", required=True)
    after_action.add_argument("--format", choices=("md", "pdf"), default="md")
    after_action.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    after_action.add_argument("--recipient", metavar="WHO", required=True,
                              help="who the report is for, recorded in the audit trail")
    after_action.set_defaults(func=cmd_after_action)

    users = sub.add_parser("users", help="manage users").add_subparsers(dest="users_command", required=True)
    add = users.add_parser("add", help="add a user; the password is read from stdin")
    add.add_argument("name")
    add.add_argument("--role", required=True, help=f"one of: {', '.join(r.value for r in Role)}")
    add.add_argument("--agency")
    add.add_argument("--display-name")
    add.set_defaults(func=cmd_users_add)
    users.add_parser("list", help="every account, its role and state").set_defaults(func=cmd_users_list)
    for verb, func, what in (("disable", cmd_users_disable, "end an account's sessions at their next click"),
                             ("enable", cmd_users_enable, "let a disabled account sign in again"),
                             ("reset-password", cmd_users_reset_password, "a temporary password, changed at sign-in")):
        one = users.add_parser(verb, help=what)
        one.add_argument("name")
        one.set_defaults(func=func)
    set_role = users.add_parser("set-role", help="change an account's role (and agency, for a coordinator)")
    set_role.add_argument("name")
    set_role.add_argument("role")
    set_role.add_argument("--agency")
    set_role.set_defaults(func=cmd_users_set_role)
    return parser


KEY_OPTIONS = ("--public-key",)  # a base64url key may begin with "-", which argparse takes for an option


def _key_values_joined(argv: list[str]) -> list[str]:
    """`--public-key KEY` as `--public-key=KEY`, so that a key beginning with "-" is read as the value."""
    joined, rest = [], iter(argv)
    for arg in rest:
        value = next(rest, None) if arg in KEY_OPTIONS else None
        joined.append(arg if arg not in KEY_OPTIONS or value is None else f"{arg}={value}")
    return joined


def main(argv: list[str] | None = None) -> int:
    # Everything this command and its children write (exports, reports, the web server's and worker's
    # files) is for the account running Stand Up alone.
    os.umask(PRIVATE_UMASK)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    args = build_parser().parse_args(_key_values_joined(sys.argv[1:] if argv is None else argv))
    try:
        get_settings()
        return args.func(args) or 0
    except SettingsError as problem:
        print(f"standup: configuration: {problem}", file=sys.stderr)
        return 2
    except Usage as problem:
        print(f"standup: {problem}", file=sys.stderr)
        return 2
    except (Failed, DatabaseUnreachable, InputError, KeyProblem) as problem:
        print(f"standup: {problem}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
