"""The Adoption page's view, without Streamlit: its figures for a lead, and what an executive
may see of the same data.

The data is the adoption fixture (tests/fixtures/adoption, its README has every person's
segments): 12 licensed people in October 2026 (Vertrieb 9, Service 3), 10 in August and
September (Vertrieb 7, Service 3). October is the latest complete month.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

from crm_dash import db
from crm_dash.audience import Audience
from crm_dash.fixtures import load_generic_folder
from crm_dash.pages import Role
from crm_dash.views.adoption import AdoptionView, Breadth, Departments, adoption_view
from crm_dash.views.filters import Filters
from crm_dash.views.snapshot import Snapshot, snapshot
from crm_dash.views.tables import GroupTable
from tests.conftest import FIXTURES

AUG, SEP, OCT = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)
LEAD = Audience(Role.LEAD)
EXECUTIVE = Audience(Role.EXECUTIVE)


def adoption_snapshot(tmp_path: Path) -> Iterator[Snapshot]:
    """The adoption fixture's database as a page reads it on 7 Dec 2026."""
    path = tmp_path / "adoption.duckdb"
    conn = db.connect(path)
    load_generic_folder(conn, FIXTURES / "adoption")
    yield snapshot(conn, db=str(path), today=date(2026, 12, 7))
    conn.close()


snap = pytest.fixture(adoption_snapshot, name="snap")


def _view(snap: Snapshot, audience: Audience, **groups: str) -> AdoptionView:
    """August to October 2026 (the page's default range here), for ``groups``."""
    return adoption_view(snap, Filters(AUG, OCT, groups.get("department"), groups.get("team"),
                                       groups.get("role")), audience)


def test_a_lead_sees_every_figure_of_the_month(snap: Snapshot) -> None:
    view = _view(snap, LEAD)
    assert view.month == OCT and view.figures is not None
    figures = view.figures
    # October (README): productive Anna, Frieda, the bot; sporadic Bernd, Lena, Ida; barely
    # Clara, Jan, Kai; never Dieter, Hanna; new Emil. 42 active days of 8 active people.
    summary = figures.headline.summary
    assert (summary.licensed, summary.active_users) == (12, 8)
    assert summary.segments == {"productive": 3, "sporadic": 3, "barely": 3, "never": 2,
                                "new": 1}
    assert summary.stickiness == pytest.approx(42 / (31 * 8))
    assert not figures.headline.productive_unknown and figures.headline.no_write_months == ()
    assert figures.hidden_months == ()
    assert sorted(figures.segments["month"].unique()) == [AUG, SEP, OCT]
    # Departments in October, side by side: Service is Ida (sporadic), Jan and Kai (barely);
    # Vertrieb the other nine.
    departments = figures.departments
    assert isinstance(departments, Departments) and not departments.note
    table = departments.table.frame.set_index("department")
    assert list(table.loc["Service", ["licensed", "productive", "sporadic", "barely"]]) == [
        3, 0, 1, 2]
    assert list(table.loc["Vertrieb", ["licensed", "productive", "never", "new"]]) == [
        9, 3, 2, 1]
    assert table.loc["Vertrieb", "productive_share"] == pytest.approx(3 / 9)
    assert set(departments.latest.frame["group"]) == {"Service", "Vertrieb"}
    # September to October, among productive, sporadic, barely, never: up Anna (sporadic to
    # productive), Bernd and Ida (barely to sporadic), Clara (never to barely); slipped Jan
    # (sporadic to barely) and Kai (productive to barely).
    assert (figures.movement.up, figures.movement.down) == (4, 2)
    cells = figures.movement.cells.frame.set_index(["from_segment", "to_segment"])["people"]
    assert cells[("barely", "sporadic")] == 2 and cells[("not_licensed", "new")] == 1
    # Lifecycle: Bernd, active for the first time in August, is a bar of one (leads see it).
    counts = figures.lifecycle.counts.frame
    assert counts.loc[(counts["month"] == AUG) & (counts["state"] == "new"), "people"].tolist(
        ) == [1]
    assert not figures.lifecycle.some_hidden
    # October's breadth distribution counts its 8 active people.
    assert isinstance(figures.breadth, Breadth)
    assert figures.breadth.distribution["people"].sum() == 8
    assert figures.stickiness["mau"].tolist() == [1, 7, 8]  # Bernd alone in August


def test_a_department_filter_narrows_the_figures(snap: Snapshot) -> None:
    view = _view(snap, LEAD, department="Service")
    assert view.figures is not None
    # Service in October: Ida sporadic, Jan and Kai barely.
    assert view.figures.headline.summary.segments["barely"] == 2
    departments = view.figures.departments
    assert isinstance(departments, Departments)
    assert departments.table.frame["department"].tolist() == ["Service"]


def test_an_executive_sees_no_small_department_and_no_change_of_a_few(snap: Snapshot) -> None:
    view = _view(snap, EXECUTIVE)
    assert view.figures is not None
    figures = view.figures
    assert figures.headline.summary.licensed == 12  # the whole company may be seen
    departments = figures.departments
    assert isinstance(departments, Departments) and departments.note
    # Service has 3 people; Vertrieb's rest is Service: both rows read "<5", and neither
    # department is drawn in the charts.
    table = departments.table.frame
    assert (table.drop(columns="department") == "<5").all().all()
    assert departments.latest.empty and departments.productive.empty
    # Every move was one or two people, and so were the 4 up and 2 slipped.
    assert (figures.movement.up, figures.movement.down) == ("<5", "<5")
    assert set(figures.movement.cells.frame["people"]) == {0, "<5"}
    assert figures.lifecycle.some_hidden
    _assert_shows_no_one(view, EXECUTIVE)


def test_an_executive_sees_no_month_before_the_company_reached_the_minimum(
    snap: Snapshot
) -> None:
    # With a minimum of 11: 10 licensed people in August and September, 12 in October.
    audience = Audience(Role.EXECUTIVE, min_group=11)
    view = _view(snap, audience)
    assert view.figures is not None
    figures = view.figures
    assert figures.hidden_months == (AUG, SEP)
    assert set(figures.segments["month"]) == {OCT}
    assert set(figures.stickiness["month"]) == {OCT}
    assert set(figures.lifecycle.counts.frame["month"]) <= {OCT}
    _assert_shows_no_one(view, audience)


def test_a_selection_too_small_for_the_audience_shows_no_figure(snap: Snapshot) -> None:
    assert _view(snap, Audience(Role.EXECUTIVE, min_group=13)).suppressed  # 12 in October
    assert not _view(snap, Audience(Role.LEAD, min_group=13)).suppressed


def test_the_view_is_computed_once_per_data_version(snap: Snapshot) -> None:
    assert _view(snap, LEAD) is _view(snap, LEAD)
    assert _view(snap, LEAD) is not _view(snap, EXECUTIVE)


# --- the executive's walk: no name, no small group -------------------------------------------

def _values(value: object) -> Iterator[object]:
    """Every value a view holds: fields, model fields, frame headings and cells."""
    if isinstance(value, GroupTable):
        yield value
        yield from _values(value.frame)
    elif isinstance(value, pd.DataFrame):
        yield from value.columns
        yield from value.to_numpy().ravel()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _values(getattr(value, field.name))
    elif isinstance(value, BaseModel):
        yield from _values(value.model_dump())
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _values(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _values(item)
    else:
        yield value


def named(view: object, columns: tuple[str, ...] = ("name", "email", "user_id")) -> list[str]:
    """The roster's values of ``columns`` (the ids as the log's 15 characters) found in any
    text of ``view``."""
    with (FIXTURES / "adoption" / "users.csv").open(encoding="utf-8") as file:
        people = [row[c][:15] if c == "user_id" else row[c]
                  for row in csv.DictReader(file) for c in columns]
    texts = [v.lower() for v in _values(view) if isinstance(v, str)]
    return [p for p in people if any(p.lower() in text for text in texts)]


def _assert_shows_no_one(view: object, audience: Audience) -> None:
    """No roster name, e-mail or id anywhere in ``view``, and in each table of groups no size
    between 1 and the minimum (a hidden group's size reads as the marker)."""
    assert named(view) == []
    for table in (v for v in _values(view) if isinstance(v, GroupTable)):
        for _, row in table.frame.iterrows():
            size = row[table.size_column]
            if size == audience.hidden:
                continue
            assert not audience.too_small(size), (table.size_column, row.to_dict())


def test_a_moved_total_never_gives_a_hidden_cell_away() -> None:
    from crm_dash.audience import Audience
    from crm_dash.pages import Role
    from crm_dash.views.adoption import moved_total

    executive, lead = Audience(Role.EXECUTIVE), Audience(Role.LEAD)
    # 16 and 8 are shown; with a hidden 1 the total 25 would tell it: hidden
    assert moved_total(pd.Series([16, 8, 1]), executive) == "<5"
    assert moved_total(pd.Series([16, 8, 1]), lead) == 25
    assert moved_total(pd.Series([16, 8]), executive) == 24  # nothing hidden in it
    # two hidden cells of 3: together 6, no small group: the total may show
    assert moved_total(pd.Series([16, 3, 3]), executive) == 22
    assert moved_total(pd.Series([2, 1]), executive) == "<5"  # a small total
    assert moved_total(pd.Series([], dtype="int64"), executive) == 0
