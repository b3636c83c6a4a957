-- Webhooks (issue #6): endpoints of an application, and the durable state of their deliveries.

-- One row per endpoint. `cursor` is the endpoint's place in the event log: every event up to it
-- has been delivered, or was given a webhook_deliveries row (retry pending or failed), or did
-- not match the endpoint's triggers. A paused or failed endpoint keeps its cursor; on
-- reactivation delivery resumes after it. `secret` signs deliveries (a shared HMAC secret, so it
-- is stored as is; never logged, returned only on create and rotate).
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  description TEXT,
  trigger_types_json TEXT NOT NULL,
  secret TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pause', 'failing', 'failed')),
  status_updated_at INTEGER NOT NULL,
  compressed_delivery INTEGER NOT NULL DEFAULT 0,
  notification_email_addresses_json TEXT NOT NULL DEFAULT '[]',
  cursor INTEGER NOT NULL,
  -- Unix seconds of the last 2xx, and the last failed attempt's reason (agentbox extension)
  last_success_at INTEGER,
  last_error TEXT,
  last_error_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhooks_application ON webhooks(application_id, created_at);

-- A notification whose first attempt failed: its retries (pending), or the end of them
-- (delivered, failed). A first attempt that succeeds writes nothing here (the cursor moves).
CREATE TABLE webhook_deliveries (
  webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_seq INTEGER NOT NULL,
  notification_id TEXT NOT NULL,
  -- attempts made so far
  attempt INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  next_attempt_at_ms INTEGER NOT NULL,
  -- HTTP status of the last attempt (null: no answer)
  last_status INTEGER,
  last_error TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (webhook_id, event_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(webhook_id, status, next_attempt_at_ms);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries(event_seq);

-- Retention sweeps delete old events by age.
CREATE INDEX events_created ON events(created_at_ms);
