"""Settings: what the adoption figures count, versioned; integration accounts (leads, admins)."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui.format import definition_caption
from crm_dash.ui.import_history import integration_section
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.settings_sections import (
    coverage_form,
    definition_form,
    excluded_accounts,
    flag_changes,
    history,
)
from crm_dash.views.settings import settings_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("settings")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    st.title(t("settings.title", lang))
    st.caption(t("settings.intro", lang))
    snap = snapshot(ctx.conn)
    view = settings_view(snap, ctx.audience)
    definition_caption(view.definition, lang)
    definition_form(ctx, snap, view)
    history(view, lang)
    st.divider()
    coverage_form(ctx, view)
    st.divider()
    excluded_accounts(view, lang)
    integration_section(ctx, view.integration)
    flag_changes(view, lang)
