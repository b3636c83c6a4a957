-- Search rows now carry their grant's token (grantToken in src/mail/search/tokens.ts), and every
-- search ANDs it in. Rows indexed before lack it: the server re-indexes them at its next start
-- (src/maintenance/search-grant-tokens.ts), then deletes the task. A new database has none.
CREATE TABLE maintenance_tasks (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);
INSERT INTO maintenance_tasks (name, created_at)
  SELECT 'search_grant_tokens', unixepoch() WHERE EXISTS (SELECT 1 FROM messages);
