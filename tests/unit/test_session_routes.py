"""The routes that set and clear the login cookie: HttpOnly, SameSite, Secure behind HTTPS, once
per grant, and never for another site (crm_dash.ui.session_routes)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import bcrypt
import duckdb
import pytest
from starlette.requests import Request
from starlette.responses import Response

from crm_dash import auth, sessions
from crm_dash.pages import Role
from crm_dash.ui import session_routes

KEY = "k" * 48
HOST = "127.0.0.1:8501"
Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


@pytest.fixture
def conn(conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
         ) -> duckdb.DuckDBPyConnection:
    """The routes' connection and key are the test's."""
    gensalt = bcrypt.gensalt
    monkeypatch.setattr(bcrypt, "gensalt", lambda *a, **k: gensalt(rounds=4))
    monkeypatch.setenv("CRM_DASH_COOKIE_KEY", KEY)
    monkeypatch.setattr(session_routes.context, "connection", lambda: conn)
    auth.add_user(conn, "anna", "correct horse battery", Role.LEAD, actor="test")
    return conn


def _call(endpoint: Endpoint, body: str = "", *, origin: str | None = f"http://{HOST}",
          headers: dict[str, str] | None = None, scheme: str = "http") -> Response:
    raw = {"host": HOST, **({"origin": origin} if origin else {}), **(headers or {})}
    scope = {
        "type": "http", "method": "POST", "path": "/_crm/session", "scheme": scheme,
        "server": ("127.0.0.1", 8501), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in raw.items()],
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body.encode(), "more_body": False}

    # In a thread of its own: a browser test earlier in the run may have left an event loop
    # running in this one (Playwright's sync API), and asyncio.run refuses to nest.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, endpoint(Request(scope, receive))).result()


def _set_cookie(response: Response) -> str:
    values = response.headers.getlist("set-cookie")
    assert len(values) == 1, values
    return values[0]


def test_a_grant_gets_an_httponly_samesite_cookie_once(conn: duckdb.DuckDBPyConnection) -> None:
    new = sessions.create_session(conn, "anna", "lead", secret=KEY)
    response = _call(session_routes.redeem, new.grant)
    assert response.status_code == 204
    header = _set_cookie(response)
    attributes = [a.strip().lower() for a in header.split(";")]
    assert header.startswith(f"{sessions.SESSION_COOKIE}={new.session_id}.")
    assert "httponly" in attributes and "samesite=lax" in attributes and "path=/" in attributes
    assert "secure" not in attributes  # plain HTTP on this machine: a Secure cookie would be lost
    value = header.split(";", 1)[0].split("=", 1)[1]
    assert sessions.session_from_cookie(conn, value, secret=KEY) is not None
    again = _call(session_routes.redeem, new.grant)
    assert again.status_code == 403 and not again.headers.getlist("set-cookie")


@pytest.mark.parametrize(
    ("headers", "scheme"),
    [({"x-forwarded-proto": "https"}, "http"), ({}, "https")],
)
def test_the_cookie_is_secure_when_the_browser_uses_https(
    conn: duckdb.DuckDBPyConnection, headers: dict[str, str], scheme: str
) -> None:
    new = sessions.create_session(conn, "anna", "lead", secret=KEY)
    response = _call(session_routes.redeem, new.grant, headers=headers, scheme=scheme,
                     origin=f"https://{HOST}")
    attributes = [a.strip().lower() for a in _set_cookie(response).split(";")]
    assert "secure" in attributes and "httponly" in attributes


@pytest.mark.parametrize("origin", ["http://evil.example", "null", f"http://{HOST}.evil.example"])
def test_another_site_cannot_redeem_a_grant(conn: duckdb.DuckDBPyConnection, origin: str) -> None:
    """No login CSRF: a page elsewhere cannot log this browser into an account of its choice."""
    new = sessions.create_session(conn, "anna", "lead", secret=KEY)
    response = _call(session_routes.redeem, new.grant, origin=origin)
    assert response.status_code == 403 and not response.headers.getlist("set-cookie")
    assert _call(session_routes.redeem, new.grant).status_code == 204  # still unused


@pytest.mark.parametrize("body", ["", "nonsense", "a.b", "x" * 600])
def test_a_wrong_grant_gets_no_cookie(conn: duckdb.DuckDBPyConnection, body: str) -> None:
    response = _call(session_routes.redeem, body)
    assert response.status_code == 403 and not response.headers.getlist("set-cookie")


def test_end_clears_the_cookie_of_an_ended_session_only(conn: duckdb.DuckDBPyConnection) -> None:
    new = sessions.create_session(conn, "anna", "lead", secret=KEY)
    issued = sessions.redeem_grant(conn, new.grant, secret=KEY)
    assert issued is not None
    cookie = {"cookie": f"{sessions.SESSION_COOKIE}={issued.value}"}
    kept = _call(session_routes.end, headers=cookie)
    assert kept.status_code == 204 and not kept.headers.getlist("set-cookie")  # a valid login
    auth.end_sessions(conn, "anna")
    cleared = _set_cookie(_call(session_routes.end, headers=cookie))
    assert cleared.startswith(f"{sessions.SESSION_COOKIE}=") and "max-age=0" in cleared.lower()
    assert "httponly" in cleared.lower()
    forged = _call(session_routes.end, headers=cookie, origin="http://evil.example")
    assert forged.status_code == 403
