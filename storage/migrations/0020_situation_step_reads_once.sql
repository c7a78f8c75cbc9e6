-- A compaction step reads its revisions once (issue #3: the compactor shares the two cores with
-- the ingest writers). Until now a step first found where it ends, the position of the
-- max_revisions-th current revision past the cursor (an ordered scan of that many rows of the
-- feed index, each checked against the heap while the rows are fresh), and then read the same
-- rows again through sitrep_situation_changes: a third of the compactor's time under ingest.
--
-- Now sitrep_situation_changes takes the step's size itself and says where each change stands:
-- with `max_revisions`, it reads at most that many current revisions in feed order, and the
-- superseded ones up to the last of those; every change carries the feed position of the
-- revision that made it (a replaced revision's −1 that of its successor). The highest position
-- returned is then where the step ends: every revision at or before it is in the step. Without
-- `max_revisions` (the readers' tail past the cursor) it returns what it returned before.
-- (Reading each row once saved less than hoped: the second read found the rows' hint bits
-- already set by the first. Most of the gain is the parallel workers' below.)
DROP FUNCTION sitrep_situation_changes(xid8, bigint, xid8, bigint);
CREATE FUNCTION sitrep_situation_changes(after_xid xid8, after_seq bigint, upto_xid xid8,
                                         upto_seq bigint, max_revisions bigint DEFAULT NULL)
  RETURNS TABLE (sign integer, province integer, at timestamptz, sector text, category text,
                 severity smallint, tlp text, sharing_scope text, open_enterprise_id bigint,
                 change_xid xid8, change_seq bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  -- As in 0014: the feed index is always the right way to a range of positions. And no
  -- parallel workers: the planner ran a step's scan in parallel, each worker a process started
  -- for a few milliseconds' work on cores the ingest writers need (1.5 % of all CPU in an
  -- ingest run, 3.4 % with the rules on, and outside the compactor's pacing, which times only
  -- its own process).
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
