"""Adoption metrics: who works productively in the CRM, who sporadically, who barely or never.

Every metric is a function of a connection, an :class:`~crm_dash.metrics.definitions.
AdoptionDefinition` and plain parameters, returning a DataFrame or a pydantic model. The heavy work
is SQL in DuckDB over a per-person-per-month activity table (:mod:`crm_dash.metrics.activity`);
docs/metrics.md documents every figure.
"""
