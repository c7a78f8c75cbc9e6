-- GENERATED FILE, do not edit. pg_dump --schema-only --no-owner of a database built from
-- storage/schema/*.sql at the baseline, version 27 (psql meta-commands and the owner's
-- name removed). storage/migrations_pgtest.cc checks that this plus every migration of
-- storage/migrations/ equals the family files. Regenerate it only when the baseline itself
-- changes, with no migration in storage/migrations/:
--   SITREP_WRITE_BASELINE_SNAPSHOT=1 <build>/storage/migrations_pgtest \
--     --gtest_filter='*FamilyFilesEqualBaselinePlusMigrations*'
--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: sitrep_add_counts(integer[], integer[], integer[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_add_counts(counts integer[], slots integer[], vals integer[]) RETURNS integer[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
  IF cardinality(counts) = 0 THEN
    counts := ARRAY[0];
  END IF;
  FOR i IN 1 .. cardinality(slots) LOOP
    counts[slots[i]] := coalesce(counts[slots[i]], 0) + vals[i];
  END LOOP;
  RETURN counts;
END
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: situation_slots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.situation_slots (
    slot integer NOT NULL,
    dimension text NOT NULL,
    value text NOT NULL,
    severity smallint NOT NULL,
    CONSTRAINT situation_slots_dimension_check CHECK ((dimension = ANY (ARRAY['province'::text, 'sector'::text, 'category'::text]))),
    CONSTRAINT situation_slots_severity_check CHECK (((severity >= 1) AND (severity <= 4))),
    CONSTRAINT situation_slots_slot_check CHECK ((slot >= 1))
);


--
-- Name: sitrep_add_situation_slots(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_add_situation_slots(new_dimension text, new_value text) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    BEGIN ATOMIC
 INSERT INTO public.situation_slots (slot, dimension, value, severity)  SELECT (COALESCE(( SELECT max(situation_slots_1.slot) AS max
                    FROM public.situation_slots situation_slots_1), 0) + s.s),
             sitrep_add_situation_slots.new_dimension AS new_dimension,
             sitrep_add_situation_slots.new_value AS new_value,
             s.s
            FROM generate_series(1, 4) s(s) ON CONFLICT(dimension, value, severity) DO NOTHING;
END;


--
-- Name: sitrep_asset_readable(text, bigint, bigint, bigint, integer, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_asset_readable(caller_role text, caller_province bigint, caller_enterprise_id bigint, caller_principal_id bigint, province integer, reporter_id bigint, enterprise_id bigint) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE caller_role WHEN 'ADMIN'::text THEN true WHEN 'NATIONAL'::text THEN true WHEN 'PROVINCIAL'::text THEN (province = caller_province) WHEN 'ENTERPRISE'::text THEN ((enterprise_id = caller_enterprise_id) OR (reporter_id = caller_principal_id)) WHEN 'COLLECTOR'::text THEN (reporter_id = caller_principal_id) ELSE false END;


--
-- Name: sitrep_setting_bigint(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_setting_bigint(name text) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (NULLIF(current_setting(name, true), ''::text))::bigint;


--
-- Name: sitrep_caller_viewers(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_caller_viewers() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN CASE current_setting('sitrep.role'::text, true) WHEN 'ADMIN'::text THEN ARRAY['N'::text] WHEN 'NATIONAL'::text THEN ARRAY['N'::text] WHEN 'PROVINCIAL'::text THEN ARRAY['S'::text, ('P:'::text || public.sitrep_setting_bigint('sitrep.province'::text))] WHEN 'ENTERPRISE'::text THEN ARRAY['E'::text, ('E:'::text || current_setting('sitrep.sector'::text, true))] ELSE '{}'::text[] END;


--
-- Name: sitrep_compact_exposure(xid8, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_compact_exposure(upto_xid xid8, upto_seq bigint, max_assets bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    SET enable_seqscan TO 'off'
    SET max_parallel_workers_per_gather TO '0'
    AS $$
DECLARE
  from_xid xid8;
  from_seq bigint;
  end_xid xid8;
  end_seq bigint;
  moved bigint;
BEGIN
  SELECT c.asset_feed_xid, c.asset_feed_seq INTO from_xid, from_seq FROM situation_cursor c;
  -- The step ends at its last write: every write at or before that position is in it.
  SELECT count(*) OVER (), s.feed_xid, s.feed_seq INTO moved, end_xid, end_seq
  FROM (SELECT a.feed_xid, a.feed_seq FROM assets a
        WHERE (a.feed_xid, a.feed_seq) > (from_xid, from_seq)
          AND (a.feed_xid, a.feed_seq) <= (upto_xid, upto_seq)
        ORDER BY a.feed_xid, a.feed_seq LIMIT max_assets) AS s
  ORDER BY s.feed_xid DESC, s.feed_seq DESC LIMIT 1;
  IF moved IS NULL THEN
    RETURN 0;
  END IF;

  DROP TABLE IF EXISTS situation_exposure_step;
  CREATE TEMPORARY TABLE situation_exposure_step ON COMMIT DROP AS
  SELECT * FROM sitrep_exposure_changes(from_xid, from_seq, end_xid, end_seq);

  -- In key order, so that the compactor and nothing else locks these rows, in one order.
  INSERT INTO situation_exposure_counts AS c
  SELECT v.viewer, p.province, x.protocol, x.vendor, sum(x.sign)
  FROM situation_exposure_step x
  CROSS JOIN LATERAL unnest(sitrep_exposure_viewers(x.province)) AS v(viewer)
  CROSS JOIN LATERAL (VALUES (0), (x.province)) AS p(province)
  GROUP BY 1, 2, 3, 4 HAVING sum(x.sign) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (viewer, province, protocol, vendor) DO UPDATE SET n = c.n + EXCLUDED.n;

  DELETE FROM situation_exposed_assets e
  WHERE e.asset_id IN (SELECT x.asset_id FROM situation_exposure_step x WHERE x.sign = -1)
    AND e.asset_id NOT IN (SELECT x.asset_id FROM situation_exposure_step x WHERE x.sign = 1);
  INSERT INTO situation_exposed_assets AS e
  SELECT x.asset_id, x.province, x.protocol, x.vendor FROM situation_exposure_step x
  WHERE x.sign = 1
  ON CONFLICT (asset_id) DO UPDATE
    SET province = EXCLUDED.province, protocol = EXCLUDED.protocol, vendor = EXCLUDED.vendor;

  UPDATE situation_cursor SET asset_feed_xid = end_xid, asset_feed_seq = end_seq;
  RETURN moved;
END
$$;


--
-- Name: sitrep_exposure_changes(xid8, bigint, xid8, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_exposure_changes(after_xid xid8, after_seq bigint, upto_xid xid8, upto_seq bigint) RETURNS TABLE(sign integer, province integer, protocol text, vendor text, asset_id bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    SET enable_seqscan TO 'off'
    SET max_parallel_workers_per_gather TO '0'
    AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH written AS (
    SELECT a.id, a.province, a.protocol, a.vendor, a.internet_exposed
    FROM assets a
    WHERE (a.feed_xid, a.feed_seq) > (after_xid, after_seq)
      AND (a.feed_xid, a.feed_seq) <= (upto_xid, upto_seq)),
  changes (sign, province, protocol, vendor, asset_id) AS (
    SELECT 1, w.province, w.protocol, w.vendor, w.id FROM written w WHERE w.internet_exposed
    UNION ALL
    SELECT -1, e.province, e.protocol, e.vendor, e.asset_id
    FROM written w JOIN situation_exposed_assets e ON e.asset_id = w.id)
  SELECT c.sign, c.province, c.protocol, c.vendor, c.asset_id FROM changes c
  WHERE sitrep_exposure_viewers(c.province) && sitrep_caller_viewers();
END
$$;


--
-- Name: sitrep_exposure_viewers(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_exposure_viewers(province integer) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['N'::text, CASE WHEN public.sitrep_asset_readable('PROVINCIAL'::text, NULL::bigint, NULL::bigint, NULL::bigint, province, NULL::bigint, NULL::bigint) THEN 'S'::text ELSE ('P:'::text || (province)::text) END];


--
-- Name: sitrep_incident_readable(text, bigint, bigint, text, bigint, integer, bigint, bigint, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_incident_readable(caller_role text, caller_province bigint, caller_enterprise_id bigint, caller_sector text, caller_principal_id bigint, province integer, reporter_id bigint, enterprise_id bigint, sector text, tlp text, sharing_scope text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE caller_role WHEN 'ADMIN'::text THEN true WHEN 'NATIONAL'::text THEN true WHEN 'PROVINCIAL'::text THEN ((province = caller_province) OR ((sharing_scope <> 'PROVINCE'::text) AND (tlp <> ALL (ARRAY['RED'::text, 'AMBER_STRICT'::text])))) WHEN 'ENTERPRISE'::text THEN ((enterprise_id = caller_enterprise_id) OR (reporter_id = caller_principal_id) OR ((tlp = ANY (ARRAY['CLEAR'::text, 'GREEN'::text])) AND ((sharing_scope = 'PUBLIC'::text) OR ((sharing_scope = 'SECTOR'::text) AND (sector = caller_sector))))) WHEN 'COLLECTOR'::text THEN (reporter_id = caller_principal_id) ELSE false END;


--
-- Name: sitrep_incident_redacted(bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_incident_redacted(reporter_id bigint, enterprise_id bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN ((current_setting('sitrep.role'::text, true) = 'ENTERPRISE'::text) AND (COALESCE(enterprise_id, (0)::bigint) <> public.sitrep_setting_bigint('sitrep.enterprise_id'::text)) AND (reporter_id <> public.sitrep_setting_bigint('sitrep.principal_id'::text)));


--
-- Name: sitrep_may_read_incident(integer, bigint, bigint, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_may_read_incident(province integer, reporter_id bigint, enterprise_id bigint, sector text, tlp text, sharing_scope text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN public.sitrep_incident_readable(current_setting('sitrep.role'::text, true), public.sitrep_setting_bigint('sitrep.province'::text), public.sitrep_setting_bigint('sitrep.enterprise_id'::text), current_setting('sitrep.sector'::text, true), public.sitrep_setting_bigint('sitrep.principal_id'::text), province, reporter_id, enterprise_id, sector, tlp, sharing_scope);


--
-- Name: record_feed_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.record_feed_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: assets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assets (
    id bigint NOT NULL,
    province integer NOT NULL,
    reporter_id bigint NOT NULL,
    asset_key text NOT NULL,
    enterprise_id bigint,
    sector text DEFAULT 'other'::text NOT NULL,
    ip inet,
    port integer DEFAULT 0 NOT NULL,
    transport text DEFAULT 'UNSPECIFIED'::text NOT NULL,
    protocol text DEFAULT ''::text NOT NULL,
    vendor text DEFAULT ''::text NOT NULL,
    product text DEFAULT ''::text NOT NULL,
    version text DEFAULT ''::text NOT NULL,
    asset_type text DEFAULT 'OTHER'::text NOT NULL,
    internet_exposed boolean DEFAULT false NOT NULL,
    cve_ids text[] DEFAULT '{}'::text[] NOT NULL,
    first_seen timestamp with time zone DEFAULT now() NOT NULL,
    last_seen timestamp with time zone DEFAULT now() NOT NULL,
    times_seen bigint DEFAULT 1 NOT NULL,
    attributes jsonb DEFAULT '{}'::jsonb NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    feed_xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    feed_seq bigint DEFAULT nextval('public.record_feed_seq'::regclass) NOT NULL,
    CONSTRAINT assets_asset_key_check CHECK (((char_length(asset_key) >= 1) AND (char_length(asset_key) <= 128))),
    CONSTRAINT assets_asset_type_check CHECK ((asset_type = ANY (ARRAY['UNSPECIFIED'::text, 'PLC'::text, 'HMI'::text, 'SCADA'::text, 'DCS'::text, 'RTU'::text, 'GATEWAY'::text, 'INDUSTRIAL_PLATFORM'::text, 'INDUSTRIAL_APP'::text, 'OTHER'::text]))),
    CONSTRAINT assets_port_check CHECK (((port >= 0) AND (port <= 65535))),
    CONSTRAINT assets_times_seen_check CHECK ((times_seen >= 1)),
    CONSTRAINT assets_transport_check CHECK ((transport = ANY (ARRAY['UNSPECIFIED'::text, 'TCP'::text, 'UDP'::text])))
);


--
-- Name: incidents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.incidents (
    id bigint NOT NULL,
    province integer NOT NULL,
    reporter_id bigint NOT NULL,
    external_id text NOT NULL,
    enterprise_id bigint,
    sector text NOT NULL,
    category text NOT NULL,
    subcategory text DEFAULT ''::text NOT NULL,
    severity smallint NOT NULL,
    tlp text NOT NULL,
    sharing_scope text DEFAULT 'PROVINCE'::text NOT NULL,
    status text DEFAULT 'REPORTED'::text NOT NULL,
    occurred_at timestamp with time zone,
    detected_at timestamp with time zone,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    revision bigint DEFAULT 1 NOT NULL,
    amendment text DEFAULT 'INITIAL'::text NOT NULL,
    amendment_note text DEFAULT ''::text NOT NULL,
    amended_by bigint NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    indicators jsonb DEFAULT '[]'::jsonb NOT NULL,
    cve_ids text[] DEFAULT '{}'::text[] NOT NULL,
    attack_technique_ids text[] DEFAULT '{}'::text[] NOT NULL,
    affected_asset_keys text[] DEFAULT '{}'::text[] NOT NULL,
    attributes jsonb DEFAULT '{}'::jsonb NOT NULL,
    feed_xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    feed_seq bigint DEFAULT nextval('public.record_feed_seq'::regclass) NOT NULL,
    CONSTRAINT incidents_amendment_check CHECK ((amendment = ANY (ARRAY['INITIAL'::text, 'FOLLOW_UP'::text, 'FINAL'::text, 'STATUS'::text, 'REGRADE'::text]))),
    CONSTRAINT incidents_category_check CHECK ((category = ANY (ARRAY['MALWARE'::text, 'NETWORK_ATTACK'::text, 'INFORMATION_DESTRUCTION'::text, 'INFORMATION_CONTENT'::text, 'FACILITY_FAULT'::text, 'DISASTER'::text, 'OTHER'::text]))),
    CONSTRAINT incidents_external_id_check CHECK (((char_length(external_id) >= 1) AND (char_length(external_id) <= 128))),
    CONSTRAINT incidents_revision_check CHECK ((revision >= 1)),
    CONSTRAINT incidents_severity_check CHECK (((severity >= 1) AND (severity <= 4))),
    CONSTRAINT incidents_sharing_scope_check CHECK ((sharing_scope = ANY (ARRAY['PROVINCE'::text, 'ALL_REGULATORS'::text, 'SECTOR'::text, 'PUBLIC'::text]))),
    CONSTRAINT incidents_status_check CHECK ((status = ANY (ARRAY['REPORTED'::text, 'CONFIRMED'::text, 'HANDLING'::text, 'RESOLVED'::text, 'CLOSED'::text, 'FALSE_POSITIVE'::text]))),
    CONSTRAINT incidents_tlp_check CHECK ((tlp = ANY (ARRAY['CLEAR'::text, 'GREEN'::text, 'AMBER'::text, 'AMBER_STRICT'::text, 'RED'::text])))
);


--
-- Name: sitrep_indicators_without_victim(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_indicators_without_victim(incident_id bigint) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
    RETURN (SELECT COALESCE(jsonb_agg(x.indicator ORDER BY x.n), '[]'::jsonb) AS "coalesce" FROM ((public.incidents i CROSS JOIN LATERAL jsonb_array_elements(i.indicators) WITH ORDINALITY x(indicator, n)) LEFT JOIN LATERAL (SELECT true AS found FROM public.assets a WHERE ((a.ip = CASE WHEN ((x.indicator ->> 'type'::text) = ANY (ARRAY['IPV4'::text, 'IPV6'::text])) THEN ((x.indicator ->> 'value'::text))::inet ELSE NULL::inet END) AND ((a.enterprise_id = i.enterprise_id) OR ((a.reporter_id = i.reporter_id) AND (a.asset_key = ANY (i.affected_asset_keys))))) LIMIT 1) victim ON (true)) WHERE ((i.id = sitrep_indicators_without_victim.incident_id) AND public.sitrep_may_read_incident(i.province, i.reporter_id, i.enterprise_id, i.sector, i.tlp, i.sharing_scope) AND (victim.found IS NULL)));


--
-- Name: notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications (
    id bigint NOT NULL,
    issuer_id bigint NOT NULL,
    issuer_province integer,
    level text NOT NULL,
    origin text DEFAULT 'MANUAL'::text NOT NULL,
    priority smallint NOT NULL,
    title text NOT NULL,
    body text DEFAULT ''::text NOT NULL,
    required_action text DEFAULT ''::text NOT NULL,
    response_deadline timestamp with time zone NOT NULL,
    tlp text NOT NULL,
    incident_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    asset_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    cve_ids text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    escalation_key text,
    CONSTRAINT notifications_check CHECK (((level = 'NATIONAL'::text) = (issuer_province IS NULL))),
    CONSTRAINT notifications_escalation_key CHECK (((origin = 'MANUAL'::text) = (escalation_key IS NULL))),
    CONSTRAINT notifications_level_check CHECK ((level = ANY (ARRAY['NATIONAL'::text, 'PROVINCIAL'::text]))),
    CONSTRAINT notifications_origin_check CHECK ((origin = ANY (ARRAY['MANUAL'::text, 'INCIDENT_RULE'::text, 'KEV_RULE'::text]))),
    CONSTRAINT notifications_priority_check CHECK (((priority >= 1) AND (priority <= 4))),
    CONSTRAINT notifications_tlp_check CHECK ((tlp = ANY (ARRAY['CLEAR'::text, 'GREEN'::text, 'AMBER'::text, 'AMBER_STRICT'::text, 'RED'::text])))
);


--
-- Name: sitrep_notice_issuer_province(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_notice_issuer_province(notice_id bigint) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public'
    RETURN (SELECT n.issuer_province FROM public.notifications n WHERE (n.id = sitrep_notice_issuer_province.notice_id));


--
-- Name: sitrep_may_change_notice_target(bigint, integer, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_may_change_notice_target(notice_id bigint, province integer, enterprise_id bigint) RETURNS boolean
    LANGUAGE sql STABLE
    RETURN CASE current_setting('sitrep.role'::text, true) WHEN 'ADMIN'::text THEN true WHEN 'NATIONAL'::text THEN (public.sitrep_notice_issuer_province(notice_id) IS NULL) WHEN 'PROVINCIAL'::text THEN (((enterprise_id IS NULL) AND (province = public.sitrep_setting_bigint('sitrep.province'::text))) OR (public.sitrep_notice_issuer_province(notice_id) = public.sitrep_setting_bigint('sitrep.province'::text))) WHEN 'ENTERPRISE'::text THEN (enterprise_id = public.sitrep_setting_bigint('sitrep.enterprise_id'::text)) ELSE false END;


--
-- Name: sitrep_may_read_asset(integer, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_may_read_asset(province integer, reporter_id bigint, enterprise_id bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN public.sitrep_asset_readable(current_setting('sitrep.role'::text, true), public.sitrep_setting_bigint('sitrep.province'::text), public.sitrep_setting_bigint('sitrep.enterprise_id'::text), public.sitrep_setting_bigint('sitrep.principal_id'::text), province, reporter_id, enterprise_id);


--
-- Name: notification_feed_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.notification_feed_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: notification_targets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notification_targets (
    id bigint NOT NULL,
    notification_id bigint NOT NULL,
    province integer NOT NULL,
    enterprise_id bigint,
    state text DEFAULT 'DELIVERED'::text NOT NULL,
    feedback text DEFAULT ''::text NOT NULL,
    outcome text DEFAULT 'UNSPECIFIED'::text NOT NULL,
    feedback_incident_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    acknowledged_at timestamp with time zone,
    feedback_at timestamp with time zone,
    closed_at timestamp with time zone,
    feed_xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    feed_seq bigint DEFAULT nextval('public.notification_feed_seq'::regclass) NOT NULL,
    "national" boolean DEFAULT false NOT NULL,
    response_deadline timestamp with time zone NOT NULL,
    notice_created_at timestamp with time zone NOT NULL,
    CONSTRAINT notification_targets_national CHECK (((NOT "national") OR (enterprise_id IS NULL))),
    CONSTRAINT notification_targets_outcome_check CHECK ((outcome = ANY (ARRAY['UNSPECIFIED'::text, 'FIXED'::text, 'MITIGATED'::text, 'RISK_ACCEPTED'::text, 'NOT_APPLICABLE'::text]))),
    CONSTRAINT notification_targets_state_check CHECK ((state = ANY (ARRAY['DELIVERED'::text, 'ACKNOWLEDGED'::text, 'FEEDBACK_SUBMITTED'::text, 'CLOSED'::text])))
);


--
-- Name: sitrep_notice_addressed_to_caller(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_notice_addressed_to_caller(notice_id bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public'
    RETURN CASE current_setting('sitrep.role'::text, true) WHEN 'PROVINCIAL'::text THEN (EXISTS (SELECT 1 FROM public.notification_targets t WHERE ((t.notification_id = sitrep_notice_addressed_to_caller.notice_id) AND (t.enterprise_id IS NULL) AND (NOT t."national") AND (t.province = public.sitrep_setting_bigint('sitrep.province'::text))))) WHEN 'ENTERPRISE'::text THEN (EXISTS (SELECT 1 FROM public.notification_targets t WHERE ((t.notification_id = sitrep_notice_addressed_to_caller.notice_id) AND (t.enterprise_id = public.sitrep_setting_bigint('sitrep.enterprise_id'::text))))) ELSE false END;


--
-- Name: sitrep_may_read_notice(bigint, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_may_read_notice(notice_id bigint, issuer_province integer) RETURNS boolean
    LANGUAGE sql STABLE
    RETURN CASE current_setting('sitrep.role'::text, true) WHEN 'ADMIN'::text THEN true WHEN 'NATIONAL'::text THEN true WHEN 'PROVINCIAL'::text THEN ((issuer_province = public.sitrep_setting_bigint('sitrep.province'::text)) OR public.sitrep_notice_addressed_to_caller(notice_id)) WHEN 'ENTERPRISE'::text THEN public.sitrep_notice_addressed_to_caller(notice_id) ELSE false END;


--
-- Name: sitrep_may_read_notice_target(bigint, integer, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_may_read_notice_target(notice_id bigint, province integer, enterprise_id bigint) RETURNS boolean
    LANGUAGE sql STABLE
    RETURN CASE current_setting('sitrep.role'::text, true) WHEN 'ADMIN'::text THEN true WHEN 'NATIONAL'::text THEN true WHEN 'PROVINCIAL'::text THEN (((enterprise_id IS NULL) AND (province = public.sitrep_setting_bigint('sitrep.province'::text))) OR (public.sitrep_notice_issuer_province(notice_id) = public.sitrep_setting_bigint('sitrep.province'::text))) WHEN 'ENTERPRISE'::text THEN (enterprise_id = public.sitrep_setting_bigint('sitrep.enterprise_id'::text)) ELSE false END;


--
-- Name: sitrep_micros(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_micros(t timestamp with time zone) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ((EXTRACT(epoch FROM (t AT TIME ZONE 'UTC'::text)) * (1000000)::numeric))::bigint;


--
-- Name: sitrep_minute(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_minute(at timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN date_bin('00:01:00'::interval, at, '1970-01-01 00:00:00+00'::timestamp with time zone);


--
-- Name: sitrep_notice_backlog(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_notice_backlog(now timestamp with time zone) RETURNS TABLE(level text, province integer, open bigint, overdue bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
  SELECT CASE WHEN t.enterprise_id IS NULL THEN 'NATIONAL' ELSE 'PROVINCIAL' END, t.province,
         count(*),
         count(*) FILTER (WHERE sitrep_notice_overdue(t.state, t.response_deadline, now))
  FROM notification_targets t
  WHERE t.state <> 'CLOSED'
  GROUP BY 1, 2 ORDER BY 1, 2
$$;


--
-- Name: sitrep_notice_overdue(text, timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_notice_overdue(state text, response_deadline timestamp with time zone, now timestamp with time zone) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ((state = ANY (ARRAY['DELIVERED'::text, 'ACKNOWLEDGED'::text])) AND (response_deadline < now));


--
-- Name: sitrep_notice_target_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_notice_target_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: sitrep_notify_credentials(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_notify_credentials() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  changed_id bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN changed_id := OLD.id; ELSE changed_id := NEW.id; END IF;
  PERFORM pg_notify('sitrep_credentials', TG_ARGV[0] || ':' || changed_id::text);
  RETURN NULL;
END
$$;


--
-- Name: sitrep_notify_feed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_notify_feed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM pg_notify('sitrep_feed', TG_TABLE_NAME || ':' || pg_current_xact_id()::text);
  RETURN NULL;
END
$$;


--
-- Name: sitrep_province_slots(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_province_slots() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  PERFORM sitrep_add_situation_slots('province', NEW.code::text);
  RETURN NULL;
END
$$;


--
-- Name: sitrep_raise_escalations(jsonb, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_raise_escalations(notices jsonb, raised_at timestamp with time zone) RETURNS TABLE(notification_id bigint, escalation_key text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
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


--
-- Name: sitrep_sector_slots(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_sector_slots() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  PERFORM sitrep_add_situation_slots('sector', NEW.code);
  RETURN NULL;
END
$$;


--
-- Name: sitrep_situation_changes(xid8, bigint, xid8, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_situation_changes(after_xid xid8, after_seq bigint, upto_xid xid8, upto_seq bigint, max_revisions bigint DEFAULT NULL::bigint) RETURNS TABLE(sign integer, province integer, at timestamp with time zone, sector text, category text, severity smallint, tlp text, sharing_scope text, open_enterprise_id bigint, change_xid xid8, change_seq bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    SET enable_seqscan TO 'off'
    SET max_parallel_workers_per_gather TO '0'
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


--
-- Name: sitrep_situation_day(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_situation_day(t timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN date_trunc('day'::text, t, 'Asia/Shanghai'::text);


--
-- Name: sitrep_situation_viewers(integer, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_situation_viewers(province integer, sector text, tlp text, sharing_scope text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (ARRAY['N'::text, CASE WHEN public.sitrep_incident_readable('PROVINCIAL'::text, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint, province, NULL::bigint, NULL::bigint, sector, tlp, sharing_scope) THEN 'S'::text ELSE ('P:'::text || (province)::text) END] || CASE WHEN public.sitrep_incident_readable('ENTERPRISE'::text, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint, province, NULL::bigint, NULL::bigint, sector, tlp, sharing_scope) THEN ARRAY['E'::text] WHEN public.sitrep_incident_readable('ENTERPRISE'::text, NULL::bigint, NULL::bigint, sector, NULL::bigint, province, NULL::bigint, NULL::bigint, sector, tlp, sharing_scope) THEN ARRAY[('E:'::text || sector)] ELSE '{}'::text[] END);


--
-- Name: sitrep_store_situation_step(text[], integer[], "char"[], bigint[], text[], text[], text[], integer[], bigint[], bigint[], xid8, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_store_situation_step(viewers text[], provinces integer[], grains "char"[], buckets bigint[], slots text[], vals text[], open_viewers text[], open_provinces integer[], open_enterprises bigint[], open_counts bigint[], cursor_xid xid8, cursor_seq bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  UPDATE situation_cells c SET n = sitrep_add_counts(c.n, s.slots::integer[], s.vals::integer[])
  FROM unnest(viewers, provinces, grains, buckets, slots, vals)
    AS s(viewer, province, grain, bucket, slots, vals)
  WHERE c.viewer = s.viewer AND c.province = s.province AND c.grain = s.grain
    AND c.bucket = sitrep_time(s.bucket);
  INSERT INTO situation_cells
  SELECT s.viewer, s.province, s.grain, sitrep_time(s.bucket),
         sitrep_add_counts('{}', s.slots::integer[], s.vals::integer[])
  FROM unnest(viewers, provinces, grains, buckets, slots, vals)
    AS s(viewer, province, grain, bucket, slots, vals)
  WHERE NOT EXISTS (SELECT FROM situation_cells c WHERE c.viewer = s.viewer
                    AND c.province = s.province AND c.grain = s.grain
                    AND c.bucket = sitrep_time(s.bucket));

  INSERT INTO situation_open_counts AS c
  SELECT * FROM unnest(open_viewers, open_provinces, open_enterprises, open_counts)
  ORDER BY 1, 2, 3
  ON CONFLICT (viewer, province, enterprise_id) DO UPDATE SET n = c.n + EXCLUDED.n;

  UPDATE situation_cursor SET feed_xid = cursor_xid, feed_seq = cursor_seq;
END
$$;


--
-- Name: sitrep_time(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sitrep_time(micros bigint) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (('1970-01-01 00:00:00'::timestamp without time zone + ((micros)::double precision * '00:00:00.000001'::interval)) AT TIME ZONE 'UTC'::text);


--
-- Name: assets_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.assets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.assets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: audit_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_entries (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    principal_id bigint DEFAULT 0 NOT NULL,
    method text NOT NULL,
    target text DEFAULT ''::text NOT NULL,
    rows bigint DEFAULT 0 NOT NULL,
    status text NOT NULL,
    peer text DEFAULT ''::text NOT NULL
);


--
-- Name: audit_entries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_entries ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_entries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: enterprises; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.enterprises (
    id bigint NOT NULL,
    credit_code character(18) NOT NULL,
    name text NOT NULL,
    province integer NOT NULL,
    sector text NOT NULL,
    type text NOT NULL,
    size text NOT NULL,
    grade smallint DEFAULT 0 NOT NULL,
    key_enterprise boolean DEFAULT false NOT NULL,
    cii_operator boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT enterprises_grade_check CHECK (((grade >= 0) AND (grade <= 3))),
    CONSTRAINT enterprises_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT enterprises_size_check CHECK ((size = ANY (ARRAY['LARGE'::text, 'MEDIUM'::text, 'SMALL'::text, 'MICRO'::text]))),
    CONSTRAINT enterprises_type_check CHECK ((type = ANY (ARRAY['NETWORKED_INDUSTRIAL'::text, 'PLATFORM'::text, 'IDENTIFIER_RESOLUTION'::text])))
);


--
-- Name: enterprises_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.enterprises ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.enterprises_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: incident_feed_marks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.incident_feed_marks (
    minute timestamp with time zone NOT NULL,
    backend integer NOT NULL,
    min_xid xid8 NOT NULL,
    min_seq bigint DEFAULT 0 NOT NULL
);


--
-- Name: incident_revisions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.incident_revisions (
    id bigint NOT NULL,
    province integer NOT NULL,
    reporter_id bigint NOT NULL,
    external_id text NOT NULL,
    enterprise_id bigint,
    sector text NOT NULL,
    category text NOT NULL,
    subcategory text DEFAULT ''::text NOT NULL,
    severity smallint NOT NULL,
    tlp text NOT NULL,
    sharing_scope text DEFAULT 'PROVINCE'::text NOT NULL,
    status text DEFAULT 'REPORTED'::text NOT NULL,
    occurred_at timestamp with time zone,
    detected_at timestamp with time zone,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    revision bigint DEFAULT 1 NOT NULL,
    amendment text DEFAULT 'INITIAL'::text NOT NULL,
    amendment_note text DEFAULT ''::text NOT NULL,
    amended_by bigint NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    indicators jsonb DEFAULT '[]'::jsonb NOT NULL,
    cve_ids text[] DEFAULT '{}'::text[] NOT NULL,
    attack_technique_ids text[] DEFAULT '{}'::text[] NOT NULL,
    affected_asset_keys text[] DEFAULT '{}'::text[] NOT NULL,
    attributes jsonb DEFAULT '{}'::jsonb NOT NULL,
    feed_xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    feed_seq bigint DEFAULT nextval('public.record_feed_seq'::regclass) NOT NULL,
    superseded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT incidents_amendment_check CHECK ((amendment = ANY (ARRAY['INITIAL'::text, 'FOLLOW_UP'::text, 'FINAL'::text, 'STATUS'::text, 'REGRADE'::text]))),
    CONSTRAINT incidents_category_check CHECK ((category = ANY (ARRAY['MALWARE'::text, 'NETWORK_ATTACK'::text, 'INFORMATION_DESTRUCTION'::text, 'INFORMATION_CONTENT'::text, 'FACILITY_FAULT'::text, 'DISASTER'::text, 'OTHER'::text]))),
    CONSTRAINT incidents_external_id_check CHECK (((char_length(external_id) >= 1) AND (char_length(external_id) <= 128))),
    CONSTRAINT incidents_revision_check CHECK ((revision >= 1)),
    CONSTRAINT incidents_severity_check CHECK (((severity >= 1) AND (severity <= 4))),
    CONSTRAINT incidents_sharing_scope_check CHECK ((sharing_scope = ANY (ARRAY['PROVINCE'::text, 'ALL_REGULATORS'::text, 'SECTOR'::text, 'PUBLIC'::text]))),
    CONSTRAINT incidents_status_check CHECK ((status = ANY (ARRAY['REPORTED'::text, 'CONFIRMED'::text, 'HANDLING'::text, 'RESOLVED'::text, 'CLOSED'::text, 'FALSE_POSITIVE'::text]))),
    CONSTRAINT incidents_tlp_check CHECK ((tlp = ANY (ARRAY['CLEAR'::text, 'GREEN'::text, 'AMBER'::text, 'AMBER_STRICT'::text, 'RED'::text])))
);


--
-- Name: incidents_as_seen; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.incidents_as_seen WITH (security_invoker='true') AS
 SELECT i.id,
    i.revision,
        CASE
            WHEN r.redacted THEN (0)::bigint
            ELSE i.reporter_id
        END AS reporter_id,
        CASE
            WHEN r.redacted THEN ''::text
            ELSE i.external_id
        END AS external_id,
    i.province,
        CASE
            WHEN r.redacted THEN NULL::bigint
            ELSE i.enterprise_id
        END AS enterprise_id,
    i.sector,
    i.category,
    i.subcategory,
    i.severity,
    i.tlp,
    i.sharing_scope,
    i.status,
    i.occurred_at,
    i.detected_at,
    i.received_at,
    i.updated_at,
    i.title,
    i.description,
        CASE
            WHEN (r.redacted AND ((i.indicators @> '[{"type": "IPV4"}]'::jsonb) OR (i.indicators @> '[{"type": "IPV6"}]'::jsonb))) THEN public.sitrep_indicators_without_victim(i.id)
            ELSE i.indicators
        END AS indicators,
    i.cve_ids,
    i.attack_technique_ids,
        CASE
            WHEN r.redacted THEN '{}'::text[]
            ELSE i.affected_asset_keys
        END AS affected_asset_keys,
        CASE
            WHEN r.redacted THEN '{}'::jsonb
            ELSE i.attributes
        END AS attributes,
    i.feed_xid,
    i.feed_seq,
    r.redacted
   FROM (public.incidents i
     CROSS JOIN LATERAL ( SELECT (public.sitrep_incident_redacted(i.reporter_id, i.enterprise_id) IS NOT FALSE) AS redacted) r);


--
-- Name: incidents_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.incidents ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.incidents_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notification_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notification_events (
    id bigint NOT NULL,
    province integer NOT NULL,
    target_id bigint NOT NULL,
    notification_id bigint NOT NULL,
    state text NOT NULL,
    principal_id bigint NOT NULL,
    text text DEFAULT ''::text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT notification_events_state_check CHECK ((state = ANY (ARRAY['DELIVERED'::text, 'ACKNOWLEDGED'::text, 'FEEDBACK_SUBMITTED'::text, 'CLOSED'::text])))
);


--
-- Name: notification_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notification_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.notification_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notification_targets_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notification_targets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.notification_targets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notifications ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.notifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: principals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.principals (
    id bigint NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    province integer,
    enterprise_id bigint,
    description text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT principals_name_check CHECK ((name ~ '^[A-Za-z0-9._-]{1,100}$'::text)),
    CONSTRAINT principals_role_binding CHECK (
CASE role
    WHEN 'ADMIN'::text THEN ((province IS NULL) AND (enterprise_id IS NULL))
    WHEN 'NATIONAL'::text THEN ((province IS NULL) AND (enterprise_id IS NULL))
    WHEN 'PROVINCIAL'::text THEN ((province IS NOT NULL) AND (enterprise_id IS NULL))
    WHEN 'ENTERPRISE'::text THEN ((province IS NULL) AND (enterprise_id IS NOT NULL))
    WHEN 'COLLECTOR'::text THEN (enterprise_id IS NULL)
    ELSE NULL::boolean
END),
    CONSTRAINT principals_role_check CHECK ((role = ANY (ARRAY['ADMIN'::text, 'NATIONAL'::text, 'PROVINCIAL'::text, 'ENTERPRISE'::text, 'COLLECTOR'::text])))
);


--
-- Name: principals_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.principals ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.principals_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: provinces; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.provinces (
    code integer NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    kind text NOT NULL,
    CONSTRAINT provinces_code_check CHECK (((code >= 100000) AND (code <= 999999))),
    CONSTRAINT provinces_kind_check CHECK ((kind = ANY (ARRAY['municipality'::text, 'province'::text, 'autonomous region'::text, 'corps'::text])))
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: sectors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sectors (
    code text NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    gbt4754_divisions text NOT NULL,
    key_sector boolean NOT NULL,
    CONSTRAINT sectors_code_check CHECK ((code ~ '^[a-z][a-z0-9_]*$'::text))
);


--
-- Name: situation_cells; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.situation_cells (
    viewer text NOT NULL,
    province integer NOT NULL,
    grain "char" NOT NULL,
    bucket timestamp with time zone NOT NULL,
    n integer[] NOT NULL,
    CONSTRAINT situation_cells_grain_check CHECK ((grain = ANY (ARRAY['h'::"char", 'd'::"char"])))
)
WITH (toast_tuple_target='128', fillfactor='50');
ALTER TABLE ONLY public.situation_cells ALTER COLUMN n SET STORAGE MAIN;


--
-- Name: situation_cursor; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.situation_cursor (
    feed_xid xid8 NOT NULL,
    feed_seq bigint NOT NULL,
    single boolean DEFAULT true NOT NULL,
    asset_feed_xid xid8 NOT NULL,
    asset_feed_seq bigint NOT NULL,
    CONSTRAINT situation_cursor_single_check CHECK (single)
);


--
-- Name: situation_exposed_assets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.situation_exposed_assets (
    asset_id bigint NOT NULL,
    province integer NOT NULL,
    protocol text NOT NULL,
    vendor text NOT NULL
);


--
-- Name: situation_exposure_counts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.situation_exposure_counts (
    viewer text NOT NULL,
    province integer NOT NULL,
    protocol text NOT NULL,
    vendor text NOT NULL,
    n bigint NOT NULL
);


--
-- Name: situation_open_counts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.situation_open_counts (
    viewer text NOT NULL,
    province integer NOT NULL,
    enterprise_id bigint NOT NULL,
    n bigint NOT NULL
);


--
-- Name: tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tokens (
    id bigint NOT NULL,
    principal_id bigint NOT NULL,
    secret_sha256 bytea NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT tokens_secret_sha256_check CHECK ((length(secret_sha256) = 32))
);


--
-- Name: tokens_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.tokens ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: assets assets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assets
    ADD CONSTRAINT assets_pkey PRIMARY KEY (province, id);


--
-- Name: assets assets_reporter_id_asset_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assets
    ADD CONSTRAINT assets_reporter_id_asset_key_key UNIQUE (reporter_id, asset_key);


--
-- Name: audit_entries audit_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_entries
    ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (id);


--
-- Name: enterprises enterprises_credit_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enterprises
    ADD CONSTRAINT enterprises_credit_code_key UNIQUE (credit_code);


--
-- Name: enterprises enterprises_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enterprises
    ADD CONSTRAINT enterprises_pkey PRIMARY KEY (id);


--
-- Name: incident_feed_marks incident_feed_marks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_feed_marks
    ADD CONSTRAINT incident_feed_marks_pkey PRIMARY KEY (minute, backend);


--
-- Name: incident_revisions incident_revisions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_revisions
    ADD CONSTRAINT incident_revisions_pkey PRIMARY KEY (province, id, revision);


--
-- Name: incidents incidents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents
    ADD CONSTRAINT incidents_pkey PRIMARY KEY (province, id);


--
-- Name: incidents incidents_reporter_id_external_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents
    ADD CONSTRAINT incidents_reporter_id_external_id_key UNIQUE (reporter_id, external_id);


--
-- Name: notification_events notification_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_events
    ADD CONSTRAINT notification_events_pkey PRIMARY KEY (province, id);


--
-- Name: notification_targets notification_targets_notification_id_province_enterprise_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_targets
    ADD CONSTRAINT notification_targets_notification_id_province_enterprise_id_key UNIQUE NULLS NOT DISTINCT (notification_id, province, enterprise_id);


--
-- Name: notification_targets notification_targets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_targets
    ADD CONSTRAINT notification_targets_pkey PRIMARY KEY (province, id);


--
-- Name: notifications notifications_escalation_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_escalation_key_key UNIQUE (escalation_key);


--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);


--
-- Name: principals principals_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.principals
    ADD CONSTRAINT principals_name_key UNIQUE (name);


--
-- Name: principals principals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.principals
    ADD CONSTRAINT principals_pkey PRIMARY KEY (id);


--
-- Name: provinces provinces_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provinces
    ADD CONSTRAINT provinces_pkey PRIMARY KEY (code);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: sectors sectors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sectors
    ADD CONSTRAINT sectors_pkey PRIMARY KEY (code);


--
-- Name: situation_cells situation_cells_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.situation_cells
    ADD CONSTRAINT situation_cells_pkey PRIMARY KEY (viewer, province, grain, bucket);


--
-- Name: situation_cursor situation_cursor_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.situation_cursor
    ADD CONSTRAINT situation_cursor_pkey PRIMARY KEY (single);


--
-- Name: situation_exposed_assets situation_exposed_assets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.situation_exposed_assets
    ADD CONSTRAINT situation_exposed_assets_pkey PRIMARY KEY (asset_id);


--
-- Name: situation_exposure_counts situation_exposure_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.situation_exposure_counts
    ADD CONSTRAINT situation_exposure_counts_pkey PRIMARY KEY (viewer, province, protocol, vendor);


--
-- Name: situation_open_counts situation_open_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.situation_open_counts
    ADD CONSTRAINT situation_open_counts_pkey PRIMARY KEY (viewer, province, enterprise_id);


--
-- Name: situation_slots situation_slots_dimension_value_severity_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.situation_slots
    ADD CONSTRAINT situation_slots_dimension_value_severity_key UNIQUE (dimension, value, severity);


--
-- Name: situation_slots situation_slots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.situation_slots
    ADD CONSTRAINT situation_slots_pkey PRIMARY KEY (slot);


--
-- Name: tokens tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT tokens_pkey PRIMARY KEY (id);


--
-- Name: tokens tokens_secret_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT tokens_secret_sha256_key UNIQUE (secret_sha256);


--
-- Name: assets_cve_ids; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX assets_cve_ids ON public.assets USING gin (cve_ids);


--
-- Name: assets_enterprise; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX assets_enterprise ON public.assets USING btree (enterprise_id) WHERE (enterprise_id IS NOT NULL);


--
-- Name: assets_feed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX assets_feed ON public.assets USING btree (feed_xid, feed_seq);


--
-- Name: assets_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX assets_id ON public.assets USING btree (id);


--
-- Name: assets_ip; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX assets_ip ON public.assets USING btree (ip) WHERE (ip IS NOT NULL);


--
-- Name: assets_province_last_seen; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX assets_province_last_seen ON public.assets USING btree (province, last_seen);


--
-- Name: audit_entries_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_at ON public.audit_entries USING btree (at);


--
-- Name: audit_entries_method; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_method ON public.audit_entries USING btree (method, id);


--
-- Name: audit_entries_principal; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_principal ON public.audit_entries USING btree (principal_id, id);


--
-- Name: enterprises_province_sector; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX enterprises_province_sector ON public.enterprises USING btree (province, sector);


--
-- Name: incident_revisions_feed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incident_revisions_feed ON public.incident_revisions USING btree (feed_xid, feed_seq);


--
-- Name: incident_revisions_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incident_revisions_id ON public.incident_revisions USING btree (id, revision);


--
-- Name: incidents_cve_ids; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incidents_cve_ids ON public.incidents USING gin (cve_ids);


--
-- Name: incidents_enterprise; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incidents_enterprise ON public.incidents USING btree (enterprise_id) WHERE (enterprise_id IS NOT NULL);


--
-- Name: incidents_feed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incidents_feed ON public.incidents USING btree (feed_xid, feed_seq);


--
-- Name: incidents_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incidents_id ON public.incidents USING btree (id);


--
-- Name: incidents_indicators; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incidents_indicators ON public.incidents USING gin (indicators jsonb_path_ops);


--
-- Name: incidents_province_feed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incidents_province_feed ON public.incidents USING btree (province, feed_xid, feed_seq);


--
-- Name: incidents_province_received; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incidents_province_received ON public.incidents USING btree (province, received_at);


--
-- Name: incidents_sector; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incidents_sector ON public.incidents USING btree (sector, received_at);


--
-- Name: notification_events_notice; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_events_notice ON public.notification_events USING btree (notification_id, id);


--
-- Name: notification_events_target; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_events_target ON public.notification_events USING btree (target_id, id);


--
-- Name: notification_targets_enterprise; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_targets_enterprise ON public.notification_targets USING btree (enterprise_id, notification_id) WHERE (enterprise_id IS NOT NULL);


--
-- Name: notification_targets_enterprise_feed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_targets_enterprise_feed ON public.notification_targets USING btree (enterprise_id, feed_xid, feed_seq) WHERE (enterprise_id IS NOT NULL);


--
-- Name: notification_targets_feed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_targets_feed ON public.notification_targets USING btree (feed_xid, feed_seq);


--
-- Name: notification_targets_national_feed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_targets_national_feed ON public.notification_targets USING btree (feed_xid, feed_seq) WHERE "national";


--
-- Name: notification_targets_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_targets_open ON public.notification_targets USING btree (province, notification_id) WHERE (state = ANY (ARRAY['DELIVERED'::text, 'ACKNOWLEDGED'::text]));


--
-- Name: notification_targets_province_feed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_targets_province_feed ON public.notification_targets USING btree (province, feed_xid, feed_seq) WHERE (enterprise_id IS NULL);


--
-- Name: notifications_issuer_province; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_issuer_province ON public.notifications USING btree (issuer_province, id) WHERE (issuer_province IS NOT NULL);


--
-- Name: notifications_level; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_level ON public.notifications USING btree (level, id);


--
-- Name: principals_enterprise; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX principals_enterprise ON public.principals USING btree (enterprise_id) WHERE (enterprise_id IS NOT NULL);


--
-- Name: principals_role; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX principals_role ON public.principals USING btree (role, id);


--
-- Name: tokens_principal; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tokens_principal ON public.tokens USING btree (principal_id, id);


--
-- Name: assets assets_notify_feed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER assets_notify_feed AFTER INSERT OR UPDATE ON public.assets FOR EACH STATEMENT EXECUTE FUNCTION public.sitrep_notify_feed();


--
-- Name: enterprises enterprises_notify_credentials; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER enterprises_notify_credentials AFTER UPDATE OF province, sector ON public.enterprises FOR EACH ROW WHEN (((old.province IS DISTINCT FROM new.province) OR (old.sector IS DISTINCT FROM new.sector))) EXECUTE FUNCTION public.sitrep_notify_credentials('enterprise');


--
-- Name: incidents incidents_notify_feed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER incidents_notify_feed AFTER INSERT OR UPDATE ON public.incidents FOR EACH STATEMENT EXECUTE FUNCTION public.sitrep_notify_feed();


--
-- Name: notification_targets notification_targets_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER notification_targets_changed BEFORE UPDATE ON public.notification_targets FOR EACH ROW EXECUTE FUNCTION public.sitrep_notice_target_changed();


--
-- Name: notification_targets notification_targets_notify_feed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER notification_targets_notify_feed AFTER INSERT OR UPDATE ON public.notification_targets FOR EACH STATEMENT EXECUTE FUNCTION public.sitrep_notify_feed();


--
-- Name: principals principals_notify_credentials; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER principals_notify_credentials AFTER UPDATE OF name, role, province, enterprise_id ON public.principals FOR EACH ROW WHEN (((old.name IS DISTINCT FROM new.name) OR (old.role IS DISTINCT FROM new.role) OR (old.province IS DISTINCT FROM new.province) OR (old.enterprise_id IS DISTINCT FROM new.enterprise_id))) EXECUTE FUNCTION public.sitrep_notify_credentials('principal');


--
-- Name: principals principals_notify_credentials_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER principals_notify_credentials_deleted AFTER DELETE ON public.principals FOR EACH ROW EXECUTE FUNCTION public.sitrep_notify_credentials('principal');


--
-- Name: provinces provinces_situation_slots; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provinces_situation_slots AFTER INSERT ON public.provinces FOR EACH ROW EXECUTE FUNCTION public.sitrep_province_slots();


--
-- Name: sectors sectors_situation_slots; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER sectors_situation_slots AFTER INSERT ON public.sectors FOR EACH ROW EXECUTE FUNCTION public.sitrep_sector_slots();


--
-- Name: tokens tokens_notify_credentials; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER tokens_notify_credentials AFTER UPDATE OF revoked_at, expires_at, principal_id, secret_sha256 ON public.tokens FOR EACH ROW WHEN (((old.revoked_at IS DISTINCT FROM new.revoked_at) OR (old.expires_at IS DISTINCT FROM new.expires_at) OR (old.principal_id IS DISTINCT FROM new.principal_id) OR (old.secret_sha256 IS DISTINCT FROM new.secret_sha256))) EXECUTE FUNCTION public.sitrep_notify_credentials('token');


--
-- Name: tokens tokens_notify_credentials_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER tokens_notify_credentials_deleted AFTER DELETE ON public.tokens FOR EACH ROW EXECUTE FUNCTION public.sitrep_notify_credentials('token');


--
-- Name: enterprises enterprises_province_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enterprises
    ADD CONSTRAINT enterprises_province_fkey FOREIGN KEY (province) REFERENCES public.provinces(code);


--
-- Name: enterprises enterprises_sector_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enterprises
    ADD CONSTRAINT enterprises_sector_fkey FOREIGN KEY (sector) REFERENCES public.sectors(code);


--
-- Name: incident_revisions incident_revisions_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_revisions
    ADD CONSTRAINT incident_revisions_province_id_fkey FOREIGN KEY (province, id) REFERENCES public.incidents(province, id);


--
-- Name: notification_events notification_events_notification_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_events
    ADD CONSTRAINT notification_events_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES public.notifications(id);


--
-- Name: notification_events notification_events_principal_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_events
    ADD CONSTRAINT notification_events_principal_id_fkey FOREIGN KEY (principal_id) REFERENCES public.principals(id);


--
-- Name: notification_events notification_events_province_target_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_events
    ADD CONSTRAINT notification_events_province_target_id_fkey FOREIGN KEY (province, target_id) REFERENCES public.notification_targets(province, id);


--
-- Name: notification_targets notification_targets_enterprise_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_targets
    ADD CONSTRAINT notification_targets_enterprise_id_fkey FOREIGN KEY (enterprise_id) REFERENCES public.enterprises(id);


--
-- Name: notification_targets notification_targets_notification_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_targets
    ADD CONSTRAINT notification_targets_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES public.notifications(id);


--
-- Name: notification_targets notification_targets_province_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_targets
    ADD CONSTRAINT notification_targets_province_fkey FOREIGN KEY (province) REFERENCES public.provinces(code);


--
-- Name: notifications notifications_issuer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_issuer_id_fkey FOREIGN KEY (issuer_id) REFERENCES public.principals(id);


--
-- Name: notifications notifications_issuer_province_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_issuer_province_fkey FOREIGN KEY (issuer_province) REFERENCES public.provinces(code);


--
-- Name: principals principals_enterprise_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.principals
    ADD CONSTRAINT principals_enterprise_id_fkey FOREIGN KEY (enterprise_id) REFERENCES public.enterprises(id);


--
-- Name: principals principals_province_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.principals
    ADD CONSTRAINT principals_province_fkey FOREIGN KEY (province) REFERENCES public.provinces(code);


--
-- Name: tokens tokens_principal_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT tokens_principal_id_fkey FOREIGN KEY (principal_id) REFERENCES public.principals(id);


--
-- Name: assets; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.assets ENABLE ROW LEVEL SECURITY;

--
-- Name: assets assets_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY assets_read ON public.assets FOR SELECT TO sitrep_app USING (public.sitrep_may_read_asset(province, reporter_id, enterprise_id));


--
-- Name: assets assets_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY assets_update ON public.assets FOR UPDATE TO sitrep_app USING ((current_setting('sitrep.role'::text, true) = 'ADMIN'::text));


--
-- Name: assets assets_write; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY assets_write ON public.assets FOR INSERT TO sitrep_app WITH CHECK ((current_setting('sitrep.role'::text, true) = 'ADMIN'::text));


--
-- Name: incident_revisions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.incident_revisions ENABLE ROW LEVEL SECURITY;

--
-- Name: incident_revisions incident_revisions_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY incident_revisions_insert ON public.incident_revisions FOR INSERT TO sitrep_app WITH CHECK (((current_setting('sitrep.role'::text, true) = ANY (ARRAY['ADMIN'::text, 'NATIONAL'::text])) OR (reporter_id = public.sitrep_setting_bigint('sitrep.principal_id'::text)) OR ((current_setting('sitrep.role'::text, true) = 'ENTERPRISE'::text) AND (enterprise_id = public.sitrep_setting_bigint('sitrep.enterprise_id'::text)))));


--
-- Name: incident_revisions incident_revisions_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY incident_revisions_read ON public.incident_revisions FOR SELECT TO sitrep_app USING (public.sitrep_may_read_incident(province, reporter_id, enterprise_id, sector, tlp, sharing_scope));


--
-- Name: incidents; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.incidents ENABLE ROW LEVEL SECURITY;

--
-- Name: incidents incidents_amend; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY incidents_amend ON public.incidents FOR UPDATE TO sitrep_app USING (((current_setting('sitrep.role'::text, true) = ANY (ARRAY['ADMIN'::text, 'NATIONAL'::text])) OR (reporter_id = public.sitrep_setting_bigint('sitrep.principal_id'::text)) OR ((current_setting('sitrep.role'::text, true) = 'ENTERPRISE'::text) AND (enterprise_id = public.sitrep_setting_bigint('sitrep.enterprise_id'::text)))));


--
-- Name: incidents incidents_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY incidents_insert ON public.incidents FOR INSERT TO sitrep_app WITH CHECK ((current_setting('sitrep.role'::text, true) = 'ADMIN'::text));


--
-- Name: incidents incidents_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY incidents_read ON public.incidents FOR SELECT TO sitrep_app USING (public.sitrep_may_read_incident(province, reporter_id, enterprise_id, sector, tlp, sharing_scope));


--
-- Name: notification_events; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.notification_events ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_events notification_events_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_events_read ON public.notification_events FOR SELECT TO sitrep_app USING ((EXISTS ( SELECT 1
   FROM public.notification_targets t
  WHERE ((t.province = notification_events.province) AND (t.id = notification_events.target_id)))));


--
-- Name: notification_events notification_events_write; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_events_write ON public.notification_events FOR INSERT TO sitrep_app WITH CHECK (((current_setting('sitrep.role'::text, true) = 'ADMIN'::text) OR ((principal_id = public.sitrep_setting_bigint('sitrep.principal_id'::text)) AND public.sitrep_may_change_notice_target(notification_id, province, ( SELECT t.enterprise_id
   FROM public.notification_targets t
  WHERE ((t.province = notification_events.province) AND (t.id = notification_events.target_id)))))));


--
-- Name: notification_targets; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.notification_targets ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_targets notification_targets_change; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_targets_change ON public.notification_targets FOR UPDATE TO sitrep_app USING (public.sitrep_may_change_notice_target(notification_id, province, enterprise_id));


--
-- Name: notification_targets notification_targets_issue; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_targets_issue ON public.notification_targets FOR INSERT TO sitrep_app WITH CHECK (((current_setting('sitrep.role'::text, true) = 'ADMIN'::text) OR ((current_setting('sitrep.role'::text, true) = 'NATIONAL'::text) AND (enterprise_id IS NULL) AND (public.sitrep_notice_issuer_province(notification_id) IS NULL)) OR ((current_setting('sitrep.role'::text, true) = 'PROVINCIAL'::text) AND (enterprise_id IS NOT NULL) AND (province = public.sitrep_setting_bigint('sitrep.province'::text)) AND (public.sitrep_notice_issuer_province(notification_id) = public.sitrep_setting_bigint('sitrep.province'::text)))));


--
-- Name: notification_targets notification_targets_national_only; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_targets_national_only ON public.notification_targets AS RESTRICTIVE TO sitrep_app USING (((NOT "national") OR (current_setting('sitrep.role'::text, true) = ANY (ARRAY['NATIONAL'::text, 'ADMIN'::text])))) WITH CHECK (((NOT "national") OR (current_setting('sitrep.role'::text, true) = ANY (ARRAY['NATIONAL'::text, 'ADMIN'::text]))));


--
-- Name: notification_targets notification_targets_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_targets_read ON public.notification_targets FOR SELECT TO sitrep_app USING (public.sitrep_may_read_notice_target(notification_id, province, enterprise_id));


--
-- Name: notifications; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.notifications ENABLE ROW LEVEL SECURITY;

--
-- Name: notifications notifications_issue; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notifications_issue ON public.notifications FOR INSERT TO sitrep_app WITH CHECK (((current_setting('sitrep.role'::text, true) = 'ADMIN'::text) OR ((current_setting('sitrep.role'::text, true) = 'NATIONAL'::text) AND (level = 'NATIONAL'::text) AND (issuer_id = public.sitrep_setting_bigint('sitrep.principal_id'::text))) OR ((current_setting('sitrep.role'::text, true) = 'PROVINCIAL'::text) AND (level = 'PROVINCIAL'::text) AND (issuer_province = public.sitrep_setting_bigint('sitrep.province'::text)) AND (issuer_id = public.sitrep_setting_bigint('sitrep.principal_id'::text)))));


--
-- Name: notifications notifications_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notifications_read ON public.notifications FOR SELECT TO sitrep_app USING (public.sitrep_may_read_notice(id, issuer_province));


--
-- Name: situation_cells; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.situation_cells ENABLE ROW LEVEL SECURITY;

--
-- Name: situation_cells situation_cells_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY situation_cells_read ON public.situation_cells FOR SELECT TO sitrep_app USING ((viewer = ANY (public.sitrep_caller_viewers())));


--
-- Name: situation_exposure_counts; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.situation_exposure_counts ENABLE ROW LEVEL SECURITY;

--
-- Name: situation_exposure_counts situation_exposure_counts_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY situation_exposure_counts_read ON public.situation_exposure_counts FOR SELECT TO sitrep_app USING ((viewer = ANY (public.sitrep_caller_viewers())));


--
-- Name: situation_open_counts; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.situation_open_counts ENABLE ROW LEVEL SECURITY;

--
-- Name: situation_open_counts situation_open_counts_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY situation_open_counts_read ON public.situation_open_counts FOR SELECT TO sitrep_app USING ((viewer = ANY (public.sitrep_caller_viewers())));


--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA public TO sitrep_app;


--
-- Name: TABLE situation_slots; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.situation_slots TO sitrep_app;


--
-- Name: FUNCTION sitrep_compact_exposure(upto_xid xid8, upto_seq bigint, max_assets bigint); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.sitrep_compact_exposure(upto_xid xid8, upto_seq bigint, max_assets bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.sitrep_compact_exposure(upto_xid xid8, upto_seq bigint, max_assets bigint) TO sitrep_app;


--
-- Name: FUNCTION sitrep_exposure_changes(after_xid xid8, after_seq bigint, upto_xid xid8, upto_seq bigint); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.sitrep_exposure_changes(after_xid xid8, after_seq bigint, upto_xid xid8, upto_seq bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.sitrep_exposure_changes(after_xid xid8, after_seq bigint, upto_xid xid8, upto_seq bigint) TO sitrep_app;


--
-- Name: SEQUENCE record_feed_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.record_feed_seq TO sitrep_app;


--
-- Name: TABLE assets; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,UPDATE ON TABLE public.assets TO sitrep_app;


--
-- Name: TABLE incidents; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,UPDATE ON TABLE public.incidents TO sitrep_app;


--
-- Name: FUNCTION sitrep_indicators_without_victim(incident_id bigint); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.sitrep_indicators_without_victim(incident_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.sitrep_indicators_without_victim(incident_id bigint) TO sitrep_app;


--
-- Name: TABLE notifications; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.notifications TO sitrep_app;


--
-- Name: SEQUENCE notification_feed_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.notification_feed_seq TO sitrep_app;


--
-- Name: TABLE notification_targets; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,UPDATE ON TABLE public.notification_targets TO sitrep_app;


--
-- Name: FUNCTION sitrep_notice_backlog(now timestamp with time zone); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.sitrep_notice_backlog(now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.sitrep_notice_backlog(now timestamp with time zone) TO sitrep_app;


--
-- Name: FUNCTION sitrep_raise_escalations(notices jsonb, raised_at timestamp with time zone); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.sitrep_raise_escalations(notices jsonb, raised_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.sitrep_raise_escalations(notices jsonb, raised_at timestamp with time zone) TO sitrep_app;


--
-- Name: FUNCTION sitrep_situation_changes(after_xid xid8, after_seq bigint, upto_xid xid8, upto_seq bigint, max_revisions bigint); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.sitrep_situation_changes(after_xid xid8, after_seq bigint, upto_xid xid8, upto_seq bigint, max_revisions bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.sitrep_situation_changes(after_xid xid8, after_seq bigint, upto_xid xid8, upto_seq bigint, max_revisions bigint) TO sitrep_app;


--
-- Name: FUNCTION sitrep_store_situation_step(viewers text[], provinces integer[], grains "char"[], buckets bigint[], slots text[], vals text[], open_viewers text[], open_provinces integer[], open_enterprises bigint[], open_counts bigint[], cursor_xid xid8, cursor_seq bigint); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.sitrep_store_situation_step(viewers text[], provinces integer[], grains "char"[], buckets bigint[], slots text[], vals text[], open_viewers text[], open_provinces integer[], open_enterprises bigint[], open_counts bigint[], cursor_xid xid8, cursor_seq bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.sitrep_store_situation_step(viewers text[], provinces integer[], grains "char"[], buckets bigint[], slots text[], vals text[], open_viewers text[], open_provinces integer[], open_enterprises bigint[], open_counts bigint[], cursor_xid xid8, cursor_seq bigint) TO sitrep_app;


--
-- Name: SEQUENCE assets_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.assets_id_seq TO sitrep_app;


--
-- Name: TABLE audit_entries; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.audit_entries TO sitrep_app;


--
-- Name: SEQUENCE audit_entries_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.audit_entries_id_seq TO sitrep_app;


--
-- Name: TABLE enterprises; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,UPDATE ON TABLE public.enterprises TO sitrep_app;


--
-- Name: SEQUENCE enterprises_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.enterprises_id_seq TO sitrep_app;


--
-- Name: TABLE incident_feed_marks; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,UPDATE ON TABLE public.incident_feed_marks TO sitrep_app;


--
-- Name: TABLE incident_revisions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.incident_revisions TO sitrep_app;


--
-- Name: TABLE incidents_as_seen; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.incidents_as_seen TO sitrep_app;


--
-- Name: SEQUENCE incidents_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.incidents_id_seq TO sitrep_app;


--
-- Name: TABLE notification_events; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.notification_events TO sitrep_app;


--
-- Name: SEQUENCE notification_events_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.notification_events_id_seq TO sitrep_app;


--
-- Name: SEQUENCE notification_targets_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.notification_targets_id_seq TO sitrep_app;


--
-- Name: SEQUENCE notifications_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.notifications_id_seq TO sitrep_app;


--
-- Name: TABLE principals; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.principals TO sitrep_app;


--
-- Name: SEQUENCE principals_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.principals_id_seq TO sitrep_app;


--
-- Name: TABLE provinces; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.provinces TO sitrep_app;


--
-- Name: TABLE sectors; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.sectors TO sitrep_app;


--
-- Name: TABLE situation_cells; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.situation_cells TO sitrep_app;


--
-- Name: TABLE situation_cursor; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.situation_cursor TO sitrep_app;


--
-- Name: TABLE situation_exposure_counts; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.situation_exposure_counts TO sitrep_app;


--
-- Name: TABLE situation_open_counts; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.situation_open_counts TO sitrep_app;


--
-- Name: TABLE tokens; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,UPDATE ON TABLE public.tokens TO sitrep_app;


--
-- Name: SEQUENCE tokens_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.tokens_id_seq TO sitrep_app;


--
-- Name: DEFAULT PRIVILEGES FOR SEQUENCES; Type: DEFAULT ACL; Schema: public; Owner: -
--

ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES  TO sitrep_app;


--
-- PostgreSQL database dump complete
--


