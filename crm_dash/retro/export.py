"""A retrospective as Markdown and as a printable, self-contained HTML page, in one language.

Both show the same: date, participants, the month of the figures, the open actions, every item
by topic with its status, evidence (the figures saved with the retrospective), notes, owner, due
date and where it was carried over from, and, when there is a previous retrospective, what
changed since. The HTML page carries its own styles (no script, no link to the internet) and
prints on A4.
"""

from __future__ import annotations

from datetime import date
from html import escape

from crm_dash.i18n import Language, fmt_date, fmt_int, fmt_month, t
from crm_dash.markdown import md_escape, md_escape_lines
from crm_dash.retro.compare import RetroComparison
from crm_dash.retro.model import Evidence, ItemStatus, Retro, RetroItem, status_counts
from crm_dash.retro.present import (
    STATUS_COLOURS,
    evidence_text,
    group_title,
    item_help,
    item_title,
    status_label,
    suggestion_text,
)
from crm_dash.retro.template import items_by_group

#: A line break inside a list item: the next line stays in the item.
_IN_ITEM = "  \n    "

_HEX: dict[ItemStatus, str] = STATUS_COLOURS  # the page's colours


#: The order in which counts are given: what is done first.
COUNT_ORDER = (ItemStatus.DONE, ItemStatus.IN_PROGRESS, ItemStatus.OPEN,
               ItemStatus.NOT_APPLICABLE)


def counts_text(items: list[RetroItem], lang: Language) -> str:
    """``8 done · 6 in progress · 20 open · 3 not applicable``."""
    counts = status_counts(items)
    return " · ".join(t(f"retro.count.{s.value}", lang, n=fmt_int(counts[s], lang))
                      for s in COUNT_ORDER)


def _meta(retro: Retro, evidence: dict[str, Evidence], lang: Language) -> list[tuple[str, str]]:
    rows = [(t("retro.participants", lang), retro.participants or "–")]
    month = retro.evidence_month or next((e.month for e in evidence.values() if e.month), None)
    if evidence and month:
        rows.append((t("retro.export.figures_of", lang), fmt_month(month, lang)))
    return rows


def _owner_due(item: RetroItem, lang: Language) -> str:
    parts = []
    if item.owner:
        parts.append(f"{t('retro.owner', lang)}: {item.owner}")
    if item.due_date:
        parts.append(f"{t('retro.due', lang)}: {fmt_date(item.due_date, lang)}")
    return " · ".join(parts)


def _carried(item: RetroItem, lang: Language) -> str | None:
    if item.carried_from_held_on is None:
        return None
    return t("retro.carried_from", lang, date=fmt_date(item.carried_from_held_on, lang))


def retro_markdown(
    retro: Retro,
    items: list[RetroItem],
    evidence: dict[str, Evidence],
    lang: Language,
    *,
    comparison: RetroComparison | None = None,
    generated: date | None = None,
) -> str:
    """The retrospective as a Markdown document in ``lang``."""
    generated = generated or date.today()
    by_id = {i.item_id: i for i in items}
    lines = [f"# {t('retro.title_of', lang, date=fmt_date(retro.held_on, lang))}", ""]
    for label, value in _meta(retro, evidence, lang):
        lines.append(f"- **{label}:** {md_escape(value)}")
    lines.append(f"- **{t('retro.export.status', lang)}:** {counts_text(items, lang)}")
    lines.append("")

    actions = [i for i in items if i.is_action]
    lines += [f"## {t('retro.export.open_actions', lang)}", ""]
    if not actions:
        lines += [t("retro.export.no_open_actions", lang), ""]
    for item in actions:
        line = (f"- **{md_escape(item_title(item.item_id, lang))}** "
                f"({status_label(item.status, lang)})")
        extra = _owner_due(item, lang)
        lines.append(line + (f": {md_escape(extra)}" if extra else ""))
        if item.notes:
            lines.append(f"  {md_escape_lines(item.notes, _IN_ITEM)}")
    lines.append("")

    for group, template in items_by_group(retro.template_version).items():
        lines += [f"## {group_title(group, lang)}", ""]
        for entry in template:
            item = by_id.get(entry.id, RetroItem(item_id=entry.id))
            box = "[x]" if item.status is ItemStatus.DONE else "[ ]"
            lines.append(f"- {box} **{md_escape(item_title(entry.id, lang))}**: "
                         f"*{status_label(item.status, lang)}*")
            found = evidence.get(entry.id)
            if found is not None:
                lines.append(f"  - {t('retro.export.data', lang)}: "
                             f"{md_escape(evidence_text(found, lang))} "
                             f"({suggestion_text(found, lang)})")
            if item.notes:
                lines.append(f"  - {t('retro.notes', lang)}: "
                             f"{md_escape_lines(item.notes, _IN_ITEM)}")
            extra = _owner_due(item, lang)
            if extra:
                lines.append(f"  - {md_escape(extra)}")
            carried = _carried(item, lang)
            if carried:
                lines.append(f"  - {carried}")
        lines.append("")

    if comparison is not None:
        lines += _comparison_markdown(comparison, lang)
    lines.append("---")
    lines.append(t("retro.export.footer", lang, date=fmt_date(generated, lang),
                   version=retro.template_version))
    return "\n".join(lines) + "\n"


def _comparison_markdown(comparison: RetroComparison, lang: Language) -> list[str]:
    title = t("retro.compare.title", lang, date=fmt_date(comparison.previous.held_on, lang))
    lines = [f"## {title}", ""]
    if comparison.unchanged:
        lines += [t("retro.compare.unchanged", lang), ""]
    if comparison.status_changes:
        lines += [f"### {t('retro.compare.status_changes', lang)}", ""]
        lines += [f"- {md_escape(item_title(c.item_id, lang))}: {status_label(c.before, lang)} → "
                  f"{status_label(c.after, lang)}" for c in comparison.status_changes]
        lines.append("")
    for key, group in (("still_open", comparison.still_open), ("closed", comparison.closed),
                       ("new_actions", comparison.new_actions)):
        if group:
            lines += [f"### {t(f'retro.compare.{key}', lang)}", ""]
            for item in group:
                extra = _owner_due(item, lang)
                lines.append(f"- {md_escape(item_title(item.item_id, lang))} "
                             f"({status_label(item.status, lang)})"
                             + (f": {md_escape(extra)}" if extra else ""))
            lines.append("")
    figures = [e for e in comparison.evidence if e.before or e.after]
    if figures:
        lines += [f"### {t('retro.compare.figures', lang)}", ""]
        for change in figures:
            then = evidence_text(change.before, lang) if change.before else "–"
            now = evidence_text(change.after, lang) if change.after else "–"
            lines.append(f"- **{md_escape(item_title(change.item_id, lang))}**")
            lines.append(f"  - {t('retro.compare.then', lang)}: {md_escape(then)}")
            lines.append(f"  - {t('retro.compare.now', lang)}: {md_escape(now)}")
        lines.append("")
    return lines


_STYLE = """
@page { size: A4 portrait; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328;
       margin: 0; background: #f3f4f6; font-size: 13.5px; line-height: 1.4; }
.page { max-width: 190mm; margin: 16px auto; background: #fff; padding: 12mm;
        box-shadow: 0 1px 4px rgba(0,0,0,.15); }
.kicker { text-transform: uppercase; letter-spacing: .06em; font-size: 11px; color: #5f5f5f;
          margin: 0 0 4px; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 16px; margin: 18px 0 6px; border-bottom: 1px solid #d8dadd; padding-bottom: 3px;
     break-after: avoid; }
h3 { font-size: 14px; margin: 12px 0 4px; break-after: avoid; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0 0 8px; }
dl.meta dt { font-weight: 600; color: #444; }
dl.meta dd { margin: 0; }
.badge { display: inline-block; color: #fff; border-radius: 10px; padding: 1px 9px;
         font-weight: 600; font-size: 11.5px; white-space: nowrap; }
.counts .badge { margin-right: 6px; }
.item { border: 1px solid #d8dadd; border-radius: 6px; padding: 6px 8px; margin: 6px 0;
        break-inside: avoid; }
.item .head { display: flex; gap: 8px; align-items: baseline; justify-content: space-between; }
.item .title { font-weight: 600; }
.item .why { color: #5f5f5f; font-size: 11.5px; margin: 1px 0 3px; }
.item .data { background: #f3f6fa; border-left: 3px solid #2166ac; padding: 3px 6px;
              font-size: 12.5px; margin: 3px 0; }
.item .data .suggest { color: #444; font-style: italic; }
.item .notes { white-space: pre-wrap; margin: 3px 0; }
.item .who { color: #333; font-size: 12.5px; }
.item .carried { color: #6b4c00; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; border-bottom: 1px solid #e3e5e8; padding: 4px 6px;
         vertical-align: top; }
th { color: #444; }
td.notes { white-space: pre-wrap; }
ul.changes { margin: 4px 0 4px 18px; padding: 0; }
footer { margin-top: 14px; border-top: 1px solid #d8dadd; padding-top: 6px; font-size: 11px;
         color: #5f5f5f; }
@media print { body { background: #fff; } .page { box-shadow: none; margin: 0; padding: 0;
               max-width: none; } }
"""


def _badge(status: ItemStatus, lang: Language) -> str:
    return (f'<span class="badge status-{status.value}" style="background:{_HEX[status]}">'
            f"{escape(status_label(status, lang))}</span>")


def _item_html(item: RetroItem, found: Evidence | None, lang: Language) -> str:
    parts = [
        '<div class="item">',
        f'<div class="head"><span class="title">{escape(item_title(item.item_id, lang))}</span>'
        f"{_badge(item.status, lang)}</div>",
        f'<div class="why">{escape(item_help(item.item_id, lang))}</div>',
    ]
    if found is not None:
        parts.append(f'<div class="data">{escape(evidence_text(found, lang))} '
                     f'<span class="suggest">({escape(suggestion_text(found, lang))})</span></div>')
    if item.notes:
        parts.append(f'<div class="notes">{escape(item.notes)}</div>')
    extra = _owner_due(item, lang)
    if extra:
        parts.append(f'<div class="who">{escape(extra)}</div>')
    carried = _carried(item, lang)
    if carried:
        parts.append(f'<div class="carried">{escape(carried)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _comparison_html(comparison: RetroComparison, lang: Language) -> str:
    title = t("retro.compare.title", lang, date=fmt_date(comparison.previous.held_on, lang))
    out = [f'<section class="compare"><h2>{escape(title)}</h2>']
    if comparison.unchanged:
        out.append(f"<p>{escape(t('retro.compare.unchanged', lang))}</p>")
    if comparison.status_changes:
        out.append(f"<h3>{escape(t('retro.compare.status_changes', lang))}</h3><ul class=changes>")
        out += [f"<li>{escape(item_title(c.item_id, lang))}: {_badge(c.before, lang)} → "
                f"{_badge(c.after, lang)}</li>" for c in comparison.status_changes]
        out.append("</ul>")
    for key, group in (("still_open", comparison.still_open), ("closed", comparison.closed),
                       ("new_actions", comparison.new_actions)):
        if group:
            out.append(f"<h3>{escape(t(f'retro.compare.{key}', lang))}</h3><ul class=changes>")
            for item in group:
                extra = _owner_due(item, lang)
                out.append(f"<li>{escape(item_title(item.item_id, lang))} "
                           f"{_badge(item.status, lang)}"
                           + (f" {escape(extra)}" if extra else "") + "</li>")
            out.append("</ul>")
    figures = [e for e in comparison.evidence if e.before or e.after]
    if figures:
        out.append(f"<h3>{escape(t('retro.compare.figures', lang))}</h3><table><tr>"
                   f"<th>{escape(t('retro.export.item', lang))}</th>"
                   f"<th>{escape(t('retro.compare.then', lang))}</th>"
                   f"<th>{escape(t('retro.compare.now', lang))}</th></tr>")
        for change in figures:
            then = evidence_text(change.before, lang) if change.before else "–"
            now = evidence_text(change.after, lang) if change.after else "–"
            out.append(f"<tr><td>{escape(item_title(change.item_id, lang))}</td>"
                       f"<td>{escape(then)}</td><td>{escape(now)}</td></tr>")
        out.append("</table>")
    out.append("</section>")
    return "".join(out)


def retro_html(
    retro: Retro,
    items: list[RetroItem],
    evidence: dict[str, Evidence],
    lang: Language,
    *,
    comparison: RetroComparison | None = None,
    generated: date | None = None,
) -> str:
    """The retrospective as a self-contained, printable HTML page in ``lang``."""
    generated = generated or date.today()
    by_id = {i.item_id: i for i in items}
    title = t("retro.title_of", lang, date=fmt_date(retro.held_on, lang))
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>"
                   for k, v in _meta(retro, evidence, lang))
    counts = status_counts(items)
    count_badges = "".join(
        f'<span class="badge" style="background:{_HEX[s]}">'
        f"{escape(t(f'retro.count.{s.value}', lang, n=fmt_int(counts[s], lang)))}</span>"
        for s in COUNT_ORDER)
    actions = [i for i in items if i.is_action]
    if actions:
        rows = "".join(
            f"<tr><td>{escape(item_title(i.item_id, lang))}</td><td>{_badge(i.status, lang)}</td>"
            f"<td>{escape(i.owner or '–')}</td>"
            f"<td>{escape(fmt_date(i.due_date, lang) if i.due_date else '–')}</td>"
            f'<td class="notes">{escape(i.notes or "")}</td></tr>'
            for i in actions)
        actions_html = (
            f"<table><tr><th>{escape(t('retro.export.item', lang))}</th>"
            f"<th>{escape(t('retro.status', lang))}</th><th>{escape(t('retro.owner', lang))}</th>"
            f"<th>{escape(t('retro.due', lang))}</th><th>{escape(t('retro.notes', lang))}</th>"
            f"</tr>{rows}</table>")
    else:
        actions_html = f"<p>{escape(t('retro.export.no_open_actions', lang))}</p>"
    groups = []
    for group, template in items_by_group(retro.template_version).items():
        body = "".join(_item_html(by_id.get(e.id, RetroItem(item_id=e.id)), evidence.get(e.id),
                                  lang) for e in template)
        groups.append(f"<section><h2>{escape(group_title(group, lang))}</h2>{body}</section>")
    compare_html = _comparison_html(comparison, lang) if comparison is not None else ""
    footer = t("retro.export.footer", lang, date=fmt_date(generated, lang),
               version=retro.template_version)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main class="page">
<header>
<p class="kicker">crm-dash · {escape(t("retro.export.kicker", lang))}</p>
<h1>{escape(title)}</h1>
<dl class="meta">{meta}</dl>
<div class="counts">{count_badges}</div>
</header>
<section><h2>{escape(t("retro.export.open_actions", lang))}</h2>{actions_html}</section>
{"".join(groups)}
{compare_html}
<footer>{escape(footer)}</footer>
</main>
</body>
</html>
"""


def export_file_name(retro: Retro, extension: str) -> str:
    """``retro-2026-07-15.md`` / ``retro-2026-07-15.html``."""
    return f"retro-{retro.held_on.isoformat()}.{extension}"
