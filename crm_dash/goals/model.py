"""What a goal is: a scope, a metric, a horizon, a frozen baseline and a target.

A goal runs in whole calendar months, because its metric is a monthly figure: it starts on the
first day of a month and ends on the last day of its last month.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from crm_dash.months import add_months, first_of_month, last_day_of_month

DEFAULT_HORIZON_MONTHS = 9
DEFAULT_TARGET_PCT = 20.0
MAX_HORIZON_MONTHS = 60
MAX_TARGET_PCT = 1000.0
MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 2000


class GoalMetric(StrEnum):
    """What a goal counts in its scope, per calendar month."""

    PRODUCTIVE_USERS = "productive_users"  # number of productive users
    PRODUCTIVE_SHARE = "productive_share"  # productive users / licensed users (0..1)

    @property
    def is_count(self) -> bool:
        return self is GoalMetric.PRODUCTIVE_USERS


class GoalStatus(StrEnum):
    """Where a goal stands (see :func:`crm_dash.goals.math.classify`)."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    AT_RISK = "at_risk"


def _blank_to_none(cls: type, value: object) -> object:
    """Texts are trimmed; an empty one counts as not given."""
    if isinstance(value, str):
        return value.strip() or None
    return value


class GoalScope(BaseModel):
    """Whose figures a goal counts: one department, optionally one team and/or one role."""

    model_config = ConfigDict(frozen=True)

    department: str = Field(min_length=1, max_length=200)
    team: str | None = Field(default=None, max_length=200)
    role: str | None = Field(default=None, max_length=200)

    _strip = field_validator("department", "team", "role", mode="before")(_blank_to_none)

    def label(self) -> str:
        """``Vertrieb Süd / Team Bayern / Außendienst``."""
        return " / ".join(part for part in (self.department, self.team, self.role) if part)


def _this_month() -> date:
    return first_of_month(date.today())


class GoalDraft(BaseModel):
    """What a lead decides when setting a goal (before the baseline is measured)."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    scope: GoalScope
    metric: GoalMetric = GoalMetric.PRODUCTIVE_USERS
    start: date = Field(default_factory=_this_month)
    horizon_months: int = Field(default=DEFAULT_HORIZON_MONTHS, ge=1, le=MAX_HORIZON_MONTHS)
    target_pct: float = Field(default=DEFAULT_TARGET_PCT, gt=0, le=MAX_TARGET_PCT)
    owner: str | None = Field(default=None, max_length=MAX_NAME_CHARS)
    note: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)

    _strip = field_validator("name", "owner", "note", mode="before")(_blank_to_none)

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, value: date) -> date:
        if value.day != 1:
            raise ValueError(
                f"a goal starts on the first day of a month (e.g. {first_of_month(value)}), "
                f"not on {value}"
            )
        return value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def baseline_month(self) -> date:
        """The last complete month before the start: the month the baseline is measured in."""
        return add_months(self.start, -1)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def deadline(self) -> date:
        """The last day of the horizon: start + horizon months − 1 day."""
        return last_day_of_month(self.last_month)

    @property
    def last_month(self) -> date:
        """First day of the goal's last month (the month the deadline falls in)."""
        return add_months(self.start, self.horizon_months - 1)


class Baseline(BaseModel):
    """The metric in the baseline month, measured once and frozen with the goal."""

    model_config = ConfigDict(frozen=True)

    month: date
    productive: int = Field(ge=0)
    licensed: int = Field(ge=0)  # licensed people in scope: the share's denominator
    definition: dict[str, object] = Field(default_factory=dict)  # thresholds measured with

    def value(self, metric: GoalMetric) -> float:
        """The baseline in the goal's metric."""
        if metric.is_count:
            return float(self.productive)
        return self.productive / self.licensed if self.licensed else 0.0


class Goal(GoalDraft):
    """A stored goal: the draft, its frozen baseline and target, and who set it when."""

    id: int
    baseline: float  # frozen: the metric in baseline_month when the goal was set
    baseline_productive: int
    baseline_licensed: int
    definition: dict[str, object] = Field(default_factory=dict)
    target: float
    created_by: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))
    archived: bool = False
    archived_by: str | None = None
    archived_at: datetime | None = None
