"""The columns of a cohort file (INTERFACES.md, "Cohort file"): each field's header spellings,
those of ticketing and casualty-bureau exports included (`Order No`, `Booking Ref`,
`Purchaser First Name`, `Surname`, `E-mail`, `Phone Number`, `Post Code`). A header needs an
email or a mobile column; core.sheet_columns finds the header row and matches it.
"""

from __future__ import annotations

from core.sheet_columns import Columns

# In core.sheet_columns.header_key() form (lower case, letters and digits only), best first.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "contact_ref": (
        "contactref", "ref", "reference", "orderno", "ordernumber", "orderid", "orderref", "orderreference",
        "bookingref", "bookingreference", "bookingno", "bookingnumber", "bookingid", "ticketno", "ticketnumber",
        "ticketref", "ticketid", "witnessno", "witnessnumber", "witnessref", "witnessid", "enquiryno",
        "enquirynumber", "enquiryref", "enquiryid", "cbref", "cbno", "casualtybureauref", "urn", "customerid",
        "customerno", "customernumber", "pupilno", "pupilnumber", "studentid", "id",
    ),
    "first_name": (
        "firstname", "forename", "forenames", "givenname", "givennames", "first", "purchaserfirstname",
        "purchaserforename", "customerfirstname", "customerforename", "bookerfirstname", "attendeefirstname",
        "ticketholderfirstname", "witnessfirstname", "witnessforename", "enquirerfirstname", "enquirerforename",
        "pupilfirstname", "pupilforename",
    ),
    "last_name": (
        "lastname", "surname", "familyname", "last", "purchaserlastname", "purchasersurname", "customerlastname",
        "customersurname", "bookerlastname", "bookersurname", "attendeelastname", "attendeesurname",
        "ticketholderlastname", "ticketholdersurname", "witnesssurname", "witnesslastname", "enquirersurname",
        "enquirerlastname", "pupilsurname", "pupillastname",
    ),
    # One column with whole names: read when there is no first-name and surname pair.
    "full_name": (
        "name", "fullname", "purchasername", "customername", "bookername", "attendeename", "ticketholdername",
        "witnessname", "enquirername", "pupilname", "contactname",
    ),
    "email": (
        "email", "emailaddress", "mail", "purchaseremail", "purchaseremailaddress", "customeremail",
        "customeremailaddress", "bookeremail", "attendeeemail", "ticketholderemail", "contactemail",
        "enquireremail", "parentemail", "personalemail",
    ),
    "mobile": (
        "mobile", "mobilenumber", "mobileno", "mobilephone", "mobilephonenumber", "mobiletel", "mobiletelephone",
        "sms", "smsnumber", "cell", "cellphone", "purchasermobile", "customermobile", "bookermobile",
        "attendeemobile", "enquirermobile", "parentmobile", "phone", "phonenumber", "phoneno", "tel", "telno",
        "telephone", "telephonenumber", "contactnumber", "contactphone", "purchaserphone", "purchaserphonenumber",
        "customerphone", "customerphonenumber", "bookerphone", "attendeephone", "enquirerphone",
        "enquirertelephone",
    ),
    "postcode": (
        "postcode", "postalcode", "zip", "zipcode", "homepostcode", "purchaserpostcode", "customerpostcode",
        "billingpostcode", "addresspostcode", "enquirerpostcode",
    ),
    "date_of_birth": ("dateofbirth", "dob", "birthdate", "dateofbirthddmmyyyy", "birthday", "born"),
}

COHORT_COLUMNS = Columns(
    kind="cohort", aliases=COLUMN_ALIASES, one_of=("email", "mobile"),
    examples={"email": "E-mail", "mobile": "Mobile Number"},
)
