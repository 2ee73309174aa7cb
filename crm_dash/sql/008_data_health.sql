-- 008: what a batch tells about its own coverage.
-- `export_date`: a date the export carries itself (a title line such as "Export erstellt am
-- 02.11.2026", a report footer's run date, a date in the file name). It proves the export was
-- taken after that day, which the upload time does not.
-- `field_gaps`: JSON {field: {"column": header or null, "confidence": 0..1}} for every optional
-- field the upload left unmapped: a column that looked like the field (the mapper's best
-- candidate, confidence >= 0.4), or none in the file. Pages use it to say why a figure is blank.
ALTER TABLE import_batches ADD COLUMN export_date DATE;
ALTER TABLE import_batches ADD COLUMN field_gaps VARCHAR;
