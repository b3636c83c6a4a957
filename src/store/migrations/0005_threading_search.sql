-- Subject filter beyond ASCII: SQLite's LIKE folds only ASCII, so keep a lower-cased copy (folded
-- in JS, which knows Unicode) and compare it with the lower-cased query.
ALTER TABLE messages ADD COLUMN subject_folded TEXT;
UPDATE messages SET subject_folded = lower(subject);

-- Every Message-ID a message refers to (In-Reply-To and References), so a parent that arrives
-- after its replies, even ones that name it only in References, finds their thread.
CREATE TABLE message_references (
  grant_id TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE
);
CREATE INDEX message_references_lookup ON message_references(grant_id, ref_id);
CREATE INDEX message_references_message ON message_references(message_id);
INSERT INTO message_references (grant_id, ref_id, message_id)
  SELECT m.grant_id, j.value, m.id FROM messages m, json_each(m.references_json) j;
INSERT INTO message_references (grant_id, ref_id, message_id)
  SELECT grant_id, in_reply_to, id FROM messages
  WHERE in_reply_to IS NOT NULL AND in_reply_to NOT IN (SELECT value FROM json_each(references_json));
