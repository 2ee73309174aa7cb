"""Administration: who can log in, privacy, and the audit log (admins only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_dash import audit, auth
from crm_dash.audience import MIN_GROUP_FLOOR, min_group_size
from crm_dash.i18n import fmt_datetime, t
from crm_dash.pages import Role
from crm_dash.settings import get_setting, set_setting
from crm_dash.ui.page import friendly_errors, page_setup

ctx = page_setup("admin")  # login + role guard, before anything else
lang, conn, me = ctx.lang, ctx.conn, ctx.user
ROLE_NAMES = {role.value: t(f"role.{role.value}", lang) for role in Role}

st.title(t("admin.title", lang))
users_tab, privacy_tab, audit_tab = st.tabs(
    [t("admin.tab.users", lang), t("admin.tab.privacy", lang), t("admin.tab.audit", lang)]
)

with users_tab, friendly_errors(lang):
    users = auth.list_users(conn)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("auth.username", lang): u.username,
                    t("admin.display_name", lang): u.display_name,
                    t("auth.role", lang): ROLE_NAMES[u.role.value],
                }
                for u in users
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    add_col, change_col = st.columns(2)
    with add_col, st.form("admin_add_user", clear_on_submit=True):
        st.subheader(t("admin.add.title", lang))
        username = st.text_input(t("auth.username", lang), key="admin_new_username")
        display_name = st.text_input(t("admin.display_name", lang), key="admin_new_name")
        role = st.selectbox(
            t("auth.role", lang), list(ROLE_NAMES), format_func=ROLE_NAMES.__getitem__,
            key="admin_new_role",
        )
        password = st.text_input(
            t("auth.password", lang), type="password", key="admin_new_password",
            help=t("admin.password_rules", lang),
        )
        if st.form_submit_button(t("admin.add.submit", lang), type="primary"):
            created = auth.add_user(
                conn, username, password, Role(role), display_name=display_name or None,
                actor=me.username,
            )
            st.success(t("admin.add.done", lang, username=created.username))
    with change_col:
        st.subheader(t("admin.change.title", lang))
        names = [u.username for u in users]
        target = st.selectbox(t("auth.username", lang), names, key="admin_target")
        with st.form("admin_passwd", clear_on_submit=True):
            new_password = st.text_input(
                t("admin.new_password", lang), type="password", key="admin_passwd_value",
                help=t("admin.password_rules", lang),
            )
            if st.form_submit_button(t("admin.passwd.submit", lang)) and target:
                auth.set_password(conn, target, new_password, actor=me.username)
                st.success(t("admin.passwd.done", lang, username=target))
        current_role = next((u.role.value for u in users if u.username == target), None)
        with st.form("admin_role"):
            new_role = st.selectbox(
                t("auth.role", lang), list(ROLE_NAMES), format_func=ROLE_NAMES.__getitem__,
                index=list(ROLE_NAMES).index(current_role) if current_role else 0,
                key=f"admin_role_value_{target}", help=t("admin.role.help", lang),
            )
            if st.form_submit_button(t("admin.role.submit", lang),
                                     disabled=target == me.username) and target:
                auth.set_role(conn, target, Role(new_role), actor=me.username)
                st.success(t("admin.role.done", lang, username=target,
                             role=ROLE_NAMES[new_role]))
        confirm = st.checkbox(
            t("admin.remove.confirm", lang, username=target or ""), key="admin_remove_confirm"
        )
        if st.button(t("admin.remove.submit", lang), disabled=not confirm or target == me.username,
                     help=t("admin.remove.help", lang), key="admin_remove") and target:
            auth.remove_user(conn, target, actor=me.username)
            st.success(t("admin.remove.done", lang, username=target))

with privacy_tab, friendly_errors(lang):
    st.markdown(t("admin.privacy.intro", lang, min=min_group_size(conn)))
    current = bool(get_setting(conn, "privacy.pseudonymise"))
    wanted = st.toggle(t("admin.privacy.pseudonymise", lang), value=current,
                       key="admin_pseudonymise", help=t("admin.privacy.pseudonymise_help", lang))
    if wanted != current and set_setting(conn, "privacy.pseudonymise", wanted,
                                         actor=me.username):
        st.success(t("admin.privacy.saved", lang))
    smallest = min_group_size(conn)
    minimum = st.number_input(t("admin.privacy.min_group", lang), min_value=MIN_GROUP_FLOOR,
                             max_value=50, value=smallest, step=1, key="admin_min_group",
                             width=360,
                             help=t("admin.privacy.min_group_help", lang, floor=MIN_GROUP_FLOOR))
    if int(minimum) != smallest and set_setting(conn, "privacy.min_group_size", int(minimum),
                                               actor=me.username):
        st.success(t("admin.privacy.saved", lang))

with audit_tab, friendly_errors(lang):
    actions = audit.audit_actions(conn)
    chosen = st.selectbox(t("admin.audit.action", lang), [None, *actions],
                          format_func=lambda a: t("admin.audit.all", lang) if a is None else a,
                          key="admin_audit_action")
    events = audit.audit_events(conn, action=chosen)
    events["logged_at"] = events["logged_at"].map(lambda v: fmt_datetime(v, lang))
    events.columns = [t(f"admin.audit.col.{c}", lang) for c in events.columns]
    st.caption(t("admin.audit.caption", lang, n=len(events)))
    st.dataframe(events, hide_index=True, width="stretch")
