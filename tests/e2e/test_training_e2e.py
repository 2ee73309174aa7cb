"""Training in a real Chromium: a lead sees the figures and downloads the invitation list; the
executive sees aggregates only. Screenshots of both, English and German.

Data: tests/fixtures/training (hand-computed figures in its README): June 2026, 8 of 13 licensed
people trained (62 %), invitation list Kai Kurz, Dieter Dorn, Ida Imhof; effect cohorts March
and April 2026, all cohorts +3.5 active days. A screenshot of the effect section on its own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import FIXTURES, fixture_db
from tests.e2e.conftest import (
    AppServer,
    login,
    metric_value,
    screenshot,
    wait_idle,
    whole_page,
    with_accounts,
)

StartApp = Callable[[Path], AppServer]


def _training_db(tmp_path: Path) -> Path:
    return with_accounts(fixture_db(FIXTURES / "training", tmp_path / "training.duckdb"))






def _effect_section(page: Page, heading: str, name: str) -> None:
    """Screenshot of the effect section: its heading scrolled to the top of the view."""
    page.get_by_role("heading", name=heading).first.evaluate(
        "e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1500)  # let the charts draw
    screenshot(page, name)


def test_lead_downloads_the_invitation_list_and_the_executive_sees_no_names(
    start_app: StartApp, tmp_path: Path, page: Page
) -> None:
    server = start_app(_training_db(tmp_path))
    page.goto(f"{server.url}/training")
    login(page, "lead")
    expect(page.get_by_role("heading", name="Training", exact=True).first).to_be_visible(
        timeout=20_000)
    wait_idle(page)
    assert metric_value(page, "Trained share") == "62%"
    assert metric_value(page, "Sessions, last 12 months") == "7"
    expect(page.get_by_text("Observational comparison, not proof").first).to_be_visible()
    effect_rows = page.get_by_test_id("stDataFrame").filter(has_text="Trained in").first
    expect(effect_rows).to_be_visible()
    expect(page.get_by_text("trained in April 2026, not in the two months before").first
           ).to_be_visible()
    assert page.locator("[data-testid=stException]").count() == 0

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download invitation list (CSV)").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name == "crm-dash-training-invitations-2026-06.csv"
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Name", "E-mail", "Department", "Team", "Segment", "Last active"]
    assert [(r[0], r[4], r[5]) for r in rows[1:]] == [
        ("Kai Kurz", "Never", ""), ("Dieter Dorn", "Never", ""),
        ("Ida Imhof", "Barely", "2026-01-02")]
    whole_page(page, "training-lead")
    _effect_section(page, "Before and after a training", "training-effect-lead")

    page.get_by_text("Deutsch", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Schulungen", exact=True).first).to_be_visible(
        timeout=20_000)
    assert metric_value(page, "Anteil geschult") == "62\u00a0%"
    whole_page(page, "training-lead-de")
    _effect_section(page, "Vor und nach einer Schulung", "training-effect-lead-de")
    page.get_by_text("English", exact=True).click()
    wait_idle(page)

    page.get_by_role("button", name="Log out").click()
    wait_idle(page)
    page.goto(f"{server.url}/training")
    login(page, "executive")
    expect(page.get_by_role("heading", name="Training", exact=True).first).to_be_visible(
        timeout=20_000)
    wait_idle(page)
    assert metric_value(page, "Trained share") == "62%"
    assert metric_value(page, "Onboarded within 30 days") == "<5"
    text = page.get_by_test_id("stMain").inner_text()
    for name in ("Kai Kurz", "Dieter Dorn", "Ida Imhof", "beispiel-gmbh.de"):
        assert name not in text
    expect(page.get_by_role("button", name="Download invitation list (CSV)")).to_have_count(0)
    whole_page(page, "training-executive")
