-- A month's list of a calendar reads its single events and exceptions from this index alone
-- (start, end, status and id: what it filters, orders and pages by; recurrence_json, always NULL
-- here, because SQLite does not count a partial index's own WHERE as covered); the rows shown
-- are read by their primary key. It replaces calendar_events_start, a prefix of it.
CREATE INDEX calendar_events_window ON calendar_events(calendar_id, start_at, end_at, status, id, recurrence_json)
  WHERE recurrence_json IS NULL;
DROP INDEX calendar_events_start;
