-- Long-lived calls (watches, Push) authenticate once, so sitrepd LISTENs on sitrep_credentials
-- to end the open calls of a credential that stops being what it was (server/live_calls.h):
-- a token revoked, its expiry or owner changed, or deleted; a principal's binding (role,
-- province, enterprise) changed or the principal deleted; an enterprise's province or sector
-- changed (its principals' province and sector come from it). Payloads are "token:<id>",
-- "principal:<id>" and "enterprise:<id>"; like every NOTIFY they are delivered at commit, and
-- only if the transaction commits.
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
  WHEN ((OLD.revoked_at, OLD.expires_at, OLD.principal_id, OLD.secret_sha256)
        IS DISTINCT FROM (NEW.revoked_at, NEW.expires_at, NEW.principal_id, NEW.secret_sha256))
  EXECUTE FUNCTION sitrep_notify_credentials('token');
CREATE TRIGGER tokens_notify_credentials_deleted AFTER DELETE ON tokens
  FOR EACH ROW EXECUTE FUNCTION sitrep_notify_credentials('token');

CREATE TRIGGER principals_notify_credentials
  AFTER UPDATE OF name, role, province, enterprise_id ON principals
  FOR EACH ROW
  WHEN ((OLD.name, OLD.role, OLD.province, OLD.enterprise_id)
        IS DISTINCT FROM (NEW.name, NEW.role, NEW.province, NEW.enterprise_id))
  EXECUTE FUNCTION sitrep_notify_credentials('principal');
CREATE TRIGGER principals_notify_credentials_deleted AFTER DELETE ON principals
  FOR EACH ROW EXECUTE FUNCTION sitrep_notify_credentials('principal');

CREATE TRIGGER enterprises_notify_credentials
  AFTER UPDATE OF province, sector ON enterprises
  FOR EACH ROW
  WHEN ((OLD.province, OLD.sector) IS DISTINCT FROM (NEW.province, NEW.sector))
  EXECUTE FUNCTION sitrep_notify_credentials('enterprise');
