-- TAXII 2.1 status resources (issue 19): see storage/schema/02_registry.sql.
-- Status resources of TAXII 2.1 POSTs to the HTTP edge (http/taxii.cc): the whole resource as
-- its poster was answered, kept so that GET …/status/{id}/ can tell it again. Only the poster
-- reads its own (the edge looks it up by id and principal).
CREATE TABLE taxii_statuses (
  id uuid PRIMARY KEY,
  principal_id bigint NOT NULL REFERENCES principals ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  resource jsonb NOT NULL
);
CREATE INDEX taxii_statuses_created ON taxii_statuses (created_at);
GRANT SELECT, INSERT, DELETE ON taxii_statuses TO sitrep_app;
