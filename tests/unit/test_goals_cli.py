"""`crm-dash goal add|list|status` on the goal fixtures (tests/fixtures/goals/README.md).

Vertrieb Süd has 6 licensed people (plus an integration account that never counts); its
productive users are Jan 2, Feb 3, Mar 3, Apr 4 (2025). Marketing has 3 people (shown as "<5").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crm_dash import db
from crm_dash.cli import main
from crm_dash.cli.goals import STATUS_KEYS
from crm_dash.goals.store import archive_goal
from tests.conftest import fixture_db

GOAL_FIXTURES = Path(__file__).parent.parent / "fixtures" / "goals"


@pytest.fixture
def goals_db(tmp_path: Path) -> Path:
    return fixture_db(GOAL_FIXTURES, tmp_path / "goals.duckdb")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    payload = json.loads(captured.out) if captured.out.strip().startswith("{") else captured.out
    return code, payload, captured.err


def _add(capsys: pytest.CaptureFixture[str], db_path: Path, *extra: str) -> dict[str, Any]:
    code, payload, err = _run(capsys, "goal", "add", "--db", str(db_path), "--json", *extra)
    assert code == 0, err
    assert isinstance(payload, dict)
    return payload


def test_add_prints_the_goal_with_baseline_and_target(
    goals_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    goal = _add(capsys, goals_db, "--name", "+150 % Süd", "--department", "Vertrieb Süd",
                "--start", "2025-02-01", "--target-pct", "150", "--owner", "Sales South")
    # Baseline: January 2025, 2 productive users; target 2 x 2.5 = 5; 9 months to 31 Oct.
    assert goal["id"] == 1
    assert goal["baseline"] == 2 and goal["baseline_month"] == "2025-01"
    assert goal["target"] == 5
    assert goal["start"] == "2025-02-01" and goal["deadline"] == "2025-10-31"
    assert goal["scope"] == {"department": "Vertrieb Süd", "team": None, "role": None}
    assert goal["metric"] == "productive_users" and goal["horizon_months"] == 9
    assert goal["owner"] == "Sales South" and goal["created_by"].startswith("cli:")


def test_status_has_exactly_the_contract_keys(
    goals_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(capsys, goals_db, "--name", "Süd", "--department", "Vertrieb Süd", "--start",
         "2025-02-01", "--target-pct", "150")
    code, status, _ = _run(capsys, "goal", "status", "1", "--db", str(goals_db), "--json")
    assert code == 0
    assert tuple(status) == STATUS_KEYS == (
        "id", "name", "scope", "metric", "start", "deadline", "baseline", "target", "as_of",
        "actual", "expected", "forecast", "status", "needed_per_month")
    # As of April 2025 (latest complete month), goal month 3 of 9: expected 2 + 3 x 3/9 = 3;
    # actual 4 -> on track. Trend of (1,3) (2,3) (3,4): slope 0.5, intercept 2.333 -> at
    # month 9: 6.833. Needed: (5 - 4) / 6 months left = 0.1667.
    assert status["as_of"] == "2025-04"
    assert (status["baseline"], status["target"], status["actual"]) == (2, 5, 4)
    assert status["expected"] == 3.0
    assert status["forecast"] == pytest.approx(6.8333, abs=1e-4)
    assert status["status"] == "on_track"
    assert status["needed_per_month"] == pytest.approx(0.1667, abs=1e-4)


def test_status_as_of_an_earlier_month(goals_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add(capsys, goals_db, "--name", "Süd", "--department", "Vertrieb Süd", "--start",
         "2025-02-01", "--target-pct", "150")
    _, status, _ = _run(capsys, "goal", "status", "1", "--db", str(goals_db), "--json",
                        "--as-of", "2025-03")
    # Month 2 of 9: expected 2 + 3 x 2/9 = 2.667; actual 3 -> on track; trend (1,3) (2,3) flat
    # -> forecast 3; needed (5 - 3) / 7 = 0.2857.
    assert status["as_of"] == "2025-03"
    assert status["actual"] == 3
    assert status["expected"] == pytest.approx(2.6667, abs=1e-4)
    assert status["forecast"] == 3.0
    assert status["status"] == "on_track"
    assert status["needed_per_month"] == pytest.approx(0.2857, abs=1e-4)


def test_short_goal_at_risk_then_missed(goals_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add(capsys, goals_db, "--name", "Sprint", "--department", "Vertrieb Süd", "--start",
         "2025-02-01", "--months", "3", "--target-pct", "150")
    # Deadline 30 April. As of March (month 2 of 3): expected 2 + 3 x 2/3 = 4; actual 3;
    # forecast (flat trend) 3 < 5 -> at risk.
    _, march, _ = _run(capsys, "goal", "status", "1", "--db", str(goals_db), "--json",
                       "--as-of", "2025-03")
    assert (march["expected"], march["forecast"], march["status"]) == (4.0, 3.0, "at_risk")
    assert march["needed_per_month"] == 2.0  # (5 - 3) / 1
    # Asked after the deadline: April's value is the outcome: 4 < 5, nothing left to gain.
    _, later, _ = _run(capsys, "goal", "status", "1", "--db", str(goals_db), "--json",
                       "--as-of", "2025-07")
    assert later["as_of"] == "2025-07"
    assert (later["actual"], later["expected"], later["forecast"]) == (4, 5.0, 4.0)
    assert later["status"] == "at_risk" and later["needed_per_month"] is None


def test_status_after_the_data_is_refused_while_the_goal_runs(
    goals_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The fixture's usage data ends with April 2025; this goal runs until October.
    _add(capsys, goals_db, "--name", "Long", "--department", "Vertrieb Süd", "--start",
         "2025-02-01", "--months", "9")
    code, payload, err = _run(capsys, "goal", "status", "1", "--db", str(goals_db), "--json",
                              "--as-of", "2025-06")
    assert (code, payload) == (1, "")
    assert "after the latest complete month of usage data (2025-04)" in err
    assert "--as-of 2025-04 or earlier" in err
    code, payload, _ = _run(capsys, "goal", "status", "1", "--db", str(goals_db), "--json",
                            "--as-of", "2025-04")
    assert code == 0 and payload["actual"] is not None


def test_share_goal_achieved(goals_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    goal = _add(capsys, goals_db, "--name", "Share", "--department", "Vertrieb Süd", "--start",
                "2025-02-01", "--months", "6", "--target-pct", "100", "--metric",
                "productive_share")
    # 2 of 6 = 0.3333 -> x 2 = 0.6667; April: 4 of 6 = 0.6667 -> achieved.
    assert goal["baseline"] == pytest.approx(0.3333, abs=1e-4)
    assert goal["target"] == pytest.approx(0.6667, abs=1e-4)
    _, status, _ = _run(capsys, "goal", "status", "1", "--db", str(goals_db), "--json")
    assert status["actual"] == pytest.approx(0.6667, abs=1e-4)
    assert status["expected"] == 0.5  # 1/3 + 1/3 x 3/6
    assert status["status"] == "achieved" and status["needed_per_month"] == 0


def test_goal_with_no_data_yet(goals_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    goal = _add(capsys, goals_db, "--name", "From May", "--department", "Vertrieb Süd",
                "--start", "2025-05-01")
    assert (goal["baseline"], goal["target"]) == (4, 5)  # April 4; 4 x 1.2 = 4.8 -> 5
    _, status, _ = _run(capsys, "goal", "status", "1", "--db", str(goals_db), "--json")
    assert status["as_of"] == "2025-04"
    assert status["expected"] == 4.0
    assert status["actual"] is None and status["forecast"] is None
    assert status["status"] is None and status["needed_per_month"] is None


def test_scope_under_5_people_shows_less_than_5(
    goals_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    goal = _add(capsys, goals_db, "--name", "Marketing", "--department", "Marketing",
                "--start", "2025-02-01")
    assert goal["baseline"] == "<5" and goal["target"] == "<5"
    _, status, _ = _run(capsys, "goal", "status", "1", "--db", str(goals_db), "--json")
    for key in ("baseline", "target", "actual", "expected", "forecast", "needed_per_month"):
        assert status[key] == "<5", key
    assert status["status"] is None
    team = _add(capsys, goals_db, "--name", "Bayern", "--department", "Vertrieb Süd",
                "--team", "Team Bayern", "--start", "2025-02-01")
    assert team["baseline"] == "<5"  # 3 people in Team Bayern


def test_list_and_archived(goals_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add(capsys, goals_db, "--name", "One", "--department", "Vertrieb Süd", "--start",
         "2025-02-01")
    _add(capsys, goals_db, "--name", "Two", "--department", "Vertrieb Süd", "--start",
         "2025-03-01", "--role", "Außendienst")
    conn = db.connect(goals_db)
    archive_goal(conn, 1, actor="test")
    conn.close()
    _, listing, _ = _run(capsys, "goal", "list", "--db", str(goals_db), "--json")
    assert [g["name"] for g in listing["goals"]] == ["Two"]
    assert listing["goals"][0]["scope"]["role"] == "Außendienst"
    _, everything, _ = _run(capsys, "goal", "list", "--db", str(goals_db), "--json", "--all")
    assert [(g["name"], g["archived"]) for g in everything["goals"]] == [
        ("One", True), ("Two", False)]
    code, text, _ = _run(capsys, "goal", "list", "--db", str(goals_db))
    assert code == 0 and "#2 Two [Vertrieb Süd / Außendienst]" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--department", "Nowhere", "--start", "2025-02-01"], "no department 'Nowhere'"),
        (["--department", "Vertrieb Süd", "--team", "Team X", "--start", "2025-02-01"],
         "no team 'Team X'"),
        (["--department", "Vertrieb Süd", "--start", "2024-06-01"], "not covered"),
        (["--department", "Marketing", "--start", "2025-01-01"], "not covered"),
    ],
)
def test_add_errors_exit_1_on_stderr(
    goals_db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = _run(capsys, "goal", "add", "--db", str(goals_db), "--json",
                          "--name", "X", *argv)
    assert code == 1
    assert out == ""
    assert message in err and err.startswith("Error: ")


def test_department_without_productive_users_is_refused(
    goals_db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Team Baden in January: Dieter sporadic, Eva barely, Frank never -> 0 productive.
    code, _, err = _run(capsys, "goal", "add", "--db", str(goals_db), "--name", "Baden",
                        "--department", "Vertrieb Süd", "--team", "Team Baden",
                        "--start", "2025-02-01")
    assert code == 1 and "no productive users" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--department", "Vertrieb Süd", "--start", "2025-02-15"],
        ["--department", "Vertrieb Süd", "--start", "2025-02-01", "--months", "0"],
        ["--department", "Vertrieb Süd", "--start", "2025-02-01", "--target-pct", "-5"],
        ["--department", "Vertrieb Süd", "--start", "2025-02-01", "--metric", "logins"],
        ["--start", "2025-02-01"],
    ],
)
def test_bad_usage_exits_2(
    goals_db: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["goal", "add", "--db", str(goals_db), "--name", "X", *argv])
    assert exc.value.code == 2
    assert capsys.readouterr().out == ""


def test_unknown_goal_and_missing_database(
    goals_db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _run(capsys, "goal", "status", "7", "--db", str(goals_db), "--json")
    assert (code, out) == (1, "") and "no goal with id 7" in err
    code, out, err = _run(capsys, "goal", "list", "--db", str(tmp_path / "nope.duckdb"))
    assert (code, out) == (1, "") and "No database at" in err
    with pytest.raises(SystemExit) as exc:
        main(["goal", "status", "1", "--db", str(goals_db), "--as-of", "April"])
    assert exc.value.code == 2


def test_status_text_for_people(goals_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add(capsys, goals_db, "--name", "Süd", "--department", "Vertrieb Süd", "--start",
         "2025-02-01")
    code, text, _ = _run(capsys, "goal", "status", "1", "--db", str(goals_db))
    assert code == 0
    assert 'status: "achieved"' in text  # 2 x 1.2 = 2.4 -> 3; April 4


def test_status_as_of_a_month_ending_on_a_weekend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The case of issue 13: the usage log ends on Friday 30 October 2026 (the 31st is a
    Saturday), so October is complete and ``--as-of 2026-10`` is answered, not refused."""
    folder = tmp_path / "weekend"
    folder.mkdir()
    (folder / "users.csv").write_bytes((GOAL_FIXTURES / "users.csv").read_bytes())
    # Anna (G001) and Bernd (G002): an update on each of 8 days in September and in October
    # (ending Fri 30 Oct): productive (8 active days, 8 writes) in both months.
    days = [f"2026-09-{d:02d}" for d in (1, 2, 3, 4, 7, 8, 9, 10)] + [
        f"2026-10-{d:02d}" for d in (21, 22, 23, 26, 27, 28, 29, 30)]
    (folder / "usage.csv").write_text(
        "user_id,timestamp,action,object,success\n" + "".join(
            f"{user},{day}T09:00:00Z,update,Account,true\n"
            for user in ("G001", "G002") for day in days), encoding="utf-8")
    db_path = fixture_db(folder, tmp_path / "weekend.duckdb")
    # Baseline September (2 productive); as of October (today is after it): actual 2.
    _add(capsys, db_path, "--name", "Süd", "--department", "Vertrieb Süd", "--start",
         "2026-10-01", "--months", "3")
    code, status, err = _run(capsys, "goal", "status", "1", "--db", str(db_path), "--json",
                             "--as-of", "2026-10")
    assert code == 0, err
    assert (status["as_of"], status["baseline"], status["actual"]) == ("2026-10", 2, 2)
