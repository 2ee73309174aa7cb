"""Goal arithmetic: baseline, target, expected value, forecast and status (pure functions).

Time is counted in goal months: month 0 is the baseline month (the last complete month before
the start), months 1..H are the goal's months, and the deadline is the last day of month H. A
monthly figure is known at the end of its month, so the baseline stands at the start and the
value of month H at the deadline:

- **target** = baseline × (1 + pct/100), rounded up to whole people for counts;
- **expected** after month k = baseline + (target − baseline) × k / H (the straight line);
- **forecast** = the least-squares trend of the values of months 1..n, read at month H (with only
  one month so far, the line from the baseline through it); once month H is known, its value;
- **status**: achieved (actual ≥ target), on track (actual ≥ expected), behind (below expected
  but the forecast reaches the target), at risk (the forecast misses the target);
- **needed per month** = (target − actual) / months left, where months left = H − k.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from crm_dash.audience import PUBLISHED, Audience
from crm_dash.goals.model import Baseline, GoalDraft, GoalMetric, GoalStatus
from crm_dash.months import add_months, last_day_of_month, months_between

#: Tolerance for comparing shares computed in floating point (a share is a ratio of counts).
EPSILON = 1e-9


@dataclass(frozen=True)
class MonthFigures:
    """A scope's figures in one calendar month."""

    month: date  # first day of the month
    productive: int
    licensed: int  # licensed people in scope: the denominator, and the privacy headcount

    def value(self, metric: GoalMetric) -> float | None:
        """The month's value in ``metric`` (no share without licensed people)."""
        if metric.is_count:
            return float(self.productive)
        return self.productive / self.licensed if self.licensed else None


def target_for(baseline: Baseline, metric: GoalMetric, target_pct: float) -> float:
    """baseline × (1 + pct/100); for counts rounded up to whole people.

    Computed with exact fractions, so that 40 × 1.2 is 48 and not 48.000000000000007 → 49.
    """
    factor = 1 + Fraction(str(target_pct)) / 100
    if metric.is_count:
        return float(math.ceil(baseline.productive * factor))
    if not baseline.licensed:
        return 0.0
    return float(Fraction(baseline.productive, baseline.licensed) * factor)


def expected_after(baseline: float, target: float, horizon: int, elapsed: int) -> float:
    """Where the straight line from baseline to target stands after ``elapsed`` goal months."""
    k = min(max(elapsed, 0), horizon)
    return baseline + (target - baseline) * k / horizon


@dataclass(frozen=True)
class Trend:
    """A straight line ``value = intercept + slope × goal month``."""

    intercept: float
    slope: float

    def at(self, month_index: float) -> float:
        return self.intercept + self.slope * month_index


def trend_of(baseline: float, values: Sequence[tuple[int, float]]) -> Trend | None:
    """The least-squares line through ``(goal month, value)`` pairs of months 1..n.

    With a single month the line runs from the baseline (month 0) through it; with none there is
    no trend.
    """
    if not values:
        return None
    if len(values) == 1:
        k, y = values[0]
        slope = (y - baseline) / k
        return Trend(intercept=baseline, slope=slope)
    n = len(values)
    mean_x = sum(k for k, _ in values) / n
    mean_y = sum(y for _, y in values) / n
    sxx = sum((k - mean_x) ** 2 for k, _ in values)
    sxy = sum((k - mean_x) * (y - mean_y) for k, y in values)
    slope = sxy / sxx
    return Trend(intercept=mean_y - slope * mean_x, slope=slope)


def classify(actual: float, expected: float, forecast: float, target: float) -> GoalStatus:
    """Achieved ≥ target; on track ≥ expected; behind if the forecast reaches it; else at risk."""
    if actual >= target - EPSILON:
        return GoalStatus.ACHIEVED
    if actual >= expected - EPSILON:
        return GoalStatus.ON_TRACK
    if forecast >= target - EPSILON:
        return GoalStatus.BEHIND
    return GoalStatus.AT_RISK


def needed_per_month(actual: float, target: float, months_left: int) -> float | None:
    """The gain still needed each remaining month (0 once achieved; None without months left)."""
    if actual >= target - EPSILON:
        return 0.0
    if months_left <= 0:
        return None
    return (target - actual) / months_left


def people_gap(metric: GoalMetric, target: float, figures: MonthFigures) -> int:
    """How many more productive people the scope needs to reach the target (0 when reached).

    For a share, the target share of the month's licensed people, rounded up to whole people.
    """
    if metric.is_count:
        needed = math.ceil(target - EPSILON)
    else:
        needed = math.ceil(Fraction(target).limit_denominator(10**9) * figures.licensed - EPSILON)
    return max(0, needed - figures.productive)


@dataclass(frozen=True)
class ChartPoint:
    """One month on a goal's chart."""

    month: date
    index: int  # goal month: 0 = baseline month, H = the deadline's month
    actual: float | None
    expected: float | None
    forecast: float | None


@dataclass(frozen=True)
class GoalProgress:
    """Where a goal stands after the as-of month.

    ``actual``, ``forecast`` and ``status`` are ``None`` while no month of the goal has data.
    ``suppressed`` is set when the scope has fewer licensed people than the audience's minimum
    (in the baseline month or the as-of month): every view shows e.g. "<5" instead then.
    """

    metric: GoalMetric
    start: date
    deadline: date
    horizon: int
    baseline: float
    target: float
    as_of: date  # the month asked for (first day)
    evaluated_month: date  # as_of, but never after the deadline's month
    months_elapsed: int  # goal months with a known value by evaluated_month (0..H)
    months_left: int
    actual: float | None
    expected: float
    forecast: float | None
    status: GoalStatus | None
    needed_per_month: float | None
    people_gap: int | None
    productive_now: int | None
    licensed_now: int | None
    past_deadline: bool
    suppressed: bool
    trend: Trend | None
    points: list[ChartPoint] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.actual is not None

    @property
    def progress(self) -> float:
        """How far the actual value has come from baseline to target, 0..1."""
        if self.actual is None or self.target <= self.baseline:
            return 1.0 if self.actual is not None and self.actual >= self.target else 0.0
        share = (self.actual - self.baseline) / (self.target - self.baseline)
        return min(max(share, 0.0), 1.0)


def evaluate(
    goal: GoalDraft,
    baseline: float,
    baseline_licensed: int,
    target: float,
    figures: Sequence[MonthFigures],
    as_of: date,
    audience: Audience = PUBLISHED,
) -> GoalProgress:
    """Evaluate a goal after the month ``as_of`` from its monthly figures.

    ``audience`` decides whether the scope is too small to show (see ``suppressed``).

    ``figures`` may hold any months; only those from the start to ``as_of`` (and never after the
    deadline's month) count. A month without figures is a month without data.
    """
    horizon = goal.horizon_months
    as_of = as_of.replace(day=1)
    evaluated = min(as_of, goal.last_month)
    k = months_between(goal.baseline_month, evaluated)  # goal month of the evaluated month
    by_month = {f.month: f for f in figures}
    values: list[tuple[int, float]] = []
    for i in range(1, max(k, 0) + 1):
        month_figures = by_month.get(add_months(goal.baseline_month, i))
        value = month_figures.value(goal.metric) if month_figures else None
        if value is not None:
            values.append((i, value))
    now = by_month.get(evaluated) if k >= 1 else None
    actual = now.value(goal.metric) if now else None
    elapsed = max(k, 0)
    months_left = horizon - elapsed
    expected = expected_after(baseline, target, horizon, elapsed)
    past_deadline = as_of > goal.last_month

    trend = trend_of(baseline, values)
    forecast: float | None
    if actual is None:
        forecast = None
    elif elapsed >= horizon:
        forecast = actual  # the deadline's month is known: the outcome, not a forecast
    else:
        assert trend is not None
        forecast = trend.at(horizon)

    status = None
    needed = None
    gap = None
    if actual is not None and forecast is not None and now is not None:
        status = classify(actual, expected, forecast, target)
        needed = needed_per_month(actual, target, months_left)
        gap = people_gap(goal.metric, target, now)
    suppressed = audience.scope_too_small(baseline_licensed) or (
        now is not None and audience.scope_too_small(now.licensed))

    points = _chart_points(goal, baseline, target, by_month, evaluated, trend,
                           show_forecast=forecast is not None and elapsed < horizon)
    return GoalProgress(
        metric=goal.metric, start=goal.start, deadline=goal.deadline, horizon=horizon,
        baseline=baseline, target=target, as_of=as_of, evaluated_month=evaluated,
        months_elapsed=elapsed, months_left=months_left, actual=actual, expected=expected,
        forecast=forecast, status=status, needed_per_month=needed, people_gap=gap,
        productive_now=now.productive if now else None,
        licensed_now=now.licensed if now else None,
        past_deadline=past_deadline, suppressed=suppressed, trend=trend, points=points,
    )


def _chart_points(
    goal: GoalDraft,
    baseline: float,
    target: float,
    by_month: dict[date, MonthFigures],
    evaluated: date,
    trend: Trend | None,
    *,
    show_forecast: bool,
) -> list[ChartPoint]:
    """Months 0..H: actual values up to the evaluated month, the expected line, the forecast."""
    horizon = goal.horizon_months
    last_known = months_between(goal.baseline_month, evaluated)
    points = []
    for i in range(horizon + 1):
        month = add_months(goal.baseline_month, i)
        if i == 0:
            actual: float | None = baseline
        elif i <= last_known and month in by_month:
            actual = by_month[month].value(goal.metric)
        else:
            actual = None
        forecast = trend.at(i) if show_forecast and trend is not None and i >= 1 else None
        points.append(ChartPoint(month, i, actual, expected_after(baseline, target, horizon, i),
                                 forecast))
    return points


def deadline_of(start: date, horizon: int) -> date:
    """The last day of the horizon: start + horizon months − 1 day."""
    return last_day_of_month(add_months(start, horizon - 1))
