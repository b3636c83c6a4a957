-- A folder's name is unique among its siblings, not in the whole account: "Clients/Acme" may be
-- created while an "Acme" exists elsewhere (IMAP hierarchies, imaptest's listext and subscribe).
-- A top-level folder has no parent; ifnull() makes those siblings of one another in the index.
DROP INDEX folders_name;
CREATE UNIQUE INDEX folders_name ON folders(grant_id, ifnull(parent_id, ''), name);

-- The highest UIDVALIDITY the account ever gave a folder: a folder deleted and created again
-- within the same second gets a new one (RFC 3501 §2.3.1.1), even across a restart.
ALTER TABLE grants ADD COLUMN uid_validity_high INTEGER NOT NULL DEFAULT 0;
UPDATE grants SET uid_validity_high = ifnull((SELECT max(uid_validity) FROM folders WHERE folders.grant_id = grants.id), 0);

-- IMAP subscriptions are names (RFC 3501 §6.3.6): a subscribed folder that IMAP deletes stays
-- subscribed by name, with no folder, until it is unsubscribed or a folder of that name is created
-- again. A live folder's subscription is its `subscribed` column.
CREATE TABLE imap_subscriptions (
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  PRIMARY KEY (grant_id, name)
) WITHOUT ROWID;

-- What IMAP SEARCH TEXT and BODY look into, as substrings (src/mail/search/imap-text.ts): the
-- header and every text part at any depth, decoded and lower-cased. Messages stored before this
-- migration have no row; SEARCH reads those from their raw bytes. A rowid table: its rows are
-- kilobytes, which a WITHOUT ROWID table scans several times slower (measured: 3-5x).
CREATE TABLE message_search_text (
  message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  header TEXT NOT NULL,
  body TEXT NOT NULL
);
