"""A roster whose e-mail column has a wording no list knows: the values give it away, the page
says why and how sure, and the training records matched by e-mail give the right trained share.

Fixtures and the hand computation: tests/fixtures/exports/evidence/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    AppServer,
    choose_file,
    login,
    metric_value,
    open_page,
    wait_idle,
    whole_page,
    with_accounts,
)

EVIDENCE = Path(__file__).parent.parent / "fixtures" / "exports" / "evidence"


def _load(page: Page, rows: int) -> None:
    page.get_by_role("button", name="Load", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text(f"Loaded {rows} rows as upload #")).to_be_visible(timeout=20_000)


def test_email_found_by_its_values_then_training_matches(
    start_app: Callable[[Path], AppServer], tmp_path: Path, page: Page
) -> None:
    from crm_dash import db
    from crm_dash.datasets import DatasetKind
    from crm_dash.fixtures import load_generic_csv

    database = with_accounts(tmp_path / "crm.duckdb")
    conn = db.connect(database)
    load_generic_csv(conn, DatasetKind.USAGE, EVIDENCE / "usage.csv")  # up to 31.10.2026
    conn.close()
    server = start_app(database)
    page.goto(server.url)
    login(page, "lead")
    expect(page.get_by_role("heading", name="Overview").first).to_be_visible(timeout=20_000)
    wait_idle(page)
    open_page(page, "Upload data")

    choose_file(page, EVIDENCE / "roster_hr_list.csv")
    # Not "mapped for you": the e-mail column is unsure, and the page says which and why.
    expect(page.get_by_text("Please check the mapping:")).to_be_visible(timeout=20_000)
    expect(page.get_by_text(
        "Unsure: column 'Erreichbar unter' is used for the field \"E-mail address\" (60 % sure)."
    )).to_be_visible()
    expect(page.get_by_text("unsure · 60 % — values: 100 % look like e-mails")).to_be_visible()
    expect(page.get_by_text('sure · 98 % — header "Austritt" fits')).to_be_visible()
    expect(page.get_by_text("mapped for you")).to_have_count(0)
    whole_page(page, "evidence-roster-check")
    _load(page, 11)

    page.get_by_text("Training records", exact=True).click()
    wait_idle(page)
    choose_file(page, EVIDENCE / "training_lms.csv")
    expect(page.get_by_text('header "Teilnehmer-Mail" fits; values: 100 % look like e-mails')
           .first).to_be_visible(timeout=20_000)
    whole_page(page, "evidence-training-check")
    _load(page, 8)

    open_page(page, "Training")
    # 4 of the 10 people licensed in October 2026 attended or completed a training by then.
    assert metric_value(page, "Trained share") == "40%"
    expect(page.get_by_text("4 of 10 licensed people").first).to_be_visible()
    whole_page(page, "evidence-training-page")
