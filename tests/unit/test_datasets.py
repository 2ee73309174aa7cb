from __future__ import annotations

from crm_dash.datasets import DATASETS, DatasetKind
from crm_dash.importing.evidence import propose


def propose_mapping(kind: DatasetKind, headers: list[str]) -> dict[str, str]:
    """The mapping proposed from the headers alone (no values to look at)."""
    return propose(kind, headers, {}).mapping


def test_required_fields_are_the_documented_ones() -> None:
    assert DATASETS[DatasetKind.USERS].required_fields == ["user_id"]
    assert DATASETS[DatasetKind.USAGE].required_fields == ["user_id", "timestamp"]
    assert DATASETS[DatasetKind.PIPELINE].required_fields == ["opportunity_id", "owner"]
    assert DATASETS[DatasetKind.TRAINING].required_fields == ["user", "course", "date"]


def test_canonical_field_names() -> None:
    assert DATASETS[DatasetKind.USERS].field_names == [
        "user_id", "name", "email", "department", "team", "role", "manager_id", "license_type",
        "license_cost_monthly", "start_date", "end_date", "is_integration",
    ]
    assert DATASETS[DatasetKind.PIPELINE].field_names[-2:] == ["is_closed", "is_won"]


def test_synonyms_are_unique_within_a_dataset() -> None:
    for spec in DATASETS.values():
        seen: dict[str, str] = {}
        for field in spec.fields:
            for name in (field.name, *field.synonyms):
                assert name == name.lower().strip(), name
                assert name not in seen or seen[name] == field.name, (spec.kind, name)
                seen[name] = field.name


def test_every_field_has_help_in_both_languages() -> None:
    for spec in DATASETS.values():
        for field in spec.fields:
            assert field.help_en and field.help_de, (spec.kind, field.name)


def test_german_excel_roster_headers_map() -> None:
    headers = ["\ufeffBenutzer-ID", "Name", "E-Mail", "Abteilung", "Team", "Rolle",
               "Vorgesetzter", "Lizenztyp", "Lizenzkosten/Monat", "Eintrittsdatum",
               "Austrittsdatum", "Benutzertyp"]
    mapping = propose_mapping(DatasetKind.USERS, headers)
    assert mapping["user_id"] == "\ufeffBenutzer-ID"
    assert mapping["email"] == "E-Mail"
    assert mapping["department"] == "Abteilung"
    assert mapping["license_cost_monthly"] == "Lizenzkosten/Monat"
    assert mapping["end_date"] == "Austrittsdatum"
    assert mapping["is_integration"] == "Benutzertyp"


def test_dataloader_opportunity_headers_map_case_insensitively() -> None:
    headers = ["ID", "ISDELETED", "ACCOUNTID", "NAME", "STAGENAME", "AMOUNT", "CLOSEDATE",
               "NEXTSTEP", "ISCLOSED", "ISWON", "OWNERID", "CREATEDDATE", "LASTMODIFIEDDATE",
               "LASTACTIVITYDATE"]
    mapping = propose_mapping(DatasetKind.PIPELINE, headers)
    assert mapping == {
        "opportunity_id": "ID", "owner": "OWNERID", "account": "ACCOUNTID",
        "stage": "STAGENAME", "amount": "AMOUNT", "created_at": "CREATEDDATE",
        "close_date": "CLOSEDATE", "last_modified_at": "LASTMODIFIEDDATE",
        "last_activity_at": "LASTACTIVITYDATE", "next_step": "NEXTSTEP",
        "is_closed": "ISCLOSED", "is_won": "ISWON",
    }
