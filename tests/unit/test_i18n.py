from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from crm_dash.i18n import (
    LANGUAGES,
    catalog,
    catalog_files,
    fmt_date,
    fmt_int,
    fmt_money,
    fmt_percent,
    language_from_locale,
    t,
)

ROOT = Path(__file__).parent.parent.parent


def test_catalogs_have_the_same_files_and_keys_and_no_empty_texts() -> None:
    de_files, en_files = catalog_files("de"), catalog_files("en")
    assert set(de_files) == set(en_files)
    for name in en_files:
        assert set(de_files[name]) == set(en_files[name]), name
    de, en = catalog("de"), catalog("en")
    assert all(v.strip() for v in [*de.values(), *en.values()])


def test_catalogs_use_the_same_placeholders() -> None:
    for key in catalog("en"):
        names = {lang: set(re.findall(r"{(\w+)}", catalog(lang)[key])) for lang in LANGUAGES}
        assert names["de"] == names["en"], key


def test_every_key_used_in_code_exists() -> None:
    used: set[str] = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("crm_dash/**/*.py")]:
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    assert used, "the scan found no t(...) calls"
    missing = sorted(k for k in used if k not in catalog("en"))
    assert not missing


def test_missing_key_raises() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "de")


@pytest.mark.parametrize(("locale", "lang"), [("de-DE", "de"), ("de-AT", "de"),
                                               ("en-US", "en"), ("fr-FR", "en"), (None, "en")])
def test_language_from_browser_locale(locale: str | None, lang: str) -> None:
    assert language_from_locale(locale) == lang


def test_locale_formatting() -> None:
    assert fmt_int(1234567, "de") == "1.234.567"
    assert fmt_int(1234567, "en") == "1,234,567"
    assert fmt_percent(0.305, "de", 1) == "30,5\u00a0%"
    assert fmt_percent(0.3, "en") == "30%"
    assert fmt_money(1234.5, "de") == "1.234,50\u00a0€"
    assert fmt_money(1234.5, "en") == "€1,234.50"
    assert fmt_date(date(2026, 11, 3), "de") == "03.11.2026"
    assert fmt_date(date(2026, 11, 3), "en") == "3 Nov 2026"
    assert fmt_int(None, "de") == "–"


def test_counts_agree_with_their_nouns() -> None:
    # No "(s)", "(en)" or "Konto/Konten" in a text: a count picks the singular or the plural.
    for lang in LANGUAGES:
        for key, text in catalog(lang).items():
            assert not re.search(r"\w\((s|es|e|en|n)\)|Konto/Konten|konto/-konten", text), (
                lang, key)
    assert t("upload.preamble", "en", n="1") == "1 line above the header skipped"
    assert t("upload.preamble", "en", n="3") == "3 lines above the header skipped"
    assert t("upload.rejects_note", "de", n=1).startswith("1 Zeile enthält unbrauchbare Werte")
    assert t("upload.rejects_note", "de", n=1234).startswith("1234 Zeilen enthalten")
    assert t("health.attention", "de", n="1") == "1 Befund braucht Aufmerksamkeit."
    assert t("import.error.quotes", "en", lines="7").startswith(
        "A quoted value is not closed: line 7.")
    assert t("import.error.quotes", "en", lines="7, 9").startswith(
        "A quoted value is not closed: lines 7, 9.")
