"""Calendar-month arithmetic shared by the metrics, the goals and the command line (pure)."""

from __future__ import annotations

from datetime import date, timedelta


def first_of_month(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    """First day of the month ``n`` months after ``month``'s month (``n`` may be negative)."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def last_day_of_month(month: date) -> date:
    """The last day of ``month``'s month."""
    return add_months(month, 1) - timedelta(days=1)


def months_between(first: date, second: date) -> int:
    """How many months ``second``'s month lies after ``first``'s month."""
    return (second.year - first.year) * 12 + second.month - first.month


def month_range(first: date, last: date) -> list[date]:
    """First days of every month from ``first``'s month to ``last``'s month, inclusive."""
    return [add_months(first, i) for i in range(months_between(first, last) + 1)]


def last_complete_month(today: date) -> date:
    """First day of the month before ``today``'s month: the latest month that is over."""
    return add_months(first_of_month(today), -1)


def parse_month(text: str) -> date:
    """The first day of the calendar month ``text`` names as ``YYYY-MM`` (``2026-3`` too).

    The one reading of a month typed by a person (the command line's ``--month``, ``--as-of``,
    ``--end-month``). Raises :class:`ValueError` with the message ``expected YYYY-MM, got
    '...'`` for anything else, a day included (``2026-03-01``) or a month that does not exist.
    """
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f"expected YYYY-MM, got {text!r}") from None
