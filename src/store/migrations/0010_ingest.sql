-- Ingest (issue #3): threading looks up message_references, never in_reply_to, so this index
-- only cost every insert a B-tree write.
DROP INDEX IF EXISTS messages_in_reply_to;
