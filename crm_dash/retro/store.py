"""Retrospectives in the database: start, save, list, and the drafts that keep unsaved input.

Every write is one transaction with its row in the audit log. Saving validates every value first
(:mod:`crm_dash.retro.model`), so a bad value saves nothing; then the header, every item and the
evidence snapshot are written together, and the saver's draft is cleared, or none of it is.

Starting a retrospective copies the open actions of the latest previous one (items open or in
progress with notes, an owner or a due date), marked with the retrospective they came from; every
other item starts with the status it had there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import duckdb
from pydantic import BaseModel, ValidationError

from crm_dash.audit import log_event
from crm_dash.db import transaction
from crm_dash.errors import CrmDashError
from crm_dash.retro.model import (
    Evidence,
    ItemEntry,
    ItemStatus,
    Retro,
    RetroHeader,
    RetroItem,
    RetroSummary,
    status_counts,
)
from crm_dash.retro.template import TEMPLATE_VERSION, item_ids


class RetroError(CrmDashError):
    """A retrospective cannot be started or saved as asked."""

    title = "Retrospective"
    title_key_default = "error.title.retro"
    default_code = "retro"


_RETRO_COLUMNS = (
    "retro_id, held_on, participants, template_version, evidence_month, evidence_saved_at,"
    " created_by, created_at, updated_by, updated_at"
)


def _retro_from_row(row: tuple[Any, ...]) -> Retro:
    (retro_id, held_on, participants, version, month, evidence_at, created_by, created_at,
     updated_by, updated_at) = row
    return Retro(id=int(retro_id), held_on=held_on, participants=participants,
                 template_version=int(version), evidence_month=month,
                 evidence_saved_at=evidence_at, created_by=created_by, created_at=created_at,
                 updated_by=updated_by, updated_at=updated_at)


def _problem_text(exc: ValidationError) -> str:
    """A pydantic error as one readable sentence (field: reason; ...)."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "value"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def validate_header(values: RetroHeader | Mapping[str, Any]) -> RetroHeader:
    """``values`` as a valid header, or a :class:`RetroError` saying what is wrong."""
    if isinstance(values, RetroHeader):
        return values
    try:
        return RetroHeader.model_validate(dict(values))
    except ValidationError as exc:
        raise RetroError.says("error.retro.invalid_header", title_key="error.title.not_saved",
                              problem=_problem_text(exc)) from exc


def validate_entries(
    entries: Iterable[ItemEntry | Mapping[str, Any]], version: int
) -> list[ItemEntry]:
    """Every entry as a valid :class:`ItemEntry` of template ``version``.

    Raises :class:`RetroError` naming the item and the problem; nothing is returned half.
    """
    known = set(item_ids(version))
    valid: list[ItemEntry] = []
    seen: set[str] = set()
    for entry in entries:
        try:
            item = entry if isinstance(entry, ItemEntry) else ItemEntry.model_validate(
                dict(entry))
        except ValidationError as exc:
            name = entry.get("item_id", "?") if isinstance(entry, Mapping) else "?"
            raise RetroError.says("error.retro.invalid_item", title_key="error.title.not_saved",
                                  item=str(name), problem=_problem_text(exc)) from exc
        if item.item_id not in known:
            raise RetroError.says("error.retro.unknown_item", title_key="error.title.not_saved",
                                  item=item.item_id, version=str(version))
        if item.item_id in seen:
            raise RetroError.says("error.retro.item_twice", title_key="error.title.not_saved",
                                  item=item.item_id)
        seen.add(item.item_id)
        valid.append(item)
    return valid


def get_retro(conn: duckdb.DuckDBPyConnection, retro_id: int) -> Retro:
    """The retrospective ``retro_id``."""
    row = conn.cursor().execute(
        f"SELECT {_RETRO_COLUMNS} FROM retros WHERE retro_id = ?", [retro_id]  # noqa: S608
    ).fetchone()
    if row is None:
        raise RetroError.says("error.retro.missing", title_key="error.title.retro_not_found",
                              id=str(retro_id))
    return _retro_from_row(row)


def list_retros(conn: duckdb.DuckDBPyConnection) -> list[RetroSummary]:
    """Every retrospective, the latest first, with its items per status and open actions."""
    rows = conn.cursor().execute(
        f"SELECT {_RETRO_COLUMNS} FROM retros"  # noqa: S608 (constant)
        " ORDER BY held_on DESC, retro_id DESC"
    ).fetchall()
    retros = [_retro_from_row(r) for r in rows]
    items = _items_of(conn, [r.id for r in retros])
    return [
        RetroSummary(retro=r, counts=status_counts(items.get(r.id, [])),
                     actions=sum(1 for i in items.get(r.id, []) if i.is_action))
        for r in retros
    ]


def _items_of(conn: duckdb.DuckDBPyConnection, retro_ids: list[int]) -> dict[int, list[RetroItem]]:
    if not retro_ids:
        return {}
    rows = conn.cursor().execute(
        "SELECT i.retro_id, i.item_id, i.status, i.notes, i.owner, i.due_date,"
        " i.carried_from_retro_id, c.held_on"
        " FROM retro_items i LEFT JOIN retros c ON c.retro_id = i.carried_from_retro_id"
        " WHERE list_contains(?, i.retro_id)",
        [retro_ids],
    ).fetchall()
    out: dict[int, list[RetroItem]] = {}
    for retro_id, item_id, status, notes, owner, due, carried, carried_on in rows:
        out.setdefault(int(retro_id), []).append(RetroItem(
            item_id=item_id, status=ItemStatus(status), notes=notes, owner=owner, due_date=due,
            carried_from_retro_id=None if carried is None else int(carried),
            carried_from_held_on=carried_on,
        ))
    return out


def retro_items(conn: duckdb.DuckDBPyConnection, retro: Retro) -> list[RetroItem]:
    """The items of ``retro`` in checklist order (its template version)."""
    stored = {i.item_id: i for i in _items_of(conn, [retro.id]).get(retro.id, [])}
    return [stored.get(item_id, RetroItem(item_id=item_id))
            for item_id in item_ids(retro.template_version)]


def previous_retro(conn: duckdb.DuckDBPyConnection, retro: Retro) -> Retro | None:
    """The retrospective held before ``retro`` (by date, then by id), or ``None``."""
    row = conn.cursor().execute(
        f"SELECT {_RETRO_COLUMNS} FROM retros"  # noqa: S608 (constant)
        " WHERE held_on < ? OR (held_on = ? AND retro_id < ?)"
        " ORDER BY held_on DESC, retro_id DESC LIMIT 1",
        [retro.held_on, retro.held_on, retro.id],
    ).fetchone()
    return None if row is None else _retro_from_row(row)


def latest_retro_before(conn: duckdb.DuckDBPyConnection, held_on: date) -> Retro | None:
    """The latest retrospective held on or before ``held_on`` (the one a new one follows)."""
    row = conn.cursor().execute(
        f"SELECT {_RETRO_COLUMNS} FROM retros WHERE held_on <= ?"  # noqa: S608 (constant)
        " ORDER BY held_on DESC, retro_id DESC LIMIT 1",
        [held_on],
    ).fetchone()
    return None if row is None else _retro_from_row(row)


def open_actions(conn: duckdb.DuckDBPyConnection, retro: Retro) -> list[RetroItem]:
    """The actions of ``retro`` still to do: open or in progress with notes, owner or due date."""
    return [i for i in retro_items(conn, retro) if i.is_action]


def create_retro(
    conn: duckdb.DuckDBPyConnection, header: RetroHeader | Mapping[str, Any], *, actor: str,
    template_version: int = TEMPLATE_VERSION,
) -> Retro:
    """Start a retrospective with every item of the template where the latest previous one
    ended: each item with the status it had there (open without a previous one); its open
    actions also bring their notes, owner and due date and are marked as carried over.

    Starting every item open instead would make the meeting mark each done item done again,
    and until then the comparison would report it as "done → open". One transaction, audited
    as ``retro.create``.
    """
    header = validate_header(header)
    ids = item_ids(template_version)
    previous = latest_retro_before(conn, header.held_on)
    before = {i.item_id: i for i in retro_items(conn, previous)} if previous else {}
    carried = {k: i for k, i in before.items() if i.is_action}
    with transaction(conn) as cur:
        row = cur.execute(
            "INSERT INTO retros (held_on, participants, template_version, created_by)"
            " VALUES (?, ?, ?, ?) RETURNING retro_id",
            [header.held_on, header.participants, template_version, actor],
        ).fetchone()
        assert row is not None
        retro_id = int(row[0])
        rows = []
        for item_id in ids:
            old = carried.get(item_id)
            if old is not None:
                assert previous is not None
                rows.append([retro_id, item_id, old.status.value, old.notes, old.owner,
                             old.due_date, previous.id])
            else:
                earlier = before.get(item_id)
                status = earlier.status if earlier is not None else ItemStatus.OPEN
                rows.append([retro_id, item_id, status.value, None, None, None, None])
        cur.executemany(
            "INSERT INTO retro_items (retro_id, item_id, status, notes, owner, due_date,"
            " carried_from_retro_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        log_event(cur, actor, "retro.create", f"retro:{retro_id}", {
            "held_on": header.held_on.isoformat(), "template_version": template_version,
            "carried_from": previous.id if previous and carried else None,
            "carried_items": sorted(i for i in carried if i in ids),
            "statuses_from": previous.id if previous else None,
        })
    return get_retro(conn, retro_id)


def _evidence_json(evidence: Mapping[str, Evidence]) -> str:
    return json.dumps({k: e.model_dump(mode="json") for k, e in evidence.items()},
                      ensure_ascii=False)


def save_retro(
    conn: duckdb.DuckDBPyConnection,
    retro_id: int,
    header: RetroHeader | Mapping[str, Any],
    entries: Iterable[ItemEntry | Mapping[str, Any]],
    *,
    actor: str,
    evidence: Mapping[str, Evidence] | None = None,
    evidence_month: date | None = None,
) -> list[str]:
    """Save the header and the entries of retrospective ``retro_id``, all or nothing.

    Every value is validated before anything is written; then header, items, the evidence
    snapshot (when given) and the removal of ``actor``'s draft happen in one transaction,
    audited as ``retro.save``. Returns the ids of the items whose values changed.
    """
    retro = get_retro(conn, retro_id)
    header = validate_header(header)
    valid = validate_entries(entries, retro.template_version)
    stored = {i.item_id: i for i in retro_items(conn, retro)}
    changed = [e.item_id for e in valid if e.content() != stored[e.item_id].content()]
    header_changed = (header.held_on, header.participants) != (retro.held_on,
                                                              retro.participants)
    with transaction(conn) as cur:
        cur.execute(
            "UPDATE retros SET held_on = ?, participants = ?, updated_by = ?,"
            " updated_at = CAST(current_timestamp AS TIMESTAMP) WHERE retro_id = ?",
            [header.held_on, header.participants, actor, retro_id],
        )
        if evidence is not None:
            cur.execute(
                "UPDATE retros SET evidence = ?, evidence_month = ?,"
                " evidence_saved_at = CAST(current_timestamp AS TIMESTAMP) WHERE retro_id = ?",
                [_evidence_json(evidence), evidence_month, retro_id],
            )
        for entry in valid:
            cur.execute(
                "INSERT INTO retro_items (retro_id, item_id, status, notes, owner, due_date)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (retro_id, item_id) DO UPDATE SET"
                " status = excluded.status, notes = excluded.notes, owner = excluded.owner,"
                " due_date = excluded.due_date",
                [retro_id, entry.item_id, entry.status.value, entry.notes, entry.owner,
                 entry.due_date],
            )
        cur.execute("DELETE FROM retro_drafts WHERE retro_id = ? AND username = ?",
                    [retro_id, actor])
        log_event(cur, actor, "retro.save", f"retro:{retro_id}", {
            "held_on": header.held_on.isoformat(), "header_changed": header_changed,
            "items_changed": changed,
            "counts": {s.value: n for s, n in status_counts(valid).items()},
        })
    return changed


def evidence_snapshot(conn: duckdb.DuckDBPyConnection, retro_id: int) -> dict[str, Evidence]:
    """The evidence saved with the retrospective (``{}`` before its first save)."""
    row = conn.cursor().execute(
        "SELECT evidence FROM retros WHERE retro_id = ?", [retro_id]
    ).fetchone()
    if row is None or row[0] is None:
        return {}
    return {k: Evidence.model_validate(v) for k, v in json.loads(row[0]).items()}


# --- drafts -------------------------------------------------------------------------------------


class Draft(BaseModel):
    """What one user typed into a retrospective and has not saved yet."""

    retro_id: int
    username: str
    payload: dict[str, Any]  # {"header": {...}, "items": {item_id: {...}}}, see draft_values
    saved_at: datetime


class DraftValues(BaseModel):
    """A draft read back as typed values; what cannot be read is left out (not guessed)."""

    held_on: date | None = None
    participants: str | None = None
    items: dict[str, dict[str, Any]]  # item_id -> {"status", "notes", "owner", "due_date"}


def write_draft(
    conn: duckdb.DuckDBPyConnection, retro_id: int, username: str, payload: Mapping[str, Any]
) -> datetime:
    """Keep ``payload`` as ``username``'s draft of ``retro_id`` (replacing the previous one)."""
    text = json.dumps(payload, ensure_ascii=False, default=str)
    with transaction(conn) as cur:
        row = cur.execute(
            "INSERT INTO retro_drafts (retro_id, username, payload, saved_at)"
            " VALUES (?, ?, ?, CAST(current_timestamp AS TIMESTAMP))"
            " ON CONFLICT (retro_id, username) DO UPDATE SET payload = excluded.payload,"
            " saved_at = excluded.saved_at RETURNING saved_at",
            [retro_id, username, text],
        ).fetchone()
    assert row is not None
    saved_at: datetime = row[0]
    return saved_at


def read_draft(conn: duckdb.DuckDBPyConnection, retro_id: int, username: str) -> Draft | None:
    """``username``'s draft of ``retro_id``, or ``None``."""
    row = conn.cursor().execute(
        "SELECT payload, saved_at FROM retro_drafts WHERE retro_id = ? AND username = ?",
        [retro_id, username],
    ).fetchone()
    if row is None:
        return None
    return Draft(retro_id=retro_id, username=username, payload=json.loads(row[0]),
                 saved_at=row[1])


def discard_draft(conn: duckdb.DuckDBPyConnection, retro_id: int, username: str) -> None:
    """Forget ``username``'s draft of ``retro_id``."""
    with transaction(conn) as cur:
        cur.execute("DELETE FROM retro_drafts WHERE retro_id = ? AND username = ?",
                    [retro_id, username])


def _date_or_none(value: object) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def draft_values(draft: Draft) -> DraftValues:
    """The typed values of a draft: statuses as :class:`ItemStatus`, dates as dates.

    A draft is whatever was in the widgets; values that cannot be read (an unknown status) are
    left out, so the saved value shows instead of a guess.
    """
    header = draft.payload.get("header") or {}
    items: dict[str, dict[str, Any]] = {}
    for item_id, raw in (draft.payload.get("items") or {}).items():
        if not isinstance(raw, dict):
            continue
        values: dict[str, Any] = {}
        if raw.get("status") in {s.value for s in ItemStatus}:
            values["status"] = ItemStatus(raw["status"])
        for field in ("notes", "owner"):
            if field in raw:
                values[field] = raw[field] if isinstance(raw[field], str) else None
        if "due_date" in raw:
            values["due_date"] = _date_or_none(raw["due_date"])
        items[str(item_id)] = values
    participants = header.get("participants")
    return DraftValues(held_on=_date_or_none(header.get("held_on")),
                       participants=participants if isinstance(participants, str) else None,
                       items=items)
