-- The mail model (issue #3): parsed fields kept beside the byte-exact raw message, so the API and
-- IMAP serve lists, envelopes and structures without parsing again.

ALTER TABLE messages ADD COLUMN thread_id TEXT;
ALTER TABLE messages ADD COLUMN subject TEXT;
ALTER TABLE messages ADD COLUMN from_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN to_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN cc_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN bcc_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN reply_to_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN snippet TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN has_attachments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN in_reply_to TEXT;
ALTER TABLE messages ADD COLUMN references_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN date_header INTEGER;
ALTER TABLE messages ADD COLUMN extracted_json TEXT NOT NULL DEFAULT '{"codes":[],"links":[]}';

DROP INDEX messages_message_id;
CREATE INDEX messages_message_id ON messages(grant_id, message_id_header);
CREATE INDEX messages_by_date ON messages(grant_id, internal_date DESC);
CREATE INDEX messages_folder_by_date ON messages(grant_id, folder_id, internal_date DESC);
CREATE INDEX messages_folder_unread ON messages(grant_id, folder_id, seen);
CREATE INDEX messages_thread ON messages(grant_id, thread_id);
CREATE INDEX messages_in_reply_to ON messages(grant_id, in_reply_to);
CREATE INDEX messages_blob ON messages(blob_hash);

-- The API's `body`: the HTML part, or the text part up-converted. Kept apart so list scans stay small.
CREATE TABLE message_bodies (
  message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  body TEXT NOT NULL
);

-- The MIME index IMAP serves from: ENVELOPE, BODYSTRUCTURE and the part tree with byte offsets.
CREATE TABLE message_mime (
  message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  envelope_json TEXT NOT NULL,
  bodystructure_json TEXT NOT NULL,
  tree_json TEXT NOT NULL
);

-- One row per participant, for the to/from/cc/bcc/any_email filters.
CREATE TABLE message_addresses (
  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  grant_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  email TEXT NOT NULL
);
CREATE INDEX message_addresses_lookup ON message_addresses(grant_id, email, kind);
CREATE INDEX message_addresses_message ON message_addresses(message_id);

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  grant_id TEXT NOT NULL,
  part_path TEXT NOT NULL,
  filename TEXT,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_id TEXT,
  disposition TEXT,
  is_inline INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_message ON attachments(message_id);

CREATE TABLE threads (
  id TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  -- normalized subject, for the last-resort subject match
  subject_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  latest_message_at INTEGER NOT NULL
);
CREATE INDEX threads_by_date ON threads(grant_id, latest_message_at DESC);
CREATE INDEX threads_subject ON threads(grant_id, subject_key, latest_message_at);

-- Full-text index over subject, participants, body text and attachment names; rowid = messages.rowid.
CREATE VIRTUAL TABLE messages_fts USING fts5(
  subject, participants, from_addr, to_addr, cc_addr, body, filenames,
  content='', contentless_delete=1,
  tokenize="unicode61 remove_diacritics 2 tokenchars '@.-_+'"
);
