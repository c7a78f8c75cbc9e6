-- The vulnerability resource base (SPEC §10, issue #18): the known-exploited catalog, security
-- advisories (CSAF 2.0 documents and index stubs) with every superseded version kept, their
-- product trees and vulnerabilities, and which stored assets each advisory affects and why.
--
-- Advisories are national reference data about products, not records of a province: they
-- carry no province, enterprise or sharing scope. Who reads one (SPEC §3 applied to them): an
-- advisory is shared as widely as a record can be (scope PUBLIC), so TLP decides, through the
-- incident read rule (sitrep_incident_readable, the one home of SPEC §3); and an advisory
-- marked TLP CLEAR is readable by every role, collectors included (issue #18).
--
-- Matches are derived by the server's own rule (vulns/match.h in the ingest transaction), not
-- written by the caller: an advisory arriving from one collector re-matches the assets of
-- every province. So, like rule notices (04_notifications.sql), they are read and written by
-- SECURITY DEFINER functions that do nothing else; no caller may write them directly.

-- The known-exploited catalog (CISA KEV), loaded by sitrepd from --kev-file at start and on
-- every reload (escalation/escalator.cc StoreKnownExploited, one transaction: readers see the
-- old catalog or the new one). The rules of this file join it; the catalog is public, every
-- role reads it; only the server's loader (as ADMIN) replaces it.
CREATE TABLE kev_entries (
  cve_id text PRIMARY KEY,
  vendor_project text NOT NULL DEFAULT '',
  product text NOT NULL DEFAULT '',
  vulnerability_name text NOT NULL DEFAULT '',
  date_added date,
  due_date date,
  known_ransomware_use boolean NOT NULL DEFAULT false,
  required_action text NOT NULL DEFAULT '',
  catalog_version text NOT NULL DEFAULT ''
);
GRANT SELECT, INSERT, DELETE ON kev_entries TO sitrep_app;
ALTER TABLE kev_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY kev_entries_read ON kev_entries FOR SELECT TO sitrep_app USING (true);
CREATE POLICY kev_entries_load ON kev_entries FOR INSERT TO sitrep_app
  WITH CHECK (current_setting('sitrep.role', true) = 'ADMIN');
CREATE POLICY kev_entries_unload ON kev_entries FOR DELETE TO sitrep_app
  USING (current_setting('sitrep.role', true) = 'ADMIN');

-- The current version of every advisory, one row per tracking id. A stub (from an advisory
-- index: no document yet) is replaced by the first document; a newer document version replaces
-- the current one, which moves to advisory_revisions (ingest/advisory_ingest.cc decides).
-- The document is kept as text, exactly as pushed (jsonb would reorder keys and drop
-- duplicates): GetAdvisory returns it whole, the columns beside it are what filters need.
CREATE TABLE advisories (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tracking_id text NOT NULL UNIQUE CHECK (char_length(tracking_id) BETWEEN 1 AND 128),
  stub boolean NOT NULL,
  version text NOT NULL DEFAULT '',  -- /document/tracking/version; '' for a stub
  revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1),  -- versions stored, 1 for the first
  title text NOT NULL DEFAULT '',
  publisher text NOT NULL DEFAULT '',
  tlp text NOT NULL DEFAULT 'CLEAR' CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT',
                                                  'RED')),
  published_at timestamptz,        -- /document/tracking/initial_release_date
  current_release_at timestamptz,  -- /document/tracking/current_release_date
  url text NOT NULL DEFAULT '',
  vendors text[] NOT NULL DEFAULT '{}',
  products text[] NOT NULL DEFAULT '{}',
  cve_ids text[] NOT NULL DEFAULT '{}',
  max_cvss double precision NOT NULL DEFAULT 0 CHECK (max_cvss BETWEEN 0 AND 10),
  -- What a notice raised from this advisory asks the province to do: its remediations.
  required_action text NOT NULL DEFAULT '',
  -- /document/tracking/revision_history: [{"number": …, "date_micros": …, "summary": …}].
  revision_history jsonb NOT NULL DEFAULT '[]',
  document text,  -- the CSAF JSON as pushed; NULL for a stub
  reporter_id bigint NOT NULL,  -- who pushed this version
  received_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- The advisories feed, on the position of the records feed (03_records.sql): a new version
  -- takes a new position, so a watcher sees each version once, in commit order.
  feed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  feed_seq bigint NOT NULL DEFAULT nextval('record_feed_seq'),
  CHECK (stub = (document IS NULL))
);
CREATE INDEX advisories_feed ON advisories (feed_xid, feed_seq);
CREATE INDEX advisories_cve_ids ON advisories USING gin (cve_ids);
CREATE INDEX advisories_published ON advisories (published_at);

-- Every superseded version of every advisory, with the columns of advisories so one row
-- reader serves both.
CREATE TABLE advisory_revisions (
  LIKE advisories INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  superseded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, revision),
  FOREIGN KEY (id) REFERENCES advisories (id)
);

-- The leaves of the current version's product tree (vendor → product → version or range),
-- with the vendor and product normalised by vulns/normalise.h when written: matching an asset
-- looks its normalised vendor up here.
CREATE TABLE advisory_products (
  advisory_id bigint NOT NULL REFERENCES advisories,
  ordinal integer NOT NULL,
  product_id text NOT NULL DEFAULT '',  -- the CSAF product_id
  branch_path text NOT NULL,
  vendor text NOT NULL,
  vendor_norm text NOT NULL,
  product text NOT NULL,
  product_norm text NOT NULL,
  expression text NOT NULL,  -- the product_version_range or product_version
  is_range boolean NOT NULL,
  PRIMARY KEY (advisory_id, ordinal)
);
CREATE INDEX advisory_products_vendor ON advisory_products (vendor_norm);

-- The vulnerabilities of the current version (/vulnerabilities), as the proto's Vulnerability.
CREATE TABLE advisory_vulnerabilities (
  advisory_id bigint NOT NULL REFERENCES advisories,
  ordinal integer NOT NULL,
  cve_id text NOT NULL DEFAULT '',  -- '' when the vulnerability has none
  cwe_id text NOT NULL DEFAULT '',
  cwe_name text NOT NULL DEFAULT '',
  title text NOT NULL DEFAULT '',
  scores jsonb NOT NULL DEFAULT '[]',        -- [{"version", "base_score", "base_severity", "vector"}]
  remediations jsonb NOT NULL DEFAULT '[]',  -- [{"category", "details", "url"}]
  "references" text[] NOT NULL DEFAULT '{}',
  product_ids text[] NOT NULL DEFAULT '{}',
  max_base_score double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (advisory_id, ordinal)
);
CREATE INDEX advisory_vulnerabilities_cve ON advisory_vulnerabilities (cve_id) WHERE cve_id <> '';

-- Which stored asset an advisory affects and why (one row per pair: the first MATCH branch,
-- else the first NEEDS_REVIEW one; NO_MATCH is not stored). The asset's province, reporter
-- and enterprise are copied so that the row is visible exactly when the asset is
-- (sitrep_may_read_asset) without a join; every write of the asset rewrites its matches.
CREATE TABLE asset_advisory_matches (
  asset_id bigint NOT NULL,
  advisory_id bigint NOT NULL REFERENCES advisories,
  province integer NOT NULL,
  reporter_id bigint NOT NULL,
  enterprise_id bigint,
  branch_path text NOT NULL,
  expression text NOT NULL,
  asset_version text NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('MATCH', 'NEEDS_REVIEW')),
  reason text NOT NULL,
  matched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (asset_id, advisory_id)
);
CREATE INDEX asset_advisory_matches_advisory ON asset_advisory_matches (advisory_id, province);

GRANT SELECT, INSERT, UPDATE ON advisories TO sitrep_app;
GRANT SELECT, INSERT ON advisory_revisions TO sitrep_app;
GRANT SELECT, INSERT, DELETE ON advisory_products, advisory_vulnerabilities TO sitrep_app;
GRANT SELECT ON asset_advisory_matches TO sitrep_app;

-- The read rule of advisories for a caller given explicitly (as sitrep_incident_readable):
-- TLP CLEAR for every role; otherwise the incident rule for a record of no province,
-- enterprise or sector shared PUBLIC, that is NATIONAL and ADMIN all, PROVINCIAL up to TLP
-- AMBER, ENTERPRISE up to GREEN, COLLECTOR what it pushed. The incident rule answers NULL where
-- it compares a province, which counts as not visible. A caller without a role (a transaction
-- that forgot its settings) sees nothing, as everywhere.
CREATE FUNCTION sitrep_advisory_readable(caller_role text, caller_province bigint,
                                         caller_enterprise_id bigint, caller_sector text,
                                         caller_principal_id bigint, reporter_id bigint,
                                         tlp text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (tlp = 'CLEAR'
          AND caller_role IN ('ADMIN', 'NATIONAL', 'PROVINCIAL', 'ENTERPRISE', 'COLLECTOR'))
    OR coalesce(sitrep_incident_readable(caller_role, caller_province, caller_enterprise_id,
                                         caller_sector, caller_principal_id, NULL, reporter_id,
                                         NULL, NULL, tlp, 'PUBLIC'), false);

-- The read rule of advisories for the current caller.
CREATE FUNCTION sitrep_may_read_advisory(reporter_id bigint, tlp text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN sitrep_advisory_readable(current_setting('sitrep.role', true),
                                  sitrep_setting_bigint('sitrep.province'),
                                  sitrep_setting_bigint('sitrep.enterprise_id'),
                                  current_setting('sitrep.sector', true),
                                  sitrep_setting_bigint('sitrep.principal_id'), reporter_id, tlp);

-- Who may push advisories (ingest/write_permission.cc CheckMayPushAdvisory admits the same):
-- collectors and administrators, in their own name. Any of them may supersede a version
-- another pushed that it can read: advisories are the publisher's, not the pusher's.
CREATE FUNCTION sitrep_may_write_advisory(reporter_id bigint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN current_setting('sitrep.role', true) IN ('COLLECTOR', 'ADMIN')
    AND reporter_id = sitrep_setting_bigint('sitrep.principal_id');

ALTER TABLE advisories ENABLE ROW LEVEL SECURITY;
ALTER TABLE advisory_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE advisory_products ENABLE ROW LEVEL SECURITY;
ALTER TABLE advisory_vulnerabilities ENABLE ROW LEVEL SECURITY;
ALTER TABLE asset_advisory_matches ENABLE ROW LEVEL SECURITY;

CREATE POLICY advisories_read ON advisories FOR SELECT TO sitrep_app
  USING (sitrep_may_read_advisory(reporter_id, tlp));
CREATE POLICY advisories_insert ON advisories FOR INSERT TO sitrep_app
  WITH CHECK (sitrep_may_write_advisory(reporter_id));
CREATE POLICY advisories_update ON advisories FOR UPDATE TO sitrep_app
  USING (current_setting('sitrep.role', true) IN ('COLLECTOR', 'ADMIN'))
  WITH CHECK (sitrep_may_write_advisory(reporter_id));

-- A superseded version keeps its own pusher, so the check is on the caller's role alone.
CREATE POLICY advisory_revisions_read ON advisory_revisions FOR SELECT TO sitrep_app
  USING (sitrep_may_read_advisory(reporter_id, tlp));
CREATE POLICY advisory_revisions_insert ON advisory_revisions FOR INSERT TO sitrep_app
  WITH CHECK (current_setting('sitrep.role', true) IN ('COLLECTOR', 'ADMIN'));

-- The product tree and vulnerabilities are as visible as their advisory, and written (or
-- replaced, for a new version) by whoever pushed the advisory's current version.
CREATE POLICY advisory_products_read ON advisory_products FOR SELECT TO sitrep_app
  USING (EXISTS (SELECT 1 FROM advisories a WHERE a.id = advisory_id));
CREATE POLICY advisory_products_write ON advisory_products FOR INSERT TO sitrep_app
  WITH CHECK (EXISTS (SELECT 1 FROM advisories a
                      WHERE a.id = advisory_id AND sitrep_may_write_advisory(a.reporter_id)));
CREATE POLICY advisory_products_delete ON advisory_products FOR DELETE TO sitrep_app
  USING (EXISTS (SELECT 1 FROM advisories a
                 WHERE a.id = advisory_id AND sitrep_may_write_advisory(a.reporter_id)));
CREATE POLICY advisory_vulnerabilities_read ON advisory_vulnerabilities FOR SELECT TO sitrep_app
  USING (EXISTS (SELECT 1 FROM advisories a WHERE a.id = advisory_id));
CREATE POLICY advisory_vulnerabilities_write ON advisory_vulnerabilities FOR INSERT
  TO sitrep_app
  WITH CHECK (EXISTS (SELECT 1 FROM advisories a
                      WHERE a.id = advisory_id AND sitrep_may_write_advisory(a.reporter_id)));
CREATE POLICY advisory_vulnerabilities_delete ON advisory_vulnerabilities FOR DELETE
  TO sitrep_app
  USING (EXISTS (SELECT 1 FROM advisories a
                 WHERE a.id = advisory_id AND sitrep_may_write_advisory(a.reporter_id)));

-- A match is visible when its asset is (sitrep_may_read_asset) and its advisory is too: the
-- row names the advisory, which a TLP marking may keep from the caller.
CREATE POLICY asset_advisory_matches_read ON asset_advisory_matches FOR SELECT TO sitrep_app
  USING (sitrep_may_read_asset(province, reporter_id, enterprise_id)
         AND EXISTS (SELECT 1 FROM advisories a WHERE a.id = advisory_id));

-- Whether an advisory raises exposure notices on the exposed assets it matches: a CVE of the
-- advisory (not of the KEV entry's vendor: third-party components count) in the
-- known-exploited catalog, or a vulnerability of CVSS 9.0 or above. The one home of that
-- rule: the candidates below report it, sitrep_raise_escalations checks it.
CREATE FUNCTION sitrep_advisory_raises_notice(cve_ids text[], max_cvss double precision)
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN max_cvss >= 9.0 OR EXISTS (SELECT 1 FROM kev_entries k WHERE k.cve_id = ANY (cve_ids));

-- Matching reads across provinces and pushers: the product leaves whose normalised vendor is
-- one of `vendor_norms` (of every advisory, or of `only_advisories` when that is not empty),
-- and the stored assets carrying one of the (vendor_norms[i], product_keys[i]) pairs or whose
-- id is one of `asset_ids`. SECURITY DEFINER because the caller pushing one side may not read the other (a
-- collector sees its own assets; an advisory may be TLP-marked); they return what matching
-- needs and nothing else, and only the server's role may call them. The bodies are bound at
-- creation (SQL-standard bodies), so the caller's search_path cannot redirect them.
CREATE FUNCTION sitrep_match_candidate_products(vendor_norms text[], only_advisories bigint[])
  RETURNS TABLE (advisory_id bigint, tracking_id text, title text, required_action text,
                 raises_notice boolean, cve_ids text[], vendor_norm text, branch_path text,
                 vendor text, product text, expression text, is_range boolean)
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
  BEGIN ATOMIC
    SELECT p.advisory_id, a.tracking_id, a.title, a.required_action,
           sitrep_advisory_raises_notice(a.cve_ids, a.max_cvss), a.cve_ids, p.vendor_norm,
           p.branch_path, p.vendor, p.product, p.expression, p.is_range
    FROM advisory_products p JOIN advisories a ON a.id = p.advisory_id
    WHERE p.vendor_norm = ANY (vendor_norms)
      AND (cardinality(only_advisories) = 0 OR p.advisory_id = ANY (only_advisories))
    ORDER BY p.advisory_id, p.ordinal;
  END;
REVOKE ALL ON FUNCTION sitrep_match_candidate_products(text[], bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_match_candidate_products(text[], bigint[]) TO sitrep_app;

CREATE FUNCTION sitrep_match_candidate_assets(vendor_norms text[], product_keys text[],
                                              asset_ids bigint[])
  RETURNS TABLE (id bigint, province integer, vendor_norm text, vendor text, product text,
                 version text, internet_exposed boolean, asset_type text)
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
  BEGIN ATOMIC
    SELECT a.id, a.province, a.vendor_norm, a.vendor, a.product, a.version, a.internet_exposed,
           a.asset_type
    FROM unnest(vendor_norms, product_keys) AS k(vendor_norm, product_key)
      CROSS JOIN LATERAL (
        SELECT * FROM assets s
        WHERE s.vendor_norm = k.vendor_norm AND s.product_key = k.product_key
          AND s.vendor_norm <> '') AS a
    UNION ALL
    SELECT a.id, a.province, a.vendor_norm, a.vendor, a.product, a.version, a.internet_exposed,
           a.asset_type
    FROM assets a
    WHERE a.id = ANY (asset_ids);
  END;
REVOKE ALL ON FUNCTION sitrep_match_candidate_assets(text[], text[], bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_match_candidate_assets(text[], text[], bigint[]) TO sitrep_app;

-- The assets stored before product keys existed (product_key NULL), `page` at a time after id
-- `after_id`, and the writing of their keys, computed by sitrepd (vulns::Normalise and
-- vulns::ProductKey, which live in C++): ingest/advisory_matching.cc KeyStoredAssets. Only a row
-- still without a key is written, so keying twice changes nothing. SECURITY DEFINER as above:
-- the keying reads and writes across pushers, and touches nothing else of the asset (its feed
-- position stays: the key is no part of what clients read).
CREATE FUNCTION sitrep_unkeyed_assets(after_id bigint, page integer)
  RETURNS TABLE (id bigint, vendor text, product text)
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
  BEGIN ATOMIC
    SELECT a.id, a.vendor, a.product FROM assets a
    WHERE a.product_key IS NULL AND a.id > after_id
    ORDER BY a.id LIMIT page;
  END;
REVOKE ALL ON FUNCTION sitrep_unkeyed_assets(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_unkeyed_assets(bigint, integer) TO sitrep_app;

CREATE FUNCTION sitrep_key_assets(ids bigint[], vendor_norms text[], product_keys text[])
  RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER
  BEGIN ATOMIC
    UPDATE assets a SET vendor_norm = k.vendor_norm, product_key = k.product_key
    FROM unnest(ids, vendor_norms, product_keys) AS k(id, vendor_norm, product_key)
    WHERE a.id = k.id AND a.product_key IS NULL;
  END;
REVOKE ALL ON FUNCTION sitrep_key_assets(bigint[], text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_key_assets(bigint[], text[], text[]) TO sitrep_app;

-- The stored version of each advisory of `tracking_ids`, whoever may read it, and whether the
-- caller may (the ingest decision: a new version replaces only an advisory its pusher can
-- read; ingest/advisory_ingest.cc). Names nothing but the version's bookkeeping.
CREATE FUNCTION sitrep_advisory_versions(tracking_ids text[])
  RETURNS TABLE (id bigint, tracking_id text, stub boolean, version text, revision bigint,
                 readable boolean)
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
  BEGIN ATOMIC
    SELECT a.id, a.tracking_id, a.stub, a.version, a.revision,
           coalesce(sitrep_may_read_advisory(a.reporter_id, a.tlp), false)
    FROM advisories a
    WHERE a.tracking_id = ANY (tracking_ids);
  END;
REVOKE ALL ON FUNCTION sitrep_advisory_versions(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_advisory_versions(text[]) TO sitrep_app;

-- Replaces the matches of the given assets (asset_ids: every match of each is deleted) or of
-- the given advisories (advisory_ids: likewise) with `matches`, a JSON array of objects with
-- the columns of asset_advisory_matches but matched_at (storage/vuln_store.cc writes it).
-- A match is written only for an asset and an advisory that exist, with the asset's own
-- province, reporter and enterprise, so the function can record nothing but what the rule
-- found. In key order, so that two transactions rewriting overlapping pairs wait on each
-- other instead of deadlocking. PL/pgSQL keeps its plans for the life of the connection.
CREATE FUNCTION sitrep_replace_matches(asset_ids bigint[], advisory_ids bigint[],
                                       matches jsonb, matched_at timestamptz)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  p_asset_ids ALIAS FOR asset_ids;
  p_advisory_ids ALIAS FOR advisory_ids;
  p_matches ALIAS FOR matches;
  p_matched_at ALIAS FOR matched_at;
  written bigint;
BEGIN
  DELETE FROM asset_advisory_matches m
  WHERE m.asset_id = ANY (p_asset_ids) OR m.advisory_id = ANY (p_advisory_ids);
  INSERT INTO asset_advisory_matches (asset_id, advisory_id, province, reporter_id,
                                      enterprise_id, branch_path, expression, asset_version,
                                      verdict, reason, matched_at)
  SELECT c.asset_id, c.advisory_id, a.province, a.reporter_id, a.enterprise_id, c.branch_path,
         c.expression, c.asset_version, c.verdict, c.reason, p_matched_at
  FROM jsonb_to_recordset(p_matches) AS c(asset_id bigint, advisory_id bigint,
                                          branch_path text, expression text,
                                          asset_version text, verdict text, reason text)
  JOIN assets a ON a.id = c.asset_id
  WHERE EXISTS (SELECT 1 FROM advisories v WHERE v.id = c.advisory_id)
  ORDER BY c.asset_id, c.advisory_id
  ON CONFLICT (asset_id, advisory_id) DO NOTHING;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
REVOKE ALL ON FUNCTION sitrep_replace_matches(bigint[], bigint[], jsonb, timestamptz)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_replace_matches(bigint[], bigint[], jsonb, timestamptz)
  TO sitrep_app;

-- Live watchers of the advisories feed hear new versions on the feed channel of
-- 03_records.sql (storage/feed_listener.cc tells the tables apart).
CREATE TRIGGER advisories_notify_feed AFTER INSERT OR UPDATE ON advisories
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_notify_feed();
