"""The Data health page's parts: the datasets table and the findings, drawn from
:class:`crm_dash.views.health.HealthView` in the reader's language."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_dash.health.present import dataset_rows, finding_text
from crm_dash.i18n import Language, fmt_int, t
from crm_dash.ui.format import fitted_columns
from crm_dash.views.health import HealthView


def render_datasets(view: HealthView, lang: Language) -> None:
    """One row per dataset: rows, the days covered, the usage log's months, the last upload."""
    st.subheader(t("health.datasets", lang))
    datasets = pd.DataFrame(dataset_rows(view.datasets, lang))
    st.dataframe(datasets, hide_index=True, width="stretch",
                 column_config=fitted_columns(datasets, maximum=260))
    st.caption(t("health.months_note", lang))


def render_findings(view: HealthView, lang: Language) -> None:
    """How many findings need attention, then each with its cause, examples and what to do."""
    st.subheader(t("health.findings", lang))
    if view.attention:
        st.markdown(t("health.attention", lang, n=fmt_int(view.attention, lang)))
    else:
        st.success(t("health.all_clear", lang), icon=":material/check_circle:")
    for finding in view.findings:
        text = finding_text(finding, lang, markdown=True)  # names and files escaped
        body = "\n\n".join(part for part in (f"**{text.title}**", text.cause, text.examples,
                                             f"**{t('health.what_to_do', lang)}:** {text.action}")
                           if part)
        if finding.attention:
            st.warning(body, icon=":material/report:")
        else:
            st.info(body, icon=":material/info:")
