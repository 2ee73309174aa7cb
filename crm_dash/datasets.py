"""The four datasets crm-dash works with, declared once.

Each dataset has canonical fields (the generic CSV template and the FIELD in
``--map FIELD=COLUMN``), their types, whether they are required, and header synonyms in English and
German that the importer uses to propose a mapping. Everything else (importer, demo, fixtures,
docs/uploading.md) reads this module.
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


class ValueKind(StrEnum):
    """What a field's values look like: the value evidence of the mapping checks for it."""

    ID = "id"  # one record's key: CRM ids, GUIDs, numbers, e-mails
    PERSON = "person"  # who: an id, an e-mail or a name
    EMAIL = "email"
    NAME = "name"  # a person's name
    LABEL = "label"  # a few repeated words: departments, stages, courses
    TEXT = "text"  # free text
    DATE = "date"
    NUMBER = "number"
    FLAG = "flag"  # yes/no words or labels such as Won/Lost, Mensch/Dienstkonto
    CURRENCY = "currency"


class FieldSpec(BaseModel):
    """One canonical field of a dataset.

    ``synonyms`` are wordings of its header. They are compared by their words (see
    :mod:`crm_dash.importing.words`), so each needs to be listed in one language and spelling
    only: "close date" also finds "Abschlussdatum", "CLOSEDATE" and "Gesch. Abschlussdatum".
    """

    model_config = ConfigDict(frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: FieldType = FieldType.TEXT
    required: bool = False
    synonyms: tuple[str, ...] = ()
    values: ValueKind = ValueKind.TEXT
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
    values: ValueKind | None = None,
    en: str = "",
    de: str = "",
) -> FieldSpec:
    default = {FieldType.DECIMAL: ValueKind.NUMBER, FieldType.DATE: ValueKind.DATE,
               FieldType.TIMESTAMP: ValueKind.DATE, FieldType.BOOLEAN: ValueKind.FLAG}
    return FieldSpec(
        name=name, type=type_, required=required, synonyms=synonyms, help_en=en, help_de=de,
        values=values or default.get(type_, ValueKind.TEXT),
    )


T, N, D, TS, B = (
    FieldType.TEXT,
    FieldType.DECIMAL,
    FieldType.DATE,
    FieldType.TIMESTAMP,
    FieldType.BOOLEAN,
)

ID, P, E, NM, L, TX = (ValueKind.ID, ValueKind.PERSON, ValueKind.EMAIL, ValueKind.NAME,
                      ValueKind.LABEL, ValueKind.TEXT)

USERS = DatasetSpec(
    kind=DatasetKind.USERS,
    table="users",
    fields=(
        _f("user_id", T, "id", "user id", "systemuserid", "record id", "employee number",
           "~username",
           required=True, values=ID, en="Id of the person in the CRM", de="Id der Person im CRM"),
        _f("name", T, "name", "full name", "display name", "user", "lastname firstname",
           "lastname", values=NM,
           en="Display name", de="Anzeigename"),
        _f("email", T, "email", "internalemailaddress", values=E, en="E-mail address",
           de="E-Mail-Adresse"),
        _f("department", T, "department", "business unit", "businessunitidname",
           "cost center", "org unit", "area", values=L, en="Department", de="Abteilung"),
        _f("team", T, "team", "region", "sales territory", values=L, en="Team or region",
           de="Team oder Region"),
        _f("role", T, "role", "title", "job title", "profile name", "user role name", values=L,
           en="Role or job title", de="Rolle oder Funktion"),
        _f("manager_id", T, "manager", "manager id", "parentsystemuserid", "parent user",
           values=P, en="Id of the manager", de="Id der Führungskraft"),
        _f("license_type", T, "license", "license type", "user license", "license name",
           values=L, en="Licence type", de="Lizenztyp"),
        _f("license_cost_monthly", N, "license cost", "monthly cost", "cost month",
           "license cost month", "license price", en="Licence cost per month",
           de="Lizenzkosten pro Monat"),
        _f("start_date", D, "start", "start date", "~created date", "~created", "hire date",
           "hire", "since",
           en="First day with a licence", de="Erster Tag mit Lizenz"),
        _f("end_date", D, "end", "end date", "last workday", "deactivated date",
           "deactivated since",
           en="Last day (leavers)", de="Letzter Tag (Austritte)"),
        _f("is_integration", B, "integration", "integration user", "api only", "user type",
           "access mode", "integration account", "account type", "system user", "access",
           "technical user", "technical",
           en="Integration or API account (not a person)",
           de="Integrations- oder API-Konto (keine Person)"),
    ),
)

USAGE = DatasetSpec(
    kind=DatasetKind.USAGE,
    table="usage_events",
    fields=(
        _f("user_id", T, "user id", "user", "user id derived", "callinguserid", "changed by",
           "user email", "username", "user name", "modified by", required=True, values=P,
           en="Who acted (id or e-mail)", de="Wer gehandelt hat (Id oder E-Mail)"),
        _f("timestamp", TS, "timestamp", "timestamp derived", "login time", "created",
           "changed date", "date", "time", "date time", "event date", "created date",
           "login date",
           required=True, en="When (UTC unless the value has a zone)",
           de="Wann (UTC, wenn der Wert keine Zone hat)"),
        _f("action", T, "action", "event type", "operation", "event", "method name",
           "action type", values=L, en="What was done", de="Was getan wurde"),
        _f("object", T, "object", "entity", "entity name", "objecttypecode",
           "page entity type", "object type", "module", "area", "record type", values=L,
           en="CRM area or object",
           de="CRM-Bereich oder Objekt"),
        _f("success", B, "success", "status", "login status", "request status", "outcome",
           "result", "outcome result",
           en="Whether it succeeded", de="Ob es erfolgreich war"),
    ),
)

PIPELINE = DatasetSpec(
    kind=DatasetKind.PIPELINE,
    table="opportunity_snapshots",
    fields=(
        _f("opportunity_id", T, "id", "opportunity id", "record id", "opportunity",
           required=True, values=ID, en="Id of the opportunity", de="Id der Verkaufschance"),
        _f("owner", T, "owner", "owner id", "owner name", "account manager", "sales rep",
           "assigned to", required=True, values=P, en="Owner (id, e-mail or name)",
           de="Inhaber (Id, E-Mail oder Name)"),
        _f("account", T, "account", "account id", "account name", "customerid",
           "parentaccountid", "company name", values=TX, en="Account", de="Firma"),
        _f("stage", T, "stage", "stage name", "sales stage", "pipeline stage", "step name",
           values=L, en="Stage", de="Phase"),
        _f("amount", N, "amount", "expected amount", "value", "revenue", "estimatedvalue",
           en="Amount", de="Betrag"),
        _f("currency", T, "currency", "currency iso code", "transactioncurrencyid",
           values=ValueKind.CURRENCY, en="Currency", de="Währung"),
        _f("created_at", TS, "created", "created date", "create date", "deal created",
           en="Created", de="Erstellt"),
        _f("close_date", D, "close date", "expected close date", "close", "expected close",
           "expected order date", "sale date",
           en="(Expected) close date", de="(Erwartetes) Abschlussdatum"),
        _f("last_modified_at", TS, "last modified date", "modified", "last modified",
           "modified date", "last update", "update time", en="Last modified",
           de="Zuletzt geändert"),
        _f("last_activity_at", TS, "last activity date", "last activity",
           en="Last activity", de="Letzte Aktivität"),
        _f("next_step", T, "next step", "next activity subject", "next activity", "next action",
           en="Next step", de="Nächster Schritt"),
        _f("is_closed", B, "is closed", "closed", "is deal closed", "status", "deal status",
           "outcome", "result",
           en="Closed (won or lost)", de="Geschlossen (gewonnen oder verloren)"),
        _f("is_won", B, "is won", "won", "is closed won", "order", en="Won", de="Gewonnen"),
    ),
)

TRAINING = DatasetSpec(
    kind=DatasetKind.TRAINING,
    table="training_records",
    fields=(
        _f("user", T, "user", "user id", "email", "learner", "learner email", "unique user id",
           "user email", required=True, values=P, en="Learner (id or e-mail)",
           de="Teilnehmende (Id oder E-Mail)"),
        _f("course", T, "course", "training title", "course name", "course title",
           "training", "module", required=True, values=L, en="Course or session",
           de="Kurs oder Schulung"),
        _f("date", D, "date", "completed date", "completion date", "session date",
           "attendance date", "course date", "completion", "closed", "~start", "~start date",
           required=True,
           en="Date of the session", de="Datum der Schulung"),
        _f("kind", T, "type", "training type", "course type", "format", "delivery method",
           values=L,
           en="Kind (kick-off, monthly, onboarding, key user, roadshow…)",
           de="Art (Kick-off, monatlich, Onboarding, Key-User, Roadshow…)"),
        _f("status", T, "status", "transcript status", "completion status",
           "attendance status", "attendance", values=L,
           en="Status (attended, completed, no-show)",
           de="Status (teilgenommen, abgeschlossen, nicht erschienen)"),
        _f("score", N, "score", "result", "points", en="Score", de="Punktzahl"),
    ),
)

DATASETS: dict[DatasetKind, DatasetSpec] = {
    spec.kind: spec for spec in (USERS, USAGE, PIPELINE, TRAINING)
}

# Canonical usage actions; everything a source reports is mapped onto one of these.
USAGE_ACTIONS: tuple[str, ...] = ("login", "view", "create", "update", "delete", "export", "other")


def normalise_header(header: str) -> str:
    """Header as compared against preset signatures: BOM removed, trimmed, lower-case, spaces
    collapsed."""
    return re.sub(r"\s+", " ", header.replace("\ufeff", "").strip()).lower()


# Canonical training kinds and statuses (the importer maps LMS labels onto these).
TRAINING_KINDS: tuple[str, ...] = (
    "kickoff", "post_golive_kickoff", "monthly", "webinar", "onboarding", "key_user", "roadshow",
    "other",
)
TRAINING_STATUSES: tuple[str, ...] = ("completed", "attended", "no_show", "registered")


def field_label(kind: DatasetKind, name: str, lang: str) -> str:
    """A canonical field in words ("E-mail address", "E-Mail-Adresse"), ``lang`` "de" or "en"."""
    spec = DATASETS[kind].field(name)
    return spec.help_de if lang == "de" else spec.help_en
