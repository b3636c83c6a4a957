-- Calendars (issue 15): the calendar's own fields, and its events. An event row is a single event,
-- a recurring series' master (recurrence_json set; series_end null when it never ends), or an
-- exception of one occurrence (master_event_id and original_start_time set).
ALTER TABLE calendars ADD COLUMN location TEXT;
ALTER TABLE calendars ADD COLUMN hex_color TEXT;
ALTER TABLE calendars ADD COLUMN metadata_json TEXT NOT NULL DEFAULT '{}';

CREATE TABLE calendar_events (
  id TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  calendar_id TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  ical_uid TEXT NOT NULL,
  master_event_id TEXT,
  original_start_time INTEGER,
  title TEXT,
  description TEXT,
  location TEXT,
  busy INTEGER NOT NULL DEFAULT 1,
  visibility TEXT,
  status TEXT NOT NULL DEFAULT 'confirmed',
  when_json TEXT NOT NULL,
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  recurrence_json TEXT,
  series_end INTEGER,
  participants_json TEXT NOT NULL DEFAULT '[]',
  organizer_json TEXT,
  reminders_json TEXT,
  conferencing_json TEXT,
  metadata_json TEXT NOT NULL DEFAULT '{}',
  capacity INTEGER,
  hide_participants INTEGER NOT NULL DEFAULT 0,
  sequence INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Partial indexes, one per kind: a list reads single events (and exceptions) by start, and the
-- series apart (a few per calendar), so the planner never walks every event before the window's end.
CREATE INDEX calendar_events_start ON calendar_events(calendar_id, start_at) WHERE recurrence_json IS NULL;
CREATE INDEX calendar_events_series ON calendar_events(calendar_id, start_at) WHERE recurrence_json IS NOT NULL;
-- Events longer than 31 days, apart: an overlap query reads the others by start from 31 days
-- before its window (src/calendar/free-busy.ts); the term must stay as written to be used.
CREATE INDEX calendar_events_long ON calendar_events(calendar_id, end_at) WHERE recurrence_json IS NULL AND end_at - start_at > 2678400;
CREATE INDEX calendar_events_master ON calendar_events(master_event_id) WHERE master_event_id IS NOT NULL;
CREATE INDEX calendar_events_uid ON calendar_events(grant_id, ical_uid);

-- event.starting / event.ending (src/calendar/clock.ts): the instant through which they were
-- recorded, moved in the same transaction as the events it records (one row).
CREATE TABLE calendar_clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  fired_through INTEGER NOT NULL
);
CREATE INDEX calendar_events_starts ON calendar_events(start_at) WHERE recurrence_json IS NULL;
CREATE INDEX calendar_events_ends ON calendar_events(end_at) WHERE recurrence_json IS NULL;
