"""The goal report and the retrospective as .xlsx, read back cell by cell."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import python_calamine as pc

from crm_dash.goals.model import GoalMetric
from crm_dash.retro.model import Retro, RetroItem
from crm_dash.workbook_exports import goal_report_xlsx, retro_xlsx
from tests.unit.test_goals_report import _report, goals_conn  # noqa: F401 (a fixture)
from tests.unit.test_retro_export import saved  # noqa: F401 (a fixture)


def _sheets(data: bytes) -> dict[str, list[list[object]]]:
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_goal_report_cells_are_typed(goals_conn: duckdb.DuckDBPyConnection) -> None:  # noqa: F811
    report = _report(goals_conn)
    sheets = _sheets(goal_report_xlsx(report, "de"))
    assert list(sheets) == ["Ziel", "Monate"]
    figures = {row[0]: row[1] for row in sheets["Ziel"][1:]}
    assert figures["Name des Ziels"] == "+150 % Süd <b>"  # text stays text
    assert figures["Beginn"] == dt.date(2025, 2, 1)
    assert figures["Ausgangsbasis"] == float(report.goal.baseline)
    assert isinstance(figures["Ziel"], float)
    months = sheets["Monate"]
    assert months[0][0] == "Monat" and isinstance(months[1][0], dt.date)
    assert all(isinstance(v, float) or v == "" for row in months[1:] for v in row[1:])

    share = _report(goals_conn, name="Anteil", metric=GoalMetric.PRODUCTIVE_SHARE)
    rows = _sheets(goal_report_xlsx(share, "en"))["Goal"]
    baseline = next(r for r in rows if r[0] == "Baseline (%)")
    assert baseline[1] == round(share.goal.baseline * 100, 2)  # a share in percent


def test_retro_workbook_actions_and_items(
    saved: tuple[Retro, list[RetroItem]],  # noqa: F811
) -> None:
    retro, items = saved
    sheets = _sheets(retro_xlsx(retro, items, "en"))
    assert list(sheets) == ["Actions", "All items"]
    actions = sheets["Actions"]
    assert actions[0][:4] == ["Item", "Status", "Owner", "Due date"]
    carried = next(r for r in actions[1:] if r[5] != "")
    assert carried[3] == dt.date(2026, 4, 30) and carried[5] == dt.date(2026, 3, 12)
    everything = sheets["All items"]
    done = [r for r in everything[1:] if r[3] is True]
    assert len(done) == 1 and all(r[3] in (True, False) for r in everything[1:])
    assert any(r[6] == "<script>alert(1)</script> *Excel* | lists" for r in everything[1:])
