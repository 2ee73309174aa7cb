"""Goal arithmetic against figures computed by hand (the working is in each test's comments)."""

from __future__ import annotations

from datetime import date

import pytest

from crm_dash.goals.math import (
    MonthFigures,
    classify,
    evaluate,
    expected_after,
    needed_per_month,
    people_gap,
    target_for,
    trend_of,
)
from crm_dash.goals.model import Baseline, GoalDraft, GoalMetric, GoalScope, GoalStatus

SCOPE = GoalScope(department="Vertrieb Süd")
# Start March 2026, 9 months: baseline month February, deadline 30 November 2026.
GOAL = GoalDraft(name="+20 % productive users", scope=SCOPE, start=date(2026, 3, 1))


def _counts(
    *values: int, licensed: int = 100, first: date = date(2026, 3, 1)
) -> list[MonthFigures]:
    months = [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
              for i in range(len(values))]
    return [MonthFigures(m, v, licensed) for m, v in zip(months, values, strict=True)]


def _evaluate(figures: list[MonthFigures], as_of: date, goal: GoalDraft = GOAL,
              baseline: float = 40, target: float = 48, licensed: int = 100):  # type: ignore[no-untyped-def]
    return evaluate(goal, baseline, licensed, target, figures, as_of)


# --- calendar --------------------------------------------------------------------------------

def test_baseline_month_and_deadline() -> None:
    assert GOAL.baseline_month == date(2026, 2, 1)  # last complete month before the start
    assert GOAL.deadline == date(2026, 11, 30)  # 2026-03-01 + 9 months - 1 day
    january = GoalDraft(name="x", scope=SCOPE, start=date(2026, 1, 1), horizon_months=2)
    assert january.baseline_month == date(2025, 12, 1)  # across the year boundary
    assert january.deadline == date(2026, 2, 28)


def test_start_must_be_the_first_of_a_month() -> None:
    with pytest.raises(ValueError, match="first day of a month"):
        GoalDraft(name="x", scope=SCOPE, start=date(2026, 3, 15))


def test_defaults_are_this_month_nine_months_plus_20_percent() -> None:
    draft = GoalDraft(name="x", scope=SCOPE)
    assert draft.start == date.today().replace(day=1)
    assert (draft.horizon_months, draft.target_pct, draft.metric) == (
        9, 20.0, GoalMetric.PRODUCTIVE_USERS)


# --- target ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("productive", "pct", "target"),
    [
        (40, 20, 48),  # 40 x 1.2 = 48 exactly: not rounded up to 49
        (41, 20, 50),  # 41 x 1.2 = 49.2 -> 50 (whole people, rounded up)
        (50, 10, 55),  # 50 x 1.1 = 55 exactly (in floating point 55.000000000000007 -> 56)
        (8, 12.5, 9),  # 8 x 1.125 = 9
        (3, 20, 4),  # 3 x 1.2 = 3.6 -> 4
    ],
)
def test_count_target_is_rounded_up(productive: int, pct: float, target: int) -> None:
    baseline = Baseline(month=date(2026, 2, 1), productive=productive, licensed=100)
    assert target_for(baseline, GoalMetric.PRODUCTIVE_USERS, pct) == target


def test_share_target_is_not_rounded() -> None:
    # 12 of 40 = 0.30; x 1.2 = 0.36.  1 of 3 = 0.333...; x 1.2 = 0.4.
    assert target_for(Baseline(month=date(2026, 2, 1), productive=12, licensed=40),
                      GoalMetric.PRODUCTIVE_SHARE, 20) == pytest.approx(0.36, abs=1e-12)
    assert target_for(Baseline(month=date(2026, 2, 1), productive=1, licensed=3),
                      GoalMetric.PRODUCTIVE_SHARE, 20) == pytest.approx(0.4, abs=1e-12)
    assert Baseline(month=date(2026, 2, 1), productive=12, licensed=40).value(
        GoalMetric.PRODUCTIVE_SHARE) == pytest.approx(0.3)


# --- building blocks -------------------------------------------------------------------------

def test_expected_is_the_straight_line() -> None:
    # 40 -> 48 over 9 months: 8/9 per month.
    assert expected_after(40, 48, 9, 0) == 40
    assert expected_after(40, 48, 9, 3) == pytest.approx(40 + 8 * 3 / 9)  # 42.667
    assert expected_after(40, 48, 9, 9) == 48
    assert expected_after(40, 48, 9, 12) == 48  # after the deadline: the target
    assert expected_after(40, 48, 9, -2) == 40  # before the start: the baseline


def test_trend_is_least_squares() -> None:
    # (1,41) (2,42) (3,44): mean x 2, mean y 42.333; Sxy = (-1)(-1.333) + 0 + (1)(1.667) = 3;
    # Sxx = 2; slope 1.5; intercept 42.333 - 3 = 39.333; at month 9: 39.333 + 13.5 = 52.833.
    trend = trend_of(40, [(1, 41), (2, 42), (3, 44)])
    assert trend is not None
    assert trend.slope == pytest.approx(1.5)
    assert trend.at(9) == pytest.approx(52 + 5 / 6)
    # One month only: the line from the baseline (month 0) through it: 40 -> 42, slope 2.
    single = trend_of(40, [(1, 42)])
    assert single is not None and single.at(9) == pytest.approx(58)
    assert trend_of(40, []) is None


def test_classify_order() -> None:
    assert classify(48, 45, 40, 48) is GoalStatus.ACHIEVED  # actual >= target wins
    assert classify(46, 45, 40, 48) is GoalStatus.ON_TRACK  # >= expected, whatever the forecast
    assert classify(44, 45, 48, 48) is GoalStatus.BEHIND  # below expected, forecast reaches
    assert classify(44, 45, 47.9, 48) is GoalStatus.AT_RISK  # forecast misses


def test_needed_per_month_and_people_gap() -> None:
    assert needed_per_month(44, 48, 6) == pytest.approx(4 / 6)
    assert needed_per_month(49, 48, 6) == 0
    assert needed_per_month(44, 48, 0) is None
    # Share: target 0.36 of 40 licensed = 14.4 -> 15 people; 14 productive -> 1 more.
    feb = date(2026, 2, 1)
    assert people_gap(GoalMetric.PRODUCTIVE_SHARE, 0.36, MonthFigures(feb, 14, 40)) == 1
    assert people_gap(GoalMetric.PRODUCTIVE_USERS, 48, MonthFigures(feb, 44, 90)) == 4
    assert people_gap(GoalMetric.PRODUCTIVE_USERS, 48, MonthFigures(feb, 50, 90)) == 0


# --- whole evaluations -----------------------------------------------------------------------

def test_on_track() -> None:
    # Baseline 40, target 48. As of May (goal month 3): expected 42.667; actual 44 -> on track.
    # Forecast 52.833 (least squares, see above); needed (48-44)/6 = 0.667; gap 4 people.
    p = _evaluate(_counts(41, 42, 44), date(2026, 5, 1))
    assert p.months_elapsed == 3 and p.months_left == 6
    assert p.actual == 44
    assert p.expected == pytest.approx(42 + 2 / 3)
    assert p.forecast == pytest.approx(52 + 5 / 6)
    assert p.status is GoalStatus.ON_TRACK
    assert p.needed_per_month == pytest.approx(2 / 3)
    assert p.people_gap == 4
    assert p.progress == pytest.approx(0.5)  # (44-40)/(48-40)
    assert not p.past_deadline and not p.suppressed


def test_behind() -> None:
    # 40, 41, 42: actual 42 < expected 42.667; slope 1, intercept 39 -> forecast 48 = target.
    p = _evaluate(_counts(40, 41, 42), date(2026, 5, 1))
    assert p.forecast == pytest.approx(48)
    assert p.status is GoalStatus.BEHIND
    assert p.needed_per_month == pytest.approx(1)  # (48-42)/6


def test_at_risk() -> None:
    # 40, 40, 41: mean y 40.333, slope 0.5, intercept 39.333 -> forecast 43.833 < 48.
    p = _evaluate(_counts(40, 40, 41), date(2026, 5, 1))
    assert p.forecast == pytest.approx(43 + 5 / 6)
    assert p.status is GoalStatus.AT_RISK


def test_achieved_before_the_deadline() -> None:
    p = _evaluate(_counts(42, 45, 47, 48), date(2026, 6, 1))
    assert p.status is GoalStatus.ACHIEVED
    assert p.needed_per_month == 0 and p.people_gap == 0
    assert p.progress == 1


def test_first_month_uses_the_line_from_the_baseline() -> None:
    # March 42: expected 40 + 8/9 = 40.889 -> on track; forecast 40 + 2 x 9 = 58.
    p = _evaluate(_counts(42), date(2026, 3, 1))
    assert p.months_elapsed == 1
    assert p.expected == pytest.approx(40 + 8 / 9)
    assert p.forecast == pytest.approx(58)
    assert p.status is GoalStatus.ON_TRACK


def test_no_data_yet() -> None:
    # Set in March with February complete: no month of the goal is over yet.
    p = _evaluate([], date(2026, 2, 1))
    assert p.months_elapsed == 0 and p.months_left == 9
    assert p.expected == 40
    assert p.actual is None and p.forecast is None and p.status is None
    assert p.needed_per_month is None and p.people_gap is None
    assert not p.has_data
    # March is asked for but its usage has not been uploaded: still no data.
    later = _evaluate([], date(2026, 3, 1))
    assert later.months_elapsed == 1 and later.actual is None and later.status is None
    assert later.points[0].actual == 40  # the chart still shows the baseline
    assert all(pt.forecast is None for pt in later.points)


def test_past_the_deadline_missed() -> None:
    # Asked in January 2027: the goal ended in November 2026 at 47 < 48. The outcome replaces
    # the forecast; expected is the target; no months left; nothing more can be gained.
    figures = _counts(41, 42, 43, 44, 44, 45, 46, 46, 47, 50, 52)  # Mar 2026 .. Jan 2027
    p = _evaluate(figures, date(2027, 1, 1))
    assert p.past_deadline
    assert p.evaluated_month == date(2026, 11, 1)
    assert p.months_elapsed == 9 and p.months_left == 0
    assert p.actual == 47  # November's value, not January's 52
    assert p.expected == 48
    assert p.forecast == 47
    assert p.status is GoalStatus.AT_RISK
    assert p.needed_per_month is None
    assert p.people_gap == 1
    assert all(pt.forecast is None for pt in p.points)


def test_past_the_deadline_achieved() -> None:
    figures = _counts(41, 42, 43, 44, 45, 46, 47, 48, 49)
    p = _evaluate(figures, date(2026, 12, 1))
    assert p.past_deadline and p.actual == 49
    assert p.status is GoalStatus.ACHIEVED and p.needed_per_month == 0


def test_at_the_deadline_month_the_value_is_the_outcome() -> None:
    # As of November itself: 9 of 9 months known; the forecast is November's value.
    p = _evaluate(_counts(41, 42, 43, 44, 45, 46, 47, 47, 47), date(2026, 11, 1))
    assert not p.past_deadline
    assert p.months_left == 0 and p.forecast == 47 and p.status is GoalStatus.AT_RISK


def test_scope_with_fewer_than_5_people_is_suppressed() -> None:
    # 4 licensed people in the baseline month: figures are computed but flagged.
    small = _evaluate(_counts(3, 3, licensed=4), date(2026, 4, 1), baseline=2, target=3,
                      licensed=4)
    assert small.suppressed
    assert small.status is GoalStatus.ACHIEVED  # computed, but every view shows "<5"
    # 5 people in the baseline month, 4 now (a leaver): suppressed as well.
    shrunk = _evaluate(_counts(3, 3, licensed=4), date(2026, 4, 1), baseline=2, target=3,
                       licensed=5)
    assert shrunk.suppressed
    five = _evaluate(_counts(3, 3, licensed=5), date(2026, 4, 1), baseline=2, target=3,
                     licensed=5)
    assert not five.suppressed


def test_share_metric() -> None:
    # 6 months from January 2026; baseline December 2025: 12 of 40 = 0.30; target 0.36.
    # January 13/40 = 0.325; February 14/40 = 0.35. As of February (month 2 of 6):
    # expected 0.30 + 0.06 x 2/6 = 0.32 -> on track; trend through (1, 0.325), (2, 0.35):
    # slope 0.025, intercept 0.30 -> forecast at month 6: 0.45; needed (0.36-0.35)/4 = 0.0025;
    # people: 0.36 x 40 = 14.4 -> 15, 14 productive -> 1 more.
    goal = GoalDraft(name="share", scope=SCOPE, start=date(2026, 1, 1), horizon_months=6,
                     metric=GoalMetric.PRODUCTIVE_SHARE)
    figures = _counts(13, 14, licensed=40, first=date(2026, 1, 1))
    p = evaluate(goal, 0.30, 40, 0.36, figures, date(2026, 2, 1))
    assert p.actual == pytest.approx(0.35)
    assert p.expected == pytest.approx(0.32)
    assert p.forecast == pytest.approx(0.45)
    assert p.status is GoalStatus.ON_TRACK
    assert p.needed_per_month == pytest.approx(0.0025)
    assert p.people_gap == 1


def test_share_with_a_growing_roster_can_fall_behind() -> None:
    # Same goal; February has 16 productive of 50 licensed = 0.32 (more people, same share as
    # expected): on track exactly at the line. March 16/50 = 0.32 < expected 0.33:
    # trend through (1, 0.325), (2, 0.32), (3, 0.32): mean x 2, mean y 0.32167, slope -0.0025,
    # forecast at 6: 0.32167 + (-0.0025)(4) = 0.31167 < 0.36 -> at risk.
    goal = GoalDraft(name="share", scope=SCOPE, start=date(2026, 1, 1), horizon_months=6,
                     metric=GoalMetric.PRODUCTIVE_SHARE)
    figures = [MonthFigures(date(2026, 1, 1), 13, 40), MonthFigures(date(2026, 2, 1), 16, 50),
               MonthFigures(date(2026, 3, 1), 16, 50)]
    on_line = evaluate(goal, 0.30, 40, 0.36, figures, date(2026, 2, 1))
    assert on_line.status is GoalStatus.ON_TRACK
    p = evaluate(goal, 0.30, 40, 0.36, figures, date(2026, 3, 1))
    assert p.expected == pytest.approx(0.33)
    assert p.forecast == pytest.approx(0.31166667, abs=1e-6)
    assert p.status is GoalStatus.AT_RISK
    assert p.people_gap == 2  # 0.36 x 50 = 18 -> 18 - 16


def test_chart_points_cover_baseline_to_deadline() -> None:
    p = _evaluate(_counts(41, 42, 44), date(2026, 5, 1))
    assert [pt.index for pt in p.points] == list(range(10))
    assert p.points[0].month == date(2026, 2, 1) and p.points[-1].month == date(2026, 11, 1)
    assert [pt.actual for pt in p.points[:5]] == [40, 41, 42, 44, None]
    assert p.points[9].expected == 48
    assert p.points[9].forecast == pytest.approx(52 + 5 / 6)
    assert p.points[0].forecast is None
