-- Notifications (通报) and each target's DELIVERED → ACKNOWLEDGED → FEEDBACK_SUBMITTED → CLOSED
-- loop (SPEC §2, §5).
--
-- Distribution (SPEC §8): a national bulletin fans out to many provinces, so the notice itself
-- is keyed by id alone (a Citus reference table: few rows, read by every recipient), while its
-- targets and their history carry the recipient's province in their primary key.

CREATE TABLE notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  issuer_id bigint NOT NULL REFERENCES principals,
  issuer_province integer REFERENCES provinces,  -- NULL: the national centre
  level text NOT NULL CHECK (level IN ('NATIONAL', 'PROVINCIAL')),
  origin text NOT NULL DEFAULT 'MANUAL' CHECK (origin IN ('MANUAL', 'INCIDENT_RULE', 'KEV_RULE')),
  priority smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),  -- a Severity: 1 = I … 4 = IV
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  required_action text NOT NULL DEFAULT '',
  response_deadline timestamptz NOT NULL,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED')),
  incident_ids bigint[] NOT NULL DEFAULT '{}',
  asset_ids bigint[] NOT NULL DEFAULT '{}',
  cve_ids text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((level = 'NATIONAL') = (issuer_province IS NULL))
);
CREATE INDEX notifications_issuer_province ON notifications (issuer_province, id);
CREATE INDEX notifications_issuer ON notifications (issuer_id, id);

-- One recipient: a province (national level, enterprise_id NULL) or an enterprise of the
-- issuer's province (provincial level); either way the row has the recipient's province.
CREATE TABLE notification_targets (
  id bigint GENERATED ALWAYS AS IDENTITY,
  notification_id bigint NOT NULL REFERENCES notifications,
  province integer NOT NULL REFERENCES provinces,
  enterprise_id bigint REFERENCES enterprises,
  state text NOT NULL DEFAULT 'DELIVERED'
    CHECK (state IN ('DELIVERED', 'ACKNOWLEDGED', 'FEEDBACK_SUBMITTED', 'CLOSED')),
  feedback text NOT NULL DEFAULT '',
  outcome text NOT NULL DEFAULT 'UNSPECIFIED' CHECK (outcome IN ('UNSPECIFIED', 'FIXED',
    'MITIGATED', 'RISK_ACCEPTED', 'NOT_APPLICABLE')),
  feedback_incident_ids bigint[] NOT NULL DEFAULT '{}',
  acknowledged_at timestamptz,
  feedback_at timestamptz,
  closed_at timestamptz,
  PRIMARY KEY (province, id),
  UNIQUE NULLS NOT DISTINCT (notification_id, province, enterprise_id)
);
CREATE INDEX notification_targets_enterprise ON notification_targets (enterprise_id, notification_id)
  WHERE enterprise_id IS NOT NULL;
-- Overdue scans: targets still waiting for feedback.
CREATE INDEX notification_targets_open ON notification_targets (province, notification_id)
  WHERE state IN ('DELIVERED', 'ACKNOWLEDGED');

-- Every transition of every target, kept forever (NotificationTarget.history).
CREATE TABLE notification_events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  province integer NOT NULL,
  target_id bigint NOT NULL,
  notification_id bigint NOT NULL REFERENCES notifications,
  state text NOT NULL
    CHECK (state IN ('DELIVERED', 'ACKNOWLEDGED', 'FEEDBACK_SUBMITTED', 'CLOSED')),
  principal_id bigint NOT NULL REFERENCES principals,
  text text NOT NULL DEFAULT '',
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province, id),
  FOREIGN KEY (province, target_id) REFERENCES notification_targets (province, id)
);
CREATE INDEX notification_events_target ON notification_events (target_id, id);

GRANT SELECT, INSERT ON notifications, notification_events TO sitrep_app;
GRANT SELECT, INSERT, UPDATE ON notification_targets TO sitrep_app;
