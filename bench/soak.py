"""Soak: the app under a few people's load for some minutes (issue 15; loopback only, not in CI).

    .venv/bin/python bench/soak.py                    # 5 minutes, 5 browsers, 15 HTTP clients
    .venv/bin/python bench/soak.py --minutes 2 --browsers 5 --clients 15

What it starts, all on 127.0.0.1 and stopped at the end:

- the app as the browser tests start it (``tests/e2e/conftest.py``'s ``AppServer``: ``python -m
  crm_dash.ui.serve run asgi.py`` on a free port), on a fresh database holding the demo
  company (``crm_dash.demo``: 600 people, 18 months of usage, pipeline, training, goals and a
  retrospective; built in a temporary folder, or a copy of ``--db``) with the activity tables
  prepared and one account per role named like it (the e2e tests' ``PASSWORD``). The copy is
  not flagged as the demo, because the demo refuses uploads;
- ``--browsers`` Playwright sessions in headless Chromium (one browser per thread), logged in
  with the e2e tests' own ``login`` helper as lead, executive, admin, lead, executive, ...
  Each clicks a random sidebar link other than the current page and waits until the app is
  idle (``[data-testid=stApp][data-test-script-state=notRunning]``), the URL is the link's
  and the page's first heading has changed: that time is the page time. A click not finished
  within 30 s is a lost click (the session reloads the page and goes on). After every page
  the session counts ``[data-testid=stException]`` elements: each is an error. Between clicks
  it thinks for ``--think`` seconds (0.5x to 1.5x, at random);
- one more lead session that uploads a usage CSV (2,000 events of roster people in the last
  month, different each round) on the Upload page with the file chooser, loads it, opens
  Import history, confirms and deletes that upload, and starts over; a step not done within
  120 s is an error;
- ``--clients`` light clients: threads that GET a random page URL (the HTML shell Streamlit
  serves for every page, no websocket, so no script runs) or ``/_stcore/health`` with
  ``urllib``, one request every 0.5 to 1.5 s; any status other than 200 or a failed request
  is an error. They measure whether the server still answers while scripts are running.

At the end it prints one table: per kind of work the count, errors, lost clicks and p50/p95/max
seconds, the worst row named first, and the app process's peak resident memory (``VmHWM`` of
``/proc/<pid>/status``; psutil is not a dependency). The target (issue 15): 0 errors and 0
lost clicks. Figures and how to read them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the tests' helpers live beside crm_dash
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from playwright.sync_api import Page

NAV_TIMEOUT_S = 30  # a navigation not finished by then is a lost click
STEP_TIMEOUT_S = 120  # an upload, a load or a delete not done by then is an error
ROLES = ("lead", "executive", "admin")
MAX_MINUTES, MAX_BROWSERS, MAX_CLIENTS = 60, 10, 50


@dataclass
class Results:
    """What the workers saw; every method is thread-safe."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lost: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lost_details: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def time(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            self.errors[kind].append(what)
            self.times.setdefault(kind, [])

    def lost_click(self, kind: str, what: str) -> None:
        with self.lock:
            self.lost[kind] += 1
            self.lost_details.append(f"{kind}: {what}")
            self.times.setdefault(kind, [])


# ---- the database ------------------------------------------------------------------------------


def prepare_database(folder: Path, source: Path | None) -> tuple[Path, str]:
    """A database for the run: a copy of ``source`` or the demo company built afresh, not
    flagged as the demo, activity prepared, one account per role. Returns it and a summary."""
    from crm_dash import auth, db
    from crm_dash.metrics.activity import prepare_activity
    from crm_dash.months import last_complete_month
    from crm_dash.pages import Role
    from tests.e2e.conftest import PASSWORD

    path = folder / "soak.duckdb"
    if source is not None:
        shutil.copyfile(source, path)
        conn = db.connect(path)
    else:
        from crm_dash.demo import build_demo
        from crm_dash.goals.demo import add_demo_goals
        from crm_dash.retro.demo import add_demo_retro

        conn = db.connect(path)
        summary = build_demo(conn, end_month=last_complete_month(date.today()), out_dir=None)
        add_demo_goals(conn, summary)
        add_demo_retro(conn, summary)
    with db.transaction(conn) as cur:  # the demo takes no uploads; this copy must
        cur.execute("DELETE FROM app_meta WHERE key = 'demo'")
    prepare_activity(conn)
    cur = conn.cursor()
    users = [str(r[0]) for r in cur.execute("SELECT user_id FROM users").fetchall()]
    events = cur.execute("SELECT count(*) FROM usage_events").fetchone()
    last = cur.execute("SELECT max(ts) FROM usage_events").fetchone()
    existing = {str(r[0]) for r in cur.execute("SELECT username FROM app_users").fetchall()}
    for role in ROLES:  # one account per role, named like it, as the browser tests have them
        if role not in existing:
            auth.add_user(conn, role, PASSWORD, Role(role), actor="soak")
    conn.execute("CHECKPOINT")
    conn.close()
    (folder / "roster_ids.txt").write_text("\n".join(users))
    (folder / "last_event.txt").write_text(str(last[0] if last else datetime.now()))
    return path, (f"{len(users):,} people, {events[0] if events else 0:,} usage events")


def usage_file(folder: Path, round_no: int, rows: int) -> Path:
    """A usage log in the generic template: ``rows`` events of roster people in the data's
    last month, with timestamps no other round has (so every file is new)."""
    ids = (folder / "roster_ids.txt").read_text().split("\n")
    last = datetime.fromisoformat((folder / "last_event.txt").read_text()[:19])
    start = last.replace(day=1, hour=8, minute=0, second=0, microsecond=0)
    rng = random.Random(round_no)
    path = folder / f"soak-usage-{round_no:04d}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["user_id", "timestamp", "action", "object", "success"])
        for i in range(rows):
            when = start + timedelta(days=rng.randrange(20), minutes=rng.randrange(600),
                                     seconds=(round_no * rows + i) % 60,
                                     milliseconds=round_no % 1000)
            writer.writerow([rng.choice(ids), when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                             rng.choice(("login", "view", "view", "update", "create")),
                             rng.choice(("Account", "Opportunity", "Contact", "")), "true"])
    return path


# ---- browser sessions ---------------------------------------------------------------------------

_NAVIGATED = """([path, before]) => {
    const app = document.querySelector('[data-testid=stApp]');
    const h1 = document.querySelector('[data-testid=stMain] h1');
    const here = location.pathname.replace(/\\/$/, '');
    return here === path && app !== null && app.dataset.testScriptState === 'notRunning'
        && h1 !== null && h1.innerText.trim() !== '' && h1.innerText.trim() !== before;
}"""


_STATE = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    const h1 = document.querySelector('[data-testid=stMain] h1');
    return `at ${location.pathname}, heading ${JSON.stringify(h1?.innerText.trim() ?? null)}, `
        + `script ${app?.dataset.testScriptState}`;
}"""


#: The sidebar's links: text (after the icon's), path, and whether it is the current page.
_LINKS = """links => links.map(a => {
    const path = new URL(a.href).pathname.replace(/\\/$/, '');
    return [a.innerText.split('\\n').pop().trim(), path,
            path === location.pathname.replace(/\\/$/, '')];
})"""


def _heading(page: Page) -> str:
    return str(page.evaluate(
        "() => document.querySelector('[data-testid=stMain] h1')?.innerText.trim() ?? ''"))


def navigate(page: Page, title: str, results: Results, kind: str,
             logged_in: float | None = None) -> bool:
    """Click the sidebar link ``title``; the page time or a lost click. True when it arrived.
    ``logged_in``: when the session logged in (the lost click's report says how long ago)."""
    link = page.get_by_test_id("stSidebarNav").locator(  # the link's text follows its icon's
        "a", has=page.get_by_text(title, exact=True)).first
    path = str(link.evaluate("a => new URL(a.href).pathname")).rstrip("/")
    before = _heading(page)
    start = time.monotonic()
    link.click(timeout=NAV_TIMEOUT_S * 1000)
    try:
        page.wait_for_function(_NAVIGATED, arg=[path, before], timeout=NAV_TIMEOUT_S * 1000,
                               polling=100)
    except Exception:  # a Playwright timeout: the click is lost
        state = page.evaluate(_STATE)
        results.lost_click(kind, f"{before!r} -> {title!r} ({path or '/'}) after "
                                 f"{time.monotonic() - (logged_in or start):.0f} s logged in; "
                                 f"then {state}")
        page.reload()
        page.wait_for_selector("[data-testid=stSidebarNav]", timeout=NAV_TIMEOUT_S * 1000)
        return False
    results.time(kind, time.monotonic() - start)
    exceptions = page.locator("[data-testid=stException]")
    if exceptions.count():
        results.error(kind, f"{title}: {str(exceptions.first.inner_text())[:160]!r}")
    return True


def _session(results: Results, role: str, deadline: float, server_url: str,
             work: Any, kind: str) -> None:
    """One browser, one context, logged in as ``role``; runs ``work(page)`` until the end."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import _CHROMIUM_ARGS, CHROMIUM, login, wait_idle

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=_CHROMIUM_ARGS)
        context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(NAV_TIMEOUT_S * 1000)
        page.on("pageerror", lambda exc: results.page_errors.append(f"{role}: {exc}"))
        try:
            page.goto(server_url)
            login(page, role)
            page.wait_for_selector("[data-testid=stSidebarNav] a", timeout=60_000)
            wait_idle(page, timeout=60_000)
            logged_in = time.monotonic()
        except Exception as exc:
            results.error(kind, f"login as {role}: {type(exc).__name__}: {str(exc)[:160]}")
            browser.close()
            return
        while time.monotonic() < deadline:
            try:
                work(page, logged_in)
            except Exception as exc:  # reported, and the session goes on
                results.error(kind, f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
                try:
                    page.goto(server_url)
                    page.wait_for_selector("[data-testid=stSidebarNav] a", timeout=60_000)
                except Exception:
                    time.sleep(1)
        browser.close()


def browse(results: Results, role: str, deadline: float, server_url: str,
           think: float) -> None:
    """Random sidebar clicks as ``role``."""
    rng = random.Random(f"{role}{threading.get_ident()}")
    kind = f"browser navigation ({role})"

    def work(page: Page, logged_in: float) -> None:
        links = page.get_by_test_id("stSidebarNav").locator("a").evaluate_all(_LINKS)
        choices = [title for title, path, current in links if not current]  # another page
        navigate(page, rng.choice(choices), results, kind, logged_in)
        time.sleep(think * rng.uniform(0.5, 1.5))

    _session(results, role, deadline, server_url, work, kind)


def upload_and_delete(results: Results, deadline: float, server_url: str, folder: Path,
                      rows: int) -> None:
    """The lead's round: upload a usage file, load it, delete it in Import history."""
    from playwright.sync_api import expect

    from crm_dash.i18n import t
    from tests.e2e.conftest import choose_file, wait_idle

    counter = iter(range(1, 1_000_000))
    step = STEP_TIMEOUT_S * 1000

    def work(page: Page, logged_in: float) -> None:
        if time.monotonic() > deadline - 20:  # no round that cannot finish
            time.sleep(1)
            return
        path = usage_file(folder, next(counter), rows)
        navigate(page, "Upload data", results, "browser navigation (lead, uploading)",
                 logged_in)
        page.get_by_text(t("dataset.usage", "en"), exact=True).click()
        expect(page.get_by_text("--kind usage")).to_be_visible(timeout=step)
        wait_idle(page, timeout=step)
        start = time.monotonic()
        choose_file(page, path)
        load = page.get_by_role("button", name="Load", exact=True)
        expect(load).to_be_visible(timeout=step)
        load.click()
        loaded = page.get_by_text(re.compile(r"Loaded [\d,]+ rows as upload #\d+"))
        expect(loaded).to_be_visible(timeout=step)
        results.time("upload, check and load (lead)", time.monotonic() - start)
        batch = re.search(r"#(\d+)", str(loaded.inner_text()))
        assert batch is not None
        if page.locator("[data-testid=stException]").count():
            results.error("upload, check and load (lead)", "exception on the Upload page")
        path.unlink(missing_ok=True)

        navigate(page, "Import history", results, "browser navigation (lead, uploading)",
                 logged_in)
        start = time.monotonic()
        confirm = page.get_by_text(f"Yes, delete upload #{batch.group(1)} and its")
        expect(confirm).to_be_visible(timeout=step)  # the newest upload is preselected
        confirm.click()
        wait_idle(page, timeout=step)
        page.get_by_role("button", name="Delete upload").click()
        expect(page.get_by_text(f"Upload #{batch.group(1)} (")).to_be_visible(timeout=step)
        wait_idle(page, timeout=step)
        results.time("delete in Import history (lead)", time.monotonic() - start)
        if page.locator("[data-testid=stException]").count():
            results.error("delete in Import history (lead)", "exception on Import history")

    _session(results, "lead", deadline, server_url, work, "upload, check and load (lead)")


# ---- light clients ------------------------------------------------------------------------------


def light_client(results: Results, deadline: float, server_url: str, seed: int) -> None:
    """GETs of page URLs and the health check, one every 0.5 to 1.5 s."""
    from crm_dash.pages import PAGES

    rng = random.Random(seed)
    paths = [f"/{spec.url_path}" for spec in PAGES]
    while time.monotonic() < deadline:
        health = rng.random() < 0.3
        path = "/_stcore/health" if health else rng.choice(paths)
        kind = "HTTP GET /_stcore/health" if health else "HTTP GET page (no websocket)"
        start = time.monotonic()
        try:
            with urllib.request.urlopen(server_url + path, timeout=NAV_TIMEOUT_S) as resp:
                resp.read()
                status = resp.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            results.error(kind, f"{path}: {exc}")
            time.sleep(1)
            continue
        if status == 200:
            results.time(kind, time.monotonic() - start)
        else:
            results.error(kind, f"{path}: HTTP {status}")
        time.sleep(rng.uniform(0.5, 1.5))


# ---- memory -------------------------------------------------------------------------------------


def _status(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` of ``pid`` in kB (empty when it is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in lines)
            if k in ("VmRSS", "VmHWM")}


def watch_memory(pid: int, stop: threading.Event, peak: dict[str, int]) -> None:
    """Sample the app's memory every second (its own high-water mark is read at the end)."""
    while not stop.wait(1.0):
        now = _status(pid)
        peak["VmHWM"] = max(peak.get("VmHWM", 0), now.get("VmHWM", 0))
        peak["sampled"] = max(peak.get("sampled", 0), now.get("VmRSS", 0))
        peak["VmRSS"] = now.get("VmRSS", peak.get("VmRSS", 0))


# ---- the report ---------------------------------------------------------------------------------


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(results: Results, header: str, memory: dict[str, int]) -> int:
    """Print the table; the exit code says whether the target (0 errors, 0 lost) was met."""
    rows = []
    for kind in sorted(results.times):
        values = results.times[kind]
        rows.append((kind, len(values) + results.lost.get(kind, 0) + len(results.errors[kind]),
                     len(results.errors[kind]), results.lost.get(kind, 0),
                     statistics.median(values) if values else None,
                     _quantile(values, 0.95) if values else None,
                     max(values) if values else None))
    # The worst row first: errors and lost clicks, then the slowest p95.
    rows.sort(key=lambda r: (-(r[2] + r[3]), -(r[5] or 0)))
    navigations = [r for r in rows if r[0].startswith("browser navigation")]
    all_nav = [v for k, vs in results.times.items() if k.startswith("browser navigation")
               for v in vs]
    print(header)
    if rows:
        print(f"worst: {rows[0][0]} (errors {rows[0][2]}, lost {rows[0][3]}, p95 "
              f"{_seconds(rows[0][5])} s)")
    print(f"{'work':<42} {'count':>6} {'errors':>6} {'lost':>5} {'p50 s':>7} {'p95 s':>7} "
          f"{'max s':>7}")
    for kind, count, errors, lost, p50, p95, top in rows:
        print(f"{kind:<42} {count:>6} {errors:>6} {lost:>5} {_seconds(p50):>7} "
              f"{_seconds(p95):>7} {_seconds(top):>7}")
    if all_nav:
        lost = sum(r[3] for r in navigations)
        print(f"{'all browser navigations':<42} {len(all_nav) + lost:>6} "
              f"{sum(r[2] for r in navigations):>6} {lost:>5} "
              f"{_seconds(statistics.median(all_nav)):>7} "
              f"{_seconds(_quantile(all_nav, 0.95)):>7} {_seconds(max(all_nav)):>7}")
    print(f"app memory: peak RSS {memory.get('VmHWM', 0) / 1024:,.0f} MB (VmHWM), "
          f"{memory.get('VmRSS', 0) / 1024:,.0f} MB at the end")
    errors = sum(len(v) for v in results.errors.values())
    lost = sum(results.lost.values())
    for kind, found in results.errors.items():
        for what in found[:5]:
            print(f"  error, {kind}: {what}")
        if len(found) > 5:
            print(f"  ... {len(found) - 5} more of {kind}")
    for what in results.lost_details[:10]:
        print(f"  lost click, {what}")
    for what in results.page_errors[:5]:
        print(f"  browser page error (not counted): {what[:200]}")
    met = errors == 0 and lost == 0
    print(f"target 0 errors, 0 lost clicks: {'met' if met else 'missed'} "
          f"({errors} errors, {lost} lost clicks)")
    return 0 if met else 1


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Soak the app on 127.0.0.1: browser sessions, light HTTP clients and a "
                    "lead uploading and deleting usage files (issue 15; not in CI).")
    parser.add_argument("--minutes", type=float, default=5.0,
                        help=f"how long the load runs (default 5, at most {MAX_MINUTES})")
    parser.add_argument("--browsers", type=int, default=5,
                        help="browser sessions clicking through pages, besides the uploading "
                             f"lead (default 5, at most {MAX_BROWSERS})")
    parser.add_argument("--clients", type=int, default=15,
                        help=f"light HTTP clients (default 15, at most {MAX_CLIENTS})")
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds a browser session waits between clicks (0.5x-1.5x; "
                             "default 1)")
    parser.add_argument("--upload-rows", type=int, default=2000,
                        help="events per uploaded usage file (default 2000)")
    parser.add_argument("--db", type=Path, default=None,
                        help="start from a copy of this database instead of building the demo "
                             "company (the file itself is never changed)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work folder (database, app log) and print its path")
    args = parser.parse_args(argv)
    if not (0 < args.minutes <= MAX_MINUTES and 0 <= args.browsers <= MAX_BROWSERS
            and 0 <= args.clients <= MAX_CLIENTS):
        parser.error(f"bounded: --minutes up to {MAX_MINUTES}, --browsers up to "
                     f"{MAX_BROWSERS}, --clients up to {MAX_CLIENTS}")

    from tests.e2e.conftest import CHROMIUM, AppServer

    if not CHROMIUM.exists():
        parser.error(f"no Chromium at {CHROMIUM} (set CRM_DASH_CHROMIUM)")
    folder = Path(tempfile.mkdtemp(prefix="crm-dash-soak-"))
    try:
        started = time.monotonic()
        database, data = prepare_database(folder, args.db)
        print(f"database ready in {time.monotonic() - started:.0f} s: {data}", flush=True)
        server = AppServer(database, folder / "streamlit.log")
        results = Results()
        memory: dict[str, int] = {}
        stop = threading.Event()
        watcher = threading.Thread(target=watch_memory, args=(server.process.pid, stop, memory),
                                   daemon=True)
        watcher.start()
        deadline = time.monotonic() + args.minutes * 60
        roles = [ROLES[i % len(ROLES)] for i in range(args.browsers)]
        workers = [threading.Thread(target=browse, daemon=True,
                                    args=(results, role, deadline, server.url, args.think))
                   for role in roles]
        workers.append(threading.Thread(target=upload_and_delete, daemon=True, args=(
            results, deadline, server.url, folder, args.upload_rows)))
        workers += [threading.Thread(target=light_client, daemon=True,
                                     args=(results, deadline, server.url, seed))
                    for seed in range(args.clients)]
        print(f"soak on {server.url} for {args.minutes:g} min ...", flush=True)
        for worker in workers:
            worker.start()
        for worker in workers:  # each finishes its step; the steps themselves are bounded
            worker.join(timeout=max(0.0, deadline - time.monotonic()) + STEP_TIMEOUT_S + 60)
        stuck = sum(worker.is_alive() for worker in workers)
        stop.set()
        watcher.join()
        final = _status(server.process.pid)
        memory["VmHWM"] = max(memory.get("VmHWM", 0), final.get("VmHWM", 0))
        memory["VmRSS"] = final.get("VmRSS", memory.get("VmRSS", 0))
        server.stop()
        if stuck:
            results.error("soak", f"{stuck} worker(s) still busy after the grace period")
        header = (f"crm-dash soak: {args.minutes:g} min on 127.0.0.1, demo company "
                  f"({data}), {args.browsers} browsers ({', '.join(roles)}) + 1 lead "
                  f"uploading and deleting {args.upload_rows:,}-event usage files, "
                  f"{args.clients} light HTTP clients, think {args.think:g} s")
        return report(results, header, memory)
    finally:
        if args.keep:
            print(f"work folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
