"""Importing roster files through rosters.import_service and `standup import-roster`: messy CSV and
XLSX, idempotent re-import, duplicates across agencies, refusal, CLI exit codes and --report,
coordinators limited to their own agency."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.rejected_rows import rejected_rows_csv
from rosters.import_service import FILE_FIELDS, RosterRefused, import_roster
from rosters.model import StaffMember
from standup.cli import main
from tests.factories import MESSY_ROSTER_CSV, agency

SYSTEM = Actor.system("test")


def _csv_bytes(text: str = MESSY_ROSTER_CSV) -> bytes:
    return text.encode("utf-8")


def _import(db, data, filename="roster.csv", *, actor=SYSTEM, agency_name="Victim Support", dry_run=False):
    agency_id = agency(db, agency_name)
    with unit_of_work(db.engine) as s:
        return import_roster(s, actor, agency_id, data, filename, dry_run=dry_run)


def _staff(db) -> dict[str, StaffMember]:
    with unit_of_work(db.engine) as s:
        return {p.staff_ref: p for p in s.query(StaffMember)}


def test_a_messy_csv_brings_in_the_good_rows_and_lists_every_reason_for_the_bad(db):
    report = _import(db, _csv_bytes())
    assert report.summary == "imported 2, updated 0, rejected 3"
    stored = _staff(db)
    assert set(stored) == {"VS001", "VS002"}
    amira = stored["VS001"]
    assert (amira.mobile, amira.role, amira.languages, amira.dbs_expiry, amira.max_hours_per_week) == (
        "+447400123456", "support worker", ["Arabic"], date(2027, 3, 1), 37.5)
    assert amira.skills == ["psychological first aid", "trauma-informed"]
    assert stored["VS002"].dbs_expiry == date(2027, 12, 1)
    reasons = {row.line: " | ".join(row.reasons) for row in report.rejected}
    assert "mobile is missing" in reasons[5] and "not a real date" in reasons[5] and "max hours" in reasons[5]
    assert "landline" in reasons[6]
    assert "VS001" in reasons[7] or "line 3" in reasons[7]  # the later duplicate ref names the earlier one
    assert report.unknown_skills == ((4, ("knitting",)),)
    assert any("knitting" in w for w in report.warnings)


def test_reimporting_the_same_file_changes_nothing_and_says_so(db):
    _import(db, _csv_bytes())
    before = {ref: p.updated_at for ref, p in _staff(db).items()}
    again = _import(db, _csv_bytes())
    assert again.summary == "imported 0, updated 0, rejected 3" and again.unchanged == 2
    assert {ref: p.updated_at for ref, p in _staff(db).items()} == before


def test_a_changed_row_updates_only_that_person_and_names_the_fields(db):
    _import(db, _csv_bytes())
    changed = MESSY_ROSTER_CSV.replace(
        "07400 123456,Support Worker,PFA; trauma informed,arabic,Enhanced,2027-03-01,37.5",
        "07400 123456,Support Worker,PFA; trauma informed,arabic,Enhanced,2028-03-01,30")
    report = _import(db, _csv_bytes(changed))
    assert report.summary == "imported 0, updated 1, rejected 3"
    assert [c.fields for c in report.changes if c.action == "update"] == [("dbs_expiry", "max_hours_per_week")]
    assert _staff(db)["VS001"].dbs_expiry == date(2028, 3, 1)


def test_a_dry_run_previews_and_saves_nothing(db):
    report = _import(db, _csv_bytes(), dry_run=True)
    assert report.summary == "imported 2, updated 0, rejected 3" and report.dry_run
    assert _staff(db) == {}


def test_the_same_mobile_on_another_agencys_roster_is_flagged(db):
    _import(db, _csv_bytes(), agency_name="British Red Cross")
    report = _import(db, _csv_bytes())
    assert report.imported == 2  # flagged, not refused: one person may volunteer for two agencies
    shared = [w for w in report.warnings if "also on British Red Cross's roster" in w]
    assert len(shared) == 2 and shared[0].startswith("line 3:")


HEADER = "staff_ref,first_name,last_name,mobile,role\r\n"


def _shares(report) -> list[str]:
    """The shared-mobile warnings (these rows also carry no DBS level, which is warned about too)."""
    return [w for w in report.warnings if "mobile of" in w]


def test_a_mobile_shared_with_a_colleague_already_on_the_same_roster_is_flagged(db):
    _import(db, _csv_bytes(HEADER + "VS001,Amira,Haddad,07400 123456,support worker\r\n"
                                    "VS002,Tom,Baker,07400 123457,support worker\r\n"))
    # Amira is not in this file, so she keeps her mobile: Ola's row would share it.
    report = _import(db, _csv_bytes(HEADER + "VS003,Ola,Nowak,07400 123456,support worker\r\n"))
    assert report.imported == 1  # flagged, not refused, as across agencies
    assert _shares(report) == ["line 2: mobile of VS003 is also on Victim Support's roster (ref VS001)"]
    # Moving Amira to a new number in the same file leaves nobody sharing.
    moved = _import(db, _csv_bytes(HEADER + "VS001,Amira,Haddad,07400 999999,support worker\r\n"
                                            "VS004,Ben,Ode,07400 123457,support worker\r\n"), dry_run=True)
    assert _shares(moved) == ["line 3: mobile of VS004 is also on Victim Support's roster (ref VS002)"]
    again = _import(db, _csv_bytes(HEADER + "VS002,Tom,Baker,07400 123457,support worker\r\n"))
    assert _shares(again) == []  # one's own stored mobile is not a share


def test_a_contact_preference_written_in_the_file_is_kept_and_a_blank_or_missing_one_changes_nothing(db):
    """New people without one get the default; a preference set on the staff page survives a file
    that does not say (it may predate the column)."""
    header = HEADER.replace("\r\n", ",contact by\r\n")
    report = _import(db, _csv_bytes(header + "VS001,Amira,Haddad,07400 123456,support worker,No calls\r\n"
                                             "VS002,Tom,Baker,07400 123457,support worker,\r\n"))
    assert report.summary == "imported 2, updated 0, rejected 0"
    assert {ref: p.contact_by for ref, p in _staff(db).items()} == {"VS001": "sms_only", "VS002": "sms_then_call"}
    silent = _import(db, _csv_bytes(HEADER + "VS001,Amira,Haddad,07400 123456,support worker\r\n"))
    blank = _import(db, _csv_bytes(header + "VS001,Amira,Haddad,07400 123456,support worker,\r\n"))
    assert (silent.unchanged, blank.unchanged) == (1, 1)
    assert _staff(db)["VS001"].contact_by == "sms_only"
    changed = _import(db, _csv_bytes(header + "VS001,Amira,Haddad,07400 123456,support worker,call first\r\n"))
    assert [c.fields for c in changed.changes] == [("contact_by",)]
    assert _staff(db)["VS001"].contact_by == "call_first"


def test_a_contact_preference_that_is_no_choice_rejects_the_row_and_keeps_what_is_stored(db):
    header = HEADER.replace("\r\n", ",contact by\r\n")
    _import(db, _csv_bytes(header + "VS001,Amira,Haddad,07400 123456,support worker,SMS only\r\n"))
    report = _import(db, _csv_bytes(header + "VS001,Amira,Haddad,07400 123456,support worker,email\r\n"
                                             "VS002,Tom,Baker,07400 123457,support worker,call\r\n"))
    assert report.summary == "imported 1, updated 0, rejected 1"
    assert report.rejected[0].reasons == ("contact by 'email' is not a choice: write SMS only (never phoned), "
                                          "SMS then call, or call first",)
    assert {ref: p.contact_by for ref, p in _staff(db).items()} == {"VS001": "sms_only", "VS002": "call_first"}


def test_a_file_that_is_not_a_roster_is_refused_whole(db):
    with pytest.raises(RosterRefused, match="missing required columns|no roster header"):
        _import(db, b"date,amount\n2026-01-01,5\n")
    assert _staff(db) == {}


SAVED = {"Staff ID": "VS001", "First name": "Amira", "Surname": "Haddad", "Mobile": "07400 123456",
         "Role": "Support Worker", "Email": "amira@example.org", "Skills": "PFA", "Languages": "Arabic"}
NEW = {**SAVED, "Staff ID": "VS002", "First name": "Tom", "Mobile": "07400 123457", "Email": "tom@example.org"}
CONTROL = "holds a control character (e.g. from a copy and paste): type it again"

# A cell of a saved person's row that no column can keep as it is, and the reason the row is rejected with.
UNSTORABLE_CELLS = {
    "staff ref too long": ("Staff ID", "V" * 61, "staff ref is at most 60 characters (got 61)"),
    "first name too long": ("First name", "A" * 121, "first name is at most 120 characters (got 121)"),
    "surname too long": ("Surname", "H" * 121, "last name is at most 120 characters (got 121)"),
    "email too long": ("Email", "a" * 189 + "@example.org", "email is at most 200 characters (got 201)"),
    "role too long": ("Role", "r" * 81, "role is at most 80 characters (got 81)"),
    "skill too long": ("Skills", "PFA; " + "s" * 81, "an entry in skills is at most 80 characters (got 81)"),
    "language too long": ("Languages", "Arabic, " + "l" * 81, "an entry in languages is at most 80 characters (got 81)"),
    "escape in a first name": ("First name", "Am\x1b[31mira", f"first name {CONTROL}"),
    "bell in a role": ("Role", "Support\x07 Worker", f"role {CONTROL}"),
    "bell in an email": ("Email", "amira\x07@example.org", f"email {CONTROL}"),
    "escape in a skill": ("Skills", "PFA; \x1b[31m", f"an entry in skills {CONTROL}"),
    "escape in a language": ("Languages", "Ara\x1bbic", f"an entry in languages {CONTROL}"),
}


def _roster_csv(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(SAVED))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("case", UNSTORABLE_CELLS)
def test_a_cell_its_column_cannot_keep_rejects_its_row_by_name_and_the_other_rows_still_import(db, case):
    column, cell, reason = UNSTORABLE_CELLS[case]
    _import(db, _roster_csv(SAVED))
    before = _staff(db)["VS001"]
    saved = {name: getattr(before, name) for name in (*FILE_FIELDS, "updated_at")}
    # The row changes her email too: a rejected row changes none of what is saved.
    report = _import(db, _roster_csv({**SAVED, "Email": "amira.haddad@example.org", column: cell}, NEW))
    assert report.summary == "imported 1, updated 0, rejected 1"
    [rejected] = report.rejected
    assert (rejected.line, rejected.reasons) == (2, (reason,))
    stored = _staff(db)
    assert set(stored) == {"VS001", "VS002"}
    assert {name: getattr(stored["VS001"], name) for name in saved} == saved


def test_an_xlsx_with_date_cells_and_a_number_mobile(db, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Employee Number", "First Name", "Last Name", "Phone", "Role", "DBS Level", "DBS Expiry",
                  "PFA Trained", "Postcode", "Max hours per week"])
    sheet.append(["RC1", "Priya", "Shah", 7400123458, "Support worker", "Enhanced", datetime(2027, 6, 30), "yes",
                  "m20 2lr", 24])
    sheet.append(["RC2", "Ben", "Cole", "07400 123459", "Support worker", "enhanced", "30/06/2027",
                  datetime(2025, 1, 15), "not a postcode", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(db, buffer.getvalue(), "roster.xlsx")
    assert report.summary == "imported 1, updated 0, rejected 1"
    priya = _staff(db)["RC1"]
    assert (priya.mobile, priya.dbs_expiry, priya.home_postcode, priya.skills) == (
        "+447400123458", date(2027, 6, 30), "M20 2LR", ["psychological first aid"])
    assert "postcode" in report.rejected[0].reasons[0]


def test_a_coordinator_imports_only_for_their_own_agency(db, make_actor):
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    assert _import(db, _csv_bytes(), actor=coordinator).imported == 2
    with pytest.raises(PermissionDenied):
        _import(db, _csv_bytes(), actor=coordinator, agency_name="British Red Cross")
    with unit_of_work(db.engine) as s:
        assert s.query(AuditEvent).filter_by(action="import", entity="staff_roster").count() == 1


def test_a_caseworker_may_not_import(db, make_actor):
    with pytest.raises(PermissionDenied):
        _import(db, _csv_bytes(), actor=make_actor("caseworker"))


# ---------------------------------------------------------------------------------------
# The command line


def test_cli_imports_prints_the_counts_and_writes_the_report(db, tmp_path, capsys):
    agency(db, "Victim Support")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(_csv_bytes())
    report = tmp_path / "rejected.csv"
    assert main(["import-roster", str(roster), "--agency", "victim support", "--report", str(report)]) == 0
    out = capsys.readouterr()
    assert out.out.strip().splitlines()[-1] == "imported 2, updated 0, rejected 3"
    assert "rejected line 5:" in out.err
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert [r["line"] for r in rows] == ["5", "6", "7"]
    assert "mobile is missing" in rows[0]["reasons"] and rows[0]["Forename"] == "Jo"
    assert main(["import-roster", str(roster), "--agency", "Victim Support"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "imported 0, updated 0, rejected 3"


def test_cli_dry_run_saves_nothing(db, tmp_path, capsys):
    agency(db, "Victim Support")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(_csv_bytes())
    assert main(["import-roster", str(roster), "--agency", "Victim Support", "--dry-run"]) == 0
    out = capsys.readouterr()
    assert "imported 2, updated 0, rejected 3" in out.out and "nothing was saved" in out.err
    assert _staff(db) == {}


def test_cli_dry_run_lists_what_each_row_would_do_as_the_upload_preview_does(db, tmp_path, capsys):
    agency(db, "Victim Support")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(_csv_bytes())
    assert main(["import-roster", str(roster), "--agency", "Victim Support"]) == 0
    changed = MESSY_ROSTER_CSV.replace("Enhanced,2027-03-01,37.5", "Enhanced,2028-03-01,30") + (
        "VS005,Ola,Nowak,07400 123458,Support Worker,,,enhanced,2027-03-01,\r\n")
    roster.write_bytes(_csv_bytes(changed))
    capsys.readouterr()
    assert main(["import-roster", str(roster), "--agency", "Victim Support", "--dry-run"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "line 3: VS001 Amira Haddad: would update dbs_expiry, max_hours_per_week",
        "line 4: VS002 Tom O'Neill: unchanged",
        *[f"line {r.line}: rejected: {'; '.join(r.reasons)}" for r in _import(db, _csv_bytes(), dry_run=True).rejected],
        "line 8: VS005 Ola Nowak: would be new",
        "imported 1, updated 1, rejected 3",
    ]
    assert "rejected line" not in out.err and "nothing was saved" in out.err
    assert _staff(db)["VS001"].dbs_expiry == date(2027, 3, 1) and "VS005" not in _staff(db)


def test_the_rejected_rows_report_neutralises_formulas(db):
    data = _csv_bytes(HEADER + '=HYPERLINK("http://evil.example"),+Amira,-Haddad,@SUM(A1),support worker\r\n')
    report = _import(db, data)
    [row] = list(csv.DictReader(io.StringIO(rejected_rows_csv(report.rejected))))
    assert row["staff_ref"] == "'=HYPERLINK(\"http://evil.example\")"
    assert (row["first_name"], row["last_name"], row["mobile"]) == ("'+Amira", "'-Haddad", "'@SUM(A1)")
    assert row["reasons"].startswith("mobile")


def test_cli_exit_codes_for_a_refused_file_and_a_wrong_call(db, tmp_path, capsys):
    agency(db, "Victim Support")
    not_roster = tmp_path / "notes.csv"
    not_roster.write_text("hello,world\n1,2\n")
    assert main(["import-roster", str(not_roster), "--agency", "Victim Support"]) == 1
    assert "was refused" in capsys.readouterr().err
    assert main(["import-roster", str(not_roster), "--agency", "Nobody"]) == 2
    assert "unknown agency 'Nobody'" in capsys.readouterr().err
    assert main(["import-roster", str(tmp_path / "missing.csv"), "--agency", "Victim Support"]) == 2
    assert _staff(db) == {}


def test_the_preview_warns_who_cannot_be_placed_and_why(db, frozen_clock):
    """Imported staff without a DBS level, or with one expired, can never be put on a shift: said
    at the preview, not found out when auto-fill passes them over."""
    rows = ("staff_ref,first_name,last_name,mobile,role,dbs_level,dbs_expiry,pfa_trained_on\r\n"
            "VS1,Amira,Haddad,07400 123456,support worker,,,01/09/2026\r\n"
            "VS2,Tom,Baker,07400 123457,support worker,enhanced,15/03/2023,01/09/2026\r\n"
            "VS3,Ola,Nowak,07400 123458,support worker,enhanced,05/12/2026,01/09/2026\r\n"
            "VS4,Ben,Ode,07400 123459,support worker,enhanced,01/01/2030,\r\n"
            "VS5,Kai,Reed,07400 123460,support worker,enhanced,01/01/2030,01/09/2026\r\n")
    report = _import(db, _csv_bytes(rows), dry_run=True)
    assert report.imported == 5  # warned about, not refused: the agency may add the checks later
    assert [w for w in report.warnings if "DBS" in w or "first aid" in w] == [
        "line 2 (VS1 Amira Haddad): no DBS level given: cannot be placed on any shift until one is recorded "
        "(add a dbs_level column: basic, standard or enhanced)",
        "line 3 (VS2 Tom Baker): DBS expired on 15/03/2023: cannot be placed until it is renewed",
        "line 4 (VS3 Ola Nowak): DBS expires on 05/12/2026: no shift after that date",
        "line 5 (VS4 Ben Ode): no psychological first aid training recorded",
    ]
