"""German and English UI texts and locale-aware formatting.

Every text the UI shows comes from ``crm_dash/locales/<lang>/*.json``: one file per area of the
product, the same files and keys in each language (a test checks that), no key in two files.
Numbers, dates and money are formatted with Babel for the chosen language.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal, cast

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal, format_percent

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")
DEFAULT_LANGUAGE: Language = "en"

_LOCALES: dict[Language, str] = {"de": "de_DE", "en": "en_GB"}


def babel_locale(lang: Language) -> str:
    """The Babel locale that formats numbers, dates and money for ``lang``."""
    return _LOCALES[lang]


def catalog_files(lang: Language) -> dict[str, dict[str, str]]:
    """The catalog files of one language, ``{file name: {key: text}}``."""
    folder = resources.files("crm_dash.locales").joinpath(lang)
    return {
        entry.name: cast(dict[str, str], json.loads(entry.read_text(encoding="utf-8")))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    }


@cache
def catalog(lang: Language) -> dict[str, str]:
    """All texts of one language, ``{key: text}``; a key defined twice is an error."""
    merged: dict[str, str] = {}
    for name, texts in catalog_files(lang).items():
        twice = merged.keys() & texts.keys()
        if twice:
            raise KeyError(f"{lang}/{name} repeats keys: {sorted(twice)}")
        merged.update(texts)
    return merged


#: The placeholders that count something, in the order they decide a text's number: a key with
#: a ``<key>.one`` text uses it when the first of these in ``values`` is 1 ("1 line", "3 lines").
COUNT_PLACEHOLDERS = ("n", "count", "ids", "versions", "lines")


def _is_one(name: str, value: object) -> bool:
    """Whether a count placeholder's value means one thing: the number 1 (or "1" as text), or
    for ``lines``, a list of line numbers with one entry."""
    if name == "lines":
        return "," not in str(value)
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value == 1
    return str(value).strip() == "1"


def t(key: str, lang: Language, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Where the catalog has a singular (``<key>.one``), it is used when the count (the first of
    :data:`COUNT_PLACEHOLDERS` given) is one. A missing key is a programming error and raises
    ``KeyError`` (tests catch it).
    """
    texts = catalog(lang)
    text = texts[key]
    if values and f"{key}.one" in texts:
        name = next((name for name in COUNT_PLACEHOLDERS if name in values), None)
        if name is not None and _is_one(name, values[name]):
            text = texts[f"{key}.one"]
    return text.format(**values) if values else text


def as_language(value: object) -> Language | None:
    """``value`` as a supported language code, or ``None``."""
    if value == "de":
        return "de"
    if value == "en":
        return "en"
    return None


def language_from_locale(locale: str | None) -> Language:
    """The UI language for a browser locale such as ``de-AT`` or ``en-US``."""
    if locale and locale.lower().startswith("de"):
        return "de"
    return DEFAULT_LANGUAGE


def fmt_int(value: int | None, lang: Language) -> str:
    """A whole number with the locale's grouping (``1.234`` / ``1,234``)."""
    return "–" if value is None else format_decimal(value, locale=_LOCALES[lang])


def fmt_decimal(value: float | Decimal | None, lang: Language, digits: int = 1) -> str:
    """A number with ``digits`` decimals in the locale's style."""
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=_LOCALES[lang])


def fmt_percent(share: float | None, lang: Language, digits: int = 0) -> str:
    """A share (0.3) as a percentage (``30 %`` / ``30%``)."""
    if share is None:
        return "–"
    number = "#,##0." + "0" * digits if digits else "#,##0"
    pattern = number + ("\u00a0%" if lang == "de" else "%")
    return format_percent(share, format=pattern, locale=_LOCALES[lang])


def fmt_money(value: float | Decimal | None, lang: Language, currency: str = "EUR") -> str:
    """An amount of money (``1.234,00 €`` / ``€1,234.00``)."""
    if value is None:
        return "–"
    return format_currency(value, currency, locale=_LOCALES[lang])


def fmt_date(value: date | datetime | None, lang: Language) -> str:
    """A date in the locale's medium style (``23.11.2026`` / ``23 Nov 2026``)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="medium", locale=_LOCALES[lang])


def fmt_datetime(value: datetime | None, lang: Language) -> str:
    """A date as :func:`fmt_date` writes it, and the time to the minute (``07.12.2026, 09:37`` /
    ``7 Dec 2026, 09:37``): one date format per language on every page."""
    if value is None:
        return "–"
    return f"{fmt_date(value, lang)}, {format_time(value, format='HH:mm', locale=_LOCALES[lang])}"


def fmt_money_whole(value: float | Decimal, lang: Language, currency: str = "EUR") -> str:
    """An amount in whole currency units (``9.405 €`` / ``€9,405``): cents add only noise."""
    pattern = Locale.parse(_LOCALES[lang]).currency_formats["standard"].pattern
    return format_currency(value, currency, format=pattern.replace(".00", ""),
                           locale=_LOCALES[lang], currency_digits=False)


def fmt_month(month: date, lang: Language, *, short: bool = False) -> str:
    """``März 2026`` / ``March 2026`` (``März 2026`` / ``Mar 2026`` when short)."""
    return format_date(month, "MMM yyyy" if short else "MMMM yyyy", locale=_LOCALES[lang])
