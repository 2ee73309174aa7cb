"""The upload page's pieces: one panel per uploaded file, from detection to the load decision.

Per file: what was detected, the mapping (editable, one select box per canonical field), a check
of the whole file in DuckDB (counts, preview, rejects with a CSV download), then Load or Cancel.
The check and the load are :func:`crm_dash.importing.run.run_import` (without and with commit);
results are kept in the session so that changing one select box re-checks only that file.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from crm_dash.datasets import DATASETS, DatasetKind, FieldSpec
from crm_dash.i18n import Language, catalog, fmt_datetime, fmt_int, t
from crm_dash.i18n.tables import display_values
from crm_dash.importing.labels import label_values
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.run import (
    LABEL_FALLBACK,
    ImportReport,
    Inspection,
    already_imported,
    evidence_text,
    field_label,
    inspect_file,
    mapping_notices,
    match_reasons,
    run_import,
)
from crm_dash.markdown import md_escape
from crm_dash.metrics.activity import prepare_activity
from crm_dash.privacy import IDENTIFYING_COLUMNS, for_display, values_for_display
from crm_dash.ui.downloads import table_downloads
from crm_dash.ui.links import page_link
from crm_dash.ui.page import PageContext, error_markdown
from crm_dash.workfolders import new_upload_folder, remove_folder

_STATE = "crm_dash_upload"
UPLOAD_WORKBOOK_TYPES = ("xlsx", "xlsm", "xls", "xlsb", "ods")
_NOT_MAPPED = ""
_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp1252": "Windows-1252 (ANSI)",
              "utf-16": "UTF-16"}


@dataclass
class _FileState:
    """What the session knows about one uploaded file for one dataset."""

    path: Path | None = None
    inspection: Inspection | None = None
    problem: ImportProblem | None = None
    check_key: str = ""
    check: ImportReport | None = None
    check_problem: ImportProblem | None = None
    result: ImportReport | None = None
    cancelled: bool = False
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # chosen meanings
    unknown_seen: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> label -> rows
    sheet: str | None = None  # a workbook's sheet chosen by the user (None: the first with data)


def upload_limit_mb() -> int:
    """The browser upload limit (``server.maxUploadSize`` in ``.streamlit/config.toml``)."""
    return int(st.get_option("server.maxUploadSize"))


class SessionFolder:
    """A browser session's upload work folder, created for its first file.

    Removed when the session's files are loaded, cancelled or dropped, and when the session
    ends: Streamlit then drops the session's state, and with it this object, whose finalizer
    removes the folder (also at a clean shutdown of the app). A killed app leaves it to the
    start-up sweep (:func:`crm_dash.workfolders.sweep_upload_folders`).
    """

    def __init__(self) -> None:
        self.path = new_upload_folder()
        self._finalizer = weakref.finalize(self, remove_folder, self.path)

    def remove(self) -> None:
        """Remove the folder now."""
        self._finalizer()


def _state() -> dict[str, Any]:
    state: dict[str, Any] = st.session_state.setdefault(_STATE, {"files": {}, "round": 0})
    return state


def _workdir() -> Path:
    """The session's upload work folder (created when the first file needs it)."""
    state = _state()
    folder: SessionFolder | None = state.get("folder")
    if folder is None or not folder.path.is_dir():
        folder = state["folder"] = SessionFolder()
    return folder.path


def _remove_folder_if_idle() -> None:
    """Remove the session's work folder once no file of it is left in it."""
    state = _state()
    folder: SessionFolder | None = state.get("folder")
    if folder is not None and not any(folder.path.iterdir() if folder.path.is_dir() else ()):
        folder.remove()
        del state["folder"]


def _forget_dropped(kind: DatasetKind, uploads: list[UploadedFile]) -> None:
    """Forget the files no longer in the uploader (removed, or of another dataset): their
    panels are gone, so are their copies on disk."""
    state = _state()
    current = {f"{upload.file_id}:{kind.value}" for upload in uploads}
    for key in [k for k in state["files"] if k not in current]:
        _forget_files(state["files"].pop(key))
    _remove_folder_if_idle()


def dataset_choice(lang: Language) -> DatasetKind:
    """Which dataset the files hold."""
    kinds = list(DatasetKind)
    requested = st.query_params.get("dataset")  # the Overview's checklist: "Upload" per dataset
    if requested in {k.value for k in kinds}:
        st.session_state["upload_kind"] = DatasetKind(requested)
        del st.query_params["dataset"]
    picked = st.radio(
        t("upload.dataset", lang), kinds, format_func=lambda k: t(f"dataset.{k.value}", lang),
        horizontal=True, key="upload_kind", help=t("upload.dataset_help", lang),
    )
    return DatasetKind(picked)


def file_chooser(kind: DatasetKind, lang: Language) -> list[UploadedFile]:
    """The file uploader (several files at once) with the size limit and the CLI for more."""
    state = _state()
    limit = upload_limit_mb()
    files = st.file_uploader(
        t("upload.files", lang), type=["csv", "txt", "tsv", *UPLOAD_WORKBOOK_TYPES],
        accept_multiple_files=True,
        key=f"upload_files_{kind.value}_{state['round']}", help=t("upload.files_help", lang),
    )
    st.caption(t("upload.limit", lang, mb=limit, kind=kind.value))
    uploads = list(files or [])
    _forget_dropped(kind, uploads)
    return uploads


def file_panel(ctx: PageContext, kind: DatasetKind, upload: UploadedFile) -> None:
    """Everything about one uploaded file, in a bordered box."""
    lang = ctx.lang
    state = _state()
    key = f"{upload.file_id}:{kind.value}"
    fs: _FileState = state["files"].setdefault(key, _FileState())
    with st.container(border=True):
        st.markdown(f"#### :material/description: {md_escape(upload.name)}")
        if fs.cancelled:
            st.info(t("upload.cancelled", lang, file=md_escape(upload.name)))
            return
        if fs.result is not None:
            _show_result(fs.result, lang)
            return
        limit = upload_limit_mb()
        if upload.size > limit * 1024 * 1024:
            st.error(t("upload.too_big", lang, mb=limit, kind=kind.value))
            return
        if fs.inspection is None and fs.problem is None:
            _inspect(ctx, kind, upload, fs, _workdir())
        if fs.problem is not None or fs.inspection is None:
            st.error(_problem_text(fs.problem, lang))
            return
        if _sheet_choice(ctx, kind, upload, fs, key):
            st.rerun()
        inspection = fs.inspection
        previous = already_imported(ctx.conn, kind, inspection.scan.sha256)
        if previous is not None:
            st.info(t("upload.already_imported", lang, batch=previous))
            return
        banner = st.container()
        mapping = _mapping_editor(inspection, key, lang)
        with banner:
            _detected(inspection, mapping, lang)
        missing = inspection.missing_fields(mapping)
        if missing:
            st.warning(t("import.error.missing_fields", lang, fields=md_escape(", ".join(missing)),
                         headers=md_escape(", ".join(inspection.headers))))
            _cancel_button(fs, key, lang)
            return
        check_key = json.dumps([mapping, fs.value_labels], sort_keys=True)
        if fs.check_key != check_key:
            fs.check_key, fs.check, fs.check_problem = check_key, None, None
            with st.spinner(t("upload.checking", lang)):
                try:
                    fs.check = run_import(ctx.conn, inspection, mapping=mapping, commit=False,
                                          imported_by=ctx.user.username, source="upload",
                                          value_labels=fs.value_labels)
                except ImportProblem as problem:
                    fs.check_problem = problem
        if fs.check_problem is not None or fs.check is None:
            st.error(_problem_text(fs.check_problem, lang))
            _cancel_button(fs, key, lang)
            return
        _check_summary(ctx, fs.check, mapping)
        _label_choices(fs, key, lang)
        _decision(ctx, fs, key, mapping)


def _problem_text(problem: ImportProblem | None, lang: Language) -> str:
    return (error_markdown(problem, lang) if problem is not None
            else t("app.unexpected_error", lang))


def _sheet_choice(ctx: PageContext, kind: DatasetKind, upload: UploadedFile, fs: _FileState,
                  key: str) -> bool:
    """A workbook with several visible sheets: which one to import. True when the choice
    changed (the file was inspected again)."""
    sheet = fs.inspection.sheet if fs.inspection is not None else None
    if sheet is None or len(sheet.sheets) < 2:
        return False
    picked = st.selectbox(t("upload.workbook_sheet", ctx.lang), sheet.sheets,
                          index=sheet.sheets.index(sheet.sheet), key=f"sheet:{key}",
                          help=t("upload.workbook_sheet_help", ctx.lang))
    if picked == sheet.sheet:
        return False
    fs.sheet, fs.inspection, fs.problem, fs.check_key = picked, None, None, ""
    _inspect(ctx, kind, upload, fs, _workdir())
    return True


def _inspect(
    ctx: PageContext, kind: DatasetKind, upload: UploadedFile, fs: _FileState, workdir: Path
) -> None:
    fs.path = workdir / f"{upload.file_id}{Path(upload.name).suffix.lower() or '.csv'}"
    fs.path.write_bytes(upload.getvalue())
    with st.spinner(t("upload.inspecting", ctx.lang)):
        try:
            fs.inspection = inspect_file(ctx.conn, fs.path, kind, workdir, file_name=upload.name,
                                         sheet=fs.sheet)
            fs.value_labels = {f: dict(v) for f, v in fs.inspection.value_labels.items()}
        except ImportProblem as problem:
            fs.problem = problem


def _detected(inspection: Inspection, mapping: dict[str, str], lang: Language) -> None:
    """One line on the file's format, one on what it was recognised as, and what to check in
    the mapping: it is never "mapped for you" while a match is unsure or a column that looks
    like an open figure field is left out."""
    layout = inspection.layout
    parts = [
        _ENCODINGS[inspection.scan.encoding],
        t(f"upload.delimiter.{layout.delimiter_name}", lang),
        t("upload.header_line", lang, line=layout.header_line),
    ]
    if inspection.sheet is not None:  # a workbook: its sheet, not a CSV dialect
        sheet = inspection.sheet
        header_row = sheet.record_rows[layout.header_line - 1] if sheet.record_rows else 1
        parts = [t("upload.workbook_read", lang, sheet=sheet.label(markdown=True),
                   rows=fmt_int(max(len(sheet.record_rows) - layout.header_line, 0), lang)),
                 t("upload.header_line", lang, line=header_row)]
        if sheet.hidden_rows:
            parts.append(t("upload.workbook_hidden_rows", lang,
                           n=fmt_int(sheet.hidden_rows, lang)))
    if layout.preamble_lines:
        parts.append(t("upload.preamble", lang, n=layout.preamble_lines))
    if layout.footer_lines:
        parts.append(t("upload.footer", lang, n=layout.footer_lines))
    if layout.duplicate_headers:
        parts.append(t("upload.duplicates", lang,
                       names=md_escape(", ".join(layout.duplicate_headers))))
    st.caption(t("upload.detected", lang) + " " + " · ".join(parts))
    notices = mapping_notices(inspection, mapping)
    if notices:
        label = (preset_label(inspection.preset.name, lang) if inspection.preset is not None
                 and inspection.preset.name != "generic" else None)
        intro = (t("upload.check_mapping_preset", lang, preset=label) if label
                 else t("upload.check_mapping", lang))
        st.warning(intro + "\n\n" + "\n".join(
            f"- {n.text(inspection.kind, lang, markdown=True)}" for n in notices),
            icon=":material/rule:")
    elif inspection.remembered is not None:
        st.success(t("upload.remembered", lang,
                     when=fmt_datetime(inspection.remembered.confirmed_at, lang),
                     who=md_escape(inspection.remembered.confirmed_by)),
                   icon=":material/bookmark:")
    elif inspection.preset is not None and inspection.preset.name != "generic":
        st.success(t("upload.preset", lang, preset=preset_label(inspection.preset.name, lang)),
                   icon=":material/verified:")
    elif inspection.preset is not None:
        st.success(t("upload.generic", lang), icon=":material/verified:")
    else:
        st.info(t("upload.no_preset", lang), icon=":material/tune:")
    if inspection.other_kind is not None:
        st.warning(t("upload.other_kind", lang,
                     preset=preset_label(inspection.other_kind.name, lang),
                     dataset=t(f"dataset.{inspection.other_kind.kind.value}", lang)))


def preset_label(name: str, lang: Language) -> str:
    """The name of a known export layout, in words; a name no longer known stays as it is
    (a batch recorded by an older version)."""
    key = f"import.preset.{name}"
    return t(key, lang) if key in catalog(lang) else name


def _field_label(field: FieldSpec, lang: Language) -> str:
    text = field.help_de if lang == "de" else field.help_en
    # "(required)" in words: an escaped "\\*" reached screen readers with its backslash.
    return text + (f" ({t('upload.required', lang)})" if field.required else "")


def _mapping_editor(inspection: Inspection, key: str, lang: Language) -> dict[str, str]:
    """One select box per canonical field, the proposal preselected, each with its evidence;
    then the columns that feed no field. Returns the mapping."""
    spec = DATASETS[inspection.kind]
    options = [_NOT_MAPPED, *inspection.headers]
    constants = inspection.constants
    open_it = (bool(inspection.missing_fields()) or inspection.preset is None
               or bool(mapping_notices(inspection, inspection.mapping)))
    mapping: dict[str, str] = {}
    with st.expander(t("upload.mapping", lang), expanded=open_it, icon=":material/tune:"):
        st.caption(t("upload.mapping_help", lang))
        columns = st.columns(3)
        hints = {}
        for index, field in enumerate(spec.fields):
            proposed = inspection.mapping.get(field.name, _NOT_MAPPED)
            with columns[index % 3]:
                picked = st.selectbox(
                    _field_label(field, lang), options, index=options.index(proposed),
                    key=f"map:{key}:{field.name}", help=t("upload.field_help", lang,
                                                          name=field.name),
                    format_func=lambda h: t("upload.not_mapped", lang) if h == _NOT_MAPPED else h,
                )
                if picked == _NOT_MAPPED and field.name in constants:
                    st.caption(t("upload.constant", lang, value=md_escape(constants[field.name])))
                elif picked != _NOT_MAPPED:
                    mapping[field.name] = picked
                    st.caption(_evidence_line(inspection, field.name, picked, lang))
                else:
                    hints[field.name] = st.empty()  # filled once the whole mapping is known
        unused = inspection.proposal.unused_columns(mapping)
        for name, slot in hints.items():  # open fields a column could fill, under each field
            found = inspection.proposal.candidates(name, mapping)
            if found:
                slot.caption(t("upload.could_be", lang, column=md_escape(found[0].column),
                               pct=round(100 * found[0].confidence)))
        if unused:
            st.caption(t("upload.unused", lang, n=len(unused),
                         columns=md_escape(", ".join(unused))))
    return mapping


_LEVEL_COLOURS = {"sure": "green", "unsure": "orange", "none": "gray"}


def _evidence_line(inspection: Inspection, name: str, column: str, lang: Language) -> str:
    """How sure the match of ``column`` for ``name`` is, and why (Markdown: the headers and
    names in the reasons escaped)."""
    match = inspection.proposal.match(name, column)
    level = match.level or "none"
    reasons = [evidence_text(e, lang, markdown=True)
               for e in match_reasons(inspection, name, column) if e.code != "no_values"]
    head = f":{_LEVEL_COLOURS[level]}[{t(f'import.level.{level}', lang)}"
    head += f" · {round(100 * match.confidence)} %]" if match.confidence else "]"
    return head + (" — " + "; ".join(reasons) if reasons else "")


def _label_choices(fs: _FileState, key: str, lang: Language) -> None:
    """Labels the importer does not know, each with a choice of what it means. A choice
    re-checks the file; what was chosen is remembered with the mapping at Load."""
    report, inspection = fs.check, fs.inspection
    assert report is not None and inspection is not None
    for name, labels in report.unknown_labels.items():
        seen = fs.unknown_seen.setdefault(name, {})
        seen.update({label: rows for label, rows in labels})
    if not fs.unknown_seen:
        return
    chosen: dict[str, dict[str, str]] = {f: dict(v) for f, v in fs.value_labels.items()}
    with st.container(border=True):
        st.markdown(f"**{t('upload.labels_title', lang)}**")
        st.caption(t("upload.labels_help", lang))
        for name, seen in fs.unknown_seen.items():
            values: list[str] = list(label_values(inspection.kind, name) or ())
            fallback = LABEL_FALLBACK.get(name, "false")
            options = ["", *values] if fallback == "reject" else values
            columns = st.columns(3)
            ranked = sorted(seen.items(), key=lambda kv: -kv[1])[:30]
            for index, (label, rows) in enumerate(ranked):
                current = chosen.get(name, {}).get(label.lower(), fallback)
                current = current if current in options else options[0]
                with columns[index % 3]:
                    picked: str = st.selectbox(
                        t("upload.label_choice", lang, field=field_label(inspection.kind, name,
                                                                         lang),
                          label=md_escape(label), rows=fmt_int(rows, lang)),
                        options, index=options.index(current), key=f"label:{key}:{name}:{label}",
                        format_func=partial(value_text, name, lang=lang),
                    )
                if picked:
                    chosen.setdefault(name, {})[label.lower()] = picked
                else:
                    chosen.get(name, {}).pop(label.lower(), None)
    if chosen != fs.value_labels:
        fs.value_labels = chosen
        st.rerun()


def value_text(name: str, value: str, lang: Language) -> str:
    """A canonical value of a label field in words ("" for a status: reject the row)."""
    if name == "action":
        return t(f"adoption.action.{value}", lang)
    return t(f"import.value.{name}.{value or 'reject'}", lang)


def _check_summary(ctx: PageContext, report: ImportReport, mapping: dict[str, str]) -> None:
    lang = ctx.lang
    cols = st.columns(4)
    cols[0].metric(t("upload.rows_read", lang), fmt_int(report.rows_read, lang))
    cols[1].metric(t("upload.will_load", lang), fmt_int(report.rows_loaded, lang),
                   help=t("upload.will_load_help", lang))
    cols[2].metric(t("upload.rejected", lang), fmt_int(report.rows_rejected, lang),
                   help=t("upload.rejected_help", lang))
    cols[3].metric(t("upload.duplicates_skipped", lang), fmt_int(report.duplicates_skipped, lang),
                   help=t("upload.duplicates_help", lang))
    for notice in report.notices:
        if notice.code == "usage_not_in_roster":  # counted over the whole file at the check
            st.warning(notice.text(report.kind, lang, markdown=True),
                       icon=":material/person_off:")
    if report.formats:
        listed = "; ".join(f"{md_escape(mapping.get(f, f))}: {md_escape(fmt)}"
                           for f, fmt in report.formats.items())
        st.caption(t("upload.formats", lang, formats=listed))
    preview, table = check_tables(ctx.conn, report, lang)
    st.markdown(f"**{t('upload.preview', lang)}**")
    st.dataframe(shown_preview(preview, report.kind, lang), hide_index=True, width="stretch",
                 placeholder="–")
    if report.rows_rejected:
        st.warning(t("upload.rejects_note", lang, n=fmt_int(report.rows_rejected, lang)),
                   icon=":material/rule:")
        st.dataframe(table.head(1000), hide_index=True, width="stretch")
        table_downloads(table, f"{Path(report.file_name).stem}-rejects", lang,
                        key=f"rejects:{report.file_name}:{id(report)}",
                        csv_label=t("upload.download_rejects", lang))


def shown_preview(preview: pd.DataFrame, kind: DatasetKind, lang: Language) -> pd.DataFrame:
    """The preview as the lead reads it: headed by the fields' labels, values as the UI
    language writes them (never ``user_id``, ``None`` or ``2025-03-02 00:00:00``)."""
    fields = DATASETS[kind].field_names
    return display_values(preview, lang).rename(
        columns=lambda c: field_label(kind, c, lang) if c in fields else c)


def check_tables(
    conn: duckdb.DuckDBPyConnection, report: ImportReport, lang: Language
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The preview and the rejects table (also the CSV download) of a check, as the page shows
    them: with pseudonyms on, every column that identifies a person is pseudonymised, in
    whichever dataset it is (ids of usage exports are often e-mails or full names), and so is a
    rejected value of such a column."""
    preview = for_display(conn, report.preview, IDENTIFYING_COLUMNS)
    rejects = values_for_display(conn, report.rejects, "value", "field", IDENTIFYING_COLUMNS)
    return preview, replace(report, rejects=rejects).rejects_table(lang)


def _decision(ctx: PageContext, fs: _FileState, key: str, mapping: dict[str, str]) -> None:
    lang = ctx.lang
    report = fs.check
    assert report is not None and fs.inspection is not None
    if report.status == "failed":
        st.error(_problem_text(report.problem, lang))
        _cancel_button(fs, key, lang)
        return
    label = t("upload.load_valid" if report.rows_rejected else "upload.load", lang)
    with st.container(horizontal=True):
        if st.button(label, type="primary", key=f"load:{key}", icon=":material/upload:"):
            with st.spinner(t("upload.loading", lang)):
                fs.result = run_import(ctx.conn, fs.inspection, mapping=mapping,
                                       imported_by=ctx.user.username, source="upload",
                                       remember=True, value_labels=fs.value_labels,
                                       on_wait=lambda: st.info(t("upload.waiting", lang),
                                                               icon=":material/hourglass_top:"))
                if fs.result.status == "loaded" and fs.inspection.kind == DatasetKind.USAGE:
                    prepare_activity(ctx.conn)
            _forget_files(fs)
            _remove_folder_if_idle()
            st.rerun()
        _cancel_button(fs, key, lang)


def _cancel_button(fs: _FileState, key: str, lang: Language) -> None:
    if st.button(t("upload.cancel", lang), key=f"cancel:{key}", icon=":material/close:"):
        fs.cancelled = True
        _forget_files(fs)
        _remove_folder_if_idle()
        st.rerun()


def _forget_files(fs: _FileState) -> None:
    """Delete the upload and its copies (UTF-8, without footer) in the session's work folder."""
    folder: SessionFolder | None = _state().get("folder")
    if folder is None:
        return
    workdir = folder.path
    paths = {fs.path} if fs.path else set()
    if fs.inspection is not None:
        paths |= {fs.inspection.source.path, *workdir.glob(f"{fs.inspection.scan.sha256}.*")}
    for path in paths:
        if path is not None and path.parent == workdir:
            path.unlink(missing_ok=True)


def _show_result(report: ImportReport, lang: Language) -> None:
    if report.status == "already_imported":
        st.info(t("upload.already_imported", lang, batch=report.batch_id))
        return
    st.success(t("upload.loaded", lang, n=fmt_int(report.rows_loaded, lang),
                 batch=report.batch_id, skipped=fmt_int(report.duplicates_skipped, lang),
                 rejected=fmt_int(report.rows_rejected, lang)), icon=":material/check_circle:")
    page_link("imports", t("upload.to_history", lang), ":material/history:")


def start_over(lang: Language, uploads: list[UploadedFile]) -> None:
    """A button that empties the uploader and forgets this session's files.

    Shown while the uploader holds files (``uploads``, what :func:`file_chooser` returned this
    run), never from the session's memory alone: after the browser's Back and Forward the
    uploader comes back empty, and a button under it would have nothing to start over from.
    """
    state = _state()
    if uploads and st.button(t("upload.start_over", lang), key="upload_start_over",
                                    icon=":material/restart_alt:"):
        if "folder" in state:
            state["folder"].remove()
        st.session_state[_STATE] = {"files": {}, "round": state["round"] + 1}
        st.rerun()
