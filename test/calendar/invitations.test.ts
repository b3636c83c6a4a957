import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseItip } from "../../src/calendar/itip-in.ts";
import { createAccount } from "../api/helpers.ts";
import { ingest } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/**
 * Invitations over real mail (iMIP): A invites B, both hosted here, through the normal send path;
 * B's calendar shows it, B answers with send-rsvp, A sees the answer; a cancel cancels. And the
 * invitations Google Calendar, Outlook and Apple Calendar send are understood.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const H = 3600;
const START = Date.UTC(2026, 8, 14, 13) / 1000;

async function eventsOf(grantId: string, query = "") {
  const res = await api(
    t,
    "GET",
    `/v3/grants/${grantId}/events?calendar_id=primary&show_cancelled=true${query}`,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as any[];
}

async function inbox(grantId: string) {
  const res = await api(t, "GET", `/v3/grants/${grantId}/messages?in=inbox`);
  return res.body.data as any[];
}

async function rawOf(grantId: string, messageId: string): Promise<string> {
  const res = await fetch(`${t.url}/v3/grants/${grantId}/messages/${messageId}?fields=raw_mime`, {
    headers: { authorization: `Bearer ${t.apiKey}` },
  });
  const body = (await res.json()) as any;
  return Buffer.from(body.data.raw_mime, "base64url").toString("utf8");
}

describe("between two hosted accounts", () => {
  test("A invites B; B sees it (noreply); B accepts with send-rsvp; A sees yes; A cancels; B's is cancelled", async () => {
    const a = await createAccount(t, undefined, { name: "Agent A" });
    const b = await createAccount(t);
    const created = await api(t, "POST", `/v3/grants/${a.id}/events?calendar_id=primary`, {
      title: "Design review",
      location: "Room 7",
      when: { start_time: START, end_time: START + H },
      participants: [{ email: b.email, name: "B" }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const event = created.body.data;

    const [invitation] = await inbox(b.id);
    expect(invitation.subject).toBe("Invitation: Design review");
    const raw = await rawOf(b.id, invitation.id);
    expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
    expect(raw).toMatch(/Content-Type: text\/plain/);
    expect(raw).toMatch(/Content-Type: text\/html/);

    const [mine] = await eventsOf(b.id);
    expect(mine).toMatchObject({
      title: "Design review",
      location: "Room 7",
      ical_uid: event.ical_uid,
      when: { object: "timespan", start_time: START, end_time: START + H },
      organizer: { email: a.email, name: "Agent A" },
    });
    expect(mine.participants.find((p: any) => p.email === b.email).status).toBe("noreply");

    const rsvp = await api(t, "POST", `/v3/grants/${b.id}/events/${mine.id}/send-rsvp?calendar_id=primary`, {
      status: "yes",
    });
    expect(rsvp.status, JSON.stringify(rsvp.body)).toBe(200);
    expect(rsvp.body.data).toEqual({});
    const [again] = await eventsOf(b.id);
    expect(again.participants.find((p: any) => p.email === b.email).status).toBe("yes");

    const replies = (await inbox(a.id)).filter((m) => m.subject === "Accepted: Design review");
    expect(replies.length).toBe(1);
    const [organized] = await eventsOf(a.id);
    expect(organized.participants.find((p: any) => p.email === b.email).status).toBe("yes");

    const removed = await api(t, "DELETE", `/v3/grants/${a.id}/events/${event.id}?calendar_id=primary`);
    expect(removed.status).toBe(200);
    expect((await inbox(b.id)).some((m) => m.subject === "Canceled event: Design review")).toBe(true);
    const [cancelled] = await eventsOf(b.id);
    expect(cancelled.status).toBe("cancelled");
    const shown = await api(t, "GET", `/v3/grants/${b.id}/events?calendar_id=primary`);
    expect(shown.body.data).toEqual([]);
  });

  test("notify_participants=false sends nothing; an older SEQUENCE changes nothing; a stranger's CANCEL is ignored", async () => {
    const a = await createAccount(t);
    const b = await createAccount(t);
    const quiet = await api(
      t,
      "POST",
      `/v3/grants/${a.id}/events?calendar_id=primary&notify_participants=false`,
      {
        title: "Quiet",
        when: { start_time: START, end_time: START + H },
        participants: [{ email: b.email }],
      },
    );
    expect(quiet.status).toBe(200);
    expect(await inbox(b.id)).toEqual([]);

    const ics = (method: string, sequence: number, title: string) =>
      [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        `METHOD:${method}`,
        "BEGIN:VEVENT",
        "UID:seq-test@example.org",
        `SEQUENCE:${sequence}`,
        "DTSTAMP:20260901T000000Z",
        "DTSTART:20260915T100000Z",
        "DTEND:20260915T110000Z",
        `SUMMARY:${title}`,
        "ORGANIZER:mailto:boss@example.org",
        `ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:${b.email}`,
        "END:VEVENT",
        "END:VCALENDAR",
        "",
      ].join("\r\n");
    const mail = (from: string, body: string, method: string) =>
      new TextEncoder().encode(
        [
          `From: <${from}>`,
          `To: <${b.email}>`,
          "Subject: x",
          "MIME-Version: 1.0",
          `Content-Type: text/calendar; charset=utf-8; method=${method}`,
          "",
          body,
        ].join("\r\n"),
      );
    await ingest(t, b.id, mail("boss@example.org", ics("REQUEST", 2, "v2"), "REQUEST"));
    await ingest(t, b.id, mail("boss@example.org", ics("REQUEST", 1, "v1 (late)"), "REQUEST"));
    expect((await eventsOf(b.id)).map((e) => e.title)).toEqual(["v2"]);
    await ingest(t, b.id, mail("mallory@example.net", ics("CANCEL", 3, "v2"), "CANCEL"));
    expect((await eventsOf(b.id))[0].status).toBe("confirmed");
    await ingest(t, b.id, mail("boss@example.org", ics("CANCEL", 3, "v2"), "CANCEL"));
    expect((await eventsOf(b.id))[0].status).toBe("cancelled");
    expect((await inbox(b.id)).length).toBe(4);
  });
});

describe("invitations from the big three", () => {
  const fixture = (name: string) => readFileSync(join(import.meta.dir, "../fixtures/calendar", name), "utf8");
  const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");

  async function receive(name: string, extra: (s: string) => string = (s) => s) {
    const b = await createAccount(t);
    const raw = crlf(extra(fixture(name)).replaceAll("{{TO}}", b.email));
    await ingest(t, b.id, new TextEncoder().encode(raw));
    return { b, events: await eventsOf(b.id, "&start=0&end=2000000000") };
  }

  test("Google Calendar: a timed event in New York's zone", async () => {
    const { b, events } = await receive("google-request.eml");
    expect(events.length).toBe(1);
    expect(events[0]).toMatchObject({
      title: "Quarterly planning",
      location: "Room 4",
      ical_uid: "7kukuqrfedlm2f9t0vlq1opo3n@google.com",
      busy: true,
      organizer: { email: "pat@gmail.example", name: "Pat Organizer" },
      when: {
        object: "timespan",
        start_time: Date.UTC(2026, 2, 10, 14) / 1000,
        end_time: Date.UTC(2026, 2, 10, 15) / 1000,
        start_timezone: "America/New_York",
      },
    });
    expect(events[0].description).toContain("numbers, hiring; roadmap.");
    expect(events[0].participants).toContainEqual(
      expect.objectContaining({ email: b.email, status: "noreply" }),
    );
    expect(events[0].participants).toContainEqual(
      expect.objectContaining({ email: "pat@gmail.example", status: "yes" }),
    );
  });

  test("Outlook: an all-day free event, base64, a Windows zone name", async () => {
    const ics = (to: string) =>
      Buffer.from(crlf(fixture("outlook-request.ics").replaceAll("{{TO}}", to))).toString("base64");
    const b = await createAccount(t);
    const raw = crlf(fixture("outlook-request.eml").replaceAll("{{TO}}", b.email)).replace(
      "{{ICS_BASE64}}",
      (ics(b.email).match(/.{1,76}/g) ?? []).join("\r\n"),
    );
    await ingest(t, b.id, new TextEncoder().encode(raw));
    const events = await eventsOf(b.id, "&start=0&end=2000000000");
    expect(events.length).toBe(1);
    expect(events[0]).toMatchObject({
      title: "Vendor review",
      busy: false,
      when: { object: "date", date: "2026-03-06" },
    });
  });

  test("Apple Calendar: a weekly series in Paris with an EXDATE, quoted-printable", async () => {
    const { events } = await receive("apple-request.eml");
    expect(events.map((e) => new Date(e.when.start_time * 1000).toISOString())).toEqual([
      "2026-03-16T08:00:00.000Z",
      "2026-03-23T08:00:00.000Z",
      "2026-04-06T07:00:00.000Z",
      "2026-04-13T07:00:00.000Z",
      "2026-04-20T07:00:00.000Z",
    ]);
    expect(events[0]).toMatchObject({ title: "Weekly 1:1", location: "Café de Flore" });
  });

  test("what we send parses back: METHOD, ORGANIZER, ATTENDEE, SEQUENCE", async () => {
    const a = await createAccount(t, undefined, { name: "Agent A" });
    const b = await createAccount(t);
    await api(t, "POST", `/v3/grants/${a.id}/events?calendar_id=primary`, {
      title: "Série",
      when: {
        start_time: START,
        end_time: START + H,
        start_timezone: "Europe/Paris",
        end_timezone: "Europe/Paris",
      },
      recurrence: ["RRULE:FREQ=WEEKLY;COUNT=3"],
      participants: [{ email: b.email }],
    });
    const [invitation] = await inbox(b.id);
    const raw = await rawOf(b.id, invitation.id);
    const part = raw.split(/method=REQUEST\r\n/)[1] ?? "";
    const base64 = part.split("\r\n\r\n")[1]?.split("\r\n--")[0] ?? "";
    const ics = Buffer.from(base64.replace(/\r\n/g, ""), "base64").toString("utf8");
    expect(ics).toContain("DTSTART;TZID=Europe/Paris:");
    const parsed = parseItip(ics);
    expect(parsed).toMatchObject({
      method: "REQUEST",
      sequence: 0,
      fields: { title: "Série", recurrence: ["RRULE:FREQ=WEEKLY;COUNT=3"] },
    });
    expect(parsed?.fields.organizer?.email).toBe(a.email);
    expect(parsed?.fields.participants.map((p) => p.email)).toEqual([b.email]);
  });
});

describe("over the daily send quota", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ AGENTBOX_DAILY_SEND_LIMIT: "1" });
  });
  afterAll(() => s.stop());

  test("the event is still created and the invitation skipped; send-rsvp reports send_ics_error", async () => {
    const a = await createAccount(s);
    const b = await createAccount(s);
    const post = (title: string) =>
      api(s, "POST", `/v3/grants/${a.id}/events?calendar_id=primary`, {
        title,
        when: { start_time: START, end_time: START + H },
        participants: [{ email: b.email }],
      });
    expect((await post("first")).status).toBe(200);
    const second = await post("second");
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const list = await api(s, "GET", `/v3/grants/${a.id}/events?calendar_id=primary`);
    expect(list.body.data.map((e: any) => e.title).sort()).toEqual(["first", "second"]);
    const received = await api(s, "GET", `/v3/grants/${b.id}/messages?in=inbox`);
    expect(received.body.data.map((m: any) => m.subject)).toEqual(["Invitation: first"]);

    // B answers twice: its quota of one goes on the first REPLY.
    const [mine] = (await api(s, "GET", `/v3/grants/${b.id}/events?calendar_id=primary`)).body.data;
    const rsvp = (status: string) =>
      api(s, "POST", `/v3/grants/${b.id}/events/${mine.id}/send-rsvp?calendar_id=primary`, { status });
    expect((await rsvp("yes")).body.data).toEqual({});
    const over = await rsvp("no");
    expect(over.status).toBe(200);
    expect(over.body.data.send_ics_error).toMatchObject({ type: "quota_exceeded" });
    const [after] = (await api(s, "GET", `/v3/grants/${b.id}/events?calendar_id=primary`)).body.data;
    expect(after.participants.find((p: any) => p.email === b.email).status).toBe("no");
  });
});
