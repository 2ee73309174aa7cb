"""Working days and public holidays (pure, no dependency).

A month's usage data is complete when it reaches the month's last working day
(:mod:`crm_dash.metrics.coverage`); which days are working days depends on a holiday calendar,
a setting (``coverage.holidays``). Two calendars exist: German nationwide holidays ("DE", the
default) and none at all ("none").
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Literal

from crm_dash.months import last_day_of_month

HolidayCalendar = Literal["DE", "none"]
HOLIDAY_CALENDARS: tuple[HolidayCalendar, ...] = ("DE", "none")


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` in the Gregorian calendar (the anonymous algorithm, also known
    as Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def public_holidays(year: int, calendar: HolidayCalendar = "DE") -> frozenset[date]:
    """The public holidays of ``year`` in ``calendar``.

    "DE": the nine holidays of every German state: Neujahr, Karfreitag, Ostermontag, 1. Mai,
    Christi Himmelfahrt, Pfingstmontag, Tag der Deutschen Einheit, 1. and 2. Weihnachtstag.
    """
    if calendar == "none":
        return frozenset()
    easter = easter_sunday(year)
    return frozenset({
        date(year, 1, 1),  # Neujahr
        easter - timedelta(days=2),  # Karfreitag
        easter + timedelta(days=1),  # Ostermontag
        date(year, 5, 1),  # Tag der Arbeit
        easter + timedelta(days=39),  # Christi Himmelfahrt
        easter + timedelta(days=50),  # Pfingstmontag
        date(year, 10, 3),  # Tag der Deutschen Einheit
        date(year, 12, 25),
        date(year, 12, 26),
    })


def is_working_day(day: date, calendar: HolidayCalendar = "DE") -> bool:
    """Monday to Friday and not a public holiday of ``calendar``."""
    return day.weekday() < 5 and day not in public_holidays(day.year, calendar)


def last_working_day(month: date, calendar: HolidayCalendar = "DE") -> date:
    """The last working day of ``month``'s month."""
    day = last_day_of_month(month)
    while not is_working_day(day, calendar):
        day -= timedelta(days=1)
    return day


def as_calendar(value: object) -> HolidayCalendar:
    """A stored setting value as a calendar; anything unknown reads as the default, "DE"."""
    return "none" if value == "none" else "DE"
