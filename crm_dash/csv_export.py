"""Tables the app hands out (downloads), written to open right in the user's Excel.

Every table download goes through this module, as CSV (:func:`safe_csv_bytes`) and as .xlsx
(:func:`xlsx_bytes`):

- CSV in the UI language's conventions (``lang``): German ``;``, decimal comma, ``dd.mm.yyyy``,
  "ja"/"nein"; English ``,``, decimal point, ISO dates, "yes"/"no"; both UTF-8 with BOM (Excel
  reads umlauts right) and without thousands separators. Without ``lang`` the CSV is canonical
  (``,``, ISO, ``true``/``false``): what the generic upload templates are written in.
- A text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would run
  as a formula in a spreadsheet, so in a CSV it gets a leading ``'`` (OWASP "CSV injection").
  Stored data is never changed; only the exported copy is.
- In the .xlsx numbers are numbers, dates are dates (in Excel's locale-aware short date format,
  so Excel shows them in its own language), yes/no are Excel booleans, and text is written as a
  string, never as a formula or a link (xlsxwriter's ``strings_to_formulas`` and
  ``strings_to_urls`` off). Headers are bold and frozen, columns wide enough.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_Lang = Literal["de", "en"]
_YES_NO: dict[str, tuple[str, str]] = {"de": ("ja", "nein"), "en": ("yes", "no")}
_MAX_WIDTH = 60


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _missing(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _csv_cell(value: object, lang: _Lang) -> object:
    """One value as the CSV of ``lang`` writes it."""
    if _missing(value):
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return _YES_NO[lang][0 if value else 1]
    if hasattr(value, "item") and not isinstance(value, (pd.Timestamp, dt.datetime)):
        value = value.item()  # numpy scalars
        if isinstance(value, bool):
            return _YES_NO[lang][0 if value else 1]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        text = format(value, "f") if isinstance(value, Decimal) else format(value, ".15g")
        if "e" in text or "E" in text:
            text = format(value, "f")
        return text.replace(".", ",") if lang == "de" else text
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return _date(value.date(), lang)
        clock = f"{value:%H:%M}" if value.second == 0 else f"{value:%H:%M:%S}"
        return f"{_date(value.date(), lang)} {clock}"
    if isinstance(value, dt.date):
        return _date(value, lang)
    return neutralise(str(value))


def _date(day: dt.date, lang: _Lang) -> str:
    return f"{day:%d.%m.%Y}" if lang == "de" else day.isoformat()


def safe_csv_bytes(frame: pd.DataFrame, *, lang: _Lang | None = None,
                   delimiter: str = ",") -> bytes:
    """``frame`` as UTF-8 CSV with BOM, formula cells neutralised.

    With ``lang`` in that language's conventions (separator, decimal mark, dates, yes/no; see
    the module); without, canonical (``delimiter``, ISO dates, ``true``/``false``), only text
    columns touched.
    """
    safe = frame.copy()
    if lang is None:
        for column in safe.columns:
            if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
                safe[column] = safe[column].map(neutralise)
        return safe.to_csv(index=False, sep=delimiter).encode("utf-8-sig")
    for position in range(safe.shape[1]):
        values = [_csv_cell(v, lang) for v in safe.iloc[:, position].tolist()]
        safe.isetitem(position, values)
    sep = ";" if lang == "de" else ","
    return safe.to_csv(index=False, sep=sep).encode("utf-8-sig")


def xlsx_bytes(sheets: pd.DataFrame | Mapping[str, pd.DataFrame], *,
               sheet_name: str = "Data") -> bytes:
    """One or more tables as an .xlsx workbook (one sheet each), cells typed (see the module).

    Sheet names are cut to Excel's 31 characters and stripped of the characters it forbids.
    """
    import xlsxwriter  # type: ignore[import-untyped]

    tables = {sheet_name: sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "remove_timezone": True, "nan_inf_to_errors": True,
    })
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": 14})  # Excel's short date, shown in Excel's locale
    stamp = book.add_format({"num_format": 22})  # short date and time, likewise
    used: set[str] = set()
    for name, frame in tables.items():
        sheet = book.add_worksheet(_sheet_name(name, used))
        widths = [len(str(c)) for c in frame.columns]
        for col, heading in enumerate(frame.columns):
            sheet.write_string(0, col, str(heading), bold)
        for col in range(frame.shape[1]):
            for row, value in enumerate(frame.iloc[:, col].tolist(), start=1):
                shown = _write_cell(sheet, row, col, value, day, stamp)
                widths[col] = max(widths[col], shown)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(width + 2, _MAX_WIDTH))
        sheet.freeze_panes(1, 0)
        if len(frame.columns):
            sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    if not tables:
        book.add_worksheet(sheet_name)
    book.close()
    return buffer.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip("' ") or "Data"
    clean = clean[:31]
    base, n = clean, 2
    while clean.lower() in used:
        suffix = f" ({n})"
        clean, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(clean.lower())
    return clean


def _write_cell(sheet: Any, row: int, col: int, value: object, day: Any, stamp: Any) -> int:
    """Write one typed cell; returns the characters it shows (for the column width)."""
    if _missing(value):
        return 0
    if hasattr(value, "item") and not isinstance(value, (pd.Timestamp, dt.datetime, str)):
        value = value.item()  # numpy scalars
    if isinstance(value, str):
        sheet.write_string(row, col, value)
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
        return 5
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        if math.isinf(number):
            sheet.write_string(row, col, str(value))
        else:
            sheet.write_number(row, col, number)
        return len(format(number, ".15g"))
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        moment = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
            sheet.write_datetime(row, col, moment, day)
            return 10
        sheet.write_datetime(row, col, moment, stamp)
        return 16
    if isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), day)
        return 10
    text = str(value)
    sheet.write_string(row, col, text)
    return len(text)
