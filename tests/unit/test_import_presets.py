"""Every preset with a fixture in its real format: detection, mapping, normalisation, loading.

Expected values are written out by hand from the fixture files in tests/fixtures/exports/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.importing.presets import PRESETS
from crm_dash.importing.run import ImportReport, inspect_file, run_import

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"
U, A, P, T = DatasetKind.USERS, DatasetKind.USAGE, DatasetKind.PIPELINE, DatasetKind.TRAINING


def load(conn: duckdb.DuckDBPyConnection, name: str, kind: DatasetKind,
         tmp: Path) -> ImportReport:
    inspection = inspect_file(conn, EXPORTS / name, kind, tmp)
    return run_import(conn, inspection, imported_by="test", source="cli")


# (file, dataset, preset, encoding, delimiter, some proposed field -> header pairs, rows loaded)
CASES: list[tuple[str, DatasetKind, str, str, str, dict[str, str], int]] = [
    ("salesforce_user.csv", U, "salesforce_user", "utf-8", ",",
     {"user_id": "Id", "role": "Profile.Name", "is_integration": "UserType"}, 4),
    ("dynamics_systemuser.csv", U, "dynamics_systemuser", "utf-8", ",",
     {"user_id": "systemuserid", "email": "internalemailaddress",
      "is_integration": "accessmode"}, 3),
    ("dynamics_systemuser_excel.csv", U, "dynamics_systemuser_excel", "utf-8-sig", ",",
     {"user_id": "(Do Not Modify) User", "is_integration": "Access Mode"}, 2),
    ("dynamics_systemuser_excel_de.csv", U, "dynamics_systemuser_excel_de", "cp1252", ";",
     {"user_id": "(Nicht ändern) Benutzer", "is_integration": "Zugriffsmodus",
      "name": "Vollständiger Name"}, 3),
    ("salesforce_loginhistory.csv", A, "salesforce_loginhistory", "utf-8", ",",
     {"user_id": "UserId", "timestamp": "LoginTime", "success": "Status"}, 4),
    ("salesforce_loginhistory_setup.csv", A, "salesforce_loginhistory_setup", "utf-8", ",",
     {"user_id": "Username", "timestamp": "Login Time"}, 2),
    ("salesforce_eventlog_login.csv", A, "salesforce_eventlog_login", "utf-8", ",",
     {"user_id": "USER_ID_DERIVED", "timestamp": "TIMESTAMP_DERIVED",
      "success": "LOGIN_STATUS"}, 3),
    ("salesforce_eventlog_uri.csv", A, "salesforce_eventlog_uri", "utf-8", ",",
     {"action": "EVENT_TYPE", "success": "REQUEST_STATUS"}, 2),
    ("salesforce_eventlog_lightningpageview.csv", A, "salesforce_eventlog_lightningpageview",
     "utf-8", ",", {"object": "PAGE_ENTITY_TYPE"}, 2),
    ("salesforce_eventlog_api.csv", A, "salesforce_eventlog_api", "utf-8", ",",
     {"action": "METHOD_NAME", "object": "ENTITY_NAME"}, 5),
    ("dynamics_audit.csv", A, "dynamics_audit", "utf-8", ",",
     {"user_id": "userid", "action": "operation", "object": "objecttypecode"}, 5),
    ("dynamics_audit_view.csv", A, "dynamics_audit_view", "utf-8-sig", ",",
     {"user_id": "Changed By", "timestamp": "Changed Date"}, 3),
    ("dynamics_audit_view_de.csv", A, "dynamics_audit_view_de", "cp1252", ";",
     {"user_id": "Geändert von", "timestamp": "Änderungsdatum", "action": "Vorgang"}, 4),
    ("salesforce_dataloader_opportunity.csv", P, "salesforce_opportunity_dataloader", "utf-8",
     ",", {"opportunity_id": "ID", "owner": "OWNERID", "is_won": "ISWON"}, 38),
    ("salesforce_opportunity_dataloader_lowercase.csv", P, "salesforce_opportunity_dataloader",
     "utf-8", ",", {"opportunity_id": "id", "stage": "stagename"}, 3),
    ("salesforce_opportunity_report.csv", P, "salesforce_opportunity_report", "utf-8", ",",
     {"opportunity_id": "Opportunity ID", "owner": "Opportunity Owner", "is_won": "Stage"}, 3),
    ("salesforce_opportunity_report_de.csv", P, "salesforce_opportunity_report_de", "utf-8", ",",
     {"opportunity_id": "Opportunity-Name", "amount": "Betrag"}, 2),
    ("dynamics_opportunity.csv", P, "dynamics_opportunity", "utf-8", ",",
     {"opportunity_id": "opportunityid", "is_closed": "statecode"}, 3),
    ("dynamics_opportunity_excel.csv", P, "dynamics_opportunity_excel", "utf-8-sig", ",",
     {"opportunity_id": "(Do Not Modify) Opportunity",
      "last_modified_at": "(Do Not Modify) Modified On", "is_won": "Status"}, 3),
    ("dynamics_opportunity_excel_de.csv", P, "dynamics_opportunity_excel_de", "cp1252", ";",
     {"opportunity_id": "(Nicht ändern) Verkaufschance", "amount": "Geschätzter Umsatz"}, 3),
    ("hubspot_deals_view.csv", P, "hubspot_deals", "utf-8-sig", ",",
     {"opportunity_id": "Record ID", "owner": "Deal owner", "is_won": "Deal Stage"}, 3),
    ("hubspot_deals_all_properties.csv", P, "hubspot_deals", "utf-8-sig", ",",
     {"account": "Associated Company", "is_closed": "Is Deal Closed?"}, 2),
    ("pipedrive_deals_en.csv", P, "pipedrive_deals", "utf-8", ",",
     {"opportunity_id": "Deal - ID", "is_won": "Deal - Status"}, 3),
    ("pipedrive_deals_de.csv", P, "pipedrive_deals_de", "utf-8-sig", ";",
     {"owner": "Deal - Besitzer", "amount": "Deal - Wert"}, 3),
    ("lms_transcript.csv", T, "lms_transcript", "utf-8", ",",
     {"user": "User Email", "status": "Transcript Status", "kind": "Training Type"}, 4),
]


def test_every_preset_has_a_fixture() -> None:
    covered = {(kind, preset) for _, kind, preset, *_ in CASES}
    for preset in PRESETS:
        if preset.name != "generic":
            assert (preset.kind, preset.name) in covered, preset.name


@pytest.mark.parametrize(
    ("name", "kind", "preset", "encoding", "delimiter", "proposed", "loaded"), CASES,
    ids=[c[0] for c in CASES],
)
def test_preset_is_recognised_and_loads(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str, kind: DatasetKind,
    preset: str, encoding: str, delimiter: str, proposed: dict[str, str], loaded: int,
) -> None:
    inspection = inspect_file(conn, EXPORTS / name, kind, tmp_path)
    assert inspection.preset is not None and inspection.preset.name == preset
    assert (inspection.scan.encoding, inspection.layout.delimiter) == (encoding, delimiter)
    assert proposed.items() <= inspection.mapping.items()
    report = run_import(conn, inspection, imported_by="test", source="cli")
    assert report.status == "loaded"
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (loaded, loaded, 0)


def _rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return conn.execute(sql).fetchall()


def test_salesforce_user_integrations_from_user_type_and_api_only_profile(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load(conn, "salesforce_user.csv", U, tmp_path)
    assert _rows(conn, "SELECT user_key, name, is_integration FROM users ORDER BY user_key") == [
        ("005Dn000001AbCd", "Jürgen Müller", False),
        ("005Dn000001AbCe", "Sören Weiß", False),
        ("005Dn000001AbCf", "SAP Integration", True),  # profile "API Only"
        ("005Dn000001AbCg", "Automated Process", True),  # UserType AutomatedProcess
    ]
    assert _rows(conn, "SELECT email, start_date::VARCHAR FROM users WHERE name = 'Jürgen Müller'"
                 ) == [("Juergen.Mueller@Beispiel-GmbH.de", "2024-01-08")]


@pytest.mark.parametrize(
    ("name", "integration"),
    [("dynamics_systemuser.csv", "# Dataverse Connector"),
     ("dynamics_systemuser_excel.csv", "Power Automate Flow"),
     ("dynamics_systemuser_excel_de.csv", "SAP-Schnittstelle")],
)
def test_dynamics_non_interactive_users_are_integrations(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str, integration: str
) -> None:
    load(conn, name, U, tmp_path)
    assert _rows(conn, "SELECT name FROM users WHERE is_integration") == [(integration,)]


def test_german_excel_systemuser_keeps_umlauts_and_dates(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load(conn, "dynamics_systemuser_excel_de.csv", U, tmp_path)
    assert _rows(conn, "SELECT name, department, role, start_date::VARCHAR FROM users"
                 " WHERE NOT is_integration ORDER BY name") == [
        ("Jürgen Müller", "Vertrieb Süd", "Teamleitung", "2024-01-08"),
        ("Özlem Çelik", "Vertrieb Süd", "Außendienst", "2024-01-08"),
    ]


def test_german_excel_roster_with_title_block(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inspection = inspect_file(conn, EXPORTS / "roster_de_excel.csv", U, tmp_path)
    assert inspection.layout.header_line == 4  # a title, an export note and a blank row above
    run_import(conn, inspection, imported_by="test", source="cli")
    assert _rows(conn, "SELECT name, license_cost_monthly::VARCHAR, end_date::VARCHAR,"
                 " is_integration FROM users ORDER BY user_key") == [
        ("Jürgen Müller", "165.00", None, False),
        ("Özlem Çelik", "165.00", None, False),
        ("Sören Weiß", "1165.50", None, False),  # "1.165,50"
        ("Björn Köhler", "25.00", "2026-10-15", False),
        ("SAP Integration", "0.00", None, True),  # Benutzertyp "Integration"
    ]


def test_login_history_failed_logins_and_offsets(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load(conn, "salesforce_loginhistory.csv", A, tmp_path)
    assert _rows(conn, "SELECT user_key, ts::VARCHAR, action, success FROM usage_events"
                 " ORDER BY ts") == [
        ("005Dn000001AbCd", "2026-10-01 06:15:30", "login", True),
        ("005Dn000001AbCe", "2026-10-01 07:02:11", "login", False),  # "Invalid Password"
        ("005Dn000001AbCe", "2026-10-01 07:03:40", "login", True),  # 15-char id, same person
        ("005Dn000001AbCf", "2026-10-01 23:59:01", "login", True),
    ]


def test_login_history_setup_download_us_dates(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load(conn, "salesforce_loginhistory_setup.csv", A, tmp_path)
    assert _rows(conn, "SELECT user_key, ts::VARCHAR, success FROM usage_events ORDER BY ts") == [
        ("j.mueller@beispiel-gmbh.de", "2026-10-01 08:15:30", True),
        ("s.weiss@beispiel-gmbh.de", "2026-10-01 15:19:05", False),  # 3:19:05 PM, lockout
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("salesforce_eventlog_login.csv", [
            ("2026-10-01 06:15:30.655", "login", "Login", None, True),
            ("2026-10-01 07:02:11.102", "login", "Login", None, False),
            ("2026-10-01 23:59:01.001", "login", "Login", None, True),
        ]),
        ("salesforce_eventlog_uri.csv", [
            ("2026-10-01 06:20:01.25", "view", "URI", None, True),
            ("2026-10-01 06:21:05", "view", "URI", None, False),  # REQUEST_STATUS N
        ]),
        ("salesforce_eventlog_lightningpageview.csv", [
            ("2026-10-01 06:30:00.5", "view", "LightningPageView", "Opportunity", True),
            ("2026-10-01 06:35:12", "view", "LightningPageView", "Account", True),
        ]),
        ("salesforce_eventlog_api.csv", [
            ("2026-10-01 06:40:00", "create", "create", "Opportunity", True),
            ("2026-10-01 06:41:00", "update", "update", "Opportunity", True),
            ("2026-10-01 06:42:00", "export", "query", "Account", True),
            ("2026-10-01 06:43:00", "delete", "delete", "Lead", True),
            ("2026-10-01 06:44:00", "other", "describeSObject", "Account", True),
        ]),
        ("dynamics_audit.csv", [
            ("2026-10-01 06:15:30", "login", "4", "systemuser", True),  # action 64
            ("2026-10-01 06:20:00", "create", "1", "account", True),
            ("2026-10-01 06:25:00", "update", "2", "opportunity", True),
            ("2026-10-01 06:30:00", "delete", "3", "contact", True),
            ("2026-10-01 06:35:00", "login", "4", "systemuser", True),  # action 65
        ]),
        ("dynamics_audit_view.csv", [
            ("2026-10-01 08:15:00", "login", "Access", "User", True),  # User Access via Web
            ("2026-10-01 08:20:00", "create", "Create", "Account", True),
            ("2026-10-01 08:25:00", "update", "Update", "Opportunity", True),
        ]),
        ("dynamics_audit_view_de.csv", [
            ("2026-10-01 08:15:00", "login", "Zugriff", "Benutzer", True),
            ("2026-10-01 08:20:00", "create", "Erstellen", "Firma", True),
            ("2026-10-01 08:25:00", "update", "Aktualisieren", "Verkaufschance", True),
            ("2026-10-01 08:30:00", "delete", "Löschen", "Kontakt", True),
        ]),
    ],
)
def test_usage_actions_are_normalised_per_source(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str,
    expected: list[tuple[Any, ...]],
) -> None:
    load(conn, name, A, tmp_path)
    assert _rows(conn, "SELECT ts::VARCHAR, action, source_action, object, success"
                 " FROM usage_events ORDER BY ts") == expected


def test_event_log_15_and_18_char_ids_are_one_person(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load(conn, "salesforce_eventlog_login.csv", A, tmp_path)
    load(conn, "salesforce_loginhistory.csv", A, tmp_path)
    keys = _rows(conn, "SELECT DISTINCT user_key FROM usage_events ORDER BY 1")
    assert keys == [("005Dn000001AbCd",), ("005Dn000001AbCe",), ("005Dn000001AbCf",)]


def test_real_salesforce_sample(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    report = load(conn, "salesforce_dataloader_opportunity.csv", P, tmp_path)
    assert (report.rows_read, report.rows_loaded) == (38, 38)
    assert _rows(conn, "SELECT owner_key, stage, amount::VARCHAR, close_date::VARCHAR,"
                 " created_at::VARCHAR, is_closed, is_won FROM opportunities"
                 " WHERE opportunity_id = '006x0000001YtCrAAK'") == [
        ("005x0000000fNSi", "Closed Won", "500000.00", "2005-11-09", "2006-06-15 20:47:07",
         True, True),
    ]
    assert _rows(conn, "SELECT count(*) FILTER (WHERE is_won), count(*) FILTER (WHERE is_closed)"
                 " FROM opportunities") == [(8, 8)]  # counted in the file with a text editor


def test_report_export_footer_dropped_and_stage_labels(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inspection = inspect_file(conn, EXPORTS / "salesforce_opportunity_report.csv", P, tmp_path)
    assert inspection.layout.footer_lines == 3
    run_import(conn, inspection, imported_by="test", source="cli")
    assert _rows(conn, "SELECT opportunity_id, owner, amount::VARCHAR, close_date::VARCHAR,"
                 " is_closed, is_won FROM opportunities ORDER BY opportunity_id") == [
        ("006Dn00000XyZaBIAK", "Jürgen Müller", "120000.00", "2026-12-15", False, False),
        ("006Dn00000XyZaCIAK", "Jürgen Müller", "45000.00", "2026-09-01", True, True),
        ("006Dn00000XyZaDIAK", "Sören Weiß", "80000.00", "2026-08-01", True, False),
    ]


def test_german_report_export(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load(conn, "salesforce_opportunity_report_de.csv", P, tmp_path)
    assert _rows(conn, "SELECT opportunity_id, amount::VARCHAR, close_date::VARCHAR, is_won"
                 " FROM opportunities ORDER BY 1") == [
        ("Müller - Retrofit Linie 3", "120000.00", "2026-12-15", False),
        ("Weiß - Wartungsvertrag", "45000.00", "2026-09-01", True),  # "Geschlossen und gewonnen"
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dynamics_opportunity.csv", [("250000.00", False, False), ("80000.00", True, True),
                                      ("12000.50", True, False)]),  # statecode 0 / 1 / 2
        ("dynamics_opportunity_excel.csv", [("250000.00", False, False), ("80000.00", True, True),
                                            ("12000.50", True, False)]),  # Open / Won / Lost
        ("dynamics_opportunity_excel_de.csv", [("250000.00", False, False),
                                               ("80000.00", True, True),
                                               ("12000.50", True, False)]),
        ("pipedrive_deals_en.csv", [("120000.00", False, False), ("45000.50", True, True),
                                    ("80000.00", True, False)]),
        ("pipedrive_deals_de.csv", [("120000.00", False, False), ("45000.50", True, True),
                                    ("80000.00", True, False)]),
        ("hubspot_deals_view.csv", [("120000.00", False, False), ("45000.00", True, True),
                                    ("80000.00", True, False)]),
    ],
)
def test_deal_status_and_amounts(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str,
    expected: list[tuple[Any, ...]],
) -> None:
    load(conn, name, P, tmp_path)
    assert _rows(conn, "SELECT amount::VARCHAR, is_closed, is_won FROM opportunities"
                 " ORDER BY created_at DESC") == expected


def test_dynamics_excel_german_dates_and_hidden_columns(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load(conn, "dynamics_opportunity_excel_de.csv", P, tmp_path)
    assert _rows(conn, "SELECT owner, account, last_modified_at::VARCHAR, close_date::VARCHAR"
                 " FROM opportunities WHERE opportunity_id LIKE '%0001'") == [
        ("Jürgen Müller", "Müller Maschinenbau GmbH", "2026-10-20 09:00:00", "2026-12-31"),
    ]


def test_hubspot_deactivated_owner_and_duplicate_headers(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inspection = inspect_file(conn, EXPORTS / "hubspot_deals_all_properties.csv", P, tmp_path)
    assert inspection.layout.duplicate_headers == ("Associated Company",)
    assert "Associated Company (2)" in inspection.headers
    run_import(conn, inspection, imported_by="test", source="cli")
    assert _rows(conn, "SELECT opportunity_id, owner, owner_key, account, is_closed"
                 " FROM opportunities ORDER BY 1") == [
        ("18273645501", "Jürgen Müller", "Jürgen Müller", "Müller Maschinenbau GmbH", False),
        ("18273645502", "anna.berg@beispiel-gmbh.de", "anna.berg@beispiel-gmbh.de",
         "Weiß & Söhne AG", True),
    ]


def test_lms_transcript_labels(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load(conn, "lms_transcript.csv", T, tmp_path)
    assert _rows(conn, "SELECT user_key, course, date::VARCHAR, kind, status, score"
                 " FROM training_records ORDER BY user_key") == [
        ("anja.gross@beispiel-gmbh.de", "Key-User-Schulung", "2026-10-20", "key_user",
         "registered", None),
        ("juergen.mueller@beispiel-gmbh.de", "CRM Kick-off", "2024-01-15", "kickoff",
         "completed", 90.0),
        ("oezlem.celik@beispiel-gmbh.de", "CRM Kick-off", "2024-01-15", "kickoff",
         "completed", 75.5),
        ("soeren.weiss@beispiel-gmbh.de", "CRM-Sprechstunde Oktober", "2026-10-14", "webinar",
         "no_show", None),
    ]


@pytest.mark.parametrize("kind", list(DatasetKind))
def test_generic_template(conn: duckdb.DuckDBPyConnection, tmp_path: Path,
                          kind: DatasetKind) -> None:
    path = Path(__file__).parent.parent / "fixtures" / "generic" / f"{kind.value}.csv"
    inspection = inspect_file(conn, path, kind, tmp_path)
    assert inspection.preset is not None and inspection.preset.name == "generic"
    report = run_import(conn, inspection, imported_by="test", source="cli")
    assert report.rows_loaded == {U: 7, A: 12, P: 4, T: 5}[kind]


def test_wrong_dataset_is_pointed_out(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    inspection = inspect_file(conn, EXPORTS / "salesforce_eventlog_login.csv", P, tmp_path)
    assert inspection.other_kind is not None
    assert inspection.other_kind.name == "salesforce_eventlog_login"
