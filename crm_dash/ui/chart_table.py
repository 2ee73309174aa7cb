"""A chart with its text alternative: the same figures as a table, folded under the chart.

Screen readers cannot read an Altair chart, and colour alone does not say which bar is which;
the table under every chart says the same in words and numbers (issue 18's accessibility
basics). Callers hand over the table as the reader should see it: headed in the UI language,
values already formatted.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from crm_dash.i18n import Language, t
from crm_dash.ui.format import fitted_columns


def chart_with_table(chart: Any, table: pd.DataFrame, lang: Language) -> None:
    """Draw ``chart`` across the width and, folded under it, ``table`` ("As a table")."""
    st.altair_chart(chart, width="stretch")
    if table.empty:
        return
    with st.expander(t("common.as_table", lang), icon=":material/table:"):
        shown = table.fillna("–")
        st.dataframe(shown, hide_index=True, width="stretch",
                     column_config=fitted_columns(shown))


def wide(frame: pd.DataFrame, rows: str, columns: str, values: str,
         order: list[str] | None = None) -> pd.DataFrame:
    """``frame`` from long to wide for a table: one row per ``rows`` value (in the order they
    come), one column per ``columns`` value (``order`` first), cells from ``values``."""
    table = frame.pivot_table(index=rows, columns=columns, values=values, aggfunc="first",
                              sort=False).reset_index()
    table.columns.name = None
    if order is not None:
        table = table.reindex(columns=[rows, *[c for c in order if c in table.columns]])
    return table
