"""Mapping by evidence: header words, values, confidence levels, and what the import reports.

Confidences are worked out by hand from the rule in crm_dash/importing/evidence.py:
``H * (0.35 + 0.65 * V) + (1 - H) * S`` (H header score, V value fit, S what values alone prove).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from crm_dash.cli import main
from crm_dash.datasets import DatasetKind
from crm_dash.fixtures import load_generic_csv
from crm_dash.importing.actions import ACTIONS
from crm_dash.importing.evidence import Evidence, propose
from crm_dash.importing.labels import IS_INTEGRATION, SUCCESS, TRAINING_STATUS, resolve_label
from crm_dash.importing.run import inspect_file, mapping_notices, run_import
from crm_dash.importing.values import profile
from crm_dash.importing.words import header_words

GENERIC = Path(__file__).parent.parent / "fixtures" / "generic"
U, A, P, T = DatasetKind.USERS, DatasetKind.USAGE, DatasetKind.PIPELINE, DatasetKind.TRAINING


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("one", "other"), [
    ("Änderungsdatum", "Aenderungsdatum"),  # umlaut or ae
    ("Abschlussdatum", "Datum des Abschlusses"),  # compound or words, any order
    ("LASTMODIFIEDDATE", "Last Modified Date"),  # system name or label
    ("Primäre E-Mail", "email"),  # extra words dropped
    ("Gesch. Umsatz", "Estimated Revenue"),  # abbreviation, German or English
    ("(Nicht ändern) Geändert am", "Modified On"),  # hidden-column marker taken off
])
def test_headers_compare_by_their_words(one: str, other: str) -> None:
    assert header_words(one).concepts == header_words(other).concepts


def test_hidden_marker_is_remembered() -> None:
    assert header_words("(Do Not Modify) Modified On").hidden
    assert not header_words("Modified On").hidden
    assert header_words("(Nicht ändern) Zeilenprüfsumme").checksum


def test_email_by_values_alone_is_unsure() -> None:
    # H = 0 ("Erreichbar unter" has no word of any field); S = 0.6 * 100 % e-mails = 0.6.
    prof = {"Erreichbar unter": profile(["a@x.de", "b@x.de", "c@x.de"])}
    match = propose(U, ["Erreichbar unter"], prof).matches["email"]
    assert (match.column, match.confidence, match.level) == ("Erreichbar unter", 0.6, "unsure")
    assert [e.code for e in match.evidence] == ["values_email"]


def test_values_speak_against_a_header() -> None:
    # "Abteilung" fits department (H = 1 - 0.02 - 0.01 = 0.97: by the lexicon, not the field's
    # own word "department", and one word), but its values are e-mails: V = 0,
    # 0.97 * 0.35 = 0.3395 < 0.4.
    prof = {"Abteilung": profile(["a@x.de", "b@x.de"]), "Id": profile(["1", "2"])}
    proposal = propose(U, ["Id", "Abteilung"], prof)
    assert "department" not in proposal.matches
    assert proposal.match("department", "Abteilung").confidence == 0.339
    # ... and they are an e-mail column: H = 0, S = 0.6.
    assert proposal.mapping["email"] == "Abteilung"


def test_better_evidence_wins_and_a_column_feeds_one_field() -> None:
    headers = ["Benutzer-ID", "Manager E-Mail", "E-Mail"]
    prof = {"Benutzer-ID": profile(["U1", "U2"]), "Manager E-Mail": profile(["m@x.de"] * 2),
            "E-Mail": profile(["a@x.de", "b@x.de"])}
    proposal = propose(U, headers, prof)
    assert proposal.mapping["email"] == "E-Mail"  # 1.0 beats 0.85 ("manager" belongs elsewhere)
    assert proposal.mapping["manager_id"] == "Manager E-Mail"
    assert len(set(proposal.mapping.values())) == len(proposal.mapping)


def test_hidden_column_counts_against_itself_where_a_visible_twin_exists(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # A Dynamics "Export to Excel" saved as CSV: the preset picks the hidden modified-on, but the
    # visible "Geändert am" has the better evidence (hidden: 1.0 * 0.5 = 0.5, raised by the
    # preset to 0.6 + 0.3 = 0.9; visible: 1.0).
    path = _csv(tmp_path, "verkaufschancen.csv",
                "(Nicht ändern) Verkaufschance;(Nicht ändern) Zeilenprüfsumme;"
                "(Nicht ändern) Geändert am;Thema;Besitzer;Geändert am\n"
                "6f1c2b1e-0000-4000-8000-000000000001;abc==;01.11.2026 08:00;Linie 3;Anna Berg;"
                "15.10.2026 09:00\n")
    inspection = inspect_file(conn, path, P, tmp_path)
    assert inspection.preset is not None and inspection.preset.name.startswith("dynamics")
    assert inspection.mapping["last_modified_at"] == "Geändert am"
    assert inspection.mapping["opportunity_id"] == "(Nicht ändern) Verkaufschance"
    hidden = inspection.proposal.match("last_modified_at", "(Nicht ändern) Geändert am")
    assert hidden.confidence == 0.9 and "hidden_twin" in [e.code for e in hidden.evidence]
    assert "(Nicht ändern) Zeilenprüfsumme" not in inspection.mapping.values()


def test_german_view_labels_of_an_opportunity_list(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "chancen.csv",
                "Thema;Verantwortlich;Vertriebsphase;Gesch. Umsatz;Gesch. Abschlussdatum;"
                "Zuletzt geändert;Status\n"
                "Linie 3;Anna Berg;Angebot;12.000,00 €;15.12.2026;01.10.2026 10:00;Offen\n"
                "Wartung;Bernd Kurz;Verhandlung;4.500,00 €;01.09.2026;02.08.2026 11:00;"
                "Gewonnen\n")
    inspection = inspect_file(conn, path, P, tmp_path)
    assert {f: inspection.mapping.get(f) for f in (
        "owner", "stage", "amount", "close_date", "last_modified_at", "is_closed", "is_won",
    )} == {"owner": "Verantwortlich", "stage": "Vertriebsphase", "amount": "Gesch. Umsatz",
           "close_date": "Gesch. Abschlussdatum", "last_modified_at": "Zuletzt geändert",
           "is_closed": "Status", "is_won": "Status"}


@pytest.mark.parametrize(("labels", "value", "expected"), [
    (ACTIONS, "Anlegen", "create"),
    (ACTIONS, "Datensatz anlegen", "create"),  # by its words
    (ACTIONS, "Login (Web)", "login"),
    (ACTIONS, "Create / Update", None),  # two meanings: unknown
    (TRAINING_STATUS, "anwesend", "attended"),
    (TRAINING_STATUS, "abgesagt", "no_show"),
    (TRAINING_STATUS, "Nicht bestanden", None),  # negated: never "completed"
    (SUCCESS, "LOGIN_ERROR_INVALID_PASSWORD", "false"),
    (IS_INTEGRATION, "Dienstkonto", "true"),
    (IS_INTEGRATION, "Mensch", "false"),
])
def test_labels_resolve_by_meaning(labels: dict[str, str], value: str,
                                   expected: str | None) -> None:
    assert resolve_label(labels, value) == expected


def test_integration_accounts_by_phrases_not_by_the_word(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "benutzer.csv",
                "Id,Name,Profile,License,User Type\n"
                "1,Anna Berg,Standard User,Salesforce,Standard\n"
                "2,SAP Connector,Minimum Access - API Only Integrations,Salesforce,Standard\n"
                "3,Middleware,System Administrator,Salesforce Integration,Standard\n"
                "4,Flow User,Standard User,Salesforce,AutomatedProcess\n"
                "5,Clara Weiß,Integration Manager,Salesforce,Standard\n"
                "6,Mailer,Standard User,Salesforce,Dienstkonto\n")
    run_import(conn, inspect_file(conn, path, U, tmp_path), imported_by="t", source="cli")
    assert conn.execute("SELECT user_id FROM users WHERE is_integration ORDER BY 1"
                        ).fetchall() == [("2",), ("3",), ("4",), ("6",)]


def test_unknown_labels_are_listed_and_can_be_given_a_meaning(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "aktivitaet.csv",
                "Benutzer;Zeitpunkt;Aktion\n"
                "U1;01.10.2026 08:00;Anmeldung\n"
                "U1;01.10.2026 08:05;Freigeben\n"
                "U1;01.10.2026 08:06;freigeben\n"
                "U1;01.10.2026 08:07;Ändern\n")
    inspection = inspect_file(conn, path, A, tmp_path)
    check = run_import(conn, inspection, imported_by="t", source="cli", commit=False)
    assert check.unknown_labels == {"action": [("Freigeben", 2)]}
    assert [n.code for n in check.notices] == ["unknown_labels"]
    assert "'Freigeben' (2)" in check.notices[0].text(A, "en")
    loaded = run_import(conn, inspection, imported_by="t", source="cli", remember=True,
                        value_labels={"action": {"freigeben": "update"}})
    assert loaded.unknown_labels == {}
    assert conn.execute("SELECT action, count(*) FROM usage_events GROUP BY 1 ORDER BY 1"
                        ).fetchall() == [("login", 1), ("update", 3)]
    # The next file of the same layout knows what "Freigeben" means.
    again = _csv(tmp_path, "aktivitaet-2.csv",
                 "Benutzer;Zeitpunkt;Aktion\nU1;02.10.2026 08:00;Freigeben\n")
    assert inspect_file(conn, again, A, tmp_path).value_labels == {
        "action": {"freigeben": "update"}}


def test_a_column_that_looks_like_an_open_figure_field_is_a_notice(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "deals.csv",
                "Deal ID,Owner,Close (expected)\nD1,Anna,2026-12-01\nD2,Bernd,2026-11-01\n")
    inspection = inspect_file(conn, path, P, tmp_path)
    assert inspection.mapping["close_date"] == "Close (expected)"
    without = {f: c for f, c in inspection.mapping.items() if f != "close_date"}
    notices = mapping_notices(inspection, without)
    assert [(n.code, n.field_name, n.values["column"]) for n in notices] == [
        ("candidate", "close_date", "Close (expected)")]
    assert notices[0].text(P, "en").startswith(
        "Column 'Close (expected)' looks like the field \"(Expected) close date\"")


def test_cli_json_has_evidence_and_takes_label_meanings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path, "log.csv", "Benutzer;Zeitpunkt;Aktion;Kanal\n"
                                     "U1;01.10.2026 07:59;Anmeldung;Web\n"
                                     "U1;01.10.2026 08:00;Freigeben;Web\n")
    code = main(["import", str(path), "--kind", "usage", "--db", str(tmp_path / "c.duckdb"),
                 "--json", "--label", "action:Freigeben=update"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and payload["warnings"] == []
    # "Aktion" is "action" by the lexicon, one word (H = 1 - 0.02 - 0.01 = 0.97); half of its
    # values are known actions, half unknown: V = 0.5 + 0.5 * 0.5 = 0.75, S = 0.6 * 0.5;
    # 0.97 * (0.35 + 0.65 * 0.75) + 0.03 * 0.3 = 0.821.
    assert payload["mapping"]["action"] == {
        "column": "Aktion", "confidence": 0.821, "level": "sure",
        "evidence": ['header "Aktion" fits', "values: 50 % are known labels of this field"]}
    assert payload["unmapped_fields"] == ["object", "success"]
    assert payload["unused_columns"] == ["Kanal"]
    bad = main(["import", str(path), "--kind", "usage", "--db", str(tmp_path / "c.duckdb"),
                "--label", "action:Freigeben=approve"])
    assert bad == 2
    assert "'approve' is not a value of action" in capsys.readouterr().err


def test_values_found_in_the_roster_decide_who(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_generic_csv(conn, U, GENERIC / "users.csv")
    # Both columns could name the learner. Without a roster the e-mail would win: 1.0 against
    # H * (0.35 + 0.65 * V) + (1 - H) * S = 0.98 * (0.35 + 0.65 * 0.95) + 0.02 * 0.45 = 0.957
    # for the ids (H 0.98: "user id" by the lexicon; V 0.95: ids; S 0.45: Salesforce ids). But
    # these are private addresses nobody in the roster has: the e-mail's 0.9945 (H 0.99: one
    # word; S 0.45) * (0.85 + 0.15 * 0) = 0.845, while the ids all are: 0.957 * 1.0.
    path = _csv(tmp_path, "schulung.csv",
                "Mitarbeiter-ID;E-Mail;Kurs;Datum\n"
                "005A00000000001AAA;jm@gmx.de;Kick-off;15.01.2024\n"
                "005A00000000002AAA;oc@web.de;Kick-off;15.01.2024\n")
    proposal = inspect_file(conn, path, T, tmp_path).proposal
    assert proposal.mapping["user"] == "Mitarbeiter-ID"
    assert proposal.match("user", "Mitarbeiter-ID").confidence == 0.957
    assert proposal.match("user", "E-Mail").confidence == 0.845
    assert Evidence("values_roster", {"pct": 100}) in proposal.match(
        "user", "Mitarbeiter-ID").evidence


def test_people_the_roster_does_not_know_are_a_notice(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_generic_csv(conn, U, GENERIC / "users.csv")
    # Owners written "Last, First" match the roster's "Jürgen Müller"; the other file's owners
    # are nobody in the roster.
    known = _csv(tmp_path, "chancen.csv", "Opportunity ID;Owner;Amount\n"
                 "O1;Müller, Jürgen;100\nO2;Weiß, Sören;200\n")
    inspection = inspect_file(conn, known, P, tmp_path)
    assert Evidence("values_roster", {"pct": 100}) in inspection.proposal.match(
        "owner", "Owner").evidence
    assert mapping_notices(inspection, inspection.mapping) == []
    strangers = _csv(tmp_path, "fremd.csv", "Opportunity ID;Owner;Amount\n"
                     "O1;Kim Lee;100\nO2;Ana Ruiz;200\n")
    inspection = inspect_file(conn, strangers, P, tmp_path)
    notices = mapping_notices(inspection, inspection.mapping)
    # Owner: H 0.99 (one word), V 0.85 (names) -> 0.99 * (0.35 + 0.65 * 0.85) = 0.894, and
    # nobody in the roster: * 0.85 = 0.76, unsure.
    assert [(n.code, n.values) for n in notices] == [
        ("unsure", {"column": "Owner", "pct": 76}),
        ("not_in_roster", {"column": "Owner", "pct": 0})]
    assert notices[1].text(P, "de").startswith(
        "Nur 0 % der Werte in Spalte „Owner“ bezeichnen Personen der Benutzerliste")


def test_one_column_for_two_fields_is_a_notice(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "liste.csv", "Id;Tätigkeit\n1;Vertrieb\n2;Service\n")
    inspection = inspect_file(conn, path, U, tmp_path)
    notices = mapping_notices(inspection, {"user_id": "Id", "role": "Tätigkeit",
                                           "team": "Tätigkeit"})
    assert [n.text(U, "en") for n in notices] == [
        "Column 'Tätigkeit' fills both the field \"Team or region\" and \"Role or job title\"."
        " Usually one column means one thing."]


def test_a_confirmed_mapping_is_not_flagged_again(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    first = _csv(tmp_path, "liste-1.csv", "Nr;Erreichbar unter\n1;a@x.de\n2;b@x.de\n")
    inspection = inspect_file(conn, first, U, tmp_path)
    assert [n.code for n in mapping_notices(inspection, inspection.mapping)] == ["unsure"]
    run_import(conn, inspection, imported_by="lead", source="upload", remember=True)
    second = _csv(tmp_path, "liste-2.csv", "Nr;Erreichbar unter\n3;c@x.de\n")
    again = inspect_file(conn, second, U, tmp_path)
    assert again.remembered is not None
    assert mapping_notices(again, again.mapping) == []


def test_currency_names_are_stored_as_codes(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "chancen.csv", "Opportunity ID;Owner;Amount;Währung\n"
                "O1;Anna;100;Euro\nO2;Bernd;200;Schweizer Franken\nO3;Clara;300;USD\n")
    run_import(conn, inspect_file(conn, path, P, tmp_path), imported_by="t", source="cli")
    assert conn.execute("SELECT currency FROM opportunities ORDER BY opportunity_id"
                        ).fetchall() == [("EUR",), ("CHF",), ("USD",)]
