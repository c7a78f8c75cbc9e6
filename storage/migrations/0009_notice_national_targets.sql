-- Targets addressed to the national centre itself (notification_targets.national, 0007): such
-- a target's province says where its incident is, not who answers it. The restrictive policy
-- of 0007 hides the row from provinces and enterprises; this makes the SECURITY DEFINER lookup
-- of 0006, which reads past row-level security, agree: a province is not the addressee of a
-- national target, so the national centre's own notice stays out of the province's sight.
CREATE OR REPLACE FUNCTION sitrep_notice_addressed_to_caller(notice_id bigint) RETURNS boolean
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

-- The national centre's inbox.
CREATE INDEX notification_targets_national_feed ON notification_targets (feed_xid, feed_seq)
  WHERE national;
