-- IMAP (issue #4): SELECT lists the keywords used in a folder; most messages have none, so a
-- partial index over the ones that do keeps that a short read instead of a folder scan.
CREATE INDEX messages_keywords ON messages(grant_id, folder_id) WHERE keywords_json <> '[]';
