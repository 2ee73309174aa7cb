"""The Overview's one line on data health."""

from __future__ import annotations

import streamlit as st

from crm_dash.health.present import summary_text
from crm_dash.i18n import t
from crm_dash.ui.links import page_link
from crm_dash.ui.page import PageContext
from crm_dash.views.overview import HealthLine


def health_summary(ctx: PageContext, line: HealthLine) -> None:
    """One line on the Overview: all clear, or how many findings need attention, with a link to
    the Data health page for those who may open it (the line itself names nobody)."""
    text = summary_text(line.report, ctx.lang, markdown=True)
    icon = ":orange[:material/report:]" if line.report.needs_attention else \
        ":green[:material/check_circle:]"
    st.markdown(f"{icon} {text}")  # a line, not a box: the adoption headline leads
    if line.link:  # executives see the line, not the names behind it
        page_link("health", t("health.summary.link", ctx.lang), ":material/arrow_forward:")
