"""Usage events: the activity plan spelled out as logins, page views and API calls.

People work on working days between 07:00 and 19:00 Berlin time (a few sessions near midnight);
timestamps are kept as UTC epoch milliseconds, so summer and winter time shift them by an hour.
Integration accounts call the API around the clock and must never count as people.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd

from crm_dash.demo.activity import ActivityPlan, MonthPlan
from crm_dash.demo.common import DemoCalendar, berlin_midnight_utc_ms, epoch_ms
from crm_dash.demo.roster import Person

LOGIN, VIEW, API = "login", "view", "api"


class Event(NamedTuple):
    """One usage event. ``channel`` says which event log file it belongs to."""

    ts_ms: int
    person: int
    channel: str
    action: str
    object: str | None
    success: bool = True


_HOUR = 3600
_WORK_START = (7 * _HOUR, 10 * _HOUR + 1800)
_WORK_END = (16 * _HOUR, 19 * _HOUR - 1)


def _session_window(rng: random.Random) -> tuple[int, int]:
    """Local seconds of day a working session spans; rarely a late one near midnight."""
    roll = rng.random()
    if roll < 0.006:
        return 22 * _HOUR + 1800, 24 * _HOUR - 1
    if roll < 0.010:
        return 300, 3000
    return rng.randint(*_WORK_START), rng.randint(*_WORK_END)


def _day_actions(
    rng: random.Random, person: Person, segment: str, writes: int
) -> list[tuple[str, str, str | None]]:
    """(channel, action, object) of one active day, login first, in no particular order after."""
    objects, weights = person.objects, person.object_weights
    n_views = {"productive": (2, 7), "sporadic": (1, 4), "barely": (1, 3)}[segment]
    actions: list[tuple[str, str, str | None]] = [
        (VIEW, "view", obj) for obj in rng.choices(objects, weights, k=rng.randint(*n_views))
    ]
    for obj in rng.choices(objects, weights, k=writes):
        actions.append((API, "create" if rng.random() < 0.35 else "update", obj))
    if rng.random() < (0.15 if segment == "barely" else 0.06):  # lists for a private Excel file
        actions.append((API, "export", rng.choice(("Account", "Contact", "Opportunity", "Report"))))
    if segment == "productive" and rng.random() < 0.03:
        actions.append((API, "delete", rng.choices(objects, weights, k=1)[0]))
    if segment == "productive" and rng.random() < 0.25:
        actions.append((LOGIN, "login", None))  # the session timed out over lunch
    rng.shuffle(actions)
    return [(LOGIN, "login", None), *actions]


def _person_day(
    rng: random.Random, person: Person, day_ms: int, segment: str, writes: int, out: list[Event]
) -> None:
    actions = _day_actions(rng, person, segment, writes)
    start, end = _session_window(rng)
    span = max(end - start - 60, len(actions))
    seconds = [start, *sorted(start + 60 + s for s in rng.sample(range(span), len(actions) - 1))]
    if rng.random() < 0.03:  # a typo in the password first
        typo_ms = day_ms + (start - rng.randint(20, 120)) * 1000 + rng.randrange(1000)
        out.append(Event(typo_ms, person.index, LOGIN, "login", None, False))
    for second, (channel, action, obj) in zip(seconds, actions, strict=True):
        out.append(Event(day_ms + second * 1000 + rng.randrange(1000), person.index, channel,
                         action, obj))


def _person_month(
    rng: random.Random, person: Person, cell: MonthPlan, midnight: dict[date, int],
    out: list[Event],
) -> None:
    segment = cell.segment
    writes_per_day = [0] * len(cell.active_days)
    for _ in range(cell.writes):
        writes_per_day[rng.randrange(len(cell.active_days))] += 1
    for day, writes in zip(cell.active_days, writes_per_day, strict=True):
        _person_day(rng, person, midnight[day], segment, writes, out)
    for day in cell.failed_login_days:
        second = rng.randint(8 * _HOUR, 17 * _HOUR)
        for attempt in range(rng.randint(1, 3)):
            ts = midnight[day] + (second + 40 * attempt) * 1000 + rng.randrange(1000)
            out.append(Event(ts, person.index, LOGIN, "login", None, False))


# Integration accounts: first run (UTC hour), hours between runs, weekdays only, the calls a run
# makes as (action, object), and how many calls a run makes.
_Job = tuple[float, float, bool, tuple[tuple[str, str], ...], tuple[int, int]]
_INTEGRATION_JOBS: dict[str, _Job] = {
    "sap": (5.0, 0.5, True, (("update", "Account"), ("update", "Opportunity"),
                             ("create", "Activity"), ("export", "Account")), (2, 4)),
    "marketing": (0.0, 2.0, False, (("export", "Lead"), ("create", "Lead"),
                                    ("update", "Contact")), (2, 4)),
    "dwh": (1.5, 24.0, False, tuple(("export", o) for o in (
        "Account", "Contact", "Opportunity", "Lead", "Activity", "Case")), (8, 14)),
}


def _integration_events(
    rng: random.Random, cal: DemoCalendar, account: Person, out: list[Event]
) -> None:
    first_hour, every, weekdays_only, calls, n_calls = _INTEGRATION_JOBS[account.integration_kind]
    day = cal.first_month
    while day <= cal.last_day:
        if not (weekdays_only and day.weekday() >= 5):
            base = epoch_ms(day)
            hour = first_hour
            last_hour = 19.5 if weekdays_only else 23.9
            while hour <= last_hour:
                ts = base + int(hour * _HOUR * 1000) + rng.randrange(60_000)
                out.append(Event(ts, account.index, LOGIN, "login", None))
                for _ in range(rng.randint(*n_calls)):
                    ts += rng.randint(150, 4000)
                    action, obj = rng.choice(calls)
                    out.append(Event(ts, account.index, API, action, obj))
                hour += every
        day += timedelta(days=1)


def generate_events(
    rng: random.Random, cal: DemoCalendar, people: list[Person], plan: ActivityPlan
) -> list[Event]:
    """Every usage event of the demo, sorted by time."""
    midnight: dict[date, int] = {}
    for month in range(len(cal.months)):
        for day in cal.workdays(month):
            midnight[day] = berlin_midnight_utc_ms(day)
    events: list[Event] = []
    for person in people:
        if person.is_integration:
            _integration_events(rng, cal, person, events)
            continue
        for month in range(len(cal.months)):
            cell = plan.get((person.index, month))
            if cell is not None:
                _person_month(rng, person, cell, midnight, events)
    events.sort(key=lambda e: (e.ts_ms, e.person, e.channel, e.action))
    return events


def usage_frame(
    events: list[Event], people: list[Person], source_action: Callable[[Event], str]
) -> pd.DataFrame:
    """Events with the canonical column names of the ``usage`` dataset (18-character user ids).

    ``source_action`` gives the action as the export file writes it, which the store keeps
    beside the canonical one, as it does for an imported file.
    """
    return pd.DataFrame(
        {
            "user_id": [people[e.person].user_id for e in events],
            "timestamp": pd.to_datetime(pd.Series([e.ts_ms for e in events], dtype="int64"),
                                        unit="ms"),
            "action": [e.action for e in events],
            "source_action": [source_action(e) for e in events],
            "object": [e.object for e in events],
            "success": [e.success for e in events],
        }
    )
