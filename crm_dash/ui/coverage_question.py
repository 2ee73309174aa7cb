"""The one question the completeness rule may leave to a lead: "Does this export cover all of
October 2026?" (see :mod:`crm_dash.metrics.coverage`), and the words for its answers."""

from __future__ import annotations

from datetime import date

import streamlit as st
from babel.dates import format_date

from crm_dash.i18n import Language, babel_locale, fmt_date, month_long, t
from crm_dash.metrics.coverage import Coverage, answer_question
from crm_dash.ui.page import PageContext


def day_long(day: date, lang: Language) -> str:
    """A day with its weekday: "Friday, 30 Oct 2026" / "Freitag, 30.10.2026"."""
    return f"{format_date(day, 'EEEE', locale=babel_locale(lang))}, {fmt_date(day, lang)}"


def coverage_reason(coverage: Coverage, lang: Language) -> str:
    """Why the latest complete month counts as complete, in words."""
    if coverage.reason is None:
        return t("coverage.reason.none", lang, month=month_long(coverage.latest_complete, lang))
    return t(f"coverage.reason.{coverage.reason}", lang,
             month=month_long(coverage.latest_complete, lang),
             day=day_long(coverage.last_day, lang))


def coverage_question(ctx: PageContext, coverage: Coverage | None) -> None:
    """For leads and admins: ask once whether the usage export covers the month the rule cannot
    decide (``coverage`` with its open question, ``None`` when there is nothing to ask this
    reader); the answer is stored (who and when) and the pages follow it."""
    if coverage is None or coverage.open_question is None:
        return
    lang, month = ctx.lang, coverage.open_question
    with st.container(border=True):
        st.markdown(t("coverage.question", lang, month=month_long(month, lang),
                      day=day_long(coverage.last_day, lang)))
        st.caption(t("coverage.question.help", lang, month=month_long(month, lang),
                     working_day=day_long(coverage.question_last_working_day or month, lang)))
        yes_col, no_col, _ = st.columns([1, 1, 2])
        yes = yes_col.button(t("coverage.answer.yes", lang), key="coverage_answer_yes",
                             icon=":material/check:")
        no = no_col.button(t("coverage.answer.no", lang), key="coverage_answer_no",
                           icon=":material/close:")
    if yes or no:
        answer_question(ctx.conn, month, bool(yes), actor=ctx.user.username)
        st.rerun()

