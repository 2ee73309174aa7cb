"""The Administration page's parts: the accounts with their forms (add, password, role,
remove), the privacy settings and the audit log. They draw :mod:`crm_dash.views.admin` and act
on what the forms hold."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_dash import auth
from crm_dash.audience import MIN_GROUP_FLOOR
from crm_dash.i18n import Language, fmt_datetime, t
from crm_dash.pages import Role
from crm_dash.settings import set_setting
from crm_dash.ui.page import PageContext
from crm_dash.views.admin import AdminView, AuditLog

AUDIT_ACTION_KEY = "admin_audit_action"


def _role_names(lang: Language) -> dict[str, str]:
    return {role.value: t(f"role.{role.value}", lang) for role in Role}


def render_users(ctx: PageContext, view: AdminView) -> None:
    """Every account, a form to add one, and beside it a password, role or removal for one."""
    lang, conn, me, users = ctx.lang, ctx.conn, ctx.user, view.users
    if users is None:
        return
    role_names = _role_names(lang)
    st.dataframe(
        pd.DataFrame([{t("auth.username", lang): u.username,
                       t("admin.display_name", lang): u.display_name,
                       t("auth.role", lang): role_names[u.role.value]} for u in users]),
        hide_index=True, width="stretch")
    add_col, change_col = st.columns(2)
    with add_col, st.form("admin_add_user", clear_on_submit=True):
        st.subheader(t("admin.add.title", lang))
        username = st.text_input(t("auth.username", lang), key="admin_new_username")
        display_name = st.text_input(t("admin.display_name", lang), key="admin_new_name")
        role = st.selectbox(t("auth.role", lang), list(role_names),
                            format_func=role_names.__getitem__, key="admin_new_role")
        password = st.text_input(t("auth.password", lang), type="password",
                                 key="admin_new_password", help=t("admin.password_rules", lang))
        if st.form_submit_button(t("admin.add.submit", lang), type="primary"):
            created = auth.add_user(conn, username, password, Role(role),
                                    display_name=display_name or None, actor=me.username)
            st.success(t("admin.add.done", lang, username=created.username))
    with change_col:
        _change_user(ctx, users, role_names)


def _change_user(ctx: PageContext, users: list[auth.AppUser],
                 role_names: dict[str, str]) -> None:
    lang, conn, me = ctx.lang, ctx.conn, ctx.user
    st.subheader(t("admin.change.title", lang))
    target = st.selectbox(t("auth.username", lang), [u.username for u in users],
                          key="admin_target")
    with st.form("admin_passwd", clear_on_submit=True):
        new_password = st.text_input(t("admin.new_password", lang), type="password",
                                     key="admin_passwd_value",
                                     help=t("admin.password_rules", lang))
        if st.form_submit_button(t("admin.passwd.submit", lang)) and target:
            auth.set_password(conn, target, new_password, actor=me.username)
            st.success(t("admin.passwd.done", lang, username=target))
    current_role = next((u.role.value for u in users if u.username == target), None)
    with st.form("admin_role"):
        new_role = st.selectbox(
            t("auth.role", lang), list(role_names), format_func=role_names.__getitem__,
            index=list(role_names).index(current_role) if current_role else 0,
            key=f"admin_role_value_{target}", help=t("admin.role.help", lang))
        if st.form_submit_button(t("admin.role.submit", lang),
                                 disabled=target == me.username) and target:
            auth.set_role(conn, target, Role(new_role), actor=me.username)
            st.success(t("admin.role.done", lang, username=target, role=role_names[new_role]))
    confirm = st.checkbox(t("admin.remove.confirm", lang, username=target or ""),
                          key="admin_remove_confirm")
    if st.button(t("admin.remove.submit", lang), disabled=not confirm or target == me.username,
                 help=t("admin.remove.help", lang), key="admin_remove") and target:
        auth.remove_user(conn, target, actor=me.username)
        st.success(t("admin.remove.done", lang, username=target))


def render_privacy(ctx: PageContext, view: AdminView) -> None:
    """Pseudonyms on or off, and the minimum group size (never below the floor)."""
    lang, conn, me, privacy = ctx.lang, ctx.conn, ctx.user, view.privacy
    st.markdown(t("admin.privacy.intro", lang, min=privacy.min_group))
    wanted = st.toggle(t("admin.privacy.pseudonymise", lang), value=privacy.pseudonymise,
                       key="admin_pseudonymise", help=t("admin.privacy.pseudonymise_help", lang))
    if wanted != privacy.pseudonymise and set_setting(conn, "privacy.pseudonymise", wanted,
                                                      actor=me.username):
        st.success(t("admin.privacy.saved", lang))
    minimum = st.number_input(t("admin.privacy.min_group", lang), min_value=MIN_GROUP_FLOOR,
                              max_value=50, value=privacy.min_group, step=1,
                              key="admin_min_group", width=360,
                              help=t("admin.privacy.min_group_help", lang,
                                     floor=MIN_GROUP_FLOOR))
    if int(minimum) != privacy.min_group and set_setting(
            conn, "privacy.min_group_size", int(minimum), actor=me.username):
        st.success(t("admin.privacy.saved", lang))


def audit_action() -> str | None:
    """The action the audit log's filter holds (``None``: every action)."""
    chosen = st.session_state.get(AUDIT_ACTION_KEY)
    return chosen if isinstance(chosen, str) else None


def render_audit(log: AuditLog, lang: Language) -> None:
    """The filter by action and the latest events, times in the reader's language."""
    st.selectbox(t("admin.audit.action", lang), [None, *log.actions],
                 format_func=lambda a: t("admin.audit.all", lang) if a is None else a,
                 key=AUDIT_ACTION_KEY)
    if log.events is None:
        return
    events = log.events.copy()
    events["logged_at"] = events["logged_at"].map(lambda v: fmt_datetime(v, lang))
    events.columns = [t(f"admin.audit.col.{c}", lang) for c in events.columns]
    st.caption(t("admin.audit.caption", lang, n=len(events)))
    st.dataframe(events, hide_index=True, width="stretch")
