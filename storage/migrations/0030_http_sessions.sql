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
