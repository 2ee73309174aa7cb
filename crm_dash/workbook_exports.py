"""The goal report and the retrospective as Excel workbooks (issue 17).

Both are built from what their HTML and Markdown downloads show (the goal's view, the same
retrospective items), so an audience's limits apply alike; :func:`crm_dash.csv_export.xlsx_bytes`
writes the cells typed: numbers, dates, yes/no.
"""

from __future__ import annotations

import pandas as pd

from crm_dash.csv_export import xlsx_bytes
from crm_dash.goals.present import goal_view
from crm_dash.goals.tracker import GoalReport
from crm_dash.i18n import Language, t
from crm_dash.retro.model import ItemStatus, Retro, RetroItem
from crm_dash.retro.present import group_title, item_title, status_label
from crm_dash.retro.template import items_by_group


def _value(value: float | None, share: bool) -> float | None:
    """A goal figure as a number: a share in percent (35.5), a count as it is."""
    if value is None:
        return None
    return round(value * 100, 2) if share else value


def goal_report_xlsx(report: GoalReport, lang: Language) -> bytes:
    """The goal's figures (sheet 1) and its months (sheet 2: actual, plan, forecast); a scope
    too small for the audience gets the texts without figures."""
    view = goal_view(report, lang)
    goal, progress = report.goal, report.progress
    share = not goal.metric.is_count
    unit = " (%)" if share else ""
    hidden = progress.suppressed
    rows: list[tuple[str, object]] = [
        (t("xlsx.goal.name", lang), view.name),
        (t("xlsx.goal.scope", lang), view.scope),
        (t("xlsx.goal.metric", lang), view.metric),
        (t("xlsx.goal.state", lang), view.state_label),
        (t("xlsx.goal.start", lang), goal.start),
        (t("xlsx.goal.deadline", lang), progress.deadline),
        (t("goals.fig.baseline", lang) + unit, None if hidden else _value(goal.baseline, share)),
        (t("goals.fig.target", lang) + unit, None if hidden else _value(goal.target, share)),
        (view.actual_label + unit, None if hidden else _value(progress.actual, share)),
        (t("goals.fig.expected", lang) + unit, None if hidden else _value(progress.expected,
                                                                             share)),
        (view.forecast_label + unit, None if hidden else _value(progress.forecast, share)),
        (t("goals.fig.months_left", lang), progress.months_left),
        (t("goals.fig.gap", lang), None if hidden else progress.people_gap),
        (t("goals.owner", lang), view.owner or None),
        (t("goals.note", lang), view.note or None),
        (t("goals.definition.title", lang), view.definition),
    ]
    if hidden:
        rows.append((t("xlsx.goal.hidden", lang), t("goals.suppressed", lang,
                                                    **report.audience.words)))
    summary = pd.DataFrame(rows, columns=[t("xlsx.col.what", lang), t("xlsx.col.value", lang)])
    months = pd.DataFrame(
        [] if hidden else [(p.month, _value(p.actual, share), _value(p.expected, share),
                            _value(p.forecast, share)) for p in progress.points],
        columns=[t("xlsx.col.month", lang), t("xlsx.col.actual", lang) + unit,
                 t("goals.fig.expected", lang) + unit, t("xlsx.col.forecast", lang) + unit])
    return xlsx_bytes({t("xlsx.sheet.goal", lang): summary, t("xlsx.sheet.months", lang): months})


def retro_actions_frame(items: list[RetroItem], lang: Language) -> pd.DataFrame:
    """The retrospective's actions: title, status, owner, due date (a date), notes."""
    return pd.DataFrame(
        [(item_title(i.item_id, lang), status_label(i.status, lang), i.owner or None,
          i.due_date, i.notes or None, i.carried_from_held_on)
         for i in items if i.is_action],
        columns=[t("xlsx.col.item", lang), t("xlsx.col.status", lang), t("retro.owner", lang),
                 t("retro.due", lang), t("xlsx.col.notes", lang), t("xlsx.col.carried", lang)])


def retro_xlsx(retro: Retro, items: list[RetroItem], lang: Language) -> bytes:
    """The retrospective: its actions (sheet 1) and every item of its template by group, with
    "done" as an Excel yes/no (sheet 2)."""
    by_id = {i.item_id: i for i in items}
    rows = []
    for group, template in items_by_group(retro.template_version).items():
        for entry in template:
            item = by_id.get(entry.id, RetroItem(item_id=entry.id))
            rows.append((group_title(group, lang), item_title(entry.id, lang),
                         status_label(item.status, lang), item.status is ItemStatus.DONE,
                         item.owner or None, item.due_date, item.notes or None))
    all_items = pd.DataFrame(rows, columns=[
        t("xlsx.col.group", lang), t("xlsx.col.item", lang), t("xlsx.col.status", lang),
        t("xlsx.col.done", lang), t("retro.owner", lang), t("retro.due", lang),
        t("xlsx.col.notes", lang)])
    return xlsx_bytes({t("xlsx.sheet.actions", lang): retro_actions_frame(items, lang),
                       t("xlsx.sheet.items", lang): all_items})
