"""Usage events written as Salesforce Event Monitoring log files (EventLogFile CSVs).

One file per event type (Login, LightningPageView, API); every value quoted, upper-case headers,
``TIMESTAMP`` as ``yyyyMMddHHmmss.SSS`` in UTC plus ``TIMESTAMP_DERIVED`` in ISO, ``USER_ID`` with
15 characters and ``USER_ID_DERIVED`` with 18. Columns that carry no adoption signal (request ids,
session keys, timings, user agents) are filled with plausible values from their own random stream,
so they never change the data itself.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from crm_dash.demo.common import DAY_MS, new_sf_ids, render_csv
from crm_dash.demo.roster import Person
from crm_dash.demo.usage import API, LOGIN, VIEW, Event

ORGANIZATION_ID = "00D7Q000001cWzN"
API_VERSION = "59.0"

LOGIN_HEADER = (
    "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME",
    "URI", "SESSION_KEY", "LOGIN_KEY", "USER_TYPE", "REQUEST_STATUS", "DB_TOTAL_TIME",
    "LOGIN_TYPE", "BROWSER_TYPE", "API_TYPE", "API_VERSION", "USER_NAME", "TLS_PROTOCOL",
    "CIPHER_SUITE", "AUTHENTICATION_METHOD_REFERENCE", "LOGIN_SUB_TYPE", "TIMESTAMP_DERIVED",
    "USER_ID_DERIVED", "CLIENT_IP", "URI_ID_DERIVED", "LOGIN_STATUS", "SOURCE_IP",
)
PAGEVIEW_HEADER = (
    "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "CLIENT_ID",
    "SESSION_KEY", "LOGIN_KEY", "USER_TYPE", "APP_NAME", "DEVICE_PLATFORM", "BROWSER_NAME",
    "BROWSER_VERSION", "OS_NAME", "OS_VERSION", "DURATION", "EFFECTIVE_PAGE_TIME",
    "PAGE_START_TIME", "PAGE_ENTITY_ID", "PAGE_ENTITY_TYPE", "PAGE_CONTEXT", "PAGE_URL",
    "PAGE_APP_NAME", "PREVPAGE_ENTITY_TYPE", "PREVPAGE_URL", "TIMESTAMP_DERIVED",
    "USER_ID_DERIVED", "CLIENT_IP",
)
API_HEADER = (
    "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME",
    "URI", "SESSION_KEY", "LOGIN_KEY", "USER_TYPE", "REQUEST_STATUS", "DB_TOTAL_TIME",
    "API_TYPE", "API_VERSION", "CLIENT_NAME", "METHOD_NAME", "ENTITY_NAME", "ROWS_PROCESSED",
    "REQUEST_SIZE", "RESPONSE_SIZE", "CONNECTED_APP_ID", "TIMESTAMP_DERIVED", "USER_ID_DERIVED",
    "CLIENT_IP", "URI_ID_DERIVED",
)

#: Canonical action → API ``METHOD_NAME`` (an export is a query that pulls rows out).
METHOD_NAMES = {"create": "create", "update": "update", "delete": "delete", "export": "query"}
#: ``EVENT_TYPE`` of each file, by channel.
EVENT_TYPES = {LOGIN: "Login", VIEW: "LightningPageView", API: "API"}
_KEY_PREFIX = {
    "Account": "001", "Contact": "003", "Opportunity": "006", "Lead": "00Q", "Activity": "00T",
    "Report": "00O", "Case": "500",
}
# (browser name, version, OS, OS version, user agent)
_BROWSERS = (
    ("CHROME", "124", "WINDOWS", "10",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36"),
    ("EDGE", "124", "WINDOWS", "10",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80"),
    ("FIREFOX", "125", "WINDOWS", "10",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"),
    ("SAFARI", "17", "MAC_OSX", "14",
     "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.4 Safari/605.1.15"),
)
_INTEGRATION_CLIENTS = {
    "sap": ("Java/17.0.10", "E", "SAP Cloud Integration"),
    "marketing": ("python-requests/2.31.0", "R", "Marketing Automation Connector"),
    "dwh": ("Go-http-client/1.1", "R", "DWH Loader"),
}


@dataclass
class _Identity:
    """Per-account values that repeat on every row."""

    uid15: str
    uid18: str
    username: str
    browser: tuple[str, str, str, str, str]
    client_ip: str
    app: str
    integration: str


@dataclass
class _Context:
    rng: random.Random
    identities: list[_Identity]
    record_ids: dict[str, list[str]]
    days: dict[int, tuple[str, str]] = field(default_factory=dict)
    sessions: dict[int, tuple[str, str]] = field(default_factory=dict)
    last_page: dict[int, tuple[str, str]] = field(default_factory=dict)

    def stamps(self, ms: int) -> tuple[str, str]:
        """``TIMESTAMP`` and ``TIMESTAMP_DERIVED`` of ``ms``."""
        day, rem = divmod(ms, DAY_MS)
        texts = self.days.get(day)
        if texts is None:
            d = date(1970, 1, 1) + timedelta(days=day)
            texts = self.days[day] = (d.strftime("%Y%m%d"), d.isoformat())
        sec, milli = divmod(rem, 1000)
        hour, sec = divmod(sec, 3600)
        minute, sec = divmod(sec, 60)
        return (
            f"{texts[0]}{hour:02d}{minute:02d}{sec:02d}.{milli:03d}",
            f"{texts[1]}T{hour:02d}:{minute:02d}:{sec:02d}.{milli:03d}Z",
        )

    def token(self, length: int) -> str:
        """A random base64url token such as a request id or session key."""
        return base64.urlsafe_b64encode(self.rng.randbytes(length)).decode()[:length]


def _identities(rng: random.Random, people: list[Person]) -> list[_Identity]:
    out = []
    for person in people:
        browser = rng.choices(_BROWSERS, weights=(70, 20, 5, 5), k=1)[0]
        app = "LightningService" if person.department == "Kundenservice" else "LightningSales"
        out.append(_Identity(
            uid15=person.user_id[:15], uid18=person.user_id, username=person.email,
            browser=browser, client_ip=person.client_ip, app=app,
            integration=person.integration_kind,
        ))
    return out


def _login_row(ctx: _Context, event: Event) -> tuple[str, ...]:
    who = ctx.identities[event.person]
    stamp, derived = ctx.stamps(event.ts_ms)
    rng = ctx.rng
    if event.success:
        session = ctx.sessions[event.person] = (ctx.token(16), ctx.token(16))
    else:
        session = ("", "")
    if who.integration:
        agent, api_type, _ = _INTEGRATION_CLIENTS[who.integration]
        uri, login_type, api_version, tls = "/services/oauth2/token", "i", API_VERSION, "TLSv1.2"
        cipher = "ECDHE-RSA-AES256-GCM-SHA384"
    else:
        agent, api_type, uri, login_type = who.browser[4], "", "/index.jsp", "A"
        api_version, tls, cipher = "9998.0", "TLSv1.3", "TLS_AES_256_GCM_SHA384"
    status = "LOGIN_NO_ERROR" if event.success else rng.choice(
        ("LOGIN_ERROR_INVALID_PASSWORD", "LOGIN_ERROR_INVALID_PASSWORD",
         "LOGIN_ERROR_PASSWORD_LOCKOUT")
    )
    return (
        EVENT_TYPES[LOGIN], stamp, ctx.token(22), ORGANIZATION_ID, who.uid15,
        str(rng.randint(40, 320)), str(rng.randint(8, 90)), uri, session[0], session[1], "Standard",
        "S" if event.success else "F", str(rng.randint(1_000_000, 60_000_000)), login_type,
        agent, api_type, api_version, who.username, tls, cipher, "", "", derived, who.uid18,
        who.client_ip, "", status, who.client_ip,
    )


def _pageview_row(ctx: _Context, event: Event) -> tuple[str, ...]:
    who = ctx.identities[event.person]
    stamp, derived = ctx.stamps(event.ts_ms)
    rng = ctx.rng
    obj = event.object or "Account"
    session = ctx.sessions.get(event.person, ("", ""))
    if rng.random() < 0.3 and obj != "Report":
        entity_id, context = "", "force:objectHomeDesktop"
        url = f"/lightning/o/{obj}/list?filterName=Recent"
    else:
        entity_id, context = rng.choice(ctx.record_ids[obj]), "force:recordHomeDesktop"
        url = f"/lightning/r/{obj}/{entity_id}/view"
    previous = ctx.last_page.get(event.person, ("", "/lightning/page/home"))
    ctx.last_page[event.person] = (obj, url)
    duration = rng.randint(400, 9000)
    browser, version, os_name, os_version, _ = who.browser
    return (
        EVENT_TYPES[VIEW], stamp, ctx.token(22), ORGANIZATION_ID, who.uid15, "", session[0],
        session[1], "Standard", "one:one", "SFX:BROWSER:DESKTOP", browser, version, os_name,
        os_version, str(duration), str(duration + rng.randint(0, 60_000)), str(event.ts_ms),
        entity_id, obj, context, url, who.app, previous[0], previous[1], derived, who.uid18,
        who.client_ip,
    )


def _api_row(ctx: _Context, event: Event) -> tuple[str, ...]:
    who = ctx.identities[event.person]
    stamp, derived = ctx.stamps(event.ts_ms)
    rng = ctx.rng
    obj = event.object or "Account"
    method = METHOD_NAMES[event.action]
    session = ctx.sessions.get(event.person, ("", ""))
    record = ""
    if method == "query":
        uri, rows = f"/services/data/v{API_VERSION}/query", rng.randint(20, 2500)
    elif method == "create":
        uri, rows = f"/services/data/v{API_VERSION}/sobjects/{obj}", 1
    else:
        record = rng.choice(ctx.record_ids[obj])
        uri, rows = f"/services/data/v{API_VERSION}/sobjects/{obj}/{record}", 1
    if who.integration:
        _, api_type, client = _INTEGRATION_CLIENTS[who.integration]
        app_id = "0H47Q000000XyZ" + str(ord(who.integration[0]) % 10)
    else:
        api_type, client, app_id = "R", ("DataLoaderPartnerUI/59.0.0" if method == "query"
                                         else ""), ""
    return (
        EVENT_TYPES[API], stamp, ctx.token(22), ORGANIZATION_ID, who.uid15,
        str(rng.randint(30, 900)), str(rng.randint(5, 250)), uri, session[0], session[1],
        "Standard", "S",
        str(rng.randint(500_000, 90_000_000)), api_type, API_VERSION, client, method, obj,
        str(rows), str(rng.randint(200, 4000)), str(rows * rng.randint(300, 1400)), app_id,
        derived, who.uid18, who.client_ip, record,
    )


def source_action(event: Event) -> str:
    """The action as the event log file writes it, which the importer keeps as
    ``source_action``: the ``METHOD_NAME`` of an API call, the ``EVENT_TYPE`` of anything else
    (the presets map those columns onto ``action``)."""
    return METHOD_NAMES[event.action] if event.channel == API else EVENT_TYPES[event.channel]


_ROW_BUILDERS = {LOGIN: _login_row, VIEW: _pageview_row, API: _api_row}
HEADERS = {LOGIN: LOGIN_HEADER, VIEW: PAGEVIEW_HEADER, API: API_HEADER}


def eventlog_csvs(
    rng: random.Random, events: Sequence[Event], people: list[Person]
) -> dict[str, bytes]:
    """The bytes of the three event log files, by channel (``login``, ``view``, ``api``).

    ``events`` must be sorted by time: session keys are carried from a login to the page views
    and API calls that follow it.
    """
    record_ids = {obj: new_sf_ids(rng, prefix, 400) for obj, prefix in _KEY_PREFIX.items()}
    ctx = _Context(rng=rng, identities=_identities(rng, people), record_ids=record_ids)
    rows: dict[str, list[tuple[str, ...]]] = {LOGIN: [], VIEW: [], API: []}
    for event in events:
        rows[event.channel].append(_ROW_BUILDERS[event.channel](ctx, event))
    return {
        channel: render_csv(HEADERS[channel], channel_rows, quote_all=True)
        for channel, channel_rows in rows.items()
    }
