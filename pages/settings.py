"""Settings: what the adoption figures count, versioned; integration accounts (leads, admins)."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui.adoption_data import adoption_data
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

ctx = page_setup("settings")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    st.title(t("settings.title", lang))
    st.caption(t("settings.intro", lang))
    data = adoption_data(ctx.conn)
    definition_caption(data.definition, lang)
    definition_form(ctx, data.definition, data.latest_complete)
    history(ctx)
    st.divider()
    coverage_form(ctx)
    st.divider()
    excluded_accounts(ctx, data.definition.definition)
    integration_section(ctx)
    flag_changes(ctx)
