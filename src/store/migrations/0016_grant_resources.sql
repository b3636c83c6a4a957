-- Nylas's grant resources (issue 19): API keys that expire, an application's settings
-- (PATCH /v3/applications), signatures, templates and workflows (application or grant level), and
-- contacts. Numbered 0018: 0016 and 0017 are taken on other branches (policies, calendars).
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
-- branding, hosted_authentication, callback_uris: stored and returned as given
ALTER TABLE applications ADD COLUMN settings_json TEXT NOT NULL DEFAULT '{}';

CREATE TABLE signatures (
  id TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX signatures_grant ON signatures(grant_id);

-- grant_id NULL: an application-level template (/v3/templates)
CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  grant_id TEXT REFERENCES grants(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  engine TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX templates_owner ON templates(application_id, grant_id);

CREATE TABLE workflows (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  grant_id TEXT REFERENCES grants(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  template_id TEXT NOT NULL,
  trigger_event TEXT NOT NULL,
  delay INTEGER NOT NULL DEFAULT 0,
  is_enabled INTEGER NOT NULL DEFAULT 1,
  -- {email, name} when the workflow sends through transactional send
  from_json TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX workflows_owner ON workflows(application_id, grant_id);

-- the contact's fields as Nylas names them (emails, phone_numbers, …), validated, as JSON
CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  fields_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_grant ON contacts(grant_id);
