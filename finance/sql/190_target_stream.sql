-- A collection-rate target names its income stream (issue 21): the Collection sheet takes any stream by name
-- ("Parking penalty charges"), so the stream a target is for is stored as the sheet (or the user) named it, and the
-- series it belongs to ("In-year collection rate, Parking penalty charges (%)") is read from it. NULL for every other
-- series, and for collection targets set before this column, whose stream is one of the catalogue's six.
ALTER TABLE target ADD COLUMN stream VARCHAR;
