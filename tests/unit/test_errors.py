"""The error hierarchy: codes, texts in the reader's language, and how every page shows them."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from crm_dash import config, settings
from crm_dash.errors import (
    CODE_PATTERN,
    ConfigError,
    CrmDashError,
    DatabaseBusy,
    DatabaseError,
    ImportRejected,
    code_of_key,
)
from crm_dash.goals.store import GoalError
from crm_dash.i18n import LANGUAGES, catalog
from crm_dash.importing.history import batch_rows, set_integration_accounts
from crm_dash.importing.problems import ImportProblem
from crm_dash.markdown import md_unescape
from crm_dash.metrics.definitions import _WORDED_PROBLEMS, definition_from_values
from crm_dash.metrics.pipeline.outcomes import save_stage_outcomes
from crm_dash.retro.store import RetroError, get_retro
from crm_dash.retro.template import template_items
from crm_dash.setup_link import SetupRefused, TokenState
from crm_dash.ui.page import error_markdown

ERRORS_DOC = Path(__file__).parent.parent.parent / "docs" / "errors.md"


# --- codes --------------------------------------------------------------------------------------


def test_a_worded_error_is_coded_by_its_key() -> None:
    error = GoalError.says("error.goal.unknown_department", department="Vertrieb",
                           known="Service")
    assert error.error_code == "goal.unknown_department"
    assert ImportProblem("empty").error_code == "import.empty"
    assert ConfigError.says("error.config.memory_min", min=128).error_code == "config.memory_min"
    assert code_of_key("import.error.ragged") == "import.ragged"


def test_an_error_raised_with_a_sentence_has_its_class_s_code() -> None:
    """The command line's English errors: the area, from the class."""
    assert CrmDashError("x").error_code == "error"
    assert ConfigError("x").error_code == "config"
    assert DatabaseError("x").error_code == "database"
    assert DatabaseBusy("x").error_code == "database"
    assert ImportRejected("x").error_code == "import"
    assert RetroError("x").error_code == "retro"
    assert GoalError("x").error_code == "goal"
    assert SetupRefused(TokenState.EXPIRED).error_code == "setup.expired"
    for error in (CrmDashError("x"), SetupRefused(TokenState.ADMIN_EXISTS)):
        assert CODE_PATTERN.fullmatch(error.error_code)


def test_the_cli_and_the_log_carry_the_code() -> None:
    error = RetroError.says("error.retro.missing", title_key="error.title.retro_not_found",
                            id="7")
    assert error.as_json() == {"code": "retro.missing", "title": "Retrospective not found",
                               "message": "There is no retrospective with id 7."}


def test_the_codes_are_listed_in_the_docs() -> None:
    listed = set(re.findall(r"^\| `([a-z0-9_.]+)` \|", ERRORS_DOC.read_text(encoding="utf-8"),
                            re.MULTILINE))
    codes = {code_of_key(k) for k in catalog("en") if "error" in k.split(".")
             and not k.startswith("error.title.") and not k.endswith(".one")}
    assert codes - listed == set(), "add them to docs/errors.md"
    assert listed - codes - {"error", "config", "database", "import", "account", "goal",
                             "retro", "setup.missing", "setup.wrong", "setup.expired",
                             "setup.used", "setup.admin_exists"} == set()


# --- texts in the reader's language ------------------------------------------------------------


def test_a_converted_error_keeps_its_english_and_speaks_german(
        conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(RetroError) as missing:
        get_retro(conn, 42)
    assert missing.value.message == "There is no retrospective with id 42."
    assert missing.value.for_reader("de") == ("Retrospektive nicht gefunden",
                                              "Es gibt keine Retrospektive mit der Id 42.")
    with pytest.raises(CrmDashError) as no_upload:
        batch_rows(conn, 42)
    assert no_upload.value.for_reader("de") == ("Importverlauf", "Es gibt keinen Upload Nr. 42.")
    with pytest.raises(CrmDashError) as unknown:
        set_integration_accounts(conn, {"nobody"}, "lead")
    assert unknown.value.error_code == "integration.not_in_roster"
    with pytest.raises(ConfigError) as outcome:
        save_stage_outcomes(conn, {"Verhandlung": "maybe"}, actor="lead")
    assert outcome.value.for_reader("de")[1] == (
        "„Verhandlung“: Eine Phase zählt als offen, gewonnen oder verloren, nicht als „maybe“.")
    with pytest.raises(ConfigError) as setting:
        settings.get_setting(conn, "no.such")
    assert setting.value.for_reader("de") == ("Konfigurationsfehler",
                                              "Unbekannte Einstellung „no.such“.")


def test_configuration_errors_speak_german(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_DASH_MEMORY_MB", "viel")
    with pytest.raises(ConfigError) as memory:
        config.memory_mb()
    assert memory.value.message == "CRM_DASH_MEMORY_MB must be a whole number, not 'viel'."
    assert memory.value.for_reader("de")[1] == (
        "CRM_DASH_MEMORY_MB muss eine ganze Zahl sein, nicht „viel“.")


def test_an_unknown_template_version_is_worded() -> None:
    with pytest.raises(RetroError) as raised:
        template_items(99)
    assert raised.value.error_code == "retro.unknown_template"
    assert "Checklisten-Vorlage Version 99" in raised.value.for_reader("de")[1]


@pytest.mark.parametrize(("values", "code", "german"), [
    ({"sporadic_min_active_days": 9}, "definition.sporadic_above_productive",
     "Sporadisch verlangt 9 aktive Tage, mehr als produktiv (8)"),
    ({"write_actions": []}, "definition.no_write_action", "Mindestens eine Aktion"),
    ({"write_actions": ["create", "sing"]}, "definition.unknown_actions",
     "Unbekannte Aktionen: sing."),
    ({"time_zone": "Mars/Olympus"}, "definition.unknown_time_zone", "„Mars/Olympus“"),
    ({"grace_days": -1}, "definition.invalid", "Der Wert von grace_days"),
])
def test_a_bad_definition_is_worded_for_the_settings_page(
        values: dict[str, object], code: str, german: str) -> None:
    with pytest.raises(ConfigError) as raised:
        definition_from_values(values)
    assert raised.value.error_code == code
    title, message = raised.value.for_reader("de")
    assert title == "Diese Werte sind nicht verwendbar"  # the settings page's heading
    assert german in message


def test_the_definition_s_own_problems_all_have_texts() -> None:
    for problem in _WORDED_PROBLEMS:
        for lang in LANGUAGES:
            assert f"error.definition.{problem}" in catalog(lang)


# --- the one place the pages show an error ------------------------------------------------------


def test_every_page_shows_title_message_and_code() -> None:
    error = GoalError.says("error.goal.unknown_department",
                           title_key="error.title.unknown_department",
                           department="**Vertrieb**", known="[x](http://example.com)")
    shown = error_markdown(error, "de")
    assert shown.startswith("**Unbekannte Abteilung**: ")
    assert shown.endswith(":small[:gray[Fehlercode goal\\.unknown\\_department]]")
    # A name from the data is shown as text: no bold, no link.
    assert "\\*\\*Vertrieb\\*\\*" in shown and "](http" not in shown
    assert "Abteilung „**Vertrieb**“" in md_unescape(shown)
    assert "Error code goal" in error_markdown(error, "en")


def test_an_english_sentence_is_shown_as_text() -> None:
    shown = error_markdown(ConfigError("No file at *data*/x.csv.", title="Configuration"), "de")
    assert md_unescape(shown) == (
        "**Configuration**: No file at *data*/x.csv. :small[:gray[Fehlercode config]]")


def test_an_import_problem_keeps_its_markdown_and_gets_its_title() -> None:
    shown = error_markdown(ImportProblem("demo_database"), "de")
    assert shown.startswith("**Upload abgelehnt**: ")
    assert "`crm-dash run --db data/meine-firma.duckdb`" in shown  # the catalog's own Markdown
    assert shown.endswith("Fehlercode import\\.demo\\_database]]")
    header = error_markdown(ImportProblem("unknown_headers", columns="*a*", headers="b"), "en")
    assert "\\*a\\*" in header


def test_a_reject_rate_reads_as_a_percentage_in_the_readers_format() -> None:
    from crm_dash.errors import Share
    from crm_dash.importing.problems import ImportProblem

    problem = ImportProblem("too_many_rejects", rejected=25, rows=1000, rate=Share(0.025),
                            limit=Share(0.01))
    # 25 of 1,000 rows is 2.5 %; the limit 1 %; both with two decimals, as before in English
    assert "(2.50%), more than the allowed 1.00%" in problem.message
    assert "(2,50\u00a0%), mehr als die erlaubten 1,00\u00a0%" in problem.text("de")
