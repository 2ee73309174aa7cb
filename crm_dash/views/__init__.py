"""What each page shows, computed without Streamlit: one view model per page.

A view function takes the data snapshot (:mod:`crm_dash.views.snapshot`), the page's filters
and the audience (:class:`crm_dash.audience.Audience`) and returns a typed object. The audience
is applied here, once, to everything the object holds (figures, tables, chart data, downloads):
the UI (``crm_dash/ui``, ``pages/``) only draws what it gets and never decides privacy itself.
Tables of groups side by side travel as :class:`crm_dash.views.tables.GroupTable`, so a test can
check every one of them for small groups.

The benchmark (``bench/metrics_benchmark.py``) and the tests call the same functions as the
pages.
"""
