"""The server routes that set and clear the HttpOnly login cookie (mounted by ``asgi.py``).

A Streamlit script cannot send HTTP headers; its only way to a cookie is JavaScript, which can
neither set nor read an HttpOnly cookie. So the cookie comes from these routes of the st.App that
serves crm-dash: the page posts the one-time grant of its login (see
:mod:`crm_dash.ui.session_cookie`), and :func:`redeem` answers with ``Set-Cookie``.

Both routes use the process's one database connection (a fresh cursor per request, in a worker
thread so the event loop never waits for the database) and refuse requests whose ``Origin`` is
another site, so no other site can log a browser into an account of its choosing.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from crm_dash import config, sessions
from crm_dash.ui import context

log = logging.getLogger("crm_dash.ui")

SESSION_PATH = "/_crm/session"
END_PATH = "/_crm/session/end"
_MAX_BODY = 512

#: Whether this process serves the routes (set by :func:`routes`). Without them (a plain
#: ``streamlit run app.py``, AppTest) the login still holds for the open tab, but no cookie can
#: be set, so the page draws no snippet that would post in vain.
mounted = False


def routes() -> list[BaseRoute]:
    """The routes for ``st.App(..., routes=...)``; from now on pages draw the cookie snippets."""
    global mounted
    mounted = True
    return [
        Route(SESSION_PATH, redeem, methods=["POST"]),
        Route(END_PATH, end, methods=["POST"]),
    ]


def is_https(request: Request) -> bool:
    """Whether the browser talks to us over HTTPS (directly or through a TLS proxy)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _same_origin(request: Request) -> bool:
    """A request without ``Origin`` comes from no web page; one with it must be from ours."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    hosts = {request.headers.get("host", ""),
             request.headers.get("x-forwarded-host", "").split(",")[0].strip()}
    return urlsplit(origin).netloc in hosts - {""}


def _refused() -> Response:
    return Response(status_code=403, headers={"Cache-Control": "no-store"})


def _secret() -> str:
    return config.cookie_key(config.db_path())


def _redeem(grant: str) -> sessions.IssuedCookie | None:
    return sessions.redeem_grant(context.connection(), grant, secret=_secret())


async def redeem(request: Request) -> Response:
    """``POST /_crm/session`` with a grant as the body: the login cookie, once per grant."""
    body = await request.body()
    if not _same_origin(request) or len(body) > _MAX_BODY:
        return _refused()
    try:
        issued = await run_in_threadpool(_redeem, body.decode("ascii", errors="replace"))
    except Exception:
        log.exception("Could not redeem a login grant")
        return Response(status_code=500, headers={"Cache-Control": "no-store"})
    if issued is None:
        return _refused()
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        sessions.SESSION_COOKIE, issued.value, max_age=issued.max_age, path="/",
        secure=is_https(request), httponly=True, samesite="lax",
    )
    return response


def _is_live(cookie: str | None) -> bool:
    return sessions.cookie_is_live(context.connection(), cookie, secret=_secret())


async def end(request: Request) -> Response:
    """``POST /_crm/session/end``: clear the browser's cookie if its session has ended.

    A cookie of a valid session stays: it belongs to a newer login in another tab.
    """
    if not _same_origin(request):
        return _refused()
    cookie = request.cookies.get(sessions.SESSION_COOKIE)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    if cookie is not None and not await run_in_threadpool(_is_live, cookie):
        response.delete_cookie(sessions.SESSION_COOKIE, path="/", secure=is_https(request),
                               httponly=True, samesite="lax")
    return response
