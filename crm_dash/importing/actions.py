"""Usage actions of each source mapped onto the canonical ones (login, view, create, update,
delete, export, other).

One vocabulary covers the words all sources use (Salesforce event types and API methods,
Dynamics 365 operation labels, German UI labels, plain lists); a preset adds what only its source
means, such as Dynamics' numeric ``operation`` codes. Anything unknown is ``other``: it still
shows that someone was active, but never counts as a write.
"""

from __future__ import annotations

from collections.abc import Iterable

from crm_dash.datasets import USAGE_ACTIONS


def _words(action: str, words: Iterable[str]) -> dict[str, str]:
    assert action in USAGE_ACTIONS
    return {word: action for word in words}


ACTIONS: dict[str, str] = {
    **{a: a for a in USAGE_ACTIONS},
    **_words("login", (
        "logon", "log in", "log-in", "sign in", "signin", "sign-in", "anmeldung", "anmelden",
        "einloggen", "user access via web", "user access via web services",
        "benutzerzugriff über web", "benutzerzugriff über webdienste", "sso",
    )),
    **_words("view", (
        "read", "access", "zugriff", "ansehen", "anzeigen", "angezeigt", "lightningpageview",
        "lesen", "gelesen", "angesehen", "aufgerufen",
        "uri", "pageview", "page view", "seitenaufruf", "retrieve", "search", "suche", "open",
        "geöffnet", "öffnen", "report", "dashboard", "visualforcerequest", "lightninginteraction",
        "get",
    )),
    **_words("create", (
        "insert", "new", "created", "erstellen", "erstellt", "anlegen", "angelegt", "neu",
        "einfügung", "eingefügt", "einfügen", "anlage", "neuanlage", "erstellung",
        "post", "add", "hinzugefügt",
    )),
    **_words("update", (
        "updated", "upsert", "edit", "modify", "modified", "change", "changed", "aktualisieren",
        "aktualisiert", "ändern", "geändert", "bearbeiten", "bearbeitet", "merge", "assign",
        "zuweisen", "patch", "put", "convert", "qualify", "qualifizieren", "änderung",
        "aktualisierung", "bearbeitung",
    )),
    **_words("delete", (
        "deleted", "destroy", "remove", "removed", "löschen", "gelöscht", "entfernen",
        "entfernt", "hard delete", "harddelete", "löschung", "papierkorb", "recycle bin",
        "trash", "moved to trash",
    )),
    **_words("export", (
        "exportieren", "exportiert", "query", "queryall", "querymore", "reportexport",
        "report export", "download", "herunterladen", "bulkapi", "bulk api", "export to excel",
        "nach excel exportieren",
    )),
    **_words("other", ("logout", "abmelden", "abmeldung", "describe", "describesobject")),
}

#: Dynamics 365 audit ``operation`` codes (the numeric API export).
DYNAMICS_OPERATIONS: dict[str, str] = {"1": "create", "2": "update", "3": "delete", "4": "view"}
#: Dynamics 365 audit ``action`` codes that record a sign-in (64: via web, 65: via web services).
DYNAMICS_ACCESS_ACTIONS: dict[str, str] = {"64": "login", "65": "login"}
