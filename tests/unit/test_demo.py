"""The demo company: deterministic, loaded batch by batch, telling the intended adoption story."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.db import connect
from crm_dash.demo import DEMO_FOCUS_DEPARTMENT, DEPARTMENTS, DemoSummary, build_demo
from crm_dash.demo.roster import WAVE_SECOND_ROUND_DELAY, WAVE_SECOND_ROUND_TEAMS
from crm_dash.errors import ConfigError
from crm_dash.importing.run import inspect_file
from crm_dash.metrics.definitions import load_definition
from crm_dash.metrics.segments import user_months
from crm_dash.metrics.training import learner_records, training_effect
from crm_dash.ui.upload_widgets import preset_label

END_MONTH = date(2026, 3, 1)
SMALL = 120
DATA_TABLES = ("users", "usage_events", "opportunity_snapshots", "training_records")
FILE_NAMES = (
    "roster_excel_de.csv",
    "sf_eventlog_login.csv",
    "sf_eventlog_lightningpageview.csv",
    "sf_eventlog_api.csv",
    "opportunities_dataloader.csv",
    "training_lms.csv",
)
# Header of the Salesforce Data Loader sample (forcedotcom/dataloader opportunityData.csv), plus
# the CURRENCYISOCODE that extracts of multi-currency orgs carry.
DATALOADER_HEADER = (
    '"ID","ISDELETED","ACCOUNTID","NAME","DESCRIPTION","STAGENAME","AMOUNT","PROBABILITY",'
    '"EXPECTEDREVENUE","TOTALOPPORTUNITYQUANTITY","CLOSEDATE","TYPE","NEXTSTEP","LEADSOURCE",'
    '"ISCLOSED","ISWON","FORECASTCATEGORY","CURRENCYISOCODE","HASOPPORTUNITYLINEITEM",'
    '"PRICEBOOKID","PRICEBOOK2ID",'
    '"OWNERID","CREATEDDATE","CREATEDBYID","LASTMODIFIEDDATE","LASTMODIFIEDBYID","SYSTEMMODSTAMP",'
    '"LASTACTIVITYDATE","FISCALQUARTER","FISCALYEAR","FISCAL","ORACLE_ID__C"'
)
# The 2023 layout of the Login event log file.
LOGIN_HEADER = [
    "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME",
    "URI", "SESSION_KEY", "LOGIN_KEY", "USER_TYPE", "REQUEST_STATUS", "DB_TOTAL_TIME",
    "LOGIN_TYPE", "BROWSER_TYPE", "API_TYPE", "API_VERSION", "USER_NAME", "TLS_PROTOCOL",
    "CIPHER_SUITE", "AUTHENTICATION_METHOD_REFERENCE", "LOGIN_SUB_TYPE", "TIMESTAMP_DERIVED",
    "USER_ID_DERIVED", "CLIENT_IP", "URI_ID_DERIVED", "LOGIN_STATUS", "SOURCE_IP",
]

# Segments under the app's default definitions, per person and calendar month in Berlin, for
# licensed people only (the roster is the denominator; integration accounts are not people).
SEGMENTS_SQL = """
WITH licensed AS (
    SELECT user_key, department FROM users
    WHERE NOT is_integration AND start_date <= last_day(CAST(? AS DATE))
      AND (end_date IS NULL OR end_date >= CAST(? AS DATE))
),
local_events AS (
    SELECT user_key, (ts AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin' AS local_ts, action
    FROM usage_events WHERE success
),
activity AS (
    SELECT user_key, count(DISTINCT CAST(local_ts AS DATE)) AS active_days,
           count(*) FILTER (WHERE action IN ('create', 'update')) AS writes
    FROM local_events WHERE date_trunc('month', local_ts) = CAST(? AS DATE)
    GROUP BY user_key
)
SELECT l.user_key, l.department,
       CASE WHEN coalesce(a.active_days, 0) >= 8 AND coalesce(a.writes, 0) >= 5 THEN 'productive'
            WHEN coalesce(a.active_days, 0) >= 2 THEN 'sporadic'
            ELSE 'barely' END AS segment
FROM licensed l LEFT JOIN activity a USING (user_key)
"""


def _build(
    path: Path, *, users: int = SMALL, seed: int = 2026, out: bool = True
) -> tuple[duckdb.DuckDBPyConnection, DemoSummary]:
    conn = connect(path / "demo.duckdb")
    summary = build_demo(
        conn, end_month=END_MONTH, out_dir=path / "out" if out else None, users=users, seed=seed
    )
    return conn, summary


@pytest.fixture(scope="module")
def small(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[duckdb.DuckDBPyConnection, DemoSummary]:
    return _build(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def full(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[duckdb.DuckDBPyConnection, DemoSummary]:
    return _build(tmp_path_factory.mktemp("full"), users=600, out=False)


def _table_contents(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    contents = {t: conn.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in DATA_TABLES}
    contents["import_batches"] = conn.execute(
        "SELECT * EXCLUDE (imported_at) FROM import_batches ORDER BY ALL"
    ).fetchall()
    return contents


def _segments(conn: duckdb.DuckDBPyConnection, month: date) -> list[tuple[str, str, str]]:
    return conn.execute(SEGMENTS_SQL, [month, month, month]).fetchall()


def _productive(conn: duckdb.DuckDBPyConnection, month: date) -> tuple[int, int]:
    """Productive people in the focus department and in all other departments."""
    rows = [r for r in _segments(conn, month) if r[2] == "productive"]
    focus = sum(1 for r in rows if r[1] == DEMO_FOCUS_DEPARTMENT)
    return focus, len(rows) - focus


def _csv_rows(data: bytes, encoding: str = "utf-8", delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding)), delimiter=delimiter))


def test_summary_dates_and_files(small: tuple[duckdb.DuckDBPyConnection, DemoSummary]) -> None:
    _, summary = small
    assert summary.end_month == END_MONTH
    assert summary.first_month == date(2024, 10, 1)
    assert summary.training_wave_month == date(2025, 6, 1)
    assert tuple(p.name for p in summary.files) == FILE_NAMES
    assert all(p.is_file() and p.stat().st_size > 0 for p in summary.files)


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    conn = connect(tmp_path / "demo.duckdb")
    with pytest.raises(ConfigError):
        build_demo(conn, end_month=date(2026, 3, 15), out_dir=None, users=SMALL)
    with pytest.raises(ConfigError):
        build_demo(conn, end_month=END_MONTH, out_dir=None, users=5)
    assert conn.execute("SELECT count(*) FROM import_batches").fetchone() == (0,)


def test_same_arguments_give_identical_files_and_tables(
    small: tuple[duckdb.DuckDBPyConnection, DemoSummary], tmp_path: Path
) -> None:
    conn_a, summary_a = small
    conn_b, summary_b = _build(tmp_path)
    assert dataclasses.replace(summary_b, files=summary_a.files) == summary_a
    for file_a, file_b in zip(summary_a.files, summary_b.files, strict=True):
        assert file_a.read_bytes() == file_b.read_bytes(), file_a.name
    assert _table_contents(conn_a) == _table_contents(conn_b)


def test_another_seed_gives_other_data(
    small: tuple[duckdb.DuckDBPyConnection, DemoSummary], tmp_path: Path
) -> None:
    conn_a, _ = small
    conn_c, summary_c = _build(tmp_path, seed=7, out=False)
    assert summary_c.files == ()
    assert not (tmp_path / "out").exists()
    contents_a, contents_c = _table_contents(conn_a), _table_contents(conn_c)
    for table in DATA_TABLES:
        assert contents_a[table] != contents_c[table], table
    hashes = "SELECT file_name, content_sha256 FROM import_batches ORDER BY file_name"
    hashes_a = dict(conn_a.execute(hashes).fetchall())
    hashes_c = dict(conn_c.execute(hashes).fetchall())
    assert hashes_a.keys() == hashes_c.keys()
    assert all(hashes_a[name] != hashes_c[name] for name in hashes_a)


def test_batches_record_the_hash_of_each_written_file(
    small: tuple[duckdb.DuckDBPyConnection, DemoSummary], tmp_path: Path
) -> None:
    conn, summary = small
    rows = conn.execute(
        "SELECT file_name, content_sha256, source, imported_by, preset, rows_read, rows_loaded,"
        " kind FROM import_batches ORDER BY batch_id"
    ).fetchall()
    assert [r[0] for r in rows] == list(FILE_NAMES)
    for path, (_, sha, source, imported_by, preset, rows_read, rows_loaded, kind) in zip(
        summary.files, rows, strict=True
    ):
        assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
        assert (source, imported_by) == ("demo", "demo")
        # The batch names the export layout an upload of the same file would detect, so the
        # import history can label it.
        workdir = tmp_path / path.stem
        workdir.mkdir()
        detected = inspect_file(conn, path, DatasetKind(kind), workdir).preset
        assert preset == (detected.name if detected else None), path.name
        assert preset is None or preset_label(preset, "en") != preset
        # Every CSV row is one loaded row: the file is a faithful input for the same data.
        data_rows = len(path.read_bytes().splitlines()) - 1
        assert rows_read == rows_loaded == data_rows, path.name


def test_every_row_belongs_to_a_batch(small: tuple[duckdb.DuckDBPyConnection, DemoSummary]) -> None:
    conn, _ = small
    for table in DATA_TABLES:
        total, orphans = conn.execute(
            f"SELECT count(*), count(*) FILTER (WHERE batch_id NOT IN"
            f" (SELECT batch_id FROM import_batches)) FROM {table}"
        ).fetchone() or (0, 0)
        assert total > 0, table
        assert orphans == 0, table


def test_company_counts(small: tuple[duckdb.DuckDBPyConnection, DemoSummary]) -> None:
    conn, summary = small
    people, departments, integrations = conn.execute(
        "SELECT count(*) FILTER (WHERE NOT is_integration),"
        " count(DISTINCT department) FILTER (WHERE NOT is_integration),"
        " count(*) FILTER (WHERE is_integration) FROM users"
    ).fetchone() or (0, 0, 0)
    assert people == summary.users == SMALL
    assert departments == len(DEPARTMENTS) == 6
    assert integrations == summary.integration_accounts == 3
    found = {r[0] for r in conn.execute("SELECT DISTINCT department FROM users").fetchall()}
    assert set(DEPARTMENTS) <= found
    leavers, joiners = conn.execute(
        "SELECT count(*) FILTER (WHERE end_date BETWEEN ? AND last_day(CAST(? AS DATE))),"
        " count(*) FILTER (WHERE start_date > ?) FROM users WHERE NOT is_integration",
        [summary.first_month, END_MONTH, summary.first_month],
    ).fetchone() or (0, 0)
    assert leavers == summary.leavers >= 2
    assert joiners == summary.joiners >= 2
    opportunities = conn.execute("SELECT count(*) FROM opportunities").fetchone()
    assert opportunities == (summary.opportunities,)
    assert 4 * SMALL <= summary.opportunities <= 6 * SMALL
    usage = conn.execute("SELECT count(*) FROM usage_events").fetchone()
    assert usage == (summary.usage_events,)
    training = conn.execute("SELECT count(*) FROM training_records").fetchone()
    assert training == (summary.training_records,)


def test_people_look_german(small: tuple[duckdb.DuckDBPyConnection, DemoSummary]) -> None:
    conn, _ = small
    rows = conn.execute(
        "SELECT user_id, name, email FROM users WHERE NOT is_integration"
    ).fetchall()
    assert any(re.search("[äöüÄÖÜß]", name) for _, name, _ in rows)
    for user_id, _, email in rows:
        assert re.fullmatch(r"005[0-9A-Za-z]{15}", user_id)
        assert re.fullmatch(r"[a-z0-9-]+\.[a-z0-9-]+@beispiel-gmbh\.de", email), email
    assert len({user_id[:15] for user_id, _, _ in rows}) == len(rows)
    managers = conn.execute(
        "SELECT count(*) FROM users u WHERE manager_id IS NOT NULL"
        " AND manager_id NOT IN (SELECT user_id FROM users)"
    ).fetchone()
    assert managers == (0,)


def test_leavers_stop_and_integrations_are_busy(
    small: tuple[duckdb.DuckDBPyConnection, DemoSummary],
) -> None:
    conn, _ = small
    after_leaving = conn.execute(
        "SELECT count(*) FROM usage_events e JOIN users u USING (user_key)"
        " WHERE u.end_date IS NOT NULL"
        " AND CAST((e.ts AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin' AS DATE) > u.end_date"
    ).fetchone()
    assert after_leaving == (0,)
    per_integration = conn.execute(
        "SELECT min(n) FROM (SELECT u.user_key, count(e.ts) AS n FROM users u"
        " LEFT JOIN usage_events e USING (user_key) WHERE u.is_integration GROUP BY u.user_key)"
    ).fetchone()
    assert per_integration is not None and per_integration[0] > 5_000
    never = conn.execute(
        "SELECT count(*) FROM users u WHERE NOT is_integration"
        " AND NOT EXISTS (SELECT 1 FROM usage_events e WHERE e.user_key = u.user_key)"
    ).fetchone()
    assert never is not None and never[0] > 0


def test_people_work_in_berlin_office_hours(
    small: tuple[duckdb.DuckDBPyConnection, DemoSummary],
) -> None:
    conn, _ = small
    total, in_hours, weekdays, near_midnight = conn.execute(
        "WITH l AS (SELECT (e.ts AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin' AS t"
        " FROM usage_events e JOIN users u USING (user_key) WHERE NOT u.is_integration)"
        " SELECT count(*), count(*) FILTER (WHERE hour(t) BETWEEN 7 AND 18),"
        " count(*) FILTER (WHERE isodow(t) <= 5),"
        " count(*) FILTER (WHERE hour(t) IN (23, 0)) FROM l"
    ).fetchone() or (0, 0, 0, 0)
    assert in_hours / total > 0.97
    assert weekdays == total
    assert 0 < near_midnight < total * 0.03


def test_first_month_segment_mix(full: tuple[duckdb.DuckDBPyConnection, DemoSummary]) -> None:
    conn, summary = full
    segments = [r[2] for r in _segments(conn, summary.first_month)]
    assert len(segments) > 550
    shares = {s: 100 * segments.count(s) / len(segments) for s in ("productive", "sporadic")}
    shares["barely"] = 100 - shares["productive"] - shares["sporadic"]
    assert abs(shares["productive"] - 30) <= 6, shares
    assert abs(shares["sporadic"] - 20) <= 6, shares
    assert abs(shares["barely"] - 50) <= 6, shares


def test_training_wave_raises_productive_users_in_focus_department(
    full: tuple[duckdb.DuckDBPyConnection, DemoSummary],
) -> None:
    conn, summary = full
    before_wave = date(2025, 5, 1)
    assert summary.training_wave_month == date(2025, 6, 1)
    focus_before, others_before = _productive(conn, before_wave)
    focus_end, others_end = _productive(conn, summary.end_month)
    assert focus_before >= 20
    assert 1.12 <= focus_end / focus_before <= 1.30, (focus_before, focus_end)
    assert abs(others_end / others_before - 1) < 0.10, (others_before, others_end)
    # Everyone in the department gets the kick-off or key-user training in their team's round:
    # the wave month, or three months later for the second-round teams.
    second_round = sorted(WAVE_SECOND_ROUND_TEAMS)
    in_department, untrained = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM training_records t"
        "  WHERE t.user_key = lower(u.email) AND t.kind IN ('kickoff', 'key_user')"
        "  AND t.status IN ('attended', 'completed') AND date_trunc('month', t.date) ="
        "   CASE WHEN list_contains(?, u.team) THEN CAST(? AS DATE) + to_months(CAST(? AS INTEGER))"
        "   ELSE CAST(? AS DATE) END))"
        " FROM users u WHERE department = ? AND start_date <= ?"
        " AND (end_date IS NULL"
        "      OR end_date >= last_day(CAST(? AS DATE) + to_months(CAST(? AS INTEGER))))",
        [second_round, summary.training_wave_month, WAVE_SECOND_ROUND_DELAY,
         summary.training_wave_month, DEMO_FOCUS_DEPARTMENT, summary.training_wave_month,
         summary.training_wave_month, WAVE_SECOND_ROUND_DELAY],
    ).fetchone() or (0, 0)
    assert in_department >= 100
    assert untrained == 0


def test_the_first_round_of_the_wave_shows_on_the_training_page(
    full: tuple[duckdb.DuckDBPyConnection, DemoSummary],
) -> None:
    """The second-round teams are the first round's comparison group; the first round works
    more in the two months after its training than before, and more than the comparison."""
    conn, summary = full
    definition = load_definition(conn).definition
    frame = user_months(conn, definition, summary.first_month, summary.end_month)
    effect = training_effect(frame, learner_records(conn), summary.end_month,
                             summary.first_month)
    wave = effect.cohorts[(effect.cohorts["cohort"] == summary.training_wave_month)
                          & (effect.cohorts["metric"] == "active_days")].iloc[0]
    assert wave["trained_people"] >= 50
    assert wave["comparison_people"] >= 100
    assert wave["trained_change"] > 0.5
    assert wave["difference"] > 0.5


def test_pipeline_hygiene_follows_adoption(
    small: tuple[duckdb.DuckDBPyConnection, DemoSummary],
) -> None:
    conn, summary = small
    segment_of = {key: seg for key, _, seg in _segments(conn, summary.end_month)}
    rows = conn.execute(
        "SELECT owner_key, next_step IS NULL, close_date < ? FROM opportunities"
        " WHERE NOT is_closed",
        [END_MONTH],
    ).fetchall()
    by_segment: dict[str, list[tuple[bool, bool]]] = {}
    for owner, no_step, overdue in rows:
        by_segment.setdefault(segment_of.get(owner, "barely"), []).append((no_step, overdue))
    good, poor = by_segment["productive"], by_segment["barely"]
    assert sum(s for s, _ in poor) / len(poor) > sum(s for s, _ in good) / len(good) + 0.4
    assert sum(o for _, o in poor) / len(poor) > sum(o for _, o in good) / len(good) + 0.4
    owners = conn.execute(
        "SELECT DISTINCT u.department FROM opportunities o JOIN users u ON u.user_key = o.owner_key"
    ).fetchall()
    assert {r[0] for r in owners} <= {
        "Vertrieb Nord", "Vertrieb Süd", "Key Account Management", "Innendienst"
    }


def test_roster_csv_is_german_excel(small: tuple[duckdb.DuckDBPyConnection, DemoSummary]) -> None:
    _, summary = small
    data = (summary.files[0]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    assert re.search("Müller|Weiß|Süd|Ö|ä", text)
    assert text.count("\r\n") == text.count("\n")
    rows = _csv_rows(data, "cp1252", ";")
    assert rows[0][:4] == ["Benutzer-ID", "Name", "E-Mail", "Abteilung"]
    assert rows[0][-1] == "Benutzertyp"
    assert {r[-1] for r in rows[1:]} == {"Standard", "Integration"}
    assert all(re.fullmatch(r"\d+,\d\d", r[8]) for r in rows[1:])
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", r[9]) for r in rows[1:])


def test_event_logs_look_like_salesforce(
    small: tuple[duckdb.DuckDBPyConnection, DemoSummary],
) -> None:
    _, summary = small
    for path in summary.files[1:4]:
        data = path.read_bytes()
        first_line = data.split(b"\n", 1)[0].decode()
        assert first_line.startswith('"EVENT_TYPE","TIMESTAMP",'), path.name
        rows = _csv_rows(data)
        header = rows[0]
        assert all(h == h.upper() for h in header)
        col = {h: i for i, h in enumerate(header)}
        for row in rows[1:]:
            stamp, derived = row[col["TIMESTAMP"]], row[col["TIMESTAMP_DERIVED"]]
            assert re.fullmatch(r"\d{14}\.\d{3}", stamp)
            assert derived == (
                f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:"
                f"{stamp[12:14]}.{stamp[15:18]}Z"
            )
            uid15, uid18 = row[col["USER_ID"]], row[col["USER_ID_DERIVED"]]
            assert len(uid15) == 15 and len(uid18) == 18 and uid18.startswith(uid15)
    login = _csv_rows(summary.files[1].read_bytes())
    assert login[0] == LOGIN_HEADER
    statuses = {r[LOGIN_HEADER.index("LOGIN_STATUS")] for r in login[1:]}
    assert "LOGIN_NO_ERROR" in statuses and "LOGIN_ERROR_INVALID_PASSWORD" in statuses
    assert any(r[LOGIN_HEADER.index("URI")] == "/services/oauth2/token" for r in login[1:])
    api = _csv_rows(summary.files[3].read_bytes())
    methods = {r[api[0].index("METHOD_NAME")] for r in api[1:]}
    assert {"create", "update", "query"} <= methods


def test_dataloader_extract_has_the_sample_layout(
    small: tuple[duckdb.DuckDBPyConnection, DemoSummary],
) -> None:
    _, summary = small
    data = summary.files[4].read_bytes()
    assert data.decode("utf-8").split("\n", 1)[0] == DATALOADER_HEADER
    rows = _csv_rows(data)
    col = {h: i for i, h in enumerate(rows[0])}
    for row in rows[1:]:
        assert re.fullmatch(r"006[0-9A-Za-z]{15}", row[col["ID"]])
        assert re.fullmatch(r"(\d+\.\d)?", row[col["AMOUNT"]])
        assert row[col["ISCLOSED"]] in ("true", "false")
        assert row[col["CURRENCYISOCODE"]] == "EUR"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", row[col["CREATEDDATE"]])
        assert re.fullmatch(r"005[0-9A-Za-z]{15}", row[col["OWNERID"]])


def test_training_csv_is_a_cornerstone_transcript(
    small: tuple[duckdb.DuckDBPyConnection, DemoSummary],
) -> None:
    conn, summary = small
    data = summary.files[5].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(data[3:])
    assert rows[0] == [
        "User ID", "Training Title", "Training Type", "Transcript Status", "Completed Date",
        "Score",
    ]
    assert {r[3] for r in rows[1:]} >= {"Completed", "Attended", "No Show"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", r[4]) for r in rows[1:])
    emails = {r[0] for r in rows[1:]}
    assert any(e != e.lower() for e in emails)
    roster = {r[0] for r in conn.execute("SELECT email FROM users").fetchall()}
    assert {e.lower() for e in emails} <= roster
    kinds = {r[0] for r in conn.execute("SELECT DISTINCT kind FROM training_records").fetchall()}
    assert {"kickoff", "monthly", "onboarding", "key_user"} <= kinds
