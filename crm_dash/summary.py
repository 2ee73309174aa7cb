"""What the database holds: rows, batches and date range per dataset (the Overview's inventory)."""

from __future__ import annotations

from datetime import date

import duckdb
from pydantic import BaseModel

from crm_dash.datasets import DatasetKind
from crm_dash.db import is_demo


class DatasetSummary(BaseModel):
    """Inventory of one dataset."""

    kind: DatasetKind
    rows: int
    batches: int
    first: date | None
    last: date | None


class DataSummary(BaseModel):
    """Inventory of the whole database."""

    datasets: list[DatasetSummary]
    people: int
    integration_accounts: int
    departments: int
    is_demo: bool

    @property
    def is_empty(self) -> bool:
        return all(d.rows == 0 for d in self.datasets)

    def dataset(self, kind: DatasetKind) -> DatasetSummary:
        return next(d for d in self.datasets if d.kind == kind)


# Per dataset: row count, and the column whose range tells the period the data covers.
_INVENTORY_SQL = """
SELECT 'users' AS kind, count(*) AS n_rows, min(start_date) AS first, max(start_date) AS last
FROM users
UNION ALL
SELECT 'usage', count(*), min(ts)::DATE, max(ts)::DATE FROM usage_events
UNION ALL
SELECT 'pipeline', count(*), min(created_at)::DATE, max(created_at)::DATE FROM opportunities
UNION ALL
SELECT 'training', count(*), min(date), max(date) FROM training_records
"""


def data_summary(conn: duckdb.DuckDBPyConnection) -> DataSummary:
    """Rows, batches and date range per dataset, plus the people in the roster."""
    cur = conn.cursor()
    inventory = cur.execute(_INVENTORY_SQL).fetchall()
    batches = dict(
        cur.execute("SELECT kind, count(*) FROM import_batches GROUP BY kind").fetchall()
    )
    people_row = cur.execute(
        "SELECT count(*) FILTER (WHERE NOT is_integration), count(*) FILTER (WHERE is_integration),"
        " count(DISTINCT department) FILTER (WHERE NOT is_integration) FROM users"
    ).fetchone()
    assert people_row is not None
    return DataSummary(
        datasets=[
            DatasetSummary(
                kind=DatasetKind(kind), rows=int(n), batches=int(batches.get(kind, 0)),
                first=first, last=last,
            )
            for kind, n, first, last in inventory
        ],
        people=int(people_row[0]),
        integration_accounts=int(people_row[1]),
        departments=int(people_row[2]),
        is_demo=is_demo(conn),
    )
