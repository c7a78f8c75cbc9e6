-- The audit log (SPEC §1): one row per API call, written by storage/audit_store.cc.

-- Append-only: the server's role may INSERT and SELECT only. It has no
-- foreign key, so that an audit row is written even for a caller that could not be
-- authenticated (principal_id 0) and can later be archived on its own; it has no province
-- either, and grows with time, so at scale it is partitioned by time rather than distributed.
CREATE TABLE audit_entries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  principal_id bigint NOT NULL DEFAULT 0,
  method text NOT NULL,
  target text NOT NULL DEFAULT '',
  rows bigint NOT NULL DEFAULT 0,
  status text NOT NULL,
  peer text NOT NULL DEFAULT ''
);
CREATE INDEX audit_entries_at ON audit_entries (at);
CREATE INDEX audit_entries_principal ON audit_entries (principal_id, id);
CREATE INDEX audit_entries_method ON audit_entries (method, id);

GRANT SELECT, INSERT ON audit_entries TO sitrep_app;
