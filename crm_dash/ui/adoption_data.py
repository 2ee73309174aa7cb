"""How the adoption pages begin (title, intro, the data and its definition), and the names
other pages still import from here.

The data itself comes from :mod:`crm_dash.views.data`, once per data version.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from crm_dash.i18n import Language, t
from crm_dash.privacy import pseudonyms_on
from crm_dash.ui.format import definition_caption
from crm_dash.views import data
from crm_dash.views.data import AdoptionData
from crm_dash.views.filters import Filters
from crm_dash.views.people import people_rows
from crm_dash.views.snapshot import Snapshot, snapshot

__all__ = ["AdoptionData", "adoption_data", "adoption_page_start", "page_start", "people"]


def adoption_data(conn: duckdb.DuckDBPyConnection) -> AdoptionData:
    """The person-months and the definition in force (cached per data version)."""
    return data.adoption_data(snapshot(conn))


def page_start(snap: Snapshot, lang: Language, page_key: str) -> AdoptionData:
    """How the Adoption and People pages begin: title, intro, the data and its definition.

    Stops the page with a hint when no usage data is on file yet.
    """
    st.title(t(f"{page_key}.title", lang))
    st.caption(t(f"{page_key}.intro", lang))
    adoption = data.adoption_data(snap)
    if not adoption.has_data:
        st.info(t("adoption.no_data", lang))
        st.stop()
    definition_caption(adoption.definition, lang)
    return adoption


def adoption_page_start(
    conn: duckdb.DuckDBPyConnection, lang: Language, page_key: str
) -> AdoptionData:
    """:func:`page_start` on the snapshot of ``conn`` now."""
    return page_start(snapshot(conn), lang, page_key)


def people(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, month: date,
           groups: tuple[str | None, ...]) -> pd.DataFrame:
    """The people table of ``month`` for the people of ``groups`` (department, team, role;
    ``frame``, their person-months, as the caller chose them), pseudonymised when the privacy
    setting says so.

    Kept for callers not yet on the view layer: :func:`crm_dash.views.people.people_rows`
    computes it (from the snapshot's person-months and the same groups, once per data version).
    """
    department, team, role = groups
    return people_rows(snapshot(conn), Filters(month, month, department, team, role),
                       pseudonyms_on(conn))
