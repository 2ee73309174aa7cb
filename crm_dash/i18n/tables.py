"""Table cells in the reader's language: how a value reads in a cell and how wide it is.

Streamlit-free (the column configs that use these widths are in :mod:`crm_dash.ui.format`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

import pandas as pd

from crm_dash.i18n.catalog import Language, t
from crm_dash.i18n.dates import fmt_date, fmt_datetime
from crm_dash.i18n.numbers import fmt_number

#: Width in pixels of each character in a table cell (Streamlit's 14 px Source Sans, measured
#: with a canvas in Chromium); other characters count as 7.6. A column of :func:`column_width`
#: shows its heading and values whole, so no heading ends in "Abschlussdat".
_CHAR_PX: dict[str, float] = {
    ch: px
    for px, chars in (
        (2.8, " "), (3.5, "i|',.:;j·l"), (3.8, "I!"), (4.2, "f()[]{}"), (4.5, "-"),
        (4.9, "t/\\r"), (6.0, "*?sz\""), (6.5, "xcvy"), (7.0, "JY–LFek0123456789#$+<=>^_~€"),
        (7.2, "agäVX"), (7.6, "ESTZA`houöüÄ"), (7.9, "bndpqP"), (8.2, "CRKßB"),
        (8.7, "&DG→"), (9.3, "UÜHNOQÖ"), (10.2, "wM"), (11.6, "W%m@"), (13.3, "…"),
    )
    for ch in chars
}
_PX_OTHER = 7.6
_PX_AROUND = 20  # the cell's padding (8 px a side) and a little air
_PX_HELP = 18  # the (?) beside a heading that has a help text


def text_width(text: str) -> float:
    """How many pixels ``text`` takes in a table cell."""
    return sum(_CHAR_PX.get(ch, _PX_OTHER) for ch in text)


def column_width(label: str, values: Iterable[object] = (), *, minimum: int = 56,
                 maximum: int = 320, help_icon: bool = False) -> int:
    """A table column's width in pixels that shows ``label`` and the widest of ``values`` whole
    (values up to ``maximum``: longer ones are cut there; the heading never is).

    ``st.dataframe`` draws on a canvas and sizes columns to their first rows, so German headings
    were cut off and wide columns pushed the key ones out of sight at 1280 px; explicit widths
    keep a table's key columns in view (checked by tests/e2e/test_layout_e2e.py).
    """
    heading = text_width(label) + (_PX_HELP if help_icon else 0)
    widest = max((text_width(str(v)) for v in values if v is not None and v == v), default=0.0)
    # The heading always whole; only values are cut at ``maximum``.
    need = max(heading, min(widest, maximum - _PX_AROUND)) + _PX_AROUND
    return max(minimum, math.ceil(need))


_MIDNIGHT = time(0, 0)


def _cell_text(value: Any, lang: Language) -> Any:
    """One table cell as the reader's language writes it (missing values stay missing, so the
    table shows its placeholder)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return t("common.yes" if value else "common.no", lang)
    if isinstance(value, datetime):  # pandas' Timestamp too
        return fmt_date(value, lang) if value.time() == _MIDNIGHT else fmt_datetime(value, lang)
    if isinstance(value, date):
        return fmt_date(value, lang)
    if isinstance(value, float):
        return fmt_number(value, lang, 2)
    return value


def display_values(frame: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """A copy of ``frame`` whose cells read as in the UI language: dates and times in its format
    (a date at midnight as a date), yes/no for booleans, numbers with its decimal mark; for
    tables of values as a file holds them (the upload preview), not for sortable figures."""
    shown = frame.astype(object).map(lambda v: _cell_text(v, lang)).astype(object)
    return shown.where(shown.notna(), None)
