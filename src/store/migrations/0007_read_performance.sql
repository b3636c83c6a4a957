-- Read paths at 100,000 messages per account (bench/read.ts).

-- Newest-first lists scan these backwards; with ascending columns the implicit rowid comes out
-- descending too, so ORDER BY internal_date DESC, rowid DESC needs no sort step.
DROP INDEX messages_by_date;
DROP INDEX messages_folder_by_date;
CREATE INDEX messages_by_date ON messages(grant_id, internal_date);
CREATE INDEX messages_folder_by_date ON messages(grant_id, folder_id, internal_date);

-- Covering: a participant filter finds its message ids without touching the table.
DROP INDEX message_addresses_lookup;
CREATE INDEX message_addresses_lookup ON message_addresses(grant_id, email, kind, message_id);

-- Per-folder totals and unread counts, kept by triggers so every write path (API, IMAP, SMTP,
-- account deletion) keeps them exact and a folder's unread count is one row read.
CREATE TABLE folder_counts (
  grant_id TEXT NOT NULL,
  folder_id TEXT NOT NULL,
  total INTEGER NOT NULL DEFAULT 0,
  unread INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (grant_id, folder_id)
);
INSERT INTO folder_counts (grant_id, folder_id, total, unread)
  SELECT grant_id, folder_id, count(*), sum(seen = 0) FROM messages GROUP BY grant_id, folder_id;

CREATE TRIGGER folder_counts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO folder_counts (grant_id, folder_id, total, unread) VALUES (NEW.grant_id, NEW.folder_id, 1, NEW.seen = 0)
    ON CONFLICT (grant_id, folder_id) DO UPDATE SET total = total + 1, unread = unread + (NEW.seen = 0);
END;

CREATE TRIGGER folder_counts_delete AFTER DELETE ON messages BEGIN
  UPDATE folder_counts SET total = total - 1, unread = unread - (OLD.seen = 0)
    WHERE grant_id = OLD.grant_id AND folder_id = OLD.folder_id;
END;

CREATE TRIGGER folder_counts_update AFTER UPDATE OF folder_id, seen ON messages BEGIN
  UPDATE folder_counts SET total = total - 1, unread = unread - (OLD.seen = 0)
    WHERE grant_id = OLD.grant_id AND folder_id = OLD.folder_id;
  INSERT INTO folder_counts (grant_id, folder_id, total, unread) VALUES (NEW.grant_id, NEW.folder_id, 1, NEW.seen = 0)
    ON CONFLICT (grant_id, folder_id) DO UPDATE SET total = total + 1, unread = unread + (NEW.seen = 0);
END;

CREATE TRIGGER folder_counts_folder_gone AFTER DELETE ON folders BEGIN
  DELETE FROM folder_counts WHERE grant_id = OLD.grant_id AND folder_id = OLD.id;
END;
