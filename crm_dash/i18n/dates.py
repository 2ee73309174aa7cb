"""Dates, times and months as the reader's language writes them (Babel): one date format per
language on every page, in every download heading and report."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from babel.dates import format_date, format_time

from crm_dash.i18n.catalog import Language, babel_locale

if TYPE_CHECKING:
    import pandas as pd


def fmt_date(value: date | datetime | None, lang: Language) -> str:
    """A date in the locale's medium style (``23.11.2026`` / ``23 Nov 2026``)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="medium", locale=babel_locale(lang))


def fmt_datetime(value: datetime | None, lang: Language) -> str:
    """A date as :func:`fmt_date` writes it, and the time to the minute (``07.12.2026, 09:37`` /
    ``7 Dec 2026, 09:37``): one date format per language on every page."""
    if value is None:
        return "–"
    time = format_time(value, format="HH:mm", locale=babel_locale(lang))
    return f"{fmt_date(value, lang)}, {time}"


def fmt_month(month: date, lang: Language, *, short: bool = False) -> str:
    """``März 2026`` / ``March 2026`` (``März 2026`` / ``Mar 2026`` when short)."""
    return format_date(month, "MMM yyyy" if short else "MMMM yyyy", locale=babel_locale(lang))


def month_label(month: date, lang: Language) -> str:
    """A month as ``Okt. 2026`` / ``Oct 2026`` (chart axes, filters, table cells)."""
    return fmt_month(month, lang, short=True)


def month_long(month: date, lang: Language) -> str:
    """A month as ``Oktober 2026`` / ``October 2026`` (headings and sentences)."""
    return fmt_month(month, lang)


def with_month_labels(frame: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """A copy of ``frame`` with a ``month_label`` column (:func:`month_label` of its ``month``)
    for chart axes."""
    out = frame.copy()
    out["month_label"] = out["month"].map(lambda m: month_label(m, lang))
    return out
