from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.csv_safe import write_csv
from core.rejected_rows import RejectedRow
from core.sheet_rows import SheetRefused
from core.sheet_values import parse_date
from rosters import roster_rows
from rosters.roster_rows import RosterParse, RosterRow, read_roster
from rosters.roster_values import normalise_postcode
from rosters.skills import SKILLS, map_skills, normalise_role, split_list

HEADER = "staff_ref,first_name,last_name,mobile,email,role,skills,languages,dbs_level,dbs_expiry,pfa_trained_on,home_postcode,max_hours_per_week"
REQUIRED = "staff_ref,first_name,last_name,mobile,role"


def read_csv_text(text: str, encoding: str = "utf-8") -> RosterParse:
    return read_roster(text.encode(encoding), "roster.csv")


def only_row(text: str) -> RosterRow:
    parsed = read_csv_text(text)
    assert parsed.rejected == ()
    assert len(parsed.rows) == 1
    return parsed.rows[0]


def only_rejection(text: str) -> RejectedRow:
    parsed = read_csv_text(text)
    assert parsed.rows == ()
    assert len(parsed.rejected) == 1
    return parsed.rejected[0]


def xlsx_bytes(*sheets: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for index, rows in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet(f"Sheet{index + 1}")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- a clean file -----------------------------------------------------------------------


def test_every_column_is_normalised():
    row = only_row(
        HEADER + "\n"
        "VS-001, Amira , Khan,07400 123456,amira.khan@example.org,Support  Worker,"
        '"PFA; trauma informed; CYP",arabic; URDU,Enhanced,2027-03-01,15/01/2026,sw1a1aa,37.5\n'
    )
    assert row == RosterRow(
        line=2,
        staff_ref="VS-001",
        first_name="Amira",
        last_name="Khan",
        mobile="+447400123456",
        role="support worker",
        email="amira.khan@example.org",
        skills=("psychological first aid", "trauma-informed", "children and young people"),
        unknown_skills=(),
        languages=("Arabic", "Urdu"),
        dbs_level="enhanced",
        dbs_expiry=date(2027, 3, 1),
        pfa_trained_on=date(2026, 1, 15),
        home_postcode="SW1A 1AA",
        max_hours_per_week=37.5,
    )


def test_optional_columns_may_be_absent_or_blank():
    row = only_row(REQUIRED + "\nA1,Ben,Jones,07911 123456,coordinator\n")
    assert (row.email, row.skills, row.languages, row.dbs_level, row.dbs_expiry) == (None, (), (), None, None)
    assert (row.pfa_trained_on, row.home_postcode, row.max_hours_per_week) == (None, None, None)
    blank = only_row(HEADER + "\nA1,Ben,Jones,07911 123456, ,coordinator, , , , , , , \n")
    assert blank == RosterRow(2, "A1", "Ben", "Jones", "+447911123456", "coordinator")


# --- headers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Staff ID,First Name,Surname,Mobile Number,Job title",
        "Employee Number,Given name,Last Name,Tel,Role",
        "Ref,Forename,Surname,Phone,Role",
        "STAFF_REF,first-name,LAST_NAME, Mobile ,ROLE",
        "Staff-Id,Forenames,Family name,Mobile No.,Position",
    ],
)
def test_header_aliases_and_spellings_are_recognised(header):
    row = only_row(header + "\nA1,Ben,Jones,07911 123456,Coordinator\n")
    assert (row.staff_ref, row.first_name, row.last_name, row.mobile, row.role) == (
        "A1", "Ben", "Jones", "+447911123456", "coordinator",
    )


def test_optional_column_aliases_are_recognised():
    row = only_row(
        "Staff ID,Forename,Surname,Mobile,Role,Email address,DBS,DBS expiry date,PFA trained,Postcode,Max hours\n"
        "A1,Ben,Jones,07911 123456,Coordinator,ben@example.org,Standard,01/03/2027,02/02/2025,m1 1ae,20\n"
    )
    assert row.email == "ben@example.org"
    assert (row.dbs_level, row.dbs_expiry, row.pfa_trained_on) == ("standard", date(2027, 3, 1), date(2025, 2, 2))
    assert (row.home_postcode, row.max_hours_per_week) == ("M1 1AE", 20.0)


def test_two_columns_for_the_mobile_use_the_better_named_one_and_say_so():
    parsed = read_csv_text("Staff ID,Forename,Surname,Phone,Mobile,Role\nA1,Ben,Jones,020 7946 0000,07911 123456,Coordinator\n")
    assert [row.mobile for row in parsed.rows] == ["+447911123456"]
    assert any("'Mobile' was used" in w for w in parsed.warnings)


def test_unrecognised_columns_are_ignored_with_a_warning():
    parsed = read_csv_text(REQUIRED + ",Notes\nA1,Ben,Jones,07911 123456,Coordinator,likes tea\n")
    assert len(parsed.rows) == 1
    assert any("'Notes'" in w and "ignored" in w for w in parsed.warnings)


def test_title_rows_above_the_header_are_skipped_and_lines_still_match_the_sheet():
    parsed = read_csv_text("Victim Support roster,,,,\nMarch 2026,,,,\n" + REQUIRED + "\nA1,Ben,Jones,07911 123456,Coordinator\n")
    assert [row.line for row in parsed.rows] == [4]
    assert any("line 3" in w for w in parsed.warnings)


# --- encodings and delimiters ---------------------------------------------------------------


def test_utf8_bom_and_semicolons():
    parsed = read_roster(
        "\ufeffStaff ID;Forename;Surname;Mobile Number;Role;Skills\nA1;Zoë;Ó Briain;07911 123456;Coordinator;PFA, CYP\n".encode(),
        "roster.csv",
    )
    row = parsed.rows[0]
    assert (row.staff_ref, row.first_name, row.last_name) == ("A1", "Zoë", "Ó Briain")
    assert row.skills == ("psychological first aid", "children and young people")


def test_windows_1252_file_from_excel():
    row = read_roster((REQUIRED + "\nA1,Siân,Zoë’s,07911 123456,Coordinator\n").encode("cp1252"), "r.csv").rows[0]
    assert (row.first_name, row.last_name) == ("Siân", "Zoë’s")


def test_tab_separated_and_utf16_unicode_text():
    text = REQUIRED.replace(",", "\t") + "\nA1\tBen\tJones\t07911 123456\tCoordinator\n"
    assert read_roster(text.encode("utf-8"), "r.txt").rows[0].mobile == "+447911123456"
    assert read_roster(text.encode("utf-16"), "r.txt").rows[0].mobile == "+447911123456"


def test_commas_inside_semicolon_cells_do_not_fool_the_delimiter_choice():
    parsed = read_csv_text("Staff ID;Forename;Surname;Mobile;Role;Skills\nA1;Ben;Jones;07911 123456;Coordinator;PFA, CYP, first aid\n")
    assert parsed.rows[0].skills == ("psychological first aid", "children and young people", "first aid")


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2026-03-01", "01/03/2026", "1/3/2026", "1/3/26", "01-03-2026", "01.03.2026", "1 Mar 2026",
             "1 March 2026", "01-Mar-2026", "1 mar 26", "2026-03-01 00:00:00", "2026-03-01T00:00"],
)
def test_dates_in_every_accepted_form_mean_1_march_2026(text):
    assert parse_date(text) == date(2026, 3, 1)
    assert only_row(REQUIRED + f",DBS,DBS expiry\nA1,Ben,Jones,07911 123456,Coordinator,enhanced,{text}\n").dbs_expiry == date(2026, 3, 1)


def test_uk_dates_are_day_first():
    assert parse_date("02/03/2026") == date(2026, 3, 2)
    assert parse_date("13/01/2026") == date(2026, 1, 13)


@pytest.mark.parametrize("text", ["31/02/2026", "29/02/2026", "00/01/2026", "01/13/2026", "2026-02-30", "32 Jan 2026"])
def test_impossible_dates_are_not_real_dates(text):
    with pytest.raises(ValueError, match="not a real date"):
        parse_date(text)


@pytest.mark.parametrize("text", ["next week", "March", "2026", "1st of March", "01/03", "3 Smarch 2026"])
def test_unreadable_dates_say_which_forms_are_accepted(text):
    with pytest.raises(ValueError, match="2026-03-01 or 01/03/2026"):
        parse_date(text)


def test_a_leap_day_is_a_real_date():
    assert parse_date("29/02/2028") == date(2028, 2, 29)


# --- bad rows -------------------------------------------------------------------------------


def test_a_bad_row_lists_every_problem_and_the_good_rows_still_go_in():
    parsed = read_csv_text(
        HEADER + "\n"
        "A1,Ben,Jones,07911 123456,,Coordinator,,,,,,,\n"
        "A2,,Smith,020 7946 0000,not-an-email,,,,gold,31/02/2026,yesterday,ZZ9 9ZZZ,-5\n"
        "A3,Cat,Lee,07911 123457,,Coordinator,,,,,,,\n"
    )
    assert [row.staff_ref for row in parsed.rows] == ["A1", "A3"]
    (bad,) = parsed.rejected
    assert bad.line == 3
    expected = [
        "first name is missing",
        "landline, SMS needs a mobile",
        "role is missing",
        "email 'not-an-email'",
        "DBS level 'gold'",
        "'31/02/2026' is not a real date",
        "PFA trained on: 'yesterday' is not a date",
        "'ZZ9 9ZZZ' is not a UK postcode",
        "max hours per week -5 must be more than 0",
    ]
    assert len(bad.reasons) == len(expected)
    for fragment, reason in zip(expected, bad.reasons, strict=True):
        assert fragment in reason


def test_a_rejected_row_keeps_the_values_under_the_files_own_headers():
    bad = only_rejection("Staff ID,Forename,Surname,Mobile Number,Role\nA1,Ben,Jones,,Coordinator\n")
    assert bad.values == {"Staff ID": "A1", "Forename": "Ben", "Surname": "Jones", "Mobile Number": "", "Role": "Coordinator"}
    assert bad.reasons == ("mobile is missing",)


def test_whitespace_only_cells_count_as_empty():
    bad = only_rejection(REQUIRED + "\n A1 ,   ,Jones,\u00a0\t ,Coordinator\n")
    assert bad.reasons == ("first name is missing", "mobile is missing")
    assert bad.values["staff_ref"] == "A1"


def test_blank_rows_are_skipped_silently_and_lines_keep_counting():
    parsed = read_csv_text(REQUIRED + "\n\n,,,,\n \t , ,,,\nA1,Ben,Jones,07911 123456,Coordinator\n\n")
    assert [row.line for row in parsed.rows] == [5]
    assert parsed.rejected == () and parsed.warnings == ()


def test_line_numbers_count_records_not_physical_lines():
    parsed = read_csv_text(REQUIRED + ',Notes\nA1,Ben,Jones,07911 123456,Coordinator,"two\nlines"\nA2,Cat,Lee,07911 123457,,\n')
    assert [row.line for row in parsed.rows] == [2]
    assert [bad.line for bad in parsed.rejected] == [3]


def test_a_later_duplicate_staff_ref_is_rejected_naming_the_earlier_line():
    parsed = read_csv_text(
        REQUIRED + "\nA1,Ben,Jones,07911 123456,Coordinator\nA2,Cat,Lee,07911 123457,Coordinator\n"
        "A1,Ben,Jones,07911 123458,Coordinator\n"
    )
    assert [row.line for row in parsed.rows] == [2, 3]
    (dup,) = parsed.rejected
    assert dup.line == 4
    assert dup.reasons == ("staff ref 'A1' is already used on line 2",)


def test_a_duplicate_ref_is_reported_alongside_the_rows_other_problems():
    parsed = read_csv_text(REQUIRED + "\nA1,Ben,Jones,07911 123456,Coordinator\nA1,,Jones,07911 123458,Coordinator\n")
    assert parsed.rejected[0].reasons == ("first name is missing", "staff ref 'A1' is already used on line 2")


def test_a_shared_mobile_is_a_warning_naming_both_lines_not_a_rejection():
    parsed = read_csv_text(REQUIRED + "\nA1,Ben,Jones,07911 123456,Coordinator\nA2,Cat,Lee,+44 7911 123456,Coordinator\n")
    assert [row.staff_ref for row in parsed.rows] == ["A1", "A2"]
    assert parsed.rejected == ()
    (warning,) = parsed.warnings
    assert "line 3" in warning and "line 2" in warning and "+447911123456" in warning


def test_unknown_skills_are_kept_and_reported_not_dropped():
    parsed = read_csv_text(REQUIRED + ',Skills\nA1,Ben,Jones,07911 123456,Coordinator,"PFA, Makaton, juggling"\n')
    row = parsed.rows[0]
    assert row.skills == ("psychological first aid",)
    assert row.unknown_skills == ("Makaton", "juggling")
    assert any("line 2" in w and "'Makaton'" in w for w in parsed.warnings)


def test_a_mobile_excel_turned_into_scientific_notation_is_rejected_with_the_fix():
    bad = only_rejection(REQUIRED + "\nA1,Ben,Jones,7.40012E+09,Coordinator\n")
    assert "format the column as text" in bad.reasons[0]


def test_a_mobile_saved_without_its_leading_zero_is_still_a_mobile():
    assert only_row(REQUIRED + "\nA1,Ben,Jones,7911123456,Coordinator\n").mobile == "+447911123456"


def test_the_drama_range_is_refused_as_invalid():
    assert "not a valid phone number" in only_rejection(REQUIRED + "\nA1,Ben,Jones,07700 900123,Coordinator\n").reasons[0]


@pytest.mark.parametrize(
    ("cell", "level"),
    [("Enhanced", "enhanced"), ("enhanced with barred list", "enhanced"), ("Enhanced DBS", "enhanced"),
     ("Std", "standard"), ("STANDARD", "standard"), ("basic", "basic"), ("None", None), ("n/a", None), ("", None)],
)
def test_dbs_levels(cell, level):
    assert only_row(REQUIRED + f",DBS\nA1,Ben,Jones,07911 123456,Coordinator,{cell}\n").dbs_level == level


@pytest.mark.parametrize(
    ("cell", "trained_on", "has_pfa"),
    [("03/02/2025", date(2025, 2, 3), True), ("Yes", None, True), ("Y", None, True), ("No", None, False), ("", None, False)],
)
def test_pfa_trained_column_takes_a_date_or_yes_no_and_gives_the_skill(cell, trained_on, has_pfa):
    row = only_row(REQUIRED + f",PFA trained\nA1,Ben,Jones,07911 123456,Coordinator,{cell}\n")
    assert row.pfa_trained_on == trained_on
    assert ("psychological first aid" in row.skills) is has_pfa


@pytest.mark.parametrize(("cell", "hours"), [("37.5", 37.5), ("168", 168.0), ("0.5", 0.5), ("40 hrs", 40.0), ("40h", 40.0)])
def test_max_hours_accepted(cell, hours):
    assert only_row(REQUIRED + f",Max hours\nA1,Ben,Jones,07911 123456,Coordinator,{cell}\n").max_hours_per_week == hours


@pytest.mark.parametrize("cell", ["0", "-5", "168.5", "169", "nan", "inf", "lots", "37,5"])
def test_max_hours_refused(cell):
    bad = only_rejection(REQUIRED + f',Max hours\nA1,Ben,Jones,07911 123456,Coordinator,"{cell}"\n')
    assert bad.reasons[0].startswith("max hours per week")


@pytest.mark.parametrize("email", ["a@b.co", "first.last+hub@nhs.net", "x@police.uk"])
def test_emails_loosely_valid(email):
    assert only_row(REQUIRED + f",Email\nA1,Ben,Jones,07911 123456,Coordinator,{email}\n").email == email


@pytest.mark.parametrize("email", ["ben", "ben@", "@example.org", "ben@example", "ben jones@example.org", "a@@b.com"])
def test_emails_refused(email):
    assert "is not an email address" in only_rejection(REQUIRED + f",Email\nA1,Ben,Jones,07911 123456,Coordinator,{email}\n").reasons[0]


@pytest.mark.parametrize("header", ["contact_by", "Contact by", "Contact preference", "Contact method",
                                    "Preferred contact method", "Preferred channel", "How to contact",
                                    "Call-out contact"])
def test_the_contact_by_column_is_found_under_its_aliases(header):
    row = only_row(REQUIRED + f",{header}\nA1,Ben,Jones,07911 123456,Coordinator,SMS only\n")
    assert row.contact_by == "sms_only"


@pytest.mark.parametrize("header", ["Contact", "Preferred contact"])
def test_a_contact_column_is_not_read_as_the_preference_it_may_hold_a_number(header):
    parsed = read_csv_text(REQUIRED + f",{header}\nA1,Ben,Jones,07911 123456,Coordinator,07911 654321\n")
    assert [row.contact_by for row in parsed.rows] == [None]
    assert f"column {header!r} is not a roster column and was ignored" in parsed.warnings


@pytest.mark.parametrize(
    ("cell", "stored"),
    [("SMS only", "sms_only"), ("sms", "sms_only"), ("Text only", "sms_only"), ("No calls", "sms_only"),
     ("Don't call", "sms_only"), ("SMS only, no calls", "sms_only"),
     ("SMS then call", "sms_then_call"), ("sms_then_call", "sms_then_call"), ("SMS + call", "sms_then_call"),
     ("Text, then phone", "sms_then_call"), ("SMS, then a call", "sms_then_call"), ("Either", "sms_then_call"),
     ("Call first", "call_first"), ("CALL", "call_first"), ("Phone first", "call_first"), ("voice", "call_first"),
     ("call then text", "call_first"), ("", None), ("  ", None)],
)
def test_contact_preferences_in_the_forms_a_roster_writes_them(cell, stored):
    assert only_row(REQUIRED + f',Contact by\nA1,Ben,Jones,07911 123456,Coordinator,"{cell}"\n').contact_by == stored


def test_no_contact_by_column_leaves_the_preference_unsaid():
    assert only_row(REQUIRED + "\nA1,Ben,Jones,07911 123456,Coordinator\n").contact_by is None


@pytest.mark.parametrize("cell", ["email", "phone", "mobile", "WhatsApp", "carrier pigeon", "SMS only maybe"])
def test_a_contact_preference_that_is_no_choice_rejects_the_row_saying_what_to_write(cell):
    bad = only_rejection(REQUIRED + f",Contact by\nA1,Ben,Jones,07911 123456,Coordinator,{cell}\n")
    assert bad.reasons == (f"contact by {cell!r} is not a choice: write SMS only (never phoned), SMS then call, "
                           "or call first",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("sw1a1aa", "SW1A 1AA"), ("SW1A 1AA", "SW1A 1AA"), (" m1  1ae ", "M1 1AE"), ("B338TH", "B33 8TH"),
     ("cr2 6xh", "CR2 6XH"), ("DN55 1PT", "DN55 1PT"), ("W1A 0AX", "W1A 0AX"), ("EC1A 1BB", "EC1A 1BB"), ("gir0aa", "GIR 0AA")],
)
def test_postcodes_normalised(text, expected):
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize("text", ["", "SW1A", "12345", "SW1A 1AAA", "QA1 1AA", "M1 1CA", "ZZZ 1AA", "LS1-4AP!"])
def test_postcodes_refused(text):
    with pytest.raises(ValueError, match="not a UK postcode"):
        normalise_postcode(text)


# --- files that are not rosters ----------------------------------------------------------------


def refused(data: bytes, filename: str = "roster.csv") -> str:
    with pytest.raises(SheetRefused) as caught:
        read_roster(data, filename)
    assert caught.value.reason == str(caught.value)
    return caught.value.reason


def test_empty_file_is_refused():
    assert "empty" in refused(b"")


def test_a_png_is_refused_as_binary():
    assert "binary" in refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "staff.csv")


def test_a_csv_of_something_else_is_refused_naming_the_missing_columns():
    reason = refused(b"Date,Description,Amount\n2026-03-01,Coffee,2.50\n")
    assert "staff_ref, first_name, last_name, mobile, role" in reason


def test_a_header_missing_one_column_names_only_that_column():
    reason = refused(b"Staff ID,First name,Surname,Role\nA1,Ben,Jones,Coordinator\n")
    assert "missing required columns: mobile" in reason
    assert "staff_ref" not in reason


def test_a_single_name_column_is_refused_with_a_hint():
    reason = refused(b"Staff ID,Name,Mobile,Role\nA1,Ben Jones,07911 123456,Coordinator\n")
    assert "missing required columns: first_name, last_name" in reason
    assert "must be split into first name and surname" in reason


def test_a_header_only_file_is_not_refused_but_has_no_rows():
    parsed = read_csv_text(REQUIRED + "\n")
    assert (parsed.rows, parsed.rejected) == ((), ())
    assert parsed.warnings == ("the file has a header but no staff rows",)


def test_a_file_over_the_size_limit_is_refused():
    assert "limit is 20 MB" in refused(b"a" * (20 * 1024 * 1024 + 1))


def test_a_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(roster_rows, "MAX_ROWS", 3)
    body = "".join(f"A{n},Ben,Jones,07911 123456,Coordinator\n" for n in range(4))
    assert "more than 3 rows" in refused((REQUIRED + "\n" + body).encode())
    assert len(read_csv_text(REQUIRED + "\n" + body[: body.index("A3")]).rows) == 3


def test_an_xlsx_name_on_something_that_is_not_a_workbook_is_refused():
    assert "not an Excel workbook" in refused(REQUIRED.encode(), "roster.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "not an Excel workbook" in refused(out.getvalue(), "roster.xlsx")


def test_an_old_xls_file_is_refused_with_what_to_do():
    assert "save it as .xlsx or CSV" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "roster.xls")


def test_text_that_is_neither_utf8_nor_windows_1252_is_refused():
    assert "UTF-8 or Windows-1252" in refused(b"Staff ID,\x81\x8d\x90\n")


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_with_date_cells_number_cells_and_a_mobile_stored_as_a_number():
    data = xlsx_bytes([
        ["Staff ID", "Forename", "Surname", "Mobile", "Role", "DBS", "DBS expiry", "PFA trained", "Max hours"],
        [1001, "Ben", "Jones", 7911123456, "Coordinator", "Enhanced", datetime(2027, 3, 1), date(2025, 2, 3), 37.5],
        [],
        [1002.0, "Cat", "Lee", 447911123457, "Coordinator", "Standard", "01/03/2027", True, 40],
        ["1003", "Dan", "Ray", 7911123458.0, "Coordinator", None, None, None, None],
    ])
    parsed = read_roster(data, "Roster March.xlsx")
    assert parsed.rejected == ()
    first, second, third = parsed.rows
    assert (first.line, first.staff_ref, first.mobile) == (2, "1001", "+447911123456")
    assert (first.dbs_expiry, first.pfa_trained_on, first.max_hours_per_week) == (date(2027, 3, 1), date(2025, 2, 3), 37.5)
    assert (second.line, second.staff_ref, second.mobile) == (4, "1002", "+447911123457")
    assert second.dbs_expiry == date(2027, 3, 1)
    assert "psychological first aid" in second.skills and second.max_hours_per_week == 40.0
    assert (third.staff_ref, third.mobile) == ("1003", "+447911123458")


def test_xlsx_bad_cells_are_rejected_with_reasons():
    data = xlsx_bytes([
        ["Staff ID", "Forename", "Surname", "Mobile", "Role", "DBS expiry", "Max hours"],
        ["A1", "Ben", "Jones", 2079460000, "Coordinator", 46082, -3],
    ])
    (bad,) = read_roster(data, "r.xlsx").rejected
    assert len(bad.reasons) == 3
    assert "landline" in bad.reasons[0]
    assert "is a number, not a date" in bad.reasons[1]
    assert "must be more than 0" in bad.reasons[2]
    assert bad.values["Mobile"] == "2079460000"


def test_only_the_first_sheet_is_read():
    roster = [["Staff ID", "Forename", "Surname", "Mobile", "Role"], ["A1", "Ben", "Jones", "07911 123456", "Coordinator"]]
    other = [["Totals"], [42]]
    assert len(read_roster(xlsx_bytes(roster, other), "r.xlsx").rows) == 1
    with pytest.raises(SheetRefused):
        read_roster(xlsx_bytes(other, roster), "r.xlsx")


def test_a_workbook_is_recognised_by_its_content_whatever_its_name():
    data = xlsx_bytes([["Staff ID", "Forename", "Surname", "Mobile", "Role"], ["A1", "Ben", "Jones", "07911 123456", "Coordinator"]])
    assert len(read_roster(data, "roster.csv").rows) == 1


def rewrite_sheet(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with its first sheet's XML edited, as other spreadsheet writers leave it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in content
                content = content.replace(old, new)
            target.writestr(item, content)
    return out.getvalue()


def test_a_workbook_that_understates_its_size_is_still_read_in_full():
    data = xlsx_bytes([
        ["Staff ID", "Forename", "Surname", "Mobile", "Role"],
        ["A1", "Ben", "Jones", "07911 123456", "Coordinator"],
        ["A2", "Cat", "Lee", "07911 123457", "Coordinator"],
    ])
    understated = rewrite_sheet(data, b'<dimension ref="A1:E3" />', b'<dimension ref="A1" />')
    assert [row.staff_ref for row in read_roster(understated, "r.xlsx").rows] == ["A1", "A2"]


def test_a_damaged_sheet_inside_a_workbook_is_refused():
    data = xlsx_bytes([["Staff ID", "Forename", "Surname", "Mobile", "Role"], ["A1", "Ben", "Jones", "07911 123456", "Coordinator"]])
    damaged = rewrite_sheet(data, b"</sheetData>", b"<row><c r=")
    assert "could not be read" in refused(damaged, "r.xlsx")


def test_an_infinite_number_of_hours_is_refused():
    data = xlsx_bytes([["Staff ID", "Forename", "Surname", "Mobile", "Role", "Max hours"],
                       ["A1", "Ben", "Jones", "07911 123456", "Coordinator", 99]])
    (bad,) = read_roster(rewrite_sheet(data, b"<v>99</v>", b"<v>1E999</v>"), "r.xlsx").rejected
    assert bad.reasons == ("max hours per week inf must be more than 0 and at most 168",)


def test_an_empty_workbook_is_refused():
    assert "no rows" in refused(xlsx_bytes([]), "r.xlsx")


# --- never anything but a refusal ---------------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["r.csv", "r.xlsx", "r.txt", ""]))
def test_arbitrary_bytes_give_a_parse_or_a_refusal(data, filename):
    try:
        parsed = read_roster(data, filename)
    except SheetRefused as exc:
        assert exc.reason
        return
    assert isinstance(parsed, RosterParse)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_under_a_real_header_give_a_parse_or_a_refusal(data):
    try:
        parsed = read_roster((HEADER + "\n").encode() + data, "r.csv")
    except SheetRefused:
        return
    assert all(row.mobile.startswith("+") for row in parsed.rows)


cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell_text, min_size=13, max_size=13), max_size=8))
def test_every_non_blank_row_is_either_accepted_or_rejected(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    try:
        parsed = read_roster(out.getvalue().encode(), "r.csv")
    except SheetRefused:
        return
    lines = [row.line for row in parsed.rows] + [bad.line for bad in parsed.rejected]
    assert len(lines) == len(set(lines))
    assert all(bad.reasons for bad in parsed.rejected)


# --- skills and languages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "known"),
    [
        ("PFA", ("psychological first aid",)),
        ("Psychological First Aid", ("psychological first aid",)),
        ("trauma informed", ("trauma-informed",)),
        ("Trauma-Informed", ("trauma-informed",)),
        ("CYP", ("children and young people",)),
        ("Children & Young People", ("children and young people",)),
        ("safeguarding adults", ("safeguarding",)),
        ("first-aid", ("first aid",)),
        ("First_Aid", ("first aid",)),
        ("FLO", ("family liaison",)),
        ("counseling", ("counselling",)),
        ("PFA; pfa, Psychological first aid", ("psychological first aid",)),
        ("bereavement;interpreter , mental health", ("bereavement", "interpreter", "mental health")),
    ],
)
def test_skill_aliases_map_to_canonical_names(cell, known):
    assert map_skills(cell) == (known, ())


def test_unknown_skills_are_returned_as_written_once():
    assert map_skills("PFA, Makaton, makaton,  sign   language ") == (("psychological first aid",), ("Makaton", "sign language"))


def test_empty_skills():
    assert map_skills("") == ((), ())
    assert map_skills(" ; , ") == ((), ())


def test_every_canonical_skill_maps_to_itself():
    for skill in SKILLS:
        assert map_skills(skill) == ((skill,), ())
    assert len(SKILLS) == len(set(SKILLS)) == 12


def test_languages_are_title_cased_and_deduplicated():
    assert split_list("arabic; URDU, polish,Arabic, serbo-croatian, bsl") == (
        "Arabic", "Urdu", "Polish", "Serbo-Croatian", "British Sign Language",
    )
    assert split_list("") == ()


def test_roles_are_compared_in_one_form():
    assert normalise_role("  Support   Worker ") == normalise_role("support worker") == "support worker"


def test_a_rejection_report_round_trips_through_write_csv():
    parsed = read_csv_text(REQUIRED + "\nA1,=HYPERLINK(1),Jones,,Coordinator\n")
    report = write_csv(
        [[bad.line, *bad.values.values(), "; ".join(bad.reasons)] for bad in parsed.rejected],
        ["line", *parsed.rejected[0].values.keys(), "reasons"],
    )
    rows = list(csv.reader(io.StringIO(report)))
    assert rows[1] == ["2", "A1", "'=HYPERLINK(1)", "Jones", "", "Coordinator", "mobile is missing"]
