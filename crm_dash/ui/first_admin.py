"""The first-run page: the first administrator is created in the browser with the setup link.

Shown instead of the login while no account exists. Only a link with the token that the
serving process printed (:mod:`crm_dash.setup_link`) opens the form; anyone else learns where the
link is. A missing link after its hour is replaced: a new one goes to the terminal and the log,
never to the page. The CLI (``crm-dash user add``) stays for automation.
"""

from __future__ import annotations

import logging
import shlex

import duckdb
import streamlit as st

from crm_dash import auth, config, setup_link
from crm_dash.i18n import Language, t
from crm_dash.setup_link import TokenState
from crm_dash.ui import session_cookie

_log = logging.getLogger("crm_dash.setup")
_PREFIX = "crm_dash_setup_"


def _token() -> str | None:
    value = st.query_params.get(setup_link.QUERY_PARAM)
    return str(value).strip() if value else None


def _renew_link() -> bool:
    """Issue and print a new link when none is waiting; whether one was printed now."""
    if st.session_state.get(_PREFIX + "renewed"):  # one new link per browser session
        return False
    from crm_dash.ui.context import connection

    conn = connection()
    if setup_link.live_token_exists(conn):
        return False
    issued = setup_link.issue_token(conn)
    if issued is None:
        return False
    base = (st.context.url or "http://localhost:8501").split("?")[0]
    setup_link.announce(setup_link.setup_url(base, issued.token), issued.expires_at)
    st.session_state[_PREFIX + "renewed"] = True
    return True


def first_admin_page(conn: duckdb.DuckDBPyConnection, lang: Language) -> None:
    """The setup form (valid link) or where to find the link (anything else)."""
    st.title(t("setup.title", lang))
    token = _token()
    state = setup_link.token_state(conn, token)
    if state is TokenState.VALID:
        _form(conn, token, lang)
        return
    if state is TokenState.ADMIN_EXISTS:  # raced: someone finished the setup meanwhile
        st.info(t("setup.state.admin_exists", lang), icon=":material/check_circle:")
        return
    if state is not TokenState.MISSING:
        st.error(t(f"setup.state.{state.value}", lang), icon=":material/link_off:")
    st.markdown(t("setup.where", lang))
    if state is not TokenState.MISSING and _renew_link():
        st.info(t("setup.renewed", lang), icon=":material/terminal:")
    _cli_help(lang)


def _cli_help(lang: Language) -> None:
    database = shlex.quote(str(config.db_path().resolve()))
    with st.expander(t("setup.cli.title", lang)):
        st.markdown(t("setup.cli.body", lang))
        st.code(f"crm-dash user add admin --role admin --db {database}", language="bash")


def _problem(username: str, password: str, repeated: str, lang: Language) -> str | None:
    """What is wrong with the form's input, in the user's language (the rules of every account)."""
    try:
        auth.validate_username(username)
    except auth.AccountError:
        return t("setup.bad_username", lang)
    if password != password.strip():
        return t("setup.password_spaces", lang)
    if len(password) < auth.MIN_PASSWORD_CHARS:
        return t("setup.password_short", lang, count=len(password),
                 minimum=auth.MIN_PASSWORD_CHARS)
    if len(password.encode("utf-8")) > auth.MAX_PASSWORD_BYTES:
        return t("setup.password_long", lang, maximum=auth.MAX_PASSWORD_BYTES)
    if password != repeated:
        return t("setup.password_mismatch", lang)
    return None


def _form(conn: duckdb.DuckDBPyConnection, token: str | None, lang: Language) -> None:
    st.markdown(t("setup.intro", lang))
    with st.form(_PREFIX + "form"):
        username = st.text_input(t("auth.username", lang), value="admin",
                                 autocomplete="username", key=_PREFIX + "username")
        display_name = st.text_input(t("setup.display_name", lang), key=_PREFIX + "name")
        password = st.text_input(
            t("auth.password", lang), type="password", autocomplete="new-password",
            help=t("setup.password_rules", lang, minimum=auth.MIN_PASSWORD_CHARS),
            key=_PREFIX + "password",
        )
        repeated = st.text_input(t("setup.password_repeat", lang), type="password",
                                 autocomplete="new-password", key=_PREFIX + "repeat")
        submitted = st.form_submit_button(t("setup.submit", lang), type="primary",
                                          key=_PREFIX + "submit")
    if not submitted:
        return
    username = username.strip().lower()
    problem = _problem(username, password, repeated, lang)
    if problem:
        st.error(problem)
        return
    try:
        user = setup_link.create_first_admin(
            conn, token, username, password, display_name=display_name.strip() or None
        )
    except setup_link.SetupRefused as exc:
        st.error(t(f"setup.state.{exc.state.value}", lang), icon=":material/link_off:")
        return
    except auth.AccountError as exc:
        from crm_dash.ui.page import show_error  # the page setup imports this module

        show_error(exc, lang)
        return
    except Exception:
        _log.exception("Creating the first administrator failed")
        st.error(t("auth.login.unavailable", lang))
        return
    _log.warning("The first administrator %r was created with the setup link.", user.username)
    # Logged in at once: the new administrator goes straight on, the spent link leaves the URL.
    session_cookie.start(conn, user.username, user.role.value)
    st.query_params.pop(setup_link.QUERY_PARAM, None)
    st.rerun()
