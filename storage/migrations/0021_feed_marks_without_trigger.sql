-- The receive-time marks of 0010 and 0016 are written by the statements that insert incidents
-- (storage/incident_store.cc, the one way the server inserts them; the bench's bulk loader does
-- the same after each COPY), no longer by a trigger (issue #3). The trigger read the statement's
-- rows as a transition table: every ~1 KB row copied once more into a tuple store, which spills
-- to a temporary file past 4 MB (one ingest group of 4,000 records is more) and is read back:
-- about 3 % of all CPU in an ingest run, for a mark that the inserting statement writes from
-- the two feed columns its RETURNING hands back anyway.
DROP TRIGGER incidents_mark_feed ON incidents;
DROP FUNCTION sitrep_mark_incident_feed();
