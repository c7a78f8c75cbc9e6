-- The situation overview (SPEC §3, §4 FeedService.GetSituation, §7; issue #5): counts kept up
-- to date by the writes themselves, so that an overview of 30 days reads a few thousand rollup
-- rows instead of scanning millions of incidents.
--
-- Two stages, so that writers never contend:
-- 1. Statement-level triggers with transition tables append the grouped counts of each writing
--    statement to *_deltas tables (+1 for rows inserted, −1/+1 for the old and new image of
--    rows updated, so amendments move counts). Append-only: two writer connections committing
--    at once never touch the same row, never wait for each other and cannot deadlock.
-- 2. sitrep_compact_situation(), run by the server in the background, moves the deltas into
--    the keyed *_counts tables in one transaction (DELETE … RETURNING, then INSERT … ON
--    CONFLICT in key order, one compactor at a time). A reader adds the rows still in the
--    deltas to what it reads from the counts, in one statement, so every answer is exact as of
--    its snapshot whether or not compaction has run.
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
-- (always 'N', one of 'S' / 'P:<province>', and at most one of 'E' / 'E:<sector>').
CREATE FUNCTION sitrep_situation_viewers(province integer, sector text, tlp text,
                                         sharing_scope text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY['N', CASE WHEN sharing_scope <> 'PROVINCE' AND tlp NOT IN ('RED', 'AMBER_STRICT')
                         THEN 'S' ELSE 'P:' || province END]
    || CASE WHEN tlp NOT IN ('CLEAR', 'GREEN') THEN '{}'::text[]
            WHEN sharing_scope = 'PUBLIC' THEN ARRAY['E']
            WHEN sharing_scope = 'SECTOR' THEN ARRAY['E:' || sector]
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

-- Stage 1: deltas, unkeyed and append-only.
CREATE TABLE situation_incident_deltas (
  hour timestamptz NOT NULL,
  province integer NOT NULL,
  sector text NOT NULL,
  category text NOT NULL,
  severity smallint NOT NULL,
  tlp text NOT NULL,
  sharing_scope text NOT NULL,
  n bigint NOT NULL
);
-- Open incidents (REPORTED, CONFIRMED, HANDLING) of named enterprises, for "top enterprises".
CREATE TABLE situation_open_deltas (
  province integer NOT NULL,
  enterprise_id bigint NOT NULL,
  sector text NOT NULL,
  tlp text NOT NULL,
  sharing_scope text NOT NULL,
  n bigint NOT NULL
);
-- Internet-exposed assets by protocol and vendor.
CREATE TABLE situation_exposure_deltas (
  province integer NOT NULL,
  protocol text NOT NULL,
  vendor text NOT NULL,
  n bigint NOT NULL
);

-- Stage 2: compacted counts. `province` 0 holds the sum over every province, so that an
-- overview without a province filter reads one row per cell instead of one per province. A cell
-- that amendments emptied stays with n = 0 (readers skip it) rather than costing a delete.
CREATE TABLE situation_incident_counts (
  viewer text NOT NULL,
  province integer NOT NULL,
  grain "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket timestamptz NOT NULL,
  dimension text NOT NULL CHECK (dimension IN ('province', 'sector', 'category')),
  value text NOT NULL,
  severity smallint NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (viewer, province, grain, bucket, dimension, value, severity)
);
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

-- The triggers. SECURITY DEFINER: the writer (the app role) needs no right on the rollup
-- tables, and nothing but these functions can add to them. Transition tables allow one event
-- per trigger, hence one function per event.
CREATE FUNCTION sitrep_situation_incidents_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO situation_incident_deltas
  SELECT date_trunc('hour', coalesce(occurred_at, detected_at, received_at), 'UTC'), province,
         sector, category, severity, tlp, sharing_scope, count(*)
  FROM inserted_rows GROUP BY 1, 2, 3, 4, 5, 6, 7;
  INSERT INTO situation_open_deltas
  SELECT province, enterprise_id, sector, tlp, sharing_scope, count(*)
  FROM inserted_rows
  WHERE enterprise_id IS NOT NULL AND status IN ('REPORTED', 'CONFIRMED', 'HANDLING')
  GROUP BY 1, 2, 3, 4, 5;
  RETURN NULL;
END
$$;

CREATE FUNCTION sitrep_situation_incidents_updated() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO situation_incident_deltas
  SELECT hour, province, sector, category, severity, tlp, sharing_scope, sum(n)
  FROM (SELECT date_trunc('hour', coalesce(occurred_at, detected_at, received_at), 'UTC') AS hour,
               province, sector, category, severity, tlp, sharing_scope, -1 AS n
        FROM old_rows
        UNION ALL
        SELECT date_trunc('hour', coalesce(occurred_at, detected_at, received_at), 'UTC'),
               province, sector, category, severity, tlp, sharing_scope, 1
        FROM new_rows) AS changes
  GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0;
  INSERT INTO situation_open_deltas
  SELECT province, enterprise_id, sector, tlp, sharing_scope, sum(n)
  FROM (SELECT province, enterprise_id, sector, tlp, sharing_scope, -1 AS n FROM old_rows
        WHERE enterprise_id IS NOT NULL AND status IN ('REPORTED', 'CONFIRMED', 'HANDLING')
        UNION ALL
        SELECT province, enterprise_id, sector, tlp, sharing_scope, 1 FROM new_rows
        WHERE enterprise_id IS NOT NULL AND status IN ('REPORTED', 'CONFIRMED', 'HANDLING'))
       AS changes
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0;
  RETURN NULL;
END
$$;

CREATE FUNCTION sitrep_situation_assets_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO situation_exposure_deltas
  SELECT province, protocol, vendor, count(*) FROM inserted_rows WHERE internet_exposed
  GROUP BY 1, 2, 3;
  RETURN NULL;
END
$$;

CREATE FUNCTION sitrep_situation_assets_updated() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO situation_exposure_deltas
  SELECT province, protocol, vendor, sum(n)
  FROM (SELECT province, protocol, vendor, -1 AS n FROM old_rows WHERE internet_exposed
        UNION ALL
        SELECT province, protocol, vendor, 1 FROM new_rows WHERE internet_exposed) AS changes
  GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
  RETURN NULL;
END
$$;

CREATE TRIGGER incidents_situation_inserted AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_situation_incidents_inserted();
CREATE TRIGGER incidents_situation_updated AFTER UPDATE ON incidents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_situation_incidents_updated();
CREATE TRIGGER assets_situation_inserted AFTER INSERT ON assets
  REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_situation_assets_inserted();
CREATE TRIGGER assets_situation_updated AFTER UPDATE ON assets
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_situation_assets_updated();

-- Moves every delta visible to this transaction into the counts; returns the number of
-- (grouped) delta rows moved, or -1 when another compaction holds the lock (it will move them). Deltas that
-- commit meanwhile stay for the next run. Deleting and adding in one transaction means a reader
-- always finds each delta either in the deltas or in the counts, never in both or neither.
CREATE FUNCTION sitrep_compact_situation() RETURNS bigint
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
  WITH taken AS (DELETE FROM situation_incident_deltas RETURNING *)
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
  WITH taken AS (DELETE FROM situation_open_deltas RETURNING *),
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
  WITH taken AS (DELETE FROM situation_exposure_deltas RETURNING *),
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
REVOKE ALL ON FUNCTION sitrep_compact_situation() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_compact_situation() TO sitrep_app;

-- Readers: row-level security by viewer on the counts, and the SPEC §3 functions of
-- 0005_feeds.sql on the deltas (with no reporter or enterprise, so only sharing can open a
-- row to an enterprise, and a collector sees none).
GRANT SELECT ON situation_incident_deltas, situation_open_deltas, situation_exposure_deltas,
  situation_incident_counts, situation_open_counts, situation_exposure_counts TO sitrep_app;
ALTER TABLE situation_incident_deltas ENABLE ROW LEVEL SECURITY;
ALTER TABLE situation_open_deltas ENABLE ROW LEVEL SECURITY;
ALTER TABLE situation_exposure_deltas ENABLE ROW LEVEL SECURITY;
ALTER TABLE situation_incident_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE situation_open_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE situation_exposure_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY situation_incident_deltas_read ON situation_incident_deltas FOR SELECT
  TO sitrep_app
  USING (sitrep_may_read_incident(province, NULL, NULL, sector, tlp, sharing_scope));
CREATE POLICY situation_open_deltas_read ON situation_open_deltas FOR SELECT TO sitrep_app
  USING (current_setting('sitrep.role', true) IN ('ADMIN', 'NATIONAL', 'PROVINCIAL')
         AND sitrep_may_read_incident(province, NULL, NULL, sector, tlp, sharing_scope));
CREATE POLICY situation_exposure_deltas_read ON situation_exposure_deltas FOR SELECT
  TO sitrep_app
  USING (sitrep_may_read_asset(province, NULL, NULL));
CREATE POLICY situation_incident_counts_read ON situation_incident_counts FOR SELECT
  TO sitrep_app USING (viewer = ANY (sitrep_caller_viewers()));
CREATE POLICY situation_open_counts_read ON situation_open_counts FOR SELECT TO sitrep_app
  USING (viewer = ANY (sitrep_caller_viewers()));
CREATE POLICY situation_exposure_counts_read ON situation_exposure_counts FOR SELECT
  TO sitrep_app USING (viewer = ANY (sitrep_caller_viewers()));
