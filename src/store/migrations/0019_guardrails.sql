-- Policies, rules, lists and workspaces (issue 14): what governs an application's accounts.
-- Ids are UUIDv7 (time-ordered), so a list ordered by id is in creation order.

CREATE TABLE policies (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  -- the Nylas objects as given (validated): limits{}, spam_detection{}, options{}, rules[]
  limits_json TEXT NOT NULL DEFAULT '{}',
  spam_detection_json TEXT NOT NULL DEFAULT '{}',
  options_json TEXT NOT NULL DEFAULT '{}',
  rule_ids_json TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX policies_application ON policies(application_id, id);

CREATE TABLE rules (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  priority INTEGER NOT NULL DEFAULT 10,
  enabled INTEGER NOT NULL DEFAULT 1,
  trigger TEXT NOT NULL DEFAULT 'inbound' CHECK (trigger IN ('inbound', 'outbound')),
  match_json TEXT NOT NULL,
  actions_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX rules_application ON rules(application_id, id);

CREATE TABLE lists (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  type TEXT NOT NULL CHECK (type IN ('domain', 'tld', 'address')),
  items_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX lists_application ON lists(application_id, id);

-- One value of a list (normalised: trimmed, lower-cased). Pages go by (list_id, id); a rule's
-- in_list asks which lists hold a value, by value.
CREATE TABLE list_items (
  list_id TEXT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
  value TEXT NOT NULL,
  id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (list_id, value)
) WITHOUT ROWID;
CREATE INDEX list_items_page ON list_items(list_id, id);
CREATE INDEX list_items_value ON list_items(value, list_id);

-- A group of an application's accounts with the policy and rules they run under. Every
-- application has one default workspace (domain ''), made when first needed.
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  domain TEXT NOT NULL,
  auto_group INTEGER NOT NULL DEFAULT 1,
  is_default INTEGER NOT NULL DEFAULT 0,
  policy_id TEXT,
  rule_ids_json TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX workspaces_domain ON workspaces(application_id, domain) WHERE is_default = 0;
CREATE UNIQUE INDEX workspaces_default ON workspaces(application_id) WHERE is_default = 1;

-- The audit trail of the rule engine: one row per evaluation (smtp_rcpt, inbox_processing,
-- outbound_send). message_id is null when nothing was stored.
CREATE TABLE rule_evaluations (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  message_id TEXT,
  stage TEXT NOT NULL CHECK (stage IN ('smtp_rcpt', 'inbox_processing', 'outbound_send')),
  input_json TEXT NOT NULL,
  applied_json TEXT NOT NULL,
  matched_rule_ids_json TEXT NOT NULL,
  evaluated_at INTEGER NOT NULL
);
CREATE INDEX rule_evaluations_grant ON rule_evaluations(grant_id, id);
