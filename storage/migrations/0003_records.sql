-- The records collectors and enterprises push (SPEC §2): incidents with every revision kept,
-- and industrial assets.
--
-- Distribution (SPEC §8): both carry the province in their primary key, (province, id), so that
-- Citus can distribute them by province and keep an incident's revisions on the same node.
-- The idempotency keys (reporter_id, external_id) and (reporter_id, asset_key) stay global on
-- purpose: a national collector may report any province, and a resend must be recognised
-- whatever it says; under Citus they would become (province, reporter_id, …).
--
-- No foreign keys to provinces, sectors, principals or enterprises: the ingest path checks
-- every one of them before writing (codes against the seeded tables, the reporter is the
-- authenticated principal, enterprises are looked up per group), the registry never deletes,
-- and the per-row RI triggers cost as much as the rest of the insert (README, Benchmarks).

-- Every committed write of a record takes the next position of the feed (issue #4 reads it).
CREATE SEQUENCE record_feed_seq;

-- The current state of every incident: its latest revision. Earlier revisions move to
-- incident_revisions when an amendment replaces them, so a first report writes one row only.
CREATE TABLE incidents (
  id bigint GENERATED ALWAYS AS IDENTITY,
  province integer NOT NULL,
  reporter_id bigint NOT NULL,
  external_id text NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 128),
  enterprise_id bigint,
  sector text NOT NULL,
  category text NOT NULL CHECK (category IN ('MALWARE', 'NETWORK_ATTACK',
    'INFORMATION_DESTRUCTION', 'INFORMATION_CONTENT', 'FACILITY_FAULT', 'DISASTER', 'OTHER')),
  subcategory text NOT NULL DEFAULT '',
  severity smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),  -- 1 = I (特别重大) … 4 = IV
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED')),
  sharing_scope text NOT NULL DEFAULT 'PROVINCE'
    CHECK (sharing_scope IN ('PROVINCE', 'ALL_REGULATORS', 'SECTOR', 'PUBLIC')),
  status text NOT NULL DEFAULT 'REPORTED' CHECK (status IN ('REPORTED', 'CONFIRMED', 'HANDLING',
    'RESOLVED', 'CLOSED', 'FALSE_POSITIVE')),
  occurred_at timestamptz,
  detected_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1),
  -- What made this revision: the first report or the kind of amendment, why, and by whom.
  amendment text NOT NULL DEFAULT 'INITIAL' CHECK (amendment IN ('INITIAL', 'FOLLOW_UP', 'FINAL',
    'STATUS', 'REGRADE')),
  amendment_note text NOT NULL DEFAULT '',
  amended_by bigint NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  indicators jsonb NOT NULL DEFAULT '[]',  -- [{"type": "IPV4", "value": "…"}, …]
  cve_ids text[] NOT NULL DEFAULT '{}',
  attack_technique_ids text[] NOT NULL DEFAULT '{}',
  affected_asset_keys text[] NOT NULL DEFAULT '{}',
  attributes jsonb NOT NULL DEFAULT '{}',
  -- Feed position of this revision: the writing transaction's id and a sequence number, so a
  -- reader that serves only transactions older than every one still running never skips a
  -- row that commits late (issue #4).
  feed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  feed_seq bigint NOT NULL DEFAULT nextval('record_feed_seq'),
  PRIMARY KEY (province, id),
  UNIQUE (reporter_id, external_id)
);
-- Lookups by id alone (GetIncident, amendments) cannot use the (province, id) key.
CREATE INDEX incidents_id ON incidents (id);
CREATE INDEX incidents_province_received ON incidents (province, received_at);
CREATE INDEX incidents_enterprise ON incidents (enterprise_id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX incidents_sector ON incidents (sector, received_at);

-- Every superseded revision of every incident (SPEC §2 "Amendments keep every earlier
-- revision"), with the same columns as incidents so one row reader serves both.
CREATE TABLE incident_revisions (
  LIKE incidents INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  superseded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province, id, revision),
  FOREIGN KEY (province, id) REFERENCES incidents (province, id)
);
CREATE INDEX incident_revisions_id ON incident_revisions (id, revision);

-- Industrial assets; pushing the same (reporter_id, asset_key) again updates the row.
CREATE TABLE assets (
  id bigint GENERATED ALWAYS AS IDENTITY,
  province integer NOT NULL,
  reporter_id bigint NOT NULL,
  asset_key text NOT NULL CHECK (char_length(asset_key) BETWEEN 1 AND 128),
  enterprise_id bigint,
  sector text NOT NULL DEFAULT 'other',
  ip inet,
  port integer NOT NULL DEFAULT 0 CHECK (port BETWEEN 0 AND 65535),  -- 0: unknown
  transport text NOT NULL DEFAULT 'UNSPECIFIED' CHECK (transport IN ('UNSPECIFIED', 'TCP', 'UDP')),
  protocol text NOT NULL DEFAULT '',
  vendor text NOT NULL DEFAULT '',
  product text NOT NULL DEFAULT '',
  version text NOT NULL DEFAULT '',
  asset_type text NOT NULL DEFAULT 'OTHER' CHECK (asset_type IN ('UNSPECIFIED', 'PLC', 'HMI',
    'SCADA', 'DCS', 'RTU', 'GATEWAY', 'INDUSTRIAL_PLATFORM', 'INDUSTRIAL_APP', 'OTHER')),
  internet_exposed boolean NOT NULL DEFAULT false,
  cve_ids text[] NOT NULL DEFAULT '{}',
  first_seen timestamptz NOT NULL DEFAULT now(),  -- the earliest observation time pushed
  last_seen timestamptz NOT NULL DEFAULT now(),
  times_seen bigint NOT NULL DEFAULT 1 CHECK (times_seen >= 1),
  attributes jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  feed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),  -- as incidents.feed_xid
  feed_seq bigint NOT NULL DEFAULT nextval('record_feed_seq'),
  PRIMARY KEY (province, id),
  UNIQUE (reporter_id, asset_key)
);
CREATE INDEX assets_id ON assets (id);
CREATE INDEX assets_province_last_seen ON assets (province, last_seen);
CREATE INDEX assets_enterprise ON assets (enterprise_id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX assets_ip ON assets (ip) WHERE ip IS NOT NULL;
CREATE INDEX assets_cve_ids ON assets USING gin (cve_ids);

-- An amendment copies the replaced revision to incident_revisions, then updates the incident;
-- revisions themselves never change. Nothing is deleted.
GRANT SELECT, INSERT, UPDATE ON incidents, assets TO sitrep_app;
GRANT SELECT, INSERT ON incident_revisions TO sitrep_app;
