"""Known export layouts, recognised by their headers, with their mapping and value labels.

A preset matches when all headers of its ``signature`` are in the file (compared like
:func:`crm_dash.datasets.normalise_header`: case-insensitive, trimmed, BOM removed). Its
``columns`` give, per canonical field, the headers to try in order: they raise the confidence
of the mapping by evidence (:mod:`crm_dash.importing.evidence`), which decides every field.
``values`` adds labels only that source uses, ``constants`` fills fields the export implies
(every LoginHistory row is a login), and ``action_first`` names a column whose known codes
decide the action before the mapped one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from crm_dash.datasets import DATASETS, DatasetKind, normalise_header
from crm_dash.importing.actions import DYNAMICS_ACCESS_ACTIONS, DYNAMICS_OPERATIONS

U, A, P, T = DatasetKind.USERS, DatasetKind.USAGE, DatasetKind.PIPELINE, DatasetKind.TRAINING


@dataclass(frozen=True)
class Preset:
    """One known export layout."""

    name: str  # its label is the text import.preset.<name> of the catalogs
    kind: DatasetKind
    signature: tuple[str, ...]
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    action_first: tuple[str, Mapping[str, str]] | None = None

    def matches(self, headers: list[str] | tuple[str, ...]) -> bool:
        present = {normalise_header(h) for h in headers}
        return all(s in present for s in self.signature)

    def picks(self, headers: list[str] | tuple[str, ...]) -> dict[str, str]:
        """``{field: header}`` this layout names for the file's ``headers`` (the first of its
        candidates present). They raise confidence in the mapping by evidence
        (:func:`crm_dash.importing.evidence.propose`); they do not decide it alone."""
        by_norm: dict[str, str] = {}
        for header in headers:
            by_norm.setdefault(normalise_header(header), header)
        picks: dict[str, str] = {}
        columns = self.columns
        if self.name == "generic":
            columns = {name: (name,) for name in DATASETS[self.kind].field_names}
        for name, candidates in columns.items():
            found = next((by_norm[c] for c in candidates if c in by_norm), None)
            if found is not None:
                picks[name] = found
        return picks


_SF_EVENT_COMMON = {
    "user_id": ("user_id_derived", "user_id"),
    "timestamp": ("timestamp_derived", "timestamp"),
    "action": ("event_type",),
}
_PIPELINE_STATUS = {"0": "false", "1": "true", "2": "true"}  # Dynamics statecode: open/won/lost

PRESETS: tuple[Preset, ...] = (
    # ---- users -------------------------------------------------------------------------------
    Preset("salesforce_user", U, ("id", "username", "usertype"), {
        "user_id": ("id",), "name": ("name",), "email": ("email",),
        "department": ("department",), "team": ("division", "userrole.name"),
        "role": ("profile.name", "title"), "manager_id": ("managerid",),
        "license_type": ("profile.userlicense.name", "userlicense.name"),
        "start_date": ("createddate",), "is_integration": ("usertype",),
    }),
    Preset("dynamics_systemuser", U, ("systemuserid", "fullname"), {
        "user_id": ("systemuserid",), "name": ("fullname",),
        "email": ("internalemailaddress",), "department": ("businessunitidname", "businessunitid"),
        "role": ("title",), "manager_id": ("parentsystemuserid",), "start_date": ("createdon",),
        "is_integration": ("accessmode",),
    }, values={"is_integration": {"0": "false", "1": "false", "2": "false", "3": "false",
                                  "4": "true", "5": "false"}}),
    Preset("dynamics_systemuser_excel", U,
           ("(do not modify) user",), {
        "user_id": ("(do not modify) user",), "name": ("full name",),
        "email": ("primary email", "email"), "department": ("business unit",),
        "role": ("title", "job title"), "manager_id": ("manager",),
        "start_date": ("created on",), "is_integration": ("access mode",),
    }),
    Preset("dynamics_systemuser_excel_de", U,
           ("(nicht ändern) benutzer",), {
        "user_id": ("(nicht ändern) benutzer",), "name": ("vollständiger name",),
        "email": ("primäre e-mail", "e-mail"), "department": ("unternehmenseinheit",),
        "role": ("position", "titel"), "manager_id": ("vorgesetzter", "manager"),
        "start_date": ("erstellt am",), "is_integration": ("zugriffsmodus",),
    }),
    # ---- usage -------------------------------------------------------------------------------
    Preset("salesforce_loginhistory", A,
           ("userid", "logintime", "status"), {
        "user_id": ("userid",), "timestamp": ("logintime",), "success": ("status",),
    }, constants={"action": "login"}),
    Preset("salesforce_loginhistory_setup", A,
           ("login time", "status", "username"), {
        "user_id": ("username",), "timestamp": ("login time",), "success": ("status",),
    }, constants={"action": "login"}),
    Preset("salesforce_eventlog_login", A,
           ("event_type", "login_status", "user_id"),
           {**_SF_EVENT_COMMON, "success": ("login_status",)}),
    Preset("salesforce_eventlog_lightningpageview", A,
           ("event_type", "page_entity_type", "page_url"),
           {**_SF_EVENT_COMMON, "object": ("page_entity_type",)}),
    Preset("salesforce_eventlog_uri", A,
           ("event_type", "uri", "referrer_uri"),
           {**_SF_EVENT_COMMON, "success": ("request_status",)}),
    Preset("salesforce_eventlog_api", A,
           ("event_type", "method_name", "entity_name"),
           {**_SF_EVENT_COMMON, "action": ("method_name",), "object": ("entity_name",),
            "success": ("request_status",)}),
    Preset("dynamics_audit", A,
           ("auditid", "operation", "createdon"), {
        "user_id": ("userid",), "timestamp": ("createdon",), "action": ("operation",),
        "object": ("objecttypecode",),
    }, values={"action": DYNAMICS_OPERATIONS}, action_first=("action", DYNAMICS_ACCESS_ACTIONS)),
    Preset("dynamics_audit_view", A,
           ("changed date", "operation", "changed by"), {
        "user_id": ("changed by",), "timestamp": ("changed date",), "action": ("operation",),
        "object": ("entity",),
    }, action_first=("event", {"user access via web": "login",
                               "user access via web services": "login"})),
    Preset("dynamics_audit_view_de", A,
           ("änderungsdatum", "vorgang", "geändert von"), {
        "user_id": ("geändert von",), "timestamp": ("änderungsdatum",), "action": ("vorgang",),
        "object": ("entität",),
    }, action_first=("ereignis", {"benutzerzugriff über web": "login",
                                  "benutzerzugriff über webdienste": "login"})),
    # ---- pipeline ----------------------------------------------------------------------------
    Preset("salesforce_opportunity_dataloader", P,
           ("id", "stagename", "ownerid", "closedate"), {
        "opportunity_id": ("id",), "owner": ("ownerid",), "account": ("accountid",),
        "stage": ("stagename",), "amount": ("amount",), "currency": ("currencyisocode",),
        "created_at": ("createddate",), "close_date": ("closedate",),
        "last_modified_at": ("lastmodifieddate",), "last_activity_at": ("lastactivitydate",),
        "next_step": ("nextstep",), "is_closed": ("isclosed",), "is_won": ("iswon",),
    }),
    Preset("salesforce_opportunity_report", P,
           ("opportunity name", "stage", "close date"), {
        "opportunity_id": ("opportunity id", "opportunity name"),
        "owner": ("opportunity owner", "owner name"), "account": ("account name",),
        "stage": ("stage",), "amount": ("amount",), "currency": ("opportunity currency",),
        "created_at": ("created date",), "close_date": ("close date",),
        "last_modified_at": ("last modified date",), "last_activity_at": ("last activity",),
        "next_step": ("next step",), "is_closed": ("closed", "stage"), "is_won": ("won", "stage"),
    }),
    Preset("salesforce_opportunity_report_de", P,
           ("opportunity-name", "phase", "schlusstermin"), {
        "opportunity_id": ("opportunity-id", "opportunity-name"),
        "owner": ("opportunity-inhaber", "inhaber"), "account": ("accountname",),
        "stage": ("phase",), "amount": ("betrag",), "created_at": ("erstellt am",),
        "close_date": ("schlusstermin",), "last_modified_at": ("zuletzt geändert am",),
        "last_activity_at": ("letzte aktivität",), "next_step": ("nächster schritt",),
        "is_closed": ("geschlossen", "phase"), "is_won": ("gewonnen", "phase"),
    }),
    Preset("dynamics_opportunity", P,
           ("opportunityid", "estimatedvalue"), {
        "opportunity_id": ("opportunityid",), "owner": ("ownerid", "owneridname"),
        "account": ("parentaccountidname", "parentaccountid", "customerid"),
        "stage": ("stepname",), "amount": ("estimatedvalue",),
        "created_at": ("createdon",), "close_date": ("estimatedclosedate",),
        "last_modified_at": ("modifiedon",), "is_closed": ("statecode",),
        "is_won": ("statecode",),
    }, values={"is_closed": _PIPELINE_STATUS, "is_won": {"0": "false", "1": "true",
                                                          "2": "false"}}),
    Preset("dynamics_opportunity_excel", P,
           ("(do not modify) opportunity", "(do not modify) row checksum"), {
        "opportunity_id": ("(do not modify) opportunity",),
        "last_modified_at": ("(do not modify) modified on",), "owner": ("owner",),
        "account": ("potential customer", "account"), "stage": ("pipeline phase",),
        "amount": ("est. revenue",), "close_date": ("est. close date",),
        "created_at": ("created on",), "is_closed": ("status",), "is_won": ("status",),
    }),
    Preset("dynamics_opportunity_excel_de", P,
           ("(nicht ändern) verkaufschance", "(nicht ändern) zeilenprüfsumme"), {
        "opportunity_id": ("(nicht ändern) verkaufschance",),
        "last_modified_at": ("(nicht ändern) geändert am",), "owner": ("besitzer",),
        "account": ("potenzieller kunde", "firma"), "stage": ("pipelinephase",),
        "amount": ("geschätzter umsatz",), "close_date": ("geschätztes abschlussdatum",),
        "created_at": ("erstellt am",), "is_closed": ("status",), "is_won": ("status",),
    }),
    Preset("hubspot_deals", P, ("record id", "deal name", "deal stage"), {
        "opportunity_id": ("record id",), "owner": ("deal owner",),
        "account": ("associated company", "company name"), "stage": ("deal stage",),
        "amount": ("amount",), "currency": ("currency",), "created_at": ("create date",),
        "close_date": ("close date",), "last_modified_at": ("last modified date",),
        "last_activity_at": ("last activity date",), "next_step": ("next step",),
        "is_closed": ("is deal closed?", "deal stage"), "is_won": ("is closed won", "deal stage"),
    }),
    Preset("pipedrive_deals", P,
           ("deal - title", "deal - value", "deal - stage"), {
        "opportunity_id": ("deal - id", "deal - title"), "owner": ("deal - owner",),
        "account": ("deal - organization",), "stage": ("deal - stage",),
        "amount": ("deal - value",), "currency": ("deal - currency",),
        "created_at": ("deal - deal created",), "close_date": ("deal - expected close date",),
        "last_modified_at": ("deal - update time",),
        "last_activity_at": ("deal - last activity date",),
        "next_step": ("deal - next activity subject",),
        "is_closed": ("deal - status",), "is_won": ("deal - status",),
    }),
    Preset("pipedrive_deals_de", P,
           ("deal - titel", "deal - wert", "deal - phase"), {
        "opportunity_id": ("deal - id", "deal - titel"), "owner": ("deal - besitzer",),
        "account": ("deal - organisation",), "stage": ("deal - phase",),
        "amount": ("deal - wert",), "currency": ("deal - währung",),
        "created_at": ("deal - deal erstellt",),
        "close_date": ("deal - erwartetes abschlussdatum",),
        "last_modified_at": ("deal - aktualisiert am",),
        "last_activity_at": ("deal - datum der letzten aktivität",),
        "is_closed": ("deal - status",), "is_won": ("deal - status",),
    }),
    # ---- training ----------------------------------------------------------------------------
    Preset("lms_transcript", T,
           ("training title", "transcript status"), {
        "user": ("user email", "email", "user id"), "course": ("training title",),
        "date": ("completed date", "completion date", "session date", "training date"),
        "kind": ("training type",), "status": ("transcript status",), "score": ("score",),
    }),
    # ---- the generic template: canonical headers ---------------------------------------------
    Preset("generic", U, ("user_id",)),
    Preset("generic", A, ("user_id", "timestamp")),
    Preset("generic", P, ("opportunity_id", "owner")),
    Preset("generic", T, ("user", "course", "date")),
)


def presets_for(kind: DatasetKind) -> list[Preset]:
    """The presets of one dataset."""
    return [p for p in PRESETS if p.kind == kind]


def preset_named(kind: DatasetKind, name: str) -> Preset:
    """The preset ``name`` of ``kind``; ``KeyError`` lists the known names."""
    for preset in presets_for(kind):
        if preset.name == name:
            return preset
    known = ", ".join(p.name for p in presets_for(kind))
    raise KeyError(f"{name!r} (known for {kind.value}: {known})")


def detect_preset(kind: DatasetKind, headers: list[str] | tuple[str, ...]) -> Preset | None:
    """The most specific preset of ``kind`` whose signature the headers contain."""
    found = [p for p in presets_for(kind) if p.matches(headers)]
    return max(found, key=lambda p: len(p.signature)) if found else None


def other_kind_preset(kind: DatasetKind, headers: list[str] | tuple[str, ...]) -> Preset | None:
    """A preset of another dataset that matches, when none of ``kind`` does (wrong choice?)."""
    if detect_preset(kind, headers) is not None:
        return None
    found = [p for p in PRESETS if p.kind != kind and p.name != "generic" and p.matches(headers)]
    return max(found, key=lambda p: len(p.signature)) if found else None
