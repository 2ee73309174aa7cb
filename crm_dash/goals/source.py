"""The figures a goal reads, taken from the adoption metrics (:mod:`crm_dash.metrics`).

Goals never define "productive" themselves: every count here comes from
:func:`crm_dash.metrics.segments.user_months`, the same person-months the adoption pages show,
under the adoption definition in force (thresholds, time zone, integration accounts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from crm_dash.goals.math import MonthFigures
from crm_dash.goals.model import GoalScope
from crm_dash.metrics.adoption import months_without_writes
from crm_dash.metrics.definitions import AdoptionDefinition, VersionedDefinition, load_definition
from crm_dash.metrics.segments import available_months, user_months
from crm_dash.months import month_range

#: Segments whose licences buy little: the cost the page shows next to a goal.
IDLE_SEGMENTS = ("barely", "never")


@dataclass(frozen=True)
class DataMonths:
    """Which months the usage data covers: only complete months count for goals."""

    first: date
    latest_complete: date

    def covers(self, month: date) -> bool:
        return self.first <= month <= self.latest_complete


@dataclass(frozen=True)
class IdleCost:
    """Barely and never users in a scope in one month, and what their licences cost."""

    month: date
    people: int
    licensed: int
    monthly_cost: float | None  # None when no licence cost is known for them
    currency: str = "EUR"


@dataclass(frozen=True)
class AdoptionFigures:
    """Licensed people's months (no integration accounts), the months they cover completely,
    and the definition they were computed with: everything a goal reads."""

    definition: VersionedDefinition
    covered: DataMonths | None  # None: no usage data
    person_months: pd.DataFrame


def adoption_figures(
    conn: duckdb.DuckDBPyConnection, first: date, last: date, *, today: date
) -> AdoptionFigures:
    """The figures of the months ``first`` to ``last`` under the definition in force."""
    versioned = load_definition(conn)
    covered = data_months(conn, versioned.definition, today)
    if covered is None:
        return AdoptionFigures(versioned, None, pd.DataFrame())
    return AdoptionFigures(versioned, covered,
                           scoped_person_months(conn, versioned.definition, first, last))


def figures_of(
    definition: VersionedDefinition, first: date | None, latest_complete: date | None,
    person_months: pd.DataFrame,
) -> AdoptionFigures:
    """Figures from person-months computed elsewhere (e.g. the adoption pages' cache), which
    must cover every complete month from ``first`` to ``latest_complete``."""
    if first is None or latest_complete is None or person_months.empty:
        return AdoptionFigures(definition, None, pd.DataFrame())
    licensed = person_months[~person_months["is_integration"].astype(bool)]
    return AdoptionFigures(definition, DataMonths(first, latest_complete), licensed)


def current_definition(conn: duckdb.DuckDBPyConnection) -> VersionedDefinition:
    """The adoption definition in force, with its version."""
    return load_definition(conn)


def definition_record(versioned: VersionedDefinition) -> dict[str, object]:
    """The definition as stored with a goal's baseline: thresholds and settings version."""
    return {"version": versioned.version, **versioned.definition.model_dump(mode="json")}


def data_months(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, today: date
) -> DataMonths | None:
    """The complete months of usage data as of ``today`` (``None`` without usage data)."""
    months = available_months(conn, definition, today)
    if months is None:
        return None
    first, latest_complete, _last = months
    return DataMonths(first=first, latest_complete=latest_complete)


def scoped_person_months(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, first: date, last: date,
) -> pd.DataFrame:
    """Licensed people's months (integration accounts left out) from ``first`` to ``last``."""
    frame = user_months(conn, definition, first, last)
    return frame[~frame["is_integration"].astype(bool)]


def in_scope(frame: pd.DataFrame, scope: GoalScope) -> pd.DataFrame:
    """The rows of ``frame`` (person-months) that belong to ``scope``."""
    mask = frame["department"] == scope.department
    if scope.team:
        mask &= frame["team"] == scope.team
    if scope.role:
        mask &= frame["role"] == scope.role
    return frame[mask]


def figures_from(
    person_months: pd.DataFrame, scope: GoalScope, months: list[date], covered: DataMonths | None,
    definition: AdoptionDefinition,
) -> list[MonthFigures]:
    """Productive and licensed people in ``scope`` for each month the data covers completely.

    A month whose log records no write (a login history) has no figure: productive is unknown
    there, not 0 (:func:`crm_dash.metrics.adoption.months_without_writes` over ``person_months``,
    the whole company's)."""
    rows = in_scope(person_months, scope)
    productive = rows[rows["segment"] == "productive"].groupby("month").size()
    licensed = rows.groupby("month").size()
    unknown = months_without_writes(person_months, definition.productive_min_active_days,
                                    definition.productive_min_writes)
    return [
        MonthFigures(month, int(productive.get(month, 0)), int(licensed.get(month, 0)))
        for month in months
        if covered is not None and covered.covers(month) and month not in unknown
    ]


def scope_figures(
    conn: duckdb.DuckDBPyConnection,
    scope: GoalScope,
    first: date,
    last: date,
    *,
    today: date,
    definition: AdoptionDefinition | None = None,
) -> list[MonthFigures]:
    """Monthly productive and licensed counts of ``scope`` (complete months with data only)."""
    definition = definition or load_definition(conn).definition
    covered = data_months(conn, definition, today)
    if covered is None:
        return []
    frame = scoped_person_months(conn, definition, first, last)
    return figures_from(frame, scope, month_range(first, last), covered, definition)


def idle_cost_from(person_months: pd.DataFrame, scope: GoalScope, month: date) -> IdleCost:
    """Barely and never users of ``scope`` in ``month`` and the sum of their licence costs."""
    rows = in_scope(person_months, scope)
    rows = rows[rows["month"] == month]
    idle = rows[rows["segment"].isin(IDLE_SEGMENTS)]
    costs = idle["license_cost"].dropna()
    return IdleCost(
        month=month, people=len(idle), licensed=len(rows),
        monthly_cost=float(costs.sum()) if len(costs) else None,
    )


@dataclass(frozen=True)
class ScopeOptions:
    """Departments with their teams and roles, from the roster (integration accounts left out)."""

    departments: list[str]
    teams: dict[str, list[str]]
    roles: dict[str, list[str]]


def scope_options(conn: duckdb.DuckDBPyConnection) -> ScopeOptions:
    """What a goal's scope can be: the departments, teams and roles in the roster."""
    rows = conn.cursor().execute(
        "SELECT DISTINCT department, team, role FROM users"
        " WHERE department IS NOT NULL AND NOT is_integration ORDER BY ALL"
    ).fetchall()
    departments: list[str] = []
    teams: dict[str, list[str]] = {}
    roles: dict[str, list[str]] = {}
    for department, team, role in rows:
        if department not in teams:
            departments.append(department)
            teams[department], roles[department] = [], []
        if team and team not in teams[department]:
            teams[department].append(team)
        if role and role not in roles[department]:
            roles[department].append(role)
    for department in departments:
        teams[department].sort()
        roles[department].sort()
    return ScopeOptions(departments, teams, roles)
