"""Upload data: CSV exports in, checked in DuckDB, loaded whole or not at all (leads and admins)."""

from __future__ import annotations

import streamlit as st

from crm_dash.db import is_demo
from crm_dash.i18n import t
from crm_dash.ui.export_guides import export_guide
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.upload_widgets import dataset_choice, file_chooser, file_panel, start_over

ctx = page_setup("upload")  # login + role guard, before anything else

with friendly_errors(ctx.lang):
    st.title(t("upload.title", ctx.lang))
    st.caption(t("upload.intro", ctx.lang))
    if is_demo(ctx.conn):  # said before any file is chosen; the importer refuses it as well
        st.info(t("import.error.demo_database", ctx.lang), icon=":material/science:")
        st.stop()
    kind = dataset_choice(ctx.lang)
    export_guide(kind, ctx.lang)  # how to get the file out of each source, and the template
    uploads = file_chooser(kind, ctx.lang)
    for upload in uploads:
        file_panel(ctx, kind, upload)
    start_over(ctx.lang, uploads)  # with the files the uploader holds, or not at all
