-- Fewer index entries per notice, so that a notice raised inside the ingest transaction costs
-- less (issue #5 bounds what the rules may add to ingest). Outboxes select by level, and a
-- province's by level and issuer province (storage/notification_store.cc, IssuedBy):
-- * nothing reads notices by issuer_id (principals are never deleted, so the foreign key needs
--   no index either);
-- * only provincial notices have an issuer province, so national and rule-raised ones, the
--   bulk of the table, need no entry there. `issuer_province = $1` implies IS NOT NULL, so
--   the planner still uses the partial index.
DROP INDEX notifications_issuer;
DROP INDEX notifications_issuer_province;
CREATE INDEX notifications_issuer_province ON notifications (issuer_province, id)
  WHERE issuer_province IS NOT NULL;
