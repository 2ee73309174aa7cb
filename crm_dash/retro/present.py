"""Texts of the retrospective in the chosen language: items, statuses, evidence sentences.

Evidence stores plain values (so a snapshot reads the same in German and English later); this
module turns them into sentences. How a value is formatted follows from its key:
``*_share`` a percentage, ``*_pp`` a signed change in percentage points, ``*_month`` a month,
``*_date`` a date, ``*_state`` a goal state, ``*_money`` an amount in EUR, ``*score`` a whole
number; other numbers with the locale's grouping, texts as they are.
"""

from __future__ import annotations

from datetime import date

from crm_dash.audience import Audience
from crm_dash.charts import NEUTRAL_COLORS
from crm_dash.i18n import (
    Language,
    fmt_date,
    fmt_decimal,
    fmt_int,
    fmt_money_whole,
    fmt_month,
    fmt_percent,
    fmt_signed,
    t,
)
from crm_dash.retro.model import (
    Evidence,
    EvidenceValue,
    ItemStatus,
    Retro,
    RetroItem,
)
from crm_dash.retro.template import TemplateItem

#: Badge colours of the statuses, on the page and in the HTML export: from the neutral palette,
#: since green and red mean segments (productive, never) on every other page.
STATUS_COLOURS: dict[ItemStatus, str] = {
    ItemStatus.OPEN: NEUTRAL_COLORS["slate"],
    ItemStatus.IN_PROGRESS: NEUTRAL_COLORS["brown"],
    ItemStatus.DONE: NEUTRAL_COLORS["purple"],
    ItemStatus.NOT_APPLICABLE: NEUTRAL_COLORS["dark_grey"],
}
STATUS_ICONS: dict[ItemStatus, str] = {
    ItemStatus.OPEN: ":material/radio_button_unchecked:",
    ItemStatus.IN_PROGRESS: ":material/pending:",
    ItemStatus.DONE: ":material/check_circle:",
    ItemStatus.NOT_APPLICABLE: ":material/block:",
}


def status_label(status: ItemStatus | str, lang: Language) -> str:
    """``Done`` / ``Erledigt``."""
    return t(f"retro.status.{ItemStatus(status).value}", lang)


def group_title(group: str, lang: Language) -> str:
    """The title of a topic group."""
    return t(f"retro.group.{group}", lang)


def item_title(item: TemplateItem | str, lang: Language) -> str:
    """The checklist text of an item."""
    item_id = item if isinstance(item, str) else item.id
    return t(f"retro.item.{item_id}", lang)


def item_help(item: TemplateItem | str, lang: Language) -> str:
    """Why the item matters (one or two sentences)."""
    item_id = item if isinstance(item, str) else item.id
    return t(f"retro.item.{item_id}.help", lang)


def format_value(key: str, value: EvidenceValue, lang: Language) -> str:
    """One evidence value as text, formatted by what its key says it is (module docstring)."""
    if value is None:
        return "–"
    if key.endswith("_share") and isinstance(value, int | float):
        return fmt_percent(float(value), lang)
    if key.endswith("_pp") and isinstance(value, int | float):
        points = fmt_signed(float(value) * 100, lang, 1, minus="−", zero="±")
        return f"{points}\u00a0{t('retro.unit.pp', lang)}"
    if key.endswith("_month") and isinstance(value, str):
        return fmt_month(date.fromisoformat(value), lang)
    if key.endswith("_date") and isinstance(value, str):
        return fmt_date(date.fromisoformat(value), lang)
    if key.endswith("_state") and isinstance(value, str):
        return t(f"goals.state.{value}", lang, min="…")  # _filled names the minimum
    if key.endswith("_money") and isinstance(value, int | float):
        return fmt_money_whole(float(value), lang)
    if key.endswith("score") and isinstance(value, int | float):
        return fmt_decimal(float(value), lang, 0)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fmt_int(value, lang)
    if isinstance(value, float):
        return fmt_decimal(value, lang, 1)
    return str(value)


def _filled(key: str, values: dict[str, EvidenceValue], month: date | None,
            lang: Language) -> str:
    texts = {k: format_value(k, v, lang) for k, v in values.items()}
    for k, v in values.items():  # a goal's state may name the minimum group size
        if k.endswith("_state") and isinstance(v, str) and "min" in values:
            texts[k] = t(f"goals.state.{v}", lang, min=values["min"])
    texts["month"] = fmt_month(month, lang) if month else "–"
    return t(key, lang, **texts)


def evidence_text(evidence: Evidence, lang: Language) -> str:
    """What the data says, in one sentence."""
    return _filled(evidence.text_key, evidence.values, evidence.month, lang)


def rule_text(evidence: Evidence, lang: Language) -> str:
    """How the suggestion follows from the figures (the thresholds)."""
    return _filled(evidence.rule_key, evidence.rule_values, evidence.month, lang)


def suggestion_text(evidence: Evidence, lang: Language) -> str:
    """``Suggested: Done`` or ``No suggestion``."""
    if evidence.suggested_status is None:
        return t("retro.evidence.no_suggestion", lang)
    return t("retro.evidence.suggested", lang,
             status=status_label(evidence.suggested_status, lang))


def retro_title(retro: Retro, lang: Language) -> str:
    """``Retrospective of 15 Jul 2026``."""
    return t("retro.title_of", lang, date=fmt_date(retro.held_on, lang))


def retro_for_audience(retro: Retro, audience: Audience, lang: Language) -> Retro:
    """``retro`` as ``audience`` may read it: for executives, the participants leads typed read
    as the project team (:meth:`Audience.person_label`), and who started and saved it (their
    user names) is left out."""
    update: dict[str, str | None] = {
        "participants": audience.person_label(retro.participants,
                                              t("retro.participants.team", lang))}
    if not audience.sees_people:
        update |= {"created_by": "", "updated_by": None}
    return retro.model_copy(update=update)


def items_for_audience(items: list[RetroItem], audience: Audience, lang: Language
                       ) -> list[RetroItem]:
    """The items as ``audience`` may read them: for executives, the owners leads typed read as
    the project lead (:meth:`Audience.person_label`)."""
    lead = t("role.lead", lang)
    return [i.model_copy(update={"owner": audience.person_label(i.owner, lead)}) for i in items]
