"""Goals with their data: measure a baseline, set a goal, and see where goals stand.

This is what the page, the CLI and the demo call; it ties the stored goals (:mod:`.store`) to the
adoption figures (:mod:`.source`) and the arithmetic (:mod:`.math`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from crm_dash.audience import Audience, published
from crm_dash.goals.math import GoalProgress, evaluate, target_for
from crm_dash.goals.model import Baseline, Goal, GoalDraft, GoalScope
from crm_dash.goals.source import (
    AdoptionFigures,
    DataMonths,
    IdleCost,
    ScopeOptions,
    adoption_figures,
    current_definition,
    data_months,
    definition_record,
    figures_from,
    idle_cost_from,
    scope_options,
)
from crm_dash.goals.store import GoalError, create_goal
from crm_dash.metrics.adoption import months_without_writes
from crm_dash.metrics.definitions import VersionedDefinition
from crm_dash.months import add_months, first_of_month, month_range


@dataclass(frozen=True)
class GoalPreview:
    """What a draft would become if saved now: its baseline and target."""

    draft: GoalDraft
    baseline: Baseline
    baseline_value: float
    target: float
    audience: Audience

    @property
    def suppressed(self) -> bool:
        """Fewer licensed people in scope than the minimum group: figures are hidden."""
        return self.audience.scope_too_small(self.baseline.licensed)


@dataclass(frozen=True)
class GoalReport:
    """A goal, where it stands, and the cost of idle licences in its scope."""

    goal: Goal
    progress: GoalProgress
    idle: IdleCost | None
    definition: VersionedDefinition
    audience: Audience

    @property
    def definition_changed(self) -> bool:
        """Whether the thresholds differ from those the baseline was measured with."""
        stored = {k: v for k, v in self.goal.definition.items() if k != "version"}
        current = {k: v for k, v in definition_record(self.definition).items() if k != "version"}
        return bool(stored) and stored != current


def _today(today: date | None) -> date:
    return today or date.today()


def check_department(conn: duckdb.DuckDBPyConnection, department: str) -> ScopeOptions:
    """The roster's departments, teams and roles; refuses a department the roster does not have,
    naming those it has (exact spelling).

    Goals and ``crm-dash report`` alike: figures of an unknown department would be all zeros.
    """
    options = scope_options(conn)
    if department not in options.departments:
        known = ", ".join(options.departments) or "none yet: upload a user roster"
        raise GoalError.says("error.goal.unknown_department",
                             title_key="error.title.unknown_department", department=department,
                             known=known)
    return options


def _check_scope(conn: duckdb.DuckDBPyConnection, scope: GoalScope) -> None:
    options = check_department(conn, scope.department)
    if scope.team and scope.team not in options.teams[scope.department]:
        raise GoalError.says("error.goal.unknown_team", title_key="error.title.unknown_team",
                             department=scope.department, team=scope.team,
                             known=", ".join(options.teams[scope.department]) or "-")
    if scope.role and scope.role not in options.roles[scope.department]:
        raise GoalError.says("error.goal.unknown_role", title_key="error.title.unknown_role",
                             department=scope.department, role=scope.role,
                             known=", ".join(options.roles[scope.department]) or "-")


def goal_starts(covered: DataMonths) -> list[date]:
    """The months a goal may start in, oldest first: those whose baseline month (the month
    before the start) the data covers completely."""
    return month_range(add_months(covered.first, 1), add_months(covered.latest_complete, 1))


def preview_goal(
    conn: duckdb.DuckDBPyConnection,
    draft: GoalDraft,
    *,
    today: date | None = None,
    figures: AdoptionFigures | None = None,
) -> GoalPreview:
    """Measure the baseline the data gives for ``draft`` and the target that would follow.

    ``figures`` (e.g. the adoption pages' cached person-months) saves reading them again.
    """
    _check_scope(conn, draft.scope)
    month = draft.baseline_month
    if figures is None:
        figures = adoption_figures(conn, month, month, today=_today(today))
    covered = figures.covered
    if covered is None:
        raise GoalError.says("error.goal.no_usage", title_key="error.title.no_data")
    starts = goal_starts(covered)
    if draft.start not in starts:
        raise GoalError.says(
            "error.goal.not_covered", title_key="error.title.no_baseline", month=month,
            first=covered.first, last=covered.latest_complete,
            earliest=starts[0], latest=starts[-1])
    definition = figures.definition.definition
    if month in months_without_writes(figures.person_months,
                                      definition.productive_min_active_days,
                                      definition.productive_min_writes):
        raise GoalError.says("error.goal.no_writes", title_key="error.title.no_baseline",
                             month=month)
    [counts] = figures_from(figures.person_months, draft.scope, [month], covered, definition)
    baseline = Baseline(month=month, productive=counts.productive, licensed=counts.licensed,
                        definition=definition_record(figures.definition))
    return GoalPreview(draft=draft, baseline=baseline,
                       baseline_value=baseline.value(draft.metric),
                       target=target_for(baseline, draft.metric, draft.target_pct),
                       audience=published(conn))


def add_goal(
    conn: duckdb.DuckDBPyConnection,
    draft: GoalDraft,
    *,
    actor: str,
    today: date | None = None,
    figures: AdoptionFigures | None = None,
) -> Goal:
    """Measure the baseline, freeze it and store the goal (one transaction, audited)."""
    preview = preview_goal(conn, draft, today=today, figures=figures)
    return create_goal(conn, draft, preview.baseline, actor=actor)


def goal_reports(
    conn: duckdb.DuckDBPyConnection,
    goals: list[Goal],
    *,
    as_of: date | None = None,
    today: date | None = None,
    figures: AdoptionFigures | None = None,
) -> list[GoalReport]:
    """Where each goal stands after ``as_of`` (default: the latest complete month of data).

    One pass over the adoption figures serves every goal; ``figures`` (e.g. the adoption pages'
    cached person-months) saves even that.
    """
    if not goals:
        return []
    if figures is None:
        latest = data_months(conn, current_definition(conn).definition, _today(today))
        end = first_of_month(as_of) if as_of else (latest.latest_complete if latest else None)
        first = min(g.baseline_month for g in goals)
        last = max(first, *(min(end or g.last_month, g.last_month) for g in goals))
        figures = adoption_figures(conn, first, last, today=_today(today))
    covered = figures.covered
    when = first_of_month(as_of) if as_of else (
        covered.latest_complete if covered else first_of_month(_today(today)))
    reports = []
    audience = published(conn)
    for goal in goals:
        months = month_range(goal.baseline_month, min(when, goal.last_month))
        counts = figures_from(figures.person_months, goal.scope, months, covered,
                              figures.definition.definition) \
            if covered else []
        progress = evaluate(goal, goal.baseline, goal.baseline_licensed, goal.target, counts,
                            when, audience)
        idle = None
        if covered is not None and covered.covers(progress.evaluated_month):
            idle = idle_cost_from(figures.person_months, goal.scope, progress.evaluated_month)
        reports.append(GoalReport(goal=goal, progress=progress, idle=idle, audience=audience,
                                  definition=figures.definition))
    return reports


def goal_report(
    conn: duckdb.DuckDBPyConnection, goal: Goal, *, as_of: date | None = None,
    today: date | None = None,
) -> GoalReport:
    """Where one goal stands (see :func:`goal_reports`)."""
    return goal_reports(conn, [goal], as_of=as_of, today=today)[0]
