"""The adoption data of a page run, from cache when nothing changed.

The cache key is the database file and its data version (:func:`crm_dash.metrics.activity.
data_version`: import batches, usage rows, integration flags, latest setting version), so an
upload, a deleted batch, a new flag or a new definition computes afresh, and every other view
comes from memory. The version check itself is a handful of reads of small tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from crm_dash import config
from crm_dash.i18n import Language, t
from crm_dash.metrics.activity import data_version
from crm_dash.metrics.adoption import months_without_writes
from crm_dash.metrics.definitions import VersionedDefinition, load_definition
from crm_dash.metrics.people import people_table
from crm_dash.metrics.segments import available_months, user_months
from crm_dash.privacy import for_display
from crm_dash.settings import get_setting
from crm_dash.ui.format import definition_caption


@dataclass(frozen=True)
class AdoptionData:
    """Everything the adoption pages derive their figures from."""

    definition: VersionedDefinition
    first_month: date | None
    latest_complete: date | None
    last_month: date | None
    frame: pd.DataFrame  # person-months, see crm_dash.metrics.segments.user_months
    #: Months whose log records no writes: productive and sporadic are unknown there.
    no_write_months: frozenset[date] = frozenset()

    @property
    def has_data(self) -> bool:
        return self.latest_complete is not None and not self.frame.empty

    def months(self) -> list[date]:
        """Complete months with data, oldest first (the choices of the month filters)."""
        if self.first_month is None or self.latest_complete is None:
            return []
        return sorted(m for m in self.frame["month"].unique() if m <= self.latest_complete)


@st.cache_data(show_spinner=False, max_entries=8)
def _adoption_data(db: str, version: str, today: date, _conn: duckdb.DuckDBPyConnection
                   ) -> AdoptionData:
    versioned = load_definition(_conn)
    months = available_months(_conn, versioned.definition, today)
    if months is None:
        return AdoptionData(versioned, None, None, None, pd.DataFrame())
    first, latest_complete, last = months
    frame = user_months(_conn, versioned.definition, first, last)
    return AdoptionData(versioned, first, latest_complete, last, frame,
                        months_without_writes(
                            frame, versioned.definition.productive_min_active_days,
                            versioned.definition.productive_min_writes))


def adoption_data(conn: duckdb.DuckDBPyConnection) -> AdoptionData:
    """The person-months and the definition in force (cached per data version)."""
    return _adoption_data(str(config.db_path()), data_version(conn), date.today(), conn)


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
