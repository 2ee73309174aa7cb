"""Charts as specs: titles, axis titles, tooltips and the fixed colour of each segment."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from crm_dash import charts
from crm_dash.charts import adoption
from crm_dash.metrics.adoption import LIFECYCLE, NOT_LICENSED
from crm_dash.metrics.definitions import SEGMENTS

LABELS = {"productive": "Produktiv", "sporadic": "Sporadisch", "barely": "Kaum",
          "never": "Nie", "new": "Neu", "barely_never": "Kaum oder nie",
          "not_licensed": "Nicht lizenziert"}
TEXT = charts.ChartText(title="Anteil je Segment", x="Monat", y="Anteil", legend="Segment",
                        subtitle="Definition v3", count="Personen", share="Anteil")
MONTHS = [date(2026, 9, 1), date(2026, 10, 1)]


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.to_dict()  # type: ignore[no-any-return]


def _layer(spec: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return spec["layer"][index] if "layer" in spec else spec  # type: ignore[no-any-return]


def _shares() -> pd.DataFrame:
    rows = [{"month": m, "month_label": f"{m:%b %Y}", "segment": s, "people": i + 1,
             "share_text": "20 %"} for m in MONTHS for i, s in enumerate(SEGMENTS)]
    return pd.DataFrame(rows)


def test_segment_colours_are_defined_once_for_every_segment() -> None:
    assert set(SEGMENTS) <= set(charts.SEGMENT_COLORS)
    assert len(set(charts.SEGMENT_COLORS.values())) == len(charts.SEGMENT_COLORS)
    assert set(charts.LIFECYCLE_COLORS) == set(LIFECYCLE)


def test_segment_share_chart() -> None:
    spec = _spec(adoption.segment_share_chart(_shares(), TEXT, LABELS, SEGMENTS))
    assert spec["title"] == {"text": "Anteil je Segment", "subtitle": "Definition v3",
                             "anchor": "start"}
    enc = spec["encoding"]
    assert enc["x"]["title"] == "Monat" and enc["x"]["sort"] == ["Sep 2026", "Oct 2026"]
    assert enc["y"]["title"] == "Anteil" and enc["y"]["stack"] == "normalize"
    assert enc["color"]["title"] == "Segment"
    assert enc["color"]["scale"] == {
        "domain": ["Produktiv", "Sporadisch", "Kaum", "Nie", "Neu"],
        "range": [charts.SEGMENT_COLORS[s] for s in SEGMENTS],
    }
    assert [t["title"] for t in enc["tooltip"]] == ["Monat", "Segment", "Personen", "Anteil"]


def test_group_share_chart_keeps_the_colours_with_other_codes() -> None:
    frame = pd.DataFrame([
        {"group": "Ihre", "segment": s, "share": 0.25, "share_text": "25 %",
         "people_text": "3"} for s in ("productive", "sporadic", "barely_never", "new")
    ])
    codes = ["productive", "sporadic", "barely_never", "new"]
    spec = _spec(adoption.group_share_chart(frame, TEXT, LABELS, codes))
    bars = _layer(spec)
    assert bars["encoding"]["color"]["scale"]["range"] == [
        charts.SEGMENT_COLORS[c] for c in codes]
    assert bars["encoding"]["y"]["title"] == "Anteil"
    assert bars["encoding"]["x"]["title"] == "Monat"
    assert spec["height"] == {"step": 34}


def test_group_share_chart_names_each_segment_in_its_bar() -> None:
    """Colour is not the only carrier of a segment: its name and share are written in."""
    frame = pd.DataFrame([
        {"group": "Ihre", "segment": s, "share": v, "share_text": f"{v:.0%}", "people_text": "3"}
        for s, v in (("productive", 0.5), ("sporadic", 0.1), ("barely_never", 0.38),
                     ("new", 0.02))
    ])
    codes = ["productive", "sporadic", "barely_never", "new"]
    spec = _spec(adoption.group_share_chart(frame, TEXT, LABELS, codes))
    names = _layer(spec, 1)
    assert names["mark"]["type"] == "text" and names["encoding"]["text"]["field"] == "shown"
    # the browser picks name and share, the share alone or nothing by the bar's width in pixels
    assert "width" in names["transform"][0]["calculate"]
    data = names.get("data", spec.get("data"))  # Altair hoists data the layers share
    rows = {r["label"]: r for r in spec["datasets"][data["name"]]}
    assert rows["Produktiv"]["bar_text"] == "Produktiv 50%"
    assert rows["Produktiv"]["share_px"] < rows["Produktiv"]["named_px"]
    assert abs(rows["Produktiv"]["mid"] - 0.25) < 1e-9
    assert abs(rows["Kaum oder nie"]["mid"] - 0.79) < 1e-9
    assert abs(rows["Neu"]["part"] - 0.02) < 1e-9


def test_lifecycle_chart_puts_dormant_below_zero() -> None:
    frame = pd.DataFrame([{"month": m, "month_label": f"{m:%b %Y}", "state": s, "people": 4}
                          for m in MONTHS for s in LIFECYCLE])
    labels = {s: s.upper() for s in LIFECYCLE}
    chart = adoption.lifecycle_chart(frame, TEXT, labels, LIFECYCLE)
    spec = _spec(chart)
    assert spec["encoding"]["color"]["scale"] == {
        "domain": [labels[s] for s in LIFECYCLE],
        "range": [charts.LIFECYCLE_COLORS[s] for s in LIFECYCLE]}
    values = spec["datasets"][spec["data"]["name"]]
    assert {v["state"]: v["value"] for v in values} == {
        "new": 4, "returning": 4, "resurrecting": 4, "dormant": -4}


def test_movement_chart() -> None:
    codes = [*SEGMENTS, NOT_LICENSED]
    matrix = pd.DataFrame([{"from_segment": a, "to_segment": b, "people": 1}
                           for a in codes for b in codes])
    spec = _spec(adoption.movement_chart(matrix, TEXT, LABELS, codes))
    assert spec["title"]["text"] == "Anteil je Segment"
    cells = _layer(spec)
    assert cells["encoding"]["x"]["title"] == "Monat"
    assert cells["encoding"]["y"]["title"] == "Anteil"
    assert cells["encoding"]["y"]["sort"] == [LABELS[c] for c in codes]
    assert [t["title"] for t in cells["encoding"]["tooltip"]] == ["Anteil", "Monat", "Personen"]
    assert len(spec["layer"]) == 3  # cells, numbers, numbers of those who stayed (bold)


def test_movement_chart_draws_cells_the_view_marked_without_a_size() -> None:
    codes = [*SEGMENTS]
    matrix = pd.DataFrame([  # as an executive's view hands them over: 3 people read "<5"
        {"from_segment": "productive", "to_segment": "productive", "people": 12},
        {"from_segment": "sporadic", "to_segment": "productive", "people": "<5"},
        {"from_segment": "barely", "to_segment": "never", "people": 0},
    ])
    shown = {
        (v["from_label"], v["to_label"]): (v["shown"], v["people"])
        for v in (lambda sp: sp["datasets"][sp["data"]["name"]])(
            _spec(adoption.movement_chart(matrix, TEXT, LABELS, codes)))
    }
    assert shown[(LABELS["productive"], LABELS["productive"])] == ("12", 12)
    assert shown[(LABELS["sporadic"], LABELS["productive"])] == ("<5", None)
    assert shown[(LABELS["barely"], LABELS["never"])] == ("0", 0)
    plain = _spec(adoption.movement_chart(matrix.assign(people=[12, 3, 0]), TEXT, LABELS, codes))
    values = plain["datasets"][plain["data"]["name"]]
    assert {v["shown"] for v in values} == {"12", "3", "0"}


def test_heatmap_line_and_bar_charts_have_titles_axes_and_tooltips() -> None:
    heat = pd.DataFrame([{"group": g, "month": m, "month_label": f"{m:%b %Y}", "share": 0.3,
                          "share_text": "30 %", "people_text": "3 / 10"}
                         for g in ("Vertrieb", "Service") for m in MONTHS])
    spec = _spec(adoption.group_month_heatmap(heat, TEXT))
    cells = _layer(spec)
    assert spec["title"]["text"] == TEXT.title
    assert (cells["encoding"]["x"]["title"], cells["encoding"]["y"]["title"]) == (
        "Monat", "Anteil")
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 1]
    line = pd.DataFrame({"month": MONTHS, "month_label": ["Sep", "Oct"],
                         "stickiness": [0.2, 0.25], "value_text": ["20 %", "25 %"]})
    spec = _spec(adoption.line_chart(line, "stickiness", TEXT, percent=True))
    assert spec["encoding"]["y"]["axis"]["format"] == "%"
    assert spec["encoding"]["tooltip"][1] == {"field": "value_text", "title": "Anteil",
                                              "type": "nominal"}
    bars = pd.DataFrame({"areas": ["0", "1", "5+"], "people": [1, 2, 3]})
    spec = _spec(adoption.bar_chart(bars, "areas", TEXT))
    assert spec["encoding"]["x"]["sort"] == ["0", "1", "5+"]
    assert spec["encoding"]["y"]["title"] == "Anteil"


def _hex_colours(value: object) -> set[str]:
    """Every ``#rrggbb`` colour in a constant (a string, or a dict's values)."""
    values = value.values() if isinstance(value, dict) else [value]
    return {v.lower() for v in values
            if isinstance(v, str) and len(v) == 7 and v.startswith("#")}


def test_no_other_colour_is_a_segment_colour() -> None:
    """Green means productive, blue means new, on every page: lifecycle states, single-figure
    charts, training and retrospective statuses never borrow a segment's colour."""
    from crm_dash.charts import training as training_charts
    from crm_dash.retro import export as retro_export
    from crm_dash.retro import present as retro_present

    segment = _hex_colours(charts.SEGMENT_COLORS)
    constants: dict[str, object] = {
        f"{module.__name__}.{name}": value
        for module in (charts, training_charts, retro_present, retro_export)
        for name, value in vars(module).items()
        if name.upper().endswith(("COLOR", "COLORS", "COLOUR", "COLOURS", "HEX"))
        and name not in ("SEGMENT_COLORS",)
    }
    assert {"crm_dash.charts.NEUTRAL_COLORS", "crm_dash.charts.LIFECYCLE_COLORS",
            "crm_dash.charts.SERIES_COLOR", "crm_dash.charts.training._TRAINED_COLOR",
            "crm_dash.charts.training._SESSION_COLOR",
            "crm_dash.retro.present.STATUS_COLOURS"} <= set(constants)
    for name, value in constants.items():
        colours = _hex_colours(value)
        assert colours, f"{name} holds no colour"
        assert not colours & segment, f"{name} reuses a segment colour: {colours & segment}"
    neutral = _hex_colours(charts.NEUTRAL_COLORS)
    for name in ("LIFECYCLE_COLORS", "SERIES_COLOR"):
        assert _hex_colours(getattr(charts, name)) <= neutral, name
    assert _hex_colours(retro_present.STATUS_COLOURS) <= neutral


def test_single_series_and_count_charts_use_neutral_colours() -> None:
    line = pd.DataFrame({"month": MONTHS, "month_label": ["Sep", "Oct"],
                         "avg_breadth": [1.5, 2.0], "value_text": ["1.5", "2.0"]})
    spec = _spec(adoption.line_chart(line, "avg_breadth", TEXT))
    assert spec["mark"]["color"] == charts.SERIES_COLOR
    bars = pd.DataFrame({"areas": ["0", "1"], "people": [1, 2]})
    assert _spec(adoption.bar_chart(bars, "areas", TEXT))["mark"]["color"] == charts.SERIES_COLOR
    matrix = pd.DataFrame([{"from_segment": "productive", "to_segment": "sporadic", "people": 6}])
    cells = _layer(_spec(adoption.movement_chart(matrix, TEXT, LABELS, SEGMENTS)))
    scale = cells["encoding"]["color"]["scale"]
    assert "scheme" not in scale  # "blues" would read as the segment "new"
    assert set(scale["range"]) <= set(charts.NEUTRAL_COLORS.values())


def test_retrospective_badges_use_the_status_colours() -> None:
    from crm_dash.retro.model import ItemStatus
    from crm_dash.retro.present import STATUS_COLOURS
    from crm_dash.ui.retro_editor import badge

    done = badge(":material/check_circle: Done", STATUS_COLOURS[ItemStatus.DONE])
    assert done == (':color[:material/check_circle: Done]'
                    f'{{foreground="#ffffff" background="{charts.NEUTRAL_COLORS["purple"]}"}}')
    assert "-badge[" not in done  # Streamlit's named badges have a green and a red


def test_typical_split_chart_puts_ours_above_the_typical_picture() -> None:
    """The Overview's split: barely and never counted together, as the typical picture does;
    the typical bar has no head count."""
    segments = {"productive": 12, "sporadic": 9, "barely": 6, "never": 8, "new": 5}
    spec = _spec(adoption.typical_split_chart(segments, 40, TEXT, LABELS, ours="Oktober 2026",
                                              typical="Typisch", lang="de"))
    bars = _layer(spec)
    assert bars["encoding"]["y"]["sort"] == ["Oktober 2026", "Typisch"]
    assert bars["encoding"]["color"]["scale"] == {
        "domain": [LABELS[c] for c in adoption.SPLIT_CODES],
        "range": [charts.SEGMENT_COLORS[c] for c in adoption.SPLIT_CODES]}
    rows = {(r["group"], r["label"]): r for r in spec["datasets"][spec["data"]["name"]]}
    assert len(rows) == 7  # four segments of ours, three of the typical picture
    ours = rows[("Oktober 2026", "Kaum oder nie")]
    assert (ours["share"], ours["share_text"], ours["people_text"]) == (
        14 / 40, "35\u00a0%", "14")
    typical = rows[("Typisch", "Kaum oder nie")]
    assert (typical["share"], typical["share_text"], typical["people_text"]) == (
        0.5, "50\u00a0%", "–")
    assert ("Typisch", "Neu") not in rows  # the typical picture has no "new"


def test_chart_modules_draw_nothing_themselves() -> None:
    """The chart family is pure: no Streamlit, nothing from the UI layer, so the tests read its
    charts as specs and the goal report draws its SVG without a page."""
    folder = Path(charts.__file__).parent
    modules = sorted(p.name for p in folder.glob("*.py"))
    assert modules == ["__init__.py", "adoption.py", "goals.py", "pipeline.py", "svg.py",
                       "training.py"]
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("streamlit", "crm_dash.ui")), (path.name, name)
