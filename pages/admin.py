"""Administration: who can log in, privacy, and the audit log (admins only)."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui.admin_sections import (
    audit_action,
    render_audit,
    render_privacy,
    render_users,
)
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.views.admin import admin_view, audit_log
from crm_dash.views.snapshot import snapshot

ctx = page_setup("admin")  # login + role guard, before anything else
lang = ctx.lang

st.title(t("admin.title", lang))
users_tab, privacy_tab, audit_tab = st.tabs(
    [t("admin.tab.users", lang), t("admin.tab.privacy", lang), t("admin.tab.audit", lang)]
)
snap = snapshot(ctx.conn)
view = admin_view(snap, ctx.audience)

with users_tab, friendly_errors(lang):
    render_users(ctx, view)

with privacy_tab, friendly_errors(lang):
    render_privacy(ctx, view)

with audit_tab, friendly_errors(lang):  # read after the forms above, so it shows what they did
    render_audit(audit_log(snap, audit_action(), ctx.audience), lang)
