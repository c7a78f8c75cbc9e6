-- The metrics endpoint's notice backlog (sitrep_notifications_open / _overdue, 0013) from the
-- targets alone. Since 0017 a target carries its notice's deadline, and its level follows from
-- whom it addresses: the national centre notifies provinces (enterprise_id NULL, including its
-- own national targets), a province notifies enterprises (notifications/notice_rules.cc refuses
-- anything else, and rule-raised notices are national). Joined to notifications, the count was
-- a parallel hash join over every open target: 0.55 s of elapsed time, and two processes' worth
-- of CPU, every ten seconds while a bench scraped /metrics at 180,000 escalated targets.
CREATE OR REPLACE FUNCTION sitrep_notice_backlog(now timestamptz)
  RETURNS TABLE (level text, province integer, open bigint, overdue bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT CASE WHEN t.enterprise_id IS NULL THEN 'NATIONAL' ELSE 'PROVINCIAL' END, t.province,
         count(*),
         count(*) FILTER (WHERE t.state IN ('DELIVERED', 'ACKNOWLEDGED')
                          AND t.response_deadline < now)
  FROM notification_targets t
  WHERE t.state <> 'CLOSED'
  GROUP BY 1, 2 ORDER BY 1, 2
$$;
