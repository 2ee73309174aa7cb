"""CSV files the app hands out (downloads), safe to open in Excel.

Every CSV export goes through :func:`safe_csv_bytes`: a text cell that starts with ``=``, ``+``,
``-``, ``@`` (or a tab or carriage return) would run as a formula in a spreadsheet, so it gets a
leading ``'`` (OWASP "CSV injection"). Stored data is never changed; only the exported copy is.
"""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_csv_bytes(frame: pd.DataFrame, *, delimiter: str = ",") -> bytes:
    """``frame`` as UTF-8 CSV with BOM (Excel reads umlauts right), formula cells neutralised.

    Only text columns are touched: numbers, dates and booleans cannot carry a formula.
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return safe.to_csv(index=False, sep=delimiter).encode("utf-8-sig")
