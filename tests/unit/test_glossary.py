"""One term per thing (issue 18): no UI text uses a word the glossary rules out.

docs/glossary.md has a table with the columns "Not used (German)" and "Not used (English)". Every
catalog text and every mapping field label of that language is checked for those words as whole
words, case-insensitive.
"""

from __future__ import annotations

import re
from pathlib import Path

from crm_dash.datasets import DATASETS, field_label
from crm_dash.i18n import LANGUAGES, catalog

GLOSSARY = Path(__file__).parent.parent.parent / "docs" / "glossary.md"
COLUMNS = {"de": "not used (german)", "en": "not used (english)"}

# (language, catalog key, forbidden word) -> why the word is right there. Keep it short: each
# entry is a word used in another sense than the glossary's thing, usually a vendor's own name.
EXCEPTIONS: dict[tuple[str, str, str], str] = {
    # CRM object names as the CRMs show them ("Account, Opportunity, Kontakt").
    ("de", "adoption.help.breadth", "opportunity"): "Salesforce's object name",
    # Import presets are named after the vendor's report or object.
    ("de", "import.preset.salesforce_opportunity_dataloader", "opportunity"): "Salesforce object",
    ("de", "import.preset.salesforce_opportunity_report", "opportunity"): "Salesforce report",
    ("de", "import.preset.salesforce_opportunity_report_de", "opportunity"): "Salesforce report",
    ("de", "import.preset.hubspot_deals", "deals"): "HubSpot's object name",
    ("en", "import.preset.hubspot_deals", "deals"): "HubSpot's object name",
    ("de", "import.preset.pipedrive_deals", "deals"): "Pipedrive's object name",
    ("en", "import.preset.pipedrive_deals", "deals"): "Pipedrive's object name",
    ("de", "import.preset.pipedrive_deals_de", "deals"): "Pipedrive's object name",
    ("en", "import.preset.pipedrive_deals_de", "deals"): "Pipedrive's object name",
    # The empty Pipeline page lists the exports by their vendors' names.
    ("de", "pipeline.no_data.lead", "opportunity"): "Salesforce's 'Opportunity-Bericht'",
    ("de", "pipeline.no_data.lead", "deals"): "'HubSpot-Deals', 'Pipedrive-Deals'",
    ("en", "pipeline.no_data.lead", "deals"): "'HubSpot deals', 'Pipedrive deals'",
    # HubSpot's own field "Is deal closed?", quoted.
    ("de", "pipeline.stages.intro", "deal"): "HubSpot field name",
    ("en", "pipeline.stages.intro", "deal"): "HubSpot field name",
}


def _words(cell: str) -> list[str]:
    cell = cell.replace("`", "").replace("*", "").strip()
    if cell in {"", "—", "-"}:
        return []
    return [w.strip() for w in cell.split(",") if w.strip()]


def forbidden_words() -> dict[str, set[str]]:
    """The "Not used" words of docs/glossary.md, per language, lower-case."""
    header: list[str] | None = None
    words: dict[str, set[str]] = {lang: set() for lang in COLUMNS}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None if not line.strip() else header
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if all(set(c) <= set("-: ") for c in cells):
            continue
        for lang, column in COLUMNS.items():
            if column in header:
                words[lang] |= {w.lower() for w in _words(cells[header.index(column)])}
    return words


def ui_texts(lang: str) -> dict[str, str]:
    """Catalog texts and mapping field labels of ``lang``, placeholders removed."""
    texts = dict(catalog(lang))
    for kind, spec in DATASETS.items():
        for field in spec.fields:
            texts[f"field:{kind.value}.{field.name}"] = field_label(kind, field.name, lang)
    return {key: re.sub(r"{\w+}", " ", text) for key, text in texts.items()}


def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


def test_the_glossary_rules_out_words_in_both_languages() -> None:
    words = forbidden_words()
    assert len(words["de"]) >= 20 and len(words["en"]) >= 15, words
    assert "besitzer" in words["de"]  # the known example of issue 18


def test_no_ui_text_uses_a_word_the_glossary_rules_out() -> None:
    words = forbidden_words()
    found = []
    for lang in LANGUAGES:
        for key, text in ui_texts(lang).items():
            for word in sorted(words[lang]):
                if _pattern(word).search(text) and (lang, key, word) not in EXCEPTIONS:
                    found.append(f"{lang} {key}: '{word}' in {text!r}")
    assert not found, "\n".join(found)


def test_every_exception_is_still_needed() -> None:
    words = forbidden_words()
    for lang, key, word in EXCEPTIONS:
        assert word in words[lang], (lang, key, word)
        assert _pattern(word).search(ui_texts(lang)[key]), (lang, key, word)
