"""The languages and their catalogs: every UI text in German and English.

Every text the UI shows comes from ``crm_dash/locales/<lang>/*.json``: one file per area of the
product, the same files and keys in each language (a test checks that), no key in two files.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal, cast

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")
DEFAULT_LANGUAGE: Language = "en"

_LOCALES: dict[Language, str] = {"de": "de_DE", "en": "en_GB"}


def babel_locale(lang: Language) -> str:
    """The Babel locale that formats numbers, dates and money for ``lang``."""
    return _LOCALES[lang]


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
