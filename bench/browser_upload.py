"""Benchmark: a big usage file uploaded in the browser, from pressing Load until the Overview
shows the new figures (issue 16; loopback only, not in CI).

    .venv/bin/python bench/browser_upload.py                    # 500,000 rows, 1 round
    .venv/bin/python bench/browser_upload.py --rows 500000 --repeat 3

Builds the demo company as ``bench/soak.py`` does (600 people, 18 months, about 430,000 usage
events; not flagged as the demo, so it takes uploads) and a usage log in the generic template
with ``--rows`` events of roster people in the data's last month (``soak.usage_file``: random
order, instants to the millisecond). Each round starts the app on a fresh copy of that database
(``tests/e2e/conftest.py``'s ``AppServer``, as ``crm-dash run`` serves it), logs in as the lead
in headless Chromium, picks "Usage log" on the Upload page and chooses the file with the file
chooser, then times:

- ``check``: from choosing the file until the check's Load button shows (the upload to the
  server, detection, mapping, the preview and the dry run);
- ``load``: from pressing Load until "Loaded N rows as upload #B" shows (the import in one
  transaction, and the activity update that follows it);
- ``overview``: from clicking Overview until the page is at its address, has finished
  running and shows its heading;
- ``load + overview``: the figure of issue 16, from pressing Load to the new figures.

It prints one row per round, the median, and the app's peak resident memory (``VmHWM``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import soak  # noqa: E402  (beside this file; it puts the project root on the path)

STEP_TIMEOUT_MS = int(os.environ.get("BENCH_STEP_TIMEOUT_MS", "600000"))


def one_round(database: Path, folder: Path, usage: Path, round_no: int) -> dict[str, float]:
    """Upload ``usage`` into a copy of ``database`` in the browser; the step times."""
    import re

    from playwright.sync_api import expect, sync_playwright

    from crm_dash.i18n import t
    from tests.e2e.conftest import (
        _CHROMIUM_ARGS,
        CHROMIUM,
        AppServer,
        choose_file,
        login,
        wait_idle,
    )

    copy = folder / f"round-{round_no}.duckdb"
    for stale in folder.glob(f"round-{round_no}.duckdb*"):  # a WAL left by a stopped run
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    shutil.copyfile(database, copy)
    server = AppServer(copy, folder / f"round-{round_no}.log")
    times: dict[str, float] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                         args=_CHROMIUM_ARGS)
            page = browser.new_context(locale="en-US",
                                       viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(STEP_TIMEOUT_MS)
            page.goto(server.url)
            login(page, "lead")
            soak.navigate(page, t("nav.upload", "en"), soak.Results(), "upload")
            page.get_by_text(t("dataset.usage", "en"), exact=True).click()
            wait_idle(page, timeout=STEP_TIMEOUT_MS)
            started = time.monotonic()
            choose_file(page, usage)
            load = page.get_by_role("button", name="Load", exact=True)
            expect(load).to_be_visible(timeout=STEP_TIMEOUT_MS)
            times["check"] = time.monotonic() - started
            started = time.monotonic()
            load.click()
            loaded = page.get_by_text(re.compile(r"Loaded [\d,]+ rows as upload #\d+"))
            expect(loaded).to_be_visible(timeout=STEP_TIMEOUT_MS)
            wait_idle(page, timeout=STEP_TIMEOUT_MS)
            times["load"] = time.monotonic() - started
            times["rows"] = float(re.sub(r"\D", "", str(loaded.inner_text()).split(" rows")[0]))
            link = page.get_by_test_id("stSidebarNav").locator(
                "a", has=page.get_by_text(t("nav.overview", "en"), exact=True)).first
            path = str(link.evaluate("a => new URL(a.href).pathname")).rstrip("/")
            before = soak._heading(page)
            started = time.monotonic()
            link.click()
            # at the Overview's address, the script finished, its heading drawn
            try:
                page.wait_for_function(soak._NAVIGATED, arg=[path, before],
                                       timeout=STEP_TIMEOUT_MS, polling=50)
            except Exception:
                page.screenshot(path=str(folder / "overview-timeout.png"))
                raise SystemExit(
                    f"the Overview did not finish: {page.evaluate(soak._STATE)}") from None
            times["overview"] = time.monotonic() - started
            if page.locator("[data-testid=stException]").count():
                raise SystemExit("the Overview shows an exception")
            browser.close()
        times["peak_mb"] = soak._status(server.process.pid).get("VmHWM", 0) / 1024
    finally:
        server.stop()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000, help="events in the usage file")
    parser.add_argument("--repeat", type=int, default=1, help="rounds (default 1)")
    parser.add_argument("--keep", type=Path, help="work folder, kept (database reused)")
    args = parser.parse_args(argv)
    if not 0 < args.rows <= 5_000_000 or not 0 < args.repeat <= 10:
        parser.error("bounded: --rows up to 5,000,000, --repeat up to 10")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="crm-dash-browser-upload-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        started = time.monotonic()
        database = folder / "soak.duckdb"
        if not database.exists():
            database, data = soak.prepare_database(folder, None)
            print(f"database ready in {time.monotonic() - started:.0f} s: {data}", flush=True)
        usage = soak.usage_file(folder, 1, args.rows)
        print(f"usage file: {args.rows:,} rows, {usage.stat().st_size / 2**20:.1f} MB "
              f"({datetime.now():%Y-%m-%d %H:%M})", flush=True)
        rounds = [one_round(database, folder, usage, i) for i in range(args.repeat)]
        print("\n| round | rows loaded | check s | load s | overview s | load + overview s |"
              " app peak MB |\n|---|---:|---:|---:|---:|---:|---:|")
        for i, r in enumerate(rounds, start=1):
            print(f"| {i} | {r['rows']:,.0f} | {r['check']:.1f} | {r['load']:.1f} |"
                  f" {r['overview']:.1f} | {r['load'] + r['overview']:.1f} |"
                  f" {r['peak_mb']:,.0f} |")
        total = statistics.median(r["load"] + r["overview"] for r in rounds)
        print(f"\nmedian from pressing Load to the Overview's new figures: {total:.1f} s")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
