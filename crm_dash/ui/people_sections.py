"""The People page's pieces: the searchable people table with its CSV, and who to help next,
drawn from a :class:`crm_dash.views.people.PeopleView`.

Named data: only leads and admins reach these (the page's guard; for others the view has no
rows, and nothing is drawn). Names are pseudonyms when the privacy setting says so: the view's
rows carry them, so the table and the download alike.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from crm_dash.csv_export import safe_csv_bytes
from crm_dash.i18n import Language, fmt_int, month_label, t
from crm_dash.i18n.labels import segment_help, segment_labels
from crm_dash.i18n.tables import column_width
from crm_dash.months import add_months
from crm_dash.ui.downloads import table_downloads
from crm_dash.ui.format import date_column, fitted_columns
from crm_dash.views.people import PeopleView

# Team and role stay searchable and filterable, but the table keeps to what a lead acts on.
_TABLE_COLUMNS = ("name", "department", "segment", "segment_last_month", "active_days", "writes",
                  "breadth", "last_active", "trained")


def _heading(column: str, lang: Language) -> str:
    return t(f"people.col.{column}", lang)


def search(table: pd.DataFrame, query: str) -> pd.DataFrame:
    """Rows whose name, e-mail, department, team or role contains ``query`` (any case)."""
    query = query.strip().lower()
    if not query:
        return table
    text = table[["name", "email", "department", "team", "role"]].fillna("").astype(str)
    hit = text.apply(lambda col: col.str.lower().str.contains(query, regex=False)).any(axis=1)
    return table[hit]


def _display(table: pd.DataFrame, lang: Language) -> pd.DataFrame:
    labels = segment_labels(lang)
    out = table[list(_TABLE_COLUMNS)].copy()
    for column in ("segment", "segment_last_month"):
        out[column] = out[column].map(lambda s: labels.get(s, "–") if isinstance(s, str) else "–")
    out["trained"] = out["trained"].map(lambda v: trained_text(v, lang))
    return out


def trained_text(value: object, lang: Language) -> str:
    """Yes, no, or "–" where the training records cannot tell (no learner on the roster)."""
    if value is None or value != value:
        return "–"
    return t("people.trained.yes" if value else "people.trained.no", lang)


def _headings(month: date, lang: Language) -> dict[str, str]:
    headings = {c: _heading(c, lang) for c in _TABLE_COLUMNS}
    headings["segment"] = t("people.col.segment", lang, month=month_label(month, lang))
    headings["segment_last_month"] = t("people.col.segment_last_month", lang,
                                       month=month_label(add_months(month, -1), lang))
    return headings


def people_export(table: pd.DataFrame, month: date, lang: Language) -> pd.DataFrame:
    """The people shown as the downloads carry them: headed in ``lang``, segments in words,
    numbers, dates and "trained" (a yes/no, empty where unknown) typed."""
    labels = segment_labels(lang)
    out = table[list(_TABLE_COLUMNS)].copy()
    for column in ("segment", "segment_last_month"):
        out[column] = out[column].map(lambda s: labels.get(s, "–") if isinstance(s, str) else "–")
    out["trained"] = pd.Series([None if v is None or v != v else bool(v)
                                for v in out["trained"]], index=out.index, dtype=object)
    return out.rename(columns=_headings(month, lang))


def people_csv(table: pd.DataFrame, month: date, lang: Language) -> bytes:
    """The people shown, as a CSV in ``lang``'s conventions, safe to open in Excel."""
    return safe_csv_bytes(people_export(table, month, lang), lang=lang)


def people_table(view: PeopleView, lang: Language) -> None:
    """The searchable, sortable people table and its CSV download."""
    if view.rows is None:
        return
    table, month, versioned = view.rows, view.month, view.definition
    headings = _headings(month, lang)
    st.subheader(t("people.table.title", lang, month=month_label(month, lang)),
                 help=t("people.table.help", lang))
    query = st.text_input(t("people.search", lang), key="q", bind="query-params",
                          placeholder=t("people.search_placeholder", lang))
    found = search(table, query or "")
    shown = _display(found, lang)
    # Widths from the headings and values: the key columns (name, department, this month's
    # segment, active days, writes) stay in view at 1280 px; the name column is pinned.
    def width(column: str, label: str, maximum: int = 170) -> int:
        return column_width(label, shown[column].tolist(), maximum=maximum)

    config = {
        "name": st.column_config.TextColumn(headings["name"], pinned=True,
                                            width=width("name", headings["name"])),
        "department": st.column_config.TextColumn(
            headings["department"], width=width("department", headings["department"], 160)),
        "segment": st.column_config.TextColumn(
            headings["segment"], help=segment_help("productive", versioned, lang),
            width=width("segment", headings["segment"])),
        "segment_last_month": st.column_config.TextColumn(
            headings["segment_last_month"],
            width=width("segment_last_month", headings["segment_last_month"])),
        "active_days": st.column_config.NumberColumn(
            headings["active_days"], help=t("adoption.help.active_day", lang),
            width=column_width(headings["active_days"])),
        "writes": st.column_config.NumberColumn(headings["writes"],
                                                help=t("adoption.help.write", lang),
                                                width=column_width(headings["writes"])),
        "breadth": st.column_config.NumberColumn(headings["breadth"],
                                                 help=t("adoption.help.breadth", lang),
                                                 width=column_width(headings["breadth"])),
        "last_active": date_column(headings["last_active"], lang),
        "trained": st.column_config.TextColumn(headings["trained"],
                                               help=t("people.help.trained", lang),
                                               width=width("trained", headings["trained"])),
    }
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config,
                 key="people_table", placeholder="–")  # unknown breadth reads "–", not None
    st.caption(t("people.table.caption", lang, n=fmt_int(len(found), lang),
                 total=fmt_int(len(table), lang)))
    table_downloads(people_export(found, month, lang), f"crm-dash-people-{month:%Y-%m}", lang,
                    key="people_download", csv_label=t("people.download", lang),
                    help=t("people.download_help", lang), sheet_name=_heading("name", lang))


def close_list(view: PeopleView, lang: Language) -> None:
    """The people nearest the productive threshold."""
    if view.close is None:
        return
    close, definition = view.close, view.definition.definition
    st.subheader(t("people.close.title", lang), help=t("people.close.help", lang))
    if close.empty:
        st.info(t("people.close.none", lang))
        return
    labels = segment_labels(lang)
    shown = pd.DataFrame({
        _heading("name", lang): close["name"],
        _heading("department", lang): close["department"],
        t("people.close.segment", lang): close["segment"].map(labels),
        _heading("active_days", lang): close["active_days"],
        t("people.close.missing_days", lang): close["missing_days"],
        _heading("writes", lang): close["writes"],
        t("people.close.missing_writes", lang): close["missing_writes"],
        _heading("trained", lang): close["trained"].map(lambda v: trained_text(v, lang)),
    })
    config = fitted_columns(shown, maximum=150, maxima={_heading("department", lang): 140})
    trained = _heading("trained", lang)
    config[trained] = st.column_config.TextColumn(
        trained, help=t("people.help.trained", lang), width=config[trained]["width"])
    st.dataframe(shown, hide_index=True, width="stretch", height=35 * (len(shown) + 1) + 3,
                 column_config=config)
    st.caption(t("people.close.caption", lang, days=definition.productive_min_active_days,
                 writes=definition.productive_min_writes))
