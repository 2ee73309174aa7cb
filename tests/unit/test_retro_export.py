"""Markdown and printable HTML of a retrospective, in German and English."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from crm_dash.markdown import md_unescape
from crm_dash.retro.compare import compare_with_previous
from crm_dash.retro.export import export_file_name, retro_html, retro_markdown
from crm_dash.retro.model import Evidence, ItemStatus, Retro, RetroHeader, RetroItem
from crm_dash.retro.store import create_retro, evidence_snapshot, get_retro, retro_items, save_retro

GENERATED = date(2026, 6, 19)
MARCH, JUNE = date(2026, 3, 12), date(2026, 6, 18)


def _evidence(months: int) -> dict[str, Evidence]:
    return {"training.regular": Evidence(
        item_id="training.regular", month=date(2026, 5, 1), has_data=True,
        text_key="retro.evidence.training.regular", values={"months": months, "sessions": 9},
        suggested_status=ItemStatus.IN_PROGRESS, rule_key="retro.rule.training.regular",
        rule_values={"done_months": 10, "progress_months": 4})}


@pytest.fixture
def saved(conn: duckdb.DuckDBPyConnection) -> tuple[Retro, list[RetroItem]]:
    """March: an open action with notes on two lines; June: it is carried over, training
    is done, a new action with markup in it."""
    march = create_retro(conn, RetroHeader(held_on=MARCH, participants="Anna"), actor="lead")
    save_retro(conn, march.id, RetroHeader(held_on=MARCH, participants="Anna"), [
        {"item_id": "origin.results", "status": "open", "notes": "Figures for the board\nby May",
         "owner": "Anna", "due_date": "2026-04-30"},
    ], actor="lead", evidence=_evidence(5), evidence_month=date(2026, 2, 1))
    june = create_retro(conn, RetroHeader(held_on=JUNE, participants="Anna, Bernd"), actor="lead")
    save_retro(conn, june.id, RetroHeader(held_on=JUNE, participants="Anna, Bernd"), [
        {"item_id": "training.regular", "status": "done"},
        {"item_id": "acceptance.no_shadow_lists", "status": "in_progress",
         "notes": "<script>alert(1)</script> *Excel* | lists", "owner": "Key users"},
    ], actor="lead", evidence=_evidence(7), evidence_month=date(2026, 5, 1))
    retro = get_retro(conn, june.id)
    return retro, retro_items(conn, retro)


def _read(markdown: str) -> list[str]:
    """The lines as a reader sees them: user text comes escaped (crm_dash.markdown)."""
    return [md_unescape(line) for line in markdown.splitlines()]


def test_markdown_in_english(conn: duckdb.DuckDBPyConnection,
                             saved: tuple[Retro, list[RetroItem]]) -> None:
    retro, items = saved
    comparison = compare_with_previous(conn, retro)
    text = retro_markdown(retro, items, evidence_snapshot(conn, retro.id), "en",
                          comparison=comparison, generated=GENERATED)
    lines = _read(text)
    assert lines[0] == "# Retrospective of 18 Jun 2026"
    assert "- **Participants:** Anna, Bernd" in lines
    assert "- **Figures of:** May 2026" in lines
    assert "- **Status:** 1 done · 1 in progress · 35 open · 0 not applicable" in lines
    assert ("- **What the CRM has delivered so far is stated in figures** (Open): "
            "Owner: Anna · Due date: 30 Apr 2026") in lines
    assert ("- [x] **Training sessions take place regularly, about monthly, in person and as "
            "webinars**: *Done*") in lines
    assert ("  - Data: Training took place in 7 of the 12 months up to May 2026 (9 sessions). "
            "(Suggested: In progress)") in lines
    assert "  - Carried over from the retrospective of 12 Mar 2026" in lines
    assert "  - Notes: Figures for the board  " in lines and "    by May" in lines
    # user text is shown literally, never as markup
    assert "\\<script\\>alert\\(1\\)\\<\\/script\\> \\*Excel\\* \\| lists" in text
    assert "## Compared with the retrospective of 12 Mar 2026" in lines
    assert ("- Training sessions take place regularly, about monthly, in person and as webinars: "
            "Open → Done") in lines
    assert "### Actions still open" in lines and "### New actions" in lines
    assert "  - Then: Training took place in 5 of the 12 months up to May 2026 (9 sessions)." \
        in lines
    assert lines[-1].startswith("Exported from crm-dash on 19 Jun 2026 · checklist template "
                                "version 1")


def test_markdown_in_german(conn: duckdb.DuckDBPyConnection,
                            saved: tuple[Retro, list[RetroItem]]) -> None:
    retro, items = saved
    text = retro_markdown(retro, items, evidence_snapshot(conn, retro.id), "de",
                          generated=GENERATED)
    lines = _read(text)
    assert lines[0] == "# Retrospektive vom 18.06.2026"
    assert "- **Teilnehmende:** Anna, Bernd" in lines
    assert "- **Stand:** 1 erledigt · 1 in Arbeit · 35 offen · 0 nicht relevant" in lines
    assert "## Offene Maßnahmen" in lines and "## Einführung und Schulung" in lines
    assert ("  - Daten: In 7 der 12 Monate bis Mai 2026 fanden Schulungen statt (9 Termine). "
            "(Vorschlag: In Arbeit)") in lines
    assert "  - Verantwortlich: Anna · Fällig am: 30.04.2026" in lines
    assert "Vergleich" not in text  # no comparison asked for
    assert "Open" not in text and "Done" not in text


def test_the_printable_page_is_self_contained_and_escapes_user_text(
        conn: duckdb.DuckDBPyConnection, saved: tuple[Retro, list[RetroItem]]) -> None:
    retro, items = saved
    html = retro_html(retro, items, evidence_snapshot(conn, retro.id), "en",
                      comparison=compare_with_previous(conn, retro), generated=GENERATED)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "@page { size: A4" in html and "@media print" in html
    assert "<script" not in html.replace("&lt;script&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "http://" not in html and "https://" not in html
    assert "<h1>Retrospective of 18 Jun 2026</h1>" in html
    assert html.count('class="item"') == len(items)
    assert 'class="badge status-done"' in html
    assert "Compared with the retrospective of 12 Mar 2026" in html
    german = retro_html(retro, items, {}, "de", generated=GENERATED)
    assert '<html lang="de">' in german and "Retrospektive vom 18.06.2026" in german
    assert "Offene Maßnahmen" in german


def test_file_names(saved: tuple[Retro, list[RetroItem]]) -> None:
    retro, _ = saved
    assert export_file_name(retro, "md") == "retro-2026-06-18.md"
    assert export_file_name(retro, "html") == "retro-2026-06-18.html"
