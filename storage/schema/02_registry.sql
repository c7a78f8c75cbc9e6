-- The registry of SPEC §1-§2: enterprises, principals and their tokens, and the notices that
-- end the open calls of a credential that changes.
-- Enum columns hold the proto enum value's name without its prefix ("PLATFORM", "ADMIN"), so
-- rows read well in psql and a renumbered proto cannot silently change stored meaning.
--
-- Distribution (SPEC §8): the registry tables are small and consulted on every request, so with
-- Citus they become reference tables (copied to every node) and keep a plain id key; a
-- province column is indexed where the record has one. The record and notification tables carry
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

-- Nothing is deleted from the registry, and a principal never changes after creation; tokens
-- are revoked by setting revoked_at.
GRANT SELECT, INSERT, UPDATE ON enterprises, tokens TO sitrep_app;
GRANT SELECT, INSERT ON principals TO sitrep_app;

-- Long-lived calls (watches, Push) authenticate once, so sitrepd LISTENs on sitrep_credentials
-- to end the open calls of a credential that stops being what it was (server/live_calls.h):
-- a token revoked, its expiry or owner changed, or deleted; a principal's binding (role,
-- province, enterprise) changed or the principal deleted; an enterprise's province or sector
-- changed (its principals' province and sector come from it). Payloads are "token:<id>",
-- "principal:<id>" and "enterprise:<id>"; like every NOTIFY they are delivered at commit, and
-- only if the transaction commits.
-- The WHEN conditions are written as flat ORs, the form pg_dump gives back, so that the baseline
-- snapshot reloads to the same definition (storage/migrations_pgtest.cc).
CREATE FUNCTION sitrep_notify_credentials() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed_id bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN changed_id := OLD.id; ELSE changed_id := NEW.id; END IF;
  PERFORM pg_notify('sitrep_credentials', TG_ARGV[0] || ':' || changed_id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER tokens_notify_credentials
  AFTER UPDATE OF revoked_at, expires_at, principal_id, secret_sha256 ON tokens
  FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
        OR OLD.principal_id IS DISTINCT FROM NEW.principal_id
        OR OLD.secret_sha256 IS DISTINCT FROM NEW.secret_sha256)
  EXECUTE FUNCTION sitrep_notify_credentials('token');
CREATE TRIGGER tokens_notify_credentials_deleted AFTER DELETE ON tokens
  FOR EACH ROW EXECUTE FUNCTION sitrep_notify_credentials('token');

CREATE TRIGGER principals_notify_credentials
  AFTER UPDATE OF name, role, province, enterprise_id ON principals
  FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.role IS DISTINCT FROM NEW.role
        OR OLD.province IS DISTINCT FROM NEW.province
        OR OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id)
  EXECUTE FUNCTION sitrep_notify_credentials('principal');
CREATE TRIGGER principals_notify_credentials_deleted AFTER DELETE ON principals
  FOR EACH ROW EXECUTE FUNCTION sitrep_notify_credentials('principal');

CREATE TRIGGER enterprises_notify_credentials
  AFTER UPDATE OF province, sector ON enterprises
  FOR EACH ROW
  WHEN (OLD.province IS DISTINCT FROM NEW.province OR OLD.sector IS DISTINCT FROM NEW.sector)
  EXECUTE FUNCTION sitrep_notify_credentials('enterprise');

-- The credential of every transaction run for a caller (storage/transaction.cc SetCaller): the
-- token it came with must still be unrevoked and its principal bound as the server believes.
-- The server's cache learns of a change made behind its back only by NOTIFY; this check closes
-- that window, so no read or write runs for a credential that has already ended. Expiry is the
-- server's to judge (its clock). A token of 0 is the server's own work: nothing to check.
CREATE FUNCTION sitrep_check_credential(token bigint, principal bigint, want_role text,
                                        want_province integer, want_enterprise bigint,
                                        want_sector text) RETURNS void
  LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF token = 0 THEN
    RETURN;
  END IF;
  PERFORM 1 FROM tokens t JOIN principals p ON p.id = t.principal_id
    LEFT JOIN enterprises e ON e.id = p.enterprise_id
    WHERE t.id = token AND t.revoked_at IS NULL AND p.id = principal AND p.role = want_role
      AND coalesce(p.province, e.province, 0) = want_province
      AND coalesce(p.enterprise_id, 0) = want_enterprise AND coalesce(e.sector, '') = want_sector;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the credential has ended or its principal changed' USING ERRCODE = '28000';
  END IF;
END
$$;

-- Browser sessions of the HTTP edge (http/): a cookie stands for a token the user signed in
-- with, so the token itself never sits in the browser. Only hashes are stored: a copy of this
-- table lets nobody sign in or forge a CSRF header. A session lives until it is ended (sign-out),
-- expires, or its token is revoked, expires or is deleted (every call re-checks the token).
CREATE TABLE http_sessions (
  id_sha256 bytea PRIMARY KEY CHECK (length(id_sha256) = 32),
  token_id bigint NOT NULL REFERENCES tokens ON DELETE CASCADE,
  csrf_sha256 bytea NOT NULL CHECK (length(csrf_sha256) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX http_sessions_token ON http_sessions (token_id);
CREATE INDEX http_sessions_expires ON http_sessions (expires_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON http_sessions TO sitrep_app;

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
