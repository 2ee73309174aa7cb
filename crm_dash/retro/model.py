"""What a retrospective is: a date, participants, and per checklist item a status, notes, an owner
and a due date; plus the evidence the data gave when it was saved.

Pydantic validates every value before anything is written, so a bad value (a due date that is no
date, an unknown status, a text too long) saves nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_NOTES_CHARS = 4000
MAX_OWNER_CHARS = 200
MAX_PARTICIPANTS_CHARS = 1000


class ItemStatus(StrEnum):
    """Where a checklist item stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


#: Statuses in the order the select boxes and the summaries show them.
STATUSES: tuple[ItemStatus, ...] = (
    ItemStatus.OPEN, ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.NOT_APPLICABLE,
)
#: Statuses of work not finished: such an item with notes, an owner or a due date is an action.
UNFINISHED: frozenset[ItemStatus] = frozenset({ItemStatus.OPEN, ItemStatus.IN_PROGRESS})


def _blank_to_none(value: object) -> object:
    """Texts are trimmed; an empty one counts as not given."""
    if isinstance(value, str):
        return value.strip() or None
    return value


class RetroHeader(BaseModel):
    """When the retrospective was held and who took part."""

    model_config = ConfigDict(frozen=True)

    held_on: date
    participants: str | None = Field(default=None, max_length=MAX_PARTICIPANTS_CHARS)

    _strip = field_validator("participants", mode="before")(_blank_to_none)

    @field_validator("held_on", mode="before")
    @classmethod
    def _date_only(cls, value: object) -> object:
        # A datetime would pass as a date (it is one) but carry a time of day into the store.
        return value.date() if isinstance(value, datetime) else value


class ItemEntry(BaseModel):
    """What the meeting decided about one checklist item."""

    model_config = ConfigDict(frozen=True)

    item_id: str = Field(min_length=1, max_length=100)
    status: ItemStatus = ItemStatus.OPEN
    notes: str | None = Field(default=None, max_length=MAX_NOTES_CHARS)
    owner: str | None = Field(default=None, max_length=MAX_OWNER_CHARS)
    due_date: date | None = None

    _strip = field_validator("notes", "owner", mode="before")(_blank_to_none)

    @field_validator("due_date", mode="before")
    @classmethod
    def _due_date_only(cls, value: object) -> object:
        if isinstance(value, datetime):
            return value.date()
        return None if value == "" else value

    @property
    def is_action(self) -> bool:
        """Unfinished (open or in progress) with notes, an owner or a due date: work someone
        agreed to do. Actions carry over into the next retrospective."""
        return self.status in UNFINISHED and bool(self.notes or self.owner or self.due_date)

    def content(self) -> dict[str, Any]:
        """The editable values (for comparing and for drafts), JSON-friendly."""
        return {"status": self.status.value, "notes": self.notes, "owner": self.owner,
                "due_date": self.due_date.isoformat() if self.due_date else None}


class RetroItem(ItemEntry):
    """A stored item: the entry, and the retrospective it was carried over from (if any)."""

    carried_from_retro_id: int | None = None
    carried_from_held_on: date | None = None


class Retro(BaseModel):
    """A stored retrospective (without its items)."""

    id: int
    held_on: date
    participants: str | None
    template_version: int
    evidence_month: date | None  # the data month of the evidence snapshot (at the last save)
    evidence_saved_at: datetime | None
    created_by: str
    created_at: datetime
    updated_by: str | None
    updated_at: datetime | None

    @property
    def last_change(self) -> datetime:
        """When the saved state last changed (creation or the latest save)."""
        return self.updated_at or self.created_at


class RetroSummary(BaseModel):
    """A row of the list of retrospectives: the retrospective and its items per status."""

    retro: Retro
    counts: dict[ItemStatus, int]
    actions: int  # unfinished items with notes, an owner or a due date

    @property
    def done(self) -> int:
        return self.counts.get(ItemStatus.DONE, 0)

    @property
    def open(self) -> int:
        return self.counts.get(ItemStatus.OPEN, 0)


#: A value an evidence text shows; how it is formatted follows from its key (see
#: :func:`crm_dash.retro.present.format_value`).
EvidenceValue = int | float | str | None


class Evidence(BaseModel):
    """What the data says about one checklist item in one month, and the status it suggests.

    ``text_key`` is the catalog key of the sentence and ``values`` its placeholders; ``rule_key``
    and ``rule_values`` explain how the suggestion follows (the thresholds). Without data to go
    by, ``has_data`` is false and nothing is suggested: never a wrong suggestion.
    """

    model_config = ConfigDict(frozen=True)

    item_id: str
    month: date | None
    has_data: bool
    text_key: str
    values: dict[str, EvidenceValue] = Field(default_factory=dict)
    suggested_status: ItemStatus | None = None
    rule_key: str
    rule_values: dict[str, EvidenceValue] = Field(default_factory=dict)


def status_counts(items: list[RetroItem] | list[ItemEntry]) -> dict[ItemStatus, int]:
    """How many items have each status (every status present, zero included)."""
    counts = {s: 0 for s in STATUSES}
    for item in items:
        counts[item.status] += 1
    return counts
