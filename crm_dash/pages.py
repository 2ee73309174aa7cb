"""The app's pages: their scripts, URLs and title keys, declared once for navigation and tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page of the app."""

    key: str
    script: str  # relative to the project root
    url_path: str
    icon: str
    section: str  # i18n key of the navigation section

    @property
    def title_key(self) -> str:
        return f"nav.{self.key}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "pages/overview.py", "overview", ":material/dashboard:",
             "nav.section.analysis"),
)


def page(key: str) -> PageSpec:
    """The page declared under ``key``."""
    for spec in PAGES:
        if spec.key == key:
            return spec
    raise KeyError(key)
