import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import ICAL from "ical.js";
import { simpleParser } from "mailparser";
import { transitions } from "../../src/calendar/vtimezone.ts";
import { createAccount } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/**
 * Invitations for an event in a zone carry the zone's VTIMEZONE, built from the runtime's tz
 * database: a calendar that does not know the TZID (here: the zone renamed to one nobody knows)
 * still reads every occurrence at the right instant across a DST change, with Python's
 * icalendar (Debian's python3-icalendar and python3-recurring-ical-events) and with ical.js.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const UNKNOWN = "Agentbox Test Zone";

const EXPAND = `
import sys, datetime, icalendar, recurring_ical_events
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
for e in recurring_ical_events.of(cal).between(datetime.datetime(2020, 1, 1), datetime.datetime(2030, 1, 1)):
    print(e["DTSTART"].dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
`;

async function pythonInstants(ics: string): Promise<string[]> {
  const proc = Bun.spawn([PYTHON, "-c", EXPAND], {
    stdin: new TextEncoder().encode(ics),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  expect(code, err).toBe(0);
  return out.trim().split("\n");
}

/** ical.js, told of the message's VTIMEZONE only, expanding the series itself. */
function icalJsInstants(ics: string): string[] {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vtimezone = calendar.getFirstSubcomponent("vtimezone");
  if (!vtimezone) throw new Error("no VTIMEZONE");
  const zone = new ICAL.Timezone(vtimezone);
  const vevent = calendar.getFirstSubcomponent("vevent");
  if (!vevent) throw new Error("no VEVENT");
  const event = new ICAL.Event(vevent);
  const out: string[] = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && out.length < 10; next = iterator.next()) {
    const local = next.clone();
    local.zone = zone;
    out.push(new Date(local.toUnixTime() * 1000).toISOString().replace(".000Z", "Z"));
  }
  return out;
}

async function invitationOf(grantId: string): Promise<string> {
  const inbox = await api(t, "GET", `/v3/grants/${grantId}/messages?in=inbox`);
  const [message] = inbox.body.data as any[];
  const res = await fetch(`${t.url}/v3/grants/${grantId}/messages/${message.id}?fields=raw_mime`, {
    headers: { authorization: `Bearer ${t.apiKey}` },
  });
  const raw = Buffer.from(((await res.json()) as any).data.raw_mime, "base64url");
  const parsed = await simpleParser(raw);
  const part = parsed.attachments.find((a) => a.contentType === "text/calendar");
  if (!part) throw new Error(`no text/calendar part in ${raw.toString("utf8").slice(0, 500)}`);
  return part.content.toString("utf8");
}

describe("VTIMEZONE in outgoing invitations", () => {
  test("a weekly 09:00 Paris series across the spring change: the same instants for every reader", async () => {
    const a = await createAccount(t);
    const b = await createAccount(t);
    const start = Date.UTC(2026, 2, 16, 8) / 1000; // Monday 16 March 2026, 09:00 in Paris (CET)
    const created = await api(t, "POST", `/v3/grants/${a.id}/events?calendar_id=primary`, {
      title: "Weekly 1:1",
      when: {
        start_time: start,
        end_time: start + 1800,
        start_timezone: "Europe/Paris",
        end_timezone: "Europe/Paris",
      },
      recurrence: ["RRULE:FREQ=WEEKLY;COUNT=4"],
      participants: [{ email: b.email }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const ics = await invitationOf(b.id);
    expect(ics).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris");
    expect(ics).toContain("DTSTART;TZID=Europe/Paris:20260316T090000");
    expect(ics.indexOf("BEGIN:VTIMEZONE")).toBeLessThan(ics.indexOf("BEGIN:VEVENT"));

    const expected = [
      "2026-03-16T08:00:00Z",
      "2026-03-23T08:00:00Z",
      "2026-03-30T07:00:00Z",
      "2026-04-06T07:00:00Z",
    ];
    const renamed = ics.replaceAll("Europe/Paris", UNKNOWN);
    expect(await pythonInstants(renamed)).toEqual(expected);
    expect(icalJsInstants(renamed)).toEqual(expected);
    // The invitation as sent, with its IANA name, reads the same.
    expect(await pythonInstants(ics)).toEqual(expected);
  });

  test("a single event in New York in November, after the autumn change; UTC events carry none", async () => {
    const a = await createAccount(t);
    const b = await createAccount(t);
    const start = Date.UTC(2026, 10, 2, 15) / 1000; // Monday 2 November 2026, 10:00 in New York (EST)
    await api(t, "POST", `/v3/grants/${a.id}/events?calendar_id=primary`, {
      title: "Budget",
      when: { time: start, timezone: "America/New_York" },
      participants: [{ email: b.email }],
    });
    const ics = await invitationOf(b.id);
    expect(ics).toContain("DTSTART;TZID=America/New_York:20261102T100000");
    expect(await pythonInstants(ics.replaceAll("America/New_York", UNKNOWN))).toEqual([
      "2026-11-02T15:00:00Z",
    ]);

    const c = await createAccount(t);
    await api(t, "POST", `/v3/grants/${a.id}/events?calendar_id=primary`, {
      title: "Plain",
      when: { start_time: start, end_time: start + 600 },
      participants: [{ email: c.email }],
    });
    const plain = await invitationOf(c.id);
    expect(plain).not.toContain("VTIMEZONE");
    expect(plain).toContain("DTSTART:20261102T150000Z");
  });

  test("transitions are found to the quarter hour, none in a zone without DST", () => {
    const from = Date.UTC(2026, 0, 1) / 1000;
    const to = Date.UTC(2027, 0, 1) / 1000;
    expect(transitions("Europe/Paris", from, to).map((s) => new Date(s * 1000).toISOString())).toEqual([
      "2026-03-29T01:00:00.000Z",
      "2026-10-25T01:00:00.000Z",
    ]);
    expect(transitions("Australia/Lord_Howe", from, to).map((s) => new Date(s * 1000).toISOString())).toEqual(
      ["2026-04-04T15:00:00.000Z", "2026-10-03T15:30:00.000Z"],
    );
    expect(transitions("Asia/Tokyo", from, to)).toEqual([]);
  });
});
