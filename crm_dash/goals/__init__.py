"""Goals such as "+20 % productive users in Vertrieb Süd within 9 months".

``model`` declares a goal; ``math`` evaluates it (pure functions over a monthly series: baseline,
target, expected, forecast, status); ``source`` reads the monthly figures from the adoption
metrics; ``store`` keeps goals and their change history; ``tracker`` ties them together;
``present`` turns a goal's figures into texts (with the "<5" rule), which the page and ``report``
(the one-page HTML report) render; their charts are ``crm_dash.charts.goals`` (Altair, for the
page) and ``crm_dash.charts.svg`` (the report's inline SVG); ``crm-dash goal`` is
:mod:`crm_dash.cli.goals`; ``demo`` sets the demo company's goals.
"""
