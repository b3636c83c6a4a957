-- hold_for_review (an outbound rule's action, agentbox's own): a message parked in the account's
-- Review folder until a person releases it (moves it to Outbox, or POST …/release) or discards
-- it (deletes it). The envelope it was sent with is kept here for the release.
CREATE TABLE held_messages (
  message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  recipients_json TEXT NOT NULL,
  answered_id TEXT,
  matched_rule_ids_json TEXT NOT NULL,
  held_at INTEGER NOT NULL
);
CREATE INDEX held_messages_grant ON held_messages(grant_id);
