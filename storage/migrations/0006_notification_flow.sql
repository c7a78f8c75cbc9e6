-- The notification loop (SPEC §2 Notification, §3, §4 NotificationService; issue #5): who sees
-- and changes which notice, enforced by row-level security keyed by the per-request settings of
-- 0005_feeds.sql; the legal target transitions as a second wall behind notifications/; the
-- recipients' commit-ordered inbox feed and the notifications that wake its live watchers.
--
-- Parties: a national-level notice is issued by the national centre (any NATIONAL principal,
-- or a system principal raising it by rule) to provinces; a provincial one by a province's
-- regulator to enterprises of that province. A province target is answered by that province's
-- regulators, an enterprise target by that enterprise.

-- The issuer's province of a notice (NULL for the national centre). SECURITY DEFINER reads the
-- row past row-level security, so that the policies of notifications and notification_targets
-- may refer to each other without recursing.
CREATE FUNCTION sitrep_notice_issuer_province(notice_id bigint) RETURNS integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  RETURN (SELECT n.issuer_province FROM notifications n WHERE n.id = notice_id);

-- Whether a notice has a target addressed to the caller: its province (PROVINCIAL) or its
-- enterprise (ENTERPRISE). SECURITY DEFINER for the same reason as above.
CREATE FUNCTION sitrep_notice_addressed_to_caller(notice_id bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  RETURN CASE current_setting('sitrep.role', true)
    WHEN 'PROVINCIAL' THEN EXISTS (
      SELECT 1 FROM notification_targets t
      WHERE t.notification_id = notice_id AND t.enterprise_id IS NULL
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

-- The inbox feed: every target row carries the position of the transaction that last wrote
-- it, as incidents do (0003_records.sql, 0005_feeds.sql), so a recipient's watch follows a
-- gap-free cursor and sees each delivery and each change of state once, in commit order.
CREATE SEQUENCE notification_feed_seq;
GRANT USAGE ON SEQUENCE notification_feed_seq TO sitrep_app;
ALTER TABLE notification_targets
  ADD COLUMN feed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  ADD COLUMN feed_seq bigint NOT NULL DEFAULT nextval('notification_feed_seq');
CREATE INDEX notification_targets_province_feed ON notification_targets (province, feed_xid, feed_seq)
  WHERE enterprise_id IS NULL;
CREATE INDEX notification_targets_enterprise_feed
  ON notification_targets (enterprise_id, feed_xid, feed_seq) WHERE enterprise_id IS NOT NULL;
CREATE INDEX notification_targets_feed ON notification_targets (feed_xid, feed_seq);
-- The outbox and the targets of one notice.
CREATE INDEX notifications_level ON notifications (level, id);
CREATE INDEX notification_events_notice ON notification_events (notification_id, id);

-- DELIVERED → ACKNOWLEDGED → FEEDBACK_SUBMITTED, and any open state → CLOSED by the issuer;
-- nothing else, whoever writes (notifications/transition_rules.cc decides first). A change
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

-- Live inbox watchers hear deliveries and changes on the feed channel of 0005_feeds.sql
-- (storage/feed_listener.cc tells the tables apart).
CREATE TRIGGER notification_targets_notify_feed AFTER INSERT OR UPDATE ON notification_targets
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_notify_feed();
