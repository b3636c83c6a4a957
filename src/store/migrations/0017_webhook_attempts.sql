-- Every webhook delivery attempt, for the history a person (the dashboard) or an agent reads:
-- GET /v3/webhooks/{id}/deliveries. Written in batches off the delivery path (a crash may lose
-- the last fraction of a second of history, never a delivery); swept with the event log.
CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  notification_id TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  attempted_at_ms INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  status_code INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
  error TEXT
);
CREATE INDEX webhook_attempts_by_webhook ON webhook_attempts (webhook_id, id);
CREATE INDEX webhook_attempts_by_time ON webhook_attempts (attempted_at_ms);
