"""The adoption data of a page run, from cache when nothing changed.

The cache key is the database file and its data version (:func:`crm_dash.metrics.activity.
data_version`: import batches, usage rows, integration flags, latest setting version), so an
upload, a deleted batch, a new flag or a new definition computes afresh, and every other view
comes from memory. The version check itself is a handful of reads of small tables.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from crm_dash import config
from crm_dash.i18n import Language, t
from crm_dash.metrics.activity import data_version
from crm_dash.metrics.people import people_table
from crm_dash.privacy import for_display
from crm_dash.settings import get_setting
from crm_dash.ui.format import definition_caption
from crm_dash.views import data
from crm_dash.views.data import AdoptionData
from crm_dash.views.snapshot import snapshot


def adoption_data(conn: duckdb.DuckDBPyConnection) -> AdoptionData:
    """The person-months and the definition in force (cached per data version)."""
    return data.adoption_data(snapshot(conn))


def adoption_page_start(
    conn: duckdb.DuckDBPyConnection, lang: Language, page_key: str
) -> AdoptionData:
    """How the Adoption and People pages begin: title, intro, the data and its definition.

    Stops the page with a hint when no usage data is on file yet.
    """
    st.title(t(f"{page_key}.title", lang))
    st.caption(t(f"{page_key}.intro", lang))
    data = adoption_data(conn)
    if not data.has_data:
        st.info(t("adoption.no_data", lang))
        st.stop()
    definition_caption(data.definition, lang)
    return data


@st.cache_data(show_spinner=False, max_entries=16)
def _people(db: str, version: str, month: date, groups: tuple[str | None, ...], pseudonyms: bool,
            _conn: duckdb.DuckDBPyConnection, _frame: pd.DataFrame) -> pd.DataFrame:
    return for_display(_conn, people_table(_conn, _frame, month))


def people(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, month: date,
           groups: tuple[str | None, ...]) -> pd.DataFrame:
    """The people table of ``month`` for ``frame``, which holds the people of ``groups``
    (department, team, role filters); pseudonymised when the privacy setting says so (the
    setting is part of the cache key)."""
    pseudonyms = bool(get_setting(conn, "privacy.pseudonymise"))
    return _people(str(config.db_path()), data_version(conn), month, groups, pseudonyms, conn,
                   frame)
