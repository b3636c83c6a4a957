-- Applications own everything else: keys, domains, grants, connectors, (later) webhooks.
CREATE TABLE applications (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  key_prefix TEXT NOT NULL,
  -- 1 = the key given by AGENTBOX_API_KEY; replaced when that variable changes
  from_env INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX api_keys_application ON api_keys(application_id);

CREATE TABLE service_accounts (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  public_key_pem TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE TABLE domains (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  domain_address TEXT NOT NULL UNIQUE,
  region TEXT NOT NULL DEFAULT 'us',
  is_trial INTEGER NOT NULL DEFAULT 0,
  ownership_token TEXT NOT NULL,
  dkim_selector TEXT NOT NULL,
  dkim_private_key TEXT NOT NULL,
  dkim_public_key TEXT NOT NULL,
  verified_ownership INTEGER NOT NULL DEFAULT 0,
  verified_mx INTEGER NOT NULL DEFAULT 0,
  verified_spf INTEGER NOT NULL DEFAULT 0,
  verified_dkim INTEGER NOT NULL DEFAULT 0,
  verified_feedback INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX domains_application ON domains(application_id, created_at);

CREATE TABLE connectors (
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  name TEXT NOT NULL,
  settings_json TEXT NOT NULL DEFAULT '{}',
  scope_json TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (application_id, provider)
);

CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  domain_id TEXT NOT NULL REFERENCES domains(id),
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  workspace_id TEXT,
  provider TEXT NOT NULL DEFAULT 'nylas',
  grant_status TEXT NOT NULL DEFAULT 'valid',
  -- settings as given, minus app_password (which is only ever stored hashed)
  settings_json TEXT NOT NULL DEFAULT '{}',
  app_password_hash TEXT,
  password_version INTEGER NOT NULL DEFAULT 0,
  storage_quota_bytes INTEGER NOT NULL,
  storage_used_bytes INTEGER NOT NULL DEFAULT 0,
  daily_send_limit INTEGER NOT NULL,
  highest_modseq INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX grants_application ON grants(application_id, created_at);

CREATE TABLE folders (
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  parent_id TEXT,
  special_use TEXT,
  system_folder INTEGER NOT NULL DEFAULT 0,
  uid_validity INTEGER NOT NULL,
  uid_next INTEGER NOT NULL DEFAULT 1,
  subscribed INTEGER NOT NULL DEFAULT 1,
  text_color TEXT,
  background_color TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (grant_id, id)
);
CREATE UNIQUE INDEX folders_name ON folders(grant_id, name);

-- Raw RFC 5322 bytes exactly as they arrived, addressed by their SHA-256.
CREATE TABLE blobs (
  hash TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  data BLOB NOT NULL
);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  folder_id TEXT NOT NULL,
  uid INTEGER NOT NULL,
  modseq INTEGER NOT NULL,
  seen INTEGER NOT NULL DEFAULT 0,
  flagged INTEGER NOT NULL DEFAULT 0,
  answered INTEGER NOT NULL DEFAULT 0,
  draft INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  keywords_json TEXT NOT NULL DEFAULT '[]',
  blob_hash TEXT NOT NULL REFERENCES blobs(hash),
  size INTEGER NOT NULL,
  internal_date INTEGER NOT NULL,
  message_id_header TEXT,
  metadata_json TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX messages_uid ON messages(grant_id, folder_id, uid);
CREATE INDEX messages_modseq ON messages(grant_id, folder_id, modseq);
CREATE INDEX messages_message_id ON messages(grant_id, folder_id, message_id_header);

CREATE TABLE calendars (
  id TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  timezone TEXT,
  is_primary INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX calendars_grant ON calendars(grant_id);

-- The transactional outbox and event log: written in the same transaction as the change it
-- announces. seq is the log position receivers order and resume by.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  application_id TEXT NOT NULL,
  grant_id TEXT,
  type TEXT NOT NULL,
  object_json TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX events_application ON events(application_id, seq);
