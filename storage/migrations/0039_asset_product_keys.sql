-- Product keys on assets (03_records.sql, 07_vulns.sql): matching fetches the assets of an
-- advisory leaf's (normalised vendor, product key) instead of every asset of the vendor.
-- Existing rows get NULL, which sitrepd fills at start (sitrep_key_assets): the key, like
-- vendor_norm, is computed by vulns/ in C++, so assets stored before migration 0031 (no
-- vendor_norm) get both then and are matched against the stored advisories.

ALTER TABLE assets ADD COLUMN product_key text;
DROP INDEX assets_vendor_norm;
CREATE INDEX assets_vendor_product ON assets (vendor_norm, product_key) WHERE vendor_norm <> '';
CREATE INDEX assets_unkeyed ON assets (id) WHERE product_key IS NULL;

DROP FUNCTION sitrep_match_candidate_assets(text[], bigint[]);
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
