"""Tables of groups side by side, as views hand them to the UI.

A :class:`GroupTable` is a frame whose rows are groups (departments, segments, months) with
the people each describes in ``size_column``. A view builds it after the audience has hidden
what the audience may not see (:meth:`crm_dash.audience.Audience.suppress` or ``keep``), so the
UI draws and downloads it as it is; the privacy test walks every view for these tables and
checks their sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class GroupTable:
    """Rows of groups with their sizes (people) in ``size_column``; values may read as the
    audience's hidden marker (e.g. ``<5``) where a group is too small to show."""

    frame: pd.DataFrame
    size_column: str

    @property
    def empty(self) -> bool:
        return self.frame.empty
