-- The situation overview (SPEC §3, §4 FeedService.GetSituation, §7): counts kept so that an
-- overview of 30 days reads a few dozen rollup rows instead of scanning millions of incidents.
--
-- Incidents: nothing runs on the ingest path. The incident tables already say, in commit-safe
-- order, what changed: the feed position (feed_xid, feed_seq) of every revision
-- (03_records.sql). The compactor (feeds/situation_compactor.cc, storage/situation_compaction.cc)
-- reads the revisions past its cursor up to the feed horizon, fans them out in the server and
-- folds them into:
--   situation_cells: one row per (viewer, province, grain, bucket) holding every count of that
--     bucket as an array indexed by situation_slots ((dimension, value, severity) → position),
--     so a 30-day overview reads a few dozen rows and a step of a busy hour writes a few hundred;
--   situation_open_counts: open incidents by enterprise, for "top enterprises";
-- and moves its cursor in the same transaction.
--
-- Exactness, by telescoping: each revision r counts +r − pred(r), where pred(r) is revision
-- r − 1 (kept in incident_revisions). Summed over all revisions of an incident this is its
-- current revision, whatever order the positions came in. The rollups hold that sum for every
-- revision at or before the cursor; a reader adds it for every revision past the cursor that its
-- snapshot sees (the tail, indexed by feed position). So every answer is exact as of its
-- snapshot, compacted or not.
--
-- Exposure (internet-exposed assets by protocol and vendor) is counted by the same compactor,
-- under the same lock, from the assets' feed the same way: an asset is updated in place and
-- keeps no earlier revision, so the rollups remember what each exposed asset counted for
-- (situation_exposed_assets) and a changed asset counts +now − remembered.
--
-- Who may read what (SPEC §3) is decided per rollup row by its `viewer`, the audience the
-- counted incidents share: 'N' the national centre (every incident), 'S' every regulator
-- (shared ALL_REGULATORS or wider, not RED or AMBER+STRICT), 'P:<province>' that province's
-- regulator only (the rest), 'E' every enterprise (PUBLIC, CLEAR or GREEN) and 'E:<sector>' the
-- enterprises of a sector (SECTOR, CLEAR or GREEN). A PROVINCIAL caller's visible incidents are
-- exactly the disjoint union of viewers 'S' and 'P:<its province>'; an ENTERPRISE caller's shared
-- ones that of 'E' and 'E:<its sector>'; its own (by enterprise or reporter, which no rollup can
-- key without exploding) are counted from incidents directly through their indexes
-- (storage/situation_store.cc). Row-level security on every rollup table lets the app role read
-- only the viewers of its caller, so even a wrong query can count nothing it could not read.

-- Day buckets are days of China Standard Time (UTC+8), the day a Chinese regulator means; hour
-- buckets are the same everywhere. An incident is counted at the time it occurred, or was
-- detected, or else was received.
CREATE FUNCTION sitrep_situation_day(t timestamptz) RETURNS timestamptz
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN date_trunc('day', t, 'Asia/Shanghai');

-- The viewers whose callers may see an incident of this province, sector, TLP and scope
-- (always 'N', one of 'S' / 'P:<province>', and at most one of 'E' / 'E:<sector>'), derived
-- from the read rule of 03_records.sql (sitrep_incident_readable), so that the rollups count for
-- a viewer exactly what row-level security lets its callers read: 'S' when a regulator of
-- another province may read it, 'E' when any enterprise that is neither victim nor reporter may,
-- 'E:<sector>' when such an enterprise of its sector may. The national centre reads every
-- incident. Immutable (the rule is called with constants), so PostgreSQL inlines it into the
-- compactor's statements.
CREATE FUNCTION sitrep_situation_viewers(province integer, sector text, tlp text,
                                         sharing_scope text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY['N', CASE WHEN sitrep_incident_readable('PROVINCIAL', NULL, NULL, NULL, NULL,
                                                       province, NULL, NULL, sector, tlp,
                                                       sharing_scope)
                         THEN 'S' ELSE 'P:' || province::text END]
    || CASE WHEN sitrep_incident_readable('ENTERPRISE', NULL, NULL, NULL, NULL, province, NULL,
                                          NULL, sector, tlp, sharing_scope)
            THEN ARRAY['E']
            WHEN sitrep_incident_readable('ENTERPRISE', NULL, NULL, sector, NULL, province, NULL,
                                          NULL, sector, tlp, sharing_scope)
            THEN ARRAY['E:' || sector]
            ELSE '{}'::text[] END;

-- The viewers of the current caller (the settings of storage/transaction.cc). COLLECTOR and an
-- unset role have none.
CREATE FUNCTION sitrep_caller_viewers() RETURNS text[]
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN CASE current_setting('sitrep.role', true)
    WHEN 'ADMIN' THEN ARRAY['N']
    WHEN 'NATIONAL' THEN ARRAY['N']
    WHEN 'PROVINCIAL' THEN ARRAY['S', 'P:' || sitrep_setting_bigint('sitrep.province')]
    WHEN 'ENTERPRISE' THEN ARRAY['E', 'E:' || current_setting('sitrep.sector', true)]
    ELSE '{}'::text[]
  END;

-- Positions in the count arrays: four (one per severity) for every province, sector and
-- category, in that order. Provinces and sectors that the reference data gains later get
-- theirs appended by the triggers below.
CREATE TABLE situation_slots (
  slot integer PRIMARY KEY CHECK (slot >= 1),
  dimension text NOT NULL CHECK (dimension IN ('province', 'sector', 'category')),
  value text NOT NULL,
  severity smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),
  UNIQUE (dimension, value, severity)
);

CREATE FUNCTION sitrep_add_situation_slots(new_dimension text, new_value text) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  BEGIN ATOMIC
    INSERT INTO situation_slots
    SELECT coalesce((SELECT max(slot) FROM situation_slots), 0) + s, new_dimension, new_value, s
    FROM generate_series(1, 4) AS s
    ON CONFLICT (dimension, value, severity) DO NOTHING;
  END;

SELECT sitrep_add_situation_slots(dimension, value)
FROM (SELECT 1 AS part, 'province' AS dimension, code::text AS value FROM provinces
      UNION ALL SELECT 2, 'sector', code FROM sectors
      UNION ALL SELECT 3, 'category', category FROM unnest(ARRAY['MALWARE', 'NETWORK_ATTACK',
        'INFORMATION_DESTRUCTION', 'INFORMATION_CONTENT', 'FACILITY_FAULT', 'DISASTER',
        'OTHER']) AS category) AS values_in_order
ORDER BY part, value;

CREATE FUNCTION sitrep_province_slots() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM sitrep_add_situation_slots('province', NEW.code::text);
  RETURN NULL;
END
$$;
CREATE FUNCTION sitrep_sector_slots() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM sitrep_add_situation_slots('sector', NEW.code);
  RETURN NULL;
END
$$;
CREATE TRIGGER provinces_situation_slots AFTER INSERT ON provinces
  FOR EACH ROW EXECUTE FUNCTION sitrep_province_slots();
CREATE TRIGGER sectors_situation_slots AFTER INSERT ON sectors
  FOR EACH ROW EXECUTE FUNCTION sitrep_sector_slots();

-- `n[slot]` counts the incidents of that (dimension, value, severity) in the bucket; the array
-- is as long as its highest used slot. Stored compressed inline: most slots of a province's or
-- a sector viewer's row are zero. Half of each page stays free, so that the compactor's updates
-- stay on their page and leave the key index alone (HOT).
CREATE TABLE situation_cells (
  viewer text NOT NULL,
  province integer NOT NULL,  -- 0: every province
  grain "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket timestamptz NOT NULL,
  n integer[] NOT NULL,
  PRIMARY KEY (viewer, province, grain, bucket)
) WITH (toast_tuple_target = 128, fillfactor = 50);
ALTER TABLE situation_cells ALTER COLUMN n SET STORAGE MAIN;

-- How far the rollups have read the feed: every incident revision at or before
-- (feed_xid, feed_seq) and every asset write at or before (asset_feed_xid, asset_feed_seq) is in.
CREATE TABLE situation_cursor (
  feed_xid xid8 NOT NULL,
  feed_seq bigint NOT NULL,
  single boolean PRIMARY KEY DEFAULT true CHECK (single),
  asset_feed_xid xid8 NOT NULL,
  asset_feed_seq bigint NOT NULL
);
INSERT INTO situation_cursor (feed_xid, feed_seq, asset_feed_xid, asset_feed_seq)
VALUES ('0', 0, '0', 0);

-- The changes of the rollups between two feed positions (after, upto]: every incident revision
-- in that range, whether still current in incidents or superseded in incident_revisions, with
-- sign +1, and the revision each of them replaced with sign −1; only those the caller's
-- viewers cover, so nothing is counted that the caller may not read. SECURITY DEFINER because a
-- replaced revision must be subtracted even when its successor is hidden from the caller.
-- `open_enterprise_id` is the enterprise of an open incident, for regulators only. The
-- compactor (as ADMIN, viewer 'N') reads every change; a reader reads past the cursor.
--
-- With `max_revisions` (a compaction step) it reads at most that many current revisions in
-- feed order, and the superseded ones up to the last of those, so a step reads its rows once;
-- every change carries the feed position of the revision that made it (a replaced revision's
-- −1 that of its successor), and the highest position returned is where the step ends. Without
-- it (the readers' tail past the cursor) it returns every change in the range.
CREATE FUNCTION sitrep_situation_changes(after_xid xid8, after_seq bigint, upto_xid xid8,
                                         upto_seq bigint, max_revisions bigint DEFAULT NULL)
  RETURNS TABLE (sign integer, province integer, at timestamptz, sector text, category text,
                 severity smallint, tlp text, sharing_scope text, open_enterprise_id bigint,
                 change_xid xid8, change_seq bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  -- The planner estimates a range of (xid, seq) row comparisons from the xid alone, and one
  -- bulk transaction holds 100,000 rows of one xid: it would scan the table for a step of
  -- them; the feed index is always the right way to a range of positions. No parallel
  -- workers: each would be a process started for a few milliseconds' work on cores the ingest
  -- writers need, outside the compactor's pacing.
  SET search_path = public, pg_temp SET enable_seqscan = off SET max_parallel_workers_per_gather = 0
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH current_revisions AS (
    SELECT r.province, r.id, r.revision,
           coalesce(r.occurred_at, r.detected_at, r.received_at) AS at, r.sector, r.category,
           r.severity, r.tlp, r.sharing_scope, r.enterprise_id, r.status, r.feed_xid, r.feed_seq
    FROM incidents r
    WHERE (r.feed_xid, r.feed_seq) > (after_xid, after_seq)
      AND (r.feed_xid, r.feed_seq) <= (upto_xid, upto_seq)
    ORDER BY r.feed_xid, r.feed_seq
    LIMIT max_revisions),  -- NULL: all
  -- Where a full step ends: its last current revision (a shorter one ends at `upto`).
  full_step_end AS (
    SELECT c.feed_xid, c.feed_seq FROM current_revisions c
    ORDER BY c.feed_xid DESC, c.feed_seq DESC LIMIT 1),
  added AS (
    SELECT * FROM current_revisions
    UNION ALL
    SELECT r.province, r.id, r.revision,
           coalesce(r.occurred_at, r.detected_at, r.received_at) AS at, r.sector, r.category,
           r.severity, r.tlp, r.sharing_scope, r.enterprise_id, r.status, r.feed_xid, r.feed_seq
    FROM incident_revisions r
    WHERE (r.feed_xid, r.feed_seq) > (after_xid, after_seq)
      AND (r.feed_xid, r.feed_seq) <= (upto_xid, upto_seq)
      AND ((SELECT count(*) FROM current_revisions) IS DISTINCT FROM max_revisions
           OR (r.feed_xid, r.feed_seq) <= (SELECT e.feed_xid, e.feed_seq FROM full_step_end e))),
  changes (sign, province, at, sector, category, severity, tlp, sharing_scope, enterprise_id,
           status, feed_xid, feed_seq) AS (
    SELECT 1, a.province, a.at, a.sector, a.category, a.severity, a.tlp, a.sharing_scope,
           a.enterprise_id, a.status, a.feed_xid, a.feed_seq
    FROM added a
    UNION ALL
    SELECT -1, p.province, coalesce(p.occurred_at, p.detected_at, p.received_at), p.sector,
           p.category, p.severity, p.tlp, p.sharing_scope, p.enterprise_id, p.status,
           a.feed_xid, a.feed_seq
    FROM added a JOIN incident_revisions p
      ON p.province = a.province AND p.id = a.id AND p.revision = a.revision - 1)
  SELECT c.sign, c.province, c.at, c.sector,
         c.category, c.severity, c.tlp, c.sharing_scope,
         CASE WHEN c.status IN ('REPORTED', 'CONFIRMED', 'HANDLING')
                   AND current_setting('sitrep.role', true) IN ('ADMIN', 'NATIONAL', 'PROVINCIAL')
              THEN c.enterprise_id END,
         c.feed_xid, c.feed_seq
  FROM changes c
  WHERE sitrep_situation_viewers(c.province, c.sector, c.tlp, c.sharing_scope)
        && sitrep_caller_viewers();
END
$$;
REVOKE ALL ON FUNCTION sitrep_situation_changes FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_situation_changes TO sitrep_app;

-- `counts` with vals[i] added at slots[i], grown as needed (slots past the end start at zero).
-- plpgsql edits the array in place, so a step pays per changed slot, not per slot.
CREATE FUNCTION sitrep_add_counts(counts integer[], slots integer[], vals integer[])
  RETURNS integer[]
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF cardinality(counts) = 0 THEN
    counts := ARRAY[0];
  END IF;
  FOR i IN 1 .. cardinality(slots) LOOP
    counts[slots[i]] := coalesce(counts[slots[i]], 0) + vals[i];
  END LOOP;
  RETURN counts;
END
$$;

-- One compaction step's result, written by the compactor (storage/situation_compaction.cc): each
-- changed cell's key and its changed slots with their changes (array literals), the open counts'
-- changes, and the new cursor. SECURITY DEFINER: the app role cannot write the rollups in any
-- other way. One compactor at a time (its advisory lock), so update-then-insert is safe.
CREATE FUNCTION sitrep_store_situation_step(
    viewers text[], provinces integer[], grains "char"[], buckets bigint[], slots text[],
    vals text[], open_viewers text[], open_provinces integer[], open_enterprises bigint[],
    open_counts bigint[], cursor_xid xid8, cursor_seq bigint) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE situation_cells c SET n = sitrep_add_counts(c.n, s.slots::integer[], s.vals::integer[])
  FROM unnest(viewers, provinces, grains, buckets, slots, vals)
    AS s(viewer, province, grain, bucket, slots, vals)
  WHERE c.viewer = s.viewer AND c.province = s.province AND c.grain = s.grain
    AND c.bucket = sitrep_time(s.bucket);
  INSERT INTO situation_cells
  SELECT s.viewer, s.province, s.grain, sitrep_time(s.bucket),
         sitrep_add_counts('{}', s.slots::integer[], s.vals::integer[])
  FROM unnest(viewers, provinces, grains, buckets, slots, vals)
    AS s(viewer, province, grain, bucket, slots, vals)
  WHERE NOT EXISTS (SELECT FROM situation_cells c WHERE c.viewer = s.viewer
                    AND c.province = s.province AND c.grain = s.grain
                    AND c.bucket = sitrep_time(s.bucket));

  INSERT INTO situation_open_counts AS c
  SELECT * FROM unnest(open_viewers, open_provinces, open_enterprises, open_counts)
  ORDER BY 1, 2, 3
  ON CONFLICT (viewer, province, enterprise_id) DO UPDATE SET n = c.n + EXCLUDED.n;

  UPDATE situation_cursor SET feed_xid = cursor_xid, feed_seq = cursor_seq;
END
$$;
REVOKE ALL ON FUNCTION sitrep_store_situation_step FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_store_situation_step TO sitrep_app;

-- Compacted counts. `province` 0 holds the sum over every province, so that an overview without
-- a province filter reads one row per cell instead of one per province. A cell that amendments
-- emptied stays with n = 0 (readers skip it) rather than costing a delete.
CREATE TABLE situation_open_counts (
  viewer text NOT NULL,
  province integer NOT NULL,
  enterprise_id bigint NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (viewer, province, enterprise_id)
);
CREATE TABLE situation_exposure_counts (
  viewer text NOT NULL,
  province integer NOT NULL,
  protocol text NOT NULL,
  vendor text NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (viewer, province, protocol, vendor)
);

-- What each internet-exposed asset counts for in situation_exposure_counts, as of the asset
-- cursor: the province, protocol and vendor it was counted under. Read and written only by the
-- SECURITY DEFINER functions below.
CREATE TABLE situation_exposed_assets (
  asset_id bigint PRIMARY KEY,
  province integer NOT NULL,
  protocol text NOT NULL,
  vendor text NOT NULL
);

-- The viewers of an asset's exposure, derived from the read rule of assets (03_records.sql) as
-- sitrep_situation_viewers is from that of incidents: the national centre, and 'S' if a
-- regulator of another province may read it, else its province ('P:<province>': assets carry
-- no sharing scope, SPEC §3). No enterprise viewer: an enterprise counts its own assets.
CREATE FUNCTION sitrep_exposure_viewers(province integer) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY['N', CASE WHEN sitrep_asset_readable('PROVINCIAL', NULL, NULL, NULL, province,
                                                    NULL, NULL)
                         THEN 'S' ELSE 'P:' || province::text END];

-- The changes of the exposure counts between two feed positions (after, upto]: +1 for every
-- asset written in that range that is internet-exposed now, −1 for what it counted for as of
-- `after` (remembered), each with the asset; only those the caller's viewers cover. SECURITY
-- DEFINER because a remembered count must be subtracted even when the asset has since moved out
-- of the caller's sight. Only meaningful with `after` at the asset cursor.
CREATE FUNCTION sitrep_exposure_changes(after_xid xid8, after_seq bigint, upto_xid xid8,
                                        upto_seq bigint)
  RETURNS TABLE (sign integer, province integer, protocol text, vendor text, asset_id bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  -- As sitrep_situation_changes: the feed index is the way to a range of positions.
  SET search_path = public, pg_temp SET enable_seqscan = off SET max_parallel_workers_per_gather = 0
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH written AS (
    SELECT a.id, a.province, a.protocol, a.vendor, a.internet_exposed
    FROM assets a
    WHERE (a.feed_xid, a.feed_seq) > (after_xid, after_seq)
      AND (a.feed_xid, a.feed_seq) <= (upto_xid, upto_seq)),
  changes (sign, province, protocol, vendor, asset_id) AS (
    SELECT 1, w.province, w.protocol, w.vendor, w.id FROM written w WHERE w.internet_exposed
    UNION ALL
    SELECT -1, e.province, e.protocol, e.vendor, e.asset_id
    FROM written w JOIN situation_exposed_assets e ON e.asset_id = w.id)
  SELECT c.sign, c.province, c.protocol, c.vendor, c.asset_id FROM changes c
  WHERE sitrep_exposure_viewers(c.province) && sitrep_caller_viewers();
END
$$;
REVOKE ALL ON FUNCTION sitrep_exposure_changes FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_exposure_changes TO sitrep_app;

-- One exposure compaction step, called by the compactor (storage/situation_compaction.cc) as
-- ADMIN inside its step, under its advisory lock: folds the changes of at most `max_assets`
-- asset writes past the asset cursor and below `upto` into the counts and the remembered
-- assets, and moves the asset cursor to the last of them. Returns how many asset writes it
-- folded (0: caught up).
CREATE FUNCTION sitrep_compact_exposure(upto_xid xid8, upto_seq bigint, max_assets bigint)
  RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET enable_seqscan = off SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
  from_xid xid8;
  from_seq bigint;
  end_xid xid8;
  end_seq bigint;
  moved bigint;
BEGIN
  SELECT c.asset_feed_xid, c.asset_feed_seq INTO from_xid, from_seq FROM situation_cursor c;
  -- The step ends at its last write: every write at or before that position is in it.
  SELECT count(*) OVER (), s.feed_xid, s.feed_seq INTO moved, end_xid, end_seq
  FROM (SELECT a.feed_xid, a.feed_seq FROM assets a
        WHERE (a.feed_xid, a.feed_seq) > (from_xid, from_seq)
          AND (a.feed_xid, a.feed_seq) <= (upto_xid, upto_seq)
        ORDER BY a.feed_xid, a.feed_seq LIMIT max_assets) AS s
  ORDER BY s.feed_xid DESC, s.feed_seq DESC LIMIT 1;
  IF moved IS NULL THEN
    RETURN 0;
  END IF;

  DROP TABLE IF EXISTS situation_exposure_step;
  CREATE TEMPORARY TABLE situation_exposure_step ON COMMIT DROP AS
  SELECT * FROM sitrep_exposure_changes(from_xid, from_seq, end_xid, end_seq);

  -- In key order, so that the compactor and nothing else locks these rows, in one order.
  INSERT INTO situation_exposure_counts AS c
  SELECT v.viewer, p.province, x.protocol, x.vendor, sum(x.sign)
  FROM situation_exposure_step x
  CROSS JOIN LATERAL unnest(sitrep_exposure_viewers(x.province)) AS v(viewer)
  CROSS JOIN LATERAL (VALUES (0), (x.province)) AS p(province)
  GROUP BY 1, 2, 3, 4 HAVING sum(x.sign) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (viewer, province, protocol, vendor) DO UPDATE SET n = c.n + EXCLUDED.n;

  DELETE FROM situation_exposed_assets e
  WHERE e.asset_id IN (SELECT x.asset_id FROM situation_exposure_step x WHERE x.sign = -1)
    AND e.asset_id NOT IN (SELECT x.asset_id FROM situation_exposure_step x WHERE x.sign = 1);
  INSERT INTO situation_exposed_assets AS e
  SELECT x.asset_id, x.province, x.protocol, x.vendor FROM situation_exposure_step x
  WHERE x.sign = 1
  ON CONFLICT (asset_id) DO UPDATE
    SET province = EXCLUDED.province, protocol = EXCLUDED.protocol, vendor = EXCLUDED.vendor;

  UPDATE situation_cursor SET asset_feed_xid = end_xid, asset_feed_seq = end_seq;
  RETURN moved;
END
$$;
REVOKE ALL ON FUNCTION sitrep_compact_exposure FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_compact_exposure TO sitrep_app;

-- Readers: row-level security by viewer on the counts.
GRANT SELECT ON situation_open_counts, situation_exposure_counts, situation_slots,
  situation_cells, situation_cursor TO sitrep_app;
ALTER TABLE situation_open_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE situation_exposure_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE situation_cells ENABLE ROW LEVEL SECURITY;
CREATE POLICY situation_open_counts_read ON situation_open_counts FOR SELECT TO sitrep_app
  USING (viewer = ANY (sitrep_caller_viewers()));
CREATE POLICY situation_exposure_counts_read ON situation_exposure_counts FOR SELECT
  TO sitrep_app USING (viewer = ANY (sitrep_caller_viewers()));
CREATE POLICY situation_cells_read ON situation_cells FOR SELECT TO sitrep_app
  USING (viewer = ANY (sitrep_caller_viewers()));
