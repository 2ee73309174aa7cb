"""Header words: a column header (or a field's synonym) as a set of concepts.

Headers are compared by their words, never as whole strings. A header is folded (case, umlauts
and ``ae``/``oe``/``ue``, accents, punctuation, camelCase), split into words, compound words are
split into known parts ("Abschlussdatum" -> abschluss + datum, "LASTMODIFIEDDATE" -> last +
modified + date), and each word is replaced by its concept: the English and German words,
abbreviations and system spellings of one meaning share one concept ("Gesch.", "estimated",
"voraussichtlich" -> ``expected``). Filler words ("Primary", "Primäre", "dienstlich", "the",
"am") are dropped. Markers of hidden export columns ("(Do Not Modify)", "(Nicht ändern)") are
taken off and reported, so they can count against the column where a visible twin exists.

The lexicon is about *words*, so wordings nobody listed still match: "Dienstliche
E-Mail-Adresse", "Mail (geschäftlich)" and "Work email" all come down to ``{email}``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# concept: the surface words (folded: lower-case, ä -> ae, ß -> ss) that mean it.
_CONCEPTS: dict[str, str] = {
    "id": "id ids nr no nummer number num kennung kennziffer identifier guid schluessel key"
          " uid",
    "user": "user users benutzer benutzers nutzer anwender mitarbeiter mitarbeiterin employee"
            " employees emp person personal pers staff member mitglied",
    "learner": "learner learners teilnehmer teilnehmerin teilnehmende participant participants"
               " attendee attendees lernender lernende trainee student",
    "name": "name names namen",
    "lastname": "lastname nachname surname familienname familyname",
    "firstname": "firstname vorname givenname rufname",
    "full": "full vollstaendig vollstaendiger vollstaendige voll",
    "display": "display anzeige",
    "email": "email emails mail emailadresse mailadresse emailaddress",
    "department": "department departments dept abteilung abt division sparte kostenstelle kst"
                  " unternehmenseinheit organisationseinheit orgeinheit ressort",
    "area": "area areas bereich bereiche",
    "business": "business geschaefts",
    "unit": "unit einheit",
    "cost": "cost costs kosten price preis fee fees gebuehr gebuehren charge",
    "center": "center centre",
    "team": "team teams gruppe group region territory gebiet bezirk",
    "role": "role rolle title titel position funktion job profile profil jobtitle"
            " stellenbezeichnung taetigkeit stelle",
    "manager": "manager mgr reporting berichtet vorgesetzter vorgesetzte vorgesetzten"
               " fuehrungskraft supervisor chef reports",
    "parent": "parent uebergeordnet uebergeordneter",
    "license": "license licence licenses licences lizenz lizenzen lic seat cal",
    "type": "type typ types art kind kategorie category sorte modell model edition",
    "month": "month monthly monat monatlich monatl mtl monats",
    "start": "start starts beginn begin starting from ab",
    "hire": "hire hired joined entry eintritt einstellung onboarding vertrag contract",
    "since": "since seit",
    "end": "end ende austritt exit leaving leave left termination terminated ausgeschieden"
           " ausscheiden deactivated deaktiviert deaktivierung disabled inactive inaktiv"
           " kuendigung offboarding deprovisioned bis until till gesperrt locked blocked"
           " expiration expires expiry ablauf",
    "valid": "valid validity gueltig gueltigkeit",
    "money": "eur euro usd chf gbp",
    "workday": "workday arbeitstag",
    "date": "date dates datum dat dt day tag termin stichtag zeitpunkt",
    "time": "time zeit uhrzeit",
    "timestamp": "timestamp zeitstempel datetime ts",
    "integration": "integration integrations integrationen schnittstelle schnittstellen interface",
    "api": "api",
    "access": "access zugriff zugriffs zugang",
    "mode": "mode modus",
    "account": "account accounts acct comp kd konto firma firm company kunde kunden customer"
               " organisation organization org client mandant unternehmen",
    "probability": "probability chance wahrscheinlichkeit wahrsch prob",
    "opportunity": "opportunity opportunities verkaufschance verkaufschancen opp oppty"
                   " deal deals",
    "owner": "owner besitzer inhaber verantwortlich verantwortlicher verantwortliche zustaendig"
             " zustaendiger zustaendige betreuer assigned rep salesperson responsible"
             " vertriebsmitarbeiter vertriebsmitarbeiterin verkaeufer verkaeuferin",
    "sales": "sales sale vertrieb verkauf verkaufs vertriebs",
    "stage": "stage stages stg phase phasen stufe",
    "step": "step steps schritt schritte",
    "pipeline": "pipeline",
    "amount": "amount amt betrag value wert revenue umsatz volumen volume summe",
    "currency": "currency waehrung curr",
    "iso": "iso",
    "code": "code codes",
    "created": "created create erstellt erstellung erstell angelegt anlage creation"
               " creationdate erzeugt insert inserted registriert registered registrierung",
    "order": "order orders auftrag auftraege bestellung eingang intake booking buchung",
    "close": "close closing abschluss schluss abschl",
    "closed": "closed geschlossen abgeschlossen erledigt done",
    "expected": "expected estimated est erwartet erwartetes erwarteter erwartete"
                " voraussichtlich voraussichtl vorauss geschaetzt geschaetzter geschaetztes"
                " geschaetzte gesch geplant planned forecast prognose",
    "modified": "modified modify changed change geaendert aenderung aenderungs updated update"
                " aktualisiert aktualisierung edited bearbeitet mod",
    "last": "last letzte letzter letztes letzten zuletzt latest recent",
    "activity": "activity activities act aktivitaet aktivitaeten",
    "next": "next naechster naechste naechstes",
    "won": "won gewonnen win",
    "lost": "lost verloren",
    "is": "is ist",
    "status": "status state zustand statecode",
    "success": "success successful succeeded erfolg erfolgreich ok outcome",
    "action": "action aktion aktionen operation vorgang event ereignis",
    "object": "object objekt entity entitaet entitaetstyp module modul board table tabelle ziel",
    "record": "record records datensatz datensaetze",
    "page": "page seite",
    "course": "course courses kurs kurse training trainings schulung schulungen session"
              " sessions veranstaltung seminar lesson lektion webinar workshop lerninhalt"
              " massnahme massnahmen lernelement content inhalt inhalte thema item kampagne"
              " campaign lernangebot",
    "score": "score punkte punktzahl points bewertung rating ergebnis result note grade test"
             " quiz pruefung exam",
    "login": "login logon logins anmeldung anmelde signin einloggen",
    "by": "by von",
    "derived": "derived",
    "request": "request anfrage",
    "completion": "completion completed abgeschlossenam completiondate",
    "attendance": "attendance teilnahme anwesenheit teilgenommen attended",
    # Words of columns about something else than any field: a header with one of them is
    # about that ("Country/Region" is no team, "Phone (work)" no e-mail).
    "country": "country land staat nation",
    "city": "city stadt ort",
    "postcode": "postcode plz zip postleitzahl",
    "street": "street strasse",
    "phone": "phone telefon tel mobile mobil handy fax",
    "birth": "birth geburt geburtsdatum birthday",
    "gender": "gender geschlecht",
    "salary": "salary gehalt",
    "ip": "ip",
    "browser": "browser agent",
    "url": "url link",
    "location": "location standort",
    "transcript": "transcript",
    "format": "format form lernform delivery durchfuehrung",
    "integrationuser": "integrationsbenutzer",
    "technical": "technical technisch technischer technische technisches tech",
    "system": "system systems",
    "deleted": "deleted geloescht isdeleted",
}

# Words that carry no meaning for the mapping.
_FILLER = frozenset({
    "primary", "primaer", "primaere", "primaerer", "main", "haupt", "dienstlich", "dienstliche",
    "dienstlicher", "geschaeftlich", "geschaeftliche", "work", "arbeit", "the", "of", "a", "an",
    "der", "die", "das", "des", "dem", "den", "am", "on", "at", "in", "im", "zum", "zur", "zu",
    "vom", "for", "fuer", "per", "pro", "je", "und", "and", "or", "oder", "mit", "with", "ohne",
    "address", "adresse", "adr", "field", "feld", "to", "utc", "gmt", "potenzieller",
    "potenzielle", "potential", "potentieller", "s", "internal", "intern", "interne", "interner",
})

#: Concepts of columns about other things: a header with one of them is about that.
FOREIGN_CONCEPTS = frozenset({"country", "city", "postcode", "street", "phone", "birth", "gender",
                              "salary", "ip", "browser", "url", "location"})
#: Concepts that stand for the record a file is about: an extra one costs little.
ENTITY_CONCEPTS = frozenset({"user", "opportunity"})

_HIDDEN = re.compile(r"\(\s*(do not modify|nicht aendern|nicht andern)\s*\)", re.IGNORECASE)
_CHECKSUM = frozenset({"checksum", "pruefsumme", "zeilenpruefsumme", "rowchecksum"})
_WORD: dict[str, str] = {
    word: concept for concept, words in _CONCEPTS.items() for word in words.split()
}
_WORD.update({
    # Phrases a lexicon word cannot express, and spellings of whole system names.
    "username": "username", "benutzername": "username", "loginname": "username",
    "samaccountname": "username", "userprincipalname": "username", "upn": "username",
    "per month": "month", "checksum": "checksum", "pruefsumme": "checksum",
})


@dataclass(frozen=True)
class HeaderWords:
    """A header as concepts, and what was taken off it."""

    concepts: frozenset[str]
    words: tuple[str, ...]  # the folded words it was made of (shown as evidence)
    hidden: bool = False  # carried a "(Do Not Modify)" marker
    checksum: bool = False
    path_tail: str | None = None  # "hireDate" of the API path "profile.hireDate"


def fold(text: str) -> str:
    """Lower-case, umlauts as ``ae``/``oe``/``ue``, ``ß`` as ``ss``, accents and BOM removed."""
    text = text.replace("\ufeff", "").strip()
    text = re.sub(r"(?<=[a-zäöü])(?=[A-ZÄÖÜ])", " ", text)  # camelCase -> camel Case
    text = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _raw_words(folded: str) -> list[str]:
    folded = folded.replace("€", " eur ").replace("$", " usd ").replace("£", " gbp ")
    folded = folded.replace("#", " nr ").replace("№", " nr ")
    folded = re.sub(r"\be[\s-]?mail", "email", folded)
    folded = re.sub(r"\bsign[\s-]?in", "signin", folded)
    folded = re.sub(r"\bvalid\s+to\b", "valid until", folded)
    folded = re.sub(r"\b(last|first|given|family|sur)[\s_-]?name\b", r"\1name", folded)
    folded = re.sub(r"\bp\.\s?m\.|/\s?(monat|month)\b|\bpro monat\b|\bper month\b", " month ",
                    folded)
    return [w for w in re.split(r"[^a-z0-9]+", folded) if w]


@cache
def split_compound(word: str) -> tuple[str, ...]:
    """``word`` as known parts ("austrittsdatum" -> austritt, datum), or itself.

    A word the lexicon knows stays whole; otherwise the split with the fewest parts wins, each
    part a known word of at least two letters, with the German linking ``s`` allowed between
    parts. Digits stay apart (``c1`` is no word).
    """
    if word in _WORD or word in _FILLER or len(word) < 5:
        return (word,)
    if word.endswith("ies") and word[:-3] + "y" in _WORD:  # "entities"
        return (word[:-3] + "y",)
    for ending in ("es", "en", "er", "s", "n", "e"):  # inflected: "Abschlusses", "Kunden"
        if word.endswith(ending) and word[: -len(ending)] in _WORD:
            return (word[: -len(ending)],)
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(2, len(word) + 1):
        for start in range(0, end - 1):
            head = best[start]
            if head is None:
                continue
            part = word[start:end]
            if part in _WORD or (part in _FILLER and len(part) > 2):
                candidate = (*head, part)
            elif (stem := _linked(part)) is not None:
                candidate = (*head, stem)  # Fugen-s, -n, -en: austritts|datum, tabellen|name
            else:
                continue
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    found = best[len(word)]
    if found:
        return found
    # One unknown part of four letters or more beside known ones: "tabellen|beschriftung",
    # "mitglieds|status".
    for cut in range(len(word) - 4, 3, -1):
        head, tail = best[cut], word[cut:]
        if head and tail not in _FILLER:
            return (*head, tail)
    for cut in range(4, len(word) - 3):
        rest = split_compound(word[cut:])
        if all(part in _WORD for part in rest):
            return (word[:cut], *rest)
    return (word,)


def _linked(part: str) -> str | None:
    """A compound's part with its linking letters taken off, if the rest is a known word."""
    for ending in ("s", "en", "n"):
        if part.endswith(ending) and len(part) > len(ending) + 2 and part[: -len(ending)] in _WORD:
            return part[: -len(ending)]
    return None


@cache
def abbreviation(word: str) -> frozenset[str]:
    """The concepts an abbreviation written with a dot may stand for ("Verantw.", "Änd.",
    "Fkt.", "Kd."): those of the lexicon words it begins ("zust." is zuständig or Zustand: both,
    and the values decide), else of the word that holds its letters in order most tightly
    ("fkt" -> funktion, not fuehrungskraft)."""
    if len(word) < 2:
        return frozenset()
    prefixed = {c for known, c in _WORD.items() if known.startswith(word) and known != word}
    if prefixed:
        return frozenset(prefixed) if len(prefixed) <= 2 else frozenset()
    spans: dict[str, int] = {}
    for known, concept in _WORD.items():
        if known[0] != word[0] or len(known) <= len(word):
            continue
        position = 0
        for letter in word[1:]:
            position = known.find(letter, position + 1)
            if position < 0:
                break
        else:
            spans[concept] = min(spans.get(concept, position), position)
    if not spans:
        return frozenset()
    tightest = min(spans.values())
    found = [c for c, span in spans.items() if span == tightest]
    return frozenset(found) if len(found) == 1 else frozenset()


@cache
def header_words(header: str) -> HeaderWords:
    """The concepts of a header (see the module text)."""
    folded = fold(header)
    hidden = bool(_HIDDEN.search(folded))
    folded = _HIDDEN.sub(" ", folded)
    dotted = set(re.findall(r"([a-z]+)\.", folded))  # "verantw." is an abbreviation
    words: list[str] = []
    compact = re.sub(r"[^a-z]", "", fold(header.lower()))
    if compact in _WORD and " " not in header.strip():  # a system name: "SamAccountName"
        words.append(compact)
    else:
        for raw in _raw_words(folded):
            words.extend(split_compound(raw))
    concepts: set[str] = set()
    for w in words:
        if w in _FILLER or w.isdigit():
            continue
        concept = _WORD.get(w)
        if concept is None and w in dotted and abbreviation(w):
            concepts |= abbreviation(w)
        else:
            concepts.add(concept or w)
    checksum = "checksum" in concepts or any(w in _CHECKSUM for w in words)
    path = re.fullmatch(r"\w+(\.\w+)+", header.strip().replace("\ufeff", ""))
    tail = header.strip().rsplit(".", 1)[1] if path else None
    return HeaderWords(frozenset(concepts), tuple(words), hidden, checksum, tail)


def is_concept(concept: str) -> bool:
    """Whether ``concept`` is one of the lexicon's meanings (not an unknown word)."""
    return concept in _CONCEPTS or concept in _WORD.values()


def concept_of(word: str) -> str:
    """The concept of one folded word (the word itself when the lexicon lacks it)."""
    return _WORD.get(word, word)
