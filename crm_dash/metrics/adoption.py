"""Adoption figures derived from the person-months of :func:`crm_dash.metrics.segments.user_months`.

The person-month frame is small (people × months, e.g. 5,000 × 18), so these aggregations run
in pandas in milliseconds; everything that touches events happened in SQL before.
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pandas as pd
from pydantic import BaseModel

from crm_dash.metrics.definitions import SEGMENTS
from crm_dash.months import add_months

#: Lifecycle states in the order the pages show them.
LIFECYCLE: tuple[str, ...] = ("new", "returning", "resurrecting", "dormant")
#: The movement matrix's extra state for people not licensed in one of the two months.
NOT_LICENSED = "not_licensed"
#: Breadth buckets: number of distinct CRM areas (objects) an active person worked in.
BREADTH_BUCKETS: tuple[str, ...] = ("1", "2", "3", "4", "5+")


class MonthSummary(BaseModel):
    """The headline figures of one month for one population (everyone or one department)."""

    month: date
    licensed: int
    excluded_integration: int
    segments: dict[str, int]
    active_users: int
    stickiness: float | None
    cost_barely_never: float | None  # per month; None when no licence costs are known
    cost_known_for: int  # licensed people with a known licence cost

    def share(self, segment: str) -> float | None:
        """``segment``'s share of the licensed people (``None`` without any)."""
        return self.segments[segment] / self.licensed if self.licensed else None


def filter_people(
    frame: pd.DataFrame,
    department: str | None = None,
    team: str | None = None,
    role: str | None = None,
) -> pd.DataFrame:
    """Only the person-months of one department, team and/or role (``None``: all)."""
    mask = pd.Series(True, index=frame.index)
    for column, value in (("department", department), ("team", team), ("role", role)):
        if value is not None:
            mask &= frame[column] == value
    return frame[mask]


def licensed(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """The person-months that count: licensed people, without integration accounts.

    With ``columns``, only those (cheaper on a large frame).
    """
    mask = ~frame["is_integration"].to_numpy(dtype=bool)
    return frame.loc[mask, columns] if columns is not None else frame[mask]


def _days_in(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def _stickiness(active_days: pd.Series, month: date) -> float | None:
    """Average over the month's days of daily active / monthly active users.

    The sum over the days of the daily active users equals the sum over people of their active
    days, so no daily table is needed.
    """
    active = active_days[active_days > 0]
    if active.empty:
        return None
    return float(active.sum()) / (_days_in(month) * len(active))


def month_summary(frame: pd.DataFrame, month: date) -> MonthSummary:
    """Licensed people, segments, active users, stickiness and the cost of idle licences."""
    rows = frame.loc[frame["month"] == month,
                     ["is_integration", "segment", "active_days", "license_cost"]]
    people = licensed(rows)
    counts = people["segment"].value_counts()
    idle = people[people["segment"].isin(["barely", "never"])]
    known = people["license_cost"].notna()
    return MonthSummary(
        month=month,
        licensed=len(people),
        excluded_integration=int(rows["is_integration"].sum()),
        segments={s: int(counts.get(s, 0)) for s in SEGMENTS},
        active_users=int((people["active_days"] > 0).sum()),
        stickiness=_stickiness(people["active_days"], month),
        cost_barely_never=float(idle["license_cost"].sum()) if known.any() else None,
        cost_known_for=int(known.sum()),
    )


#: The segments only writes tell apart: without any write in a month's data, both are unknown.
WRITE_SEGMENTS: tuple[str, ...] = ("productive", "sporadic")


def months_without_writes(frame: pd.DataFrame, productive_days: int,
                          productive_writes: int) -> frozenset[date]:
    """Months whose usage data has activity but not one write (creates, updates, ... as the
    definition counts them), by anyone, integration accounts included, while someone was active
    on ``productive_days`` days or more: the log records no writes then (a login history), so
    whether those people are productive or sporadic is unknown. Where nobody reaches that many
    days, or productive needs no writes (``productive_writes`` 0), nothing is unknown.

    ``frame``: every person-month of the company (not a filtered selection, where a quiet
    department may truly write nothing).
    """
    if frame.empty or productive_writes <= 0:
        return frozenset()
    by_month = frame.groupby("month").agg(writes=("writes", "sum"),
                                           most_days=("active_days", "max"))
    quiet = by_month[(by_month["writes"] == 0) & (by_month["most_days"] >= productive_days)]
    return frozenset(quiet.index)


def segment_shares(frame: pd.DataFrame, by: str | None = None,
                   unknown_months: frozenset[date] = frozenset()) -> pd.DataFrame:
    """People and share per month (and ``by`` group) and segment, every segment present.

    Columns: month, [by], segment, people, licensed, share. In ``unknown_months`` (see
    :func:`months_without_writes`) the :data:`WRITE_SEGMENTS` have no people and no share (NaN).
    """
    keys = ["month"] if by is None else ["month", by]
    people = licensed(frame, [*keys, "segment"])
    counts = people.groupby([*keys, "segment"], sort=False).size().unstack("segment")
    counts = counts.reindex(columns=list(SEGMENTS)).fillna(0).astype("int64")
    counts["licensed"] = counts.sum(axis=1)
    out = counts.reset_index().melt(id_vars=[*keys, "licensed"], value_vars=list(SEGMENTS),
                                    var_name="segment", value_name="people")
    out["share"] = out["people"] / out["licensed"]
    if unknown_months:
        unknown = out["month"].isin(list(unknown_months)) & out["segment"].isin(WRITE_SEGMENTS)
        out["people"] = out["people"].astype("float64").mask(unknown)
        out["share"] = out["share"].mask(unknown)
    out = out[[*keys, "segment", "people", "licensed", "share"]]
    order = {s: i for i, s in enumerate(SEGMENTS)}
    return out.sort_values([*keys, "segment"], key=lambda c: c.map(order) if c.name ==
                           "segment" else c).reset_index(drop=True)


def lifecycle_by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """People per month and lifecycle state (new, returning, resurrecting, dormant).

    Active means at least one active day in the month. New: first active month ever; returning:
    active this month and last; resurrecting: active this month, not last month, but before;
    dormant: active last month, not this month. Columns: month, state, people.
    """
    people = licensed(frame, ["month", "active_days", "first_active_month",
                              "active_last_month"])
    active = people["active_days"].to_numpy() > 0
    last = people["active_last_month"].to_numpy(dtype=bool)
    first = (people["first_active_month"] == people["month"]).to_numpy()
    state = np.select(
        [active & first, active & ~first & last, active & ~first & ~last, ~active & last],
        [0, 1, 2, 3], default=-1,
    )
    counted = pd.crosstab(people["month"], state)
    counted = counted.reindex(columns=range(len(LIFECYCLE)), fill_value=0)
    counted.columns = list(LIFECYCLE)
    out = counted.reset_index().melt(id_vars="month", var_name="state", value_name="people")
    order = {s: i for i, s in enumerate(LIFECYCLE)}
    out = out.sort_values(["month", "state"], key=lambda c: c.map(order) if c.name == "state"
                          else c)
    return out.astype({"people": "int64"}).reset_index(drop=True)


def movement_matrix(frame: pd.DataFrame, month: date) -> pd.DataFrame:
    """People by (segment last month, segment this month), joiners and leavers included.

    Everyone licensed in either month counts once; the state ``not_licensed`` stands for not
    (yet or any more) licensed, or an integration account. Columns: from_segment, to_segment,
    people (every combination present).
    """
    states = [*SEGMENTS, NOT_LICENSED]
    columns = ["user_key", "segment"]
    this = licensed(frame[frame["month"] == month], columns).set_index("user_key")["segment"]
    before = frame[frame["month"] == add_months(month, -1)]
    last = licensed(before, columns).set_index("user_key")["segment"]
    pairs = pd.DataFrame({"from_segment": last, "to_segment": this}).fillna(NOT_LICENSED)
    counts = pairs.groupby(["from_segment", "to_segment"]).size().rename("people")
    grid = pd.MultiIndex.from_product([states, states], names=["from_segment", "to_segment"])
    out = counts.reindex(grid, fill_value=0).reset_index()
    return out[~((out["from_segment"] == NOT_LICENSED) & (out["to_segment"] == NOT_LICENSED))]


def breadth_by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """Average number of CRM areas per active person, per month.

    Columns: month, active_users, avg_breadth (distinct objects in successful events).
    """
    people = licensed(frame, ["month", "active_days", "breadth"])
    active = people["active_days"] > 0
    grouped = people.assign(active=active, counted=people["breadth"].where(active)).groupby(
        "month", sort=True)
    out = grouped.agg(active_users=("active", "sum"), avg_breadth=("counted", "mean"))
    return out.reset_index().astype({"active_users": "int64"})


def breadth_distribution(frame: pd.DataFrame, month: date) -> pd.DataFrame:
    """Active people of ``month`` by number of CRM areas (0 for logins only, 1, 2, 3, 4, 5+).

    Columns: areas, people.
    """
    rows = frame.loc[frame["month"] == month, ["is_integration", "active_days", "breadth"]]
    people = licensed(rows)
    breadth = people.loc[people["active_days"] > 0, "breadth"].clip(upper=5)
    counts = breadth.value_counts()
    order = ["0", *BREADTH_BUCKETS]
    return pd.DataFrame({"areas": order,
                         "people": [int(counts.get(i, 0)) for i in range(len(order))]})


def stickiness_by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """Monthly active users, average daily active users and their ratio, per month.

    Columns: month, mau, dau, stickiness.
    """
    people = licensed(frame, ["month", "active_days"])
    days = people["active_days"]
    grouped = people.assign(active=days > 0).groupby("month", sort=True).agg(
        mau=("active", "sum"), active_days=("active_days", "sum"))
    out = grouped.reset_index()
    out["days"] = out["month"].map(_days_in)
    out["dau"] = out["active_days"] / out["days"]
    out["stickiness"] = (out["active_days"] / (out["days"] * out["mau"])).where(out["mau"] > 0)
    return out.astype({"mau": "int64"})[["month", "mau", "dau", "stickiness"]]
