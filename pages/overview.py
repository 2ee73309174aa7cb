"""Overview: adoption in the latest complete month, the checklist of the four datasets (what is
loaded, what is due, a missing usage month), then what the database holds."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui.adoption_overview import adoption_headline
from crm_dash.ui.coverage_question import coverage_question
from crm_dash.ui.getting_started import getting_started, inventory, missing_usage_notice
from crm_dash.ui.health_summary import health_summary
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.views.overview import overview_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("overview")  # login + role guard, before anything else

with friendly_errors(ctx.lang):
    st.title(t("overview.title", ctx.lang))
    view = overview_view(snapshot(ctx.conn), ctx.audience)
    coverage_question(ctx, view.coverage_question)
    st.caption(t("overview.intro", ctx.lang))
    missing_usage_notice(ctx, view.missing_usage)
    if not view.summary.is_empty:
        adoption_headline(ctx, view.headline)
        health_summary(ctx, view.health)
    getting_started(ctx, view.checklist, view.may_upload)
    if not view.summary.is_empty:
        inventory(ctx, view.summary)
