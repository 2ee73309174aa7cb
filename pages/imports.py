"""Import history: every upload, deleting one, integration accounts by hand (leads and admins)."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui.import_history import (
    batch_table,
    delete_section,
    deleted_message,
    integration_section,
    picked_upload,
)
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.views.imports import imports_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("imports")  # login + role guard, before anything else

with friendly_errors(ctx.lang):
    st.title(t("imports.title", ctx.lang))
    st.caption(t("imports.intro", ctx.lang))
    deleted_message()
    view = imports_view(snapshot(ctx.conn), picked_upload(), ctx.audience)
    batch_table(view, ctx.lang)
    if not view.batches.empty:
        delete_section(ctx, view)
        integration_section(ctx, view.integration)
