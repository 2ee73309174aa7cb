"""The Training page's pieces: tiles, charts, the effect comparison and the invitation list.

They draw a :class:`crm_dash.views.training.TrainingView`, which holds the figures with the
audience already applied (small groups marked or left out, no invitation list for
executives); here they are worded, formatted and drawn (the charts are built by
:mod:`crm_dash.charts.training`).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from crm_dash.audience import Audience
from crm_dash.charts import ChartText
from crm_dash.charts.training import effect_chart, sessions_chart, trained_share_chart
from crm_dash.csv_export import safe_csv_bytes
from crm_dash.i18n import (
    Language,
    fmt_date,
    fmt_decimal,
    fmt_int,
    fmt_percent,
    month_label,
    month_long,
    share_text,
    t,
)
from crm_dash.i18n.labels import segment_labels
from crm_dash.metrics import training
from crm_dash.metrics.gaps import gap_text
from crm_dash.months import add_months
from crm_dash.ui.chart_table import chart_with_table
from crm_dash.ui.downloads import table_downloads
from crm_dash.ui.format import fitted_columns
from crm_dash.ui.links import page_link
from crm_dash.ui.unknown import explain, tile, unknown_value
from crm_dash.views import training as view


def no_training_data(lang: Language, *, lead: bool) -> None:
    """What to upload when there are no training records yet (leads get a link)."""
    st.info(t("training.no_data", lang) if lead else t("training.no_data_executive", lang),
            icon=":material/school:")
    if lead:
        page_link("upload", t("training.no_data_link", lang), ":material/upload_file:")


def _count(value: object, lang: Language) -> str:
    """A count, or the hidden marker a view put in its place."""
    return value if isinstance(value, str) else fmt_int(int(value), lang)  # type: ignore[call-overload]


def _share(value: object, lang: Language) -> str:
    """A share, or the hidden marker a view put in its place."""
    return value if isinstance(value, str) else share_text(value, lang)  # type: ignore[arg-type]


def caption(month: date, first: date, lang: Language) -> None:
    """Which month the figures describe and how they are defined (every rule one hover away)."""
    st.caption(t("training.caption", lang, month=month_long(month, lang),
                 first=month_label(first, lang), last=month_label(month, lang)),
               help=t("training.definitions", lang))


def _onboarding_tile(tiles: view.Tiles, lang: Language, audience: Audience
                     ) -> tuple[str, str]:
    """The onboarding tile's value and the line under it."""
    if tiles.onboarding == "hidden":
        return audience.hidden, t("training.metric.joiners_small", lang, **audience.words)
    if tiles.onboarding == "unknown":
        return "–", unknown_value(lang)
    if tiles.onboarding == "no_joiners":
        return "–", t("training.metric.no_joiners", lang)
    return share_text(tiles.onboarded_share, lang), t(
        "training.metric.onboarded_of", lang, n=fmt_int(tiles.onboarded or 0, lang),
        total=fmt_int(tiles.joiners or 0, lang))


def tiles(tiles: view.Tiles, lang: Language, audience: Audience) -> None:
    """Trained share, sessions in the last 12 months, onboarding share and no-shows, and one
    note why any of them is unknown."""
    cols = st.columns(4)
    unknown = tiles.learners_unmatched
    tile(cols[0], t("training.metric.trained", lang), share_text(tiles.trained_share, lang),
         unknown=unknown, lang=lang,
         delta=None if tiles.trained is None else t(
             "training.metric.trained_of", lang, n=fmt_int(tiles.trained, lang),
             total=fmt_int(tiles.licensed, lang)),
         delta_color="off", delta_arrow="off", help=t("training.help.trained", lang),
         border=True)
    cols[1].metric(
        t("training.metric.sessions", lang), fmt_int(tiles.sessions, lang),
        delta=t("training.metric.sessions_months", lang,
                n=fmt_int(tiles.months_with_sessions, lang)),
        delta_color="off", delta_arrow="off", help=t("training.help.sessions", lang),
        border=True)
    onboarded, detail = _onboarding_tile(tiles, lang, audience)
    cols[2].metric(t("training.metric.onboarded", lang), onboarded, delta=detail,
                   delta_color="off", delta_arrow="off", help=t("training.help.onboarded", lang),
                   border=True)
    no_shows_unknown = tiles.no_shows is None
    tile(cols[3], t("training.metric.no_shows", lang), fmt_int(tiles.no_shows or 0, lang),
         unknown=no_shows_unknown, lang=lang,
         **({} if no_shows_unknown else {"delta": t(
             "training.metric.no_shows_of", lang,
             share=fmt_percent(tiles.no_show_share, lang),
             n=fmt_int(tiles.invitations, lang)),
             "delta_color": "off", "delta_arrow": "off"}),
         help=t("training.help.no_shows", lang), border=True)
    reasons = [gap_text(gap, lang) for gap in tiles.gaps]
    if unknown:
        reasons.insert(0, t("gap.learners_unmatched", lang, n=fmt_int(tiles.records, lang)))
    explain(reasons, lang)


def by_department(departments: view.Departments, month: date, lang: Language,
                  audience: Audience) -> None:
    """Trained share per department: a bar chart and a table (``<5`` for executives)."""
    st.subheader(t("training.section.departments", lang),
                 help=t("training.help.departments", lang))
    if departments.state == "unknown":
        st.info(f"{unknown_value(lang)}: {t('gap.see_above', lang)}")
        return
    if departments.table is None:
        st.info(t("adoption.no_departments", lang))
        return
    if departments.chart is None:
        st.info(t("training.departments_all_small", lang, **audience.words))
    else:
        shown = departments.chart.frame
        chart_data = shown.assign(label=[
            t("training.share_of", lang, share=share_text(s, lang), n=fmt_int(n, lang),
              total=fmt_int(total, lang))
            for s, n, total in zip(shown["share"], shown["trained"], shown["licensed"],
                                   strict=True)])
        text = ChartText(title=t("training.chart.departments", lang,
                                 month=month_label(month, lang)),
                         x=t("training.axis.trained_share", lang),
                         y=t("adoption.axis.department", lang))
        st.altair_chart(trained_share_chart(chart_data, text), width="stretch")
    table = departments.table.frame.copy()
    table["licensed"] = table["licensed"].map(lambda v: _count(v, lang))
    table["trained"] = table["trained"].map(lambda v: _count(v, lang))
    table["share"] = table["share"].map(lambda v: _share(v, lang))
    if departments.note:
        st.caption(t("adoption.suppressed_note", lang, **audience.words))
    with st.expander(t("common.as_table", lang), icon=":material/table:"):
        st.dataframe(table.rename(columns={
            "group": t("adoption.axis.department", lang),
            "licensed": t("overview.adoption.licensed", lang),
            "trained": t("training.col.trained", lang),
            "share": t("training.metric.trained", lang),
        }), hide_index=True, width="stretch")


def sessions(sessions: view.Sessions, lang: Language) -> None:
    """Sessions per month over the last 12 months (:func:`training.sessions_by_month`), and
    no-shows by course."""
    st.subheader(t("training.section.sessions", lang), help=t("training.help.sessions", lang))
    per_month = sessions.per_month.copy()
    per_month["month_label"] = per_month["month"].map(lambda m: month_label(m, lang))
    text = ChartText(title=t("training.chart.sessions", lang), x=t("adoption.axis.month", lang),
                     y=t("training.axis.sessions", lang),
                     count=t("training.axis.invitations", lang),
                     share=t("training.axis.no_shows", lang))
    # One below the other: beside the chart, the course names were cut off at 1280 px.
    counts = {"sessions": text.y, "invitations": text.count, "no_shows": text.share}
    chart_with_table(sessions_chart(per_month, text), per_month.assign(**{
        c: per_month[c].map(lambda n: fmt_int(int(n), lang)) for c in counts
    })[["month_label", *counts]].rename(columns={"month_label": text.x, **counts}), lang)
    held = sessions.months_held
    st.caption(t("training.sessions_caption", lang, n=fmt_int(held, lang),
                 gaps=fmt_int(training.WINDOW_MONTHS - held, lang)))
    st.markdown(f"**{t('training.no_shows.title', lang)}**",
                help=t("training.help.no_shows", lang))
    if sessions.courses is None:
        st.info(t("training.no_shows.none", lang))
        return
    table = sessions.courses.frame.copy()
    table["share"] = table["share"].map(lambda v: _share(v, lang))
    headings = {"course": t("training.col.course", lang),
                "invitations": t("training.axis.invitations", lang),
                "no_shows": t("training.axis.no_shows", lang),
                "share": t("training.col.share", lang)}
    shown = table.rename(columns=headings).astype(str)
    st.dataframe(shown, hide_index=True, width="content",
                 height=min(35 * (len(table) + 1) + 3, 318),
                 column_config=fitted_columns(shown, maximum=420))


def onboarding(onboarding: view.Onboarding, month: date, first: date, lang: Language
               ) -> None:
    """Joiners onboarded within 30 days, per department (``<5`` joiners suppressed); without
    start dates in the roster, why not."""
    st.subheader(t("training.section.onboarding", lang),
                 help=t("training.help.onboarded", lang))
    if onboarding.start_gap is not None:
        st.info(f"{unknown_value(lang)}: {gap_text(onboarding.start_gap, lang)}")
        return
    if onboarding.table is None:
        st.info(t("training.onboarding.none", lang))
        return
    table = onboarding.table.frame.copy()
    table["share"] = table["share"].map(lambda v: _share(v, lang))
    st.dataframe(table.rename(columns={
        "department": t("adoption.axis.department", lang),
        "joiners": t("training.col.joiners", lang),
        "onboarded": t("training.col.onboarded", lang),
        "share": t("training.col.share", lang),
    }).astype(str), hide_index=True, width="stretch")
    st.caption(t("training.onboarding.caption", lang, first=month_label(first, lang),
                 last=month_label(month, lang)))


def _before_after(before: object, after: object, lang: Language) -> str:
    if isinstance(before, str):  # the hidden marker
        return before
    return f"{fmt_decimal(before, lang, 1)} → {fmt_decimal(after, lang, 1)}"  # type: ignore[arg-type]


def _signed(value: object, lang: Language) -> str:
    """``+4.8``, ``-0.2`` or ``0.0`` (a difference that rounds to zero gets no sign)."""
    if isinstance(value, str):  # the hidden marker
        return value
    shown = round(float(value), 1) + 0.0  # type: ignore[arg-type]  # + 0.0 turns -0.0 into 0.0
    return ("+" if shown > 0 else "") + fmt_decimal(shown, lang, 1)


def effect_table(rows: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """One metric's comparison (:func:`crm_dash.views.training.effect_rows`) as the page shows
    it: cohort (the pooled row "All cohorts"), trained_people, comparison_people, trained,
    comparison (both ``before → after``), difference; hidden figures stay the marker."""
    return pd.DataFrame({
        "cohort": [month_label(c, lang) if isinstance(c, date)
                   else t("training.effect.pooled", lang) for c in rows["cohort"]],
        "trained_people": [_count(n, lang) for n in rows["trained_people"]],
        "comparison_people": [_count(n, lang) for n in rows["comparison_people"]],
        "trained": [_before_after(b, a, lang) for b, a in
                    zip(rows["trained_before"], rows["trained_after"], strict=True)],
        "comparison": [_before_after(b, a, lang) for b, a in
                       zip(rows["comparison_before"], rows["comparison_after"], strict=True)],
        "difference": [_signed(d, lang) for d in rows["difference"]],
    })


def _effect_headings(lang: Language) -> dict[str, str]:
    return {column: t(f"training.effect.col.{column}", lang)
            for column in ("cohort", "trained_people", "comparison_people", "trained",
                           "comparison", "difference")}


def _effect_chart_rows(bars: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """The pooled bars (:class:`crm_dash.views.training.EffectMetric`'s chart) in the shape of
    :func:`effect_chart`."""
    return pd.DataFrame({
        "period": [t(f"training.effect.period.{p}", lang) for p in bars["period"]],
        "group": [t(f"training.effect.group.{g}", lang) for g in bars["group"]],
        "value": bars["value"],
        "value_text": [fmt_decimal(v, lang, 1) for v in bars["value"]],
    })


def effect_example(cohort: date, lang: Language) -> str:
    """The rule spelled out with the months of one cohort: trained in C, not in C-2 and C-1,
    compared with colleagues without training from C-2 to C+2."""
    first, last = training.effect_window(cohort)
    return t("training.effect.example", lang, cohort=month_label(cohort, lang),
             cohort_long=month_long(cohort, lang),
             before_first=month_label(first, lang),
             before_last=month_label(add_months(cohort, -1), lang),
             after_first=month_label(add_months(cohort, 1), lang),
             after_last=month_label(last, lang),
             window_first=month_label(first, lang), window_last=month_label(last, lang))


def _unmatched_note(unmatched: view.Unmatched, lang: Language) -> str:
    """How many trained people were left out for want of colleagues to compare with, and in
    which cohort most of them (e.g. a wave that trained a whole department) where the view
    names it."""
    if not unmatched.total:
        return ""
    note = t("training.effect.unmatched", lang, n=fmt_int(unmatched.total, lang))
    if unmatched.most is not None:
        month, n = unmatched.most
        note += " " + t("training.effect.unmatched_most", lang, month=month_label(month, lang),
                        n=fmt_int(n, lang))
    return note


def effect(result: view.Effect, lang: Language, audience: Audience) -> None:
    """Before/after comparison of people trained in a month with colleagues of their department
    without training in those months, labelled as observational: one tab per metric with the
    table and a chart of the pooled figures; the caption spells the rule out for the newest
    cohort shown."""
    st.subheader(t("training.section.effect", lang), help=t("training.help.effect", lang))
    st.warning(t("training.effect.disclaimer", lang), icon=":material/science:")
    if result.empty:
        st.info(t("training.effect.none", lang))
        return
    notes = [_unmatched_note(result.unmatched, lang),
             t("training.effect.small_note", lang, **audience.words) if result.small_note
             else ""]
    how_to_read = "\n\n".join(part for part in (
        t("training.effect.caption", lang),
        effect_example(result.example, lang) if result.example else "",
        " ".join(note for note in notes if note)) if part)
    names = [t(f"training.effect.metric.{m.metric}", lang) for m in result.metrics]
    for tab, shown, name in zip(st.tabs(names), result.metrics, names, strict=True):
        with tab:
            if shown.table.empty:
                st.info(t("training.effect.all_small", lang, **audience.words))
            else:
                st.dataframe(effect_table(shown.table.frame, lang).rename(
                    columns=_effect_headings(lang)), hide_index=True, width="stretch")
            if shown.chart is None or result.pooled_people is None:
                st.caption(how_to_read)
                continue
            trained, compared = result.pooled_people
            text = ChartText(
                title=t("training.chart.effect", lang, metric=name),
                subtitle=t("training.chart.effect_subtitle", lang,
                           trained=fmt_int(trained, lang), compared=fmt_int(compared, lang)),
                x="", y=t("training.effect.axis.per_month", lang, metric=name),
                legend=t("training.effect.axis.group", lang))
            left, right = st.columns([3, 2])
            with left:
                st.altair_chart(effect_chart(_effect_chart_rows(shown.chart.frame, lang), text),
                                width="stretch")
            with right:
                st.caption(how_to_read)


def _invitation_headings(lang: Language) -> dict[str, str]:
    return {
        "name": t("people.col.name", lang),
        "email": t("training.col.email", lang),
        "department": t("people.col.department", lang),
        "team": t("people.col.team", lang),
        "segment": t("training.col.segment", lang),
        "last_active": t("people.col.last_active", lang),
    }


def _day(value: object) -> date | None:
    """``value`` as a date, ``None`` when missing (``NaT`` passes as a date otherwise)."""
    if isinstance(value, date) and not pd.isna(value):
        return value.date() if isinstance(value, pd.Timestamp) else value
    return None


def _invitation_display(invite: pd.DataFrame, lang: Language) -> pd.DataFrame:
    labels = segment_labels(lang)
    out = invite.copy()
    out["segment"] = out["segment"].map(lambda s: labels.get(s, s))
    out["last_active"] = pd.Series([_day(d) for d in out["last_active"]], index=out.index,
                                   dtype=object)
    return out


def invitation_csv(invite: pd.DataFrame, lang: Language) -> bytes:
    """The invitation list as a CSV safe for spreadsheets (``;`` and UTF-8 BOM in German)."""
    return safe_csv_bytes(invitation_export(invite, lang), lang=lang)


def invitation_export(invite: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """The invitation list as the downloads carry it: headed in ``lang``, dates as dates."""
    return _invitation_display(invite, lang).rename(columns=_invitation_headings(lang))


def invitations(invites: view.Invitations, month: date, lang: Language) -> None:
    """Leads only: who barely or never uses the CRM and has had no training, with a CSV.
    When no learner is on the roster nobody is known to be trained, so the list says so."""
    st.subheader(t("training.section.invitations", lang, month=month_label(month, lang)),
                 help=t("training.help.invitations", lang))
    if invites.learners_unmatched:
        st.warning(t("gap.invitations_unmatched", lang), icon=":material/help:")
    invite = invites.people
    if invite.empty:
        st.success(t("training.invitations.none", lang), icon=":material/check_circle:")
        return
    shown = _invitation_display(invite, lang)
    shown["last_active"] = shown["last_active"].map(lambda d: fmt_date(d, lang))
    st.dataframe(shown.rename(columns=_invitation_headings(lang)), hide_index=True,
                 width="stretch", key="invitation_table", placeholder="–")
    st.caption(t("training.invitations.caption", lang, n=fmt_int(len(invite), lang),
                 licensed=fmt_int(invites.licensed, lang)))
    table_downloads(invitation_export(invite, lang),
                    f"crm-dash-training-invitations-{month:%Y-%m}", lang,
                    key="invitations_download",
                    csv_label=t("training.invitations.download", lang),
                    help=t("training.invitations.download_help", lang))
