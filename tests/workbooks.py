"""Excel workbooks for tests and docs, written with xlsxwriter the way CRMs and people write them.

Each builder writes one workbook to the path it is given and returns that path. Expected
mappings and cells are written down in the tests beside them.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import xlsxwriter

ROSTER_HEADERS = ["user_id", "name", "email", "department", "start_date", "license_cost_monthly"]
ROSTER = [
    ["005A00000000001AAA", "Jürgen Müller", "juergen.mueller@beispiel.de", "Vertrieb Süd",
     dt.date(2024, 1, 1), 165.0],
    ["005A00000000002AAA", "Özlem Çelik", "oezlem.celik@beispiel.de", "Vertrieb Süd",
     dt.date(2024, 2, 1), 165.5],
    ["005A00000000003AAA", "Anna Schmidt", "anna.schmidt@beispiel.de", "Vertrieb Nord",
     dt.date(2024, 3, 15), 80.0],
]


def _book(path: Path) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})


def roster(path: Path, *, sheet: str = "Roster", id_prefix: str = "005A0000000000") -> Path:
    """A plain roster: the generic headers, date cells, number cells. ``id_prefix`` gives
    other people the same names (the generic fixtures use the default ids)."""
    book = _book(path)
    sheet_ = book.add_worksheet(sheet)
    date = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet_.write_row(0, 0, ROSTER_HEADERS)
    people = [[id_prefix + str(row[0])[-4:], *row[1:]] for row in ROSTER]
    for r, row in enumerate(people, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet_.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, float):
                sheet_.write_number(r, c, value)
            else:
                sheet_.write_string(r, c, value)
    book.close()
    return path


DYNAMICS_HEADERS = ["(Do Not Modify) User", "(Do Not Modify) Row Checksum",
                    "(Do Not Modify) Modified On", "Full Name", "Primary Email", "Business Unit",
                    "Title", "Access Mode"]
DYNAMICS_USERS = [
    ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Tq2x", "Jürgen Müller",
     "juergen.mueller@beispiel.de", "Vertrieb Süd", "Teamleitung", "Read-Write"],
    ["3f2504e0-4f89-11d3-9a0c-0305e82c3302", "Ab9c", "Özlem Çelik",
     "oezlem.celik@beispiel.de", "Vertrieb Süd", "Außendienst", "Read-Write"],
    ["3f2504e0-4f89-11d3-9a0c-0305e82c3303", "Kk1z", "Integration SAP",
     "sap@beispiel.de", "IT", "API", "Non-interactive"],
    ["3f2504e0-4f89-11d3-9a0c-0305e82c3304", "Zz7q", "Anna Schmidt",
     "anna.schmidt@beispiel.de", "Vertrieb Nord", "Innendienst", "Read-Write"],
]


def dynamics_users(path: Path) -> Path:
    """Dynamics 365 "Export to Excel" of users: a hidden metadata sheet first, the three hidden
    "(Do Not Modify)" columns, an autofilter hiding one row, a formula cell with its cached
    value, and the sheet protected against editing (as Dynamics does)."""
    book = _book(path)
    meta = book.add_worksheet("hiddenSheet")
    meta.write_string(0, 0, "systemuser:ZXhhbXBsZQ==:fullname,internalemailaddress")
    meta.hide()
    sheet = book.add_worksheet("Aktive Benutzer")
    sheet.activate()
    date = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    sheet.write_row(0, 0, DYNAMICS_HEADERS)
    for r, row in enumerate(DYNAMICS_USERS, start=1):
        sheet.write_string(r, 0, row[0])
        sheet.write_string(r, 1, row[1])
        sheet.write_datetime(r, 2, dt.datetime(2026, 10, 1, 8, r), date)
        if r == 2:  # a formula; xlsxwriter stores the cached value Excel would show
            sheet.write_formula(r, 3, '="Özlem"&" "&"Çelik"', None, row[2])
        else:
            sheet.write_string(r, 3, row[2])
        for c, value in enumerate(row[3:], start=4):
            sheet.write_string(r, c, value)
    sheet.set_column(0, 2, None, None, {"hidden": True})
    sheet.autofilter(0, 0, len(DYNAMICS_USERS), len(DYNAMICS_HEADERS) - 1)
    sheet.filter_column(5, "x != IT")
    sheet.set_row(3, None, None, {"hidden": True})  # the integration row, hidden by the filter
    sheet.protect()
    book.close()
    return path


SF_HEADERS = ["Opportunity Name", "Stage", "Amount", "Close Date", "Opportunity Owner",
              "Account Name"]
SF_ROWS = [
    ["Rahmenvertrag 2027", "Negotiation", 120000.0, dt.date(2026, 11, 30), "Jürgen Müller",
     "Beispiel AG"],
    ["Pilot Nord", "Closed Won", 15000.5, dt.date(2026, 10, 15), "Anna Schmidt", "Nord GmbH"],
    ["Wartung", "Prospecting", 8000.0, dt.date(2027, 1, 31), "Özlem Çelik", "Süd KG"],
]


def salesforce_report(path: Path) -> Path:
    """A Salesforce formatted report export: title rows above the header, a blank row, the
    rows, then "Grand Totals" and the confidentiality footer."""
    book = _book(path)
    sheet = book.add_worksheet("Report")
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_string(0, 0, "Opportunities by Owner", bold)
    sheet.write_string(1, 0, "As of 01.12.2026 09:00 - Beispiel AG")
    sheet.write_row(3, 0, SF_HEADERS, bold)
    for r, row in enumerate(SF_ROWS, start=4):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    end = 4 + len(SF_ROWS)
    sheet.write_string(end + 1, 0, f"Grand Totals ({len(SF_ROWS)} records)")
    sheet.write_number(end + 1, 2, sum(float(r[2]) for r in SF_ROWS))  # type: ignore[arg-type]
    sheet.write_string(end + 3, 0, "Confidential Information - Do Not Distribute")
    sheet.write_string(end + 4, 0, "Copyright (c) 2000-2026 salesforce.com, inc.")
    book.close()
    return path


def serial_dates(path: Path, *, start_dates: list[object] | None = None) -> Path:
    """A roster someone typed: start dates as plain numbers (Excel serials, no date format),
    end dates as German text ("31.12.2026"), one row's start date outside 1990-2100 when
    ``start_dates`` says so."""
    book = _book(path)
    sheet = book.add_worksheet("Liste")
    sheet.write_row(0, 0, ["user_id", "name", "email", "start_date", "end_date"])
    starts = start_dates or [45292, 45323.5, 45366]  # 2024-01-01, 2024-02-01 12:00, 2024-03-15
    ends = ["31.12.2026", "", "01.07.2026"]
    for r, (row, start, end) in enumerate(zip(ROSTER, starts, ends, strict=True), start=1):
        sheet.write_string(r, 0, str(row[0]))
        sheet.write_string(r, 1, str(row[1]))
        sheet.write_string(r, 2, str(row[2]))
        if isinstance(start, (int, float)):
            sheet.write_number(r, 3, start)
        else:
            sheet.write_string(r, 3, str(start))
        if end:
            sheet.write_string(r, 4, end)
    book.close()
    return path


def two_sheets(path: Path) -> Path:
    """An empty first sheet, then "Q3" and "Q4 & Rest" rosters (the second half of the
    people): the first with data is taken, the other can be chosen."""
    book = _book(path)
    book.add_worksheet("Deckblatt")
    for name, rows in (("Q3", ROSTER[:2]), ("Q4 & Rest", ROSTER[2:])):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ROSTER_HEADERS[:4])
        for r, row in enumerate(rows, start=1):
            sheet.write_row(r, 0, [str(v) for v in row[:4]])
    book.close()
    return path


# --- bad workbooks ---------------------------------------------------------------------------

def truncated(path: Path) -> Path:
    """A roster whose download was cut off halfway."""
    roster(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def zip_no_workbook(path: Path) -> Path:
    """A zip of CSV files, named .xlsx."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.csv", "user_id,name\n1,A\n")
    return path


def zip_bomb(path: Path) -> Path:
    """A workbook whose sheet XML unpacks to 64 MB of nothing from a few dozen KB."""
    roster(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (64 << 20), 1)
            target.writestr(item.filename, data)
    path.write_bytes(buffer.getvalue())
    return path


def hidden_only(path: Path) -> Path:
    """Data only on a hidden sheet; the visible one is empty."""
    book = _book(path)
    book.add_worksheet("Leer")
    data = book.add_worksheet("Daten")
    data.write_row(0, 0, ROSTER_HEADERS[:3])
    data.write_row(1, 0, [str(v) for v in ROSTER[0][:3]])
    data.hide()
    book.close()
    return path


def huge_dimension(path: Path) -> Path:
    """Two cells far apart: A1 and XFD1048576, a range of 17 billion cells in a tiny file."""
    book = _book(path)
    sheet = book.add_worksheet("Weit")
    sheet.write_row(0, 0, ROSTER_HEADERS[:3])
    sheet.write_string(1_048_575, 16_383, "x")
    book.close()
    return path


def encrypted(path: Path) -> Path:
    """A roster saved with "Encrypt with password" (msoffcrypto-tool writes Excel's
    encryption: an OLE file holding EncryptionInfo and the encrypted package)."""
    import msoffcrypto.format.ooxml as ooxml

    plain = roster(path.with_suffix(".plain.xlsx"))
    with plain.open("rb") as source, path.open("wb") as target:
        ooxml.OOXMLFile(source).encrypt("geheim", target)
    plain.unlink()
    return path


def protected(path: Path) -> Path:
    """A roster whose sheet is protected against editing (with a password): readable."""
    book = _book(path)
    sheet = book.add_worksheet("Geschützt")
    sheet.write_row(0, 0, ROSTER_HEADERS[:3])
    for r, row in enumerate(ROSTER, start=1):
        sheet.write_row(r, 0, [str(v) for v in row[:3]])
    sheet.protect("nur-lesen")
    book.close()
    return path
