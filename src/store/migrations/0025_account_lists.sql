-- Per-account allow and block lists (AgentMail's send, receive and reply directions), kept as
-- ordinary lists that belong to one account: hidden from /v3/lists, used by the rule engine.
ALTER TABLE lists ADD COLUMN grant_id TEXT REFERENCES grants(id) ON DELETE CASCADE;
ALTER TABLE list_items ADD COLUMN reason TEXT;
CREATE INDEX lists_grant ON lists(grant_id) WHERE grant_id IS NOT NULL;
