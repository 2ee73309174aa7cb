"""How the Pipeline page writes amounts and win rates (German and English)."""

from __future__ import annotations

import re

import pandas as pd
from babel.numbers import format_compact_currency, format_compact_decimal

from crm_dash.i18n import (
    Language,
    babel_locale,
    fmt_decimal,
    fmt_int,
    fmt_money_whole,
    fmt_percent,
    t,
)

_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def money_text(value: float | None, currency: str | None, lang: Language,
               *, compact: bool = False) -> str:
    """An amount in whole units of its currency (``""``/``None``: a plain number), such as
    ``€70,000`` / ``70.000 €``; with ``compact``, ``€50.6m`` / ``50,6 Mio. €`` from a million on.
    """
    if value is None:
        return "–"
    code = currency or ""
    locale = babel_locale(lang)
    if _CURRENCY_CODE.match(code):
        if compact and abs(value) >= 1_000_000:
            return format_compact_currency(value, code, locale=locale, fraction_digits=1)
        return fmt_money_whole(value, lang, code)
    if compact and abs(value) >= 1_000_000:
        number = format_compact_decimal(value, locale=locale, fraction_digits=1)
    else:
        number = fmt_decimal(value, lang, 0)
    return f"{number} {code}".strip()


def currencies_text(values: dict[str, float], lang: Language) -> str:
    """``€70,000 + US$8,000``: open values per currency, largest first."""
    ordered = sorted(values.items(), key=lambda kv: -kv[1])
    return " + ".join(money_text(v, c, lang) for c, v in ordered)


def win_rate_text(rate: float | None, won: int, closed: int, lang: Language) -> str:
    """``60% (3 of 5)``: the win rate with the closed opportunities behind it."""
    if rate is None or pd.isna(rate):
        return "–"
    return t("pipeline.win_rate_text", lang, rate=fmt_percent(rate, lang),
             won=fmt_int(int(won), lang), closed=fmt_int(int(closed), lang))


def pct_format(lang: Language) -> str:
    return "%.0f %%" if lang == "de" else "%.0f%%"
