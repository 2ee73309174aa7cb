from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from crm_dash.goals.model import GoalMetric
from crm_dash.goals.present import fmt_gain, fmt_value
from crm_dash.i18n import (
    LANGUAGES,
    as_language,
    babel_locale,
    catalog,
    catalog_files,
    count_delta,
    currencies_text,
    fmt_date,
    fmt_datetime,
    fmt_decimal,
    fmt_int,
    fmt_money,
    fmt_money_whole,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_signed,
    language_from_locale,
    money_text,
    month_label,
    month_long,
    share_delta,
    share_text,
    t,
    with_month_labels,
)
from crm_dash.i18n.labels import segment_help, segment_labels
from crm_dash.i18n.tables import column_width, text_width
from crm_dash.metrics.definitions import AdoptionDefinition, VersionedDefinition
from crm_dash.retro.present import format_value
from crm_dash.views.pipeline import win_rate_text

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


NBSP = "\u00a0"


def test_the_package_is_the_one_home_of_language_and_formatting() -> None:
    # (Streamlit-free like all of crm_dash outside ui/: tests/unit/test_architecture.py)
    assert fmt_int.__module__ == "crm_dash.i18n.numbers"
    assert t.__module__ == "crm_dash.i18n.catalog"
    assert not (ROOT / "crm_dash" / "ui" / "pipeline" / "format.py").exists()
    assert as_language("de") == "de" and as_language("fr") is None
    assert babel_locale("de") == "de_DE" and babel_locale("en") == "en_GB"


def test_numbers() -> None:
    assert fmt_decimal(1234.5, "de") == "1.234,5"
    assert fmt_decimal(1234.5, "en", 2) == "1,234.50"
    assert fmt_decimal(1234.5, "en", 0) == "1,234"
    assert fmt_decimal(None, "en") == "–"
    # whole numbers without decimals, others with ``digits`` of them
    assert fmt_number(12.0, "de") == "12"
    assert fmt_number(1234.0, "en") == "1,234"
    assert fmt_number(12.5, "de") == "12,5"
    assert fmt_number(1234.5, "de", 2) == "1.234,50"
    assert fmt_number(-0.0, "de") == "0"
    assert fmt_number(None, "en") == "–"


def test_signed_changes() -> None:
    assert fmt_signed(3, "de") == "+3"
    assert fmt_signed(-1234, "de") == "-1.234"
    assert fmt_signed(-1234, "en") == "-1,234"
    assert fmt_signed(0, "en") == "0"
    assert fmt_signed(1.5, "de", 1) == "+1,5"
    assert fmt_signed(-1.5, "en", 1, minus="−") == "−1.5"
    assert fmt_signed(0, "de", 1, zero="±") == "±0,0"
    assert count_delta(12, 9, "de") == "+3"
    assert count_delta(9, 12, "en") == "-3"
    assert count_delta(5, 5, "de") == "0"
    assert count_delta(5, None, "de") is None
    assert share_delta(0.25, 0.2, "de") == "+5,0 Pp."
    assert share_delta(0.25, 0.2, "en") == "+5.0 pp"
    assert share_delta(0.2, 0.25, "de") == "-5,0 Pp."
    assert share_delta(None, 0.2, "en") == ""


def test_shares() -> None:
    assert share_text(0.3, "de") == f"30{NBSP}%"
    assert share_text(0.3, "en") == "30%"
    assert share_text(None, "de") == "–"
    assert share_text(float("nan"), "en") == "–"  # never "NaN%"
    assert fmt_percent(None, "en") == "–"
    assert win_rate_text(0.6, 3, 5, "en") == "60% (3 of 5)"
    assert win_rate_text(0.6, 3, 5, "de") == f"60{NBSP}% (3 von 5)"
    assert win_rate_text(None, 0, 0, "de") == "–"
    assert win_rate_text(float("nan"), 0, 0, "en") == "–"


def test_money() -> None:
    assert fmt_money(None, "de") == "–"
    assert fmt_money_whole(9405.4, "de") == f"9.405{NBSP}€"
    assert fmt_money_whole(9405.4, "en") == "€9,405"
    assert money_text(70000.0, "EUR", "en") == "€70,000"
    assert money_text(70000.0, "EUR", "de") == f"70.000{NBSP}€"
    assert money_text(999999.0, "EUR", "en", compact=True) == "€999,999"  # compact from 1m on
    assert money_text(50623500.0, "EUR", "de", compact=True) == f"50,6{NBSP}Mio.{NBSP}€"
    assert money_text(1200.0, "€", "en") == "1,200 €"  # a symbol, not a code: after the number
    assert money_text(1200.0, None, "de") == "1.200"
    assert money_text(None, "EUR", "de") == "–"
    assert currencies_text({"USD": 8000.0, "EUR": 70000.0}, "en") == "€70,000 + US$8,000"
    assert currencies_text({"USD": 8000.0, "EUR": 70000.0}, "de") == (
        f"70.000{NBSP}€ + 8.000{NBSP}$")


def test_dates_and_months() -> None:
    assert fmt_date(datetime(2026, 11, 3, 17, 5), "en") == "3 Nov 2026"
    assert fmt_date(None, "de") == "–"
    assert fmt_datetime(None, "en") == "–"
    assert fmt_month(date(2026, 3, 1), "de") == "März 2026"
    assert fmt_month(date(2026, 3, 1), "en") == "March 2026"
    assert fmt_month(date(2026, 3, 1), "en", short=True) == "Mar 2026"
    assert month_label(date(2026, 10, 1), "de") == "Okt. 2026"
    assert month_label(date(2026, 10, 1), "en") == "Oct 2026"
    assert month_long(date(2026, 10, 1), "de") == "Oktober 2026"
    assert month_long(date(2026, 10, 1), "en") == "October 2026"
    frame = pd.DataFrame({"month": [date(2026, 9, 1), date(2026, 10, 1)], "people": [3, 4]})
    labelled = with_month_labels(frame, "de")
    assert list(labelled["month_label"]) == ["Sept. 2026", "Okt. 2026"]
    assert "month_label" not in frame  # a copy


def test_text_widths() -> None:
    assert text_width("il") == pytest.approx(7.0)
    assert text_width("W") == pytest.approx(11.6)
    assert text_width("Ж") == pytest.approx(7.6)  # a character not measured
    assert column_width("Name") == 56  # 35.1 px + 20 px of padding, at least the minimum
    # "Abschlussdatum" 97.9 px (wider than "01.01.2026", 63 px) + 20 px; a help icon adds 18 px
    assert column_width("Abschlussdatum", ["01.01.2026"]) == 118
    assert column_width("Abschlussdatum", ["01.01.2026"], help_icon=True) == 136
    assert column_width("Id", ["W" * 100], maximum=120) == 120  # values cut, never the heading
    assert column_width("Id", [None, float("nan")]) == 56


def test_segment_labels_and_help() -> None:
    assert segment_labels("de") == {
        "productive": "Produktiv", "sporadic": "Sporadisch", "barely": "Kaum", "never": "Nie",
        "new": "Neu", "barely_never": "Kaum oder nie", "not_licensed": "Nicht lizenziert"}
    assert segment_labels("en")["barely_never"] == "Barely or never"
    versioned = VersionedDefinition(AdoptionDefinition(productive_min_active_days=10,
                                                       productive_min_writes=3), 2, None, None)
    assert segment_help("productive", versioned, "en").startswith(
        "At least 10 active days and at least 3 writes")
    assert segment_help("sporadic", versioned, "de").startswith(
        "Mindestens 2 aktive Tage im Monat, aber nicht produktiv (weniger als 10 aktive Tage")


def test_feature_texts_format_through_the_family() -> None:
    count, share = GoalMetric.PRODUCTIVE_USERS, GoalMetric.PRODUCTIVE_SHARE
    assert fmt_value(12.0, count, "de") == "12"
    assert fmt_value(12.5, count, "de") == "12,5"
    assert fmt_value(0.305, share, "de") == f"30,5{NBSP}%"
    assert fmt_value(None, share, "en") == "–"
    assert fmt_gain(1.4, count, "de") == "+1,4"
    assert fmt_gain(0.008, share, "en") == f"+0.8{NBSP}pp"
    assert fmt_gain(0.0, share, "de") == "0"
    assert format_value("productive_pp", 0.181, "de") == f"+18,1{NBSP}Pp."
    assert format_value("productive_pp", -0.05, "en") == f"−5.0{NBSP}pp"  # typographic minus
    assert format_value("productive_pp", 0, "en") == f"±0.0{NBSP}pp"
