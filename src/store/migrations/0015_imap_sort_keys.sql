-- What IMAP SORT and THREAD order and group by (src/mail/sort-keys.ts), on the message row so a
-- 10,000-message SORT or THREAD reads no raw message. NULL on rows stored before: the server
-- fills them at its next start from the stored ENVELOPE (src/maintenance/imap-sort-keys.ts);
-- until then SORT and THREAD compute them from the ENVELOPE as they read.
ALTER TABLE messages ADD COLUMN sort_subject TEXT;
ALTER TABLE messages ADD COLUMN subject_reply INTEGER;
ALTER TABLE messages ADD COLUMN sort_from TEXT;
ALTER TABLE messages ADD COLUMN sort_to TEXT;
ALTER TABLE messages ADD COLUMN sort_cc TEXT;
ALTER TABLE messages ADD COLUMN display_from TEXT;
ALTER TABLE messages ADD COLUMN display_to TEXT;
INSERT INTO maintenance_tasks (name, created_at)
  SELECT 'imap_sort_keys', unixepoch() WHERE EXISTS (SELECT 1 FROM messages);
