"""What the Retrospective page shows: the list of retrospectives, the one open with its items and
the figures beside them, the comparison with the previous one, and the downloads.

The audience decides what the names leads typed read as (:mod:`crm_dash.retro.present`):
executives read participants as "Project team" and item owners as "Project lead", and do not
see who started or saved a retrospective; the list, the comparison and every download are built
from those same values. The figures (:class:`~crm_dash.retro.model.Evidence`) are what everyone
reads alike: groups too small are already left out when they are computed (the published
audience, :func:`crm_dash.audience.published`).

Editing (widgets, drafts, saving) stays in :mod:`crm_dash.ui.retro_editor`; the figures of the
date the editor holds come from :func:`live_evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from crm_dash.audience import Audience
from crm_dash.i18n import Language
from crm_dash.metrics.definitions import load_definition
from crm_dash.pages import LEADS
from crm_dash.retro.compare import RetroComparison, compare
from crm_dash.retro.evidence import evidence_version
from crm_dash.retro.export import retro_html, retro_markdown
from crm_dash.retro.model import Evidence, Retro, RetroItem, RetroSummary
from crm_dash.retro.present import items_for_audience, retro_for_audience
from crm_dash.retro.store import (
    evidence_snapshot,
    get_retro,
    latest_retro_before,
    list_retros,
    open_actions,
    previous_retro,
    retro_items,
)
from crm_dash.views import data
from crm_dash.views.snapshot import Snapshot
from crm_dash.workbook_exports import retro_actions_frame, retro_xlsx


@dataclass(frozen=True)
class RetroChoice:
    """What the reader chose.

    ``wanted``: the retrospectives asked for, the first that exists is opened (the picker's
    choice, the address, the one opened last); without any, the latest. ``start_on``: the date
    in the form that starts a new one (``None``: none chosen).
    """

    wanted: tuple[int, ...] = ()
    start_on: date | None = None


@dataclass(frozen=True)
class Figures:
    """The evidence of the items in its month: the snapshot saved with the retrospective
    (``saved``: what the meeting saw) or, before its first save, the live figures."""

    month: date | None
    evidence: dict[str, Evidence]
    saved: bool


@dataclass(frozen=True)
class StartPreview:
    """What a retrospective started on the chosen date follows: the latest one held on or
    before it (``previous``, ``None`` for the first) and how many of its actions are open."""

    previous: date | None
    open_actions: int


@dataclass(frozen=True)
class Downloads:
    """The retrospective as the reader may take it away, in the page's language: Markdown, a
    printable HTML page, a workbook, and the actions as a table (for CSV)."""

    markdown: str
    html: str
    xlsx: bytes
    actions: pd.DataFrame


@dataclass(frozen=True)
class OpenRetro:
    """The retrospective open on the page: its header and items as the audience reads them,
    the figures beside its items, what changed since the previous one (``None``: it is the
    first), how many items were carried over, and the downloads."""

    retro: Retro
    items: list[RetroItem]
    figures: Figures
    comparison: RetroComparison | None
    carried: int
    downloads: Downloads

    @property
    def saved(self) -> bool:
        """Whether it has been saved since it was started."""
        return self.retro.updated_at is not None


@dataclass(frozen=True)
class RetroView:
    """Everything the Retrospective page shows.

    ``editable``: the audience starts and edits retrospectives (leads, admins); ``start``: the
    preview of the start form (``None`` for readers or without a date); ``summaries``: every
    retrospective, the latest first; ``open``: the one open (``None`` without any);
    ``time_zone``: the analysis time zone, in which the page gives the times of day.
    """

    editable: bool
    start: StartPreview | None
    summaries: list[RetroSummary]
    open: OpenRetro | None
    time_zone: str


def retro_view(snap: Snapshot, choice: RetroChoice, audience: Audience,
               lang: Language) -> RetroView:
    """The Retrospective page for ``audience`` in ``lang`` (the roles the names leads typed read
    as, and the downloads, are in the page's language)."""
    conn = snap.conn
    editable = audience.role in LEADS
    start = None
    if editable and choice.start_on is not None:
        previous = latest_retro_before(conn, choice.start_on)
        start = StartPreview(None if previous is None else previous.held_on,
                             0 if previous is None else len(open_actions(conn, previous)))
    summaries = [s.model_copy(update={"retro": retro_for_audience(s.retro, audience, lang)})
                 for s in list_retros(conn)]
    ids = [s.retro.id for s in summaries]
    chosen = next((i for i in choice.wanted if i in ids), ids[0] if ids else None)
    opened = None if chosen is None else _open_retro(snap, chosen, audience, lang)
    return RetroView(editable=editable, start=start, summaries=summaries, open=opened,
                     time_zone=load_definition(conn).definition.time_zone)


@dataclass(frozen=True)
class LiveEvidence:
    """The evidence of every item the data can speak to, for a retrospective held on a day:
    its month and the evidence per item."""

    month: date
    evidence: dict[str, Evidence]


def live_evidence(snap: Snapshot, held_on: date) -> LiveEvidence:
    """The figures of now for a retrospective held on ``held_on`` (cached per data version and
    goals): what the editor shows and saves, and what readers see before the first save."""
    month, evidence = data.evidence(snap, held_on, evidence_version(snap.conn))
    return LiveEvidence(month, evidence)


def _open_retro(snap: Snapshot, retro_id: int, audience: Audience,
                lang: Language) -> OpenRetro:
    conn = snap.conn
    stored = get_retro(conn, retro_id)
    retro = retro_for_audience(stored, audience, lang)
    items = items_for_audience(retro_items(conn, stored), audience, lang)
    saved = evidence_snapshot(conn, retro.id)
    if saved:
        figures = Figures(retro.evidence_month, saved, saved=True)
    else:
        live = live_evidence(snap, retro.held_on)
        figures = Figures(live.month, live.evidence, saved=False)
    comparison = None
    previous = previous_retro(conn, stored)
    if previous is not None:
        comparison = compare(
            retro_for_audience(previous, audience, lang),
            retro_items(conn, previous), evidence_snapshot(conn, previous.id),
            retro, items, figures.evidence)
    exported = comparison if retro.updated_at is not None else None  # once it has been saved
    downloads = Downloads(
        markdown=retro_markdown(retro, items, figures.evidence, lang, comparison=exported),
        html=retro_html(retro, items, figures.evidence, lang, comparison=exported),
        xlsx=retro_xlsx(retro, items, lang),
        actions=retro_actions_frame(items, lang))
    return OpenRetro(retro=retro, items=items, figures=figures, comparison=comparison,
                     carried=sum(1 for i in items if i.carried_from_retro_id is not None),
                     downloads=downloads)
