"""Table downloads as the page shows them: a CSV in the UI language's conventions and an .xlsx,
side by side (both written by :mod:`crm_dash.csv_export`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from crm_dash.csv_export import XLSX_MIME, safe_csv_bytes, xlsx_bytes
from crm_dash.i18n import Language, t


def table_downloads(
    frame: pd.DataFrame,
    stem: str,
    lang: Language,
    *,
    key: str,
    csv_label: str | None = None,
    help: str | None = None,
    sheet_name: str = "Data",
    extra_sheets: Mapping[str, pd.DataFrame] | None = None,
) -> None:
    """Two buttons: ``<stem>.csv`` (``csv_label``) and ``<stem>.xlsx`` of ``frame``; the .xlsx
    carries ``extra_sheets`` after the table's own sheet. ``frame`` holds typed values
    (numbers, dates, booleans), not display strings: each format writes them its own way."""
    row = st.container(horizontal=True)
    row.download_button(
        csv_label or t("upload.download_csv", lang), data=safe_csv_bytes(frame, lang=lang),
        file_name=f"{stem}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
        icon=":material/download:", help=help)
    sheets = {sheet_name: frame, **(extra_sheets or {})}
    row.download_button(
        t("upload.download_xlsx", lang), data=xlsx_bytes(sheets),
        file_name=f"{stem}.xlsx", mime=XLSX_MIME, key=f"{key}_xlsx", on_click="ignore",
        icon=":material/table_view:", help=help)
