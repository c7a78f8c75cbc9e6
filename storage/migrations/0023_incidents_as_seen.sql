-- Redaction in SQL, before any filter (SPEC §3; issue #14). An enterprise reached by SECTOR or
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
