-- 007: what a person said unknown source labels mean, remembered with the column mapping:
-- JSON {field: {label: canonical value}}, e.g. {"action": {"freigeben": "update"}}.
ALTER TABLE import_mappings ADD COLUMN value_labels VARCHAR;
