-- The read path (SPEC §3, §4; issue #4): who sees which record, enforced by PostgreSQL with
-- row-level security as the second wall behind the C++ checks; the commit-ordered feed's
-- indexes; and the notifications that wake live watchers.
--
-- The caller's identity comes from the per-transaction settings storage/transaction.cc sets
-- (sitrep.role, sitrep.province, sitrep.enterprise_id, sitrep.sector, sitrep.principal_id).
-- An unset setting reads as '' and matches nothing, so a transaction that forgot SetCaller
-- sees no records at all.

CREATE FUNCTION sitrep_setting_bigint(name text) RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN nullif(current_setting(name, true), '')::bigint;

-- SPEC §3. NATIONAL and ADMIN see everything (the ingest writer runs as ADMIN); PROVINCIAL
-- its province plus what other provinces share with all regulators or wider, never TLP RED
-- or AMBER+STRICT; ENTERPRISE its own records plus SECTOR (its sector) and PUBLIC ones of TLP
-- CLEAR or GREEN; COLLECTOR what it pushed.
CREATE FUNCTION sitrep_may_read_incident(province integer, reporter_id bigint,
                                         enterprise_id bigint, sector text, tlp text,
                                         sharing_scope text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN CASE current_setting('sitrep.role', true)
    WHEN 'ADMIN' THEN true
    WHEN 'NATIONAL' THEN true
    WHEN 'PROVINCIAL' THEN province = sitrep_setting_bigint('sitrep.province')
      OR (sharing_scope <> 'PROVINCE' AND tlp NOT IN ('RED', 'AMBER_STRICT'))
    WHEN 'ENTERPRISE' THEN enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id')
      OR reporter_id = sitrep_setting_bigint('sitrep.principal_id')
      OR (tlp IN ('CLEAR', 'GREEN') AND (sharing_scope = 'PUBLIC'
          OR (sharing_scope = 'SECTOR' AND sector = current_setting('sitrep.sector', true))))
    WHEN 'COLLECTOR' THEN reporter_id = sitrep_setting_bigint('sitrep.principal_id')
    ELSE false
  END;

-- Whether an incident reaches an enterprise only through SECTOR or PUBLIC sharing, so that
-- the victim's identity must be removed from what it is shown.
CREATE FUNCTION sitrep_incident_redacted(reporter_id bigint, enterprise_id bigint)
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN current_setting('sitrep.role', true) = 'ENTERPRISE'
    AND coalesce(enterprise_id, 0) <> sitrep_setting_bigint('sitrep.enterprise_id')
    AND reporter_id <> sitrep_setting_bigint('sitrep.principal_id');

-- Assets carry no sharing scope: they stay with national, their province, their enterprise
-- and the collector that saw them.
CREATE FUNCTION sitrep_may_read_asset(province integer, reporter_id bigint, enterprise_id bigint)
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN CASE current_setting('sitrep.role', true)
    WHEN 'ADMIN' THEN true
    WHEN 'NATIONAL' THEN true
    WHEN 'PROVINCIAL' THEN province = sitrep_setting_bigint('sitrep.province')
    WHEN 'ENTERPRISE' THEN enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id')
      OR reporter_id = sitrep_setting_bigint('sitrep.principal_id')
    WHEN 'COLLECTOR' THEN reporter_id = sitrep_setting_bigint('sitrep.principal_id')
    ELSE false
  END;

ALTER TABLE incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE assets ENABLE ROW LEVEL SECURITY;

CREATE POLICY incidents_read ON incidents FOR SELECT TO sitrep_app
  USING (sitrep_may_read_incident(province, reporter_id, enterprise_id, sector, tlp,
                                  sharing_scope));
-- New incidents come from the ingest writer (ADMIN) after per-record permission checks.
CREATE POLICY incidents_insert ON incidents FOR INSERT TO sitrep_app
  WITH CHECK (current_setting('sitrep.role', true) = 'ADMIN');
-- Amendments: the reporter, the enterprise concerned, or the national centre.
CREATE POLICY incidents_amend ON incidents FOR UPDATE TO sitrep_app
  USING (current_setting('sitrep.role', true) IN ('ADMIN', 'NATIONAL')
         OR reporter_id = sitrep_setting_bigint('sitrep.principal_id')
         OR (current_setting('sitrep.role', true) = 'ENTERPRISE'
             AND enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id')));

CREATE POLICY incident_revisions_read ON incident_revisions FOR SELECT TO sitrep_app
  USING (sitrep_may_read_incident(province, reporter_id, enterprise_id, sector, tlp,
                                  sharing_scope));
CREATE POLICY incident_revisions_insert ON incident_revisions FOR INSERT TO sitrep_app
  WITH CHECK (current_setting('sitrep.role', true) IN ('ADMIN', 'NATIONAL')
              OR reporter_id = sitrep_setting_bigint('sitrep.principal_id')
              OR (current_setting('sitrep.role', true) = 'ENTERPRISE'
                  AND enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id')));

CREATE POLICY assets_read ON assets FOR SELECT TO sitrep_app
  USING (sitrep_may_read_asset(province, reporter_id, enterprise_id));
CREATE POLICY assets_write ON assets FOR INSERT TO sitrep_app
  WITH CHECK (current_setting('sitrep.role', true) = 'ADMIN');
CREATE POLICY assets_update ON assets FOR UPDATE TO sitrep_app
  USING (current_setting('sitrep.role', true) = 'ADMIN');

-- The feed order, overall and per province (the common regulator query), and the filters
-- that would otherwise scan: CVE ids and indicator values.
CREATE INDEX incidents_feed ON incidents (feed_xid, feed_seq);
CREATE INDEX incidents_province_feed ON incidents (province, feed_xid, feed_seq);
CREATE INDEX incidents_cve_ids ON incidents USING gin (cve_ids);
CREATE INDEX incidents_indicators ON incidents USING gin (indicators jsonb_path_ops);
CREATE INDEX assets_feed ON assets (feed_xid, feed_seq);

-- Live watchers LISTEN on sitrep_feed; each writing statement tells which table changed and
-- which transaction wrote it (delivered at commit, and only if it commits).
CREATE FUNCTION sitrep_notify_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sitrep_feed', TG_TABLE_NAME || ':' || pg_current_xact_id()::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER incidents_notify_feed AFTER INSERT OR UPDATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_notify_feed();
CREATE TRIGGER assets_notify_feed AFTER INSERT OR UPDATE ON assets
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_notify_feed();
