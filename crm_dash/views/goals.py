"""The Goals page's data: where each goal stands, its chart and downloads, and (for leads) what
the new-goal form offers, the change history and the archived goals.

Figures follow the published audience (:func:`crm_dash.audience.published`: a scope too small
shows no figure, whoever reads); the reader's audience decides the rest: an executive reads
the owner a lead typed as a role, on the page and in both downloads, and gets no history, no
archive and no form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from crm_dash.audience import Audience
from crm_dash.charts.goals import chart_frame
from crm_dash.goals.model import Goal
from crm_dash.goals.present import GoalView, for_audience, goal_view
from crm_dash.goals.report import report_file_name, report_html
from crm_dash.goals.source import AdoptionFigures, ScopeOptions, figures_of, scope_options
from crm_dash.goals.store import GoalChange, goal_changes, list_goals
from crm_dash.goals.tracker import GoalReport, goal_reports, goal_starts
from crm_dash.i18n import Language
from crm_dash.months import first_of_month
from crm_dash.pages import LEADS
from crm_dash.views import data
from crm_dash.views.snapshot import Snapshot
from crm_dash.workbook_exports import goal_report_xlsx


@dataclass(frozen=True)
class GoalCard:
    """One goal as the page shows it.

    ``report``: as the audience may read it; ``text``: its figures and words
    (:func:`crm_dash.goals.present.goal_view`); ``chart``: the chart's points
    (:func:`crm_dash.charts.goals.chart_frame`), ``None`` for a scope too small to show;
    ``history``: who changed what, newest first (leads only, else ``None``).
    """

    report: GoalReport
    text: GoalView
    chart: pd.DataFrame | None
    report_html: str
    report_xlsx: bytes
    file_name: str  # of the HTML report
    history: tuple[GoalChange, ...] | None

    @property
    def xlsx_file_name(self) -> str:
        return self.file_name.removesuffix(".html") + ".xlsx"


@dataclass(frozen=True)
class NewGoalChoices:
    """What the form for a new goal offers: the roster's scopes and the months a goal may start
    in (:func:`crm_dash.goals.tracker.goal_starts`), this month preselected when it is one of
    them, else the latest. ``figures`` serve the form's preview and saving.

    ``ready`` is false without usage data or without a department: no goal can be set yet.
    """

    figures: AdoptionFigures
    options: ScopeOptions
    starts: tuple[date, ...]
    default_start: date | None

    @property
    def ready(self) -> bool:
        return bool(self.options.departments) and bool(self.starts)


@dataclass(frozen=True)
class GoalsView:
    """Everything the Goals page shows.

    ``editable``: the reader may set, edit and archive goals (leads and admins); ``new_goal``
    and ``archived`` are ``None`` for everybody else.
    """

    goals: tuple[GoalCard, ...]
    editable: bool
    new_goal: NewGoalChoices | None
    archived: tuple[Goal, ...] | None


def _figures(snap: Snapshot) -> AdoptionFigures:
    """The adoption pages' person-months (cached per data version), as goals read them."""
    adoption = data.adoption_data(snap)
    return figures_of(adoption.definition, adoption.first_month, adoption.latest_complete,
                      adoption.frame)


def _card(snap: Snapshot, report: GoalReport, audience: Audience, lang: Language) -> GoalCard:
    report = for_audience(report, audience, lang)  # owners as roles for executives
    return GoalCard(
        report=report,
        text=goal_view(report, lang),
        chart=None if report.progress.suppressed
        else chart_frame(report.goal, report.progress, lang),
        report_html=report_html(report, lang, generated=snap.today),
        report_xlsx=goal_report_xlsx(report, lang),
        file_name=report_file_name(report),
        history=tuple(goal_changes(snap.conn, report.goal.id)) if audience.sees_people
        else None,
    )


def _new_goal(snap: Snapshot, figures: AdoptionFigures) -> NewGoalChoices:
    covered = figures.covered
    starts = tuple(goal_starts(covered)) if covered is not None else ()
    this_month = first_of_month(snap.today)
    default = this_month if this_month in starts else (starts[-1] if starts else None)
    return NewGoalChoices(figures=figures, options=scope_options(snap.conn), starts=starts,
                          default_start=default)


def goals_view(snap: Snapshot, audience: Audience, lang: Language) -> GoalsView:
    """The Goals page for ``audience`` in ``lang`` (the downloads are documents in ``lang``).

    Not cached: a goal set, edited or archived changes the page without changing the data
    version; the person-months it reads are (:func:`crm_dash.views.data.adoption_data`).
    """
    figures = _figures(snap)
    editable = audience.role in LEADS
    stored = list_goals(snap.conn, include_archived=editable)  # one read for both lists
    goals = [g for g in stored if not g.archived]
    reports = goal_reports(snap.conn, goals, today=snap.today, figures=figures)
    return GoalsView(
        goals=tuple(_card(snap, report, audience, lang) for report in reports),
        editable=editable,
        new_goal=_new_goal(snap, figures) if editable else None,
        archived=tuple(g for g in stored if g.archived) if editable else None,
    )
