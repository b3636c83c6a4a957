-- A policy's limit_count_daily_message_received: messages received per account per UTC day,
-- counted (in the unit that stores each one) while a policy sets the limit.
CREATE TABLE receive_counts (
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (grant_id, day)
) WITHOUT ROWID;
