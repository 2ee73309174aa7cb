"""Numbers, shares, changes and money as the reader's language writes them (Babel).

A missing figure reads "–", never "None", "NaN" or 0.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel import Locale
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from crm_dash.i18n.catalog import Language, babel_locale, t


def fmt_int(value: int | None, lang: Language) -> str:
    """A whole number with the locale's grouping (``1.234`` / ``1,234``)."""
    return "–" if value is None else format_decimal(value, locale=babel_locale(lang))


def fmt_decimal(value: float | Decimal | None, lang: Language, digits: int = 1) -> str:
    """A number with ``digits`` decimals in the locale's style."""
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def fmt_number(value: float | Decimal | None, lang: Language, digits: int = 1) -> str:
    """A number as people write it: a whole number without decimals (``12``, and ``0`` for a
    negative zero), any other with ``digits`` of them (``12,5`` / ``12.5``)."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return fmt_int(int(value), lang)
    return fmt_decimal(value, lang, digits)


def fmt_signed(value: float, lang: Language, digits: int = 0, *, minus: str = "-",
               zero: str = "") -> str:
    """A change with its sign: ``+1,5`` / ``-1,5`` with ``digits`` decimals; ``minus`` is the
    sign of a fall (``−`` for the typographic minus), ``zero`` the sign of no change (``±``)."""
    sign = "+" if value > 0 else minus if value < 0 else zero
    return sign + fmt_decimal(abs(value), lang, digits)


def fmt_percent(share: float | None, lang: Language, digits: int = 0) -> str:
    """A share (0.3) as a percentage (``30 %`` / ``30%``)."""
    if share is None:
        return "–"
    number = "#,##0." + "0" * digits if digits else "#,##0"
    pattern = number + ("\u00a0%" if lang == "de" else "%")
    return format_percent(share, format=pattern, locale=babel_locale(lang))


def share_text(share: float | None, lang: Language) -> str:
    """A share as ``30 %`` / ``30%``; "–" when unknown (``None`` or NaN, never "NaN%")."""
    return fmt_percent(None if share is None or share != share else share, lang)


def count_delta(now: int, before: int | None, lang: Language) -> str | None:
    """The change of a count against the previous month, signed (``+3``), or ``None``."""
    if before is None:
        return None
    return fmt_signed(now - before, lang)


def share_delta(now: float | None, before: float | None, lang: Language) -> str:
    """The change of a share in percentage points, signed (``+1,5 Pp.`` / ``+1.5 pp``); ``""``
    when either is unknown."""
    if now is None or before is None:
        return ""
    return fmt_signed((now - before) * 100, lang, 1) + " " + t("adoption.pp", lang)


def fmt_money(value: float | Decimal | None, lang: Language, currency: str = "EUR") -> str:
    """An amount of money (``1.234,00 €`` / ``€1,234.00``)."""
    if value is None:
        return "–"
    return format_currency(value, currency, locale=babel_locale(lang))


def fmt_money_whole(value: float | Decimal, lang: Language, currency: str = "EUR") -> str:
    """An amount in whole currency units (``9.405 €`` / ``€9,405``): cents add only noise."""
    locale = babel_locale(lang)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    return format_currency(value, currency, format=pattern.replace(".00", ""), locale=locale,
                           currency_digits=False)


_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def money_text(value: float | None, currency: str | None, lang: Language,
               *, compact: bool = False) -> str:
    """An amount in whole units of its currency (``""``/``None``: a plain number), such as
    ``€70,000`` / ``70.000 €``; with ``compact``, ``€50.6m`` / ``50,6 Mio. €`` from a million on.
    A currency the export names otherwise than by its code follows the number (``1,200 €``).
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
    """``€70,000 + US$8,000``: amounts per currency, largest first."""
    ordered = sorted(values.items(), key=lambda kv: -kv[1])
    return " + ".join(money_text(v, c, lang) for c, v in ordered)
