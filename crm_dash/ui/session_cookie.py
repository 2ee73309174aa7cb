"""The script's side of the login session: which session this tab holds, and the cookie.

The Streamlit session keeps only the id of its server-side session
(:mod:`crm_dash.sessions`); :func:`current_session` checks it on every run. The browser's
HttpOnly cookie is set and cleared by server routes (:mod:`crm_dash.ui.session_routes`): a run
draws a tiny same-origin frame whose script posts the login's one-time grant to the route. The
frame reports nothing back, so it causes no rerun; the runs keep drawing it, unchanged, until
the database says the grant was redeemed.
"""

from __future__ import annotations

import json

import duckdb
import streamlit as st

from crm_dash import config, sessions
from crm_dash.ui import session_routes

#: The id of the server-side session this tab is logged in with (nothing else marks a login).
SESSION_STATE_KEY = "crm_dash_session"
_GRANT_KEY = "crm_dash_session_grant"  # the grant that sets its cookie, until redeemed
_ENDED_KEY = "crm_dash_session_ended"  # the held session ended elsewhere (until the next login)
_CLEAR_KEY = "crm_dash_session_clear"  # this tab's session ended: its cookie may be void

#: Posts ``body`` to ``path``; retries a few times when the network or the server fails.
_POST_SCRIPT = """<!doctype html><html><body style="margin:0"><script>
(function () {
  var tries = 0;
  function post() {
    fetch(%(path)s, {method: "POST", body: %(body)s, credentials: "same-origin",
                     cache: "no-store", headers: {"Content-Type": "text/plain"}})
      .then(function (r) { if (r.status >= 500) { retry(); } })
      .catch(retry);
  }
  function retry() { if (++tries < 5) { setTimeout(post, 1000 * tries); } }
  post();
})();
</script></body></html>"""


def _secret() -> str:
    return config.cookie_key(config.db_path())


def _browser_cookie() -> str | None:
    """The session cookie the browser sent when this tab connected (HttpOnly cookies too)."""
    value = st.context.cookies.get(sessions.SESSION_COOKIE)
    return value if isinstance(value, str) and value else None  # AppTest has no real cookies


def _post_frame(path: str, body: str) -> None:
    st.iframe(_POST_SCRIPT % {"path": json.dumps(path), "body": json.dumps(body)}, height=1,
              tab_index=-1)


def start(conn: duckdb.DuckDBPyConnection, username: str, role: str) -> None:
    """After a successful login: open the session; the next runs hand its cookie out."""
    new = sessions.create_session(conn, username, role, secret=_secret())
    st.session_state[SESSION_STATE_KEY] = new.session_id
    st.session_state[_GRANT_KEY] = new.grant
    st.session_state.pop(_ENDED_KEY, None)
    st.session_state.pop(_CLEAR_KEY, None)


def current_session(conn: duckdb.DuckDBPyConnection) -> sessions.LiveSession | None:
    """The valid session of this tab: the one it holds, else the one its cookie stands for.

    Called on every run. A session that has ended (logout anywhere, new password, new role,
    removed account, expiry) is dropped here, so the run shows the login form.
    """
    session_id = st.session_state.get(SESSION_STATE_KEY)
    if session_id is None:
        cookie = _browser_cookie()
        live = sessions.session_from_cookie(conn, cookie, secret=_secret()) if cookie else None
        if live is not None:
            st.session_state[SESSION_STATE_KEY] = live.session_id
        return live
    live = sessions.check_session(conn, str(session_id))
    if live is None:
        forget()
        st.session_state[_ENDED_KEY] = True
    return live


def ended_elsewhere() -> bool:
    """Whether this tab's login was ended by something else than its own logout button."""
    return bool(st.session_state.get(_ENDED_KEY))


def deliver_cookie(conn: duckdb.DuckDBPyConnection, live: sessions.LiveSession) -> None:
    """Draw the frame that exchanges the grant for the cookie, while it is not exchanged.

    A grant that expired unused (the page was closed, the route unreachable) is replaced.
    """
    grant = st.session_state.get(_GRANT_KEY)
    if not live.cookie_pending or not session_routes.mounted:
        st.session_state.pop(_GRANT_KEY, None)
        return
    if grant is None or live.grant_expired:
        grant = sessions.renew_grant(conn, live.session_id, secret=_secret())
        if grant is None:
            st.session_state.pop(_GRANT_KEY, None)
            return
        st.session_state[_GRANT_KEY] = grant
    with st.sidebar:
        _post_frame(session_routes.SESSION_PATH, str(grant))


def clear_ended_cookie() -> None:
    """On the login form: when the browser sent a session cookie, or this tab's session ended,
    ask the server to clear the cookie (the route keeps a cookie that still stands for a valid
    session, of a newer login in another tab)."""
    if session_routes.mounted and (_browser_cookie() or st.session_state.get(_CLEAR_KEY)):
        _post_frame(session_routes.END_PATH, "")


def forget() -> None:
    """This tab holds no session any more."""
    st.session_state.pop(SESSION_STATE_KEY, None)
    st.session_state.pop(_GRANT_KEY, None)
    st.session_state[_CLEAR_KEY] = True


def session_id() -> str | None:
    """The id of the session this tab holds, if any."""
    value = st.session_state.get(SESSION_STATE_KEY)
    return None if value is None else str(value)
