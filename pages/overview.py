"""Overview: adoption in the latest complete month, the checklist of the four datasets (what is
loaded, what is due, a missing usage month), then what the database holds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_dash.datasets import DatasetKind
from crm_dash.i18n import fmt_date, fmt_int, t
from crm_dash.summary import data_summary
from crm_dash.ui.adoption_data import adoption_data
from crm_dash.ui.adoption_overview import adoption_headline
from crm_dash.ui.coverage_question import coverage_question
from crm_dash.ui.getting_started import current_checklist, getting_started, missing_usage_notice
from crm_dash.ui.health_summary import health_summary
from crm_dash.ui.page import friendly_errors, page_setup

ctx = page_setup("overview")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    st.title(t("overview.title", lang))
    coverage_question(ctx)
    st.caption(t("overview.intro", lang))
    summary = data_summary(ctx.conn)
    sheet = current_checklist(ctx)  # the four datasets, from the data-health report
    missing_usage_notice(ctx, sheet)

    if summary.is_empty:
        getting_started(ctx, sheet)
    else:
        adoption_headline(ctx, adoption_data(ctx.conn))
        health_summary(ctx)
        getting_started(ctx, sheet)
        st.divider()
        st.subheader(t("overview.inventory", lang))
        cols = st.columns(4)
        cols[0].metric(
            t("overview.people", lang), fmt_int(summary.people, lang),
            help=t("overview.people_help", lang),
        )
        cols[1].metric(t("overview.departments", lang), fmt_int(summary.departments, lang))
        cols[2].metric(
            t("overview.events", lang),
            fmt_int(summary.dataset(DatasetKind.USAGE).rows, lang),
            help=t("overview.events_help", lang),
        )
        cols[3].metric(
            t("overview.opportunities", lang),
            fmt_int(summary.dataset(DatasetKind.PIPELINE).rows, lang),
            help=t("overview.opportunities_help", lang),
        )
        if summary.integration_accounts:
            st.caption(t("overview.integration_accounts", lang, n=summary.integration_accounts))

        inventory = pd.DataFrame(
            [
                {
                    t("overview.col.dataset", lang): t(f"dataset.{d.kind.value}", lang),
                    t("overview.col.rows", lang): fmt_int(d.rows, lang),
                    t("overview.col.uploads", lang): fmt_int(d.batches, lang),
                    t("overview.col.from", lang): fmt_date(d.first, lang),
                    t("overview.col.to", lang): fmt_date(d.last, lang),
                }
                for d in summary.datasets
            ]
        )
        st.dataframe(inventory, hide_index=True, width="stretch")
        st.caption(t("overview.range_note", lang))
