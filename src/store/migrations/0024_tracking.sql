-- Message tracking (tracking_options on a send, issue 19): a tracked message is named by a random
-- token in its pixel and link URLs; each open and click is a hit; thread replies are counted.
CREATE TABLE tracked_messages (
  token TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  -- null for a transactional send (no account)
  grant_id TEXT REFERENCES grants(id) ON DELETE CASCADE,
  -- the Sent copy's id (a transactional send's id)
  message_id TEXT NOT NULL,
  -- its Message-ID header: a reply names it in In-Reply-To or References
  rfc822_id TEXT,
  label TEXT,
  opens INTEGER NOT NULL DEFAULT 0,
  links INTEGER NOT NULL DEFAULT 0,
  thread_replies INTEGER NOT NULL DEFAULT 0,
  -- the original URLs, by the index their redirect carries
  links_json TEXT NOT NULL DEFAULT '[]',
  reply_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX tracked_messages_replies ON tracked_messages(grant_id, rfc822_id) WHERE thread_replies = 1;

CREATE TABLE tracking_hits (
  id INTEGER PRIMARY KEY,
  token TEXT NOT NULL REFERENCES tracked_messages(token) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('open', 'click')),
  link_index INTEGER,
  ip TEXT,
  user_agent TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX tracking_hits_token ON tracking_hits(token, kind, id);

-- a scheduled send's tracking, applied when it is sent
ALTER TABLE scheduled_sends ADD COLUMN tracking_json TEXT;
