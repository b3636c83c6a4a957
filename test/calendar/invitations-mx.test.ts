import { afterAll, beforeAll, expect, test } from "bun:test";
import { createAccount } from "../api/helpers.ts";
import { eventually, mxTransport } from "../smtp/support/smtp.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/**
 * An outside organizer's invitation through the MX (nodemailer over STARTTLS, as another MTA
 * would deliver it): it lands on the calendar; the account's REPLY leaves through the outbound
 * path; the organizer's CANCEL cancels.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const ORGANIZER = "boss@outside.example";

function invitation(to: string, method: "REQUEST" | "CANCEL", sequence: number): string {
  const ics = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Outside Corp//Calendar//EN",
    `METHOD:${method}`,
    "BEGIN:VEVENT",
    "UID:mx-roundtrip-1@outside.example",
    `SEQUENCE:${sequence}`,
    "DTSTAMP:20260801T120000Z",
    "DTSTART;TZID=Europe/Berlin:20260902T140000",
    "DTEND;TZID=Europe/Berlin:20260902T150000",
    "SUMMARY:Contract review",
    `ORGANIZER;CN=The Boss:mailto:${ORGANIZER}`,
    `ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${to}`,
    `STATUS:${method === "CANCEL" ? "CANCELLED" : "CONFIRMED"}`,
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
  return [
    `From: The Boss <${ORGANIZER}>`,
    `To: <${to}>`,
    `Subject: ${method === "CANCEL" ? "Canceled" : "Invitation"}: Contract review`,
    `Message-ID: <${crypto.randomUUID()}@outside.example>`,
    "Date: Sat, 01 Aug 2026 12:00:00 +0000",
    "MIME-Version: 1.0",
    'Content-Type: multipart/alternative; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Contract review",
    "--b",
    `Content-Type: text/calendar; charset=utf-8; method=${method}`,
    "",
    ics,
    "--b--",
    "",
  ].join("\r\n");
}

async function viaMx(to: string, raw: string) {
  const transport = mxTransport(t, "mta.outside.example");
  try {
    await transport.sendMail({ envelope: { from: ORGANIZER, to: [to] }, raw });
  } finally {
    transport.close();
  }
}

test("REQUEST through the MX, REPLY out through the queue, CANCEL through the MX", async () => {
  const b = await createAccount(t);
  await viaMx(b.email, invitation(b.email, "REQUEST", 0));
  const events = async () =>
    (await api(t, "GET", `/v3/grants/${b.id}/events?calendar_id=primary&show_cancelled=true`)).body
      .data as any[];
  const [event] = await eventually(async () => {
    const list = await events();
    return list.length > 0 ? list : null;
  });
  expect(event).toMatchObject({
    title: "Contract review",
    ical_uid: "mx-roundtrip-1@outside.example",
    organizer: { email: ORGANIZER, name: "The Boss" },
    when: { start_time: Date.UTC(2026, 8, 2, 12) / 1000, start_timezone: "Europe/Berlin" },
  });
  const inbox = await api(t, "GET", `/v3/grants/${b.id}/messages?in=inbox`);
  expect(inbox.body.data.map((m: any) => m.subject)).toEqual(["Invitation: Contract review"]);

  const rsvp = await api(t, "POST", `/v3/grants/${b.id}/events/${event.id}/send-rsvp?calendar_id=primary`, {
    status: "maybe",
  });
  expect(rsvp.status, JSON.stringify(rsvp.body)).toBe(200);
  expect(rsvp.body.data).toEqual({});
  const sent = await api(t, "GET", `/v3/grants/${b.id}/messages?in=sent`);
  expect(sent.body.data.map((m: any) => [m.subject, m.to[0].email])).toEqual([
    ["Tentatively accepted: Contract review", ORGANIZER],
  ]);

  await viaMx(b.email, invitation(b.email, "CANCEL", 1));
  await eventually(async () => ((await events())[0].status === "cancelled" ? true : null));
});
