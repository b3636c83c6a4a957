-- Connected IMAP accounts (issue 18): where each local message lives at the provider, and how far
-- the sync of each provider folder has got. The provider is the source of truth; these rows let
-- the sync resume after a restart without duplicating or missing a message.
CREATE TABLE provider_messages (
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  folder_path TEXT NOT NULL,
  uid_validity INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  PRIMARY KEY (grant_id, folder_path, uid_validity, uid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX provider_messages_message ON provider_messages(message_id);

CREATE TABLE provider_folders (
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  folder_path TEXT NOT NULL,
  folder_id TEXT NOT NULL,
  uid_validity INTEGER,
  uid_next INTEGER,
  highest_modseq INTEGER,
  -- The initial sync walks down from the newest UID: the lowest UID it has stored so far (null
  -- before it starts), and whether it has reached the window's start.
  initial_low_uid INTEGER,
  initial_done INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (grant_id, folder_path)
) WITHOUT ROWID;

CREATE TABLE provider_sync (
  grant_id TEXT PRIMARY KEY REFERENCES grants(id) ON DELETE CASCADE,
  -- When grant.imap_sync_completed was recorded (ms); null while the initial sync runs.
  initial_completed_at INTEGER
);
