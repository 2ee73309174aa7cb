"""The four datasets crm-dash works with, declared once.

Each dataset has canonical fields (the generic CSV template and the FIELD in
``--map FIELD=COLUMN``), their types, whether they are required, and header synonyms in English and
German that the importer uses to propose a mapping. Everything else (importer, demo, fixtures,
README) reads this module.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class DatasetKind(StrEnum):
    """The kinds of data a project lead uploads."""

    USERS = "users"
    USAGE = "usage"
    PIPELINE = "pipeline"
    TRAINING = "training"


class FieldType(StrEnum):
    """Logical type of a canonical field; maps to one DuckDB type."""

    TEXT = "text"
    DECIMAL = "decimal"
    DATE = "date"
    TIMESTAMP = "timestamp"
    BOOLEAN = "boolean"

    @property
    def duckdb_type(self) -> str:
        return {
            FieldType.TEXT: "VARCHAR",
            FieldType.DECIMAL: "DECIMAL(18, 2)",
            FieldType.DATE: "DATE",
            FieldType.TIMESTAMP: "TIMESTAMP",
            FieldType.BOOLEAN: "BOOLEAN",
        }[self]


class FieldSpec(BaseModel):
    """One canonical field of a dataset."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: FieldType = FieldType.TEXT
    required: bool = False
    synonyms: tuple[str, ...] = ()
    help_en: str = ""
    help_de: str = ""


class DatasetSpec(BaseModel):
    """A dataset: its canonical fields and the table its rows end up in."""

    model_config = ConfigDict(frozen=True)

    kind: DatasetKind
    table: str
    fields: tuple[FieldSpec, ...]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


def _f(
    name: str,
    type_: FieldType = FieldType.TEXT,
    *synonyms: str,
    required: bool = False,
    en: str = "",
    de: str = "",
) -> FieldSpec:
    return FieldSpec(
        name=name, type=type_, required=required, synonyms=synonyms, help_en=en, help_de=de
    )


T, N, D, TS, B = (
    FieldType.TEXT,
    FieldType.DECIMAL,
    FieldType.DATE,
    FieldType.TIMESTAMP,
    FieldType.BOOLEAN,
)

USERS = DatasetSpec(
    kind=DatasetKind.USERS,
    table="users",
    fields=(
        _f("user_id", T, "id", "userid", "user id", "systemuserid", "benutzer-id", "benutzerid",
           "benutzer id", "mitarbeiter-id", "personalnummer", "record id", required=True,
           en="Id of the person in the CRM", de="Id der Person im CRM"),
        _f("name", T, "full name", "fullname", "user name", "display name", "vollständiger name",
           "mitarbeiter", "benutzer", en="Display name", de="Anzeigename"),
        _f("email", T, "e-mail", "email address", "e-mail address", "internalemailaddress",
           "primary email", "e-mail-adresse", "mail", en="E-mail address", de="E-Mail-Adresse"),
        _f("department", T, "abteilung", "business unit", "businessunitid", "geschäftsbereich",
           "division", "bereich", en="Department", de="Abteilung"),
        _f("team", T, "region", "gruppe", "vertriebsgebiet", "territory", en="Team or region",
           de="Team oder Region"),
        _f("role", T, "title", "job title", "position", "rolle", "funktion", "profile.name",
           "profile", "stellenbezeichnung", en="Role or job title", de="Rolle oder Funktion"),
        _f("manager_id", T, "managerid", "manager", "parentsystemuserid", "vorgesetzter",
           "vorgesetzte(r)", "führungskraft", en="Id of the manager", de="Id der Führungskraft"),
        _f("license_type", T, "license", "licence", "user license", "lizenz", "lizenztyp",
           "lizenzart", en="Licence type", de="Lizenztyp"),
        _f("license_cost_monthly", N, "license cost", "monthly cost", "lizenzkosten",
           "lizenzkosten/monat", "kosten pro monat", en="Licence cost per month",
           de="Lizenzkosten pro Monat"),
        _f("start_date", D, "start", "createddate", "created date", "createdon", "hire date",
           "eintrittsdatum", "eintritt", "startdatum", en="First day with a licence",
           de="Erster Tag mit Lizenz"),
        _f("end_date", D, "end", "leaving date", "exit date", "austrittsdatum", "austritt",
           "enddatum", en="Last day (leavers)", de="Letzter Tag (Austritte)"),
        _f("is_integration", B, "integration", "integration user", "api only", "usertype",
           "user type", "accessmode", "access mode", "zugriffsmodus", "benutzertyp",
           "integrationskonto", en="Integration or API account (not a person)",
           de="Integrations- oder API-Konto (keine Person)"),
    ),
)

USAGE = DatasetSpec(
    kind=DatasetKind.USAGE,
    table="usage_events",
    fields=(
        _f("user_id", T, "userid", "user id", "user_id_derived", "callinguserid", "benutzer-id",
           "benutzer", "changed by", "geändert von", "user email", "user e-mail", required=True,
           en="Who acted (id or e-mail)", de="Wer gehandelt hat (Id oder E-Mail)"),
        _f("timestamp", TS, "timestamp_derived", "logintime", "login time", "createdon",
           "changed date", "date", "zeitstempel", "datum", "änderungsdatum", "zeitpunkt",
           required=True, en="When (UTC unless the value has a zone)",
           de="Wann (UTC, wenn der Wert keine Zone hat)"),
        _f("action", T, "event_type", "operation", "event", "aktion", "vorgang", "ereignis",
           "method_name", "login_type", en="What was done", de="Was getan wurde"),
        _f("object", T, "entity", "entity_name", "objecttypecode", "page_entity_type", "objekt",
           "entität", "module", "modul", en="CRM area or object", de="CRM-Bereich oder Objekt"),
        _f("success", B, "status", "login_status", "request_status", "erfolg", "erfolgreich",
           en="Whether it succeeded", de="Ob es erfolgreich war"),
    ),
)

PIPELINE = DatasetSpec(
    kind=DatasetKind.PIPELINE,
    table="opportunity_snapshots",
    fields=(
        _f("opportunity_id", T, "id", "opportunityid", "record id", "opportunity id",
           "verkaufschance-id", "deal id", "deal - id", required=True,
           en="Id of the opportunity", de="Id der Verkaufschance"),
        _f("owner", T, "ownerid", "opportunity owner", "deal owner", "owner name", "besitzer",
           "deal - owner", "deal - besitzer", "verantwortlich", "zuständig", required=True,
           en="Owner (id, e-mail or name)", de="Besitzer (Id, E-Mail oder Name)"),
        _f("account", T, "accountid", "account name", "customerid", "parentaccountid",
           "potential customer", "firma", "kunde", "potenzieller kunde", "organisation",
           en="Account", de="Firma"),
        _f("stage", T, "stagename", "deal stage", "stepname", "pipeline phase", "phase",
           "deal - stage", "deal - phase", "vertriebsphase", en="Stage", de="Phase"),
        _f("amount", N, "estimatedvalue", "est. revenue", "value", "deal - value", "deal - wert",
           "betrag", "wert", "geschätzter umsatz", en="Amount", de="Betrag"),
        _f("currency", T, "currencyisocode", "transactioncurrencyid", "währung",
           "deal - currency", "deal - währung", en="Currency", de="Währung"),
        _f("created_at", TS, "createddate", "created date", "create date", "createdon",
           "deal - deal created", "deal - deal erstellt", "erstellt am", en="Created",
           de="Erstellt"),
        _f("close_date", D, "closedate", "estimatedclosedate", "est. close date",
           "expected close date", "deal - expected close date", "abschlussdatum",
           "voraussichtliches abschlussdatum", "deal - erwartetes abschlussdatum",
           en="(Expected) close date", de="(Erwartetes) Abschlussdatum"),
        _f("last_modified_at", TS, "lastmodifieddate", "last modified date", "modifiedon",
           "modified on", "geändert am", "deal - update time", "deal - aktualisiert am",
           en="Last modified", de="Zuletzt geändert"),
        _f("last_activity_at", TS, "lastactivitydate", "last activity date",
           "deal - last activity date", "deal - datum der letzten aktivität",
           "letzte aktivität", en="Last activity", de="Letzte Aktivität"),
        _f("next_step", T, "nextstep", "nächster schritt", "deal - next activity subject",
           en="Next step", de="Nächster Schritt"),
        _f("is_closed", B, "isclosed", "is deal closed?", "closed", "geschlossen",
           en="Closed (won or lost)", de="Geschlossen (gewonnen oder verloren)"),
        _f("is_won", B, "iswon", "won", "gewonnen", en="Won", de="Gewonnen"),
    ),
)

TRAINING = DatasetSpec(
    kind=DatasetKind.TRAINING,
    table="training_records",
    fields=(
        _f("user", T, "user_id", "user id", "email", "e-mail", "email address", "learner",
           "teilnehmer", "teilnehmer-e-mail", "benutzer", "unique user id", required=True,
           en="Learner (id or e-mail)", de="Teilnehmer (Id oder E-Mail)"),
        _f("course", T, "training title", "course name", "training", "session", "kurs",
           "schulung", "titel", "veranstaltung", required=True, en="Course or session",
           de="Kurs oder Schulung"),
        _f("date", D, "completed date", "completion date", "session date", "datum",
           "abschlussdatum", "schulungsdatum", "teilnahmedatum", required=True,
           en="Date of the session", de="Datum der Schulung"),
        _f("kind", T, "training type", "type", "art", "schulungsart", "format",
           en="Kind (kick-off, monthly, onboarding, key user, roadshow…)",
           de="Art (Kick-off, monatlich, Onboarding, Key-User, Roadshow…)"),
        _f("status", T, "transcript status", "completion status", "teilnahmestatus",
           en="Attended, completed, no-show", de="Teilgenommen, abgeschlossen, nicht erschienen"),
        _f("score", N, "punkte", "bewertung", "ergebnis", "result", en="Score", de="Punktzahl"),
    ),
)

DATASETS: dict[DatasetKind, DatasetSpec] = {
    spec.kind: spec for spec in (USERS, USAGE, PIPELINE, TRAINING)
}

# Canonical usage actions; everything a source reports is mapped onto one of these.
USAGE_ACTIONS: tuple[str, ...] = ("login", "view", "create", "update", "delete", "export", "other")


def normalise_header(header: str) -> str:
    """Header as compared against synonyms: BOM removed, trimmed, lower-case, spaces collapsed."""
    return re.sub(r"\s+", " ", header.replace("\ufeff", "").strip()).lower()


def propose_mapping(kind: DatasetKind, headers: list[str]) -> dict[str, str]:
    """Propose ``{field: header}`` for the headers of a file, by canonical name, then synonyms.

    The first header that matches wins; a header is used for at most one field.
    """
    spec = DATASETS[kind]
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalise_header(header), header)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field in spec.fields:
        for candidate in (field.name, field.name.replace("_", " "), *field.synonyms):
            found = by_norm.get(candidate)
            if found is not None and found not in used:
                mapping[field.name] = found
                used.add(found)
                break
    return mapping

# Canonical training kinds and statuses (the importer maps LMS labels onto these).
TRAINING_KINDS: tuple[str, ...] = (
    "kickoff", "post_golive_kickoff", "monthly", "webinar", "onboarding", "key_user", "roadshow",
    "other",
)
TRAINING_STATUSES: tuple[str, ...] = ("completed", "attended", "no_show", "registered")
