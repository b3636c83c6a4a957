-- CalDAV (issue 15): a calendar object resource is a single event or a series' master with its
-- exceptions, under the name a client PUT it at (dav_name; `<id>.ics` for events made elsewhere).
-- Every change to a resource moves its calendar's dav_seq and stamps the resource with it: the
-- ETag, the collection's CTag and its RFC 6578 sync-token. A deleted resource leaves a tombstone,
-- so that sync-collection can report it.
ALTER TABLE calendars ADD COLUMN dav_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calendar_events ADD COLUMN dav_name TEXT;
ALTER TABLE calendar_events ADD COLUMN dav_seq INTEGER NOT NULL DEFAULT 0;
UPDATE calendar_events SET dav_name = id || '.ics' WHERE master_event_id IS NULL;
CREATE UNIQUE INDEX calendar_events_dav_name ON calendar_events(calendar_id, dav_name) WHERE dav_name IS NOT NULL;
CREATE INDEX calendar_events_dav_seq ON calendar_events(calendar_id, dav_seq) WHERE dav_name IS NOT NULL;

CREATE TABLE calendar_dav_tombstones (
  calendar_id TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  dav_name TEXT NOT NULL,
  dav_seq INTEGER NOT NULL,
  PRIMARY KEY (calendar_id, dav_name)
);
CREATE INDEX calendar_dav_tombstones_seq ON calendar_dav_tombstones(calendar_id, dav_seq);
