"""Mapping by evidence: which column feeds which field, how sure we are, and why.

Each (field, column) pair gets a confidence between 0 and 1 from two kinds of evidence:

- the **header**, by its words (:mod:`crm_dash.importing.words`): all the words of one of the
  field's wordings present is strong evidence, extra words weaken it a little (more when they
  belong to another field), only some of the words is weak evidence;
- the **values** (:mod:`crm_dash.importing.values`): whether they fit the field (dates for a
  date, e-mails for the e-mail, labels of the field's vocabulary), and whether they speak
  against it (a column of e-mails is not a department).

``confidence = H * (0.35 + 0.65 * V) + (1 - H) * S``, with ``H`` the header score, ``V`` how
well the values fit, and ``S`` what the values alone prove (e-mails prove the e-mail field,
"Anlegen/Ändern/Löschen" prove the action; a date proves little: there are many dates).
A known export layout (preset) raises its columns' confidence; a column with a hidden-export
marker counts less when a visible column means the same.

Levels: **sure** (>= 0.8) is mapped; **unsure** (0.4-0.8) is mapped and flagged; below 0.4
nothing is proposed. Each column feeds at most one field, the best evidence assigned first.
One exception: the outcome flags ``is_closed``/``is_won`` are one fact, so one status column
fills both, and a stage column whose labels say won or lost ("Closed Won") fills them too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from crm_dash.datasets import DATASETS, DatasetKind, FieldSpec, FieldType, ValueKind
from crm_dash.importing.labels import FIELD_LABELS, STAGE_WORDS
from crm_dash.importing.values import ValueProfile
from crm_dash.importing.words import (
    ENTITY_CONCEPTS,
    FOREIGN_CONCEPTS,
    HeaderWords,
    concept_of,
    header_words,
    is_concept,
)

Level = Literal["sure", "unsure"]
SURE = 0.8
UNSURE = 0.4
#: Fields a figure depends on: never call a file "mapped for you" while one of them is open and
#: a column in the file looks like it.
FIGURE_FIELDS: dict[DatasetKind, tuple[str, ...]] = {
    DatasetKind.USERS: ("email", "end_date", "license_cost_monthly", "is_integration"),
    DatasetKind.USAGE: ("action",),
    DatasetKind.PIPELINE: ("stage", "amount", "close_date", "last_modified_at"),
    DatasetKind.TRAINING: ("status",),
}
_SHARED = frozenset({"is_closed", "is_won"})  # one status column fills both
# Concepts that say little on their own ("Date", "Id", "Name"): half weight in a partial match.
_OPPOSITES = (("last", "next"), ("start", "end"), ("hire", "end"), ("won", "lost"))
# Modifiers ("Last", "Next", "Expected") say little on their own either.
_GENERIC = frozenset({"date", "id", "name", "type", "time", "status", "code", "by", "is", "last",
                      "next", "expected", "created", "modified"})


@dataclass(frozen=True)
class Evidence:
    """One reason for (or against) a match: a catalog key ``import.evidence.<code>`` and its
    values."""

    code: str
    values: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """How well one column fits one field."""

    field: str
    column: str
    confidence: float
    evidence: tuple[Evidence, ...]

    @property
    def picked(self) -> bool:
        """Whether a known export layout names this column for the field."""
        return any(e.code == "preset" for e in self.evidence)

    @property
    def level(self) -> Level | None:
        if self.confidence >= SURE:
            return "sure"
        return "unsure" if self.confidence >= UNSURE else None


@dataclass(frozen=True)
class Proposal:
    """The proposed mapping, every pair's evidence, and what stayed open."""

    kind: DatasetKind
    headers: tuple[str, ...]
    matches: dict[str, Match]  # field -> the assigned column's match
    scores: dict[tuple[str, str], Match]  # (field, column) -> match, for every pair

    @property
    def mapping(self) -> dict[str, str]:
        return {name: m.column for name, m in self.matches.items()}

    def match(self, field_name: str, column: str) -> Match:
        """The evidence of ``column`` for ``field_name`` (also when it is not the proposal)."""
        return self.scores.get((field_name, column)) or Match(field_name, column, 0.0, ())

    def unused_columns(self, mapping: Mapping[str, str]) -> list[str]:
        """The file's columns that feed no field of ``mapping``."""
        used = set(mapping.values())
        return [h for h in self.headers if h not in used]

    def candidates(self, field_name: str, mapping: Mapping[str, str]) -> list[Match]:
        """Columns unused by ``mapping`` with at least :data:`UNSURE` for ``field_name``."""
        unused = set(self.unused_columns(mapping))
        found = [m for (f, c), m in self.scores.items()
                 if f == field_name and c in unused and m.confidence >= UNSURE]
        return sorted(found, key=lambda m: -m.confidence)


# ---- the header ---------------------------------------------------------------------------

@cache
def _bags(kind: DatasetKind, name: str) -> tuple[frozenset[str], ...]:
    return tuple(dict.fromkeys(concepts for concepts, _, _ in _wordings(kind, name)))


@cache
def _wordings(
    kind: DatasetKind, name: str
) -> tuple[tuple[frozenset[str], frozenset[str], float], ...]:
    """The field's wordings as (concepts, the words written, weight): a wording marked ``~``
    is a stand-in that counts less ("created" for the start date, when nothing says start)."""
    spec = DATASETS[kind].field(name)
    out = []
    for wording in (spec.name.replace("_", " "), *spec.synonyms):
        words = header_words(wording.lstrip("~"))
        out.append((words.concepts, frozenset(words.words),
                    0.85 if wording.startswith("~") else 1.0))
    return tuple(out)


@cache
def _other_keys(kind: DatasetKind, name: str) -> frozenset[str]:
    """Concepts of the dataset's other fields that this field's wordings never use."""
    own = frozenset().union(*_bags(kind, name))
    others = frozenset().union(*(b for f in DATASETS[kind].field_names if f != name
                                 for b in _bags(kind, f)))
    return others - own - ENTITY_CONCEPTS


def _weight(concepts: frozenset[str]) -> float:
    return sum(0.4 if c in _GENERIC else 1.0 for c in concepts)


def header_score(kind: DatasetKind, name: str, words: HeaderWords) -> tuple[float, list[str]]:
    """How well a header's words fit a field (0-1), and the header words that matched.

    An API path ("profile.hireDate", "outcome.result") also counts by its last part: the
    parts before it name the object that holds the attribute."""
    whole = _header_score(kind, name, words)
    if words.path_tail is not None:
        tail_score, tail_words = _header_score(kind, name, header_words(words.path_tail))
        if tail_score * 0.98 > whole[0]:
            return round(tail_score * 0.98, 4), tail_words
    return whole


def _header_score(kind: DatasetKind, name: str, words: HeaderWords) -> tuple[float, list[str]]:
    concepts = words.concepts
    if words.hidden and (concepts <= ENTITY_CONCEPTS | {"id"} or (
            len(concepts) == 1 and not _known_anywhere(kind, concepts))):
        concepts = concepts | {"id"}  # "(Do Not Modify) Opportunity": the record's GUID
    if not concepts:
        return 0.0, []
    others = _other_keys(kind, name)
    own = frozenset().union(*_bags(kind, name))
    best, best_common = 0.0, frozenset[str]()
    written = set(words.words)
    for bag, bag_words, weight in _wordings(kind, name):
        common = bag & concepts
        if not common or common <= {"is"} or (common <= ENTITY_CONCEPTS and not bag <= concepts):
            continue  # "Benutzer gesperrt" shares only the file's entity with "system user"
        if any((a in bag and b in concepts) or (b in bag and a in concepts) for a, b in _OPPOSITES):
            continue  # "Nächste Aktivität" is no last activity
        extra = concepts - bag
        penalty = sum(_extra_cost(c, others, own) for c in extra)
        if bag == {"id"}:  # "Building ID" is a building's id, not the record's
            penalty += 0.25 * len(extra - ENTITY_CONCEPTS)
        if bag <= concepts:
            # The field's own word ("Department") is a little better than a synonym
            # ("Division"), and a two-word fit ("Attendee email") than one word ("Email").
            score = (1.0 - penalty - (0.0 if bag_words <= written else 0.02)
                     - (0.01 if len(bag) == 1 else 0.0))
        else:
            score = 0.65 * _weight(common) / _weight(bag) - penalty
        score *= weight
        if score > best:
            best, best_common = score, common
    matched = [w for w in words.words if concept_of(w) in best_common]
    if concepts & FOREIGN_CONCEPTS:
        best *= 0.35  # "Country/Region", "Phone (work)": about something else
    return max(0.0, min(1.0, best)), matched


def _extra_cost(concept: str, others: frozenset[str], own: frozenset[str]) -> float:
    """What an extra header word costs: most when another field uses it ("Manager E-Mail" is
    not the e-mail), little for a word of the field's other wordings or the file's entity."""
    if concept in ENTITY_CONCEPTS:
        return 0.03
    if concept in others:
        return 0.15
    if concept in own:
        return 0.04
    return 0.1 if is_concept(concept) else 0.06


def _known_anywhere(kind: DatasetKind, concepts: frozenset[str]) -> bool:
    return any(concepts & b for f in DATASETS[kind].field_names for b in _bags(kind, f))


# ---- the values ---------------------------------------------------------------------------

def _labels(kind: DatasetKind, name: str) -> Mapping[str, str] | None:
    if (kind, name) == (DatasetKind.PIPELINE, "stage"):
        return {**{w: "stage" for w in STAGE_WORDS}, **FIELD_LABELS[(kind, "is_won")]}
    return FIELD_LABELS.get((kind, name))


@cache
def _count_of(kind: DatasetKind, values: ValueKind) -> int:
    return sum(1 for f in DATASETS[kind].fields if f.values == values)


def value_fit(
    kind: DatasetKind, spec: FieldSpec, prof: ValueProfile
) -> tuple[float | None, float, list[Evidence]]:
    """``(V, S, evidence)``: how well the values fit the field (``None``: no values), what
    they prove on their own, and why."""
    if not prof.filled:
        return None, 0.0, [Evidence("no_values")]
    share = prof.share
    labels = _labels(kind, spec.name)
    vocab = prof.label_share(labels, plain_yes_no=False) if labels else 0.0
    kind_ = spec.values
    evidence: list[Evidence] = []

    def pct(x: float) -> int:
        return round(100 * x)

    fit, proves = 0.0, 0.0
    if kind_ == ValueKind.EMAIL:
        fit, proves = share("email"), 0.6 * share("email")
        if share("email") >= 0.5:
            evidence.append(Evidence("values_email", {"pct": pct(share("email"))}))
    elif kind_ == ValueKind.DATE:
        fit = share("date") + share("epoch")
        if spec.type == FieldType.TIMESTAMP:  # an instant: a time of day fits better
            fit *= 0.8 + 0.2 * min(1.0, share("time") + share("epoch"))
        proves = 0.5 * fit / _count_of(kind, ValueKind.DATE)  # one of many dates proves little
        if fit >= 0.5:
            evidence.append(Evidence("values_date", {"pct": pct(min(fit, 1.0))}))
    elif kind_ == ValueKind.NUMBER:
        fit = share("number") + (share("id") - share("sfid") - share("guid")) * 0.5
        fit = min(fit, 1.0)
        proves = 0.3 * share("money") / _count_of(kind, ValueKind.NUMBER)
        if fit >= 0.5:
            evidence.append(Evidence("values_number", {"pct": pct(fit)}))
    elif kind_ == ValueKind.FLAG:
        fit = max(prof.label_share(labels or {}), share("yes_no"))
        proves = 0.6 * vocab * min(1.0, 2 * prof.fill)  # one "Auftrag AB-4711" in a notes column
        if vocab >= 0.5:
            evidence.append(Evidence("values_labels", {"pct": pct(vocab)}))
        elif fit >= 0.5:
            evidence.append(Evidence("values_yes_no", {"pct": pct(fit)}))
    elif kind_ == ValueKind.CURRENCY:
        fit = share("currency")
        proves = 0.5 * fit if prof.distinct <= 10 else 0.0
        if fit >= 0.5:
            evidence.append(Evidence("values_currency", {"pct": pct(fit)}))
    elif kind_ == ValueKind.ID:
        ids = max(share("id"), share("email"))
        fit = max(0.0, 1.0 - share("date") - 0.5 * share("person"))
        if prof.filled >= 5:
            fit *= prof.distinct_ratio  # a record's id is one per row: "Building ID" repeats
        if spec.required:
            fit *= prof.fill ** 2  # ... and every row has one
        fit = max(0.0, fit - share("percent") - share("money"))  # "60 %" is no id
        unique = prof.distinct_ratio >= 0.95
        proves = 0.3 * ids if unique and prof.distinct > 3 else 0.0
        if ids >= 0.5:
            evidence.append(Evidence("values_id", {"pct": pct(ids)}))
    elif kind_ == ValueKind.PERSON:
        who = max(share("email"), share("id"), share("person"), share("token"))
        # Who: in a CRM's own log its user id is the key; across systems (an LMS, a list) the
        # e-mail is; then a login, then a name.
        email, ids = (0.97, 1.0) if kind == DatasetKind.USAGE else (1.0, 0.95)
        fit = max(email * share("email"), ids * share("id"), 0.9 * share("token"),
                  0.85 * share("person"), 0.3 * share("text")) - share("date")
        fit = max(0.0, fit)
        if kind != DatasetKind.USERS and prof.filled >= 5 and prof.distinct <= 2:
            fit *= 0.6  # one or two people in every row: who filled in the form, not who took part
        if kind in (DatasetKind.TRAINING, DatasetKind.USAGE):
            proves = 0.45 * max(share("email"), share("sfid"), share("guid"))
        if share("email") >= 0.5:
            evidence.append(Evidence("values_email", {"pct": pct(share("email"))}))
        elif who >= 0.5:
            evidence.append(Evidence("values_person", {"pct": pct(who)}))
    elif kind_ == ValueKind.NAME:
        fit = max(0.0, max(share("person"), 0.7 * share("token")) + 0.4 * share("text")
                  - share("email") - share("date"))
        fit = min(fit, 1.0)
        if share("person") >= 0.5:
            evidence.append(Evidence("values_name", {"pct": pct(share("person"))}))
    else:  # LABEL, TEXT
        against = share("email") + share("date") + share("epoch") + 0.7 * share("number")
        if kind_ == ValueKind.LABEL and prof.distinct_ratio > 0.9 and prof.filled >= 5:
            against += share("id")  # a column of unique ids is no label
        fit = max(0.0, 1.0 - against)
        if labels is not None and (kind, spec.name) != (DatasetKind.PIPELINE, "stage"):
            # A closed vocabulary (actions, statuses, kinds): values outside it are half a fit.
            fit = min(fit, 0.5 + 0.5 * vocab)
        if vocab:
            fit = max(fit, vocab)
            proves = 0.6 * vocab if vocab >= 0.5 else 0.0
            if vocab >= 0.3:
                evidence.append(Evidence("values_labels", {"pct": pct(vocab)}))
        if kind_ == ValueKind.LABEL and prof.filled >= 20 and prof.distinct_ratio > 0.9:
            fit *= 0.7  # nearly every value differs: not a label
    if fit < 0.5:
        what = max(("email", "date", "number", "id", "text"), key=share)
        if share(what) >= 0.5:
            evidence.append(Evidence("values_against", {"pct": pct(share(what)), "what": what}))
    return min(fit, 1.0), min(proves, 1.0), evidence


# ---- putting it together --------------------------------------------------------------------

def score(
    kind: DatasetKind, spec: FieldSpec, column: str, prof: ValueProfile,
    visible_twin: bool = False, preset_pick: str | None = None,
    roster_share: float | None = None,
) -> Match:
    """The match of ``column`` for the field ``spec``. ``roster_share`` is the share of the
    column's values that name someone in the roster (``None``: no roster to look in)."""
    words = header_words(column)
    if words.checksum:
        return Match(spec.name, column, 0.0, (Evidence("checksum"),))
    h, matched = header_score(kind, spec.name, words)
    fit, proves, evidence = value_fit(kind, spec, prof)
    if fit is None:  # no values: fine for a leaver's date, no use for a required field
        fit = 0.0 if spec.required and prof.rows else None
    v = 0.75 if fit is None else fit
    confidence = h * (0.35 + 0.65 * v) + (1 - h) * proves
    reasons: list[Evidence] = []
    if h >= 0.5:
        reasons.append(Evidence("header", {"column": column, "words": " ".join(matched)}))
    elif h > 0:
        reasons.append(Evidence("header_partial", {"column": column,
                                                   "words": " ".join(matched)}))
    reasons += evidence
    if roster_share is not None and spec.values == ValueKind.PERSON and kind != DatasetKind.USERS:
        # Who acted, learned or owns: values found in the roster are the best evidence there is.
        confidence *= 0.85 + 0.15 * roster_share
        reasons.append(Evidence("values_roster", {"pct": round(100 * roster_share)}))
    if words.hidden and visible_twin:
        confidence *= 0.5
        reasons.append(Evidence("hidden_twin"))
    if preset_pick is not None:
        confidence = max(confidence + 0.05, 0.6 + 0.3 * v)
        reasons.insert(0, Evidence("preset", {"preset": preset_pick}))
    return Match(spec.name, column, round(min(confidence, 1.0), 3), tuple(reasons))


def _says_outcome(m: Match) -> bool:
    return any(e.code == "values_labels" for e in m.evidence)


def propose(
    kind: DatasetKind,
    headers: Sequence[str],
    profiles: Mapping[str, ValueProfile],
    preset_picks: Mapping[str, str] | None = None,
    preset_name: str | None = None,
    roster: Mapping[str, float] | None = None,
) -> Proposal:
    """Score every (field, column) pair and assign the best evidence first.

    ``preset_picks`` (``{field: column}``) are a known layout's choices: they raise their
    column's confidence, but a better-evidenced column still wins. ``roster`` gives, per
    column, the share of values naming someone in the roster (``None``: no roster yet).
    """
    spec = DATASETS[kind]
    picks = dict(preset_picks or {})
    empty = ValueProfile(rows=0, filled=0)
    # Header score of each pair first: a hidden column is weaker where a visible one means the
    # same (its header fits as well).
    header_fit = {(f.name, c): header_score(kind, f.name, header_words(c))[0]
                  for f in spec.fields for c in headers}
    scores: dict[tuple[str, str], Match] = {}
    for f in spec.fields:
        visible_best = max((header_fit[(f.name, c)] for c in headers
                            if not header_words(c).hidden), default=0.0)
        for c in headers:
            twin = header_words(c).hidden and visible_best >= 0.8
            pick = preset_name if picks.get(f.name) == c else None
            share = None if roster is None else roster.get(c, 0.0)
            scores[(f.name, c)] = score(kind, f, c, profiles.get(c, empty), twin, pick, share)
    order = {name: i for i, name in enumerate(spec.field_names)}
    ranked = sorted(
        (m for m in scores.values() if m.confidence >= UNSURE),
        key=lambda m: (-m.confidence, not m.picked, not spec.field(m.field).required,
                       order[m.field], headers.index(m.column)),
    )
    matches: dict[str, Match] = {}
    used: dict[str, str] = {}  # column -> field
    for m in ranked:
        if m.field in matches:
            continue
        holder = used.get(m.column)
        if holder is not None and not (m.field in _SHARED and (
                holder in _SHARED or (holder == "stage" and _says_outcome(m)))):
            continue
        matches[m.field] = m
        used.setdefault(m.column, m.field)
    _required_first(spec.field_names, [f.name for f in spec.fields if f.required], ranked,
                    matches, used)
    closed = matches.get("is_closed")
    if closed is not None and "is_won" not in matches:
        # An outcome column ("Result": Won / Lost / Open) says both whether and how it closed.
        won = scores[("is_won", closed.column)]
        if _says_outcome(won):
            matches["is_won"] = Match("is_won", closed.column, closed.confidence, won.evidence)
    if kind == DatasetKind.USERS and "user_id" not in matches and "email" in matches:
        # A list without ids (Google Workspace, many HR lists): the e-mail is the person's id.
        email = matches["email"]
        scores[("user_id", email.column)] = matches["user_id"] = Match(
            "user_id", email.column, round(email.confidence * 0.9, 3),
            (Evidence("email_as_id"), *email.evidence))
    return Proposal(kind=kind, headers=tuple(headers), matches=matches, scores=scores)


def _required_first(
    names: list[str], required: list[str], ranked: list[Match], matches: dict[str, Match],
    used: dict[str, str],
) -> None:
    """A required field left open takes its best column from an optional field (which then
    takes its next best free column): without it the file cannot load at all."""
    for name in required:
        if name in matches:
            continue
        best = next((m for m in ranked if m.field == name), None)
        if best is None or used.get(best.column) not in names or used[best.column] in required:
            continue
        loser = used[best.column]
        del matches[loser]
        matches[name] = best
        used[best.column] = name
        taken = set(used)
        other = next((m for m in ranked if m.field == loser and m.column not in taken), None)
        if other is not None:
            matches[loser] = other
            used[other.column] = loser


def implied_constants(
    kind: DatasetKind, proposal: Proposal, file_name: str = ""
) -> dict[str, str]:
    """Fields a file implies without a column: a usage log without an action column that is
    about logins (a header such as "Login Time", "Login Status", "Anmeldezeit", or the file's
    name: "LoginHistory.csv", "signins.csv") is a login history, every row a login."""
    if kind != DatasetKind.USAGE or "action" in proposal.matches:
        return {}
    about_logins = any("login" in header_words(h).concepts for h in proposal.headers)
    if about_logins or "login" in header_words(file_name.rsplit(".", 1)[0]).concepts:
        return {"action": "login"}
    return {}
