"""What a reader chose on an adoption page: a month range and at most the groups the audience
allows (the widgets that offer them are :mod:`crm_dash.ui.filters`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from crm_dash.metrics.adoption import filter_people


@dataclass(frozen=True)
class Filters:
    """What the person chose."""

    first: date
    last: date
    department: str | None
    team: str | None
    role: str | None
    #: An executive's "Other": the column and the values merged into it (else ``None``).
    other: tuple[str, tuple[str, ...]] | None = None

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Only the chosen people (all months)."""
        chosen = filter_people(frame, self.department, self.team, self.role)
        if self.other is not None:
            column, members = self.other
            chosen = chosen[chosen[column].isin(members)]
        return chosen

    @property
    def groups(self) -> tuple[str | None, str | None, str | None]:
        return self.department, self.team, self.role

    @property
    def everyone(self) -> bool:
        """Whether no group is chosen."""
        return self.groups == (None, None, None) and self.other is None

    @classmethod
    def everyone_in(cls, first: date, last: date) -> Filters:
        """Everyone, from ``first`` to ``last`` (the pages' default)."""
        return cls(first, last, None, None, None)
