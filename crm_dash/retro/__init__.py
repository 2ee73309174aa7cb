"""The CRM retrospective: a checklist linked to the data.

"After the project is before the project": the team looks at where the CRM stands.

- :mod:`.template`: the checklist items (code) whose texts live in the catalogs, versioned;
- :mod:`.model`: statuses, entries, retrospectives (pydantic);
- :mod:`.store`: retrospectives, their items and drafts in the database (atomic saves, audited);
- :mod:`.evidence`: what the data says about an item, with a suggested status;
- :mod:`.present`: the texts of items, statuses and evidence in the chosen language;
- :mod:`.compare`: a retrospective against the previous one;
- :mod:`.export`: Markdown and a printable HTML page;
- :mod:`.demo`: the demo company's past retrospective.
"""
