"""Importing real CRM exports: detection, presets, mapping, validation in DuckDB, loading.

The flow, one module per step:

- :mod:`~crm_dash.importing.sniff`: encoding, delimiter, preamble, header, footer of a file;
- :mod:`~crm_dash.importing.presets`: known export layouts recognised by their headers;
- :mod:`~crm_dash.importing.parse`: per-column date and number formats, as SQL casts;
- :mod:`~crm_dash.importing.actions` and :mod:`~crm_dash.importing.labels`: source values
  (usage actions, booleans, statuses) onto canonical ones;
- :mod:`~crm_dash.importing.validate`: typed rows and rejects, computed in DuckDB;
- :mod:`~crm_dash.importing.run`: one import as one transaction, through :mod:`crm_dash.store`;
- :mod:`~crm_dash.importing.mappings`, :mod:`~crm_dash.importing.history`: remembered mappings,
  the import history, deleting a batch, integration accounts flagged by hand;
- :mod:`~crm_dash.importing.problems`: why a file cannot be imported, in German and English.

Nothing here imports Streamlit; the upload page and the ``crm-dash import`` command
(:mod:`crm_dash.cli.imports`) share it.
"""
