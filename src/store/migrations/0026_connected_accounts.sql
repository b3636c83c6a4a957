-- A connected IMAP account's provider settings, one row per grant with provider 'imap'. The
-- passwords are sealed (AES-256-GCM, src/connected/credential-seal.ts); the row goes with its grant.
CREATE TABLE connected_accounts (
  grant_id TEXT PRIMARY KEY REFERENCES grants(id) ON DELETE CASCADE,
  imap_host TEXT NOT NULL,
  imap_port INTEGER NOT NULL,
  imap_security TEXT NOT NULL,
  imap_username TEXT NOT NULL,
  imap_password_sealed TEXT NOT NULL,
  smtp_host TEXT NOT NULL,
  smtp_port INTEGER NOT NULL,
  smtp_security TEXT NOT NULL,
  smtp_username TEXT NOT NULL,
  smtp_password_sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
