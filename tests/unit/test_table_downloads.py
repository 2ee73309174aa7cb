"""Downloads open right in the user's Excel: typed .xlsx cells, CSV in the UI language."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pandas as pd
import python_calamine as pc

from crm_dash.csv_export import safe_csv_bytes, xlsx_bytes

FRAME = pd.DataFrame({
    "Name": ["Jürgen Müller", "=HYPERLINK(\"http://x\")", "https://example.com"],
    "Aktive Tage": [12, 3, 0],
    "Anteil": [35.0, 0.125, 1234567.5],
    "Wert": [Decimal("165.50"), None, Decimal("-2.00")],
    "Letzte Aktivität": [dt.date(2026, 10, 1), None, dt.date(2026, 12, 31)],
    "Zeit": [pd.Timestamp("2026-10-01 08:15"), pd.NaT, pd.Timestamp("2026-10-02")],
    "Geschult": [True, False, None],
})


def read_back(data: bytes) -> tuple[list[list[object]], object]:
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python(), book


def test_xlsx_cells_are_typed_and_text_is_never_a_formula() -> None:
    rows, book = read_back(xlsx_bytes(FRAME, sheet_name="Personen"))
    assert book.sheet_names == ["Personen"]  # type: ignore[attr-defined]
    assert rows[0] == list(FRAME.columns)
    assert rows[1] == ["Jürgen Müller", 12.0, 35.0, 165.5, dt.date(2026, 10, 1),
                       dt.datetime(2026, 10, 1, 8, 15), True]
    assert rows[2][0] == "=HYPERLINK(\"http://x\")"  # a string, read back as written
    assert rows[2][3:5] == ["", ""] and rows[2][6] is False
    assert rows[3][0] == "https://example.com" and rows[3][2] == 1234567.5
    assert rows[3][5] == dt.date(2026, 10, 2)


def test_xlsx_header_bold_frozen_widths_and_no_formula_parts() -> None:
    import zipfile

    data = xlsx_bytes({"Eins": FRAME, "Zwei: [x]": FRAME.head(1)})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
        workbook = archive.read("xl/workbook.xml").decode()
        names = archive.namelist()
    assert '<pane ySplit="1"' in sheet and 'state="frozen"' in sheet
    assert "<b/>" in styles
    assert '<col min="1" max="1" width="' in sheet
    assert "<f>" not in sheet and not any("hyperlink" in n.lower() for n in names)
    assert 'name="Zwei   x "' in workbook or 'name="Zwei   x"' in workbook


def test_german_csv_parses_as_german_excel_would() -> None:
    data = safe_csv_bytes(FRAME, lang="de")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(FRAME.columns)
    assert rows[1] == ["Jürgen Müller", "12", "35", "165,50", "01.10.2026", "01.10.2026 08:15",
                       "ja"]
    assert rows[2] == ["'=HYPERLINK(\"http://x\")", "3", "0,125", "", "", "", "nein"]
    assert rows[3][2] == "1234567,5" and rows[3][3] == "-2,00"  # no thousands separators
    # German Excel: ";" splits, "," is the decimal mark
    assert float(rows[1][2].replace(",", ".")) == 35.0


def test_english_csv_and_canonical_template() -> None:
    rows = list(csv.reader(io.StringIO(safe_csv_bytes(FRAME, lang="en").decode("utf-8-sig"))))
    assert rows[1] == ["Jürgen Müller", "12", "35", "165.50", "2026-10-01", "2026-10-01 08:15",
                       "yes"]
    assert rows[2][-1] == "no" and rows[3][2] == "1234567.5"
    canonical = safe_csv_bytes(pd.DataFrame({"a": [True], "b": [1.5]})).decode("utf-8-sig")
    assert canonical.splitlines() == ["a,b", "True,1.5"]
