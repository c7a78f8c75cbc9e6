-- Automatic escalation (SPEC §5; issue #5): the server's own rules raise notices inside the
-- transaction that stores the record that calls for them, so a notice is never missed (it
-- commits with its record) and never doubled (its escalation key is unique).
--
-- How rule notices are shaped within the notification tables of 0004:
-- - They are national-level notices (national centre → provinces) issued by the principal
--   'sitrep-rules' below, whose role is NATIONAL: the rules act for the national centre.
-- - "A notice to its province" is a target (province, enterprise_id NULL, national false).
-- - "And to NATIONAL" (severity I) is a second notice of its own, with its own key and one
--   target whose `national` is true: the national centre itself is the recipient, and the
--   target's province says which province the incident is in (so the row keeps the province
--   in its key, SPEC §8). Inboxes must read such a target as the national centre's, never as
--   the province's: the restrictive policy below makes PostgreSQL hide it from everyone else.

-- Which rule raised a notice about what: 'incident:<id>:sev<n>' (and '…:national'),
-- 'asset:<id>:kev:<cve>'. A re-pushed or amended record yields the same key again, which ON
-- CONFLICT then ignores; a severity upgrade yields a new one. NULL for manual notices.
ALTER TABLE notifications ADD COLUMN escalation_key text UNIQUE;
ALTER TABLE notifications ADD CONSTRAINT notifications_escalation_key
  CHECK ((origin = 'MANUAL') = (escalation_key IS NULL));

ALTER TABLE notification_targets ADD COLUMN national boolean NOT NULL DEFAULT false;
ALTER TABLE notification_targets ADD CONSTRAINT notification_targets_national
  CHECK (NOT national OR enterprise_id IS NULL);

-- The issuer of every rule notice. It holds no token, so no one can sign in as it; its role
-- is NATIONAL rather than ADMIN so that the first-start admin bootstrap (which looks for an
-- ADMIN principal) is not fooled by it.
INSERT INTO principals (name, role, description)
VALUES ('sitrep-rules', 'NATIONAL', 'the server''s own escalation rules (SPEC §5); holds no token');

-- A national centre's target is the national centre's alone, whatever policies 0006 and later
-- give provinces and enterprises on this table (inert while row-level security is off).
CREATE POLICY notification_targets_national_only ON notification_targets AS RESTRICTIVE
  FOR ALL TO sitrep_app
  USING (NOT national OR current_setting('sitrep.role', true) IN ('NATIONAL', 'ADMIN'))
  WITH CHECK (NOT national OR current_setting('sitrep.role', true) IN ('NATIONAL', 'ADMIN'));

-- Raises the given rule notices, each with its target and DELIVERED event, at `raised_at`,
-- and returns the ones that are new; a key raised before (by this call, a concurrent one, or
-- any earlier transaction) is skipped. `notices` is a JSON array of objects with the fields
-- of the column list below (storage/escalation_store.cc writes it). A KEV notice is raised
-- only when the asset as stored (not only the observation pushed, which may be older) is
-- internet-exposed, in that province and carries the CVE.
--
-- SECURITY DEFINER: the rules write in whichever transaction stores the record (the ingest
-- writer's, or an amending enterprise's), while the row-level security of the notification
-- tables is written for people issuing notices. Only this function can raise rule notices on
-- the server role's behalf, and it raises nothing but rule notices.
CREATE FUNCTION sitrep_raise_escalations(notices jsonb, raised_at timestamptz)
  RETURNS TABLE (notification_id bigint, escalation_key text)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  WITH rules AS (
    SELECT id FROM principals WHERE name = 'sitrep-rules'
  ), candidates AS (
    SELECT DISTINCT ON (c.key) c.*
    FROM jsonb_to_recordset(notices) AS c(key text, origin text, priority smallint,
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
           coalesce(c.cve_ids, '{}'), raised_at, c.key
    FROM candidates c CROSS JOIN rules
    ORDER BY c.key
    ON CONFLICT (escalation_key) DO NOTHING
    RETURNING n.id, n.escalation_key
  ), targets AS (
    INSERT INTO notification_targets (notification_id, province, national)
    SELECT raised.id, c.province, c.national
    FROM raised JOIN candidates c ON c.key = raised.escalation_key
    RETURNING id, province, notification_id
  ), events AS (
    INSERT INTO notification_events (province, target_id, notification_id, state, principal_id,
                                     at)
    SELECT targets.province, targets.id, targets.notification_id, 'DELIVERED', rules.id,
           raised_at
    FROM targets CROSS JOIN rules
  )
  SELECT raised.id, raised.escalation_key FROM raised
$$;
REVOKE ALL ON FUNCTION sitrep_raise_escalations(jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_raise_escalations(jsonb, timestamptz) TO sitrep_app;
