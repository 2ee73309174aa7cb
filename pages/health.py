"""Data health: do the four datasets fit together, and what to do where they do not (leads and
admins; examples name people)."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui.health_sections import render_datasets, render_findings
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.views.health import health_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("health")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    st.title(t("health.title", lang))
    st.caption(t("health.intro", lang))
    view = health_view(snapshot(ctx.conn), ctx.audience)
    render_datasets(view, lang)
    render_findings(view, lang)
