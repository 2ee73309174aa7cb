"""Login, logout and "who is this" for a script run, driven by streamlit-authenticator.

streamlit-authenticator checks passwords, keeps the login in the session and writes the signed
login cookie. Its cookie component reruns the script once after it loads; so it is only created
when a cookie has to be read back, written or deleted, never under the login form, where that
rerun could swallow a submitted form.
"""

from __future__ import annotations

import logging
import shlex
from datetime import UTC, datetime

import duckdb
import jwt
import pandas as pd
import streamlit as st
import streamlit_authenticator as stauth

from crm_dash import auth, config
from crm_dash.db import is_demo
from crm_dash.i18n import Language, fmt_datetime, t

COOKIE_NAME = "crm_dash_login"
_LOGGED_OUT_KEY = "crm_dash_logged_out"
_LOGOUT_REQUESTED = "crm_dash_logout_requested"
_FORGET_LOGIN = "crm_dash_forget_login"
_COOKIE_PENDING = "crm_dash_cookie_pending"
_COOKIE_WRITTEN = "set"  # the key of extra-streamlit-components' "set cookie" component


def _authenticator(conn: duckdb.DuckDBPyConnection) -> stauth.Authenticate:
    hashes = auth.password_hashes(conn)
    credentials = {
        "usernames": {
            user.username: {
                "name": user.display_name,
                "password": hashes[user.username],
                "roles": [user.role.value],
            }
            for user in auth.list_users(conn)
        }
    }
    return stauth.Authenticate(
        credentials,
        cookie_name=COOKIE_NAME,
        cookie_key=config.cookie_key(config.db_path()),
        cookie_expiry_days=config.session_hours() / 24,
        auto_hash=False,
        login_sleep_time=0,
    )


def _remembered_login_is_valid(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the browser holds a login cookie worth handing to streamlit-authenticator.

    Valid means: signed with this installation's key, not expired, for an existing account, and
    issued after that account's last logout or password change.
    """
    token = st.context.cookies.get(COOKIE_NAME)
    if not token:
        return False
    try:
        payload = jwt.decode(token, config.cookie_key(config.db_path()), algorithms=["HS256"])
        expires = float(payload["exp_date"])
        user = auth.get_user(conn, str(payload["username"]))
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return False
    if user is None or expires <= datetime.now(UTC).timestamp():
        return False
    issued = expires - config.session_hours() * 3600
    return issued >= user.sessions_valid_from.replace(tzinfo=UTC).timestamp()


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


def _first_admin_help(lang: Language) -> None:
    """How to create the first admin, with this app's database in the commands.

    The running app holds the database open for writing, so the CLI can only change it while
    the app is stopped; and it must change the file this app uses, hence ``--db``.
    """
    database = shlex.quote(str(config.db_path().resolve()))
    st.title(t("auth.setup.title", lang))
    st.markdown(t("auth.setup.body", lang))
    st.markdown(t("auth.setup.stop", lang))
    st.markdown(t("auth.setup.add", lang))
    st.code(f"crm-dash user add admin --role admin --db {database}", language="bash")
    st.markdown(t("auth.setup.restart", lang))
    st.code(f"crm-dash run --db {database}", language="bash")


def _logged_in_username(conn: duckdb.DuckDBPyConnection) -> str | None:
    """Who this session belongs to: the session's login, else a valid remembered login."""
    if not st.session_state.get("authentication_status") and _remembered_login_is_valid(conn):
        _authenticator(conn).login(location="unrendered")  # reads the cookie, fills the session
    if st.session_state.get("authentication_status"):
        username = st.session_state.get("username")
        return str(username) if username else None
    return None


def logged_in_user(conn: duckdb.DuckDBPyConnection, lang: Language) -> auth.AppUser | None:
    """The person this session belongs to (no form): its login or a valid remembered one.

    Shows who is logged in and a logout button in the sidebar. The account is re-read every
    run, so a removed user or a changed role takes effect at once. Call it once per run.
    """
    username = _logged_in_username(conn)
    if username is None:
        return None
    if st.session_state.pop(_LOGOUT_REQUESTED, False):
        _log_out(conn, username)
        return None
    user = auth.get_user(conn, username)
    if user is None:  # the account was removed meanwhile
        st.session_state[_FORGET_LOGIN] = True
        return None
    _logout_button(user, lang)
    if st.session_state.get(_COOKIE_PENDING):
        _remember_login(conn)
    return user


def login_form(conn: duckdb.DuckDBPyConnection, lang: Language) -> None:
    """The login form (or how to create the first admin); a successful login reruns the app
    as the logged-in user.

    Render it after ``st.navigation``: a form drawn before the current page is known loses
    what was typed into it when the page becomes known.
    """
    try:
        _login_or_first_admin(conn, lang)
    finally:
        # Forgetting a login draws streamlit-authenticator's cookie components, which rerun
        # the script once loaded. Drawn below the form, they do not move it: the rerun draws
        # the same form in the same place instead of a second one above the first.
        if st.session_state.pop(_FORGET_LOGIN, False):
            _authenticator(conn).logout(location="unrendered")


def _login_or_first_admin(conn: duckdb.DuckDBPyConnection, lang: Language) -> None:
    if auth.count_users(conn) == 0:
        _first_admin_help(lang)
        return
    form = st.empty()
    with form.container():
        valid = _login_form(conn, lang)
    if valid is None:
        return
    form.empty()
    user = auth.get_user(conn, valid)
    if user is None:
        return
    # The session's login state, in streamlit-authenticator's keys. This run's navigation was
    # drawn for nobody, so the app runs again as the logged-in user; that run and the next ones
    # write the login cookie until the browser confirms it (see _remember_login).
    st.session_state.update(
        authentication_status=True, username=user.username, name=user.display_name,
        roles=[user.role.value], email=None, logout=None,
    )
    st.session_state[_COOKIE_PENDING] = True
    st.session_state.pop(_LOGGED_OUT_KEY, None)
    st.rerun()


def _remember_login(conn: duckdb.DuckDBPyConnection) -> None:
    """Write the signed, short-lived login cookie, and keep writing it until the browser says so.

    The cookie is written by a component in the browser. A rerun that no longer draws it
    (the next tick, another component's report, a click) would drop it before it ran on a slow
    machine, and a reload would then log the user out; so every run draws it again until the
    component reports that the cookie is stored.
    """
    _authenticator(conn).cookie_controller.set_cookie()
    if st.session_state.get(_COOKIE_WRITTEN) is True:
        st.session_state.pop(_COOKIE_PENDING, None)


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
    """End the login: every cookie of the account now; this session and its cookie once the
    login form is drawn (see :func:`login_form`)."""
    auth.end_sessions(conn, username)  # a cookie that survives the deletion is void too
    st.session_state.pop(_COOKIE_PENDING, None)
    st.session_state[_FORGET_LOGIN] = True
    st.session_state[_LOGGED_OUT_KEY] = True
