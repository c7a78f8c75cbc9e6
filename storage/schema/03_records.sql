-- The records collectors and enterprises push (SPEC §2): incidents with every revision kept,
-- and industrial assets; who reads which (SPEC §3), as row-level security; the commit-ordered
-- feed over them (issue #4) and what wakes its live watchers; and incidents as each caller
-- may see them (redaction, issue #14).
--
-- Distribution (SPEC §8): both carry the province in their primary key, (province, id), so that
-- Citus can distribute them by province and keep an incident's revisions on the same node.
-- The idempotency keys (reporter_id, external_id) and (reporter_id, asset_key) stay global on
-- purpose: a national collector may report any province, and a resend must be recognised
-- whatever it says; under Citus they would become (province, reporter_id, …).
--
-- No foreign keys to provinces, sectors, principals or enterprises: the ingest path checks
-- every one of them before writing (codes against the seeded tables, the reporter is the
-- authenticated principal, enterprises are looked up per group), the registry never deletes,
-- and the per-row RI triggers cost as much as the rest of the insert (docs/benchmarks.md).

-- Every committed write of a record takes the next position of the feed.
CREATE SEQUENCE record_feed_seq;

-- The current state of every incident: its latest revision. Earlier revisions move to
-- incident_revisions when an amendment replaces them, so a first report writes one row only.
CREATE TABLE incidents (
  id bigint GENERATED ALWAYS AS IDENTITY,
  province integer NOT NULL,
  reporter_id bigint NOT NULL,
  external_id text NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 128),
  enterprise_id bigint,
  sector text NOT NULL,
  category text NOT NULL CHECK (category IN ('MALWARE', 'NETWORK_ATTACK',
    'INFORMATION_DESTRUCTION', 'INFORMATION_CONTENT', 'FACILITY_FAULT', 'DISASTER', 'OTHER')),
  subcategory text NOT NULL DEFAULT '',
  severity smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),  -- 1 = I (特别重大) … 4 = IV
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED')),
  sharing_scope text NOT NULL DEFAULT 'PROVINCE'
    CHECK (sharing_scope IN ('PROVINCE', 'ALL_REGULATORS', 'SECTOR', 'PUBLIC')),
  status text NOT NULL DEFAULT 'REPORTED' CHECK (status IN ('REPORTED', 'CONFIRMED', 'HANDLING',
    'RESOLVED', 'CLOSED', 'FALSE_POSITIVE')),
  occurred_at timestamptz,
  detected_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1),
  -- What made this revision: the first report or the kind of amendment, why, and by whom.
  amendment text NOT NULL DEFAULT 'INITIAL' CHECK (amendment IN ('INITIAL', 'FOLLOW_UP', 'FINAL',
    'STATUS', 'REGRADE')),
  amendment_note text NOT NULL DEFAULT '',
  amended_by bigint NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  indicators jsonb NOT NULL DEFAULT '[]',  -- [{"type": "IPV4", "value": "…"}, …]
  cve_ids text[] NOT NULL DEFAULT '{}',
  attack_technique_ids text[] NOT NULL DEFAULT '{}',
  affected_asset_keys text[] NOT NULL DEFAULT '{}',
  attributes jsonb NOT NULL DEFAULT '{}',
  -- Feed position of this revision: the writing transaction's id and a sequence number, so a
  -- reader that serves only transactions older than every one still running never skips a
  -- row that commits late (issue #4).
  feed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  feed_seq bigint NOT NULL DEFAULT nextval('record_feed_seq'),
  PRIMARY KEY (province, id),
  UNIQUE (reporter_id, external_id)
);
-- Lookups by id alone (GetIncident, amendments) cannot use the (province, id) key.
CREATE INDEX incidents_id ON incidents (id);
CREATE INDEX incidents_province_received ON incidents (province, received_at);
CREATE INDEX incidents_enterprise ON incidents (enterprise_id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX incidents_sector ON incidents (sector, received_at);

-- Every superseded revision of every incident (SPEC §2 "Amendments keep every earlier
-- revision"), with the same columns as incidents so one row reader serves both.
CREATE TABLE incident_revisions (
  LIKE incidents INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  superseded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province, id, revision),
  FOREIGN KEY (province, id) REFERENCES incidents (province, id)
);
CREATE INDEX incident_revisions_id ON incident_revisions (id, revision);

-- Industrial assets; pushing the same (reporter_id, asset_key) again updates the row.
CREATE TABLE assets (
  id bigint GENERATED ALWAYS AS IDENTITY,
  province integer NOT NULL,
  reporter_id bigint NOT NULL,
  asset_key text NOT NULL CHECK (char_length(asset_key) BETWEEN 1 AND 128),
  enterprise_id bigint,
  sector text NOT NULL DEFAULT 'other',
  ip inet,
  port integer NOT NULL DEFAULT 0 CHECK (port BETWEEN 0 AND 65535),  -- 0: unknown
  transport text NOT NULL DEFAULT 'UNSPECIFIED' CHECK (transport IN ('UNSPECIFIED', 'TCP', 'UDP')),
  protocol text NOT NULL DEFAULT '',
  vendor text NOT NULL DEFAULT '',
  product text NOT NULL DEFAULT '',
  version text NOT NULL DEFAULT '',
  asset_type text NOT NULL DEFAULT 'OTHER' CHECK (asset_type IN ('UNSPECIFIED', 'PLC', 'HMI',
    'SCADA', 'DCS', 'RTU', 'GATEWAY', 'INDUSTRIAL_PLATFORM', 'INDUSTRIAL_APP', 'OTHER')),
  internet_exposed boolean NOT NULL DEFAULT false,
  cve_ids text[] NOT NULL DEFAULT '{}',
  first_seen timestamptz NOT NULL DEFAULT now(),  -- the earliest observation time pushed
  last_seen timestamptz NOT NULL DEFAULT now(),
  times_seen bigint NOT NULL DEFAULT 1 CHECK (times_seen >= 1),
  attributes jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  feed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),  -- as incidents.feed_xid
  feed_seq bigint NOT NULL DEFAULT nextval('record_feed_seq'),
  -- The vendor as vulns::Normalise folds it, written with the asset (storage/asset_store.cc):
  -- matching looks an advisory's vendors up here (07_vulns.sql). '' when there is no vendor.
  vendor_norm text NOT NULL DEFAULT '',
  -- vulns::ProductKey of the product under vendor_norm, written with it: matching fetches the
  -- assets of an advisory leaf's (vendor_norm, product_key). NULL: stored before keys existed
  -- (migration 0039); sitrepd keys such rows at start (ingest/advisory_matching.h).
  product_key text,
  PRIMARY KEY (province, id),
  UNIQUE (reporter_id, asset_key)
);
CREATE INDEX assets_id ON assets (id);
CREATE INDEX assets_province_last_seen ON assets (province, last_seen);
CREATE INDEX assets_enterprise ON assets (enterprise_id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX assets_ip ON assets (ip) WHERE ip IS NOT NULL;
CREATE INDEX assets_cve_ids ON assets USING gin (cve_ids);
CREATE INDEX assets_vendor_product ON assets (vendor_norm, product_key) WHERE vendor_norm <> '';
CREATE INDEX assets_unkeyed ON assets (id) WHERE product_key IS NULL;

-- An amendment copies the replaced revision to incident_revisions, then updates the incident;
-- revisions themselves never change. Nothing is deleted.
GRANT SELECT, INSERT, UPDATE ON incidents, assets TO sitrep_app;
GRANT SELECT, INSERT ON incident_revisions TO sitrep_app;

-- Who sees which record (SPEC §3). Row-level security is the one home of the read rule:
-- every read path (Get, List, Watch, the situation fan-out of 05_situation.sql) goes through
-- these functions, keyed by the caller settings of 01_reference.sql.

-- The read rule of incidents, for a caller given explicitly (role, province, enterprise,
-- sector, principal): the one home of who reads which incident. The row-level security policies
-- call it with the caller's settings (sitrep_may_read_incident below); the situation rollups
-- derive their viewers from it (05_situation.sql). NATIONAL and ADMIN see everything (the
-- ingest writer runs as ADMIN); PROVINCIAL its province plus what other provinces share with
-- all regulators or wider, never TLP RED or AMBER+STRICT; ENTERPRISE its own records plus
-- SECTOR (its sector) and PUBLIC ones of TLP CLEAR or GREEN; COLLECTOR what it pushed. An
-- unknown caller value (NULL) matches nothing. Immutable, so that PostgreSQL inlines it.
CREATE FUNCTION sitrep_incident_readable(caller_role text, caller_province bigint,
                                         caller_enterprise_id bigint, caller_sector text,
                                         caller_principal_id bigint, province integer,
                                         reporter_id bigint, enterprise_id bigint, sector text,
                                         tlp text, sharing_scope text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE caller_role
    WHEN 'ADMIN' THEN true
    WHEN 'NATIONAL' THEN true
    WHEN 'PROVINCIAL' THEN province = caller_province
      OR (sharing_scope <> 'PROVINCE' AND tlp NOT IN ('RED', 'AMBER_STRICT'))
    WHEN 'ENTERPRISE' THEN enterprise_id = caller_enterprise_id
      OR reporter_id = caller_principal_id
      OR (tlp IN ('CLEAR', 'GREEN') AND (sharing_scope = 'PUBLIC'
          OR (sharing_scope = 'SECTOR' AND sector = caller_sector)))
    WHEN 'COLLECTOR' THEN reporter_id = caller_principal_id
    ELSE false
  END;

-- The read rule for the current caller (the settings of 01_reference.sql).
CREATE FUNCTION sitrep_may_read_incident(province integer, reporter_id bigint,
                                         enterprise_id bigint, sector text, tlp text,
                                         sharing_scope text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN sitrep_incident_readable(current_setting('sitrep.role', true),
                                  sitrep_setting_bigint('sitrep.province'),
                                  sitrep_setting_bigint('sitrep.enterprise_id'),
                                  current_setting('sitrep.sector', true),
                                  sitrep_setting_bigint('sitrep.principal_id'), province,
                                  reporter_id, enterprise_id, sector, tlp, sharing_scope);

-- Whether an incident reaches an enterprise only through SECTOR or PUBLIC sharing, so that
-- the victim's identity must be removed from what it is shown.
CREATE FUNCTION sitrep_incident_redacted(reporter_id bigint, enterprise_id bigint)
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN current_setting('sitrep.role', true) = 'ENTERPRISE'
    AND coalesce(enterprise_id, 0) <> sitrep_setting_bigint('sitrep.enterprise_id')
    AND reporter_id <> sitrep_setting_bigint('sitrep.principal_id');

-- The read rule of assets, for a caller given explicitly, as sitrep_incident_readable. Assets
-- carry no sharing scope: they stay with national, their province, their enterprise and the
-- collector that saw them.
CREATE FUNCTION sitrep_asset_readable(caller_role text, caller_province bigint,
                                      caller_enterprise_id bigint, caller_principal_id bigint,
                                      province integer, reporter_id bigint, enterprise_id bigint)
  RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE caller_role
    WHEN 'ADMIN' THEN true
    WHEN 'NATIONAL' THEN true
    WHEN 'PROVINCIAL' THEN province = caller_province
    WHEN 'ENTERPRISE' THEN enterprise_id = caller_enterprise_id
      OR reporter_id = caller_principal_id
    WHEN 'COLLECTOR' THEN reporter_id = caller_principal_id
    ELSE false
  END;

-- The read rule of assets for the current caller.
CREATE FUNCTION sitrep_may_read_asset(province integer, reporter_id bigint, enterprise_id bigint)
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN sitrep_asset_readable(current_setting('sitrep.role', true),
                               sitrep_setting_bigint('sitrep.province'),
                               sitrep_setting_bigint('sitrep.enterprise_id'),
                               sitrep_setting_bigint('sitrep.principal_id'), province,
                               reporter_id, enterprise_id);

-- The write rule, for the current caller: every incident and asset row is written under the
-- settings of the principal that reports it (the ingest writer sets each reporter's caller
-- before its rows), and these policies admit exactly what ingest/write_permission.cc admits
-- (CheckMayWrite, CheckMayAmend). Nobody writes records as ADMIN: notices raised by rule go
-- through the SECURITY DEFINER functions of 04_notifications.sql.

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

ALTER TABLE incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE assets ENABLE ROW LEVEL SECURITY;

CREATE POLICY incidents_read ON incidents FOR SELECT TO sitrep_app
  USING (sitrep_may_read_incident(province, reporter_id, enterprise_id, sector, tlp,
                                  sharing_scope));
CREATE POLICY incidents_insert ON incidents FOR INSERT TO sitrep_app
  WITH CHECK (sitrep_may_write_record(province, reporter_id, enterprise_id));
CREATE POLICY incidents_amend ON incidents FOR UPDATE TO sitrep_app
  USING (sitrep_may_amend_incident(reporter_id, enterprise_id))
  WITH CHECK (sitrep_may_amend_incident(reporter_id, enterprise_id)
              AND sitrep_may_amend_into(province, enterprise_id));

CREATE POLICY incident_revisions_read ON incident_revisions FOR SELECT TO sitrep_app
  USING (sitrep_may_read_incident(province, reporter_id, enterprise_id, sector, tlp,
                                  sharing_scope));
CREATE POLICY incident_revisions_insert ON incident_revisions FOR INSERT TO sitrep_app
  WITH CHECK (sitrep_may_amend_incident(reporter_id, enterprise_id));

CREATE POLICY assets_read ON assets FOR SELECT TO sitrep_app
  USING (sitrep_may_read_asset(province, reporter_id, enterprise_id));
-- An observation is its collector's (or enterprise's) own row: inserted and, on a resend or a
-- newer observation, updated by the same reporter.
CREATE POLICY assets_write ON assets FOR INSERT TO sitrep_app
  WITH CHECK (sitrep_may_write_record(province, reporter_id, enterprise_id));
CREATE POLICY assets_update ON assets FOR UPDATE TO sitrep_app
  USING (reporter_id = sitrep_setting_bigint('sitrep.principal_id'))
  WITH CHECK (sitrep_may_write_record(province, reporter_id, enterprise_id));

-- The feed order, overall and per province (the common regulator query), and the filters
-- that would otherwise scan: CVE ids and indicator values.
CREATE INDEX incidents_feed ON incidents (feed_xid, feed_seq);
CREATE INDEX incidents_province_feed ON incidents (province, feed_xid, feed_seq);
CREATE INDEX incidents_cve_ids ON incidents USING gin (cve_ids);
CREATE INDEX incidents_indicators ON incidents USING gin (indicators jsonb_path_ops);
CREATE INDEX assets_feed ON assets (feed_xid, feed_seq);
-- Superseded revisions by feed position: the situation compactor reads what each revision
-- replaced (05_situation.sql).
CREATE INDEX incident_revisions_feed ON incident_revisions (feed_xid, feed_seq);

-- Live watchers LISTEN on sitrep_feed; each writing statement tells which table changed and
-- which transaction wrote it (delivered at commit, and only if it commits).
CREATE FUNCTION sitrep_notify_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sitrep_feed', TG_TABLE_NAME || ':' || pg_current_xact_id()::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER incidents_notify_feed AFTER INSERT OR UPDATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_notify_feed();
CREATE TRIGGER assets_notify_feed AFTER INSERT OR UPDATE ON assets
  FOR EACH STATEMENT EXECUTE FUNCTION sitrep_notify_feed();

-- Where in the feed a receive time begins. The feed runs in commit order (feed_xid, feed_seq)
-- while a receive_time filter speaks of received_at; without a link between the two, a page of
-- "received since T" walks the feed from its start and discards everything older. Every
-- statement that inserts incidents records, per minute of received_at and per connection, the
-- smallest feed position it wrote (storage/incident_store.cc, the one way the server inserts
-- them; the bench's bulk loader does the same after each COPY). Every row one statement
-- inserts carries the statement's own transaction id, so (min_xid, min_seq) is an exact lower
-- bound of the feed position of every row the mark covers, whatever clock stamped received_at
-- and in whatever order transactions began. One row per minute and connection: connections
-- never contend for a mark (one connection runs one transaction at a time), and a day holds a
-- few thousand marks. Written by the inserting statement rather than a trigger: a trigger
-- would copy every row once more into a transition table.
CREATE TABLE incident_feed_marks (
  minute timestamptz NOT NULL,
  backend integer NOT NULL,  -- pg_backend_pid() of the inserting connection; 0: none
  min_xid xid8 NOT NULL,
  min_seq bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (minute, backend)
);

-- The marks say only where in the feed a minute begins, nothing of any record.
GRANT SELECT, INSERT, UPDATE ON incident_feed_marks TO sitrep_app;

-- Redaction in SQL, before any filter (SPEC §3). An enterprise reached by SECTOR or
-- PUBLIC sharing sees another victim's incident without what identifies the victim. The view
-- below yields each incident as its caller may see it; feed pages, watches and single reads
-- select from it and filter its columns, so a filter on a removed field compares against the
-- removed value (NULL, empty) and matches nothing: no filter can single out a victim.
--
-- What identifies a victim, and goes:
--   enterprise_id          the victim itself (NULL, shown as 0);
--   reporter_id            often the victim's own principal: a stable pseudonym (shown as 0);
--   external_id            the reporter's own key, in the reporter's naming (shown as '');
--   affected_asset_keys    the victim's asset keys;
--   attributes             free key/values the reporter chose, which may name the victim: all;
--   indicators of type IPV4/IPV6 whose address is one of the victim's assets (registered to the
--                          victim enterprise, or an affected asset key of the same reporter).
-- What happened stays: province, sector, category, severity, times, title, description, the
-- other indicators, CVE and technique ids.

-- An incident's indicators without the addresses of the victim's assets, for a caller who may
-- read the incident (none otherwise). SECURITY DEFINER: row-level security hides another
-- enterprise's assets from the caller, and the addresses must be known to be removed. It takes
-- an incident id, not indicators and a victim, so that it answers nothing but what the view
-- shows: it is no oracle of which addresses an enterprise owns. The body is bound when created
-- (a SQL-standard body), so the caller's search_path cannot redirect it. Addresses compare as
-- inet ("2001:DB8::7" is "2001:db8::7"); CASE keeps other indicator types away from the cast.
-- One index probe (assets_ip) per indicator: LIMIT 1 keeps the planner from hashing every asset
-- of the victim on each call.
CREATE FUNCTION sitrep_indicators_without_victim(incident_id bigint) RETURNS jsonb
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
  RETURN (
    SELECT coalesce(jsonb_agg(x.indicator ORDER BY x.n), '[]'::jsonb)
    FROM incidents i
    CROSS JOIN LATERAL jsonb_array_elements(i.indicators) WITH ORDINALITY AS x(indicator, n)
    LEFT JOIN LATERAL (
      SELECT true AS found FROM assets a
      WHERE a.ip = CASE WHEN x.indicator->>'type' IN ('IPV4', 'IPV6')
                        THEN (x.indicator->>'value')::inet END
        AND (a.enterprise_id = i.enterprise_id
             OR (a.reporter_id = i.reporter_id AND a.asset_key = ANY (i.affected_asset_keys)))
      LIMIT 1) victim ON true
    WHERE i.id = incident_id
      AND sitrep_may_read_incident(i.province, i.reporter_id, i.enterprise_id, i.sector, i.tlp,
                                   i.sharing_scope)
      AND victim.found IS NULL);
REVOKE ALL ON FUNCTION sitrep_indicators_without_victim(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_indicators_without_victim(bigint) TO sitrep_app;

-- security_invoker: row-level security on incidents decides, as for the caller reading the
-- table. `redacted` is NOT FALSE so that an unknown answer (a setting missing) redacts. The
-- address lookup runs only for redacted rows holding an address indicator.
CREATE VIEW incidents_as_seen WITH (security_invoker = true) AS
SELECT i.id, i.revision,
       CASE WHEN r.redacted THEN 0 ELSE i.reporter_id END AS reporter_id,
       CASE WHEN r.redacted THEN '' ELSE i.external_id END AS external_id,
       i.province,
       CASE WHEN r.redacted THEN NULL ELSE i.enterprise_id END AS enterprise_id,
       i.sector, i.category, i.subcategory, i.severity, i.tlp, i.sharing_scope, i.status,
       i.occurred_at, i.detected_at, i.received_at, i.updated_at, i.title, i.description,
       CASE WHEN r.redacted AND (i.indicators @> '[{"type": "IPV4"}]'
                                 OR i.indicators @> '[{"type": "IPV6"}]')
            THEN sitrep_indicators_without_victim(i.id)
            ELSE i.indicators END AS indicators,
       i.cve_ids, i.attack_technique_ids,
       CASE WHEN r.redacted THEN '{}'::text[] ELSE i.affected_asset_keys END
         AS affected_asset_keys,
       CASE WHEN r.redacted THEN '{}'::jsonb ELSE i.attributes END AS attributes,
       i.feed_xid, i.feed_seq, r.redacted
FROM incidents i
CROSS JOIN LATERAL (
  SELECT sitrep_incident_redacted(i.reporter_id, i.enterprise_id) IS NOT FALSE AS redacted) r;
GRANT SELECT ON incidents_as_seen TO sitrep_app;
