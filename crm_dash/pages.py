"""The app's pages: scripts, URLs, title keys and which roles may open them, declared once.

Navigation, page guards, tests and the README's page table (page, who sees it) all read this
table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a logged-in person may do."""

    ADMIN = "admin"  # users, settings, audit log, and everything a lead can do
    LEAD = "lead"  # upload, delete imports, metric settings, goals, retrospectives, named lists
    EXECUTIVE = "executive"  # read-only aggregates: overview, adoption, goals, retrospectives


ALL_ROLES = frozenset(Role)
LEADS = frozenset({Role.ADMIN, Role.LEAD})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class PageSpec:
    """One page of the app."""

    key: str
    script: str  # relative to the project root
    url_path: str  # "" for the start page, which Streamlit serves at the root URL
    icon: str
    section: str  # i18n key of the navigation section
    roles: frozenset[Role]

    @property
    def title_key(self) -> str:
        return f"nav.{self.key}"

    def allows(self, role: Role | None) -> bool:
        """Whether ``role`` may open this page."""
        return role is not None and role in self.roles


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "pages/overview.py", "", ":material/dashboard:",
             "nav.section.analysis", ALL_ROLES),
    PageSpec("goals", "pages/goals.py", "goals", ":material/flag:",
             "nav.section.analysis", ALL_ROLES),
    PageSpec("adoption", "pages/adoption.py", "adoption", ":material/monitoring:",
             "nav.section.analysis", ALL_ROLES),
    PageSpec("people", "pages/people.py", "people", ":material/groups:",
             "nav.section.analysis", LEADS),
    PageSpec("training", "pages/training.py", "training", ":material/school:",
             "nav.section.analysis", ALL_ROLES),
    PageSpec("pipeline", "pages/pipeline.py", "pipeline", ":material/filter_alt:",
             "nav.section.analysis", ALL_ROLES),
    PageSpec("retro", "pages/retro.py", "retro", ":material/checklist:",
             "nav.section.project", ALL_ROLES),
    PageSpec("upload", "pages/upload.py", "upload", ":material/upload_file:",
             "nav.section.data", LEADS),
    PageSpec("imports", "pages/imports.py", "imports", ":material/history:",
             "nav.section.data", LEADS),
    PageSpec("health", "pages/health.py", "health", ":material/health_and_safety:",
             "nav.section.data", LEADS),
    PageSpec("settings", "pages/settings.py", "settings", ":material/tune:",
             "nav.section.settings", LEADS),
    PageSpec("admin", "pages/admin.py", "admin", ":material/admin_panel_settings:",
             "nav.section.admin", ADMINS),
)


def page(key: str) -> PageSpec:
    """The page declared under ``key``."""
    for spec in PAGES:
        if spec.key == key:
            return spec
    raise KeyError(key)


def pages_for(role: Role | None) -> list[PageSpec]:
    """The pages ``role`` may open, in navigation order."""
    return [spec for spec in PAGES if spec.allows(role)]
