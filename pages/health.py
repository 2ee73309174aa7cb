"""Data health: do the four datasets fit together, and what to do where they do not (leads and
admins; examples name people)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_dash.health.present import dataset_rows, finding_text
from crm_dash.i18n import fmt_int, t
from crm_dash.ui.format import fitted_columns
from crm_dash.ui.health_summary import cached_health_report
from crm_dash.ui.page import friendly_errors, page_setup

ctx = page_setup("health")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    st.title(t("health.title", lang))
    st.caption(t("health.intro", lang))
    report = cached_health_report(ctx.conn)

    st.subheader(t("health.datasets", lang))
    datasets = pd.DataFrame(dataset_rows(report, lang))
    st.dataframe(datasets, hide_index=True, width="stretch",
                 column_config=fitted_columns(datasets, maximum=260))
    st.caption(t("health.months_note", lang))

    st.subheader(t("health.findings", lang))
    if report.needs_attention:
        st.markdown(t("health.attention", lang, n=fmt_int(len(report.attention), lang)))
    else:
        st.success(t("health.all_clear", lang), icon=":material/check_circle:")
    for finding in report.findings:
        text = finding_text(finding, lang, markdown=True)  # names and files escaped
        body = "\n\n".join(part for part in (f"**{text.title}**", text.cause, text.examples,
                                             f"**{t('health.what_to_do', lang)}:** {text.action}")
                           if part)
        if finding.attention:
            st.warning(body, icon=":material/report:")
        else:
            st.info(body, icon=":material/info:")
