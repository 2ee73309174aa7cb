"""Per-owner pipeline figures: how well each owner keeps the opportunities of the latest snapshot
current.

Every figure is computed as of a reference date (``as_of``; by default the latest change in the
export, since an export's data is as of its most recent change) over the latest state of each
opportunity (the view ``opportunities``). Whether an opportunity is open, won or lost follows
:mod:`crm_dash.metrics.pipeline.outcomes`. Per open opportunity:

- **next step**: ``next_step`` is not blank;
- **overdue** ("close date passed"): ``close_date`` before ``as_of``;
- **stale** ("not updated for 30 days"): the last touch, the later of ``last_modified_at`` and
  ``last_activity_at`` (``created_at`` when neither is known), lies more than 30 days before
  ``as_of``; without any of the three it is not stale;
- **missing amount**: ``amount`` empty or 0;
- **hygiene score**: 100 minus the penalties of :data:`PENALTIES` (30 + 30 + 25 + 15 = 100).

Owners are matched to the roster by id (``owner_key = users.user_key``), else e-mail, else by name
when that name is unique in the roster ("Müller, Jürgen" is "Jürgen Müller"). Heavy work is SQL;
Python only sums one row per owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import duckdb
import pandas as pd

from crm_dash.metrics.pipeline.outcomes import (
    CLASSIFIED_CTE,
    outcome_params,
    stage_keys,
    stage_outcomes,
)
from crm_dash.months import add_months, last_day_of_month

#: Hygiene reasons, in the order of their weight (ties in a ranking keep this order).
REASONS: tuple[str, ...] = ("no_next_step", "overdue", "stale", "no_amount")
#: Points an open opportunity loses per reason; they add up to 100.
PENALTIES: dict[str, int] = {"no_next_step": 30, "overdue": 30, "stale": 25, "no_amount": 15}
STALE_DAYS = 30
WIN_RATE_MONTHS = 12
#: The owner count columns behind each reason.
REASON_COUNTS: dict[str, str] = {"no_next_step": "without_next_step", "overdue": "overdue",
                                 "stale": "stale", "no_amount": "missing_amount"}

# Names compare lower-case, "Last, First" read as "First Last" ("Müller, Jürgen").
_FACTS_CTE = r""",
roster AS (
    SELECT user_key, lower(trim(email)) AS email_key,
           lower(trim(regexp_replace(trim(name), '^([^,]+),\s*(.+)$', '\2 \1'))) AS name_key,
           count(*) OVER (PARTITION BY lower(trim(regexp_replace(trim(name), '^([^,]+),\s*(.+)$',
                                                                   '\2 \1')))) AS same_name
    FROM users
),
owner_refs AS (
    SELECT owner_key, min(trim(owner)) AS owner FROM opportunities GROUP BY owner_key
),
candidates AS (
    SELECT o.owner_key, r.user_key, 1 AS rank, 'id' AS matched_by
    FROM owner_refs o JOIN roster r ON r.user_key = o.owner_key
    UNION ALL
    SELECT o.owner_key, r.user_key, 2, 'email'
    FROM owner_refs o JOIN roster r ON r.email_key = lower(trim(o.owner_key))
    UNION ALL
    SELECT o.owner_key, r.user_key, 3, 'name'
    FROM owner_refs o JOIN roster r
         ON r.name_key = lower(trim(regexp_replace(trim(o.owner), '^([^,]+),\s*(.+)$', '\2 \1')))
        AND r.same_name = 1
),
matched AS (
    SELECT owner_key, user_key, matched_by FROM candidates
    QUALIFY row_number() OVER (PARTITION BY owner_key ORDER BY rank, user_key) = 1
),
flagged AS (
    SELECT c.*, m.user_key, m.matched_by,
           CASE WHEN m.user_key IS NULL THEN c.owner_key END AS unmatched_key,
           c.outcome = 'open' AS is_open,
           nullif(trim(c.next_step), '') IS NOT NULL AS has_next_step,
           coalesce(c.close_date < CAST($as_of AS DATE), false) AS overdue,
           coalesce(CAST(coalesce(greatest(c.last_modified_at, c.last_activity_at), c.created_at)
                         AS DATE) < CAST($as_of AS DATE) - CAST($stale_days AS INTEGER), false)
               AS stale,
           coalesce(c.amount, 0) = 0 AS missing_amount,
           c.outcome IN ('won', 'lost')
               AND (c.close_date IS NULL OR c.close_date > CAST($window_start AS DATE))
               AS closed_in_window
    FROM classified c LEFT JOIN matched m USING (owner_key)
),
facts AS (
    SELECT *,
           100 - CASE WHEN has_next_step THEN 0 ELSE $p_next END
               - CASE WHEN overdue THEN $p_overdue ELSE 0 END
               - CASE WHEN stale THEN $p_stale ELSE 0 END
               - CASE WHEN missing_amount THEN $p_amount ELSE 0 END AS score
    FROM flagged
)
"""

_OWNERS_SQL = "WITH " + CLASSIFIED_CTE + _FACTS_CTE + """
SELECT f.user_key, f.unmatched_key, min(f.owner) AS owner, min(f.matched_by) AS matched_by,
       any_value(u.name) AS name, any_value(u.email) AS email,
       any_value(u.department) AS department,
       count(*) AS opportunities,
       count(*) FILTER (WHERE is_open) AS open,
       count(*) FILTER (WHERE is_open AND has_next_step) AS with_next_step,
       count(*) FILTER (WHERE is_open AND NOT has_next_step) AS without_next_step,
       count(*) FILTER (WHERE is_open AND overdue) AS overdue,
       count(*) FILTER (WHERE is_open AND stale) AS stale,
       count(*) FILTER (WHERE is_open AND missing_amount) AS missing_amount,
       coalesce(sum(score) FILTER (WHERE is_open), 0) AS score_sum,
       count(*) FILTER (WHERE outcome = 'won') AS won,
       count(*) FILTER (WHERE outcome = 'lost') AS lost,
       count(*) FILTER (WHERE outcome = 'won' AND closed_in_window) AS won_12m,
       count(*) FILTER (WHERE outcome = 'lost' AND closed_in_window) AS lost_12m
FROM facts f LEFT JOIN users u ON u.user_key = f.user_key
GROUP BY f.user_key, f.unmatched_key
ORDER BY lower(coalesce(any_value(u.name), min(f.owner)))
"""

_VALUES_SQL = "WITH " + CLASSIFIED_CTE + _FACTS_CTE + """
SELECT user_key, unmatched_key, coalesce(upper(trim(currency)), '') AS currency,
       count(*) AS open, CAST(coalesce(sum(amount), 0) AS DOUBLE) AS open_value
FROM facts WHERE is_open
GROUP BY ALL
"""

_EMPTY_FIELDS_SQL = """
SELECT count(nullif(trim(next_step), '')), count(close_date),
       count(coalesce(last_modified_at, last_activity_at, created_at)), count(amount)
FROM opportunities
"""
_FIELDS: tuple[str, ...] = ("next_step", "close_date", "last_touch", "amount")
#: The field each figure needs; without a value in any opportunity the figure is unknown (the
#: hygiene score needs all four). ``last_touch`` is last modified, last activity or created.
FIGURE_NEEDS: dict[str, tuple[str, ...]] = {
    "next_step": ("next_step",), "overdue": ("close_date",), "stale": ("last_touch",),
    "missing_amount": ("amount",), "open_value": ("amount",), "hygiene_score": _FIELDS,
    # the 12-month window is read from close dates: without any, it cannot be drawn
    "win_rate": ("close_date",),
}
#: The export's field behind each of :data:`_FIELDS` (for saying why it is missing).
SOURCE_FIELD: dict[str, str] = {"next_step": "next_step", "close_date": "close_date",
                                "last_touch": "last_modified_at", "amount": "amount"}


def unknown_figures(empty_fields: tuple[str, ...] | list[str]) -> list[str]:
    """The figures of :data:`FIGURE_NEEDS` that cannot be computed without ``empty_fields``."""
    return [f for f, needs in FIGURE_NEEDS.items() if set(needs) & set(empty_fields)]

AsOfSource = Literal["given", "last_modified", "imported"]


def default_as_of(conn: duckdb.DuckDBPyConnection) -> tuple[date, AsOfSource] | None:
    """The reference date of the snapshot: the latest ``last_modified_at`` in it, else the
    import date of the latest pipeline upload; ``None`` without pipeline data."""
    cur = conn.cursor()
    row = cur.execute(
        "SELECT CAST(max(last_modified_at) AS DATE), count(*) FROM opportunities"
    ).fetchone()
    if row is None or not row[1]:
        return None
    if row[0] is not None:
        return row[0], "last_modified"
    imported = cur.execute(
        "SELECT CAST(imported_at AS DATE) FROM import_batches WHERE kind = 'pipeline'"
        " AND batch_id IN (SELECT batch_id FROM opportunities) ORDER BY batch_id DESC LIMIT 1"
    ).fetchone()
    assert imported is not None
    return imported[0], "imported"


@dataclass(frozen=True)
class PipelineData:
    """One row per owner (``owners``) and per owner and currency (``values``), as of a date.

    ``owners``: user_key (``None`` for an owner not in the roster), unmatched_key (the owner
    reference when not in the roster), owner (as exported), matched_by (id, email, name or
    ``None``), name, email, department (roster), opportunities, open, with_next_step,
    without_next_step, overdue, stale, missing_amount (counts of open opportunities), score_sum
    (sum of the open opportunities' hygiene scores), won, lost, won_12m, lost_12m.
    ``values``: user_key, unmatched_key, currency (``""`` when none given), open, open_value.
    """

    as_of: date
    as_of_source: AsOfSource
    owners: pd.DataFrame
    values: pd.DataFrame
    empty_fields: tuple[str, ...]  # hygiene fields without a value in any opportunity


def pipeline_data(
    conn: duckdb.DuckDBPyConnection, as_of: date | None = None
) -> PipelineData | None:
    """The per-owner figures of the latest snapshot as of ``as_of`` (default: see
    :func:`default_as_of`); ``None`` when there is no pipeline data."""
    default = default_as_of(conn)
    if default is None:
        return None
    source: AsOfSource = "given"
    if as_of is None:
        as_of, source = default
    params: dict[str, Any] = {
        **outcome_params(stage_outcomes(conn), stage_keys(conn)),
        "as_of": as_of,
        "stale_days": STALE_DAYS,
        "window_start": _months_before(as_of, WIN_RATE_MONTHS),
        "p_next": PENALTIES["no_next_step"], "p_overdue": PENALTIES["overdue"],
        "p_stale": PENALTIES["stale"], "p_amount": PENALTIES["no_amount"],
    }
    cur = conn.cursor()
    owners = cur.execute(_OWNERS_SQL, params).df()
    values = cur.execute(_VALUES_SQL, params).df()
    counts = cur.execute(_EMPTY_FIELDS_SQL).fetchone()
    assert counts is not None
    empty = tuple(f for f, n in zip(_FIELDS, counts, strict=True) if not n)
    return PipelineData(as_of, source, owners, values, empty)


def _months_before(day: date, months: int) -> date:
    """``day`` minus whole calendar months (31 March minus 1 month is 28/29 February)."""
    month = add_months(day, -months)
    return month.replace(day=min(day.day, last_day_of_month(month).day))


def in_department(data: PipelineData, department: str | Sequence[str] | None) -> PipelineData:
    """``data`` restricted to the owners of one roster department, or of several (an
    executive's "Other"); ``None``: everyone."""
    if department is None:
        return data
    chosen = [department] if isinstance(department, str) else list(department)
    owners = data.owners[data.owners["department"].isin(chosen)]
    keys = set(owners["user_key"])
    values = data.values[data.values["user_key"].isin(keys)]
    return PipelineData(data.as_of, data.as_of_source, owners, values, data.empty_fields)
