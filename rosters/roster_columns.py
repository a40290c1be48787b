"""The columns of a roster file: each field's header spellings, which are required, and how the
refusal spells them (core.sheet_columns finds the header row and matches it).
"""

from __future__ import annotations

from core.sheet_columns import Columns
from rosters.training import FILE_COURSES

REQUIRED_COLUMNS = ("staff_ref", "first_name", "last_name", "mobile", "role")

# Header spellings for each column, in the form core.sheet_columns.header_key() gives (lower
# case, letters and digits only), best first: when a file has two columns for one field ("Mobile" and
# "Phone"), the better-named one is read and the other ignored with a warning.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_ref": (
        "staffref", "staffreference", "staffid", "staffno", "staffnumber", "employeenumber",
        "employeeno", "employeeid", "employeeref", "payrollnumber", "payrollno", "personnelnumber",
        "personnelno", "ref", "reference", "id",
    ),
    "first_name": ("firstname", "forename", "forenames", "givenname", "givennames", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "mobile": (
        "mobile", "mobilenumber", "mobileno", "mobilephone", "mobilephonenumber", "mobiletel",
        "mobiletelephone", "sms", "smsnumber", "cell", "cellphone", "contactnumber", "phone",
        "phonenumber", "phoneno", "tel", "telno", "telephone", "telephonenumber",
    ),
    "email": ("email", "emailaddress", "mail", "workemail"),
    "role": ("role", "jobtitle", "jobrole", "position", "post", "designation"),
    "skills": ("skills", "skill", "skillset", "competencies", "specialisms", "specialism"),
    "languages": ("languages", "language", "languagesspoken", "spokenlanguages", "otherlanguages"),
    "dbs_level": ("dbslevel", "dbs", "dbstype", "dbscheck", "dbschecklevel", "dbschecktype"),
    "dbs_expiry": (
        "dbsexpiry", "dbsexpirydate", "dbsexpires", "dbsvaliduntil", "dbsvalidto",
        "dbsrenewal", "dbsrenewaldate", "dbsrenewaldue",
    ),
    "pfa_trained_on": (
        "pfatrainedon", "pfatrained", "pfadate", "pfatrainingdate", "pfa",
        "psychologicalfirstaid", "psychologicalfirstaidtrained", "psychologicalfirstaidtrainedon",
        "psychologicalfirstaiddate",
    ),
    "home_postcode": ("homepostcode", "postcode", "postalcode", "postcodehome", "homepostalcode"),
    "max_hours_per_week": (
        "maxhoursperweek", "maxhours", "maximumhours", "maximumhoursperweek", "maxweeklyhours",
        "maxhrs", "maxhrsperweek", "maxhoursweek", "hoursperweek", "weeklyhours",
    ),
    # Not "contact" or "preferred contact": rosters use those for a phone number.
    "contact_by": (
        "contactby", "contactpreference", "contactpreferences", "contactmethod", "preferredcontactmethod",
        "preferredchannel", "preferredchannels", "howtocontact", "calloutcontact", "calloutpreference",
    ),
}
for _key in FILE_COURSES:  # "<key>_trained_on" and "<key>_expires_on": rosters.training.FILE_COURSES
    _stem = _key.replace("_", "")
    COLUMN_ALIASES[f"{_key}_trained_on"] = tuple(
        _stem + tail for tail in ("trainedon", "trained", "trainingdate", "date", "completed", "completedon"))
    COLUMN_ALIASES[f"{_key}_expires_on"] = tuple(
        _stem + tail for tail in ("expireson", "expires", "expiry", "expirydate", "until", "validuntil"))
ROSTER_COLUMNS = Columns(
    kind="roster", aliases=COLUMN_ALIASES, required=REQUIRED_COLUMNS,
    examples={"staff_ref": "Staff ID", "first_name": "First name", "last_name": "Surname",
              "mobile": "Mobile Number", "role": "Role"},
    full_name_headers=frozenset({"name", "fullname", "staffname", "employeename"}),
)
