from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from crm_dash.errors import ConfigError
from crm_dash.privacy import pseudonym, pseudonym_key, pseudonymise
from crm_dash.settings import get_setting, set_setting, setting_history


def test_pseudonyms_are_stable_case_insensitive_and_secret(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    key = pseudonym_key(conn)
    assert pseudonym_key(conn) == key
    anna = pseudonym("Anna.Berg@Beispiel.de", key)
    assert anna == pseudonym("anna.berg@beispiel.de ", key)
    assert anna is not None and anna.startswith("Person ") and "anna" not in anna.lower()
    assert pseudonym("Bert", key) != anna
    assert pseudonym("Anna.Berg@Beispiel.de", "another key") != anna
    assert pseudonym(None, key) is None


def test_pseudonymise_replaces_only_the_named_columns() -> None:
    frame = pd.DataFrame({"name": ["Jürgen Müller"], "email": ["j@x.de"], "department": ["Süd"]})
    out = pseudonymise(frame, ["name", "email"], "k")
    assert out.loc[0, "department"] == "Süd"
    assert out.loc[0, "name"].startswith("Person ") and out.loc[0, "email"].startswith("Person ")
    assert frame.loc[0, "name"] == "Jürgen Müller"  # the input is untouched


def test_settings_are_versioned_and_audited(conn: duckdb.DuckDBPyConnection) -> None:
    assert get_setting(conn, "privacy.pseudonymise") is False
    assert set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    assert not set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    assert set_setting(conn, "privacy.pseudonymise", False, actor="lead")
    history = setting_history(conn, "privacy.pseudonymise")
    assert [(h.value, h.changed_by) for h in history] == [(False, "lead"), (True, "admin")]
    audit = conn.execute("SELECT actor, details FROM audit_log WHERE action = 'setting_change'"
                         " ORDER BY id").fetchall()
    assert audit[0] == ("admin", '{"old": false, "new": true}')
    with pytest.raises(ConfigError):
        set_setting(conn, "privacy.pseudonymise", "yes", actor="admin")
    with pytest.raises(ConfigError):
        get_setting(conn, "no.such.setting")


def test_views_show_pseudonyms_only_when_the_setting_is_on(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    from crm_dash.privacy import for_display

    frame = pd.DataFrame({"name": ["Jürgen Müller"], "owner": ["j@x.de"], "stage": ["Won"]})
    assert for_display(conn, frame).equals(frame)
    set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    shown = for_display(conn, frame)
    assert shown.loc[0, "name"].startswith("Person ")
    assert shown.loc[0, "owner"].startswith("Person ")
    assert shown.loc[0, "stage"] == "Won"
