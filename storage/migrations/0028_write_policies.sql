-- Row-level security as a wall for writes: every incident and asset row is written under the
-- settings of the principal that reports it (storage/transaction.cc SetCaller; the ingest
-- writer sets each batch's caller before its rows), and the policies admit exactly what the
-- C++ rule admits (ingest/write_permission.cc CheckMayWrite for new records, CheckMayAmend for
-- amendments). Nobody writes records as ADMIN: notices raised by rule go through the
-- SECURITY DEFINER function of the escalation migration.

-- Whether the caller may write a record of `province` about `enterprise_id` (NULL: none)
-- reported by `reporter_id` (SPEC §1): its own records only; a provincial collector in its own
-- province, a national one (province 0) in any; an enterprise about itself (or no enterprise)
-- and in its own province.
CREATE FUNCTION sitrep_may_write_record(province integer, reporter_id bigint,
                                        enterprise_id bigint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN reporter_id = sitrep_setting_bigint('sitrep.principal_id')
    AND CASE current_setting('sitrep.role', true)
      WHEN 'COLLECTOR' THEN sitrep_setting_bigint('sitrep.province') = 0
        OR province = sitrep_setting_bigint('sitrep.province')
      WHEN 'ENTERPRISE' THEN (enterprise_id IS NULL
                              OR enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id'))
        AND province = sitrep_setting_bigint('sitrep.province')
      ELSE false
    END;

-- Who may amend an incident: its reporter, the enterprise it is about, or the national centre
-- (SPEC §1: grade and close).
CREATE FUNCTION sitrep_may_amend_incident(reporter_id bigint, enterprise_id bigint)
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN current_setting('sitrep.role', true) = 'NATIONAL'
    OR reporter_id = sitrep_setting_bigint('sitrep.principal_id')
    OR (current_setting('sitrep.role', true) = 'ENTERPRISE'
        AND enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id'));

-- What an amendment may turn the row into: the national centre anything; a collector or an
-- enterprise only a record it could have written itself, in the reporter's name (the
-- reporter does not change). Whether TLP or the sharing scope is loosened compares old and
-- new, which a policy cannot: that rule stays with CheckMayAmend alone.
CREATE FUNCTION sitrep_may_amend_into(province integer, enterprise_id bigint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN CASE current_setting('sitrep.role', true)
    WHEN 'NATIONAL' THEN true
    WHEN 'COLLECTOR' THEN sitrep_setting_bigint('sitrep.province') = 0
      OR province = sitrep_setting_bigint('sitrep.province')
    WHEN 'ENTERPRISE' THEN (enterprise_id IS NULL
                            OR enterprise_id = sitrep_setting_bigint('sitrep.enterprise_id'))
      AND province = sitrep_setting_bigint('sitrep.province')
    ELSE false
  END;

DROP POLICY incidents_insert ON incidents;
CREATE POLICY incidents_insert ON incidents FOR INSERT TO sitrep_app
  WITH CHECK (sitrep_may_write_record(province, reporter_id, enterprise_id));

DROP POLICY incidents_amend ON incidents;
CREATE POLICY incidents_amend ON incidents FOR UPDATE TO sitrep_app
  USING (sitrep_may_amend_incident(reporter_id, enterprise_id))
  WITH CHECK (sitrep_may_amend_incident(reporter_id, enterprise_id)
              AND sitrep_may_amend_into(province, enterprise_id));

DROP POLICY incident_revisions_insert ON incident_revisions;
CREATE POLICY incident_revisions_insert ON incident_revisions FOR INSERT TO sitrep_app
  WITH CHECK (sitrep_may_amend_incident(reporter_id, enterprise_id));

-- An observation is its collector's (or enterprise's) own row: inserted and, on a resend or a
-- newer observation, updated by the same reporter.
DROP POLICY assets_write ON assets;
CREATE POLICY assets_write ON assets FOR INSERT TO sitrep_app
  WITH CHECK (sitrep_may_write_record(province, reporter_id, enterprise_id));
DROP POLICY assets_update ON assets;
CREATE POLICY assets_update ON assets FOR UPDATE TO sitrep_app
  USING (reporter_id = sitrep_setting_bigint('sitrep.principal_id'))
  WITH CHECK (sitrep_may_write_record(province, reporter_id, enterprise_id));
