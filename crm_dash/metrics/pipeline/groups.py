"""Pipeline figures per owner, per owner's adoption segment and per department.

All of them are sums over the one-row-per-owner result of
:func:`crm_dash.metrics.pipeline.owners.pipeline_data`, so the groups add up to the headline
figures. The segment of an owner is their segment in the latest complete month of usage data,
from the same person-months the Adoption page uses (:func:`crm_dash.metrics.segments.
user_months`); owners not in the roster form the group ``not_in_roster``, owners in the roster
without a segment in that month (not licensed then, an integration account, or no usage data at
all) the group ``no_segment``.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from crm_dash.metrics.definitions import SEGMENTS, load_definition
from crm_dash.metrics.pipeline.owners import (
    PENALTIES,
    REASON_COUNTS,
    REASONS,
    PipelineData,
    unknown_figures,
)
from crm_dash.metrics.segments import available_months, user_months

NO_SEGMENT = "no_segment"
NOT_IN_ROSTER = "not_in_roster"
#: The segment groups in the order the page shows them.
SEGMENT_GROUPS: tuple[str, ...] = (*SEGMENTS, NO_SEGMENT, NOT_IN_ROSTER)

#: The figure (of ``owners.FIGURE_NEEDS``) behind each hygiene reason.
_REASON_FIGURE = {"no_next_step": "next_step", "overdue": "overdue", "stale": "stale",
                  "no_amount": "missing_amount"}
_COUNTS = ("opportunities", "open", "with_next_step", "without_next_step", "overdue", "stale",
           "missing_amount", "score_sum", "won", "lost", "won_12m", "lost_12m")


def segments_in(frame: pd.DataFrame, month: date | None) -> pd.DataFrame:
    """Each person's segment in ``month`` (user_key, segment) from person-months; none
    without a month."""
    if month is None:
        return pd.DataFrame({"user_key": [], "segment": []})
    return frame[frame["month"] == month][["user_key", "segment"]]


def latest_segments(
    conn: duckdb.DuckDBPyConnection, today: date | None = None
) -> tuple[date | None, pd.DataFrame]:
    """The latest complete month of usage data and each person's segment in it (user_key,
    segment), under the definition in force; ``(None, empty)`` without usage data."""
    definition = load_definition(conn).definition
    months = available_months(conn, definition, today or date.today())
    if months is None:
        return None, segments_in(pd.DataFrame(), None)
    latest = months[1]
    return latest, segments_in(user_months(conn, definition, latest, latest), latest)


def main_currency(data: PipelineData) -> str:
    """The currency of most open opportunities (``""`` when none is given)."""
    if data.values.empty:
        return ""
    counts = data.values.groupby("currency")["open"].sum()
    return str(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0])


def _with_rates(frame: pd.DataFrame, empty_fields: tuple[str, ...]) -> pd.DataFrame:
    """Shares of the open opportunities, mean hygiene score and win rate from the counts;
    unknown (NaN) where the export lacks the field a figure needs, and over no open ones."""
    out = frame.copy()
    open_ = out["open"].where(out["open"] > 0)
    out["next_step_share"] = out["with_next_step"] / open_
    out["overdue_share"] = out["overdue"] / open_
    out["stale_share"] = out["stale"] / open_
    out["missing_amount_share"] = out["missing_amount"] / open_
    out["hygiene_score"] = out["score_sum"] / open_
    closed = (out["won_12m"] + out["lost_12m"]).where(lambda s: s > 0)
    out["win_rate"] = out["won_12m"] / closed
    for figure in unknown_figures(empty_fields):
        whole = ("hygiene_score", "open_value", "win_rate")  # not shares of the open ones
        column = figure if figure in whole else f"{figure}_share"
        if column in out.columns:
            out[column] = float("nan")
    return out


def _owner_key(frame: pd.DataFrame) -> pd.Series:
    return frame["user_key"].fillna("\x00" + frame["unmatched_key"].fillna(""))


def _values_by(data: PipelineData, groups: pd.Series) -> pd.DataFrame:
    """Open value per group and currency: group, currency, open_value."""
    values = data.values.assign(owner_id=_owner_key(data.values))
    values["group"] = values["owner_id"].map(groups)
    return values.groupby(["group", "currency"], as_index=False, dropna=False).agg(
        open_value=("open_value", "sum"))


def reasons(counts: tuple[int, ...]) -> list[str]:
    """An owner's hygiene reasons ranked by how many open opportunities they affect (ties:
    the heavier penalty first); reasons affecting none are left out. ``counts`` holds the
    affected opportunities per reason, in the order of :data:`REASONS`."""
    counted = [(int(n), -PENALTIES[r], i, r) for i, (r, n) in enumerate(zip(REASONS, counts,
                                                                            strict=True))]
    return [r for n, _, _, r in sorted(counted, key=lambda c: (-c[0], c[1], c[2])) if n > 0]


def _owner_segments(owners: pd.DataFrame, segments: pd.DataFrame) -> list[str]:
    """Each owner's segment group: the segment code, NO_SEGMENT or NOT_IN_ROSTER."""
    segment_of = dict(zip(segments["user_key"], segments["segment"], strict=True))
    return [
        (segment_of.get(k) or NO_SEGMENT) if isinstance(k, str) else NOT_IN_ROSTER
        for k in owners["user_key"]
    ]


def owner_table(data: PipelineData, segments: pd.DataFrame) -> pd.DataFrame:
    """One row per owner: name (roster name, else the owner as exported), email, department,
    segment (code of :data:`SEGMENT_GROUPS`), the counts of :class:`PipelineData`, the shares
    (next_step_share, overdue_share, stale_share, missing_amount_share), hygiene_score,
    win_rate, reasons (codes, ranked), open_value (main currency) and in_roster."""
    owners = _with_rates(data.owners, data.empty_fields)
    owners["in_roster"] = owners["user_key"].notna()
    owners["segment"] = _owner_segments(owners, segments)
    owners["name"] = owners["name"].where(owners["name"].notna() & owners["in_roster"],
                                          owners["owner"])
    # A reason whose field the export lacks blames nobody: its count is unknown, not "all".
    unknown = set(unknown_figures(data.empty_fields))
    counts = zip(*(owners[REASON_COUNTS[r]].to_numpy() * (_REASON_FIGURE[r] not in unknown)
                   for r in REASONS), strict=True)
    owners["reasons"] = [reasons(c) for c in counts]
    currency = main_currency(data)
    values = data.values[data.values["currency"] == currency]
    by_owner = dict(zip(_owner_key(values), values["open_value"], strict=True))
    owners["open_value"] = [by_owner.get(k, 0.0) for k in _owner_key(owners)]
    if "open_value" in unknown_figures(data.empty_fields):
        owners["open_value"] = float("nan")
    return owners.reset_index(drop=True)


def _grouped(data: PipelineData, group_of: pd.Series, order: list[str]) -> pd.DataFrame:
    owners = data.owners.assign(group=group_of.to_numpy())
    frame = owners.groupby("group", as_index=False, dropna=False).agg(
        owners=("open", "size"), **{c: (c, "sum") for c in _COUNTS})
    frame = _with_rates(frame, data.empty_fields)
    values = _values_by(data, pd.Series(group_of.to_numpy(), index=_owner_key(data.owners)))
    currency = main_currency(data)
    main = values[values["currency"] == currency].set_index("group")["open_value"]
    frame["open_value"] = frame["group"].map(main).fillna(0.0)
    by_currency = {
        g: {str(c): float(v) for c, v in zip(part["currency"], part["open_value"], strict=True)}
        for g, part in values.groupby("group", dropna=False)
    }
    frame["open_value_by_currency"] = pd.Series(
        [by_currency.get(g, {}) for g in frame["group"]], index=frame.index, dtype=object)
    if "open_value" in unknown_figures(data.empty_fields):
        frame["open_value"] = float("nan")
    rank = {g: i for i, g in enumerate(order)}
    frame["order"] = frame["group"].map(lambda g: rank.get(g, len(rank)))
    return frame.sort_values(["order", "group"]).drop(columns="order").reset_index(drop=True)


def by_segment(data: PipelineData, segments: pd.DataFrame) -> pd.DataFrame:
    """Per owner's segment (group: a code of :data:`SEGMENT_GROUPS`; only groups with owners):
    owners, the counts, shares, hygiene_score, win_rate, open_value (main currency) and
    open_value_by_currency."""
    group = pd.Series(_owner_segments(data.owners, segments), index=data.owners.index)
    return _grouped(data, group, list(SEGMENT_GROUPS))


def by_department(data: PipelineData) -> pd.DataFrame:
    """Per roster department of the owners (group: the department; owners not in the roster
    form the group :data:`NOT_IN_ROSTER`, owners without a department the group ``""``):
    the columns of :func:`by_segment`. Sorted by department name, ``not_in_roster`` last."""
    owners = data.owners
    group = owners["department"].fillna("").where(owners["user_key"].notna(), NOT_IN_ROSTER)
    departments = sorted(set(group) - {NOT_IN_ROSTER}, key=str.lower)
    return _grouped(data, group, [*departments, NOT_IN_ROSTER])


def unmatched_owners(data: PipelineData) -> pd.DataFrame:
    """Owners not found in the roster: owner (as exported), opportunities, open; most first."""
    owners = data.owners[data.owners["user_key"].isna()]
    return owners[["owner", "opportunities", "open"]].sort_values(
        ["opportunities", "owner"], ascending=[False, True]).reset_index(drop=True)
