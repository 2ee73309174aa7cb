"""Values, dates and errors as the reader's language writes them (no None, True, ISO times)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from crm_dash import auth, db
from crm_dash.auth import AccountError
from crm_dash.goals.model import GoalDraft, GoalMetric, GoalScope
from crm_dash.goals.present import goal_name
from crm_dash.goals.store import GoalError
from crm_dash.i18n import fmt_datetime
from crm_dash.i18n.tables import display_values
from crm_dash.pages import Role
from crm_dash.ui.format import date_column


def test_dates_and_times_read_alike_on_every_page() -> None:
    moment = datetime(2026, 12, 7, 9, 37, 12)
    assert fmt_datetime(moment, "de") == "07.12.2026, 09:37"
    assert fmt_datetime(moment, "en") == "7 Dec 2026, 09:37"  # not 07/12/2026 beside 7 Dec
    assert date_column("Last active", "de")["type_config"]["format"] == "DD.MM.YYYY"
    assert date_column("Last active", "en")["type_config"]["format"] == "D MMM YYYY"


def test_a_preview_shows_values_not_python() -> None:
    frame = pd.DataFrame({
        "start_date": pd.to_datetime(["2025-03-02", None]),
        "timestamp": pd.to_datetime(["2026-10-01 09:37:00", "2026-10-02 00:00:00"]),
        "is_integration": [True, False],
        "license_cost_monthly": [35.0, 1234.5],
        "department": ["Vertrieb", None],
        "joined": [date(2025, 1, 1), None],
    })
    de = display_values(frame, "de")
    assert de.iloc[0].tolist() == ["02.03.2025", "01.10.2026, 09:37", "ja", "35", "Vertrieb",
                                   "01.01.2025"]
    # A missing value stays missing: the table draws its placeholder ("–").
    assert de.iloc[1].tolist() == [None, "02.10.2026", "nein", "1.234,50", None, None]
    en = display_values(frame, "en")
    assert en.iloc[1].tolist() == [None, "2 Oct 2026", "no", "1,234.50", None, None]


def test_errors_reach_each_reader_in_their_language(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "a.duckdb")
    auth.add_user(conn, "lead", "correct horse battery", Role.LEAD, actor="test")
    with pytest.raises(AccountError) as caught:
        auth.add_user(conn, "lead", "correct horse battery", Role.LEAD, actor="test")
    assert caught.value.message == "A user named 'lead' already exists."  # CLI and log
    assert caught.value.for_reader("de") == ("Konto", "Es gibt bereits einen Benutzer „lead“.")
    with pytest.raises(AccountError) as short:
        auth.validate_password("kurz")
    assert short.value.for_reader("de")[1].startswith("Das Passwort hat 4 Zeichen")
    conn.close()
    # Months in an error read as months of the reader's language, not 2026-10.
    error = GoalError.says("error.goal.no_writes", title_key="error.title.no_baseline",
                           month=date(2026, 10, 1))
    assert "October 2026" in error.message
    assert error.for_reader("de") == ("Keine Ausgangsbasis", error.for_reader("de")[1])
    assert "Basismonats Oktober 2026" in error.for_reader("de")[1]


def test_a_generated_goal_name_reads_in_the_readers_language() -> None:
    draft = {"metric": GoalMetric.PRODUCTIVE_USERS, "scope": GoalScope(department="Vertrieb Süd"),
             "target_pct": 20.0, "horizon_months": 9, "start": date(2026, 2, 1)}
    made_in_english = GoalDraft.model_validate(
        {**draft, "name": "+20 % productive users in Vertrieb Süd within 9 months"})
    assert goal_name(made_in_english, "de") == (  # type: ignore[arg-type]
        "+20 % produktive Nutzer in Vertrieb Süd in 9 Monaten")
    typed = GoalDraft.model_validate({**draft, "name": "Vertrieb Süd auf Kurs bringen"})
    assert goal_name(typed, "en") == "Vertrieb Süd auf Kurs bringen"  # type: ignore[arg-type]
