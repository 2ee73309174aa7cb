"""The Training page's view (:func:`crm_dash.views.training.training_view`) against the hand
computations of tests/fixtures/training/README.md, for a lead and for an executive.

The fixture: 13 licensed people in June 2026 (the latest complete month), Vertrieb 10 and
Service 3 (a group under 5), 18 training records, of which one learner is not on the roster.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crm_dash import db
from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.fixtures import load_generic_csv
from crm_dash.pages import Role
from crm_dash.views.filters import Filters
from crm_dash.views.snapshot import Snapshot, clear_caches, snapshot
from crm_dash.views.training import (
    TrainingSections,
    TrainingView,
    has_training_records,
    training_view,
)
from tests.conftest import FIXTURES, fixture_db
from tests.view_walk import group_tables, texts

TRAINING = FIXTURES / "training"
JUNE = date(2026, 6, 1)
TODAY = date(2026, 7, 15)  # the log ends on 1 July: June is the latest complete month
EVERYONE = Filters.everyone_in(JUNE, JUNE)
LEAD, EXECUTIVE = Audience(Role.LEAD), Audience(Role.EXECUTIVE)


@pytest.fixture
def snap(tmp_path: Path) -> Iterator[Snapshot]:
    """The training fixture's snapshot on TODAY, with empty view caches."""
    clear_caches()
    conn = db.connect(fixture_db(TRAINING, tmp_path / "training.duckdb"))
    yield snapshot(conn, db="training", today=TODAY)
    conn.close()
    clear_caches()


def _sections(view: TrainingView) -> TrainingSections:
    assert view.state == "shown" and view.sections is not None
    return view.sections


def test_a_lead_sees_every_figure_of_june(snap: Snapshot) -> None:
    view = training_view(snap, EVERYONE, LEAD)
    assert (view.month, view.first) == (JUNE, date(2025, 7, 1))  # the 12 months ending June
    shown = _sections(view)
    tiles = shown.tiles
    # Trained by 30 June: Anna, Bernd, Emil, Frieda, Gustav, Max, Jan, Lena = 8 of 13.
    assert (tiles.trained, tiles.licensed) == (8, 13)
    assert tiles.trained_share == pytest.approx(8 / 13)
    # Sessions (course + date with someone who took part): Sep, Nov, Jan, 2 in Mar, Apr, May.
    assert (tiles.sessions, tiles.months_with_sessions) == (7, 6)
    # Joiners: Lena (day 19), Frieda (day 30), Gustav (day 41, not onboarded).
    assert (tiles.onboarding, tiles.onboarded, tiles.joiners) == ("shown", 2, 3)
    # No-shows: Kai twice, Ida once, of 15 invitations due.
    assert (tiles.no_shows, tiles.invitations) == (3, 15)
    assert tiles.no_show_share == pytest.approx(0.2)
    assert not tiles.learners_unmatched and tiles.gaps == ()

    departments = shown.departments
    assert departments.table is not None and departments.chart is not None
    assert departments.table.frame[["group", "licensed", "trained"]].values.tolist() == [
        ["Service", 3, 2], ["Vertrieb", 10, 6]]
    assert departments.chart.frame["group"].tolist() == ["Service", "Vertrieb"]
    assert not departments.note

    per_month = shown.sessions.per_month
    assert per_month["sessions"].tolist() == [0, 0, 1, 0, 1, 0, 1, 0, 2, 1, 1, 0]  # Jul..Jun
    assert per_month["invitations"].tolist() == [0, 0, 1, 0, 1, 0, 2, 0, 5, 4, 2, 0]
    assert shown.sessions.months_held == 6
    courses = shown.sessions.courses
    assert courses is not None
    # CRM-Grundlagen: Ida (10 Mar) and Kai (14 Apr) of 6; the roadshow: Kai of 2.
    assert courses.frame[["course", "invitations", "no_shows"]].head(2).values.tolist() == [
        ["CRM-Grundlagen", 6, 2], ["Roadshow Service", 2, 1]]

    onboarding = shown.onboarding
    assert onboarding.start_gap is None and onboarding.table is not None
    # Lena (Service) onboarded; Frieda onboarded, Gustav not (Vertrieb).
    assert onboarding.table.frame[["department", "joiners", "onboarded"]].values.tolist() == [
        ["Service", 1, 1], ["Vertrieb", 2, 1]]


def test_the_effect_pools_march_and_april(snap: Snapshot) -> None:
    effect = _sections(training_view(snap, EVERYONE, LEAD)).effect
    # Trained Anna, Bernd (March), Max, Jan (April); compared Clara, Dieter, Ida, Kai, Lena.
    assert effect.pooled_people == (4, 5)
    assert effect.example == date(2026, 4, 1)  # the newest cohort
    assert effect.unmatched.total == 0
    days, writes = effect.metrics
    assert (days.metric, writes.metric) == ("active_days", "writes")
    table = days.table.frame
    assert table["cohort"].tolist() == [None, date(2026, 4, 1), date(2026, 3, 1)]
    assert table["trained_people"].tolist() == [4, 2, 2]
    assert table["comparison_people"].tolist() == [5, 5, 3]
    # Differences: pooled 3.625 - 0.125; April 2.25 - 1/12; March 5 - 1/6.
    assert table["difference"].tolist() == pytest.approx([3.5, 13 / 6, 29 / 6])
    assert writes.table.frame["difference"].tolist() == pytest.approx([35 / 12, 5 / 3, 25 / 6])
    assert days.chart is not None
    bars = days.chart.frame.set_index(["period", "group"])["value"]
    assert bars[("before", "trained")] == pytest.approx(3.5)
    assert bars[("after", "comparison")] == pytest.approx(29 / 24)


def test_a_lead_gets_the_invitation_list(snap: Snapshot) -> None:
    invitations = _sections(training_view(snap, EVERYONE, LEAD)).invitations
    assert invitations is not None
    # Barely or never in June and not trained by 30 June: Kai and Dieter (never), Ida (barely).
    assert invitations.people["name"].tolist() == ["Kai Kurz", "Dieter Dorn", "Ida Imhof"]
    assert invitations.licensed == 13 and not invitations.learners_unmatched


def test_a_department_limits_sessions_and_the_list_to_its_people(snap: Snapshot) -> None:
    vertrieb = Filters(JUNE, JUNE, "Vertrieb", None, None)
    shown = _sections(training_view(snap, vertrieb, LEAD))
    # Vertrieb: 6 of 10 trained; sessions 10 Mar, 12 Mar, 21 Apr, 12 May = 4 in 3 months;
    # no-shows: Ida of 8 invitations.
    assert (shown.tiles.trained, shown.tiles.licensed) == (6, 10)
    assert (shown.tiles.sessions, shown.tiles.months_with_sessions) == (4, 3)
    assert (shown.tiles.no_shows, shown.tiles.invitations) == (1, 8)
    assert shown.invitations is not None
    assert shown.invitations.people["name"].tolist() == ["Dieter Dorn", "Ida Imhof"]


def _fixture_people() -> list[str]:
    """Every name, e-mail and id (as stored: cut to 15 characters) of the fixture's roster,
    and the learners its records name."""
    with (TRAINING / "users.csv").open(encoding="utf-8-sig") as users:
        people = [value for row in csv.DictReader(users)
                  for value in (row["name"], row["email"], row["user_id"][:15])]
    with (TRAINING / "training.csv").open(encoding="utf-8-sig") as records:
        people += [row["user"] for row in csv.DictReader(records)]
    return [p for p in people if p]


def test_an_executive_sees_no_small_group_and_nobody(snap: Snapshot) -> None:
    view = training_view(snap, EVERYONE, EXECUTIVE)
    shown = _sections(view)
    tables = group_tables(view)
    assert len(tables) == 5  # departments (table), courses, onboarding, the effect's tables
    assert [(table.size_column, size) for table in tables for size in
            table.frame[table.size_column]
            if size != EXECUTIVE.hidden and EXECUTIVE.too_small(size)] == []
    text = texts(view)
    assert [person for person in _fixture_people() if person in text] == []
    assert shown.invitations is None
    # Service (3) is too small and Vertrieb is everyone but Service: no department alone.
    assert shown.departments.chart is None and shown.departments.note
    assert shown.departments.table is not None
    assert set(shown.departments.table.frame["licensed"]) == {"<5"}
    # 3 joiners: the onboarding tile carries no figure.
    tiles = shown.tiles
    assert tiles.onboarding == "hidden"
    assert (tiles.joiners, tiles.onboarded, tiles.onboarded_share) == (None, None, None)
    # 4 trained, 5 compared: no effect row and no chart.
    assert all(m.table.empty and m.chart is None for m in shown.effect.metrics)
    assert shown.effect.pooled_people is None and shown.effect.example is None


def test_an_executive_selection_too_small_is_suppressed(snap: Snapshot) -> None:
    service = Filters(JUNE, JUNE, "Service", None, None)  # 3 licensed people
    assert training_view(snap, service, EXECUTIVE) == TrainingView(
        "suppressed", JUNE, date(2025, 7, 1))
    assert training_view(snap, service, LEAD).state == "shown"


def test_without_training_records_the_view_says_so(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "no-training.duckdb")
    load_generic_csv(conn, DatasetKind.USERS, TRAINING / "users.csv")
    load_generic_csv(conn, DatasetKind.USAGE, TRAINING / "usage.csv")
    snap = snapshot(conn, db="no-training", today=TODAY)
    assert not has_training_records(snap)
    view = training_view(snap, EVERYONE, LEAD)
    assert view.state == "no_records" and view.sections is None
    conn.close()
