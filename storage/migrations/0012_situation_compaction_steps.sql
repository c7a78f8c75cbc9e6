-- Compaction in small steps (issue #5 follow-up). 0008's sitrep_compact_situation moved every
-- waiting delta in one transaction; after a bulk load that is minutes, and every feed stops at
-- the oldest running transaction (0005's window), so no page and no watch could move past the
-- compactor meanwhile. Now one call moves at most 300 deltas of each kind (tens of
-- milliseconds); the server calls again while a call finds a full step (server/feeds
-- situation_compactor.cc). Readers are unaffected: they still add every waiting delta.

CREATE OR REPLACE FUNCTION sitrep_compact_situation() RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  moved bigint;
  part bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('sitrep_compact_situation')) THEN
    RETURN -1;
  END IF;

  -- Incidents: hour rows first; day rows are the hour rows' changes summed by day.
  DROP TABLE IF EXISTS situation_merged, situation_hours;
  CREATE TEMPORARY TABLE situation_merged ON COMMIT DROP AS
  WITH taken AS (DELETE FROM situation_incident_deltas WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM situation_incident_deltas LIMIT 300)) RETURNING *)
  SELECT hour, province, sector, category, severity, tlp, sharing_scope, sum(n)::bigint AS n
  FROM taken GROUP BY 1, 2, 3, 4, 5, 6, 7;
  GET DIAGNOSTICS moved = ROW_COUNT;
  CREATE TEMPORARY TABLE situation_hours ON COMMIT DROP AS
  SELECT v.viewer, p.province, m.hour AS bucket, d.dimension, d.value, m.severity,
         sum(m.n)::bigint AS n
  FROM situation_merged m
  CROSS JOIN LATERAL unnest(sitrep_situation_viewers(m.province, m.sector, m.tlp,
                                                     m.sharing_scope)) AS v(viewer)
  CROSS JOIN LATERAL (VALUES (0), (m.province)) AS p(province)
  CROSS JOIN LATERAL (VALUES ('province', m.province::text), ('sector', m.sector),
                             ('category', m.category)) AS d(dimension, value)
  GROUP BY 1, 2, 3, 4, 5, 6;

  -- In key order, so that the compactor and nothing else locks these rows, in one order.
  INSERT INTO situation_incident_counts AS c
  SELECT viewer, province, 'h', bucket, dimension, value, severity, n
  FROM situation_hours WHERE n <> 0
  ORDER BY viewer, province, bucket, dimension, value, severity
  ON CONFLICT (viewer, province, grain, bucket, dimension, value, severity)
  DO UPDATE SET n = c.n + EXCLUDED.n;
  INSERT INTO situation_incident_counts AS c
  SELECT viewer, province, 'd', sitrep_situation_day(bucket), dimension, value, severity, sum(n)
  FROM situation_hours GROUP BY 1, 2, 4, 5, 6, 7 HAVING sum(n) <> 0
  ORDER BY 1, 2, 4, 5, 6, 7
  ON CONFLICT (viewer, province, grain, bucket, dimension, value, severity)
  DO UPDATE SET n = c.n + EXCLUDED.n;

  -- Open incidents by enterprise: regulators' viewers only (an enterprise sees other victims'
  -- incidents redacted, so no enterprise viewer ever counts by enterprise).
  WITH taken AS (DELETE FROM situation_open_deltas WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM situation_open_deltas LIMIT 300)) RETURNING *),
  counted AS (
    SELECT v.viewer, t.province, t.enterprise_id, sum(t.n) AS n
    FROM taken t
    CROSS JOIN LATERAL unnest(sitrep_situation_viewers(t.province, t.sector, t.tlp,
                                                       t.sharing_scope)) AS v(viewer)
    WHERE v.viewer NOT LIKE 'E%'
    GROUP BY 1, 2, 3),
  written AS (
    INSERT INTO situation_open_counts AS c
    SELECT viewer, province, enterprise_id, n FROM counted WHERE n <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (viewer, province, enterprise_id) DO UPDATE SET n = c.n + EXCLUDED.n)
  SELECT count(*) INTO part FROM taken;
  moved := moved + part;

  -- Exposure: the national centre and the asset's province (SPEC §3: assets carry no scope).
  WITH taken AS (DELETE FROM situation_exposure_deltas WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM situation_exposure_deltas LIMIT 300)) RETURNING *),
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
  SELECT count(*) INTO part FROM taken;
  moved := moved + part;
  RETURN moved;
END
$$;
