-- Sending (issue #5): the outbound queue the SMTP delivery worker drains, Idempotency-Key
-- replays for POST /messages/send, and per-day send counts for the daily quota.

-- One row per remote recipient of a sent message. message_id is the sender's Sent copy; it has
-- no foreign key because the copy may be deleted while its delivery is still pending. blob_hash
-- names the bytes to deliver (the Sent copy minus any Bcc header).
CREATE TABLE outbound_queue (
  id TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  message_id TEXT NOT NULL,
  mail_from TEXT NOT NULL,
  rcpt_to TEXT NOT NULL,
  blob_hash TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX outbound_queue_due ON outbound_queue(status, next_attempt_at);
CREATE INDEX outbound_queue_blob ON outbound_queue(blob_hash);
CREATE INDEX outbound_queue_grant ON outbound_queue(grant_id);

-- Idempotency-Key of a send, per grant, kept one hour.
CREATE TABLE idempotency_keys (
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  -- SHA-256 of the validated request
  fingerprint TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in_flight', 'done')),
  response_status INTEGER,
  -- the response body minus request_id
  response_json TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (grant_id, key)
);

-- Messages sent per grant per UTC day (YYYY-MM-DD), over every send path.
CREATE TABLE send_counts (
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (grant_id, day)
);
