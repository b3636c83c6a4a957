import { afterAll, beforeAll, expect, test } from "bun:test";
import { createAccount, createApplication, expectError, uniqueEmail } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/** POST /v3/grants/{id}/calendars/free-busy (beyond-mail §7.4) over the accounts' own calendars. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const H = 3600;
const DAY0 = Date.UTC(2026, 5, 1) / 1000; // 2026-06-01 00:00 UTC

async function event(grantId: string, body: unknown) {
  const res = await api(t, "POST", `/v3/grants/${grantId}/events?calendar_id=primary`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

test("busy events, occurrences and overlaps count; free, cancelled and outside ones do not", async () => {
  const a = await createAccount(t);
  const b = await createAccount(t);
  await event(a.id, { title: "busy", when: { start_time: DAY0 + 10 * H, end_time: DAY0 + 11 * H } });
  await event(a.id, {
    title: "free",
    busy: false,
    when: { start_time: DAY0 + 12 * H, end_time: DAY0 + 13 * H },
  });
  await event(a.id, { title: "before", when: { start_time: DAY0 - 2 * H, end_time: DAY0 + H } });
  const daily = await event(a.id, {
    title: "daily",
    when: { start_time: DAY0 - 5 * 86_400 + 15 * H, end_time: DAY0 - 5 * 86_400 + 16 * H },
    recurrence: ["RRULE:FREQ=DAILY"],
  });
  const list = await api(
    t,
    "GET",
    `/v3/grants/${a.id}/events?calendar_id=primary&start=${DAY0 + 86_400}&end=${DAY0 + 2 * 86_400}`,
  );
  const tomorrow = list.body.data.find((e: any) => e.master_event_id === daily.id);
  await api(t, "DELETE", `/v3/grants/${a.id}/events/${tomorrow.id}?calendar_id=primary`);
  await event(b.id, { title: "b", when: { date: "2026-06-01" } });
  // Longer than 31 days and begun 40 days before: read through the long events' index.
  await event(b.id, { title: "long", when: { start_date: "2026-04-22", end_date: "2026-06-01" } });

  const outsider = uniqueEmail("outside", "example.com");
  const res = await api(t, "POST", `/v3/grants/${a.id}/calendars/free-busy`, {
    start_time: DAY0,
    end_time: DAY0 + 2 * 86_400,
    emails: [a.email, b.email, outsider],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const [forA, forB, forOutsider] = res.body.data;
  expect(forA.object).toBe("free_busy");
  expect(forA.time_slots.map((s: any) => [s.start_time - DAY0, s.end_time - DAY0])).toEqual([
    [-2 * H, H],
    [10 * H, 11 * H],
    [15 * H, 16 * H],
  ]);
  expect(forA.time_slots[0]).toMatchObject({ status: "busy", object: "time_slot" });
  expect(forB.time_slots).toEqual([
    { start_time: DAY0 - 40 * 86_400, end_time: DAY0 + 86_400, status: "busy", object: "time_slot" },
    { start_time: DAY0, end_time: DAY0 + 86_400, status: "busy", object: "time_slot" },
  ]);
  expect(forOutsider).toMatchObject({ email: outsider, object: "error", time_slots: null });
});

test("another application's account is an error entry; bad windows are 400", async () => {
  const a = await createAccount(t);
  const other = await createApplication(t, "free-busy other");
  const theirs = await createAccount(t, undefined, {}, other.key);
  const res = await api(t, "POST", `/v3/grants/${a.id}/calendars/free-busy`, {
    start_time: DAY0,
    end_time: DAY0 + H,
    emails: [theirs.email],
  });
  expect(res.body.data[0]).toMatchObject({ object: "error", time_slots: null });
  const post = (body: unknown) => api(t, "POST", `/v3/grants/${a.id}/calendars/free-busy`, body);
  expectError(
    await post({ start_time: DAY0, end_time: DAY0, emails: [a.email] }),
    400,
    "invalid_request_error",
    "end_time",
  );
  expectError(
    await post({ start_time: DAY0, end_time: DAY0 + H, emails: [] }),
    400,
    "invalid_request_error",
    "emails",
  );
  expectError(
    await post({ start_time: DAY0, end_time: DAY0 + 100 * 86_400, emails: [a.email] }),
    400,
    "invalid_request_error",
    "90 days",
  );
});
