"""Which months the usage data covers completely: one rule for every page and command.

A month M is complete when it ended before today and any of these holds:

1. ``later_events``: usage events exist after M ended;
2. ``last_working_day``: the usage data reaches M's last working day (Monday to Friday and not a
   public holiday of the calendar in the setting ``coverage.holidays``);
3. ``export_date``: a usage batch whose events reach into M carries a date after M ended (a
   title line, a report footer or its file name: ``import_batches.export_date``). The upload
   time alone proves nothing: an export taken on the 15th may be uploaded weeks later;
4. ``answer``: a lead answered "yes" to "Does this export cover all of M?"
   (setting ``coverage.answers``).

Months before a complete month are complete. A lead's "data complete up to" (setting
``coverage.complete_until``, reason ``setting``) overrides the rule in both directions, within
the months that have data. When no month is complete yet, the latest complete month is the last
month with data (``reason`` is ``None``): the pages still show what there is.

Where the rule cannot decide (the last month with data has ended, nothing proves it complete, no
one has answered), :attr:`Coverage.open_question` names that month, so the UI can ask a lead once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import duckdb

from crm_dash.metrics.activity import activity_span, refresh_activity
from crm_dash.metrics.definitions import AdoptionDefinition
from crm_dash.months import add_months, first_of_month, last_day_of_month
from crm_dash.settings import get_setting, set_setting
from crm_dash.workdays import HolidayCalendar, as_calendar, last_working_day

CoverageReason = Literal["later_events", "last_working_day", "export_date", "answer", "setting"]
COVERAGE_REASONS: tuple[CoverageReason, ...] = (
    "later_events", "last_working_day", "export_date", "answer", "setting")


@dataclass(frozen=True)
class BatchSpan:
    """A usage batch that carries its own export date: first and last local day of its events."""

    export_date: date
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Coverage:
    """The months of the usage data and why the latest complete one counts as complete."""

    first: date  # first month with data
    latest_complete: date
    last: date  # last month with data
    # Which of the five rules makes ``latest_complete`` complete; ``None`` when no month is
    # complete yet and ``latest_complete`` is simply the last month with data.
    reason: CoverageReason | None
    # The month that ended before today, has data, and that the rule cannot decide and no lead
    # has answered yet; ``None`` when there is nothing to ask.
    open_question: date | None
    first_day: date  # first local day with a successful event
    last_day: date  # last local day with a successful event
    calendar: HolidayCalendar = "DE"
    batches: tuple[BatchSpan, ...] = field(default=(), repr=False)

    @property
    def months(self) -> tuple[date, date, date]:
        """``(first, latest_complete, last)``, the shape :func:`available_months` returns."""
        return self.first, self.latest_complete, self.last

    @property
    def question_last_working_day(self) -> date | None:
        """The last working day of the open question's month (what the data would have to
        reach), for the question's text."""
        if self.open_question is None:
            return None
        return last_working_day(self.open_question, self.calendar)


def month_key(month: date) -> str:
    """``YYYY-MM``, the form months take in the coverage settings."""
    return f"{month:%Y-%m}"


def parse_month_key(value: object) -> date | None:
    """A ``YYYY-MM`` setting value as the month's first day; ``None`` for "" or anything else."""
    if not isinstance(value, str) or len(value) != 7 or value[4] != "-":
        return None
    try:
        return date(int(value[:4]), int(value[5:]), 1)
    except ValueError:
        return None


def _complete_by(
    month: date, today: date, last_day: date, calendar: HolidayCalendar,
    batches: Iterable[BatchSpan], answers: Mapping[date, bool],
) -> CoverageReason | None:
    """Why ``month`` is complete by rules 1 to 4, or ``None`` when they do not say so."""
    month_end = last_day_of_month(month)
    if month_end >= today:
        return None
    if last_day > month_end:
        return "later_events"
    if last_day >= last_working_day(month, calendar):
        return "last_working_day"
    if any(b.export_date > month_end and b.first_day <= month_end and b.last_day >= month
           for b in batches):
        return "export_date"
    if answers.get(month) is True:
        return "answer"
    return None


def decide_coverage(
    first_day: date, last_day: date, today: date, *, calendar: HolidayCalendar = "DE",
    batches: Iterable[BatchSpan] = (), answers: Mapping[date, bool] | None = None,
    complete_until: date | None = None,
) -> Coverage:
    """The coverage of usage data from ``first_day`` to ``last_day`` (local days) as of
    ``today`` (pure: the rule of this module on plain values)."""
    spans = tuple(batches)
    by_month = {first_of_month(m): a for m, a in (answers or {}).items()}
    first, last = first_of_month(first_day), first_of_month(last_day)

    def coverage(latest: date, reason: CoverageReason | None, question: date | None) -> Coverage:
        return Coverage(first=first, latest_complete=latest, last=last, reason=reason,
                        open_question=question, first_day=first_day, last_day=last_day,
                        calendar=calendar, batches=spans)

    if complete_until is not None:
        return coverage(min(max(first_of_month(complete_until), first), last), "setting", None)
    latest: date = last
    reason: CoverageReason | None = None
    month = last
    while month >= first:
        reason = _complete_by(month, today, last_day, calendar, spans, by_month)
        if reason is not None:
            latest = month
            break
        month = add_months(month, -1)
    # Only the last month with data can be undecided: every month before it has events after it.
    undecided = (last_day_of_month(last) < today and not (latest == last and reason is not None)
                 and last not in by_month)
    return coverage(latest, reason, last if undecided else None)


# Per usage batch that carries an export date: the first and last instant of its events, turned
# into local days afterwards (the conversion keeps the order, so min/max commute with it).
_BATCH_SPANS_SQL = """
SELECT export_date,
       CAST(timezone(?, CAST(first_ts AS TIMESTAMPTZ)) AS DATE),
       CAST(timezone(?, CAST(last_ts AS TIMESTAMPTZ)) AS DATE)
FROM (
    SELECT b.export_date, min(e.ts) AS first_ts, max(e.ts) AS last_ts
    FROM import_batches b JOIN usage_events e ON e.batch_id = b.batch_id
    WHERE b.kind = 'usage' AND b.export_date IS NOT NULL
    GROUP BY b.batch_id, b.export_date
)
"""


def batch_spans(conn: duckdb.DuckDBPyConnection, time_zone: str) -> list[BatchSpan]:
    """The usage batches that carry an export date, with the local days their events span."""
    rows = conn.cursor().execute(_BATCH_SPANS_SQL, [time_zone, time_zone]).fetchall()
    return [BatchSpan(row[0], row[1], row[2]) for row in rows]


def stored_answers(conn: duckdb.DuckDBPyConnection) -> dict[date, bool]:
    """Leads' answers to "does the export cover all of M?", by month."""
    raw = get_setting(conn, "coverage.answers")
    answers: dict[date, bool] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            month = parse_month_key(key)
            if month is not None and isinstance(value, bool):
                answers[month] = value
    return answers


def data_coverage(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, today: date
) -> Coverage | None:
    """The coverage of the stored usage data as of ``today``; ``None`` without any usage data."""
    refresh_activity(conn, definition.time_zone)
    span = activity_span(conn)
    if span is None:
        return None
    first_day, last_day = span
    calendar = as_calendar(get_setting(conn, "coverage.holidays"))
    complete_until = parse_month_key(get_setting(conn, "coverage.complete_until"))
    answers = stored_answers(conn)
    last_month = first_of_month(last_day)
    # Export dates can only decide the last month with data (earlier ones have later events);
    # reading the batches costs a pass over the events, so only when they might.
    needs_batches = (complete_until is None and last_day_of_month(last_month) < today
                     and last_day < last_working_day(last_month, calendar))
    batches = batch_spans(conn, definition.time_zone) if needs_batches else []
    return decide_coverage(first_day, last_day, today, calendar=calendar, batches=batches,
                           answers=answers, complete_until=complete_until)


def answer_question(
    conn: duckdb.DuckDBPyConnection, month: date, covers: bool, *, actor: str
) -> bool:
    """Store a lead's answer for ``month`` (a new version of ``coverage.answers``: who and when
    are kept); False when that answer was stored already."""
    answers = dict(get_setting(conn, "coverage.answers"))
    answers[month_key(month)] = covers
    return set_setting(conn, "coverage.answers", answers, actor=actor)


def set_complete_until(
    conn: duckdb.DuckDBPyConnection, month: date | None, *, actor: str
) -> bool:
    """Set (a month) or clear (``None``: the data decides) "data complete up to"."""
    return set_setting(conn, "coverage.complete_until",
                       "" if month is None else month_key(month), actor=actor)
