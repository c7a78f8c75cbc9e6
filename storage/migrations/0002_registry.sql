-- The registry of SPEC §1-§2: enterprises, principals, their tokens, and the audit log.
-- Enum columns hold the proto enum value's name without its prefix ("PLATFORM", "ADMIN"), so
-- rows read well in psql and a renumbered proto cannot silently change stored meaning.
--
-- Distribution (SPEC §8): the registry tables are small and consulted on every request, so with
-- Citus they become reference tables (copied to every node) and keep a plain id key; a
-- province column is indexed where the record has one. The record tables (0003, 0004) carry
-- the province in their primary key and are the distributed ones.

CREATE TABLE enterprises (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- 统一社会信用代码; its check character is validated in domain/credit_code.h.
  credit_code char(18) NOT NULL UNIQUE,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  province integer NOT NULL REFERENCES provinces,
  sector text NOT NULL REFERENCES sectors,
  type text NOT NULL CHECK (type IN ('NETWORKED_INDUSTRIAL', 'PLATFORM', 'IDENTIFIER_RESOLUTION')),
  size text NOT NULL CHECK (size IN ('LARGE', 'MEDIUM', 'SMALL', 'MICRO')),
  grade smallint NOT NULL DEFAULT 0 CHECK (grade BETWEEN 0 AND 3),  -- 0: not graded
  key_enterprise boolean NOT NULL DEFAULT false,
  cii_operator boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enterprises_province_sector ON enterprises (province, sector);

-- A principal is bound at creation (SPEC §1); the CHECK states each role's binding. An
-- ENTERPRISE principal's province and sector are read from its enterprise rather than copied,
-- so re-registering the enterprise in another province cannot leave the principal behind.
CREATE TABLE principals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._-]{1,100}$'),
  role text NOT NULL CHECK (role IN ('ADMIN', 'NATIONAL', 'PROVINCIAL', 'ENTERPRISE', 'COLLECTOR')),
  province integer REFERENCES provinces,  -- NULL: none, or national for a COLLECTOR
  enterprise_id bigint REFERENCES enterprises,
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT principals_role_binding CHECK (CASE role
    WHEN 'ADMIN' THEN province IS NULL AND enterprise_id IS NULL
    WHEN 'NATIONAL' THEN province IS NULL AND enterprise_id IS NULL
    WHEN 'PROVINCIAL' THEN province IS NOT NULL AND enterprise_id IS NULL
    WHEN 'ENTERPRISE' THEN province IS NULL AND enterprise_id IS NOT NULL
    WHEN 'COLLECTOR' THEN enterprise_id IS NULL
  END)
);
CREATE INDEX principals_enterprise ON principals (enterprise_id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX principals_role ON principals (role, id);

-- Bearer tokens, kept only as the SHA-256 of their secret; the unique index is the lookup
-- every authenticated call makes.
CREATE TABLE tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  principal_id bigint NOT NULL REFERENCES principals,
  secret_sha256 bytea NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,  -- NULL: never
  revoked_at timestamptz   -- set once, never cleared
);
CREATE INDEX tokens_principal ON tokens (principal_id, id);

-- One row per API call, append-only: the server's role may INSERT and SELECT only. It has no
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

-- Nothing is deleted from the registry, and a principal never changes after creation; tokens
-- are revoked by setting revoked_at.
GRANT SELECT, INSERT, UPDATE ON enterprises, tokens TO sitrep_app;
GRANT SELECT, INSERT ON principals TO sitrep_app;
GRANT SELECT, INSERT ON audit_entries TO sitrep_app;
