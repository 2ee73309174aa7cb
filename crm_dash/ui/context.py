"""Per-process and per-session state of the UI: the database connection and the language."""

from __future__ import annotations

import duckdb
import streamlit as st

from crm_dash import config, db
from crm_dash.i18n import LANGUAGES, Language, as_language, language_from_locale, t
from crm_dash.ui.streamlit_language import replace_streamlit_english

_LANG_KEY = "crm_dash_lang"
_SWITCH_KEY = "crm_dash_lang_switch"


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return db.connect(path)


def connection() -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the configured database (one per process)."""
    return _connection(str(config.db_path()))


def language() -> Language:
    """The session's UI language: chosen in the switch, else ``?lang=``, else the browser's."""
    chosen = as_language(st.session_state.get(_LANG_KEY))
    if chosen:
        return chosen
    lang = as_language(st.query_params.get("lang")) or language_from_locale(st.context.locale)
    st.session_state[_LANG_KEY] = lang
    return lang


def _on_language_change() -> None:
    picked = as_language(st.session_state.get(_SWITCH_KEY))
    if picked:
        st.session_state[_LANG_KEY] = picked
        st.query_params["lang"] = picked


def language_switch() -> Language:
    """German/English switch in the sidebar; the choice is kept in the URL (``?lang=``).

    Streamlit's own texts follow the choice (:mod:`crm_dash.ui.streamlit_language`).
    """
    current = language()
    st.sidebar.segmented_control(
        t("app.language", current),
        options=list(LANGUAGES),
        format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
        default=current,
        key=_SWITCH_KEY,
        on_change=_on_language_change,
    )
    replace_streamlit_english(current)  # Streamlit's own texts and <html lang> follow it
    return current
