"""The one-page goal report for a management meeting: self-contained HTML, printable on A4.

Everything is inside the file: styles, and the chart as inline SVG
(:func:`crm_dash.charts.svg.goal_chart_svg`; a Vega chart would need JavaScript from the internet
to render, and this report must open offline, in a mail client's preview, or on paper). Its
figures are the page's (:func:`crm_dash.goals.present.goal_view`).
"""

from __future__ import annotations

from datetime import date
from html import escape

from crm_dash.charts.goals import chart_texts
from crm_dash.charts.svg import goal_chart_svg
from crm_dash.goals.present import GoalView, fmt_month, goal_view
from crm_dash.goals.tracker import GoalReport
from crm_dash.i18n import Language, fmt_date, t

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
    svg = goal_chart_svg(goal, progress, lang)
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
