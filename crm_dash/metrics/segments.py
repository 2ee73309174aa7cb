"""Per person and calendar month: licensed or not, activity, and exactly one segment.

One DuckDB query over the whole range of months computes every person-month; the pages, the
report and the tests all derive their figures from its result, so they cannot disagree.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from crm_dash.metrics.activity import refresh_activity
from crm_dash.metrics.coverage import data_coverage
from crm_dash.metrics.definitions import AdoptionDefinition
from crm_dash.metrics.integration import PEOPLE_CTE
from crm_dash.months import first_of_month as month_start

# Person-months of everyone in the roster who is licensed by date in the month (started on or
# before its last day, not left before its first day). Integration accounts stay in the result
# (flagged, without a segment) so that the figures can say how many were excluded.
_USER_MONTHS_SQL = "WITH " + PEOPLE_CTE + """,
months AS (
    SELECT CAST(m AS DATE) AS month, last_day(CAST(m AS DATE)) AS month_end
    -- one month before the range, so that the first month knows its previous segment
    FROM unnest(generate_series(CAST($first AS DATE) - INTERVAL 1 MONTH, CAST($last AS DATE),
                                INTERVAL 1 MONTH)) AS g(m)
),
activity AS (
    SELECT user_key, month, active_days, objects, last_day,
           (CASE WHEN list_contains($writes, 'login') THEN n_login ELSE 0 END
            + CASE WHEN list_contains($writes, 'view') THEN n_view ELSE 0 END
            + CASE WHEN list_contains($writes, 'create') THEN n_create ELSE 0 END
            + CASE WHEN list_contains($writes, 'update') THEN n_update ELSE 0 END
            + CASE WHEN list_contains($writes, 'delete') THEN n_delete ELSE 0 END
            + CASE WHEN list_contains($writes, 'export') THEN n_export ELSE 0 END
            + CASE WHEN list_contains($writes, 'other') THEN n_other ELSE 0 END) AS writes
    FROM activity_months
),
first_activity AS (
    SELECT user_key, min(first_day) AS first_active_day, min(month) AS first_active_month
    FROM activity_months GROUP BY user_key
),
grid AS (
    SELECT m.month, m.month_end, p.user_key, p.department, p.team, p.role,
           p.license_cost_monthly, p.start_date, p.end_date,
           p.integration_account AS is_integration,
           coalesce(a.active_days, 0) AS active_days,
           coalesce(a.writes, 0) AS writes,
           coalesce(a.objects, 0) AS breadth,
           f.first_active_day, f.first_active_month,
           prev.user_key IS NOT NULL AS active_last_month
    FROM months m
    JOIN people p
      ON (p.start_date IS NULL OR p.start_date <= m.month_end)
     AND (p.end_date IS NULL OR p.end_date >= m.month)
    LEFT JOIN activity a ON a.user_key = p.user_key AND a.month = m.month
    LEFT JOIN first_activity f ON f.user_key = p.user_key
    LEFT JOIN activity_months prev
      ON prev.user_key = p.user_key AND prev.month = CAST(m.month - INTERVAL 1 MONTH AS DATE)
),
segmented AS (
    SELECT *,
           CASE WHEN is_integration THEN NULL
                WHEN active_days >= $productive_days AND writes >= $productive_writes
                    THEN 'productive'
                WHEN active_days >= $sporadic_days THEN 'sporadic'
                WHEN start_date IS NOT NULL AND start_date > month_end - CAST($grace AS INTEGER)
                    THEN 'new'
                WHEN first_active_day <= month_end THEN 'barely'
                ELSE 'never'
           END AS segment
    FROM grid
)
SELECT s.month, s.user_key, s.department, s.team, s.role, s.is_integration,
       CAST(s.license_cost_monthly AS DOUBLE) AS license_cost,
       s.start_date, s.end_date, s.active_days, s.writes, s.breadth, s.active_last_month,
       s.first_active_month, s.segment, p.segment AS segment_last_month
FROM segmented s
LEFT JOIN segmented p
  ON p.user_key = s.user_key AND p.month = CAST(s.month - INTERVAL 1 MONTH AS DATE)
WHERE s.month >= CAST($first AS DATE)
ORDER BY s.month, s.user_key
"""  # noqa: S608 (constants only; values are parameters)




def user_months(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, first: date, last: date
) -> pd.DataFrame:
    """Every person-month from ``first`` to ``last`` (months) with activity and segment.

    Columns: month, user_key, department, team, role, is_integration, license_cost,
    start_date, end_date, active_days, writes, breadth, active_last_month, first_active_month,
    segment (``None`` for integration accounts), segment_last_month (``None`` when not licensed
    or an integration account in the previous month).
    """
    refresh_activity(conn, definition.time_zone)
    # Through Arrow: several times faster than DuckDB's own DataFrame conversion for the text
    # columns, and dates arrive as dates.
    return conn.cursor().sql(
        _USER_MONTHS_SQL,
        params={
            "patterns": list(definition.integration_patterns),
            "first": month_start(first),
            "last": month_start(last),
            "writes": list(definition.write_actions),
            "productive_days": definition.productive_min_active_days,
            "productive_writes": definition.productive_min_writes,
            "sporadic_days": definition.sporadic_min_active_days,
            "grace": definition.grace_days,
        },
    ).to_arrow_table().to_pandas()


def available_months(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, today: date
) -> tuple[date, date, date] | None:
    """``(first, latest_complete, last)`` months of the usage data; ``None`` without any.

    Which month is the latest complete one is decided in one place,
    :func:`crm_dash.metrics.coverage.data_coverage` (later events, the last working day, the
    export's own date, a lead's answer or setting); this is its short form.
    """
    coverage = data_coverage(conn, definition, today)
    return None if coverage is None else coverage.months
