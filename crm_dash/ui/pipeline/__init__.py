"""The Pipeline page's drawing: what :func:`crm_dash.views.pipeline.pipeline_view` computed.

- :mod:`.sections`: the page's parts (filter, reference dates, tiles, the tables per segment,
  department and owner, owners off the roster), in the reader's language;
- :mod:`.charts`: the segment bar charts (Altair, pure functions, tested as specs);
- :mod:`.format`: amounts and win rates in words;
- :mod:`.stages`: the stage mapping and the form that maps one label (leads).
"""
