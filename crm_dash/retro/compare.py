"""A retrospective against the previous one: what changed and which actions are still open.

- **status changes**: items in both whose status differs (from → to);
- **new actions**: actions (open or in progress with notes, an owner or a due date) that were
  not carried over from the previous retrospective;
- **still open**: actions carried over from the previous retrospective that are still open or
  in progress;
- **closed**: actions carried over that are now done or not applicable;
- **evidence**: the figures of each item then and now, from the evidence saved with each
  retrospective (the figures each meeting saw).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from crm_dash.retro.model import UNFINISHED, Evidence, ItemStatus, Retro, RetroItem
from crm_dash.retro.store import evidence_snapshot, previous_retro, retro_items


@dataclass(frozen=True)
class StatusChange:
    """An item whose status differs from the previous retrospective."""

    item_id: str
    before: ItemStatus
    after: ItemStatus


@dataclass(frozen=True)
class EvidenceChange:
    """An item's evidence then (previous retrospective) and now (this one)."""

    item_id: str
    before: Evidence | None
    after: Evidence | None

    @property
    def suggestion_changed(self) -> bool:
        before = self.before.suggested_status if self.before else None
        after = self.after.suggested_status if self.after else None
        return before != after


@dataclass(frozen=True)
class RetroComparison:
    """What changed from ``previous`` to ``current``."""

    current: Retro
    previous: Retro
    status_changes: list[StatusChange]
    new_actions: list[RetroItem]
    still_open: list[RetroItem]
    closed: list[RetroItem]
    evidence: list[EvidenceChange]

    @property
    def unchanged(self) -> bool:
        return not (self.status_changes or self.new_actions or self.still_open or self.closed)


def compare(
    previous: Retro,
    previous_items: list[RetroItem],
    previous_evidence: Mapping[str, Evidence],
    current: Retro,
    current_items: list[RetroItem],
    current_evidence: Mapping[str, Evidence],
) -> RetroComparison:
    """Compare two retrospectives (pure; items in checklist order of ``current``)."""
    before = {i.item_id: i for i in previous_items}
    changes = [
        StatusChange(i.item_id, before[i.item_id].status, i.status)
        for i in current_items
        if i.item_id in before and before[i.item_id].status != i.status
    ]
    carried = [i for i in current_items if i.carried_from_retro_id == previous.id]
    still_open = [i for i in carried if i.status in UNFINISHED]
    closed = [i for i in carried if i.status not in UNFINISHED]
    new_actions = [i for i in current_items
                   if i.is_action and i.carried_from_retro_id != previous.id]
    order = [i.item_id for i in current_items]
    with_evidence = [k for k in order if k in previous_evidence or k in current_evidence]
    evidence = [EvidenceChange(k, previous_evidence.get(k), current_evidence.get(k))
                for k in with_evidence]
    return RetroComparison(current=current, previous=previous, status_changes=changes,
                           new_actions=new_actions, still_open=still_open, closed=closed,
                           evidence=evidence)


def compare_with_previous(
    conn: duckdb.DuckDBPyConnection,
    retro: Retro,
    *,
    current_items: list[RetroItem] | None = None,
    current_evidence: Mapping[str, Evidence] | None = None,
) -> RetroComparison | None:
    """``retro`` against the retrospective held before it (``None`` when it is the first).

    Evidence comes from the snapshots saved with each; ``current_evidence`` stands in for
    ``retro``'s while it has none yet (never saved).
    """
    previous = previous_retro(conn, retro)
    if previous is None:
        return None
    items = current_items if current_items is not None else retro_items(conn, retro)
    snapshot = evidence_snapshot(conn, retro.id) or dict(current_evidence or {})
    return compare(previous, retro_items(conn, previous), evidence_snapshot(conn, previous.id),
                   retro, items, snapshot)
