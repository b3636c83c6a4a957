-- Transactional send (POST /v3/domains/{domain}/messages/send, issue 19): a message an application
-- sends from its domain with no account behind it. Its queue rows have no grant; every row now
-- names its application (whose webhooks hear its delivered/bounced events). SQLite cannot drop a
-- NOT NULL, so the table is rebuilt.
CREATE TABLE outbound_queue_next (
  id TEXT PRIMARY KEY,
  grant_id TEXT REFERENCES grants(id) ON DELETE CASCADE,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
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
INSERT INTO outbound_queue_next
  (id, grant_id, application_id, message_id, mail_from, rcpt_to, blob_hash, status, attempts,
   next_attempt_at, last_error, created_at, updated_at)
SELECT q.id, q.grant_id, g.application_id, q.message_id, q.mail_from, q.rcpt_to, q.blob_hash, q.status,
       q.attempts, q.next_attempt_at, q.last_error, q.created_at, q.updated_at
FROM outbound_queue q JOIN grants g ON g.id = q.grant_id;
DROP TABLE outbound_queue;
ALTER TABLE outbound_queue_next RENAME TO outbound_queue;
CREATE INDEX outbound_queue_due ON outbound_queue(status, next_attempt_at);
CREATE INDEX outbound_queue_blob ON outbound_queue(blob_hash);
CREATE INDEX outbound_queue_grant ON outbound_queue(grant_id);
