"""The one-page goal report for a management meeting: self-contained HTML, printable on A4.

Everything is inside the file: styles, and the chart as inline SVG drawn here (a Vega chart would
need JavaScript from the internet to render, and this report must open offline, in a mail client's
preview, or on paper). Its figures are the page's (:func:`crm_dash.goals.present.goal_view`).
"""

from __future__ import annotations

import math
from datetime import date
from html import escape

from crm_dash.goals.chart import SERIES_COLOURS, SERIES_DASHES, chart_frame, chart_texts
from crm_dash.goals.present import GoalView, fmt_month, goal_view
from crm_dash.goals.tracker import GoalReport
from crm_dash.i18n import Language, fmt_date, fmt_decimal, fmt_percent, t

_HEX: dict[str, str] = {
    "green": "#1b7837", "blue": "#2166ac", "orange": "#b35806", "red": "#b2182b",
    "gray": "#5f5f5f",
}

_STYLE = """
@page { size: A4 portrait; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328;
       margin: 0; background: #f3f4f6; font-size: 14px; line-height: 1.4; }
.page { max-width: 190mm; margin: 16px auto; background: #fff; padding: 14mm 12mm;
        box-shadow: 0 1px 4px rgba(0,0,0,.15); }
.kicker { text-transform: uppercase; letter-spacing: .06em; font-size: 11px; color: #5f5f5f;
          margin: 0 0 4px; }
h1 { font-size: 22px; margin: 0 0 4px; }
.meta { color: #444; margin: 0 0 10px; }
.badge { display: inline-block; color: #fff; border-radius: 12px; padding: 2px 12px;
         font-weight: 600; font-size: 13px; }
.badge-note { color: #444; margin-left: 8px; font-size: 13px; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 14px 0; }
.fig { border: 1px solid #d8dadd; border-radius: 6px; padding: 6px 8px; }
.fig .label { font-size: 11px; color: #5f5f5f; }
.fig .value { font-size: 20px; font-weight: 600; }
.fig .help { font-size: 10.5px; color: #6b6b6b; }
.bar { height: 12px; background: #e5e7eb; border-radius: 6px; overflow: hidden; margin: 4px 0; }
.bar span { display: block; height: 100%; }
.progress-text { font-size: 13px; color: #333; }
.chart { margin: 12px 0 6px; }
.chart h2 { font-size: 15px; margin: 0; }
.chart .sub { color: #5f5f5f; font-size: 12px; margin: 0 0 4px; }
.chart svg { width: 100%; height: auto; }
.notes { font-size: 12.5px; }
.notes dt { font-weight: 600; margin-top: 6px; }
.notes dd { margin: 0; }
.warn { background: #fff4e5; border-left: 4px solid #b35806; padding: 6px 8px; margin: 8px 0; }
footer { margin-top: 12px; border-top: 1px solid #d8dadd; padding-top: 6px; font-size: 11px;
         color: #5f5f5f; }
@media print { body { background: #fff; } .page { box-shadow: none; margin: 0; padding: 0;
               max-width: none; } }
"""


def _nice_step(span: float, share: bool, ticks: int = 5) -> float:
    """A round tick step so that ``span`` is covered by about ``ticks`` steps."""
    raw = span / ticks if span > 0 else 1.0
    candidates = [0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25] if share else []
    magnitude = 1.0
    while magnitude < 1e7:
        candidates += [1 * magnitude, 2 * magnitude, 5 * magnitude]
        if share or magnitude >= 10:
            candidates.append(2.5 * magnitude)
        magnitude *= 10
    for step in sorted(candidates):
        if step >= raw and (share or step >= 1):
            return step
    return raw


def chart_svg(report: GoalReport, lang: Language, width: int = 720, height: int = 300) -> str:
    """The goal's chart as a standalone SVG (empty for a scope of fewer than 5 people)."""
    goal, progress = report.goal, report.progress
    if progress.suppressed:
        return ""
    frame = chart_frame(goal, progress, lang)
    texts = chart_texts(goal, lang)
    share = not goal.metric.is_count
    left, right, top, bottom = 64, 36, 34, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    low = min(float(frame["value"].min()), goal.target)
    high = max(float(frame["value"].max()), goal.target)
    step = _nice_step(max(high - low, high * 0.1, 1e-6) * 1.3, share)
    y_min = max(0.0, math.floor((low - step / 2) / step) * step)
    y_max = math.ceil((high + step / 2) / step) * step
    horizon = max(progress.horizon, 1)

    def x(index: float) -> float:
        return left + plot_w * index / horizon

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - y_min) / (y_max - y_min))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(texts.title)}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f"<title>{escape(texts.title)}: {escape(texts.subtitle)}</title>",
    ]
    tick = y_min
    while tick <= y_max + 1e-9:
        label = fmt_percent(tick, lang, 0 if step >= 0.01 else 1) if share \
            else fmt_decimal(tick, lang, 0)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="#e3e5e8"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'fill="#555">{escape(label)}</text>')
        tick += step
    every = 1 if horizon <= 12 else 2
    for point in progress.points:
        if point.index % every == 0 or point.index == horizon:
            parts.append(f'<text x="{x(point.index):.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle" fill="#555">'
                         f"{escape(fmt_month(point.month, lang, short=True))}</text>")
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                 f'fill="#333">{escape(texts.x)}</text>')
    parts.append(f'<text transform="translate(14 {top + plot_h / 2:.1f}) rotate(-90)" '
                 f'text-anchor="middle" fill="#333">{escape(texts.y)}</text>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#888"/>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
                 f'y2="{top + plot_h}" stroke="#888"/>')
    for series in ("target", "expected", "forecast", "actual"):
        rows = frame[frame["series"] == series].sort_values("index")
        if rows.empty:
            continue
        dash = SERIES_DASHES[series]
        dash_attr = "" if dash[1] == 0 else f' stroke-dasharray="{dash[0]} {dash[1]}"'
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in zip(rows["index"], rows["value"],
                                                                   strict=True))
        widths = {"target": 1.5, "expected": 2, "forecast": 2.5, "actual": 2.5}
        parts.append(f'<polyline points="{points}" fill="none" stroke="{SERIES_COLOURS[series]}"'
                     f' stroke-width="{widths[series]}"{dash_attr} class="series-{series}"/>')
        if series == "actual":
            for i, v, label in zip(rows["index"], rows["value"], rows["value_text"], strict=True):
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" '
                             f'fill="{SERIES_COLOURS[series]}"><title>{escape(label)}</title>'
                             "</circle>")
    legend_x: float = left
    for series in ("actual", "expected", "forecast", "target"):
        if series not in set(frame["series"]):
            continue
        dash = SERIES_DASHES[series]
        dash_attr = "" if dash[1] == 0 else f' stroke-dasharray="{dash[0]} {dash[1]}"'
        parts.append(f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="14" y2="14" '
                     f'stroke="{SERIES_COLOURS[series]}" stroke-width="2.5"{dash_attr}/>')
        label = texts.series[series]
        parts.append(f'<text x="{legend_x + 28}" y="18" fill="#333">{escape(label)}</text>')
        legend_x += 40 + 6.2 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def _figure(label: str, value: str, help_text: str = "") -> str:
    help_html = f'<div class="help">{escape(help_text)}</div>' if help_text else ""
    return (f'<div class="fig"><div class="label">{escape(label)}</div>'
            f'<div class="value">{escape(value)}</div>{help_html}</div>')


def report_html(report: GoalReport, lang: Language, *, generated: date | None = None) -> str:
    """The one-page report of a goal as a self-contained HTML document in ``lang``."""
    view: GoalView = goal_view(report, lang)
    goal, progress = report.goal, report.progress
    generated = generated or date.today()
    colour = _HEX[view.colour]
    figures = [
        _figure(t("goals.fig.baseline", lang), view.baseline,
                fmt_month(goal.baseline_month, lang)),
        _figure(t("goals.fig.target", lang), view.target, fmt_date(goal.deadline, lang)),
        _figure(view.actual_label, view.actual),
        _figure(t("goals.fig.expected", lang), view.expected),
        _figure(view.forecast_label, view.forecast),
        _figure(view.needed_label, view.needed),
        _figure(t("goals.fig.months_left", lang), view.months_left),
        _figure(t("goals.fig.gap", lang), view.gap),
    ]
    texts = chart_texts(goal, lang)
    svg = chart_svg(report, lang)
    chart = (f'<section class="chart"><h2>{escape(texts.title)}</h2>'
             f'<p class="sub">{escape(texts.subtitle)}</p>{svg}</section>') if svg else (
        f'<p class="warn">{escape(t("goals.suppressed", lang, **report.audience.words))}</p>')
    notes = []
    if view.idle_text is not None:
        notes.append((t("goals.idle.title", lang), view.idle_text))
    if view.owner:
        notes.append((t("goals.owner", lang), view.owner))
    if view.note:
        notes.append((t("goals.note", lang), view.note))
    notes.append((t("goals.definition.title", lang), view.definition))
    notes_html = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in notes)
    changed = f'<p class="warn">{escape(view.definition_changed)}</p>' \
        if view.definition_changed else ""
    progress_bar = (f'<div class="bar"><span style="width:{view.progress * 100:.0f}%;'
                    f'background:{colour}"></span></div>'
                    f'<div class="progress-text">{escape(view.progress_text)}</div>')
    figures_html = "" if view.suppressed else (
        f'<section class="figures">{"".join(figures)}</section>{progress_bar}')
    method = t("goals.report.method", lang, **report.audience.words)
    title = t("goals.report.title", lang)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}: {escape(view.name)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main class="page">
<header>
<p class="kicker">crm-dash · {escape(title)}</p>
<h1>{escape(view.name)}</h1>
<p class="meta">{escape(view.scope)} · {escape(view.metric)} · {escape(view.period)}</p>
<span class="badge" style="background:{colour}">{escape(view.state_label)}</span>
<span class="badge-note">{escape(view.state_help)}</span>
</header>
{figures_html}
{changed}
{chart}
<dl class="notes">{notes_html}</dl>
<footer>{escape(t("goals.report.as_of", lang, month=fmt_month(progress.evaluated_month, lang),
                  date=fmt_date(generated, lang)))}<br>{escape(method)}
</footer>
</main>
</body>
</html>
"""


def report_file_name(report: GoalReport) -> str:
    """``goal-3-2026-10.html``."""
    return f"goal-{report.goal.id}-{report.progress.evaluated_month:%Y-%m}.html"
