"""Labels of source systems mapped onto canonical values: yes/no, deal status, integration
accounts, training kinds and statuses.

Keys are compared lower-case and trimmed. The mapping is applied in DuckDB as one ``CASE``
expression per column (see :func:`case_sql`); Python never touches the rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import pairwise

from crm_dash.datasets import TRAINING_KINDS, TRAINING_STATUSES, USAGE_ACTIONS, DatasetKind
from crm_dash.importing.actions import ACTIONS

YES: frozenset[str] = frozenset(
    {"true", "t", "yes", "y", "ja", "j", "1", "1.0", "x", "wahr", "on", "checked"}
)
NO: frozenset[str] = frozenset(
    {"false", "f", "no", "n", "nein", "0", "0.0", "falsch", "off", "-", "unchecked"}
)


def yes_no(true_labels: Iterable[str] = (), false_labels: Iterable[str] = ()) -> dict[str, str]:
    """``{label: 'true'|'false'}`` for yes/no words plus the given labels."""
    out = {label: "false" for label in NO}
    out.update({label: "true" for label in YES})
    out.update({label: "false" for label in false_labels})
    out.update({label: "true" for label in true_labels})
    return out


# Deal status labels (Salesforce stages, HubSpot default stages, Dynamics statecode, Pipedrive
# status) in English and German.
_WON = ("won", "closed won", "closedwon", "gewonnen", "abgeschlossen gewonnen",
        "geschlossen und gewonnen", "geschlossen - gewonnen", "auftrag erteilt", "auftrag",
        "beauftragt", "zuschlag", "verkauft", "sold")
_LOST = ("lost", "closed lost", "closedlost", "verloren", "abgeschlossen verloren",
         "geschlossen und verloren", "geschlossen - verloren", "deleted", "gelöscht",
         "abandoned", "aufgegeben", "absage", "abgesagt", "storniert", "cancelled", "canceled")
_OPEN = ("open", "offen", "in bearbeitung")
_CLOSED = ("closed", "geschlossen", "abgeschlossen")

IS_CLOSED = yes_no(true_labels=(*_WON, *_LOST, *_CLOSED), false_labels=_OPEN)
IS_WON = yes_no(true_labels=_WON, false_labels=(*_LOST, *_OPEN))

# Who is a person and who an integration: Salesforce UserType and profiles, Dynamics 365
# accessmode labels (English and German), plain lists.
IS_INTEGRATION = yes_no(
    true_labels=(
        "integration", "integration user", "integrationsbenutzer", "integrationskonto",
        "api", "api only", "api-only", "api only user", "automatedprocess", "automated process",
        "non-interactive", "noninteractive", "nicht interaktiv", "nicht-interaktiv",
        "technical", "technisch", "technischer benutzer", "service", "service account",
        "dienstkonto", "application user", "anwendungsbenutzer",
    ),
    false_labels=(
        "standard", "person", "user", "benutzer", "mitarbeiter", "read-write",
        "lesen/schreiben", "lesen-schreiben", "administrative", "administrativ", "read", "lesen",
        "support user", "supportbenutzer", "delegated admin", "delegierter administrator",
        "powerpartner", "powercustomersuccess", "customersuccess", "cspliteportal", "guest",
        "csnonly", "mensch", "human", "natürliche person", "interaktiv", "interactive",
        "full access", "read only", "read-only", "vollzugriff", "lesezugriff",
        "schreibzugriff", "lesend", "nur lesen", "employee", "contractor",
        "freelancer", "external", "extern", "intern", "temporary", "angestellt",
    ),
)

#: Phrases that make an account an integration or system account wherever they appear in its
#: profile, role, licence, user type or access mode ("Minimum Access - API Only Integrations",
#: "Salesforce Integration", "AutomatedProcess", "Nicht interaktiv", "Dienstkonto"). Compared
#: on the letters only (lower-case, no spaces or punctuation), so "API-only", "ApiOnly" and
#: "api only" are one phrase. The word "integration" alone is not enough: an "Integration
#: Manager" is a person.
INTEGRATION_PHRASES: tuple[str, ...] = (
    "apionly", "integrationuser", "salesforceintegration", "automatedprocess",
    "noninteractive", "nichtinteraktiv", "applicationuser", "anwendungsbenutzer",
    "serviceaccount", "serviceuser", "servicekonto", "dienstkonto", "dienstbenutzer",
    "integrationsbenutzer", "integrationskonto", "technicaluser", "technischerbenutzer",
    "technischeruser", "technischeskonto", "systemaccount", "systemkonto", "apiuser",
    "automatisierterprozess", "nurapi", "schnittstellenbenutzer", "schnittstellenkonto",
)

def integration_phrase(text: str) -> bool:
    """Whether ``text`` (a profile, licence, user type ...) names an integration account."""
    letters = re.sub(r"[^a-zäöüß]", "", text.lower())
    return any(phrase in letters for phrase in INTEGRATION_PHRASES)


# Stage words that say a column holds sales stages (beyond the won/lost/open ones).
STAGE_WORDS: frozenset[str] = frozenset({
    "prospecting", "qualification", "qualify", "needs analysis", "value proposition",
    "id. decision makers", "perception analysis", "proposal/price quote", "proposal",
    "negotiation/review", "negotiation", "develop", "propose", "close", "1-qualify",
    "2-develop", "3-propose", "4-close", "appointment scheduled", "qualified to buy",
    "presentation scheduled", "decision maker bought-in", "contract sent", "lead",
    "qualifizierung", "qualifiziert", "bedarfsanalyse", "angebot", "angebot erstellt",
    "verhandlung", "entwickeln", "vorschlagen", "abschließen", "abschluss", "erstkontakt",
    "präsentation", "vertrag versendet", "termin vereinbart", "in verhandlung", "demo",
})

SUCCESS = yes_no(
    true_labels=("success", "succeeded", "successful", "erfolgreich", "erfolg", "ok",
                 "login_no_error", "s", "r", "u"),
    false_labels=("failed", "failure", "fehlgeschlagen", "fehler", "error", "a", "deny", "denied",
                  "blocked", "abgelehnt", "gesperrt", "invalid", "ungültig"),
)

TRAINING_STATUS: dict[str, str] = {
    **{s: s for s in TRAINING_STATUSES},
    "complete": "completed", "abgeschlossen": "completed", "bestanden": "completed",
    "passed": "completed", "erledigt": "completed", "done": "completed",
    "absolviert": "completed", "no show": "no_show", "no-show": "no_show", "noshow": "no_show",
    "nicht erschienen": "no_show", "absent": "no_show", "abwesend": "no_show",
    "missed": "no_show", "not attended": "no_show", "withdrawn": "no_show",
    "cancelled": "no_show", "canceled": "no_show", "storniert": "no_show",
    "abgesagt": "no_show", "denied": "no_show", "teilgenommen": "attended",
    "fehlt": "no_show", "gefehlt": "no_show", "entschuldigt": "no_show", "entsch.": "no_show",
    "unentschuldigt": "no_show", "krank": "no_show", "da": "attended", "vor ort": "attended",
    "anwesend": "attended", "present": "attended", "participated": "attended",
    "in progress": "registered", "in bearbeitung": "registered", "angemeldet": "registered",
    "registriert": "registered", "enrolled": "registered", "eingeschrieben": "registered",
    "not started": "registered", "nicht begonnen": "registered", "pending": "registered",
    "pending approval": "registered", "approved": "registered", "past due": "registered",
    "überfällig": "registered", "started": "registered", "begonnen": "registered",
    "gebucht": "registered", "booked": "registered",
    # A yes/no column of "attended?" ("teilgenommen: ja/nein").
    **{word: "attended" for word in ("ja", "yes", "y", "j", "x", "true", "wahr", "1")},
    **{word: "no_show" for word in ("nein", "no", "n", "false", "falsch", "0")},
}

TRAINING_KIND: dict[str, str] = {
    **{k: k for k in TRAINING_KINDS},
    "kick-off": "kickoff", "kick off": "kickoff", "auftakt": "kickoff",
    "auftaktveranstaltung": "kickoff", "post-go-live kick-off": "post_golive_kickoff",
    "post go-live kick-off": "post_golive_kickoff", "go-live kick-off": "post_golive_kickoff",
    "post_go_live_kickoff": "post_golive_kickoff", "monatlich": "monthly",
    "monthly training": "monthly", "monthly session": "monthly", "monatliche schulung": "monthly",
    "monatliche sitzung": "monthly", "monatliche session": "monthly",
    "monatlicher termin": "monthly", "sprechstunde": "monthly",
    "online class": "webinar", "virtual class": "webinar", "online-schulung": "webinar",
    "einarbeitung": "onboarding", "new hire": "onboarding", "neue mitarbeiter": "onboarding",
    "key user": "key_user", "key-user": "key_user", "keyuser": "key_user",
    "key-user-schulung": "key_user", "key user training": "key_user", "power user": "key_user",
    "road show": "roadshow",
}


# Labels per field: the importer maps these source values onto canonical ones; a preset's
# ``values`` are added on top.
FIELD_LABELS: dict[tuple[DatasetKind, str], dict[str, str]] = {
    (DatasetKind.USERS, "is_integration"): IS_INTEGRATION,
    (DatasetKind.USAGE, "success"): SUCCESS,
    (DatasetKind.USAGE, "action"): ACTIONS,
    (DatasetKind.PIPELINE, "is_closed"): IS_CLOSED,
    (DatasetKind.PIPELINE, "is_won"): IS_WON,
    (DatasetKind.TRAINING, "kind"): TRAINING_KIND,
    (DatasetKind.TRAINING, "status"): TRAINING_STATUS,
}


_NEGATION = frozenset({"not", "no", "non", "nicht", "kein", "keine", "un", "ohne", "without"})


def _word_label(labels: Mapping[str, str], word: str) -> str | None:
    """One word's label: itself, its stem ("added" -> add, "exports" -> export), or the head of
    a German compound ("berichtsexport" -> export)."""
    if word in labels:
        return labels[word]
    for ending in ("ing", "ed", "es", "s", "d", "e"):
        if word.endswith(ending) and word[: -len(ending)] in labels:
            return labels[word[: -len(ending)]]
    heads = {labels[k] for k in labels if len(k) >= 5 and " " not in k
             and len(word) >= len(k) + 3 and word.endswith(k)}
    return heads.pop() if len(heads) == 1 else None


def resolve_label(labels: Mapping[str, str], value: str) -> str | None:
    """The canonical value of a source label, by its meaning: the label itself (lower-case,
    trimmed), else its words. "Datensatz anlegen", "Create record" and "Login (Web)" resolve
    through the one word that is a label ("anlegen", "create", "login"), as long as all such
    words agree and nothing negates them ("nicht bestanden" stays unknown)."""
    low = value.strip().lower()
    if low in labels:
        return labels[low]
    spaced = re.sub(r"(?<=[a-zäöü])(?=[A-ZÄÖÜ])", " ", value.strip()).lower()  # RetrieveMultiple
    words = [w for w in re.split(r"[^\wäöüß]+", spaced.replace("_", " ")) if w]
    if _NEGATION & set(words):
        return None
    hits = [hit for w in words if not w.isdigit() and (hit := _word_label(labels, w))]
    found = set(hits)
    for a, b in pairwise(words):  # two-word labels: "no show"
        if f"{a} {b}" in labels:
            found.add(labels[f"{a} {b}"])
    if len(found) > 1 and re.fullmatch(r"[A-Za-zÄÖÜäöüß_]+", value.strip()):
        # One code: a participle says what was done ("ReportExported"), else the verb comes
        # first ("EXPORT_REPORT").
        done = [hit for w in words if w.endswith("ed") and (hit := _word_label(labels, w))]
        return done[-1] if done else hits[0]
    return found.pop() if len(found) == 1 else None


#: Currency names some exports write instead of ISO codes.
CURRENCY_NAMES: dict[str, str] = {
    "euro": "EUR", "€": "EUR", "us dollar": "USD", "us-dollar": "USD", "dollar": "USD",
    "$": "USD", "swiss franc": "CHF", "schweizer franken": "CHF", "franken": "CHF",
    "pound sterling": "GBP", "britisches pfund": "GBP", "pfund": "GBP", "£": "GBP",
}


def sql_literal(value: str) -> str:
    """``value`` as a SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def case_sql(
    value_sql: str,
    labels: Mapping[str, str],
    default_sql: str,
    *,
    lower: bool = True,
    boolean: bool = False,
) -> str:
    """``CASE lower(value) WHEN label THEN canonical ... ELSE default END``.

    ``value_sql`` is an expression built by the importer; labels come from this package (or are
    values found in the file, quoted here). With ``lower=False`` the value is compared as it is:
    the labels are then the exact values to match. With ``boolean`` the canonical values
    ``'true'``/``'false'`` become BOOLEAN literals (no cast of every row's text afterwards).
    """
    if not labels:
        return default_sql
    whens = " ".join(
        f"WHEN {sql_literal(label)} THEN "
        f"{canonical if boolean and canonical in ('true', 'false') else sql_literal(canonical)}"
        for label, canonical in labels.items()
    )
    value = f"lower({value_sql})" if lower else value_sql
    return f"CASE {value} {whens} ELSE {default_sql} END"


def label_values(kind: DatasetKind, name: str) -> tuple[str, ...] | None:
    """The canonical values a label field takes (``None``: not a label field)."""
    labels = FIELD_LABELS.get((kind, name))
    if labels is None:
        return None
    return tuple(sorted(set(labels.values()), key=lambda v: _CANONICAL_ORDER.get(v, 99)))


_CANONICAL_ORDER = {v: i for i, v in enumerate(
    ("true", "false", *USAGE_ACTIONS, *TRAINING_KINDS, *TRAINING_STATUSES))}
