-- Every transaction run for a caller re-checks its token and principal binding (02_registry.sql).

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
