-- Idempotency-Key of a transactional send (POST /v3/domains/{domain}/messages/send), per
-- application (there is no grant), kept one hour like a grant's.
CREATE TABLE transactional_idempotency_keys (
  application_id TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in_flight', 'done')),
  response_status INTEGER,
  response_json TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (application_id, key)
);
