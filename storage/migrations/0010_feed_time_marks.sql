-- Where in the feed a receive time begins (issue #4: "last 24 h" at 10 M incidents).
--
-- The feed runs in commit order (feed_xid, feed_seq) while a receive_time filter speaks of
-- received_at; without a link between the two, a page of "received since T" walks the feed
-- from its start and discards everything older. Every statement that inserts incidents records,
-- per minute of received_at and per connection, the smallest feed_xid it wrote. The smallest
-- mark at or after T's minute is then an exact lower bound of the feed position of every row
-- received at or after T, whatever clock stamped received_at and in whatever order
-- transactions began: each row's own (minute, xid) went into a mark when it was inserted.
-- One row per minute and connection: connections never contend for a mark (one connection runs
-- one transaction at a time), and a day holds a few thousand marks.
CREATE TABLE incident_feed_marks (
  minute timestamptz NOT NULL,
  backend integer NOT NULL,  -- pg_backend_pid() of the inserting connection
  min_xid xid8 NOT NULL,
  PRIMARY KEY (minute, backend)
);

-- The minute a time falls in, whatever the session's time zone (date_trunc would follow it).
CREATE FUNCTION sitrep_minute(at timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN date_bin(interval '1 minute', at, timestamptz 'epoch');

CREATE FUNCTION sitrep_mark_incident_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_feed_marks AS m (minute, backend, min_xid)
    SELECT sitrep_minute(received_at), pg_backend_pid(), min(feed_xid)
    FROM new_incidents GROUP BY 1
    ON CONFLICT (minute, backend) DO UPDATE SET min_xid = least(m.min_xid, EXCLUDED.min_xid);
  RETURN NULL;
END $$;

CREATE TRIGGER incidents_mark_feed AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS new_incidents FOR EACH STATEMENT
  EXECUTE FUNCTION sitrep_mark_incident_feed();

-- Rows already stored get marks under a backend number no connection has.
INSERT INTO incident_feed_marks (minute, backend, min_xid)
  SELECT sitrep_minute(received_at), 0, min(feed_xid) FROM incidents GROUP BY 1;

-- The marks say only where in the feed a minute begins, nothing of any record.
GRANT SELECT, INSERT, UPDATE ON incident_feed_marks TO sitrep_app;
