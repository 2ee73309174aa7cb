"""Login, logout and "who is this" for a script run.

A login opens a server-side session (:mod:`crm_dash.sessions`); every run checks it, so a logout
elsewhere, a new password, a new role or a removed account ends this tab's login on its next
click. The browser remembers the login in an HttpOnly cookie that server routes set and clear
(:mod:`crm_dash.ui.session_cookie`); nothing here reruns the script to write it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import duckdb
import pandas as pd
import streamlit as st

from crm_dash import auth, sessions
from crm_dash.db import is_demo
from crm_dash.i18n import Language, fmt_datetime, t
from crm_dash.ui import session_cookie
from crm_dash.ui.first_admin import first_admin_page
from crm_dash.ui.typed_drafts import forget_typed_text

COOKIE_NAME = sessions.SESSION_COOKIE
_LOGGED_OUT_KEY = "crm_dash_logged_out"
_LOGOUT_REQUESTED = "crm_dash_logout_requested"


_log = logging.getLogger(__name__)


def _local(utc: datetime) -> datetime:
    return utc.replace(tzinfo=UTC).astimezone()


def _demo_accounts(lang: Language) -> None:
    st.info(t("auth.demo_accounts", lang))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("auth.username", lang): a.username,
                    t("auth.password", lang): a.password,
                    t("auth.role", lang): t(f"role.{a.role.value}", lang),
                }
                for a in auth.DEMO_ACCOUNTS
            ]
        ),
        hide_index=True,
    )


def _login_form(conn: duckdb.DuckDBPyConnection, lang: Language) -> str | None:
    """Render the login form; the username when this run's submission is valid."""
    st.title(t("auth.login.title", lang))
    if st.session_state.get(_LOGGED_OUT_KEY):  # until the next login: reruns must not hide it
        st.success(t("auth.logged_out", lang))
    if is_demo(conn):
        _demo_accounts(lang)
    with st.form("crm_dash_login"):
        username = st.text_input(
            t("auth.username", lang), autocomplete="username", key="crm_dash_login_username"
        )
        password = st.text_input(
            t("auth.password", lang), type="password", autocomplete="current-password",
            key="crm_dash_login_password",
        )
        submitted = st.form_submit_button(
            t("auth.login.submit", lang), type="primary", key="crm_dash_login_submit"
        )
    if not submitted:
        return None
    username = username.strip().lower()
    if not username or not password:
        st.error(t("auth.login.missing", lang))
        return None
    try:
        # Limits, lockout, bcrypt and the audit (crm_dash.login_limits); Streamlit knows no
        # address for a browser on this machine, which then counts as the client "unknown".
        result = auth.attempt_login(conn, username, password, st.context.ip_address)
        if result.succeeded:
            return result.username
        st.error(_attempt_message(result, lang))
    except Exception:  # never Streamlit's error page on the login: a message, the log
        _log.exception("A login attempt failed unexpectedly")
        st.error(t("auth.login.unavailable", lang))
    return None


def _attempt_message(result: auth.LoginResult, lang: Language) -> str:
    """What the form says about an attempt that did not log in (no password checked when a
    limit refused it)."""
    until = fmt_datetime(_local(result.until), lang) if result.until is not None else ""
    if result.outcome is auth.LoginOutcome.CLIENT_LIMIT:
        return t("auth.login.client_limit", lang, until=until)
    if result.outcome is auth.LoginOutcome.GLOBAL_LIMIT:
        return t("auth.login.global_limit", lang, until=until)
    if result.until is not None:  # locked now, or this failure locked the username
        return t("auth.login.locked", lang, until=until)
    return t("auth.login.failed", lang)


def logged_in_user(conn: duckdb.DuckDBPyConnection, lang: Language) -> auth.AppUser | None:
    """The person this session belongs to (no form): its valid server-side session, held by
    this tab or named by the browser's cookie.

    Shows who is logged in and a logout button in the sidebar. The session and the account are
    checked every run, so a logout elsewhere, a new password, a changed role or a removed user
    take effect at once. Call it once per run.
    """
    live = session_cookie.current_session(conn)
    if live is None:
        return None
    if st.session_state.pop(_LOGOUT_REQUESTED, False):
        _log_out(conn, live.username)
        return None
    user = auth.get_user(conn, live.username)
    if user is None:  # the account was removed meanwhile
        session_cookie.forget()
        return None
    _logout_button(user, lang)
    session_cookie.deliver_cookie(conn, live)
    return user


def login_form(conn: duckdb.DuckDBPyConnection, lang: Language) -> None:
    """The login form (or how to create the first admin); a successful login reruns the app
    as the logged-in user.

    Render it after ``st.navigation``: a form drawn before the current page is known loses
    what was typed into it when the page becomes known.
    """
    forget_typed_text()  # nobody is logged in: no typed retrospective text stays in the browser
    try:
        _login_or_first_admin(conn, lang)
    finally:
        # A cookie of an ended session is cleared by a server route; the frame that asks for
        # it reports nothing back, so it never reruns the script under the form.
        session_cookie.clear_ended_cookie()


def _login_or_first_admin(conn: duckdb.DuckDBPyConnection, lang: Language) -> None:
    if auth.count_users(conn) == 0:
        first_admin_page(conn, lang)  # the setup link (crm_dash.setup_link)
        return
    form = st.empty()
    with form.container():
        valid = _login_form(conn, lang)
        if session_cookie.ended_elsewhere():
            st.info(t("auth.session_ended", lang), icon=":material/logout:")
    if valid is None:
        return
    form.empty()
    user = auth.get_user(conn, valid)
    if user is None:
        return
    # A server-side session; this run's navigation was drawn for nobody, so the app runs again
    # as the logged-in user, and those runs hand the session's cookie to the browser.
    session_cookie.start(conn, user.username, user.role.value)
    st.session_state.pop(_LOGGED_OUT_KEY, None)
    st.rerun()


def _logout_button(user: auth.AppUser, lang: Language) -> None:
    """Who is logged in, and a logout button, in the sidebar.

    The click only asks for the logout; the next run does it before drawing anything, so no
    trace of the logged-in page (this caption, the button) is left on screen.
    """
    st.sidebar.caption(
        t("auth.logged_in_as", lang, name=user.display_name, role=t(f"role.{user.role}", lang))
    )
    st.sidebar.button(
        t("auth.logout", lang), key="crm_dash_logout", icon=":material/logout:",
        on_click=st.session_state.__setitem__, args=(_LOGOUT_REQUESTED, True),
    )


def _log_out(conn: duckdb.DuckDBPyConnection, username: str) -> None:
    """End the login: every session of the account, in every browser, now; the cookie is
    cleared once the login form is drawn (see :func:`login_form`)."""
    auth.end_sessions(conn, username)
    session_cookie.forget()
    st.session_state[_LOGGED_OUT_KEY] = True
