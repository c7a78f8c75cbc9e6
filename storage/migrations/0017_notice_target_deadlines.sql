-- Each notice target carries its notice's deadline and creation time (both fixed when the
-- notice is issued), so that the situation's notice backlog (open, overdue, median delays by
-- province) reads the targets alone. Joined to notifications it was the overview's largest
-- statement: 3.9 ms a call at 3,500 open targets, most of it the join and the sort behind it.
--
-- And a target's delivery is its creation: the notice's time and issuer say when and by whom,
-- so the DELIVERED step of its history is no longer a notification_events row of its own
-- (storage/notification_store.cc shows it from the target). That row, with its three indexes and
-- three foreign-key checks, was a third of what raising an escalation notice cost the ingest
-- path, which the rules may slow by at most a tenth (issue #5).
ALTER TABLE notification_targets ADD COLUMN response_deadline timestamptz,
                                 ADD COLUMN notice_created_at timestamptz;
UPDATE notification_targets t SET response_deadline = n.response_deadline,
                                  notice_created_at = n.created_at
  FROM notifications n WHERE n.id = t.notification_id;
ALTER TABLE notification_targets ALTER COLUMN response_deadline SET NOT NULL,
                                 ALTER COLUMN notice_created_at SET NOT NULL;

-- The escalation function of 0011, its targets now with those two columns and no DELIVERED
-- event row; otherwise the same.
CREATE OR REPLACE FUNCTION sitrep_raise_escalations(notices jsonb, raised_at timestamptz)
  RETURNS TABLE (notification_id bigint, escalation_key text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  -- Other names, so that the statement's columns can never be read as these parameters.
  p_notices ALIAS FOR notices;
  p_raised_at ALIAS FOR raised_at;
BEGIN
  RETURN QUERY
    WITH rules AS (
      SELECT id FROM principals WHERE name = 'sitrep-rules'
    ), candidates AS (
      SELECT DISTINCT ON (c.key) c.*
      FROM jsonb_to_recordset(p_notices) AS c(key text, origin text, priority smallint,
                                            province integer, national boolean, title text,
                                            body text, required_action text,
                                            deadline_micros bigint, tlp text, incident_id bigint,
                                            asset_id bigint, cve_ids text[])
      WHERE c.origin IN ('INCIDENT_RULE', 'KEV_RULE')
        AND (c.origin <> 'KEV_RULE' OR EXISTS (
          SELECT 1 FROM assets a
          WHERE a.id = c.asset_id AND a.province = c.province AND a.internet_exposed
            AND a.cve_ids @> c.cve_ids))
      ORDER BY c.key
    ), raised AS (
      -- In key order, so that two transactions raising overlapping keys wait on each other in
      -- the same order instead of deadlocking.
      INSERT INTO notifications AS n (issuer_id, issuer_province, level, origin, priority, title,
                                      body, required_action, response_deadline, tlp,
                                      incident_ids, asset_ids, cve_ids, created_at,
                                      escalation_key)
      SELECT rules.id, NULL, 'NATIONAL', c.origin, c.priority, c.title, c.body,
             c.required_action, sitrep_time(c.deadline_micros), c.tlp,
             CASE WHEN c.incident_id IS NULL THEN '{}' ELSE ARRAY[c.incident_id] END,
             CASE WHEN c.asset_id IS NULL THEN '{}' ELSE ARRAY[c.asset_id] END,
             coalesce(c.cve_ids, '{}'), p_raised_at, c.key
      FROM candidates c CROSS JOIN rules
      ORDER BY c.key
      ON CONFLICT (escalation_key) DO NOTHING
      RETURNING n.id, n.escalation_key, n.response_deadline, n.created_at
    ), targets AS (
      INSERT INTO notification_targets (notification_id, province, national, response_deadline,
                                        notice_created_at)
      SELECT raised.id, c.province, c.national, raised.response_deadline, raised.created_at
      FROM raised JOIN candidates c ON c.key = raised.escalation_key
    )
    SELECT raised.id, raised.escalation_key FROM raised;
END
$$;

DELETE FROM notification_events WHERE state = 'DELIVERED';
