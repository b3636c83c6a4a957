import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createAccount } from "../api/helpers.ts";
import { ingest } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/**
 * Invitations about one occurrence of a series (RECURRENCE-ID) as Google Calendar, Apple
 * Calendar and Outlook send them: a moved occurrence, a cancelled one, an answer to one. Each
 * changes that occurrence only; the rest of the series stays as it was.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const fixture = (name: string) =>
  readFileSync(join(import.meta.dir, "../fixtures/calendar", name), "utf8").replace(/\r?\n/g, "\r\n");
const iso = (s: number) => new Date(s * 1000).toISOString();

async function receive(grant: Record<string, any>, name: string, vars: Record<string, string> = {}) {
  let raw = fixture(name).replaceAll("{{TO}}", grant.email);
  for (const [k, v] of Object.entries(vars)) raw = raw.replaceAll(`{{${k}}}`, v);
  await ingest(t, grant.id, new TextEncoder().encode(raw));
}

async function eventsOf(grantId: string) {
  const res = await api(
    t,
    "GET",
    `/v3/grants/${grantId}/events?calendar_id=primary&show_cancelled=true&start=0&end=2000000000`,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as any[];
}

const mail = (from: string, to: string, ics: string) =>
  new TextEncoder().encode(
    [
      `From: <${from}>`,
      `To: <${to}>`,
      "Subject: x",
      "MIME-Version: 1.0",
      "Content-Type: text/calendar; charset=utf-8; method=CANCEL",
      "",
      ics,
    ].join("\r\n"),
  );

describe("Google Calendar", () => {
  test("a moved occurrence, then a cancelled one: only those change; SEQUENCE and sender rules hold", async () => {
    const b = await createAccount(t);
    await receive(b, "google-series-request.eml");
    const before = await eventsOf(b.id);
    // Weekly at 10:00 New York, across the DST change of 8 March.
    expect(before.map((e) => iso(e.when.start_time))).toEqual([
      "2026-03-03T15:00:00.000Z",
      "2026-03-10T14:00:00.000Z",
      "2026-03-17T14:00:00.000Z",
      "2026-03-24T14:00:00.000Z",
    ]);
    const master = before[0].master_event_id;

    await receive(b, "google-occurrence-request.eml");
    const moved = await eventsOf(b.id);
    expect(moved.map((e) => [iso(e.when.start_time), e.title, e.status])).toEqual([
      ["2026-03-03T15:00:00.000Z", "Team sync", "confirmed"],
      ["2026-03-10T14:00:00.000Z", "Team sync", "confirmed"],
      ["2026-03-17T18:00:00.000Z", "Team sync (afternoon)", "confirmed"],
      ["2026-03-24T14:00:00.000Z", "Team sync", "confirmed"],
    ]);
    const exception = moved[2];
    expect(exception).toMatchObject({
      id: `${master}_${Date.UTC(2026, 2, 17, 14) / 1000}`,
      master_event_id: master,
      original_start_time: Date.UTC(2026, 2, 17, 14) / 1000,
      location: "Room 2",
      ical_uid: "3p9k2l8v0q5r7s1t4u6w8y0z2a@google.com",
    });
    expect(exception.participants.find((p: any) => p.email === b.email).status).toBe("noreply");

    // A stranger's cancellation of an occurrence changes nothing.
    const cancel = fixture("google-occurrence-cancel.eml").replaceAll("{{TO}}", b.email);
    const ics = cancel.slice(cancel.indexOf("BEGIN:VCALENDAR"), cancel.indexOf("END:VCALENDAR") + 13);
    await ingest(t, b.id, mail("mallory@example.net", b.email, ics));
    expect((await eventsOf(b.id)).map((e) => e.status)).toEqual([
      "confirmed",
      "confirmed",
      "confirmed",
      "confirmed",
    ]);

    await receive(b, "google-occurrence-cancel.eml");
    const after = await eventsOf(b.id);
    expect(after.map((e) => [iso(e.when.start_time), e.status])).toEqual([
      ["2026-03-03T15:00:00.000Z", "confirmed"],
      ["2026-03-10T14:00:00.000Z", "confirmed"],
      ["2026-03-17T18:00:00.000Z", "confirmed"],
      ["2026-03-24T14:00:00.000Z", "cancelled"],
    ]);
    const shown = await api(t, "GET", `/v3/grants/${b.id}/events?calendar_id=primary&start=0&end=2000000000`);
    expect(shown.body.data).toHaveLength(3);

    // An older update of the moved occurrence (SEQUENCE 0 < 1) is ignored.
    const stale = fixture("google-occurrence-request.eml")
      .replaceAll("{{TO}}", b.email)
      .replace("SEQUENCE:1", "SEQUENCE:0")
      .replace("SUMMARY:Team sync (afternoon)", "SUMMARY:stale");
    await ingest(t, b.id, new TextEncoder().encode(stale));
    expect((await eventsOf(b.id))[2].title).toBe("Team sync (afternoon)");
    // The occurrence the series does not have changes nothing.
    const stray = fixture("google-occurrence-request.eml")
      .replaceAll("{{TO}}", b.email)
      .replace(
        "RECURRENCE-ID;TZID=America/New_York:20260317T100000",
        "RECURRENCE-ID;TZID=America/New_York:20260318T100000",
      )
      .replace("SEQUENCE:1", "SEQUENCE:5");
    await ingest(t, b.id, new TextEncoder().encode(stray));
    expect(await eventsOf(b.id)).toHaveLength(4);
  });

  test("the account's answer to an occurrence it was already asked about is kept on an update", async () => {
    const b = await createAccount(t);
    await receive(b, "google-series-request.eml");
    await receive(b, "google-occurrence-request.eml");
    const exception = (await eventsOf(b.id))[2];
    const rsvp = await api(
      t,
      "POST",
      `/v3/grants/${b.id}/events/${exception.id}/send-rsvp?calendar_id=primary&skip_nylas_email=true`,
      { status: "yes" },
    );
    expect(rsvp.status, JSON.stringify(rsvp.body)).toBe(200);
    const again = fixture("google-occurrence-request.eml")
      .replaceAll("{{TO}}", b.email)
      .replace("SEQUENCE:1", "SEQUENCE:2")
      .replace("LOCATION:Room 2", "LOCATION:Room 5");
    await ingest(t, b.id, new TextEncoder().encode(again));
    const updated = (await eventsOf(b.id))[2];
    expect(updated.location).toBe("Room 5");
    expect(updated.participants.find((p: any) => p.email === b.email).status).toBe("yes");
  });
});

describe("Apple Calendar", () => {
  test("a series with one changed occurrence in the same REQUEST", async () => {
    const b = await createAccount(t);
    await receive(b, "apple-occurrence-request.eml");
    const events = await eventsOf(b.id);
    expect(events.map((e) => [iso(e.when.start_time), e.title])).toEqual([
      ["2026-03-16T08:00:00.000Z", "Weekly 1:1"],
      ["2026-03-23T09:30:00.000Z", "Weekly 1:1 (later)"],
      ["2026-04-06T07:00:00.000Z", "Weekly 1:1"],
      ["2026-04-13T07:00:00.000Z", "Weekly 1:1"],
      ["2026-04-20T07:00:00.000Z", "Weekly 1:1"],
    ]);
    expect(events[1]).toMatchObject({ location: "Bureau 3", master_event_id: events[0].master_event_id });
    expect(events[1].when.end_time - events[1].when.start_time).toBe(1800);
  });
});

describe("Outlook", () => {
  test("an attendee declines one occurrence (Windows zone, after the DST change): only that one", async () => {
    const a = await createAccount(t);
    const start = Date.UTC(2026, 9, 6, 7) / 1000; // Tuesday 6 October, 09:00 in Berlin (CEST)
    const created = await api(
      t,
      "POST",
      `/v3/grants/${a.id}/events?calendar_id=primary&notify_participants=false`,
      {
        title: "Weekly review",
        when: {
          start_time: start,
          end_time: start + 3600,
          start_timezone: "Europe/Berlin",
          end_timezone: "Europe/Berlin",
        },
        recurrence: ["RRULE:FREQ=WEEKLY;COUNT=4"],
        participants: [{ email: "sam@outlook.example", name: "Sam Outlook" }],
      },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await receive(a, "outlook-occurrence-reply.eml", { ORGANIZER: a.email, UID: created.body.data.ical_uid });
    const events = await eventsOf(a.id);
    expect(events.map((e) => [iso(e.when.start_time), e.participants[0].status])).toEqual([
      ["2026-10-06T07:00:00.000Z", "noreply"],
      ["2026-10-13T07:00:00.000Z", "noreply"],
      ["2026-10-20T07:00:00.000Z", "noreply"],
      ["2026-10-27T08:00:00.000Z", "no"],
    ]);
    expect(events[3].id).toBe(`${created.body.data.id}_${Date.UTC(2026, 9, 27, 8) / 1000}`);
  });
});
