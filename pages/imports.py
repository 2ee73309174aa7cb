"""Import history: every upload, deleting one, integration accounts by hand (leads and admins)."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui.import_history import (
    batch_table,
    delete_section,
    deleted_message,
    integration_section,
)
from crm_dash.ui.page import friendly_errors, page_setup

ctx = page_setup("imports")  # login + role guard, before anything else

with friendly_errors(ctx.lang):
    st.title(t("imports.title", ctx.lang))
    st.caption(t("imports.intro", ctx.lang))
    deleted_message()
    batches = batch_table(ctx)
    if not batches.empty:
        delete_section(ctx, batches)
        integration_section(ctx)
