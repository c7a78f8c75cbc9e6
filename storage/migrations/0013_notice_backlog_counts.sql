-- The notice backlog of the metrics endpoint (sitrep_notifications_open / _overdue): counted by
-- the tables' owner, because under the app role row-level security calls its policy functions
-- for every target row, which made one scrape take over a second at 90,000 targets. The
-- function returns counts only, never a row, and only the server's role may call it.
CREATE FUNCTION sitrep_notice_backlog(now timestamptz)
  RETURNS TABLE (level text, province integer, open bigint, overdue bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT n.level, t.province, count(*),
         count(*) FILTER (WHERE t.state IN ('DELIVERED', 'ACKNOWLEDGED')
                          AND n.response_deadline < now)
  FROM notification_targets t JOIN notifications n ON n.id = t.notification_id
  WHERE t.state <> 'CLOSED'
  GROUP BY 1, 2 ORDER BY 1, 2
$$;
REVOKE ALL ON FUNCTION sitrep_notice_backlog(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitrep_notice_backlog(timestamptz) TO sitrep_app;
