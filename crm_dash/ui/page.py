"""What every script run does first: language, database, login, role guard; friendly errors.

Streamlit runs a page script directly when its URL is the first request to a fresh server,
without ``app.py``. So every page calls :func:`page_setup` as its first statement. When the shell
(``app.py``) has already set up this run, the page reuses that session through a context
variable instead of rendering the login twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import duckdb
import streamlit as st

from crm_dash.audience import Audience, audience_for
from crm_dash.auth import AppUser
from crm_dash.db import is_demo
from crm_dash.errors import CrmDashError, DatabaseBusy
from crm_dash.i18n import Language, t
from crm_dash.markdown import md_escape
from crm_dash.pages import page
from crm_dash.ui import context, layout
from crm_dash.ui.auth import logged_in_user, login_form
from crm_dash.ui.own_data import demo_notice

log = logging.getLogger("crm_dash.ui")


@dataclass(frozen=True)
class Session:
    """One script run's setup: connection, language and who is logged in (``None``: nobody)."""

    conn: duckdb.DuckDBPyConnection
    lang: Language
    user: AppUser | None


@dataclass(frozen=True)
class PageContext:
    """What a page needs to render: the connection, the language, the logged-in user, and the
    audience policy that decides what this user may see of people and small groups."""

    conn: duckdb.DuckDBPyConnection
    lang: Language
    user: AppUser
    audience: Audience


_DIRECT_RUN_KEY = "crm_dash_direct_run_seen"
_SHELL_SESSION: ContextVar[Session | None] = ContextVar("crm_dash_shell_session", default=None)


def start_session() -> Session:
    """Page config, language switch, demo banner, and who is logged in (no login form yet)."""
    st.set_page_config(page_title="crm-dash", page_icon=":material/monitoring:", layout="wide")
    layout.apply_layout()
    lang = context.language_switch()
    try:
        conn = context.connection()
    except DatabaseBusy:
        # Another process (a CLI import) holds the file; nothing is cached, so the next run
        # tries again.
        busy_page(lang)
        st.stop()
    if is_demo(conn):
        demo_notice(lang)  # on every page, with "start with your own data"
    return Session(conn=conn, lang=lang, user=logged_in_user(conn, lang))


def busy_page(lang: Language) -> None:
    """What a run shows while another process holds the database: why, and a way to retry.

    Instead of Streamlit's error page with a traceback; the button reruns the script, which
    opens the database once the other process has let go of it.
    """
    st.title(t("app.busy_title", lang))
    st.info(t("app.busy_text", lang), icon=":material/hourglass_top:")
    st.button(t("app.busy_retry", lang), key="crm_dash_busy_retry", type="primary",
              icon=":material/refresh:")


def require_login(session: Session) -> Session:
    """The session with its user; without one, the login form and nothing else.

    A successful login reruns the app, so the user arrives in the next run's session.
    """
    if session.user is None:
        login_form(session.conn, session.lang)
        st.stop()
    return session


@contextmanager
def shell_session(session: Session) -> Iterator[None]:
    """Within this block, pages reuse the session the shell set up in this run."""
    token = _SHELL_SESSION.set(session)
    try:
        yield
    finally:
        _SHELL_SESSION.reset(token)


def page_setup(page_key: str) -> PageContext:
    """First statement of every page: set up the run, require a login and the page's role.

    Shows the login (or a refusal for a role that may not open the page) and stops the script
    otherwise; nothing of the page runs without a permitted user.
    """
    session = _SHELL_SESSION.get()
    if session is None:
        # The first run on a fresh server: Streamlit runs this page without app.py and lists
        # the files in pages/. Hide that listing and start over once through app.py (the same
        # URL), so login, navigation and widgets belong to one consistent app. Should the
        # rerun come back here anyway, the page still protects itself below.
        st.html("<style>[data-testid='stSidebarNav'] {display: none}</style>")
        if not st.session_state.get(_DIRECT_RUN_KEY):
            st.session_state[_DIRECT_RUN_KEY] = True
            st.rerun()
        session = require_login(start_session())
    assert session.user is not None
    if not page(page_key).allows(session.user.role):
        st.error(t("auth.refused", session.lang), icon=":material/block:")
        st.stop()
    return PageContext(conn=session.conn, lang=session.lang, user=session.user,
                       audience=audience_for(session.conn, session.user.role))


def error_markdown(exc: CrmDashError, lang: Language) -> str:
    """How every page words a :class:`CrmDashError`: its title in bold, its message, and its
    code small beside it, so that a user can quote it (crm_dash.errors).

    In the reader's language. The message may quote a file or a user (a header, a value, a
    name): its values are shown as text, never as Markdown. For a message shown in a later
    run (kept in the session state); otherwise :func:`show_error`.
    """
    title, message = exc.for_reader(lang, markdown=True)
    code = t("app.error_code", lang, code=md_escape(exc.error_code))
    return f"**{title}**: {message} :small[:gray[{code}]]"


def show_error(exc: CrmDashError, lang: Language) -> None:
    """Show ``exc`` where the page is (the one place the UI shows a :class:`CrmDashError`), and
    note its code in the log."""
    log.info("Shown to the user: %s (%s)", exc.error_code, exc.message)
    st.error(error_markdown(exc, lang))


@contextmanager
def friendly_errors(lang: Language) -> Iterator[None]:
    """Show a :class:`CrmDashError` as a message and anything else as a generic one, logged."""
    try:
        yield
    except CrmDashError as exc:
        show_error(exc, lang)
    except Exception:
        log.exception("Unexpected error while rendering a page")
        st.error(f"**{t('app.error_title', lang)}**: {t('app.unexpected_error', lang)}")
