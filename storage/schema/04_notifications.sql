-- Notifications (通报, SPEC §2, §5) and each target's DELIVERED → ACKNOWLEDGED →
-- FEEDBACK_SUBMITTED → CLOSED loop: who sees and changes which notice (row-level security, keyed
-- by the caller settings of 01_reference.sql); the legal target transitions; the recipients'
-- commit-ordered inbox feed and what wakes its live watchers; the notices the server's own
-- escalation rules raise; and the backlog the metrics endpoint counts.
--
-- Distribution (SPEC §8): a national bulletin fans out to many provinces, so the notice itself
-- is keyed by id alone (a Citus reference table: few rows, read by every recipient), while its
-- targets and their history carry the recipient's province in their primary key.
--
-- Parties: a national-level notice is issued by the national centre (any NATIONAL principal,
-- or the rules' principal 'sitrep-rules' below) to provinces; a provincial one by a province's
-- regulator to enterprises of that province. A province target is answered by that province's
-- regulators, an enterprise target by that enterprise.

CREATE TABLE notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  issuer_id bigint NOT NULL REFERENCES principals,
  issuer_province integer REFERENCES provinces,  -- NULL: the national centre
  level text NOT NULL CHECK (level IN ('NATIONAL', 'PROVINCIAL')),
  origin text NOT NULL DEFAULT 'MANUAL'
    CHECK (origin IN ('MANUAL', 'INCIDENT_RULE', 'KEV_RULE', 'ADVISORY_RULE')),
  priority smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),  -- a Severity: 1 = I … 4 = IV
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  required_action text NOT NULL DEFAULT '',
  response_deadline timestamptz NOT NULL,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED')),
  incident_ids bigint[] NOT NULL DEFAULT '{}',
  asset_ids bigint[] NOT NULL DEFAULT '{}',
  cve_ids text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Which rule raised a notice about what: 'incident:<id>:sev<n>' (and '…:national'),
  -- 'asset:<id>:kev:<cve>', 'asset:<id>:advisory:<tracking id>'. A re-pushed or amended
  -- record yields the same key again, which ON CONFLICT then ignores; a severity upgrade yields a new one. NULL for manual notices.
  escalation_key text UNIQUE,
  CHECK ((level = 'NATIONAL') = (issuer_province IS NULL)),
  CONSTRAINT notifications_escalation_key CHECK ((origin = 'MANUAL') = (escalation_key IS NULL))
);
-- Outboxes select by level, and a province's by level and issuer province
-- (storage/notification_store.cc, IssuedBy). Only provincial notices have an issuer province,
-- so national and rule-raised ones, the bulk of the table, need no entry there (`=` implies
-- IS NOT NULL, so the planner still uses the partial index). Nothing reads notices by
-- issuer_id, and principals are never deleted, so that foreign key needs no index: every
-- index entry is paid for by the rules inside the ingest transaction.
CREATE INDEX notifications_issuer_province ON notifications (issuer_province, id)
  WHERE issuer_province IS NOT NULL;
CREATE INDEX notifications_level ON notifications (level, id);

CREATE SEQUENCE notification_feed_seq;
GRANT USAGE ON SEQUENCE notification_feed_seq TO sitrep_app;

-- One recipient: a province (national level, enterprise_id NULL) or an enterprise of the
-- issuer's province (provincial level); either way the row has the recipient's province.
-- A target addressed to the national centre itself (`national`, raised by the rules for a
-- severity I incident) keeps the province its incident is in, so the row keeps the province in
-- its key; inboxes read it as the national centre's, never the province's (the restrictive
-- policy below hides it from everyone else).
CREATE TABLE notification_targets (
  id bigint GENERATED ALWAYS AS IDENTITY,
  notification_id bigint NOT NULL REFERENCES notifications,
  province integer NOT NULL REFERENCES provinces,
  enterprise_id bigint REFERENCES enterprises,
  state text NOT NULL DEFAULT 'DELIVERED'
    CHECK (state IN ('DELIVERED', 'ACKNOWLEDGED', 'FEEDBACK_SUBMITTED', 'CLOSED')),
  feedback text NOT NULL DEFAULT '',
  outcome text NOT NULL DEFAULT 'UNSPECIFIED' CHECK (outcome IN ('UNSPECIFIED', 'FIXED',
    'MITIGATED', 'RISK_ACCEPTED', 'NOT_APPLICABLE')),
  feedback_incident_ids bigint[] NOT NULL DEFAULT '{}',
  acknowledged_at timestamptz,
  feedback_at timestamptz,
  closed_at timestamptz,
  -- The inbox feed: the position of the transaction that last wrote the target, as incidents
  -- carry (03_records.sql), so a recipient's watch follows a gap-free cursor and sees each
  -- delivery and each change of state once, in commit order.
  feed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  feed_seq bigint NOT NULL DEFAULT nextval('notification_feed_seq'),
  national boolean NOT NULL DEFAULT false,
  -- The notice's deadline and creation time, fixed when it is issued, copied so that the
  -- situation's and the metrics' notice backlog read the targets alone. A target's creation is
  -- also its delivery: the DELIVERED step of its history is shown from these, not stored as a
  -- notification_events row (storage/notification_store.cc).
  response_deadline timestamptz NOT NULL,
  notice_created_at timestamptz NOT NULL,
  PRIMARY KEY (province, id),
  UNIQUE NULLS NOT DISTINCT (notification_id, province, enterprise_id),
  CONSTRAINT notification_targets_national CHECK (NOT national OR enterprise_id IS NULL)
);
CREATE INDEX notification_targets_enterprise ON notification_targets (enterprise_id, notification_id)
  WHERE enterprise_id IS NOT NULL;
-- Overdue scans: targets still waiting for feedback.
CREATE INDEX notification_targets_open ON notification_targets (province, notification_id)
  WHERE state IN ('DELIVERED', 'ACKNOWLEDGED');
-- The inboxes: a province's, an enterprise's, the national centre's, and all of them.
CREATE INDEX notification_targets_province_feed ON notification_targets (province, feed_xid, feed_seq)
  WHERE enterprise_id IS NULL;
CREATE INDEX notification_targets_enterprise_feed
  ON notification_targets (enterprise_id, feed_xid, feed_seq) WHERE enterprise_id IS NOT NULL;
CREATE INDEX notification_targets_national_feed ON notification_targets (feed_xid, feed_seq)
  WHERE national;
CREATE INDEX notification_targets_feed ON notification_targets (feed_xid, feed_seq);

-- Overdue (SPEC §2): the deadline has passed and the target has no feedback yet. The one home of
-- the rule: inbox and outbox reads, the overdue_only filter, the situation's and the metrics'
-- backlog all call it. Immutable, so PostgreSQL inlines it and still matches the partial index
-- notification_targets_open.
CREATE FUNCTION sitrep_notice_overdue(state text, response_deadline timestamptz,
                                      now timestamptz) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN state IN ('DELIVERED', 'ACKNOWLEDGED') AND response_deadline < now;

-- Every transition of every target after its delivery, kept forever
-- (NotificationTarget.history).
CREATE TABLE notification_events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  province integer NOT NULL,
  target_id bigint NOT NULL,
  notification_id bigint NOT NULL REFERENCES notifications,
  state text NOT NULL
    CHECK (state IN ('DELIVERED', 'ACKNOWLEDGED', 'FEEDBACK_SUBMITTED', 'CLOSED')),
  principal_id bigint NOT NULL REFERENCES principals,
  text text NOT NULL DEFAULT '',
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province, id),
  FOREIGN KEY (province, target_id) REFERENCES notification_targets (province, id)
);
CREATE INDEX notification_events_target ON notification_events (target_id, id);
CREATE INDEX notification_events_notice ON notification_events (notification_id, id);

GRANT SELECT, INSERT ON notifications, notification_events TO sitrep_app;
GRANT SELECT, INSERT, UPDATE ON notification_targets TO sitrep_app;

-- Who sees and changes which notice.

-- The issuer's province of a notice (NULL for the national centre). SECURITY DEFINER reads the
-- row past row-level security, so that the policies of notifications and notification_targets
-- may refer to each other without recursing.
CREATE FUNCTION sitrep_notice_issuer_province(notice_id bigint) RETURNS integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  RETURN (SELECT n.issuer_province FROM notifications n WHERE n.id = notice_id);

-- Whether a notice has a target addressed to the caller: its province (PROVINCIAL) or its
-- enterprise (ENTERPRISE). A national target (`national`) is the national centre's, whatever its
-- province says. SECURITY DEFINER for the same reason as above.
CREATE FUNCTION sitrep_notice_addressed_to_caller(notice_id bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  RETURN CASE current_setting('sitrep.role', true)
    WHEN 'PROVINCIAL' THEN EXISTS (
      SELECT 1 FROM notification_targets t
      WHERE t.notification_id = notice_id AND t.enterprise_id IS NULL AND NOT t.national
        AND t.province = sitrep_setting_bigint('sitrep.province'))
    WHEN 'ENTERPRISE' THEN EXISTS (
      SELECT 1 FROM notification_targets t
      WHERE t.notification_id = notice_id
        AND t.enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id'))
    ELSE false
  END;

-- SPEC §3: NATIONAL and ADMIN see every notice; PROVINCIAL(p) those addressed to p and those
-- p issued; ENTERPRISE(e) those addressed to e; COLLECTOR none.
CREATE FUNCTION sitrep_may_read_notice(notice_id bigint, issuer_province integer)
  RETURNS boolean
  LANGUAGE sql STABLE
  RETURN CASE current_setting('sitrep.role', true)
    WHEN 'ADMIN' THEN true
    WHEN 'NATIONAL' THEN true
    WHEN 'PROVINCIAL' THEN issuer_province = sitrep_setting_bigint('sitrep.province')
      OR sitrep_notice_addressed_to_caller(notice_id)
    WHEN 'ENTERPRISE' THEN sitrep_notice_addressed_to_caller(notice_id)
    ELSE false
  END;

-- A target: NATIONAL and ADMIN all; PROVINCIAL(p) its own province target and the enterprise
-- targets of the notices p issued (never another province's answer to a national bulletin);
-- ENTERPRISE(e) its own target only.
CREATE FUNCTION sitrep_may_read_notice_target(notice_id bigint, province integer,
                                              enterprise_id bigint) RETURNS boolean
  LANGUAGE sql STABLE
  RETURN CASE current_setting('sitrep.role', true)
    WHEN 'ADMIN' THEN true
    WHEN 'NATIONAL' THEN true
    WHEN 'PROVINCIAL' THEN (enterprise_id IS NULL
                            AND province = sitrep_setting_bigint('sitrep.province'))
      OR sitrep_notice_issuer_province(notice_id) = sitrep_setting_bigint('sitrep.province')
    WHEN 'ENTERPRISE' THEN enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id')
    ELSE false
  END;

-- Who may change a target: its addressee (acknowledge, feedback) or the notice's issuer
-- (close). The ingest writer (ADMIN) raises notices by rule.
CREATE FUNCTION sitrep_may_change_notice_target(notice_id bigint, province integer,
                                                enterprise_id bigint) RETURNS boolean
  LANGUAGE sql STABLE
  RETURN CASE current_setting('sitrep.role', true)
    WHEN 'ADMIN' THEN true
    WHEN 'NATIONAL' THEN sitrep_notice_issuer_province(notice_id) IS NULL
    WHEN 'PROVINCIAL' THEN (enterprise_id IS NULL
                            AND province = sitrep_setting_bigint('sitrep.province'))
      OR sitrep_notice_issuer_province(notice_id) = sitrep_setting_bigint('sitrep.province')
    WHEN 'ENTERPRISE' THEN enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id')
    ELSE false
  END;

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_targets ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_events ENABLE ROW LEVEL SECURITY;

CREATE POLICY notifications_read ON notifications FOR SELECT TO sitrep_app
  USING (sitrep_may_read_notice(id, issuer_province));
-- NATIONAL issues national-level notices, PROVINCIAL provincial ones of its own province, each
-- in its own name; ADMIN is the ingest writer raising notices by rule.
CREATE POLICY notifications_issue ON notifications FOR INSERT TO sitrep_app
  WITH CHECK (current_setting('sitrep.role', true) = 'ADMIN'
              OR (current_setting('sitrep.role', true) = 'NATIONAL' AND level = 'NATIONAL'
                  AND issuer_id = sitrep_setting_bigint('sitrep.principal_id'))
              OR (current_setting('sitrep.role', true) = 'PROVINCIAL' AND level = 'PROVINCIAL'
                  AND issuer_province = sitrep_setting_bigint('sitrep.province')
                  AND issuer_id = sitrep_setting_bigint('sitrep.principal_id')));

CREATE POLICY notification_targets_read ON notification_targets FOR SELECT TO sitrep_app
  USING (sitrep_may_read_notice_target(notification_id, province, enterprise_id));
-- National notices go to provinces, provincial ones to enterprises of the issuer's province.
CREATE POLICY notification_targets_issue ON notification_targets FOR INSERT TO sitrep_app
  WITH CHECK (current_setting('sitrep.role', true) = 'ADMIN'
              OR (current_setting('sitrep.role', true) = 'NATIONAL' AND enterprise_id IS NULL
                  AND sitrep_notice_issuer_province(notification_id) IS NULL)
              OR (current_setting('sitrep.role', true) = 'PROVINCIAL'
                  AND enterprise_id IS NOT NULL
                  AND province = sitrep_setting_bigint('sitrep.province')
                  AND sitrep_notice_issuer_province(notification_id)
                      = sitrep_setting_bigint('sitrep.province')));
CREATE POLICY notification_targets_change ON notification_targets FOR UPDATE TO sitrep_app
  USING (sitrep_may_change_notice_target(notification_id, province, enterprise_id));

-- A step of a target's history is as visible as the target, and is written by whoever took it.
CREATE POLICY notification_events_read ON notification_events FOR SELECT TO sitrep_app
  USING (EXISTS (SELECT 1 FROM notification_targets t
                 WHERE t.province = notification_events.province
                   AND t.id = notification_events.target_id));
CREATE POLICY notification_events_write ON notification_events FOR INSERT TO sitrep_app
  WITH CHECK (current_setting('sitrep.role', true) = 'ADMIN'
              OR (principal_id = sitrep_setting_bigint('sitrep.principal_id')
                  AND sitrep_may_change_notice_target(
                        notification_id, province,
                        (SELECT t.enterprise_id FROM notification_targets t
                         WHERE t.province = notification_events.province
                           AND t.id = notification_events.target_id))));

-- A national centre's target is the national centre's alone, whatever the policies above give
-- provinces and enterprises on this table.
CREATE POLICY notification_targets_national_only ON notification_targets AS RESTRICTIVE
  FOR ALL TO sitrep_app
  USING (NOT national OR current_setting('sitrep.role', true) IN ('NATIONAL', 'ADMIN'))
  WITH CHECK (NOT national OR current_setting('sitrep.role', true) IN ('NATIONAL', 'ADMIN'));

-- DELIVERED → ACKNOWLEDGED → FEEDBACK_SUBMITTED, and any open state → CLOSED by the issuer;
-- nothing else, whoever writes (notifications/notice_rules.cc decides first). A change
-- moves the target to the end of the inbox feed.
CREATE FUNCTION sitrep_notice_target_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state IS DISTINCT FROM OLD.state AND NOT (
       (OLD.state = 'DELIVERED' AND NEW.state = 'ACKNOWLEDGED')
    OR (OLD.state = 'ACKNOWLEDGED' AND NEW.state = 'FEEDBACK_SUBMITTED')
    OR (OLD.state <> 'CLOSED' AND NEW.state = 'CLOSED')) THEN
    RAISE EXCEPTION 'notice target % cannot go from % to %', OLD.id, OLD.state, NEW.state
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.notification_id <> OLD.notification_id OR NEW.province <> OLD.province
     OR NEW.enterprise_id IS DISTINCT FROM OLD.enterprise_id THEN
    RAISE EXCEPTION 'notice target % cannot change its recipient', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.feed_xid := pg_current_xact_id();
  NEW.feed_seq := nextval('notification_feed_seq');
  RETURN NEW;
END
$$;
CREATE TRIGGER notification_targets_changed BEFORE UPDATE ON notification_targets
  FOR EACH ROW EXECUTE FUNCTION sitrep_notice_target_changed();

-- Live inbox watchers hear deliveries and changes on the feed channel of 03_records.sql
-- (storage/feed_listener.cc tells the tables apart).
CREATE TRIGGER notification_targets_notify_feed AFTER INSERT OR UPDATE ON notification_targets
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_notify_feed();

-- Automatic escalation (SPEC §5; issue #5): the server's own rules raise notices inside the
-- transaction that stores the record that calls for them, so a notice is never missed (it
-- commits with its record) and never doubled (its escalation key is unique).

-- The issuer of every rule notice. It holds no token, so no one can sign in as it; its role
-- is NATIONAL rather than ADMIN so that the first-start admin bootstrap (which looks for an
-- ADMIN principal) is not fooled by it.
INSERT INTO principals (name, role, description)
VALUES ('sitrep-rules', 'NATIONAL', 'the server''s own escalation rules (SPEC §5); holds no token');

-- Raises the given rule notices, each with its target, at `raised_at`,
-- and returns the ones that are new; a key raised before (by this call, a concurrent one, or
-- any earlier transaction) is skipped. `notices` is a JSON array of objects with the fields
-- of the column list below (storage/escalation_store.cc writes it). A KEV notice is raised
-- only when the asset as stored (not only the observation pushed, which may be older) is
-- internet-exposed, in that province and carries the CVE; an advisory notice only when the
-- asset as stored is internet-exposed in that province, the advisory MATCHes it
-- (asset_advisory_matches) and the advisory raises notices (sitrep_advisory_raises_notice,
-- 07_vulns.sql).
--
-- SECURITY DEFINER: the rules write in whichever transaction stores the record (the ingest
-- writer's, or an amending enterprise's), while the row-level security of the notification
-- tables is written for people issuing notices. Only this function can raise rule notices on
-- the server role's behalf, and it raises nothing but rule notices. PL/pgSQL rather than SQL:
-- PL/pgSQL keeps the plan for the life of the connection, where a non-inlinable SQL function
-- plans its statement on every call, and every ingest group that escalates calls it.
CREATE FUNCTION sitrep_raise_escalations(notices jsonb, raised_at timestamptz)
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
                                            asset_id bigint, cve_ids text[],
                                            advisory_id bigint)
      WHERE c.origin IN ('INCIDENT_RULE', 'KEV_RULE', 'ADVISORY_RULE')
        AND (c.origin <> 'KEV_RULE' OR EXISTS (
          SELECT 1 FROM assets a
          WHERE a.id = c.asset_id AND a.province = c.province AND a.internet_exposed
            AND a.cve_ids @> c.cve_ids))
        AND (c.origin <> 'ADVISORY_RULE' OR EXISTS (
          SELECT 1 FROM asset_advisory_matches m
          JOIN assets a ON a.province = m.province AND a.id = m.asset_id
          JOIN advisories v ON v.id = m.advisory_id
          WHERE m.asset_id = c.asset_id AND m.advisory_id = c.advisory_id
            AND m.verdict = 'MATCH' AND a.province = c.province AND a.internet_exposed
            AND sitrep_advisory_raises_notice(v.cve_ids, v.max_cvss)))
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
REVOKE ALL ON FUNCTION sitrep_raise_escalations(jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_raise_escalations(jsonb, timestamptz) TO sitrep_app;

-- The metrics endpoint's notice backlog (sitrep_notifications_open / _overdue), counted by the
-- tables' owner from the targets alone: under the app role row-level security would call its
-- policy functions for every target row. A target's level follows from whom it addresses: the
-- national centre notifies provinces (enterprise_id NULL, including its own national targets),
-- a province notifies enterprises (notifications/notice_rules.cc refuses anything else, and
-- rule-raised notices are national). Returns counts only, never a row, and only the server's
-- role may call it.
CREATE FUNCTION sitrep_notice_backlog(now timestamptz)
  RETURNS TABLE (level text, province integer, open bigint, overdue bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT CASE WHEN t.enterprise_id IS NULL THEN 'NATIONAL' ELSE 'PROVINCIAL' END, t.province,
         count(*),
         count(*) FILTER (WHERE sitrep_notice_overdue(t.state, t.response_deadline, now))
  FROM notification_targets t
  WHERE t.state <> 'CLOSED'
  GROUP BY 1, 2 ORDER BY 1, 2
$$;
REVOKE ALL ON FUNCTION sitrep_notice_backlog(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_notice_backlog(timestamptz) TO sitrep_app;
