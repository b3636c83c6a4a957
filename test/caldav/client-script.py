"""
One calendar session through python3-caldav (Debian's), the same against any CalDAV server:
discovery from /.well-known/caldav, MKCALENDAR, PUT of a single event and of a weekly series
with a moved occurrence, a time-range query, a look-up by UID, an edit with If-Match, a delete,
and sync-collection before and after. Prints what the client saw, as JSON, server-neutral (no
hrefs, ETags or tokens), so that two servers' runs can be compared line by line.

Usage: client-script.py URL USER PASSWORD
"""
import json
import sys
from datetime import datetime, timezone

import caldav

url, user, password = sys.argv[1:4]
client = caldav.DAVClient(url=url, username=user, password=password)
principal = client.principal()
seen = {}

calendar = principal.make_calendar(name="Work", cal_id="work-cal", supported_calendar_component_set=["VEVENT"])
seen["calendar_name"] = calendar.get_display_name()
seen["components"] = sorted(calendar.get_supported_components())
seen["calendar_listed"] = any(str(c.url).rstrip("/").endswith("work-cal") for c in principal.calendars())

SINGLE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//client-script//EN
BEGIN:VEVENT
UID:single-1@client
DTSTAMP:20260101T000000Z
DTSTART:20260302T140000Z
DTEND:20260302T150000Z
SUMMARY:Planning
LOCATION:Room 4
END:VEVENT
END:VCALENDAR
"""

SERIES = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//client-script//EN
BEGIN:VEVENT
UID:series-1@client
DTSTAMP:20260101T000000Z
DTSTART:20260303T090000Z
DTEND:20260303T093000Z
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Standup
END:VEVENT
BEGIN:VEVENT
UID:series-1@client
DTSTAMP:20260101T000000Z
RECURRENCE-ID:20260310T090000Z
DTSTART:20260310T110000Z
DTEND:20260310T113000Z
SUMMARY:Standup (moved)
END:VEVENT
END:VCALENDAR
"""

calendar.save_event(SINGLE)
calendar.save_event(SERIES)
first = calendar.objects_by_sync_token(load_objects=False)
seen["initial_sync"] = len(list(first))


def summaries(objects):
    out = []
    for o in objects:
        o.load()
        for comp in o.icalendar_instance.walk("VEVENT"):
            rid = comp.get("RECURRENCE-ID")
            out.append([str(comp.get("UID")), str(comp.get("SUMMARY")), rid.dt.isoformat() if rid else None])
    return sorted(out, key=lambda x: (x[0], x[2] or ""))


def day(d):
    return datetime(2026, 3, d, tzinfo=timezone.utc)


seen["week_of_march_9"] = summaries(calendar.date_search(start=day(9), end=day(12), expand=False))
seen["week_of_march_2"] = summaries(calendar.date_search(start=day(2), end=day(3), expand=False))
seen["all"] = summaries(calendar.events())
seen["expanded_march"] = summaries(calendar.date_search(start=day(1), end=day(20), expand=True))

event = calendar.event_by_uid("single-1@client")
event.data = event.data.replace("SUMMARY:Planning", "SUMMARY:Planning (edited)")
event.save()
seen["after_edit"] = summaries([calendar.event_by_uid("single-1@client")])

calendar.event_by_uid("series-1@client").delete()
changes = calendar.objects_by_sync_token(first.sync_token, load_objects=False)
seen["changes_since_first_sync"] = len(list(changes))
seen["left"] = summaries(calendar.events())

print(json.dumps(seen, indent=1, sort_keys=True))
