-- URLAUTH (RFC 4467): the secret key of each mailbox of an account, which signs the URLs GENURLAUTH
-- hands out. RESETKEY replaces it (every URL signed before stops working); a deleted folder's key
-- goes with it, so a folder created again under the same name honors none of the old URLs.
CREATE TABLE imap_url_keys (
  grant_id TEXT NOT NULL,
  folder_id TEXT NOT NULL,
  secret BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (grant_id, folder_id),
  FOREIGN KEY (grant_id, folder_id) REFERENCES folders(grant_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
