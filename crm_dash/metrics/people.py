"""Named lists for leads: the people table and who is closest to productive.

Only leads and admins see these (the pages guard that); pseudonyms are applied by the caller
through :mod:`crm_dash.privacy`.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from crm_dash.datasets import DatasetKind
from crm_dash.metrics.adoption import licensed
from crm_dash.metrics.definitions import AdoptionDefinition
from crm_dash.metrics.gaps import field_gap
from crm_dash.metrics.training import LEARNER_PERSONS_CTE, TOOK_PART
from crm_dash.months import last_day_of_month as month_end

# Names, last active day up to the month's end and whether a training was attended by then.
# Training records name a person by id (key) or e-mail (lower-case key), resolved as the
# Training page resolves them (crm_dash.metrics.training).
_PEOPLE_SQL = f"""
WITH {LEARNER_PERSONS_CTE},
trained AS (
    SELECT DISTINCT p.user_key
    FROM training_records r JOIN learner_persons p ON p.ref_key = r.user_key
    WHERE r.date <= $month_end AND {TOOK_PART}
)
SELECT u.user_key, coalesce(u.name, u.user_id) AS name, u.email,
       (SELECT max(a.last_day) FROM activity_months a
        WHERE a.user_key = u.user_key AND a.month <= $month) AS last_active,
       t.user_key IS NOT NULL AS trained
FROM users u
LEFT JOIN trained t ON t.user_key = u.user_key
"""  # noqa: S608 (constants only; values are parameters)

_MATCHED_SQL = f"""
WITH {LEARNER_PERSONS_CTE}
SELECT count(*), count(p.user_key) FROM training_records r
LEFT JOIN learner_persons p ON p.ref_key = r.user_key
"""  # noqa: S608 (constants only)

PEOPLE_COLUMNS: tuple[str, ...] = (
    "name", "email", "department", "team", "role", "segment", "segment_last_month",
    "active_days", "writes", "breadth", "last_active", "trained",
)


def people_table(
    conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, month: date
) -> pd.DataFrame:
    """One row per licensed person in ``month``: who, where, segment now and before, activity.

    ``frame`` is the person-month frame (already filtered by department, team or role).
    Columns: user_key and :data:`PEOPLE_COLUMNS`, sorted by name.
    """
    rows = licensed(frame[frame["month"] == month])
    details = conn.cursor().execute(
        _PEOPLE_SQL, {"month": month, "month_end": month_end(month)}).df()
    out = rows.merge(details, on="user_key", how="left")
    out["last_active"] = pd.to_datetime(out["last_active"]).dt.date
    # Unknown, not "no": records whose learners nobody on the roster matches say nothing about
    # who is trained, and a log without an area column nothing about breadth.
    out["trained"] = out["trained"].astype(object)
    if _learners_unmatched(conn):
        out["trained"] = None
    out["breadth"] = out["breadth"].astype(object)
    if field_gap(conn, DatasetKind.USAGE, "object") is not None:
        out["breadth"] = None
    out = out[["user_key", *PEOPLE_COLUMNS]]
    return out.sort_values("name", key=lambda s: s.str.lower()).reset_index(drop=True)


def _learners_unmatched(conn: duckdb.DuckDBPyConnection) -> bool:
    """Training records exist and not one of their learners is on the roster."""
    row = conn.cursor().execute(_MATCHED_SQL).fetchone()
    return row is not None and row[0] > 0 and row[1] == 0


def close_to_productive(
    people: pd.DataFrame, definition: AdoptionDefinition, limit: int = 15
) -> pd.DataFrame:
    """The people nearest the productive threshold, where help pays off first.

    Everyone not productive but with some activity this month (sporadic, barely, new) is ranked
    by how far they are from both thresholds, each gap measured relative to its threshold:
    ``missing_days / min_days + missing_writes / min_writes``. Adds the columns
    ``missing_days``, ``missing_writes`` and ``gap``.
    """
    candidates = people[
        people["segment"].isin(["sporadic", "barely", "new"]) & (people["active_days"] > 0)
    ].copy()
    days, writes = definition.productive_min_active_days, definition.productive_min_writes
    candidates["missing_days"] = (days - candidates["active_days"]).clip(lower=0)
    candidates["missing_writes"] = (writes - candidates["writes"]).clip(lower=0)
    candidates["gap"] = candidates["missing_days"] / days + (
        candidates["missing_writes"] / writes if writes else 0.0
    )
    ranked = candidates.sort_values(["gap", "active_days", "name"],
                                    ascending=[True, False, True])
    return ranked.head(limit).reset_index(drop=True)
