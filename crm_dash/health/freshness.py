"""Getting started and staying current: per dataset, whether it is loaded, for which period, and
whether it is out of date; and whether a month of the usage log is missing.

Read from the data-health report (:class:`crm_dash.health.findings.HealthReport`), so the
checklist on the Overview and the Data health page never count anything twice. The usage log's
months follow the one coverage rule (:mod:`crm_dash.metrics.coverage`). No Streamlit here.

The "out of date" rules (documented in docs/getting-started.md):

- usage: the latest complete month is older than last month;
- roster: its date (the export's own date, else the upload's) lies before the newest usage month;
- pipeline: the newest snapshot (export date, else upload date) is more than 35 days old;
- training: never out of date, only missing.

"Missing": when today is more than :data:`USAGE_GRACE_DAYS` days after the end of month M and M
is not complete, M's usage log is missing (with every month between the latest complete one
and M).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from crm_dash.datasets import DatasetKind
from crm_dash.health.findings import DatasetHealth, HealthReport
from crm_dash.months import add_months, first_of_month, last_day_of_month

#: Days after a month's end before its usage log counts as missing.
USAGE_GRACE_DAYS = 7
#: Age in days after which the newest pipeline snapshot is out of date.
PIPELINE_MAX_AGE_DAYS = 35
#: The order a lead loads them in: the roster is the denominator, usage the numerator.
ORDER: tuple[DatasetKind, ...] = (
    DatasetKind.USERS, DatasetKind.USAGE, DatasetKind.TRAINING, DatasetKind.PIPELINE)

State = Literal["missing", "loaded", "out_of_date"]


@dataclass(frozen=True)
class DatasetState:
    """One line of the checklist.

    ``first``/``last``: the period covered (usage: first and latest complete month; training:
    first and last session; roster and pipeline: ``last`` is the day of the snapshot).
    ``due``: for an out-of-date dataset, what it would need to reach (usage: last month;
    roster: the newest usage month; pipeline: the day it became out of date).
    """

    kind: DatasetKind
    state: State
    rows: int
    first: date | None = None
    last: date | None = None
    due: date | None = None


@dataclass(frozen=True)
class MissingUsage:
    """The months of the usage log that should be there and are not (``first`` to ``last``).

    ``asked``: the coverage rule cannot decide ``last`` and asks a lead whether the loaded
    export covers it (a "yes" makes it complete and ends the notice).
    """

    first: date
    last: date
    asked: bool = False


@dataclass(frozen=True)
class Checklist:
    """The four datasets in loading order, and a missing month of the usage log."""

    today: date
    items: tuple[DatasetState, ...]
    missing_usage: MissingUsage | None

    @property
    def done(self) -> bool:
        """Everything loaded and current: the checklist folds into one line."""
        return all(item.state == "loaded" for item in self.items)

    @property
    def empty(self) -> bool:
        return all(item.state == "missing" for item in self.items)

    def item(self, kind: DatasetKind) -> DatasetState:
        return next(i for i in self.items if i.kind == kind)


def snapshot_day(dataset: DatasetHealth) -> date | None:
    """The day a snapshot (roster, pipeline) shows: its export's own date, else the upload's."""
    if dataset.export_date is not None:
        return dataset.export_date
    return None if dataset.uploaded_at is None else dataset.uploaded_at.date()


def latest_complete_month(usage: DatasetHealth) -> date | None:
    """The latest month of the usage log proven complete; ``None`` while none is."""
    coverage = usage.coverage
    if coverage is None or coverage.reason is None:
        return None
    return coverage.latest_complete


def due_usage_month(today: date) -> date:
    """The latest month M whose end lies more than the grace days before ``today``."""
    month = add_months(first_of_month(today), -1)
    while last_day_of_month(month) + timedelta(days=USAGE_GRACE_DAYS) >= today:
        month = add_months(month, -1)
    return month


def missing_usage(usage: DatasetHealth, today: date) -> MissingUsage | None:
    """The usage months that are due and not complete; ``None`` when nothing is due yet or the
    usage log was never loaded (the checklist says that)."""
    if not usage.rows or usage.coverage is None:
        return None
    due = due_usage_month(today)
    complete = latest_complete_month(usage)
    if complete is not None and complete >= due:
        return None
    first = add_months(complete, 1) if complete is not None else usage.coverage.first
    if first > due:  # the data starts after the due month: nothing before it is missing
        return None
    return MissingUsage(first, due, asked=usage.coverage.open_question == due)


def _usage(dataset: DatasetHealth, today: date) -> DatasetState:
    last_month = add_months(first_of_month(today), -1)
    complete = latest_complete_month(dataset)
    first = dataset.coverage.first if dataset.coverage else None
    stale = complete is None or complete < last_month
    return DatasetState(dataset.kind, "out_of_date" if stale else "loaded", dataset.rows,
                        first=first, last=complete, due=last_month if stale else None)


def _roster(dataset: DatasetHealth, usage: DatasetHealth) -> DatasetState:
    day = snapshot_day(dataset)
    newest_usage = usage.last_month if usage.rows else None
    stale = day is not None and newest_usage is not None and first_of_month(day) < newest_usage
    return DatasetState(dataset.kind, "out_of_date" if stale else "loaded", dataset.rows,
                        last=day, due=newest_usage if stale else None)


def _pipeline(dataset: DatasetHealth, today: date) -> DatasetState:
    day = snapshot_day(dataset)
    stale = day is not None and (today - day).days > PIPELINE_MAX_AGE_DAYS
    due = day + timedelta(days=PIPELINE_MAX_AGE_DAYS) if day is not None else None
    return DatasetState(dataset.kind, "out_of_date" if stale else "loaded", dataset.rows,
                        last=day, due=due if stale else None)


def checklist(report: HealthReport) -> Checklist:
    """The getting-started checklist as of the report's day."""
    today = report.today
    usage = report.dataset(DatasetKind.USAGE)
    items: list[DatasetState] = []
    for kind in ORDER:
        dataset = report.dataset(kind)
        if not dataset.rows:
            items.append(DatasetState(kind, "missing", 0))
        elif kind == DatasetKind.USAGE:
            items.append(_usage(dataset, today))
        elif kind == DatasetKind.USERS:
            items.append(_roster(dataset, usage))
        elif kind == DatasetKind.PIPELINE:
            items.append(_pipeline(dataset, today))
        else:  # training: never out of date, only missing
            items.append(DatasetState(kind, "loaded", dataset.rows, first=dataset.first,
                                      last=dataset.last))
    return Checklist(today, tuple(items), missing_usage(usage, today))
