"""The goal chart as inline SVG, for the one-page goal report (:mod:`crm_dash.goals.report`).

A Vega chart needs JavaScript from the internet to render; the report must open offline, in a
mail client's preview, or on paper. So it is drawn here by hand, from the same points
(:func:`crm_dash.charts.goals.chart_frame`), texts, colours and dashes as the page's chart.
"""

from __future__ import annotations

import math
from html import escape

from crm_dash.charts.goals import SERIES_COLOURS, SERIES_DASHES, chart_frame, chart_texts
from crm_dash.goals.math import GoalProgress
from crm_dash.goals.model import Goal
from crm_dash.i18n import Language, fmt_decimal, fmt_month, fmt_percent


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


def goal_chart_svg(goal: Goal, progress: GoalProgress, lang: Language, width: int = 720,
                   height: int = 300) -> str:
    """``goal``'s chart as a standalone SVG (empty for a scope too small to show)."""
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
