"""Training figures against the hand computations in tests/fixtures/training/README.md.

Also the adoption fixture, whose training records name people by e-mail in another case and by
18-character Salesforce id.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_dash import db
from crm_dash.fixtures import load_generic_folder
from crm_dash.metrics import training
from crm_dash.metrics.definitions import load_definition
from crm_dash.metrics.people import people_table
from crm_dash.metrics.segments import user_months
from tests.conftest import FIXTURES

JUNE = date(2026, 6, 1)
KEY = {  # roster join keys
    "anna": "005XB0000000001", "bernd": "005XB0000000002", "clara": "005XB0000000003",
    "dieter": "005XB0000000004", "emil": "005XB0000000005", "frieda": "005XB0000000006",
    "gustav": "005XB0000000007", "hanna": "005XB0000000008", "ida": "005XB0000000009",
    "max": "005XB0000000010", "jan": "005XB0000000011", "kai": "005XB0000000012",
    "lena": "005XB0000000013", "robot": "005XB0000000014",
}


@pytest.fixture
def training_conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = db.connect(tmp_path / "training.duckdb")
    load_generic_folder(connection, FIXTURES / "training")
    yield connection
    connection.close()


@pytest.fixture
def frame(training_conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Person-months from July 2025 (the 12 months ending with June) to July 2026."""
    definition = load_definition(training_conn).definition
    return user_months(training_conn, definition, date(2025, 7, 1), date(2026, 7, 1))


@pytest.fixture
def records(training_conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return training.learner_records(training_conn)


def test_learners_are_matched_by_id_in_either_length_and_by_email_in_any_case(
    records: pd.DataFrame,
) -> None:
    grundlagen = records[(records["course"] == "CRM-Grundlagen")
                         & (records["date"] == date(2026, 3, 10))]
    # Anna.ADLER@Beispiel-GmbH.de and Bernd's 18-character id (the roster has 15).
    assert sorted(grundlagen["person_key"]) == sorted(
        [KEY["anna"], KEY["bernd"], KEY["ida"], KEY["robot"]])
    webinar = records[records["date"] == date(2026, 5, 12)]
    assert sorted(webinar["person_key"]) == sorted([KEY["emil"], KEY["gustav"]])
    roadshow = records[records["course"] == "Roadshow Service"].set_index("status")
    assert roadshow.loc["no_show", "person_key"] == KEY["kai"]  # KAI.KURZ@...
    assert roadshow.loc["attended", "person_key"] is None  # not in the roster
    jan = records[(records["person_key"] == KEY["jan"]) & (records["date"] == date(2025, 9, 16))]
    assert jan["status"].tolist() == ["attended"]  # no status given: counts as attended


def test_first_training_per_person(records: pd.DataFrame) -> None:
    first = training.first_trained(records)
    assert first[KEY["jan"]] == date(2025, 3, 5)
    assert first[KEY["frieda"]] == date(2026, 3, 12)
    assert first[KEY["dieter"]] == date(2026, 7, 8)
    for nobody in ("clara", "ida", "kai", "hanna"):  # registered or no-show only, or nothing
        assert KEY[nobody] not in first.index


def test_summary_of_june(training_conn: duckdb.DuckDBPyConnection) -> None:
    s = training.training_summary(training_conn, date(2026, 6, 17))
    assert s.month == JUNE and s.department is None
    assert (s.licensed, s.trained) == (13, 8)
    assert s.trained_share == pytest.approx(8 / 13)
    assert (s.sessions_last_12_months, s.months_with_sessions_last_12) == (7, 6)
    assert (s.joiners, s.onboarded_within_30_days) == (3, 2)
    assert s.onboarded_within_30_days_share == pytest.approx(2 / 3)
    assert (s.no_shows_last_12_months, s.invitations_last_12_months) == (3, 15)
    assert s.no_show_share == pytest.approx(3 / 15)
    assert s.records == 18  # the July record is after the month


def test_summary_of_one_department(training_conn: duckdb.DuckDBPyConnection) -> None:
    sales = training.training_summary(training_conn, JUNE, "Vertrieb")
    assert (sales.licensed, sales.trained, sales.department) == (10, 6, "Vertrieb")
    # Only sessions a Vertrieb person took part in: 10 Mar, 12 Mar, 21 Apr, 12 May.
    assert (sales.sessions_last_12_months, sales.months_with_sessions_last_12) == (4, 3)
    assert (sales.joiners, sales.onboarded_within_30_days) == (2, 1)
    assert (sales.no_shows_last_12_months, sales.invitations_last_12_months) == (1, 8)
    service = training.training_summary(training_conn, JUNE, "Service")
    assert (service.licensed, service.trained) == (3, 2)
    # The roadshow counts for everyone (an external attended), not for Service (Kai no-show);
    # Jan's Key-User-Training on 21 April does.
    assert (service.sessions_last_12_months, service.months_with_sessions_last_12) == (3, 3)
    assert (service.no_shows_last_12_months, service.invitations_last_12_months) == (2, 5)
    assert service.joiners == 1


def test_report_for_the_cli(training_conn: duckdb.DuckDBPyConnection) -> None:
    assert training.training_report(training_conn, JUNE) == {
        "trained_share": 0.6154, "sessions_last_12_months": 7,
        "onboarded_within_30_days_share": 0.6667, "unknown": {},
    }


def test_report_of_a_group_without_people_says_none(
    training_conn: duckdb.DuckDBPyConnection,
) -> None:
    assert training.training_report(training_conn, JUNE, "Marketing") == {
        "trained_share": None, "sessions_last_12_months": 0,
        "onboarded_within_30_days_share": None,
        "unknown": {"trained_share": "Nobody is licensed in this group in this month.",
                    "onboarded_within_30_days_share": "Nobody joined in the last 12 months."},
    }


def test_trained_share_by_department(frame: pd.DataFrame, records: pd.DataFrame) -> None:
    shares = training.trained_by_department(frame, records, JUNE).set_index("department")
    assert shares.loc["Vertrieb", ["licensed", "trained"]].tolist() == [10, 6]
    assert shares.loc["Service", ["licensed", "trained"]].tolist() == [3, 2]
    assert shares.loc["Vertrieb", "share"] == pytest.approx(0.6)
    # As of March: Anna, Bernd, Frieda in Vertrieb (9 licensed then); Jan and Lena in Service.
    march = training.trained_by_department(frame, records, date(2026, 3, 1)).set_index(
        "department")
    assert march.loc["Vertrieb", ["licensed", "trained"]].tolist() == [8, 3]


def test_sessions_per_month_show_every_month(records: pd.DataFrame) -> None:
    sessions = training.sessions_by_month(records, JUNE)
    assert sessions["month"].tolist()[0] == date(2025, 7, 1)
    assert sessions["month"].tolist()[-1] == JUNE
    assert sessions["sessions"].tolist() == [0, 0, 1, 0, 1, 0, 1, 0, 2, 1, 1, 0]
    assert sessions["no_shows"].tolist() == [0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0]
    assert sessions["invitations"].tolist() == [0, 0, 1, 0, 1, 0, 2, 0, 5, 4, 2, 0]


def test_no_shows_by_course(records: pd.DataFrame) -> None:
    courses = training.no_shows_by_course(records, JUNE).set_index("course")
    assert courses.loc["CRM-Grundlagen", ["invitations", "no_shows"]].tolist() == [6, 2]
    assert courses.loc["Roadshow Service", ["invitations", "no_shows"]].tolist() == [2, 1]
    assert courses.loc["Pipeline-Pflege", ["invitations", "no_shows"]].tolist() == [2, 0]
    assert courses.loc["Key-User-Training", ["invitations", "no_shows"]].tolist() == [3, 0]
    assert courses.index[0] == "CRM-Grundlagen"  # most no-shows first
    assert "Kick-off" not in courses.index  # before the 12 months


def test_joiners_and_the_30_day_boundary(frame: pd.DataFrame, records: pd.DataFrame) -> None:
    joined = training.joiners(frame, records, JUNE).set_index("user_key")
    assert sorted(joined.index) == sorted([KEY["lena"], KEY["frieda"], KEY["gustav"]])
    assert joined.loc[KEY["frieda"], "deadline"] == date(2026, 3, 12)  # trained that very day
    assert joined["onboarded"].to_dict() == {
        KEY["lena"]: True, KEY["frieda"]: True, KEY["gustav"]: False}
    by_department = training.onboarding_by_department(joined.reset_index()).set_index(
        "department")
    assert by_department.loc["Vertrieb", ["joiners", "onboarded"]].tolist() == [2, 1]
    # As of May, the 12 months start on 1 June 2025: Emil (30 June 2025) is a joiner then.
    may = training.joiners(frame, records, date(2026, 5, 1))
    assert sorted(may["user_key"]) == sorted(
        [KEY["emil"], KEY["lena"], KEY["frieda"], KEY["gustav"]])
    # As of April they are not: 1 April + 30 days = 1 May.
    assert KEY["gustav"] not in set(training.joiners(frame, records, date(2026, 4, 1))[
        "user_key"])


def test_months_with_a_training_per_person(records: pd.DataFrame) -> None:
    months = training.training_months(records)
    assert months[KEY["jan"]] == {date(2025, 3, 1), date(2025, 9, 1), date(2026, 4, 1)}
    assert months[KEY["anna"]] == {date(2026, 3, 1), date(2026, 4, 1)}
    for nobody in ("clara", "ida", "kai", "hanna"):  # registered or no-show only, or nothing
        assert KEY[nobody] not in months
    assert training.effect_window(date(2026, 4, 21)) == (date(2026, 2, 1), date(2026, 6, 1))


def test_effect_per_cohort_and_pooled(frame: pd.DataFrame, records: pd.DataFrame) -> None:
    effect = training.training_effect(frame, records, JUNE, date(2026, 1, 1))
    cohorts = effect.cohorts.set_index(["cohort", "metric"])
    assert sorted({c for c, _ in cohorts.index}) == [date(2026, 3, 1), date(2026, 4, 1)]
    march = cohorts.loc[(date(2026, 3, 1), "active_days")]
    assert (march["trained_people"], march["comparison_people"]) == (2, 3)
    assert [march[c] for c in ("trained_before", "trained_after", "comparison_before",
                               "comparison_after")] == pytest.approx([2, 7, 7 / 6, 4 / 3])
    assert march["difference"] == pytest.approx(5 - 1 / 6)
    assert cohorts.loc[(date(2026, 3, 1), "writes"), "difference"] == pytest.approx(4.5 - 1 / 3)
    # April: Max and Jan (trained a year before, again in April); not Anna (trained in March,
    # C-1). Comparison: Clara, Dieter, Ida (Vertrieb) and Kai, Lena (Service; Lena's training
    # in November 2025 lies before the window).
    april = cohorts.loc[(date(2026, 4, 1), "active_days")]
    assert (april["trained_people"], april["comparison_people"], april["unmatched"]) == (2, 5, 0)
    assert [april[c] for c in ("trained_before", "trained_after", "comparison_before",
                               "comparison_after")] == pytest.approx([5, 7.25, 1, 13 / 12])
    assert april["difference"] == pytest.approx(13 / 6)
    assert cohorts.loc[(date(2026, 4, 1), "writes"), "difference"] == pytest.approx(5 / 3)
    pooled = effect.pooled.set_index("metric")
    assert pooled.loc["active_days", ["trained_people", "comparison_people"]].tolist() == [4, 5]
    assert [pooled.loc["active_days", c] for c in (
        "trained_before", "trained_after", "comparison_before", "comparison_after")
    ] == pytest.approx([3.5, 7.125, 13 / 12, 29 / 24])
    assert pooled.loc["active_days", "difference"] == pytest.approx(3.5)
    assert pooled.loc["writes", "difference"] == pytest.approx(35 / 12)


def test_effect_needs_two_months_of_data_on_each_side(
    frame: pd.DataFrame, records: pd.DataFrame,
) -> None:
    # As of May, April's C + 2 (June) is not in the data yet; with data only from February,
    # March's C - 2 (January) is not either.
    assert sorted(set(training.training_effect(frame, records, date(2026, 5, 1),
                                               date(2026, 1, 1)).cohorts["cohort"])) == [
        date(2026, 3, 1)]
    assert sorted(set(training.training_effect(frame, records, JUNE,
                                               date(2026, 2, 1)).cohorts["cohort"])) == [
        date(2026, 4, 1)]
    assert training.training_effect(frame, records, date(2026, 4, 1), date(2026, 1, 1)).empty


def _person_months(people: dict[str, tuple[str, list[int]]]) -> pd.DataFrame:
    """A synthetic person-month frame: {key: (department, active days from January 2026 on,
    one per month)}; writes 0."""
    rows = [
        {"month": date(2026, m, 1), "user_key": key, "department": department,
         "is_integration": False, "active_days": days[m - 1], "writes": 0}
        for key, (department, days) in people.items() for m in range(1, len(days) + 1)
    ]
    return pd.DataFrame(rows)


def _attended(trainings: dict[str, list[date]]) -> pd.DataFrame:
    """Training records: every listed person attended on every listed day."""
    rows = [(key, day) for key, days in trainings.items() for day in days]
    return pd.DataFrame({"person_key": [k for k, _ in rows], "course": "X",
                         "date": [d for _, d in rows], "kind": None, "status": "attended"})


def test_a_person_can_be_in_several_cohorts_and_counts_once_in_all_cohorts() -> None:
    """Data January – August 2026 (cohorts March – June possible), one department.

    ``twice`` trained in March and in June: in both cohorts (none in the two months before
    either). ``early`` trained in January and March: not in March's cohort (January is C-2),
    and no comparison person there (a training in the window); in June's window (April –
    August) untrained, so a comparison person then. ``old`` trained in June 2025, long before:
    a comparison person in both. ``flat`` never trained. No cohort in January (C-2 before the
    data). Pooled: 1 trained person (counted once), 3 comparison people.
    """
    frame = _person_months({
        "twice": ("A", [0, 0, 5, 4, 4, 6, 8, 8]), "early": ("A", [3] * 8),
        "old": ("A", [1] * 8), "flat": ("A", [2] * 8),
    })
    records = _attended({"twice": [date(2026, 3, 3), date(2026, 6, 3)],
                         "early": [date(2026, 1, 5), date(2026, 3, 5)],
                         "old": [date(2025, 6, 1)]})
    effect = training.training_effect(frame, records, date(2026, 8, 1), date(2026, 1, 1))
    days = effect.cohorts[effect.cohorts["metric"] == "active_days"].set_index("cohort")
    assert list(days.index) == [date(2026, 3, 1), date(2026, 6, 1)]
    assert days[["trained_people", "comparison_people"]].values.tolist() == [[1, 2], [1, 3]]
    assert days["trained_change"].tolist() == pytest.approx([4, 4])  # 0 → 4, 4 → 8
    assert days["comparison_change"].tolist() == pytest.approx([0, 0])
    pooled = effect.pooled.set_index("metric").loc["active_days"]
    assert (pooled["trained_people"], pooled["comparison_people"]) == (1, 3)
    assert pooled["difference"] == pytest.approx(4)


def test_effect_compares_within_departments_weighted_by_trained_people() -> None:
    """Cohort March 2026: department A has 2 trained people (+4 and +2 active days), B one
    (+0). Comparison A: one person, +1; B: one person, +3; C has nobody trained: left out.
    A: trained change 3, comparison 1 (difference 2); B: 0 against 3 (difference -3).
    Weighted by trained people: (2 * 2 + 1 * (-3)) / 3 = 1/3. Pooling the comparison people
    without weights (mean change (1 + 3) / 2 = 2) would give 2 - 2 = 0.
    """
    frame = _person_months({
        "a1": ("A", [0, 0, 9, 4, 4]), "a2": ("A", [2, 2, 9, 4, 4]),
        "b1": ("B", [5, 5, 9, 5, 5]),
        "ca": ("A", [1, 1, 0, 2, 2]), "cb": ("B", [0, 0, 0, 3, 3]),
        "cc": ("C", [0, 0, 0, 9, 9]),
        "late": ("B", [0, 0, 0, 0, 0]),  # trained in May (C + 2): in no group (no May cohort:
        # its C + 2 is after the data)
    })
    records = _attended({"a1": [date(2026, 3, 3)], "a2": [date(2026, 3, 3)],
                         "b1": [date(2026, 3, 9)], "late": [date(2026, 5, 5)]})
    effect = training.training_effect(frame, records, date(2026, 5, 1), date(2026, 1, 1))
    row = effect.cohorts.set_index("metric").loc["active_days"]
    assert (row["trained_people"], row["comparison_people"], row["unmatched"]) == (3, 2, 0)
    assert row["trained_change"] == pytest.approx((4 + 2 + 0) / 3)
    assert row["comparison_change"] == pytest.approx((2 * 1 + 1 * 3) / 3)
    assert row["difference"] == pytest.approx(1 / 3)


def test_trained_people_without_colleagues_to_compare_are_left_out() -> None:
    frame = _person_months({"a1": ("A", [0, 0, 0, 5, 5]), "b1": ("B", [1, 1, 1, 1, 1]),
                            "cb": ("B", [1, 1, 1, 2, 2])})
    records = pd.DataFrame({"person_key": ["a1", "b1"], "course": "X",
                            "date": [date(2026, 3, 3)] * 2, "kind": None,
                            "status": ["completed", "attended"]})
    row = training.training_effect(frame, records, date(2026, 5, 1), date(2026, 1, 1)
                                   ).cohorts.set_index("metric").loc["active_days"]
    assert (row["trained_people"], row["comparison_people"], row["unmatched"]) == (1, 1, 1)
    assert row["difference"] == pytest.approx(0 - 1)


def test_invitation_list(training_conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    invite = training.invitation_list(people_table(training_conn, frame, JUNE))
    assert list(invite.columns) == list(training.INVITATION_COLUMNS)
    assert invite["name"].tolist() == ["Kai Kurz", "Dieter Dorn", "Ida Imhof"]  # by department
    assert invite["segment"].tolist() == ["never", "never", "barely"]
    assert invite.loc[2, "last_active"] == date(2026, 1, 2)
    assert invite.loc[0, "email"] == "kai.kurz@beispiel-gmbh.de"


def test_people_page_and_training_page_agree_on_who_is_trained(
    training_conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, records: pd.DataFrame,
) -> None:
    people = people_table(training_conn, frame, JUNE).set_index("user_key")["trained"]
    first = training.first_trained(records)
    expected = {key: key in first.index and first[key] <= date(2026, 6, 30)
                for key in people.index}
    assert people.to_dict() == expected
    assert sum(expected.values()) == 8


def test_adoption_fixture_learners_by_email_case_and_18_char_id(tmp_path: Path) -> None:
    """tests/fixtures/adoption: Anna by ``ANNA.ADLER@…`` (15 Sep), Clara by her 18-char id
    (25 Oct, completed), Bernd a no-show, Kai in November. As of October 2026: 12 licensed
    (the robot is not flagged there), trained Anna and Clara = 2; sessions 15 Sep and 25 Oct
    (10 Oct had only a no-show); joiners: Hanna (1 Oct + 30 days = 31 Oct), not trained."""
    conn = db.connect(tmp_path / "adoption.duckdb")
    load_generic_folder(conn, FIXTURES / "adoption")
    summary = training.training_summary(conn, date(2026, 10, 1))
    assert (summary.licensed, summary.trained) == (12, 2)
    assert (summary.sessions_last_12_months, summary.months_with_sessions_last_12) == (2, 2)
    assert (summary.joiners, summary.onboarded_within_30_days) == (1, 0)
    assert (summary.no_shows_last_12_months, summary.invitations_last_12_months) == (1, 3)
    assert training.training_report(conn, date(2026, 10, 1)) == {
        "trained_share": 0.1667, "sessions_last_12_months": 2,
        "onboarded_within_30_days_share": 0.0, "unknown": {},
    }
    assert training.training_summary(conn, date(2026, 9, 1)).trained == 1  # Anna only
    conn.close()


def test_empty_database_gives_empty_figures(conn: duckdb.DuckDBPyConnection) -> None:
    summary = training.training_summary(conn, JUNE)
    assert (summary.records, summary.licensed, summary.sessions_last_12_months) == (0, 0, 0)
    assert summary.trained_share is None and summary.no_show_share is None
    records = training.learner_records(conn)
    assert records.empty and list(records.columns) == [
        "person_key", "course", "date", "kind", "status"]
