-- The situation rollups read the feed instead of being fed by triggers (issue #5 follow-up).
--
-- 0008 kept the incident rollups with statement triggers: every insert appended one delta per
-- (hour, province, sector, category, severity, TLP, scope) it touched, and a compactor fanned
-- each delta out to a few dozen keyed count rows. At national density (hundreds of thousands of
-- incidents a day) almost every incident is its own delta, so the triggers cost ingest ~8 µs a
-- row and the fan-out ~2 ms a delta: compaction could never keep up, and readers summed
-- millions of waiting deltas.
--
-- Now nothing runs on the ingest path. The incident table already says, in commit-safe order,
-- what changed: the feed position (feed_xid, feed_seq) of every revision (0005). The compactor
-- (storage/situation_store.cc) reads the revisions past its cursor up to the feed horizon,
-- fans them out in the server and folds them into:
--   situation_cells: one row per (viewer, province, grain, bucket) holding every count of that
--     bucket as an array indexed by situation_slots ((dimension, value, severity) → position),
--     so a 30-day overview reads a few dozen rows and a step of a busy hour writes a few hundred;
--   situation_open_counts (0008): open incidents by enterprise, for "top enterprises";
-- and moves its cursor in the same transaction.
--
-- Exactness, by telescoping: each revision r counts +r − pred(r), where pred(r) is revision
-- r − 1 (kept in incident_revisions). Summed over all revisions of an incident this is its
-- current revision, whatever order the positions came in. The rollups hold that sum for every
-- revision at or before the cursor; a reader adds it for every revision past the cursor that its
-- snapshot sees (the tail, indexed by feed position). So every answer is exact as of its
-- snapshot, compacted or not. Viewers and row-level security are as in 0008.

DROP TRIGGER incidents_situation_inserted ON incidents;
DROP TRIGGER incidents_situation_updated ON incidents;
DROP FUNCTION sitrep_situation_incidents_inserted();
DROP FUNCTION sitrep_situation_incidents_updated();
DROP TABLE situation_incident_deltas, situation_open_deltas, situation_incident_counts;
TRUNCATE situation_open_counts;  -- counted again from the start of the feed

-- The tail's superseded revisions, by feed position.
CREATE INDEX incident_revisions_feed ON incident_revisions (feed_xid, feed_seq);

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

-- How far the rollups have read the feed: every revision at or before this position is in.
CREATE TABLE situation_cursor (
  feed_xid xid8 NOT NULL,
  feed_seq bigint NOT NULL,
  single boolean PRIMARY KEY DEFAULT true CHECK (single)
);
INSERT INTO situation_cursor (feed_xid, feed_seq) VALUES ('0', 0);

-- The changes of the rollups between two feed positions (after, upto]: every incident revision
-- in that range, whether still current in incidents or superseded in incident_revisions, with
-- sign +1, and the revision each of them replaced with sign −1; only those the caller's
-- viewers cover (0008), so nothing is counted that the caller may not read. SECURITY DEFINER
-- because a replaced revision must be subtracted even when its successor is hidden from the
-- caller. `open_enterprise_id` is the enterprise of an open incident, for regulators only.
-- The compactor (as ADMIN, viewer 'N') reads every change; a reader reads past the cursor.
CREATE FUNCTION sitrep_situation_changes(after_xid xid8, after_seq bigint, upto_xid xid8,
                                         upto_seq bigint)
  RETURNS TABLE (sign integer, province integer, at timestamptz, sector text, category text,
                 severity smallint, tlp text, sharing_scope text, open_enterprise_id bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  -- The planner estimates a range of (xid, seq) row comparisons from the xid alone, and one
  -- bulk transaction holds 100,000 rows of one xid: it would scan the table for a step of
  -- them. The feed index is always the right way to a range of positions.
  SET search_path = public, pg_temp SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH added AS (
    SELECT r.province, r.id, r.revision,
           coalesce(r.occurred_at, r.detected_at, r.received_at) AS at, r.sector, r.category, r.severity, r.tlp, r.sharing_scope, r.enterprise_id, r.status
    FROM incidents r
    WHERE (r.feed_xid, r.feed_seq) > (after_xid, after_seq)
      AND (r.feed_xid, r.feed_seq) <= (upto_xid, upto_seq)
    UNION ALL
    SELECT r.province, r.id, r.revision,
           coalesce(r.occurred_at, r.detected_at, r.received_at) AS at, r.sector, r.category, r.severity, r.tlp, r.sharing_scope, r.enterprise_id, r.status
    FROM incident_revisions r
    WHERE (r.feed_xid, r.feed_seq) > (after_xid, after_seq)
      AND (r.feed_xid, r.feed_seq) <= (upto_xid, upto_seq)),
  changes (sign, province, at, sector, category, severity, tlp, sharing_scope, enterprise_id,
           status) AS (
    SELECT 1, a.province, a.at, a.sector, a.category, a.severity, a.tlp, a.sharing_scope,
           a.enterprise_id, a.status
    FROM added a
    UNION ALL
    SELECT -1, p.province, coalesce(p.occurred_at, p.detected_at, p.received_at), p.sector,
           p.category, p.severity, p.tlp, p.sharing_scope, p.enterprise_id, p.status
    FROM added a JOIN incident_revisions p
      ON p.province = a.province AND p.id = a.id AND p.revision = a.revision - 1)
  SELECT c.sign, c.province, c.at, c.sector,
         c.category, c.severity, c.tlp, c.sharing_scope,
         CASE WHEN c.status IN ('REPORTED', 'CONFIRMED', 'HANDLING')
                   AND current_setting('sitrep.role', true) IN ('ADMIN', 'NATIONAL', 'PROVINCIAL')
              THEN c.enterprise_id END
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

-- Exposure keeps 0008's asset triggers and deltas (assets are few and change slowly); the
-- compaction function now moves those alone.
CREATE OR REPLACE FUNCTION sitrep_compact_situation() RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  moved bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('sitrep_compact_exposure')) THEN
    RETURN -1;
  END IF;
  WITH taken AS (DELETE FROM situation_exposure_deltas WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM situation_exposure_deltas LIMIT 5000)) RETURNING *),
  counted AS (
    SELECT v.viewer, p.province, t.protocol, t.vendor, sum(t.n) AS n
    FROM taken t
    CROSS JOIN LATERAL (VALUES ('N'), ('P:' || t.province)) AS v(viewer)
    CROSS JOIN LATERAL (VALUES (0), (t.province)) AS p(province)
    GROUP BY 1, 2, 3, 4),
  written AS (
    INSERT INTO situation_exposure_counts AS c
    SELECT viewer, province, protocol, vendor, n FROM counted WHERE n <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (viewer, province, protocol, vendor) DO UPDATE SET n = c.n + EXCLUDED.n)
  SELECT count(*) INTO moved FROM taken;
  RETURN moved;
END
$$;

GRANT SELECT ON situation_slots, situation_cells, situation_cursor TO sitrep_app;
ALTER TABLE situation_cells ENABLE ROW LEVEL SECURITY;
CREATE POLICY situation_cells_read ON situation_cells FOR SELECT TO sitrep_app
  USING (viewer = ANY (sitrep_caller_viewers()));
