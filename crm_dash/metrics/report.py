"""The JSON of ``crm-dash report``: one month's headline figures, the same the pages show."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from crm_dash.metrics.adoption import (
    WRITE_SEGMENTS,
    MonthSummary,
    filter_people,
    month_summary,
    months_without_writes,
)
from crm_dash.metrics.definitions import SEGMENTS, AdoptionDefinition, load_definition
from crm_dash.metrics.pipeline import pipeline_report
from crm_dash.metrics.segments import user_months
from crm_dash.metrics.training import training_report
from crm_dash.months import first_of_month as month_start


def month_figures(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, month: date,
    department: str | None = None,
) -> MonthSummary:
    """One month's figures under ``definition`` (everyone, or one department)."""
    month = month_start(month)
    frame = filter_people(user_months(conn, definition, month, month), department=department)
    return month_summary(frame, month)


def adoption_report(
    conn: duckdb.DuckDBPyConnection, month: date, department: str | None = None
) -> dict[str, Any]:
    """``{"month", "department", "licensed", "excluded_integration", "segments", "active_users",
    "stickiness", "unknown", "training", "pipeline"}`` for ``month`` (everyone, or one
    department), under the current definition. Training is as of ``month``; the pipeline is its
    latest snapshot. Productive and sporadic are ``None`` when the month's log records no write
    (:func:`crm_dash.metrics.adoption.months_without_writes`); ``unknown`` says why.
    """
    definition = load_definition(conn).definition
    month = month_start(month)
    everyone = user_months(conn, definition, month, month)
    summary = month_summary(filter_people(everyone, department=department), month)
    no_writes = month in months_without_writes(everyone, definition.productive_min_active_days,
                                               definition.productive_min_writes)
    reason = (f"The usage data of {month:%Y-%m} holds no write action "
              f"({', '.join(definition.write_actions)}), only logins or views: productive "
              "cannot be told from sporadic.")
    return {
        "month": f"{summary.month:%Y-%m}",
        "department": department,
        "licensed": summary.licensed,
        "excluded_integration": summary.excluded_integration,
        "segments": {s: None if no_writes and s in WRITE_SEGMENTS else summary.segments[s]
                     for s in SEGMENTS},
        "active_users": summary.active_users,
        "stickiness": None if summary.stickiness is None else round(summary.stickiness, 4),
        "unknown": {f"segments.{s}": reason for s in WRITE_SEGMENTS} if no_writes else {},
        "training": training_report(conn, summary.month, department),
        "pipeline": pipeline_report(conn, department),
    }
