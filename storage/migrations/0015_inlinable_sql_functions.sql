-- Three functions of 0001 and 0008 again, with bodies PostgreSQL can inline. Each was declared
-- IMMUTABLE around an expression PostgreSQL only knows as STABLE (extract() and `+` on
-- timestamptz may depend on TimeZone in general; `text || integer` goes through the integer's
-- output function), and it never inlines such a function: every call ran the SQL-function
-- executor. While ingesting with the escalation rules on that was ~9 % of PostgreSQL's time
-- for the time conversions and 6 s of the situation compactor's per 1 M incidents for the
-- viewers; every feed page row converts several times too. Same results: the conversions go
-- through `timestamp without time zone` at UTC, which keeps every step immutable, and are exact
-- to the microsecond whatever the TimeZone setting (storage/migrations_pgtest.cc).
CREATE OR REPLACE FUNCTION sitrep_micros(t timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (extract(epoch FROM t AT TIME ZONE 'UTC') * 1000000)::bigint;

CREATE OR REPLACE FUNCTION sitrep_time(micros bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (timestamp 'epoch' + micros * interval '1 microsecond') AT TIME ZONE 'UTC';

CREATE OR REPLACE FUNCTION sitrep_situation_viewers(province integer, sector text, tlp text,
                                                    sharing_scope text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY['N', CASE WHEN sharing_scope <> 'PROVINCE' AND tlp NOT IN ('RED', 'AMBER_STRICT')
                         THEN 'S' ELSE 'P:' || province::text END]
    || CASE WHEN tlp NOT IN ('CLEAR', 'GREEN') THEN '{}'::text[]
            WHEN sharing_scope = 'PUBLIC' THEN ARRAY['E']
            WHEN sharing_scope = 'SECTOR' THEN ARRAY['E:' || sector]
            ELSE '{}'::text[] END;
