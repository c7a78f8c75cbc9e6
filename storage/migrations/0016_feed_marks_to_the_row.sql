-- The receive-time marks of 0010 point at the first row of a minute, not only its transaction.
--
-- A mark held the smallest feed_xid a connection wrote in a minute, so a "received since T" page
-- started at the beginning of that transaction and walked past every row of it received before
-- T: a bulk transaction spanning hours (the bench's loader writes 100,000 rows a transaction)
-- cost ~70,000 rows of index walk per page, 33 ms p50. Every row one statement inserts carries
-- the statement's own transaction id, so the statement's smallest feed_seq completes the pair:
-- (min_xid, min_seq) is an exact lower bound of the feed position of each row the mark covers.
ALTER TABLE incident_feed_marks ADD COLUMN min_seq bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION sitrep_mark_incident_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_feed_marks AS m (minute, backend, min_xid, min_seq)
    SELECT sitrep_minute(received_at), pg_backend_pid(), min(feed_xid), min(feed_seq)
    FROM new_incidents GROUP BY 1
    ON CONFLICT (minute, backend) DO UPDATE
      SET min_xid = EXCLUDED.min_xid, min_seq = EXCLUDED.min_seq
      WHERE (EXCLUDED.min_xid, EXCLUDED.min_seq) < (m.min_xid, m.min_seq);
  RETURN NULL;
END $$;

-- Marks already kept (min_seq 0 is a valid but loose bound) get the first row of their minute
-- within their transaction: the rows of one minute and one transaction come from one connection.
UPDATE incident_feed_marks m SET min_seq = first.seq
  FROM (SELECT sitrep_minute(received_at) AS minute, feed_xid, min(feed_seq) AS seq
        FROM incidents GROUP BY 1, 2) AS first
  WHERE first.minute = m.minute AND first.feed_xid = m.min_xid;
