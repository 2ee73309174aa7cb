"""How much each person works in the CRM, month by month: active days and writes.

The plan is drawn before any event exists, so the story (segment mix, the focus department's
training wave) is set here and the event generator only spells it out. Segments follow the app's
default definitions, per calendar month in Europe/Berlin:

* productive: at least 8 active days and at least 5 writes (create or update);
* sporadic: at least 2 active days, not productive;
* barely: at most 1 active day (a failed login is no activity).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from crm_dash.demo.common import (
    CONTRAST_GOAL_MONTHS_BEFORE_END,
    GOAL_MONTHS,
    DemoCalendar,
    last_day_of_month,
)
from crm_dash.demo.roster import CONTRAST_DEPARTMENT, FOCUS_DEPARTMENT, Person, wave_index_of

PRODUCTIVE_MIN_DAYS = 8
PRODUCTIVE_MIN_WRITES = 5
SPORADIC_MIN_DAYS = 2
#: Relative rise of the focus department's productive users the wave produces.
WAVE_UPLIFT = 0.20
#: How much more a trained person uses the CRM in the two months after the wave reached them
#: (on the propensity scale); it fades after that, as enthusiasm after a training does.
WAVE_AFTERGLOW = 0.06
#: Share of the people the wave makes productive who get there within two months of training.
WAVE_QUICK_SHARE = 0.5
#: Productive users the contrast department has lost against its goal's baseline, month by month
#: from the goal's start: flat, then slipping, so its goal is at risk however the dice fall.
CONTRAST_SLIP = (0, 1, 1, 2)

# Monthly level thresholds on the propensity scale (0..1); with evenly spread propensities they
# give about 30 % productive, 20 % sporadic and 50 % barely using people.
_PRODUCTIVE_LEVEL = 0.70
_SPORADIC_LEVEL = 0.50
_NOISE_SD = 0.04
_NOISE_CARRY = 0.6
_JOINER_RAMP = (0.35, 0.20, 0.08)  # level lost in the first months after the start


@dataclass(slots=True)
class MonthPlan:
    """One person's activity in one month."""

    active_days: list[date]
    writes: int
    failed_login_days: list[date]

    @property
    def segment(self) -> str:
        return segment_of(len(self.active_days), self.writes)


def segment_of(active_days: int, writes: int) -> str:
    """The segment of a person-month under the default definitions."""
    if active_days >= PRODUCTIVE_MIN_DAYS and writes >= PRODUCTIVE_MIN_WRITES:
        return "productive"
    if active_days >= SPORADIC_MIN_DAYS:
        return "sporadic"
    return "barely"


#: (person index, month index) → plan; a missing key means no activity at all.
ActivityPlan = dict[tuple[int, int], MonthPlan]


def available_days(cal: DemoCalendar, person: Person, month: int) -> list[date]:
    """Working days of ``month`` on which ``person`` holds a licence."""
    return [d for d in cal.workdays(month) if person.licensed_on(d)]


def _licensed_in(cal: DemoCalendar, person: Person, month: int) -> bool:
    first = cal.months[month]
    last = last_day_of_month(first)
    return person.start_date <= last and (person.end_date is None or person.end_date >= first)


def _levels(rng: random.Random, cal: DemoCalendar, person: Person) -> list[float]:
    """The person's monthly level: stable propensity plus autocorrelated noise."""
    levels: list[float] = []
    noise = rng.gauss(0.0, _NOISE_SD)
    for month in range(len(cal.months)):
        noise = _NOISE_CARRY * noise + rng.gauss(0.0, _NOISE_SD)
        level = person.propensity + noise
        since_start = cal.month_index(person.start_date)
        if person.joiner and 0 <= month - since_start < len(_JOINER_RAMP):
            level -= _JOINER_RAMP[month - since_start]
        if person.end_date is not None and 0 <= cal.month_index(person.end_date) - month <= 1:
            level -= 0.08  # leavers wind down
        levels.append(level)
    return levels


def _draw_month(
    rng: random.Random, person: Person, level: float, days: list[date], *, vacation: bool = True
) -> MonthPlan | None:
    """Active days and writes for one month at ``level``; ``None`` when nothing happens."""
    if person.never_active or not days:
        return None
    if vacation and rng.random() < 0.12 and len(days) > 10:
        cut = rng.randrange(len(days) - 5)
        days = days[:cut] + days[cut + 5:]
    failed: list[date] = []
    if level >= _PRODUCTIVE_LEVEL:
        n_days = PRODUCTIVE_MIN_DAYS + int((level - _PRODUCTIVE_LEVEL) * 30) + rng.randint(0, 2)
        writes = PRODUCTIVE_MIN_WRITES + int((level - _PRODUCTIVE_LEVEL) * 60) + rng.randint(0, 8)
    elif level >= _SPORADIC_LEVEL:
        if rng.random() < 0.2:  # logs in often, reads, hardly writes: a login is not usage
            n_days, writes = rng.randint(8, 11), rng.randint(0, 4)
        else:
            n_days, writes = rng.randint(2, 7), rng.randint(0, 6)
    else:
        n_days = 1 if rng.random() < 0.5 else 0
        writes = rng.randint(1, 3) if n_days and rng.random() < 0.25 else 0
        if rng.random() < 0.06:  # tried once, forgot the password
            failed = [rng.choice(days)]
    n_days = min(n_days, len(days))
    active = sorted(rng.sample(days, n_days))
    failed = [d for d in failed if d not in active]
    if not active and not failed:
        return None
    return MonthPlan(active_days=active, writes=writes if active else 0, failed_login_days=failed)


def productive_count(plan: ActivityPlan, people: list[Person], month: int) -> int:
    """How many of ``people`` are productive in ``month`` under ``plan``."""
    count = 0
    for person in people:
        cell = plan.get((person.index, month))
        if cell is not None and cell.segment == "productive":
            count += 1
    return count


def plan_activity(rng: random.Random, cal: DemoCalendar, people: list[Person]) -> ActivityPlan:
    """Draw every licensed person's months, then play the focus department's training wave."""
    plan: ActivityPlan = {}
    levels: dict[int, list[float]] = {}
    humans = [p for p in people if not p.is_integration]
    for person in humans:
        levels[person.index] = _levels(rng, cal, person)
        for month in range(len(cal.months)):
            if not _licensed_in(cal, person, month):
                continue
            level = levels[person.index][month]
            cell = _draw_month(rng, person, level, available_days(cal, person, month))
            if cell is not None:
                plan[(person.index, month)] = cell
    _play_training_wave(rng, cal, humans, plan, levels)
    _play_contrast_slip(rng, cal, humans, plan)
    return plan


def _play_training_wave(
    rng: random.Random, cal: DemoCalendar, humans: list[Person], plan: ActivityPlan,
    levels: dict[int, list[float]],
) -> None:
    """The wave's effect on the focus department, round by round.

    In the two months after their round everyone trained works a little more (the afterglow).
    Enough people then become productive for good that the ninth month of the wave (the end of
    the goal set at its start) is ``WAVE_UPLIFT`` above the month before the wave, rounded up as
    the goal's target is: about half of them within two months of their training, the others one
    by one until then, so the rise is gradual and uneven.
    """
    last = len(cal.months) - 1
    focus = [p for p in humans if p.department == FOCUS_DEPARTMENT]
    for person in focus:
        trained = wave_index_of(cal, person)
        for month in (trained + 1, trained + 2):
            if month <= last and _licensed_in(cal, person, month):
                level = levels[person.index][month] + WAVE_AFTERGLOW
                cell = _draw_month(rng, person, level, available_days(cal, person, month))
                if cell is None:
                    plan.pop((person.index, month), None)
                else:
                    plan[(person.index, month)] = cell
    # The goal set at the wave's start ends with its ninth month: the rise must be there by then.
    deadline = min(cal.wave_index + GOAL_MONTHS - 1, last)
    before = productive_count(plan, focus, cal.wave_index - 1)
    at_deadline = productive_count(plan, focus, deadline)
    wanted = math.ceil(before * (1 + WAVE_UPLIFT)) - at_deadline
    if wanted <= 0:
        return
    candidates = [
        p for p in focus
        if p.start_date <= cal.months[cal.wave_index] and p.end_date is None
        and not p.never_active
        and (plan.get((p.index, deadline)) is None
             or plan[(p.index, deadline)].segment != "productive")
    ]
    candidates.sort(key=lambda p: (-p.propensity, p.index))
    movers = candidates[:wanted]
    rng.shuffle(movers)
    quick = round(len(movers) * WAVE_QUICK_SHARE)
    for j, person in enumerate(movers):
        trained = wave_index_of(cal, person)
        if j < quick:
            first = trained + 1 + j % 2
        else:
            spread = (j - quick) * (deadline - trained - 2) // max(len(movers) - quick, 1)
            first = trained + 3 + spread
        for month in range(min(first, last), last + 1):
            level = _PRODUCTIVE_LEVEL + rng.uniform(0.05, 0.15)
            days = available_days(cal, person, month)
            cell = _draw_month(rng, person, level, days, vacation=False)
            assert cell is not None and cell.segment == "productive"
            plan[(person.index, month)] = cell


def _play_contrast_slip(
    rng: random.Random, cal: DemoCalendar, humans: list[Person], plan: ActivityPlan
) -> None:
    """Without a wave, the contrast department's productive users slip a little at the end.

    From the month its goal starts, the department has at most its baseline month's productive
    users minus ``CONTRAST_SLIP``; people above that count work sporadically in that month.
    """
    last = len(cal.months) - 1
    start = last - CONTRAST_GOAL_MONTHS_BEFORE_END
    people = [p for p in humans if p.department == CONTRAST_DEPARTMENT]
    allowed_base = productive_count(plan, people, start - 1)
    for offset, slip in enumerate(CONTRAST_SLIP):
        month = start + offset
        if month > last:
            break
        productive = [p for p in people
                      if (cell := plan.get((p.index, month))) is not None
                      and cell.segment == "productive"]
        excess = len(productive) - (allowed_base - slip)
        for person in rng.sample(productive, max(excess, 0)):
            days = available_days(cal, person, month)
            cell = _draw_month(rng, person, _SPORADIC_LEVEL + 0.05, days, vacation=False)
            while cell is None or cell.segment != "sporadic":
                cell = _draw_month(rng, person, _SPORADIC_LEVEL + 0.05, days, vacation=False)
            plan[(person.index, month)] = cell


def recent_segment(plan: ActivityPlan, cal: DemoCalendar, person: Person, months: int = 3) -> str:
    """The best segment a person reached in the last ``months`` months of data."""
    order = {"productive": 2, "sporadic": 1, "barely": 0}
    best = "barely"
    last = len(cal.months) - 1
    for month in range(last - months + 1, last + 1):
        cell = plan.get((person.index, month))
        if cell is not None and order[cell.segment] > order[best]:
            best = cell.segment
    return best
