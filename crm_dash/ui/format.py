"""Texts the adoption pages share: month labels, segment names, the definition in force."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

import pandas as pd
import streamlit as st

from crm_dash.i18n import (
    Language,
    fmt_date,
    fmt_datetime,
    fmt_decimal,
    fmt_int,
    fmt_month,
    fmt_percent,
    t,
)
from crm_dash.metrics.definitions import (
    SEGMENTS,
    VersionedDefinition,
    describe,
    describe_productive,
)


def month_label(month: date, lang: Language) -> str:
    """A month as ``Okt. 2026`` / ``Oct 2026``."""
    return fmt_month(month, lang, short=True)


def month_long(month: date, lang: Language) -> str:
    """A month as ``Oktober 2026`` / ``October 2026``."""
    return fmt_month(month, lang)


def segment_labels(lang: Language) -> dict[str, str]:
    """Display names of the segments (and the extra states charts use)."""
    codes = [*SEGMENTS, "barely_never", "not_licensed"]
    return {code: t(f"adoption.segment.{code}", lang) for code in codes}


def segment_help(segment: str, versioned: VersionedDefinition, lang: Language) -> str:
    """The definition of one segment with the thresholds in force (hover help)."""
    d = versioned.definition
    return t(f"adoption.segment.{segment}_help", lang, days=d.productive_min_active_days,
             writes=d.productive_min_writes, sporadic=d.sporadic_min_active_days,
             grace=d.grace_days)


def with_month_labels(frame: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """``frame`` with a ``month_label`` column for chart axes."""
    out = frame.copy()
    out["month_label"] = out["month"].map(lambda m: month_label(m, lang))
    return out


def share_text(share: float | None, lang: Language) -> str:
    """A share as ``30 %`` / ``30%``; "–" when unknown (``None`` or NaN, never "NaN%")."""
    return fmt_percent(None if share is None or share != share else share, lang)


def count_delta(now: int, before: int | None, lang: Language) -> str | None:
    """The change of a count against the previous month, signed (``+3``), or ``None``."""
    if before is None:
        return None
    diff = now - before
    return ("+" if diff > 0 else "") + fmt_int(diff, lang)


def share_delta(now: float | None, before: float | None, lang: Language) -> str:
    """The change of a share in percentage points, signed (``+1,5 pp`` / ``+1.5 pp``)."""
    if now is None or before is None:
        return ""
    diff = (now - before) * 100
    return ("+" if diff > 0 else "") + fmt_decimal(diff, lang, 1) + " " + t("adoption.pp", lang)


def definition_caption(versioned: VersionedDefinition, lang: Language) -> None:
    """Which definition the figures use, with every threshold one hover away."""
    if versioned.version == 0:
        text = t("adoption.def.caption_default", lang)
    else:
        text = t("adoption.def.caption_version" if versioned.changed_by else
                 "adoption.def.caption_version_since", lang, version=versioned.version,
                 date=fmt_date(versioned.changed_at, lang), who=versioned.changed_by)
    productive = describe_productive(versioned.definition, lang)
    st.caption(
        f":material/rule: {text} · {t('adoption.def.productive_label', lang)}: {productive}",
        help=describe(versioned.definition, lang),
    )


#: How a table's date column is drawn, as :func:`crm_dash.i18n.fmt_date` writes dates (Streamlit's
#: "localized" would follow the browser's language, not the app's).
_DATE_COLUMN_FORMATS: dict[Language, str] = {"de": "DD.MM.YYYY", "en": "D MMM YYYY"}


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


def fitted_columns(frame: pd.DataFrame, *, maximum: int = 320,
                   maxima: dict[str, int] | None = None) -> dict[str, Any]:
    """``column_config`` giving every column of ``frame`` (headed in the UI language) the width
    its heading and values need, values cut at ``maximum`` (``maxima``: per column)."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        width = column_width(str(column), frame[column].tolist(),
                             maximum=(maxima or {}).get(str(column), maximum))
        config[str(column)] = st.column_config.Column(str(column), width=width)
    return config


def date_column(label: str, lang: Language, **kwargs: Any) -> Any:
    """A table column of dates in the UI language's format (sortable as dates), as wide as its
    heading and a date need unless ``width`` is given."""
    sample = "00.00.0000" if lang == "de" else "00 Sep 0000"
    kwargs.setdefault("width", column_width(label, [sample], help_icon="help" in kwargs))
    return st.column_config.DateColumn(label, format=_DATE_COLUMN_FORMATS[lang], **kwargs)


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
        return fmt_decimal(value, lang, 0 if value.is_integer() else 2)
    return value


def display_values(frame: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """A copy of ``frame`` whose cells read as in the UI language: dates and times in its format
    (a date at midnight as a date), yes/no for booleans, numbers with its decimal mark; for
    tables of values as a file holds them (the upload preview), not for sortable figures."""
    shown = frame.astype(object).map(lambda v: _cell_text(v, lang)).astype(object)
    return shown.where(shown.notna(), None)
