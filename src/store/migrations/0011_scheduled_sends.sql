-- Scheduled send (POST /messages/send with send_at): the composed message waits here until its
-- time. The send itself is one mailbox unit that also moves the row from pending to sent, so a
-- crash never sends twice and a cancelled schedule never sends.
CREATE TABLE scheduled_sends (
  id TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  -- the id the Sent copy will have (returned when the send is scheduled)
  message_id TEXT NOT NULL,
  send_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  -- why a failed send failed
  description TEXT,
  -- when it was sent, failed or cancelled
  close_time INTEGER,
  -- the Sent copy (with Bcc) and what recipients get (without)
  sent_raw BLOB NOT NULL,
  delivery_raw BLOB NOT NULL,
  recipients_json TEXT NOT NULL,
  metadata_json TEXT NOT NULL DEFAULT '{}',
  flagged INTEGER NOT NULL DEFAULT 0,
  answered_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX scheduled_sends_due ON scheduled_sends(status, send_at);
CREATE INDEX scheduled_sends_grant ON scheduled_sends(grant_id, created_at);
