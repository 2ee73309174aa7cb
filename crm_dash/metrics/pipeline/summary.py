"""The pipeline's headline figures (:class:`PipelineSummary`) and the ``pipeline`` part of
``crm-dash report``: sums over the per-owner figures of :mod:`.owners`.

Definitions (reference date, open/won/lost, next step, overdue, stale, missing amount, hygiene
score, win rate, owner matching) live in :mod:`.owners` and :mod:`.outcomes`;
docs/pipeline.md documents them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb
from pydantic import BaseModel

from crm_dash.datasets import DatasetKind
from crm_dash.metrics.gaps import field_gaps, gap_text
from crm_dash.metrics.pipeline.owners import (
    FIGURE_NEEDS,
    SOURCE_FIELD,
    AsOfSource,
    PipelineData,
    in_department,
    pipeline_data,
    unknown_figures,
)


class PipelineSummary(BaseModel):
    """The headline figures of the pipeline as of one date (everyone, or one department).

    Shares are of the open opportunities (``None`` without any); ``open_value`` is the sum of
    the open amounts when they share one currency (or none is given), ``None`` when they are in
    several (then see ``open_value_by_currency``; amounts are never converted). A figure whose
    field no opportunity has a value for is ``None`` and named in ``unknown`` (figure names of
    :data:`crm_dash.metrics.pipeline.owners.FIGURE_NEEDS`), never 0.
    """

    as_of: date
    as_of_source: AsOfSource
    department: str | None
    opportunities: int
    open: int
    won: int
    lost: int
    won_12m: int
    lost_12m: int
    open_value: float | None
    currency: str | None
    open_value_by_currency: dict[str, float]
    open_with_next_step_share: float | None
    open_stale_30d_share: float | None
    open_overdue_share: float | None
    open_missing_amount_share: float | None
    hygiene_score: float | None
    win_rate: float | None
    owners: int
    unmatched_owners: int
    unmatched_opportunities: int
    empty_fields: list[str]
    unknown: list[str]


def _share(part: float, whole: float) -> float | None:
    return None if not whole else float(part) / float(whole)


def summarise(data: PipelineData, department: str | Sequence[str] | None = None
              ) -> PipelineSummary:
    """The headline figures of ``data`` (everyone, or the owners of ``department``: one
    department or several)."""
    scoped = in_department(data, department)
    o = scoped.owners
    total = {c: int(o[c].sum()) for c in (
        "opportunities", "open", "with_next_step", "overdue", "stale", "missing_amount", "won",
        "lost", "won_12m", "lost_12m")}
    by_currency = scoped.values.groupby("currency")["open_value"].sum()
    value_map = {str(k): float(v) for k, v in by_currency.items()}
    single = len(value_map) <= 1
    unmatched = o[o["user_key"].isna()]
    unknown = unknown_figures(data.empty_fields)

    def known(figure: str, value: float | None) -> float | None:
        return None if figure in unknown else value

    return PipelineSummary(
        as_of=data.as_of, as_of_source=data.as_of_source,
        department=department if department is None or isinstance(department, str)
        else ", ".join(department),
        opportunities=total["opportunities"], open=total["open"], won=total["won"],
        lost=total["lost"], won_12m=total["won_12m"], lost_12m=total["lost_12m"],
        open_value=known("open_value", next(iter(value_map.values()), 0.0) if single else None),
        currency=(next(iter(value_map), "") or None) if single else None,
        open_value_by_currency={} if "open_value" in unknown else value_map,
        open_with_next_step_share=known("next_step",
                                        _share(total["with_next_step"], total["open"])),
        open_stale_30d_share=known("stale", _share(total["stale"], total["open"])),
        open_overdue_share=known("overdue", _share(total["overdue"], total["open"])),
        open_missing_amount_share=known("missing_amount",
                                        _share(total["missing_amount"], total["open"])),
        hygiene_score=known("hygiene_score", _share(float(o["score_sum"].sum()), total["open"])),
        win_rate=known("win_rate", _share(total["won_12m"], total["won_12m"] + total["lost_12m"])),
        owners=len(o), unmatched_owners=len(unmatched),
        unmatched_opportunities=int(unmatched["opportunities"].sum()),
        empty_fields=list(data.empty_fields), unknown=unknown,
    )


def pipeline_summary(
    conn: duckdb.DuckDBPyConnection, as_of: date | None = None, department: str | None = None
) -> PipelineSummary | None:
    """The pipeline's headline figures as of ``as_of`` (default: the snapshot's latest change)
    for everyone or one roster department; ``None`` when there is no pipeline data."""
    data = pipeline_data(conn, as_of)
    return None if data is None else summarise(data, department)


def pipeline_report(
    conn: duckdb.DuckDBPyConnection, department: str | None = None
) -> dict[str, Any]:
    """The ``pipeline`` part of ``crm-dash report``: ``{"open", "open_with_next_step_share",
    "open_stale_30d_share", "open_overdue_share", "open_value", "currency", "unknown"}``, shares
    rounded to 4 decimals. Unknown figures are ``None``: without pipeline data, over no open
    opportunity, or without the field they need; ``unknown`` says why, per figure, in English
    (``{figure: reason}``)."""
    summary = pipeline_summary(conn, department=department)

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    if summary is None:
        gap = "No pipeline export has been uploaded yet."
        figures = ("open", "open_with_next_step_share", "open_stale_30d_share",
                   "open_overdue_share", "open_value")
        return {**dict.fromkeys(figures), "currency": None,
                "unknown": dict.fromkeys(figures, gap)}
    report: dict[str, Any] = {
        "open": summary.open,
        "open_with_next_step_share": rounded(summary.open_with_next_step_share),
        "open_stale_30d_share": rounded(summary.open_stale_30d_share),
        "open_overdue_share": rounded(summary.open_overdue_share),
        "open_value": None if summary.open_value is None else round(summary.open_value, 2),
        "currency": summary.currency,
    }
    gaps = field_gaps(conn, DatasetKind.PIPELINE,
                      [SOURCE_FIELD[f] for f in summary.empty_fields])
    unknown: dict[str, str] = {}
    for figure, key in _REPORTED.items():
        needs = [SOURCE_FIELD[f] for f in FIGURE_NEEDS[figure] if f in summary.empty_fields]
        if needs:
            unknown[key] = " ".join(gap_text(gaps[f], "en", markdown=False)
                                    for f in needs if f in gaps)
        elif report[key] is None and key != "open_value":
            unknown[key] = "No open opportunity: a share of nothing is unknown."
    if summary.open_value is None and "open_value" not in unknown:
        unknown["open_value"] = "The open amounts are in several currencies: " + ", ".join(
            sorted(summary.open_value_by_currency)) + " (never converted)."
    report["unknown"] = unknown
    return report


#: The figures of the report and the summary figure (of ``FIGURE_NEEDS``) behind each.
_REPORTED: dict[str, str] = {"next_step": "open_with_next_step_share",
                             "stale": "open_stale_30d_share", "overdue": "open_overdue_share",
                             "open_value": "open_value"}
