"""The Retrospective page in AppTest: leads start, edit and save; drafts survive a fresh session;
executives read only.

Data: tests/fixtures/retro (see its README: October 2026 is the evidence month; 12 of 15
licensed people trained, 3 of 5 joiners onboarded within 30 days, hygiene score 75).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.fixtures import load_generic_folder
from crm_dash.markdown import md_unescape
from crm_dash.retro.model import ItemStatus, RetroHeader
from crm_dash.retro.store import (
    create_retro,
    get_retro,
    list_retros,
    read_draft,
    retro_items,
    save_retro,
    write_draft,
)

ROOT = Path(__file__).parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "retro"
HELD_ON = date(2026, 11, 20)
PEOPLE = ["Anna Adler", "Bernd Berger", "Clara Cordes", "Olaf Otto"]


def _db(tmp_path: Path, *, with_retro: bool = True) -> Path:
    path = tmp_path / "retro.duckdb"
    conn = db.connect(path)
    load_generic_folder(conn, FIXTURE)
    if with_retro:
        retro = create_retro(conn, RetroHeader(held_on=HELD_ON, participants="Project team"),
                             actor="lead")
        save_retro(conn, retro.id, RetroHeader(held_on=HELD_ON, participants="Project team"), [
            {"item_id": "training.onboarding", "status": "in_progress",
             "notes": "Checklist for joiners", "owner": "HR", "due_date": "2026-12-31"},
            {"item_id": "origin.goal_known", "status": "done"},
        ], actor="lead")
    conn.close()
    return path


def _texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.success,
                               *at.error)]
    parts += [str(getattr(e, "value", "")) for e in (*at.header, *at.title)]
    # as a reader sees them: user text and evidence come escaped (crm_dash.markdown)
    return md_unescape("\n".join(str(p) for p in parts))


def _page(make_app: Callable[..., AppTest], path: Path, role: str = "lead",
          lang: str = "en") -> AppTest:
    at = make_app(path, "pages/retro.py", role=role)
    at.session_state["crm_dash_lang"] = lang
    return at.run()


def _status(item_id: str, retro_id: int = 1) -> str:
    return f"retro_{retro_id}_status_{item_id}"


def test_lead_edits_and_saves_and_a_draft_is_kept_meanwhile(
        make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    path = _db(tmp_path)
    at = _page(make_app, path)
    assert not at.exception
    text = _texts(at)
    assert "Retrospective of 20 Nov 2026" in text
    assert "Figures of October 2026" in text
    # evidence next to its item, with the suggested status (hand-computed, see the README)
    assert ("3 of 5 joiners of the 12 months up to October 2026 (60%) were trained within 30 "
            "days of starting.") in text
    assert "12 of 15 licensed people (80%) had attended a training" in text
    assert "Hygiene score 75 of 100 over 4 open opportunities" in text
    assert at.selectbox(key=_status("training.onboarding")).value == "in_progress"
    assert at.text_area(key="retro_1_notes_training.onboarding").value == "Checklist for joiners"
    assert at.date_input(key="retro_1_due_training.onboarding").value == date(2026, 12, 31)

    at.selectbox(key=_status("training.regular")).set_value("done").run()
    at.text_area(key="retro_1_notes_training.regular").input("Monthly office hours").run()
    at.text_input(key="retro_1_owner_training.regular").input("Key users").run()
    assert not at.exception
    conn = db.connect(path)
    draft = read_draft(conn, 1, "lead")
    conn.close()
    assert draft is not None
    assert draft.payload["items"]["training.regular"] == {
        "status": "done", "notes": "Monthly office hours", "owner": "Key users", "due_date": None}
    conn = db.connect(path)
    saved = {i.item_id: i for i in retro_items(conn, get_retro(conn, 1))}
    conn.close()
    assert saved["training.regular"].status is ItemStatus.OPEN  # not saved yet

    at.button(key="retro_1_save").click().run()
    assert not at.exception
    assert "Retrospective saved (1 items changed)." in [s.value for s in at.success]
    conn = db.connect(path)
    retro = get_retro(conn, 1)
    items = {i.item_id: i for i in retro_items(conn, retro)}
    assert items["training.regular"].status is ItemStatus.DONE
    assert (items["training.regular"].notes, items["training.regular"].owner) == (
        "Monthly office hours", "Key users")
    assert read_draft(conn, 1, "lead") is None
    assert retro.evidence_month == date(2026, 10, 1)  # the snapshot of what was shown
    conn.close()


def test_a_draft_is_restored_in_a_fresh_session_and_can_be_discarded(
        make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    path = _db(tmp_path)
    conn = db.connect(path)
    write_draft(conn, 1, "lead", {
        "header": {"held_on": "2026-11-20", "participants": "Project team, admins"},
        "items": {"origin.results": {"status": "in_progress", "notes": "Typed before a reload",
                                     "owner": "Petra", "due_date": "2027-01-15"}}})
    conn.close()
    at = _page(make_app, path)  # a new session: nothing in the session state
    assert not at.exception
    assert any("Unsaved changes from" in w.value and "restored" in w.value for w in at.warning)
    assert at.selectbox(key=_status("origin.results")).value == "in_progress"
    assert at.text_area(key="retro_1_notes_origin.results").value == "Typed before a reload"
    assert at.date_input(key="retro_1_due_origin.results").value == date(2027, 1, 15)
    assert at.text_input(key="retro_1_participants").value == "Project team, admins"
    # items the draft does not name show the saved values
    assert at.text_area(key="retro_1_notes_training.onboarding").value == "Checklist for joiners"

    at.button(key="retro_1_discard").click().run()
    assert not at.exception
    assert "Unsaved changes discarded." in [s.value for s in at.success]
    assert at.selectbox(key=_status("origin.results")).value == "open"
    assert at.text_area(key="retro_1_notes_origin.results").value == ""
    conn = db.connect(path)
    assert read_draft(conn, 1, "lead") is None
    conn.close()


def test_taking_a_suggestion(make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    path = _db(tmp_path)
    at = _page(make_app, path)
    # data_quality.integration_accounts: 1 integration account, suggested done
    at.button(key="retro_1_take_data_quality.integration_accounts").click().run()
    assert at.selectbox(key=_status("data_quality.integration_accounts")).value == "done"
    conn = db.connect(path)
    draft = read_draft(conn, 1, "lead")
    conn.close()
    assert draft is not None
    assert draft.payload["items"]["data_quality.integration_accounts"]["status"] == "done"


def test_lead_starts_the_next_retro_with_open_actions_carried_over(
        make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    path = _db(tmp_path)
    at = _page(make_app, path)
    assert ("Every item starts with its status in the retrospective of 20 Nov 2026; its 1 open "
            "actions also bring") in _texts(at)
    at.date_input(key="retro_new_held_on").set_value(date(2026, 12, 15))
    at.text_input(key="retro_new_participants").input("Project team")
    at.button(key="retro_new_start").click().run()
    assert not at.exception
    assert "Retrospective of 15 Dec 2026 started." in [s.value for s in at.success]
    assert at.query_params["retro"] == "2"
    assert "Retrospective of 15 Dec 2026" in _texts(at)
    assert at.selectbox(key=_status("training.onboarding", 2)).value == "in_progress"
    assert at.text_area(key="retro_2_notes_training.onboarding").value == \
        "Checklist for joiners"
    assert "Carried over from the retrospective of 20 Nov 2026" in _texts(at)
    assert at.selectbox(key=_status("origin.goal_known", 2)).value == "done"  # its status
    assert "appears once this one is saved; 1 open actions were carried over" in _texts(at)
    conn = db.connect(path)
    assert [s.retro.held_on for s in list_retros(conn)] == [date(2026, 12, 15), HELD_ON]
    conn.close()

    at.button(key="retro_2_save").click().run()  # once saved, the comparison is there
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert "Compared with the retrospective of 20 Nov 2026" in labels
    assert {m.label: m.value for m in at.metric}["Actions still open"] == "1"


def test_the_url_chooses_the_retro(make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    path = _db(tmp_path)
    conn = db.connect(path)
    create_retro(conn, RetroHeader(held_on=date(2026, 12, 15)), actor="lead")
    conn.close()
    at = make_app(path, "pages/retro.py", role="lead")
    at.query_params["retro"] = "1"
    at.run()
    assert "Retrospective of 20 Nov 2026" in _texts(at)
    at = make_app(path, "pages/retro.py", role="lead").run()  # without: the latest
    assert "Retrospective of 15 Dec 2026" in _texts(at)


def test_executive_reads_without_widgets_that_edit(make_app: Callable[..., AppTest],
                                                  tmp_path: Path) -> None:
    path = _db(tmp_path)
    at = _page(make_app, path, role="executive")
    assert not at.exception
    text = _texts(at)
    assert "Retrospective of 20 Nov 2026" in text
    assert "You see the retrospectives read-only" in text
    # the meeting's content; the owner a lead typed reads as a role
    assert "Checklist for joiners" in text and "Owner: Project lead" in text
    assert "Owner: HR" not in text
    assert [b.label for b in at.button if b.label in ("Save", "Start retrospective")] == []
    assert len(at.text_area) == 0 and len(at.date_input) == 0
    assert [s.key for s in at.selectbox] == ["retro_pick"]
    assert "Started on" in text and "Started by" not in text and "by lead" not in text
    assert not any(name in text for name in PEOPLE)
    # before the first save with figures, readers see the figures of now
    assert "12 of 15 licensed people (80%)" in text


def test_german(make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    at = _page(make_app, _db(tmp_path), lang="de")
    assert not at.exception
    text = _texts(at)
    assert "Retrospektive vom 20.11.2026" in text
    assert "Zahlen für Oktober 2026" in text
    assert "Vorschlag: In Arbeit" in text
    assert at.tabs[0].label == "Ursprung"


@pytest.mark.parametrize(("role", "message"), [
    ("lead", "No retrospective yet. Start the first one above"),
    ("executive", "No retrospective yet. Project leads start them"),
])
def test_without_any_retro(make_app: Callable[..., AppTest], tmp_path: Path, role: str,
                           message: str) -> None:
    at = _page(make_app, _db(tmp_path, with_retro=False), role=role)
    assert not at.exception
    assert message in at.info[-1].value
    assert (len(at.button(key="retro_new_start").label) > 0) if role == "lead" else \
        all(b.key != "retro_new_start" for b in at.button)


def test_names_typed_by_leads_reach_executives_as_roles(
        make_app: Callable[..., AppTest], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _db(tmp_path, with_retro=False)
    conn = db.connect(path)
    header = RetroHeader(held_on=HELD_ON, participants="Petra Projekt, Xaver Xylo")
    retro = create_retro(conn, header, actor="lead")
    save_retro(conn, retro.id, header, [
        {"item_id": "training.onboarding", "status": "open", "notes": "Plan the onboarding",
         "owner": "Yvonne Ypsilon", "due_date": "2026-12-31"}], actor="lead")
    conn.close()
    names = ("Petra Projekt", "Xaver Xylo", "Yvonne Ypsilon")
    lead = _page(make_app, path)
    assert "Yvonne Ypsilon" in [i.value for i in lead.text_input]  # leads work with names
    from crm_dash.views import retro as retro_views

    exported: list[str] = []  # the Markdown download, as the page builds it

    def markdown(*args: Any, **kwargs: Any) -> str:
        exported.append(real(*args, **kwargs))
        return exported[-1]

    real = retro_views.retro_markdown
    monkeypatch.setattr(retro_views, "retro_markdown", markdown)
    at = _page(make_app, path, role="executive")
    assert not at.exception
    shown = _texts(at) + "".join(str(df.value) for df in at.dataframe)
    assert exported and "Project lead" in exported[-1]
    assert not any(name in shown or name in exported[-1] for name in names)
    assert "Owner: Project lead" in shown
