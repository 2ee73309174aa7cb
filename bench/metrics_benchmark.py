"""Benchmark: each page's adoption computations, cold from the DuckDB file and warm from cache.

    .venv/bin/python bench/metrics_benchmark.py                    # 1M and 10M events, 3 rounds
    .venv/bin/python bench/metrics_benchmark.py --events 1000000 --repeat 1

For each size, generates 5,000 people (30 % productive, 20 % sporadic, 30 % barely, 20 % never,
joiners, leavers, integration accounts), their events over 18 months, about 40,000 training
records and 50,000 opportunities straight into a temporary DuckDB file, in SQL, and six goals
(one per department). Then:

- ``refresh``: the one-off rebuild of the per-person-per-month activity table after an upload
  (a deleted batch or a new time zone costs the same), in a fresh process;
- per page, ``cold``: a fresh process opens the file and does everything the page computes
  (data version, definition, months, person-months, the page's figures), timed from before the
  connection opens until the last figure is ready (rendering excluded);
- per page, ``warm``: the same again in that process, as a repeated view does: the cached data
  (``st.cache_data`` keyed by the data version) and the page's figures.

Figures are medians over the rounds. The target: every page under 1 s cold.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

PAGES = ("overview", "adoption", "goals", "people", "settings", "training", "pipeline", "retro")
GOALS = 6  # one per department, set on 1 January 2026 for 9 months
TRAINING_RECORDS = 40_000
OPPORTUNITIES = 50_000
TARGET_SECONDS = 1.0
USERS = 5_000
DAYS = 548  # 18 months from 2025-05-01


def generate(db_path: Path, events: int) -> None:
    """People and ``events`` usage events, written by DuckDB through crm-dash's schema."""
    from crm_dash import db

    conn = db.connect(db_path)
    conn.execute(
        "INSERT INTO import_batches (batch_id, kind, file_name, content_sha256, imported_by,"
        " source) VALUES (1, 'users', 'roster.csv', 'bench', 'bench', 'cli'),"
        " (2, 'usage', 'usage.csv', 'bench', 'bench', 'cli')"
    )
    # Tier by user number: 0-2 productive, 3-4 sporadic, 5-7 barely, 8-9 never.
    conn.execute(
        """INSERT INTO users (user_key, user_id, name, email, department, team, role,
                              license_type, license_cost_monthly, start_date, end_date,
                              is_integration, batch_id)
        SELECT '005BENCH' || lpad(CAST(i AS VARCHAR), 7, '0'),
               '005BENCH' || lpad(CAST(i AS VARCHAR), 7, '0') || 'AAA',
               'Person ' || i, 'person' || i || '@example.com',
               ['Vertrieb Süd', 'Vertrieb Nord', 'Innendienst', 'Marketing', 'Service',
                'Key Account'][i % 6 + 1],
               'Team ' || (i % 40), ['Außendienst', 'Innendienst', 'Leitung'][i % 3 + 1],
               'Sales Cloud', 150.00,
               CASE WHEN i % 25 = 0 THEN DATE '2025-05-01' + CAST(i % 500 AS INTEGER)
                    ELSE DATE '2024-01-01' END,
               CASE WHEN i % 31 = 0 THEN DATE '2025-08-01' + CAST(i % 400 AS INTEGER) END,
               i < 5, 1
        FROM range(?) t(i)""",
        [USERS],
    )
    conn.execute(
        """CREATE TEMP TABLE bench_days AS
        SELECT row_number() OVER () - 1 AS idx, u, d FROM (
            SELECT u.i AS u, d.i AS d FROM range(?) u(i), range(?) d(i)
            -- a pseudo-random draw per person and day (hash: deterministic, and not pushed
            -- down to the people alone as random() would be)
            WHERE hash(u.i * 1000 + d.i) % 10000 < 10000 * [0.5, 0.5, 0.5, 0.14, 0.14, 0.02,
                                                               0.02, 0.02, 0.0, 0.0][u.i % 10 + 1]
               OR u.i < 5
        )""",
        [USERS, DAYS],
    )
    row = conn.execute("SELECT count(*) FROM bench_days").fetchone()
    assert row is not None
    conn.execute(
        """INSERT INTO usage_events (user_key, user_id, ts, action, source_action, object,
                                     success, batch_id)
        SELECT '005BENCH' || lpad(CAST(b.u AS VARCHAR), 7, '0'),
               '005BENCH' || lpad(CAST(b.u AS VARCHAR), 7, '0') || 'AAA',
               TIMESTAMP '2025-05-01 05:00:00' + to_days(CAST(b.d AS INTEGER))
                   + to_seconds(CAST((n * 7919) % 57600 AS BIGINT)),
               ['login', 'view', 'view', 'view', 'create', 'update', 'update', 'view', 'export',
                'delete'][n % 10 + 1],
               NULL,
               ['Account', 'Contact', 'Opportunity', 'Lead', 'Activity', 'Report'][n % 6 + 1],
               n % 50 <> 0, 2
        FROM range(?) r(n) JOIN bench_days b ON b.idx = n % ?""",
        [events, int(row[0])],
    )
    _generate_training_and_pipeline(conn)
    _generate_goals(conn)
    conn.execute("CHECKPOINT")
    conn.close()


def _generate_goals(conn: Any) -> None:
    """One goal per department, as leads set them (baselines measured from the data)."""

    from crm_dash.goals.model import GoalDraft, GoalScope
    from crm_dash.goals.tracker import add_goal

    departments = [r[0] for r in conn.execute(
        "SELECT DISTINCT department FROM users ORDER BY 1 LIMIT ?", [GOALS]).fetchall()]
    for department in departments:
        add_goal(conn, GoalDraft(name=f"+20 % {department}", scope=GoalScope(
            department=department), start=date(2026, 1, 1)), actor="bench",
            today=date(2026, 11, 15))


def _generate_training_and_pipeline(conn: Any) -> None:
    """Training records (learners by e-mail, 60 courses on set days) and a pipeline snapshot."""
    conn.execute(
        "INSERT INTO import_batches (batch_id, kind, file_name, content_sha256, imported_by,"
        " source) VALUES (3, 'training', 'lms.csv', 'bench', 'bench', 'cli'),"
        " (4, 'pipeline', 'opportunities.csv', 'bench', 'bench', 'cli')"
    )
    conn.execute(
        """INSERT INTO training_records (user_ref, user_key, course, date, kind, status, score,
                                         batch_id)
        SELECT 'person' || (n * 7 % ?) || '@example.com', 'person' || (n * 7 % ?) || '@example.com',
               'Course ' || (n % 60), DATE '2025-05-05' + CAST((n % 60) * 9 AS INTEGER),
               ['kickoff', 'monthly', 'webinar', 'onboarding', 'key_user'][n % 5 + 1],
               ['attended', 'completed', 'completed', 'no_show'][n % 4 + 1], NULL, 3
        FROM range(?) r(n)""",
        [USERS, USERS, TRAINING_RECORDS],
    )
    conn.execute(
        """INSERT INTO opportunity_snapshots (opportunity_id, owner, owner_key, account, stage,
               amount, currency, created_at, close_date, last_modified_at, last_activity_at,
               next_step, is_closed, is_won, batch_id)
        SELECT '006BENCH' || n, '005BENCH' || lpad(CAST(n % ? AS VARCHAR), 7, '0') || 'AAA',
               '005BENCH' || lpad(CAST(n % ? AS VARCHAR), 7, '0'), 'Account ' || (n % 900),
               ['Prospecting', 'Qualification', 'Proposal', 'Closed Won', 'Closed Lost'][n % 5 + 1],
               CASE WHEN n % 9 = 0 THEN NULL ELSE 1000 + (n * 37) % 90000 END, 'EUR',
               TIMESTAMP '2025-05-01' + to_days(CAST(n % 500 AS INTEGER)),
               DATE '2025-07-01' + CAST(n % 560 AS INTEGER),
               TIMESTAMP '2025-06-01' + to_days(CAST(n % 517 AS INTEGER)), NULL,
               CASE WHEN n % 3 = 0 THEN NULL ELSE 'Call back' END,
               n % 5 >= 3, n % 5 = 3, 4
        FROM range(?) r(n)""",
        [USERS, USERS, OPPORTUNITIES],
    )


def child_refresh(db_path: Path) -> dict[str, Any]:
    """Rebuild the activity table (what the first view after an upload does)."""
    from crm_dash import db
    from crm_dash.metrics.activity import refresh_activity

    start = time.perf_counter()
    conn = db.connect(db_path)
    refresh_activity(conn, "Europe/Berlin", force=True)
    rows = conn.execute("SELECT row_count FROM activity_state").fetchone()
    conn.close()
    return {"seconds": time.perf_counter() - start, "rows": rows[0] if rows else None}


def _page_work(page: str, conn: Any) -> dict[str, Any]:
    """What ``page`` computes before it renders: the view the page draws, as a lead sees it."""
    from crm_dash.audience import Audience
    from crm_dash.pages import Role
    from crm_dash.views.adoption import adoption_view
    from crm_dash.views.data import adoption_data
    from crm_dash.views.filters import Filters
    from crm_dash.views.goals import goals_view
    from crm_dash.views.overview import overview_view
    from crm_dash.views.people import people_view
    from crm_dash.views.pipeline import pipeline_view
    from crm_dash.views.retro import RetroChoice, live_evidence, retro_view
    from crm_dash.views.settings import settings_view
    from crm_dash.views.snapshot import snapshot
    from crm_dash.views.training import training_view

    snap, lead = snapshot(conn), Audience(Role.LEAD)
    if page == "retro":  # no adoption frame: the list, and the evidence a lead edits beside
        retro_view(snap, RetroChoice(start_on=snap.today), lead, "en")
        return {"evidence_items": len(live_evidence(snap, snap.today).evidence)}
    data = adoption_data(snap)
    month = data.latest_complete
    assert month is not None
    out: dict[str, Any] = {"person_months": len(data.frame)}
    if page == "overview":
        overview = overview_view(snap, lead)
        out["health_attention"] = len(overview.health.report.attention)  # the health line
        assert overview.headline is not None and overview.headline.figures is not None
        out["licensed"] = overview.headline.figures.now.licensed
    elif page == "adoption":  # everyone, the default range (the latest 12 months)
        adoption_page = adoption_view(snap, Filters.everyone_in(data.months()[-12:][0], month),
                                      lead)
        assert adoption_page.figures is not None
        out["licensed"] = adoption_page.figures.headline.summary.licensed
    elif page == "goals":  # the downloads (HTML, Excel) are built on every view
        out["goals"] = len(goals_view(snap, lead, "en").goals)
    elif page == "people":  # everyone in the latest month
        people_page = people_view(snap, Filters.everyone_in(month, month), lead)
        assert people_page.rows is not None
        out["people"] = len(people_page.rows)
    elif page == "settings":  # the definition, its history, coverage, integration accounts
        settings = settings_view(snap, lead)
        assert settings.excluded is not None
        out["excluded"] = len(settings.excluded)
    elif page == "training":  # everyone (the invitation list included)
        view = training_view(snap, Filters.everyone_in(month, month), lead)
        assert view.sections is not None
        out["trained_share"] = view.sections.tiles.trained_share
    elif page == "pipeline":  # everyone (the owners and stages included)
        pipeline = pipeline_view(snap, None, lead, "en")
        assert pipeline.tiles is not None
        out["open"] = pipeline.tiles.summary.open
    return out


def child_page(page: str, db_path: Path) -> dict[str, Any]:
    """Cold (fresh process, nothing cached) and warm (repeated view) timings of one page."""
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    os.environ["CRM_DASH_DB"] = str(db_path)
    # Modules are imported before the clock starts, as the running app has them loaded.
    import pyarrow.pandas_compat  # noqa: F401  (loaded by the app's first table)
    import streamlit  # noqa: F401
    import xlsxwriter  # noqa: F401  (loaded by the app's first Excel download)

    from crm_dash import db, summary  # noqa: F401
    from crm_dash.goals import present, report, source, store, tracker  # noqa: F401
    from crm_dash.i18n import LANGUAGES, t
    from crm_dash.metrics import adoption, definitions, integration, people, pipeline, training  # noqa: F401
    from crm_dash.retro import evidence  # noqa: F401
    from crm_dash.views import adoption as adoption_views  # noqa: F401
    from crm_dash.views import goals as goals_views  # noqa: F401
    from crm_dash.views import overview as overview_views  # noqa: F401
    from crm_dash.views import people as people_views  # noqa: F401
    from crm_dash.views import pipeline as pipeline_views  # noqa: F401
    from crm_dash.views import retro as retro_views  # noqa: F401
    from crm_dash.views import settings as settings_views  # noqa: F401
    from crm_dash.views import training as training_views  # noqa: F401
    for lang in LANGUAGES:  # the catalogs are read once per process, by the app's first text
        t("app.title", lang)

    start, cpu = time.perf_counter(), time.process_time()
    conn = db.connect(db_path)
    out = _page_work(page, conn)
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    _page_work(page, conn)
    warm = time.perf_counter() - start
    conn.close()
    return {"cold": cold, "cold_cpu": cold_cpu, "warm": warm, **out}


def _child(args: list[str]) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True,
        cwd=Path(__file__).resolve().parent.parent, check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{child.stderr}")
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="1000000,10000000",
                        help="comma-separated numbers of events")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, db_path = args.child[0], Path(args.child[-1])
        result = child_refresh(db_path) if kind == "refresh" else child_page(kind, db_path)
        print(json.dumps(result))
        return 0

    sizes = [int(s) for s in args.events.split(",") if s]
    results: dict[int, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="crm-dash-metrics-bench-") as tmp:
        for events in sizes:
            db_path = Path(tmp) / f"bench-{events}.duckdb"
            started = time.perf_counter()
            generate(db_path, events)
            size_mb = db_path.stat().st_size / 2**20
            print(f"{events:,} events, {USERS:,} people: generated in "
                  f"{time.perf_counter() - started:.1f} s ({size_mb:,.0f} MB file); "
                  f"{os.cpu_count()} CPUs", flush=True)
            rounds: dict[str, dict[str, list[float]]] = {
                k: {"cold": [], "cold_cpu": [], "warm": []} for k in ("refresh", *PAGES)}
            for round_no in range(args.repeat):
                refresh = _child(["refresh", str(db_path)])
                rounds["refresh"]["cold"].append(refresh["seconds"])
                line = [f"refresh {refresh['seconds']:.2f} s ({refresh['rows']:,} rows)"]
                for page in PAGES:
                    timing = _child([page, str(db_path)])
                    rounds[page]["cold"].append(timing["cold"])
                    rounds[page]["cold_cpu"].append(timing["cold_cpu"])
                    rounds[page]["warm"].append(timing["warm"])
                    line.append(f"{page} {timing['cold']:.2f}/{timing['warm'] * 1000:.0f} ms")
                print(f"  round {round_no + 1}: " + ", ".join(line), flush=True)
            results[events] = {
                k: {m: statistics.median(v) for m, v in r.items() if v}
                for k, r in rounds.items()
            }
    print()
    load = os.getloadavg()[0]
    header = " | ".join(f"{e / 1e6:g}M cold s (CPU s) | {e / 1e6:g}M warm ms" for e in sizes)
    print(f"| step | {header} |")
    print("|---|" + "---:|---:|" * len(sizes))
    for step in ("refresh", *PAGES):
        cells = []
        for events in sizes:
            figures = results[events][step]
            cpu = f" ({figures['cold_cpu']:.2f})" if "cold_cpu" in figures else ""
            warm = figures.get("warm")
            cells.append(f"{figures['cold']:.2f}{cpu} | "
                         f"{'–' if warm is None else f'{warm * 1000:.0f}'}")
        print(f"| {step} | {' | '.join(cells)} |")
    print(f"\nload average at the end: {load:.1f} on {os.cpu_count()} CPUs (wall times suffer "
          "when other processes compete; CPU time is the process's own work)")
    worst = max(results[e][p]["cold"] for e in sizes for p in PAGES)
    verdict = "met" if worst < TARGET_SECONDS else "MISSED"
    print(f"\ntarget (every page < {TARGET_SECONDS:.0f} s cold): {verdict} "
          f"(slowest {worst:.2f} s)")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"growth {small / 1e6:g}M -> {large / 1e6:g}M events: refresh "
              f"{results[large]['refresh']['cold'] / results[small]['refresh']['cold']:.1f}x, "
              + ", ".join(f"{p} {results[large][p]['cold'] / results[small][p]['cold']:.1f}x"
                          for p in PAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
