"""A German company's exports leave fields out (tests/unknown_company.py says which and why): in
the browser the lead answers the coverage question once, follows the Overview's health line to
Data health, and reads why the pipeline's close-date figure is not in the data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    AppServer,
    login,
    metric_value,
    open_page,
    wait_idle,
    whole_page,
    with_accounts,
)
from tests.unknown_company import FILES, FOLDER, build


def test_lead_answers_the_question_follows_health_and_reads_why(
    start_app: Callable[[Path], AppServer], tmp_path: Path, page: Page
) -> None:
    # The usage log without its last two days ends on Wednesday 28 October 2026: October can
    # be neither proved complete nor incomplete, so the Overview asks (and shows September).
    cut = FOLDER / "nutzung.csv"
    short = tmp_path / "nutzung_bis_28.csv"
    short.write_text("".join(line for line in cut.read_text(encoding="utf-8").splitlines(True)
                             if "29.10.2026" not in line and "30.10.2026" not in line),
                     encoding="utf-8")
    database = build(tmp_path / "crm.duckdb", files=tuple(
        (str(short) if name == "nutzung.csv" else name, kind, left_out)
        for name, kind, left_out in FILES))
    server = start_app(with_accounts(database))
    page.goto(server.url)
    login(page, "lead")
    expect(page.get_by_text("Does this export cover all of October 2026?")).to_be_visible(
        timeout=20_000)
    expect(page.get_by_role("heading", name="Adoption in September 2026")).to_be_visible()
    whole_page(page, "unknown-question")
    page.get_by_role("button", name="Yes, all of it").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Adoption in October 2026")).to_be_visible(
        timeout=20_000)
    expect(page.get_by_text("Does this export cover all of October 2026?")).to_have_count(0)

    # One line of data health, with a link to the page and its finding.
    wait_idle(page)
    # .first: during a rerun, the previous run's element can briefly stand beside the new one
    expect(page.get_by_text("Data health: 1 finding needs attention.").first).to_be_visible()
    page.get_by_role("link", name="Open data health").first.click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Data health").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("3 learners of the training records are not found on the "
                            "roster")).to_be_visible()

    open_page(page, "Pipeline")
    assert metric_value(page, "Close date passed") == "–"
    expect(page.get_by_text("the column 'Abschlussdatum' of 'chancen.csv' looks like it")
           ).to_be_visible()
    whole_page(page, "unknown-pipeline")
